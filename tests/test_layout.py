"""The packages' one rule of data flow, checked on every module.

``params`` is at the bottom: it imports none of ``theory``, ``simulate`` and ``plots``.
``theory`` imports neither ``simulate`` nor ``plots``. No module of ``theory`` or ``simulate``
reaches ``plots`` or matplotlib, except the command lines (:mod:`simulate.commands` and
:mod:`theory.cli`, which draw only when a figure is asked for) and the thin entry modules that
only call them. And no two modules import each other, directly or
through others.

The rules are checked twice: statically, on the graph of every import written in the packages'
files (at the top of a module or inside a function; an import only for type checkers does not
count), followed through the first-party modules; and by importing the modules in a fresh
interpreter and looking at what it loaded.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import pkgutil
import subprocess
import sys
from collections.abc import Container, Iterable, Iterator
from functools import cache
from pathlib import Path

import pytest

#: The project's packages.
PACKAGES = ("params", "theory", "simulate", "plots")
#: The command lines: the only code of ``theory`` and ``simulate`` that may import ``plots``.
COMMANDS = ("simulate.commands", "theory.cli")
#: Entry modules of ``python -m``: they only call a command of :data:`COMMANDS`.
ENTRY_MODULES = (
    "theory.__main__",
    "simulate.__main__",
    "simulate.fidelity",
    "simulate.focal",
    "simulate.rulefit",
    "simulate.retraining",
    "simulate.reweighting",
)
#: Top-level packages each package may not reach.
FORBIDDEN = {
    "params": ("theory", "simulate", "plots"),
    "theory": ("simulate", "plots", "matplotlib"),
    "simulate": ("plots", "matplotlib"),
}


@cache
def modules() -> dict[str, Path]:
    """Every module of :data:`PACKAGES`, by name, with its file."""
    found = {}
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        found[package] = Path(spec.origin)
        for info in pkgutil.walk_packages(spec.submodule_search_locations, prefix=f"{package}."):
            found[info.name] = Path(importlib.util.find_spec(info.name).origin)
    return found


def _is_type_checking(node: ast.If) -> bool:
    """Whether ``node`` is ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``)."""
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement under ``node``, skipping the bodies of ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        elif isinstance(child, ast.If) and _is_type_checking(child):
            for other in child.orelse:
                yield from _import_nodes(ast.Module(body=[other], type_ignores=[]))
        else:
            yield from _import_nodes(child)


def _resolve(name: str, known: Container[str]) -> str:
    """``name``, or the longest prefix of it that is a known module, or its top-level name."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:
            return candidate
    return parts[0]


@cache
def imported(module: str) -> frozenset[str]:
    """What ``module`` imports: first-party modules by full name, anything else by its
    top-level name."""
    known = modules()
    path = known[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(_resolve(alias.name, known) for alias in node.names)
            continue
        if node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            source = f"{base}.{node.module}" if node.module else base
        else:
            source = node.module
        for alias in node.names:
            targets.add(_resolve(f"{source}.{alias.name}", known))
    targets.discard(module)
    return frozenset(targets)


@cache
def graph() -> dict[str, frozenset[str]]:
    """The first-party import graph: each module's imports of other first-party modules."""
    known = modules()
    return {module: imported(module) & known.keys() for module in known}


def crossings(module: str, forbidden: Iterable[str]) -> set[tuple[str, str]]:
    """The imports ``(importer, target)`` by which ``module`` reaches a package of
    ``forbidden``: ``module``'s own, or those of the first-party modules it reaches outside
    ``forbidden``."""
    forbidden = set(forbidden)
    seen, stack, found = {module}, [module], set()
    while stack:
        importer = stack.pop()
        for target in imported(importer):
            if target.split(".")[0] in forbidden:
                found.add((importer, target))
            elif target in modules() and target not in seen:
                seen.add(target)
                stack.append(target)
    return found


def _is_command(module: str) -> bool:
    """Whether ``module`` is (in) one of the command lines of :data:`COMMANDS`."""
    return any(module == name or module.startswith(f"{name}.") for name in COMMANDS)


def _exempt(module: str) -> bool:
    """Whether ``module`` is a command line or an entry module."""
    return _is_command(module) or module in ENTRY_MODULES


def _ruled(package: str) -> list[str]:
    """The modules of ``package`` the rules of :data:`FORBIDDEN` apply to."""
    return [
        module for module in modules() if module.split(".")[0] == package and not _exempt(module)
    ]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_module_reaches_what_its_package_may_not(package):
    found = set().union(*(crossings(module, FORBIDDEN[package]) for module in _ruled(package)))
    assert not found


def test_the_entry_modules_only_call_the_commands():
    for module in ENTRY_MODULES:
        first_party = imported(module) & modules().keys()
        assert first_party, module
        assert all(_is_command(target) for target in first_party), module


def test_there_is_no_import_cycle():
    edges = graph()
    # Tarjan's strongly connected components: a component of more than one module is a cycle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(edges[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert cycles == []


#: Imports the modules given on the command line one by one and prints, for each top-level
#: package asked about, the first module whose import loaded it.
_PROBE = """
import importlib, json, sys
watched, names = sys.argv[1].split(","), sys.argv[2:]
first = {}
for name in names:
    importlib.import_module(name)
    for package in watched:
        if package in sys.modules and package not in first:
            first[package] = name
print(json.dumps(first))
"""


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_importing_a_package_loads_nothing_it_may_not(package):
    names = [module for module in _ruled(package) if not module.endswith(".__main__")]
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, ",".join(FORBIDDEN[package]), *names],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == {}


def test_the_install_ships_every_package_and_subpackage():
    """``pip install .`` installs what pyproject.toml's package patterns match: every package
    folder of :data:`PACKAGES` must match one, or ``python -m simulate`` breaks once installed."""
    import fnmatch
    import tomllib

    root = Path(__file__).resolve().parents[1]
    settings = tomllib.loads((root / "pyproject.toml").read_text())
    patterns = settings["tool"]["setuptools"]["packages"]["find"]["include"]
    folders = [
        ".".join(init.parent.relative_to(root).parts)
        for package in PACKAGES
        for init in (root / package).rglob("__init__.py")
    ]
    assert folders
    missed = [name for name in folders if not any(fnmatch.fnmatch(name, p) for p in patterns)]
    assert not missed
