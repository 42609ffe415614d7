"""Every flag of the simulate and theory command lines refuses a malformed value cleanly."""

import argparse

import pytest

import simulate.commands.fidelity
import simulate.commands.retraining
import simulate.commands.sweep
import theory.cli
from params.validation import MAX_BOOTSTRAP, Interval
from simulate.config import ALPHA_RANGE


def _valued_flags(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if action.option_strings and (action.type is not None or action.choices):
            if getattr(action.type, "__name__", "") in ("Path", "path"):
                continue
            yield action.option_strings[-1]


SIMULATE_FLAGS = list(_valued_flags(simulate.commands.sweep.build_parser()))
#: Flags whose value is any text (a column name): refused by the settings, not by the parser.
FREE_TEXT_FLAGS = ("--target",)


@pytest.mark.parametrize("flag", [f for f in SIMULATE_FLAGS if f not in FREE_TEXT_FLAGS])
def test_simulate_flag_refuses_garbage(flag, capsys):
    with pytest.raises(SystemExit) as exit_info:
        simulate.commands.sweep.main([flag, "not-a-value"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"argument {flag}" in error
    assert "not-a-value" in error


@pytest.mark.parametrize("flag", FREE_TEXT_FLAGS)
def test_free_text_flag_out_of_place_is_refused(flag, capsys):
    with pytest.raises(SystemExit) as exit_info:
        simulate.commands.sweep.main([flag, "not-a-value"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert "target='not-a-value'" in error


def test_every_sweep_flag_is_covered():
    assert {"--beta", "--alphas", "--seps", "--reps", "--n-jobs", "--engine"} <= set(SIMULATE_FLAGS)


@pytest.mark.parametrize(
    ("command", "parser"),
    [
        ("table", theory.cli.build_parser()._subparsers._group_actions[0].choices["table"]),
        ("what-if", theory.cli.build_parser()._subparsers._group_actions[0].choices["what-if"]),
    ],
)
def test_theory_flags_refuse_garbage(command, parser, capsys):
    required = ["--recall", "0.6", "--specificity", "0.9", "--beta", "0.01", "--alpha", "2"]
    for flag in _valued_flags(parser):
        base = required if command == "what-if" else []
        with pytest.raises(SystemExit) as exit_info:
            theory.cli.main([command, *base, flag, "not-a-value"])
        assert exit_info.value.code == 2
        error = capsys.readouterr().err.strip().splitlines()[-1]
        assert f"argument {flag}" in error, error


@pytest.mark.parametrize(
    ("command", "flag", "value"),
    [
        (simulate.commands.sweep, "--alphas", "1e308"),
        (simulate.commands.fidelity, "--alphas", "1e308"),
        (simulate.commands.retraining, "--alphas", "1e308"),
        (simulate.commands.sweep, "--bootstrap", "1000000000"),
        (simulate.commands.retraining, "--bootstrap", "1000000000"),
    ],
)
def test_every_command_holds_alphas_and_bootstrap_to_the_declared_ranges(
    command, flag, value, capsys
):
    # One range each, declared once (ALPHA_RANGE, MAX_BOOTSTRAP): a weight whose arithmetic
    # overflows, or resamples beyond memory, are refused on parsing, before any work.
    interval = ALPHA_RANGE if flag == "--alphas" else Interval(0, MAX_BOOTSTRAP, "both")
    with pytest.raises(SystemExit) as exit_info:
        command.main([flag, value])
    assert exit_info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"argument {flag}: must be" in last
    assert f"in the range {interval}. Got {value!r} instead." in last
