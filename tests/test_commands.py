"""Every command, run as a real process, answers bad input with one line and exit status 2."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Per command: arguments with one bad value, and what the error line must name.
BAD_INPUT = {
    "simulate": (["-m", "simulate", "--beta", "2"], "argument --beta"),
    "simulate.fidelity": (["-m", "simulate.fidelity", "--reps", "4"], "argument --reps"),
    "simulate.retraining": (
        ["-m", "simulate.retraining", "--datasets", "iris"],
        "argument --datasets",
    ),
    "theory table": (["-m", "theory", "--beta", "1.5"], "argument --beta"),
    "theory what-if": (
        ["-m", "theory", "what-if", "--recall", "0.6", "--specificity", "0.99", "--beta", "0"],
        "argument --beta",
    ),
    "theory what-if --scores": (
        ["-m", "theory", "what-if", "--scores", "no-such.csv", "--alpha", "2"],
        "does not exist",
    ),
    "plots": (["-m", "plots", "--run", "no/such/run"], "does not exist"),
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
    argv, named = BAD_INPUT[command]
    result = subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "error:" in last
    assert named in last
