"""The sweep's draws, splits, scaling and predictions computed directly give the numbers
scikit-learn's make_classification, train_test_split and StandardScaler and what_if_scores's
tables gave, to the bit: each sweep runs twice, once with those reference implementations
patched in."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from simulate import run_sweep
from tests.simulate.analysis.test_prediction_arrays import by_what_if_scores
from tests.simulate.data.test_splits import reference_draw

PREDICTORS = ("threshold", "threshold-k", "bayes", "hull", "no-change")
SWEEPS = {
    "logreg": {
        "model": "logreg",
        "n_samples": 3_000,
        "beta": 0.05,
        "alphas": (1.0, 3.0, 9.0),
        "seps": (0.3, 1.5),
        "reps": 3,
        "flip_y": (0.0, 0.1),
    },
    "hgb": {
        "model": "hgb",
        "n_samples": 1_500,
        "beta": 0.05,
        "alphas": (1.0, 5.0),
        "seps": (1.0,),
        "reps": 2,
    },
    "tree": {"model": "tree", "n_samples": 2_000, "alphas": (1.0, 9.0), "seps": (0.5,), "reps": 3},
    "real": {
        "model": "logreg",
        "dataset": ("breast_cancer",),
        "beta": 0.09,
        "alphas": (1.0, 4.0),
        "reps": 2,
    },
}


def _train_test_split_rows(n_rows, test_size, seed, *, stratify=None):
    return train_test_split(
        np.arange(n_rows), test_size=test_size, random_state=seed, stratify=stratify
    )


def _scalers_mean_and_scale(X):
    scaler = StandardScaler().fit(X)
    return scaler.mean_, scaler.scale_


@pytest.mark.parametrize("sweep", list(SWEEPS))
def test_a_sweep_is_the_reference_implementations_to_the_bit(sweep, monkeypatch):
    settings = dict(SWEEPS[sweep])
    if settings["model"] != "tree":
        settings |= {"predictors": PREDICTORS, "bootstrap": 20}
    run = run_sweep(n_jobs=1, progress=False, **settings)
    with monkeypatch.context() as patched:
        patched.setattr("simulate.data.splits._classification", reference_draw)
        patched.setattr("simulate.data.splits.split_rows", _train_test_split_rows)
        patched.setattr("simulate.models.registry._mean_and_scale", _scalers_mean_and_scale)
        patched.setattr("simulate.sweep.predict_weights", by_what_if_scores)
        reference = run_sweep(n_jobs=1, progress=False, **settings)
    pd.testing.assert_frame_equal(run.fits, reference.fits, check_exact=True)
    if run.validation is not None or reference.validation is not None:
        pd.testing.assert_frame_equal(run.validation, reference.validation, check_exact=True)
