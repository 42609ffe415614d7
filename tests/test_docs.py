"""The README and the pages in docs/ hold what the code says.

- ``docs/cli.md`` is the command lines' own parsers, rendered: ``python -m tests.test_docs --write``
  writes it (without ``--write`` it prints it), and a test checks the file equals the rendering,
  so a flag added, removed or changed without regenerating the page fails here.
- Every relative link points to a file that exists, and an anchor to a heading of that file.
- Every ``python -m MODULE`` the pages name can be found, and every ``python PATH.py`` exists.
- The README's quick start holds the two commands CI runs (``.ci/run`` takes the second).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
CLI_PAGE = DOCS / "cli.md"
REGENERATE = "python -m tests.test_docs --write"

#: Each command, and where its parser comes from: (module, function, sub-command or None).
#: The modules are imported only when the page is rendered.
COMMANDS: dict[str, tuple[str, str, str | None]] = {
    "python -m simulate": ("simulate.commands.sweep", "build_parser", None),
    "python -m simulate.fidelity": ("simulate.commands.fidelity", "build_parser", None),
    "python -m simulate.focal": ("simulate.commands.focal", "build_parser", None),
    "python -m simulate.retraining": ("simulate.commands.retraining", "build_parser", None),
    "python -m simulate.rulefit": ("simulate.commands.rulefit", "build_parser", None),
    "python -m simulate.reweighting": ("simulate.commands.reweighting", "build_parser", None),
    "python -m theory table": ("theory.cli", "build_parser", "table"),
    "python -m theory what-if": ("theory.cli", "build_parser", "what-if"),
    "python -m plots": ("plots.cli", "build_parser", None),
}

QUICK_START = (
    "pip install . && python -m simulate --beta 0.01 --alphas 1:250",
    'pip install ".[test]" && python -m pytest',
)


# The command-line reference --------------------------------------------------------------------


def parser_of(command: str) -> argparse.ArgumentParser:
    """The parser of ``command`` (a key of :data:`COMMANDS`)."""
    module, function, subcommand = COMMANDS[command]
    parser = getattr(importlib.import_module(module), function)()
    if subcommand is None:
        return parser
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices[subcommand]


def _markdown(text: str) -> str:
    """Plain text made safe inside a Markdown table cell: one line, no markup."""
    text = " ".join(text.split())
    for char in "\\*<|":
        text = text.replace(char, "\\" + char)
    return text


def _description(parser: argparse.ArgumentParser) -> str:
    text = parser.description or ""
    if "%(prog)" in text:
        text = text % {"prog": parser.prog}
    return _markdown(text)


def _name(action: argparse.Action) -> str:
    if action.option_strings:
        return f"`{action.option_strings[-1]}`"
    name = action.metavar or action.dest
    many = {"+": f"{name} ...", "*": f"[{name} ...]", "?": f"[{name}]"}
    return f"`{many.get(action.nargs, name)}` (positional)"


def _accepts(action: argparse.Action) -> str:
    if action.choices:
        return " \\| ".join(f"`{choice}`" for choice in action.choices)
    if action.nargs == 0:
        return "switch"
    return f"`{action.metavar or action.dest.upper()}`"


def _help(action: argparse.Action, prog: str) -> str:
    # argparse's own expansion of %(default)s, %(choices)s, %% and the like.
    text = argparse.HelpFormatter(prog, width=100)._expand_help(action) if action.help else ""
    text = re.sub(r"\s*\(default: [^)]*\)$", "", text)
    return _markdown(text)


def _default(action: argparse.Action) -> str:
    value = action.default
    if not action.option_strings or value is None or value is False:
        return ""
    if isinstance(value, (list, tuple)):
        value = ",".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
    return f"`{value}`"


def flag_table(parser: argparse.ArgumentParser) -> str:
    """Markdown table of a parser's arguments: flag, what it accepts, default, help."""
    lines = ["| flag | accepts | default | meaning |", "| --- | --- | --- | --- |"]
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        lines.append(
            f"| {_name(action)} | {_accepts(action)} | {_default(action)} "
            f"| {_help(action, parser.prog)} |"
        )
    return "\n".join(lines)


