"""A sweep killed midway resumes to the same result, and never leaves a half-written file."""

import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pytest

ARGS = [
    "--beta", "0.05", "--alphas", "1:19:4", "--seps", "0.3,1,2,3", "--reps", "3",
    "--n-samples", "2000", "--n-features", "6", "--n-informative", "3",
    "--engine", "sklearn", "--n-jobs", "1", "--no-plots", "--quiet",
]  # fmt: skip
FINISHED = {"fits.parquet", "summary.csv", "run.json"}


def _simulate(*extra):
    return [sys.executable, "-m", "simulate", *ARGS, *extra]


@pytest.mark.slow
def test_sigkill_then_resume_equals_an_uninterrupted_run(tmp_path):
    killed = tmp_path / "killed"
    process = subprocess.Popen(_simulate("--out", str(killed)), stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    parts = killed / "parts"
    while time.monotonic() < deadline and len(list(parts.glob("*.npy"))) < 1:
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    saved = list(parts.glob("*.npy"))
    assert 1 <= len(saved) < 4, "the kill should land midway"
    assert not FINISHED & {p.name for p in killed.iterdir()}

    refused = subprocess.run(_simulate("--out", str(killed)), capture_output=True, text=True)
    assert refused.returncode == 2
    assert "--resume" in refused.stderr

    resumed = subprocess.run(_simulate("--out", str(killed), "--resume"), capture_output=True)
    assert resumed.returncode == 0, resumed.stderr
    whole = tmp_path / "whole"
    subprocess.run(_simulate("--out", str(whole)), check=True, capture_output=True)
    pd.testing.assert_frame_equal(
        pd.read_parquet(killed / "fits.parquet"), pd.read_parquet(whole / "fits.parquet")
    )
    assert {p.name for p in killed.iterdir()} == FINISHED


@pytest.mark.slow
def test_resume_with_other_settings_is_refused(tmp_path):
    out = tmp_path / "run"
    (out / "parts").mkdir(parents=True)
    (out / "parts" / "config.json").write_text('{"beta": 0.2}')
    result = subprocess.run(
        _simulate("--out", str(out), "--resume"), capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "different configuration" in result.stderr
    assert "Traceback" not in result.stderr
