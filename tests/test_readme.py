"""The README's flag tables are the command lines' own parsers, rendered.

``python -m tests.test_readme`` prints the tables; the test checks the README holds them verbatim,
so a flag added, removed or changed without updating the README fails here.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def _parsers() -> dict[str, argparse.ArgumentParser]:
    import plots.cli
    import simulate.commands.fidelity
    import simulate.commands.retraining
    import simulate.commands.rulefit
    import simulate.commands.sweep
    import theory.cli

    theory_parser = theory.cli.build_parser()
    commands = next(
        action
        for action in theory_parser._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    return {
        "python -m simulate": simulate.commands.sweep.build_parser(),
        "python -m simulate.fidelity": simulate.commands.fidelity.build_parser(),
        "python -m simulate.retraining": simulate.commands.retraining.build_parser(),
        "python -m simulate.rulefit": simulate.commands.rulefit.build_parser(),
        "python -m theory table": commands.choices["table"],
        "python -m theory what-if": commands.choices["what-if"],
        "python -m plots": plots.cli.build_parser(),
    }


def _accepts(action: argparse.Action) -> str:
    if action.choices:
        return " \\| ".join(f"`{choice}`" for choice in action.choices)
    if action.nargs == 0:
        return "switch"
    return f"`{action.metavar or action.dest.upper()}`"


def _help(action: argparse.Action) -> str:
    text = (action.help or "").replace("%(default)s", str(action.default))
    text = re.sub(r"\s*\(default: [^)]*\)$", "", text)
    return text.replace("|", "\\|")


def _default(value: object) -> str:
    if value is None or value is False:
        return ""
    if isinstance(value, list):
        value = ",".join(f"{v:g}" if isinstance(v, float) else str(v) for v in value)
    return f"`{value}`"


def flag_table(parser: argparse.ArgumentParser) -> str:
    """Markdown table of a parser's options: flag, what it accepts, default, help."""
    lines = ["| flag | accepts | default | meaning |", "| --- | --- | --- | --- |"]
    for action in parser._actions:
        if not action.option_strings or isinstance(action, argparse._HelpAction):
            continue
        default = _default(action.default)
        lines.append(
            f"| `{action.option_strings[-1]}` | {_accepts(action)} | {default} | {_help(action)} |"
        )
    return "\n".join(lines)


def all_tables() -> str:
    """Every command line's table under its own heading, as the README holds them."""
    return "\n\n".join(
        f"`{command}`\n\n{flag_table(parser)}" for command, parser in _parsers().items()
    )


@pytest.mark.parametrize("command", list(_parsers()))
def test_readme_holds_each_flag_table(command):
    table = flag_table(_parsers()[command])
    assert f"`{command}`\n\n{table}" in README.read_text(), (
        f"README's table for {command} is out of date; regenerate with "
        "`python -m tests.test_readme`"
    )


if __name__ == "__main__":
    print(all_tables())