def _anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def render_cli() -> str:
    """The whole of docs/cli.md."""
    parts = [
        "# Command-line reference",
        "",
        "Every flag of every command, rendered from the commands' own parsers (`--help` prints the",
        f"same). Do not edit this page by hand: `{REGENERATE}` writes it, and",
        "`tests/test_docs.py` fails when it is out of date. What the commands do is in",
        "[simulator.md](simulator.md), [experiments.md](experiments.md),",
        "[your-model.md](your-model.md) and [reproduce.md](reproduce.md).",
        "",
    ]
    parts += [f"- [`{command}`](#{_anchor(command)})" for command in COMMANDS]
    for command in COMMANDS:
        parser = parser_of(command)
        parts += ["", f"## `{command}`", ""]
        description = _description(parser)
        if description:
            parts += [description, ""]
        parts.append(flag_table(parser))
    return "\n".join(parts) + "\n"


def test_cli_page_is_the_parsers_rendered():
    expected = render_cli()
    actual = CLI_PAGE.read_text() if CLI_PAGE.exists() else ""
    assert actual == expected, (
        f"docs/cli.md is out of date with the commands' parsers; regenerate it with `{REGENERATE}`"
    )


# Links, modules and scripts the pages name -------------------------------------------------------

PAGES = [README, *sorted(DOCS.glob("*.md"))]
_FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
_LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
_MODULE = re.compile(r"python -m ([A-Za-z_][\w.]*)")
_SCRIPT = re.compile(r"python ([\w./-]+\.py)\b")


def _name_of(page: Path) -> str:
    return page.relative_to(ROOT).as_posix()


def _anchors(page: Path) -> set[str]:
    """The anchors of a page's headings, numbered as GitHub numbers repeated ones."""
    seen: dict[str, int] = {}
    anchors = set()
    for line in _FENCE.sub("", page.read_text()).splitlines():
        match = re.match(r"#{1,6} (.+)", line)
        if not match:
            continue
        anchor = _anchor(match.group(1))
        count = seen.get(anchor, 0)
        seen[anchor] = count + 1
        anchors.add(anchor if count == 0 else f"{anchor}-{count}")
    return anchors


def _links() -> list[tuple[str, str]]:
    return [
        (_name_of(page), target)
        for page in PAGES
        for target in _LINK.findall(_FENCE.sub("", page.read_text()))
        if not re.match(r"[a-z]+:", target)
    ]


def _named(pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    return sorted(
        {(_name_of(page), name) for page in PAGES for name in pattern.findall(page.read_text())}
    )


def test_every_page_exists():
    pages = ("your-model", "theory", "experiments", "simulator", "reproduce", "benchmarks", "cli")
    assert set(pages) <= {page.stem for page in PAGES}


@pytest.mark.parametrize(("page", "target"), _links())
def test_relative_link_resolves(page, target):
    path, _, anchor = target.partition("#")
    source = ROOT / page
    linked = (source.parent / path).resolve() if path else source
    assert linked.exists(), f"{page} links to {target}, which does not exist"
    if anchor and linked.suffix == ".md":
        assert anchor in _anchors(linked), f"{page} links to {target}: no such heading"


@pytest.mark.parametrize(("page", "module"), _named(_MODULE))
def test_python_m_module_is_importable(page, module):
    assert importlib.util.find_spec(module) is not None, (
        f"{page} names `python -m {module}`, which cannot be found"
    )


@pytest.mark.parametrize(("page", "script"), _named(_SCRIPT))
def test_python_script_exists(page, script):
    assert (ROOT / script).is_file(), f"{page} names `python {script}`, which does not exist"


def test_quick_start_holds_the_two_commands():
    """The first bash block after '## Quick start', as .ci/run reads it."""
    text = README.read_text()
    section = text[text.index("\n## Quick start\n") :]
    block = re.search(r"^```bash\n(.*?)^```", section, re.MULTILINE | re.DOTALL)
    assert block is not None, "README's quick start has no ```bash block"
    assert tuple(block.group(1).splitlines()) == QUICK_START


if __name__ == "__main__":
    if sys.argv[1:] == ["--write"]:
        CLI_PAGE.write_text(render_cli())
        print(f"wrote {_name_of(CLI_PAGE)}")
    elif sys.argv[1:]:
        sys.exit(f"usage: {REGENERATE.removesuffix(' --write')} [--write]")
    else:
        print(render_cli(), end="")
