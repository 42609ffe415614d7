from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import theory
from simulate import RunData, run_sweep
from simulate.runs.folder import RunFolder
from tests.conftest import SMALL_CONFIG

#: Prevalence of the synthetic run.
BETA = 0.02
#: The synthetic run's class_sep values and the superellipse p each stands for.
SEP_TO_P = {0.5: 2.0, 1.0: 4.0, 1.5: 8.0, 2.0: 16.0}
ALPHAS = np.logspace(0.0, 2.0, 9)
SCORES = ("recall", "specificity", "precision", "f1", "balanced_accuracy")


def synthetic_summary(beta: float = BETA) -> pd.DataFrame:
    """A per-cell table whose means are the theory's (bce rule) on a known superellipse."""
    rows = []
    for class_sep, p in SEP_TO_P.items():
        expected = theory.expected_scores(ALPHAS, beta, p, rule="bce")
        for i, alpha in enumerate(ALPHAS):
            row = {"class_sep": class_sep, "alpha": alpha, "count": 5}
            for score in SCORES:
                row[f"{score}_mean"] = float(expected[score][i])
                row[f"{score}_se"] = 0.01
            rows.append(row)
    return pd.DataFrame(rows)


def write_synthetic_run(
    directory: Path,
    beta: float = BETA,
    *,
    summary: pd.DataFrame | None = None,
    config: dict | None = None,
) -> Path:
    """A finished run directory holding only summary.csv and run.json (replacing any run there).

    ``summary`` and ``config`` replace the synthetic summary and the ``{"beta": beta}``
    configuration; the files are written as a run writes them, with their checksums.
    """
    config = {"beta": beta} if config is None else config
    summary = synthetic_summary(beta) if summary is None else summary
    with RunFolder.start(directory, config, force=True) as folder:
        folder.finish(RunData(fits=None, summary=summary, run={"config": config}))
    return directory


@pytest.fixture
def summary() -> pd.DataFrame:
    return synthetic_summary()


@pytest.fixture
def synthetic_run(tmp_path) -> Path:
    return write_synthetic_run(tmp_path / "synthetic-run")


@pytest.fixture(scope="session")
def small_run(tmp_path_factory) -> Path:
    """A real sweep, small enough to run in about a second with the sklearn engine."""
    out = tmp_path_factory.mktemp("plots") / "run"
    run_sweep(SMALL_CONFIG, n_jobs=1, out=out, progress=False)
    return out


@pytest.fixture(scope="session")
def small_model_runs(tmp_path_factory) -> Path:
    """A folder of two small real runs, a tree's and a logistic regression's."""
    folder = tmp_path_factory.mktemp("models")
    run_sweep(SMALL_CONFIG, n_jobs=1, out=folder / "tree", progress=False)
    run_sweep(SMALL_CONFIG, model="logreg", n_jobs=1, out=folder / "logreg", progress=False)
    return folder


@pytest.fixture(scope="session")
def small_noise_runs(tmp_path_factory) -> Path:
    """A folder of two small sweeps over label noise, a tree's and a logistic regression's."""
    folder = tmp_path_factory.mktemp("noise")
    for model in ("tree", "logreg"):
        run_sweep(
            SMALL_CONFIG,
            model=model,
            flip_y=(0.0, 0.05),
            n_jobs=1,
            out=folder / model,
            progress=False,
        )
    return folder


@pytest.fixture(scope="session")
def small_dataset_runs(tmp_path_factory) -> Path:
    """A folder of two small sweeps over two shipped data sets, a tree's and a logistic
    regression's."""
    folder = tmp_path_factory.mktemp("datasets")
    settings = {"dataset": ("breast_cancer", "digits:8"), "beta": 0.09, "alphas": (1.0, 4.0, 10.0)}
    for model in ("tree", "logreg"):
        run_sweep(**settings, model=model, reps=2, n_jobs=1, out=folder / model, progress=False)
    return folder
