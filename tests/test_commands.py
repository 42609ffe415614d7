"""Every command, run as a real process, answers bad input with one line and exit status 2."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.plots.conftest import write_synthetic_run

ROOT = Path(__file__).resolve().parents[1]


def _damaged_run(folder: Path) -> None:
    """A finished run whose summary.csv was edited after the run wrote it."""
    run = write_synthetic_run(folder / "damaged")
    summary = run / "summary.csv"
    summary.write_text(summary.read_text().replace("0.", "1.", 1))


#: Per command: arguments with one bad value, what the error line must name, and what to set up
#: in the working folder first.
BAD_INPUT = {
    "simulate": (["-m", "simulate", "--beta", "2"], "argument --beta", None),
    "simulate.fidelity": (["-m", "simulate.fidelity", "--reps", "4"], "argument --reps", None),
    "simulate.focal": (["-m", "simulate.focal", "--gammas", "-2"], "argument --gammas", None),
    "simulate.retraining": (
        ["-m", "simulate.retraining", "--dataset", "iris"],
        "argument --dataset",
        None,
    ),
    "simulate.rulefit": (["-m", "simulate.rulefit", "no/such/run"], "does not exist", None),
    "simulate.reweighting": (
        ["-m", "simulate.reweighting", "--models", "svm"],
        "argument --models",
        None,
    ),
    "simulate (model)": (["-m", "simulate", "--model", "svm"], "argument --model", None),
    "theory table": (["-m", "theory", "--beta", "1.5"], "argument --beta", None),
    "theory what-if": (
        ["-m", "theory", "what-if", "--recall", "0.6", "--specificity", "0.99", "--beta", "0"],
        "argument --beta",
        None,
    ),
    "theory what-if --scores": (
        ["-m", "theory", "what-if", "--scores", "no-such.csv", "--alpha", "2"],
        "does not exist",
        None,
    ),
    "plots": (["-m", "plots", "--run", "no/such/run"], "does not exist", None),
    "plots, a damaged run": (
        ["-m", "plots", "--run", "damaged"],
        "is corrupt: summary.csv does not match the sha256 checksum run.json records",
        _damaged_run,
    ),
}


@pytest.mark.slow
def test_theory_runs_as_a_module():
    result = subprocess.run(
        [sys.executable, "-m", "theory", "--beta", "0.01", "--p", "2,5,20"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 13


@pytest.mark.slow
@pytest.mark.parametrize("command", list(BAD_INPUT))
def test_bad_input_through_a_real_process(command, tmp_path):
    argv, named, setup = BAD_INPUT[command]
    if setup is not None:
        setup(tmp_path)
    result = subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "error:" in last
    assert named in last
