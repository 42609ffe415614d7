"""A study's sweeps, each in its own folder: run, read back on resume, refused if changed."""

import pandas as pd
import pytest

import simulate.studies.sweeps as study_sweeps
from simulate import load_run
from simulate.config import SweepConfig
from simulate.studies.sweeps import run_sweeps

#: Two small tree sweeps.
SWEEPS = {
    f"tree-beta{beta:g}": SweepConfig(
        beta=beta, alphas=(1.0, 4.0), seps=(1.0,), reps=2, n_samples=1000
    )
    for beta in (0.1, 0.2)
}


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    out = tmp_path_factory.mktemp("study")
    return out, run_sweeps(SWEEPS, out, n_jobs=1, progress=False)


def test_each_sweep_runs_into_its_own_folder(finished):
    out, runs = finished
    assert list(runs) == list(SWEEPS)
    for label, config in SWEEPS.items():
        saved = load_run(out / label)
        assert SweepConfig.from_dict(saved.run["config"]) == config
        pd.testing.assert_frame_equal(saved.fits, runs[label].fits)


def test_a_resumed_study_reads_its_finished_sweeps_back(finished, monkeypatch):
    out, runs = finished

    def refuse(*args, **kwargs):
        raise AssertionError("a finished sweep was run again")

    monkeypatch.setattr(study_sweeps, "run_sweep", refuse)
    again = run_sweeps(SWEEPS, out, n_jobs=1, progress=False, resume=True)
    for label in SWEEPS:
        pd.testing.assert_frame_equal(again[label].fits, runs[label].fits)
    other = {
        label: SweepConfig.from_dict({**config.to_dict(), "seed": 9})
        for label, config in SWEEPS.items()
    }
    with pytest.raises(ValueError, match="other settings than the study's"):
        run_sweeps(other, out, n_jobs=1, progress=False, resume=True)


def test_a_default_number_of_repetitions_reads_back_as_the_number_it_stands_for(tmp_path):
    sweeps = {
        "logreg": SweepConfig(
            model="logreg", beta=0.2, alphas=(1.0, 4.0), seps=(1.0,), n_samples=500
        )
    }
    assert sweeps["logreg"].reps is None
    first = run_sweeps(sweeps, tmp_path, n_jobs=1, progress=False)
    again = run_sweeps(sweeps, tmp_path, n_jobs=1, progress=False, resume=True)
    pd.testing.assert_frame_equal(again["logreg"].fits, first["logreg"].fits)
