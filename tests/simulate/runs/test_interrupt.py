"""Real runs, stopped and disturbed: resumes equal uninterrupted runs, every stop is one line, no
half-written file is ever left in place, no worker outlives the run, and one writer per folder."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from simulate import load_run

ARGS = [
    "--beta", "0.05", "--alphas", "1:19:4", "--seps", "0.3,1,2,3",
    "--n-samples", "2000", "--n-features", "6", "--n-informative", "3",
    "--engine", "sklearn", "--no-plots", "--quiet",
]  # fmt: skip
FINISHED = {"fits.parquet", "summary.csv", "run.json"}
#: Longest wait for a run to reach the point a test stops it at.
PATIENCE = 120
#: Longest a worker may outlive its parent.
WORKER_GRACE = 10


def _simulate(*extra: str, reps: int = 3, jobs: int = 1) -> list[str]:
    return [
        sys.executable, "-m", "simulate", *ARGS, "--reps", str(reps), "--n-jobs", str(jobs), *extra
    ]  # fmt: skip


def _start(out: Path, *extra: str, reps: int = 3, jobs: int = 1) -> subprocess.Popen:
    """A run into ``out`` in a session of its own, as a terminal's foreground job would be."""
    return subprocess.Popen(
        _simulate("--out", str(out), *extra, reps=reps, jobs=jobs),
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait_for_chunks(out: Path, count: int = 1) -> None:
    deadline = time.monotonic() + PATIENCE
    while len(list((out / "parts").glob("*.npz"))) < count:
        assert time.monotonic() < deadline, "the run saved no chunk in time"
        time.sleep(0.05)


def _mid_run(out: Path) -> tuple[subprocess.Popen, set[int]]:
    """A run on two workers into ``out``, once it has saved a chunk, and its processes."""
    process = _start(out, reps=40, jobs=2)
    _wait_for_chunks(out)
    return process, _descendants(process.pid)


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def _children(pid: int) -> dict[int, int]:
    """Parent of every process, by process id (Linux /proc)."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    return parents


def _descendants(pid: int) -> set[int]:
    parents = _children(pid)
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _survivors(processes: set[int]) -> list[int]:
    """The processes still running after up to :data:`WORKER_GRACE` seconds."""
    deadline = time.monotonic() + WORKER_GRACE
    while any(_alive(pid) for pid in processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    return [pid for pid in processes if _alive(pid)]


def _uninterrupted(tmp_path: Path, reps: int = 3) -> pd.DataFrame:
    whole = tmp_path / "whole"
    subprocess.run(_simulate("--out", str(whole), reps=reps), check=True, capture_output=True)
    return load_run(whole).fits


@pytest.mark.slow
def test_sigkill_then_resume_equals_an_uninterrupted_run(tmp_path):
    killed = tmp_path / "killed"
    process = _start(killed)
    _wait_for_chunks(killed)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    parts = killed / "parts"
    saved = sorted(parts.glob("*.npz"))
    assert 1 <= len(saved) < 4, "the kill should land midway"
    assert not FINISHED & {p.name for p in killed.iterdir()}

    refused = subprocess.run(_simulate("--out", str(killed)), capture_output=True, text=True)
    assert refused.returncode == 2
    assert "--resume" in refused.stderr

    saved[0].write_bytes(saved[0].read_bytes()[:40])
    (parts / "notes.txt").write_text("a stray file")
    resumed = subprocess.run(
        _simulate("--out", str(killed), "--resume"), capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    assert _one_line(resumed.stderr) == (
        f"1 chunk files in {killed} are damaged or hold another configuration's or another "
        "chunk's counts; computing them again"
    )
    pd.testing.assert_frame_equal(load_run(killed).fits, _uninterrupted(tmp_path))
    assert {p.name for p in killed.iterdir()} == FINISHED


@pytest.mark.slow
def test_resume_with_other_settings_is_refused(tmp_path):
    out = tmp_path / "run"
    (out / "parts").mkdir(parents=True)
    (out / "parts" / "config.json").write_text('{"beta": 0.2}')
    (out / "parts" / "flip000-data000-rep000000-000003.npz").write_bytes(b"")
    result = subprocess.run(
        _simulate("--out", str(out), "--resume"), capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "different configuration" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_a_second_writer_is_refused_while_the_first_runs(tmp_path):
    out = tmp_path / "run"
    first = _start(out, reps=40)
    _wait_for_chunks(out)
    second = subprocess.run(
        _simulate("--out", str(out), "--seed", "8", "--force"), capture_output=True, text=True
    )
    assert second.returncode == 2
    assert second.stderr.strip().splitlines()[-1] == (
        f"python -m simulate: error: The output directory {str(out)!r} is in use by another run. "
        "(see python -m simulate --help)"
    )
    assert first.wait(PATIENCE) == 0, first.stderr.read()
    run = load_run(out)
    assert run.run["config"]["seed"] == 0
    assert (run.fits[["tp", "fp", "fn", "tn"]].sum(axis=1) == run.run["n_test"]).all()


@pytest.mark.slow
def test_workers_exit_when_their_parent_is_killed(tmp_path):
    process, workers = _mid_run(tmp_path / "run")
    assert len(workers) >= 2
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert not _survivors(workers), "workers outlived their parent"


@pytest.mark.slow
def test_ctrl_c_mid_run_is_one_line_and_the_run_resumes(tmp_path):
    out = tmp_path / "run"
    process, helpers = _mid_run(out)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=PATIENCE)
    assert process.returncode == 130
    assert not _survivors(helpers), "workers or resource trackers outlived the run"
    kept = len(list((out / "parts").glob("*.npz")))
    chunks = "1 finished chunk is" if kept == 1 else f"{kept} finished chunks are"
    assert _one_line(stderr) == (
        f"interrupted; {chunks} kept in {out}; rerun with --resume to continue"
    )
    resumed = subprocess.run(
        _simulate("--out", str(out), "--resume", reps=40, jobs=2), capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    pd.testing.assert_frame_equal(load_run(out).fits, _uninterrupted(tmp_path, reps=40))


@pytest.mark.slow
def test_ctrl_c_while_starting_is_one_line(tmp_path):
    process = _start(tmp_path / "run")
    time.sleep(0.3)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=PATIENCE)
    assert process.returncode == 130
    line = _one_line(stderr)
    assert line.startswith("interrupted")
    assert "nothing was" in line
    assert not (tmp_path / "run").exists()


@pytest.mark.slow
def test_sigterm_shuts_down_cleanly(tmp_path):
    out = tmp_path / "run"
    process, workers = _mid_run(out)
    process.terminate()
    _, stderr = process.communicate(timeout=PATIENCE)
    assert process.returncode == 143
    assert _one_line(stderr).startswith("terminated; ")
    assert "leaked" not in stderr
    assert not _survivors(workers)
    config = json.loads((out / "parts" / "config.json").read_text())
    assert config["reps"] == 40
