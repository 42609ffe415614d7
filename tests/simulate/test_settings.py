"""The API and the commands share one declaration of every sweep setting.

A run started by one resumes in the other, and each command's defaults are the API's.
"""

import dataclasses

import pandas as pd
import pytest

import simulate.commands.fidelity
import simulate.commands.sweep
import simulate.sweep as sweep
from params.settings import settings_from_arguments
from simulate import SweepConfig, load_run, run_sweep
from simulate.runs.backends import ParallelConfig

#: A small sweep on the default weights (15 of them), whose defaults once differed between the
#: API and the command; the flags below say the same as these settings.
SETTINGS = {"beta": 0.05, "seps": (1.0,), "reps": 2, "n_samples": 800, "engine": "sklearn"}
FLAGS = ["--beta", "0.05", "--seps", "1", "--reps", "2", "--n-samples", "800"]
FLAGS += ["--engine", "sklearn", "--n-jobs", "1", "--quiet", "--no-plots"]


class ChunkCounter:
    """Stands in for :func:`simulate.sweep.run_chunk`: counts chunks, and can interrupt."""

    def __init__(self, run_chunk, interrupt_after: int | None) -> None:
        self.interrupt_after = interrupt_after
        self.chunks = []
        self._run_chunk = run_chunk

    def __call__(self, config, chunk):
        if len(self.chunks) == self.interrupt_after:
            raise KeyboardInterrupt
        self.chunks.append(chunk)
        return self._run_chunk(config, chunk)


@pytest.fixture
def one_dataset_chunks(monkeypatch):
    """Chunks of one dataset each; returns a function that installs a :class:`ChunkCounter`."""
    monkeypatch.setattr(sweep, "MAX_CHUNK_REPS", 1)
    run_chunk = sweep.run_chunk

    def install(interrupt_after: int | None = None) -> ChunkCounter:
        counter = ChunkCounter(run_chunk, interrupt_after)
        monkeypatch.setattr(sweep, "run_chunk", counter)
        return counter

    return install


def _uninterrupted() -> pd.DataFrame:
    return run_sweep(SweepConfig(**SETTINGS), n_jobs=1, progress=False).fits


def test_an_api_run_resumes_from_the_command_line(tmp_path, one_dataset_chunks):
    one_dataset_chunks(interrupt_after=1)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(n_jobs=1, progress=False, out=tmp_path, **SETTINGS)
    counter = one_dataset_chunks()
    assert simulate.commands.sweep.main([*FLAGS, "--out", str(tmp_path), "--resume"]) == 0
    assert len(counter.chunks) == 1, "the command computes only the chunk the API did not"
    pd.testing.assert_frame_equal(load_run(tmp_path).fits, _uninterrupted())


def test_a_command_line_run_resumes_from_the_api(tmp_path, one_dataset_chunks, capsys):
    one_dataset_chunks(interrupt_after=1)
    assert simulate.commands.sweep.main([*FLAGS, "--out", str(tmp_path)]) == 130
    assert "rerun with --resume" in capsys.readouterr().err
    counter = one_dataset_chunks()
    resumed = run_sweep(n_jobs=1, progress=False, out=tmp_path, resume=True, **SETTINGS)
    assert len(counter.chunks) == 1, "the API computes only the chunk the command did not"
    pd.testing.assert_frame_equal(resumed.fits, _uninterrupted())


def test_defaults_of_simulate_are_the_apis():
    args = simulate.commands.sweep.build_parser().parse_args([])
    assert SweepConfig(**settings_from_arguments(SweepConfig, args)) == SweepConfig()
    assert ParallelConfig(**settings_from_arguments(ParallelConfig, args)) == ParallelConfig()


def test_defaults_of_fidelity_are_the_apis():
    args = simulate.commands.fidelity.build_parser().parse_args([])
    given = SweepConfig(**settings_from_arguments(SweepConfig, args))
    assert given == SweepConfig(reps=simulate.commands.fidelity.DEFAULT_REPS)
    assert args.n_jobs == ParallelConfig().n_jobs


def test_every_declared_setting_has_a_flag():
    destinations = {action.dest for action in simulate.commands.sweep.build_parser()._actions}
    for declaring in (SweepConfig, ParallelConfig):
        assert {field.name for field in dataclasses.fields(declaring)} <= destinations
