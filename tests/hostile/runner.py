"""Run one variant and judge it: held (ran, or refused cleanly) or broken, and why."""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import subprocess
import sys
import tempfile
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

#: The module whose ``main(argv)`` each command runs.
COMMANDS = {
    "simulate": "simulate.commands.sweep",
    "simulate.fidelity": "simulate.commands.fidelity",
    "simulate.retraining": "simulate.commands.retraining",
    "simulate.rulefit": "simulate.commands.rulefit",
    "simulate.reweighting": "simulate.commands.reweighting",
    "theory": "theory.cli",
    "plots": "plots.cli",
}
#: What a variant may do: be refused, run, or either (an edge value that some reading allows).
EXPECTATIONS = ("refused", "ran", "either")
#: Text no message may show: numpy's reprs and elided array dumps.
UNREADABLE = ("np.float64(", "np.int64(", "array([", "...,")


@dataclass(frozen=True)
class Command:
    """``python -m <command> <argv>``, run in this process; ``{name}`` in an argument is replaced
    by the fixture of that name (``{tmp}`` by a fresh folder)."""

    command: str
    argv: tuple[str, ...]
    expect: str
    blame: str | None = None
    check: Callable[[str], str | None] | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return f"python -m {self.command} {' '.join(self.argv)}"


@dataclass(frozen=True)
class Api:
    """A call of the public API; a refusal is a one-line ValueError naming ``blame``."""

    name: str
    call: Callable[[Mapping[str, Path]], Any] = field(compare=False)
    expect: str
    blame: str | None = None

    @property
    def label(self) -> str:
        return self.name


@dataclass(frozen=True)
class Process:
    """A shell pipeline run as real processes (pipes and signals), with the status it must end
    with and the most lines its stderr may hold."""

    shell: str
    statuses: tuple[int, ...]
    max_stderr_lines: int = 1

    @property
    def label(self) -> str:
        return self.shell

    expect = "either"


Variant = Command | Api | Process


@dataclass(frozen=True)
class Outcome:
    """How a variant ended: ``held`` or not, what it did (``ran``, ``refused``, ``traceback``,
    ``status N``) and, if broken, why."""

    variant: Variant
    did: str
    held: bool
    why: str = ""


def run_variant(variant: Variant, fixtures: Mapping[str, Path]) -> Outcome:
    """Run ``variant`` and judge it."""
    if isinstance(variant, Command):
        return _run_command(variant, fixtures)
    if isinstance(variant, Api):
        return _run_api(variant, fixtures)
    return _run_process(variant, fixtures)


def _run_command(variant: Command, fixtures: Mapping[str, Path]) -> Outcome:
    main = importlib.import_module(COMMANDS[variant.command]).main
    with tempfile.TemporaryDirectory() as tmp:
        names = {**{k: str(v) for k, v in fixtures.items()}, "tmp": str(Path(tmp) / "out")}
        argv = [argument.format(**names) for argument in variant.argv]
        out, err = io.StringIO(), io.StringIO()
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            warnings.catch_warnings(record=True) as caught,
        ):
            warnings.simplefilter("default")
            try:
                status = main(argv)
            except SystemExit as stop:
                status = stop.code if isinstance(stop.code, int) else 2
            except Exception as error:
                return Outcome(variant, "traceback", False, _one_line(error))
    lines = [line for line in err.getvalue().splitlines() if line.strip()]
    numeric = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    if numeric:
        return Outcome(variant, f"status {status}", False, f"numeric warning: {numeric[0]}")
    if status == 0:
        problem = variant.check(out.getvalue()) if variant.check else None
        if problem:
            return Outcome(variant, "ran", False, problem)
        return _judged(variant, "ran", "")
    if status != 2:
        return Outcome(variant, f"status {status}", False, " | ".join(lines[-2:]))
    return _judged(variant, "refused", _refusal_problem(lines, variant.blame))


def _refusal_problem(lines: list[str], blame: str | None) -> str:
    """What is wrong with the stderr of a refusal, or ''."""
    if len(lines) != 1:
        return f"{len(lines)} lines on stderr, the last: {lines[-1] if lines else ''}"
    line = lines[0]
    if ": error: " not in line:
        return f"not an error line: {line}"
    if blame is not None and not _names(line, blame):
        return f"does not name {blame!r}: {line}"
    if any(text in line for text in UNREADABLE):
        return f"unreadable message: {line}"
    return ""


def _names(message: str, blame: str) -> bool:
    """Whether ``message`` names ``blame``: a flag (``--test-size``) or its setting
    (``test_size``), or a value."""
    setting = blame.lstrip("-").replace("-", "_")
    return any(word.lower() in message.lower() for word in (blame, setting))


def _run_api(variant: Api, fixtures: Mapping[str, Path]) -> Outcome:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        try:
            variant.call(fixtures)
        except ValueError as error:
            message = str(error)
            problem = ""
            if "\n" in message.strip():
                problem = "a message of several lines"
            elif variant.blame is not None and not _names(message, variant.blame):
                problem = f"does not name {variant.blame!r}: {message}"
            elif any(text in message for text in UNREADABLE):
                problem = f"unreadable message: {message}"
            return _judged(variant, "refused", problem)
        except Exception as error:
            return Outcome(variant, "traceback", False, _one_line(error))
    numeric = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    if numeric:
        return Outcome(variant, "ran", False, f"numeric warning: {numeric[0]}")
    return _judged(variant, "ran", "")


def _run_process(variant: Process, fixtures: Mapping[str, Path]) -> Outcome:
    names = {k: str(v) for k, v in fixtures.items()}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path])}
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", variant.shell.format(**names)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=300,
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if "Traceback" in result.stderr:
        return Outcome(variant, "traceback", False, lines[-1])
    if result.returncode not in variant.statuses:
        return Outcome(variant, f"status {result.returncode}", False, " | ".join(lines[-2:]))
    if len(lines) > variant.max_stderr_lines:
        return Outcome(variant, "ran", False, f"{len(lines)} lines on stderr: {lines[0]}")
    return Outcome(variant, f"status {result.returncode}", True)


def _judged(variant: Command | Api, did: str, problem: str) -> Outcome:
    if problem:
        return Outcome(variant, did, False, problem)
    if variant.expect not in ("either", did):
        return Outcome(variant, did, False, f"{did}, should have been {variant.expect}")
    return Outcome(variant, did, True)


def _one_line(error: BaseException) -> str:
    return f"{type(error).__name__}: {' '.join(str(error).split())}"[:300]


def strict_json(text: str) -> str | None:
    """None if ``text`` is JSON a strict parser reads (no NaN or Infinity), else the problem."""

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    try:
        json.loads(text, parse_constant=refuse)
    except ValueError as error:
        return f"--json output: {error}"
    return None
