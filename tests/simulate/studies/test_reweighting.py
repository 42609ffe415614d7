"""The reweighting study: theory.reweighted against retraining, on the same seeded splits."""

import numpy as np
import pandas as pd
import pytest

from params.validation import ParameterError
from simulate.studies.reweighting import (
    PREDICTORS,
    ReweightingConfig,
    mean_errors,
    reweighting_errors,
    reweighting_fits,
)

SMALL = ReweightingConfig(
    models=("logreg", "tree-proba"),
    datasets=("breast_cancer", "make_classification"),
    betas=(0.2,),
    alphas=(1.0, 5.0, 20.0),
    reps=2,
    n_samples=2000,
)


@pytest.fixture(scope="module")
def fits():
    return reweighting_fits(SMALL)


def test_every_split_model_and_weight_has_each_predictions_scores(fits):
    assert len(fits) == 2 * 2 * 2 * 3
    assert set(fits["dataset"]) == {"breast_cancer", "make_classification 20%"}
    for name in ("retrained", *PREDICTORS):
        for score in ("f1", "recall", "specificity"):
            assert fits[f"{score}_{name}"].between(0, 1).all()
    # Where k is not > 0 (a tree of one leaf on breast_cancer's 176 fitting rows has one score,
    # and no k), reweighted-k is the model unchanged.
    unmoved = ~(fits["k"] > 0)
    assert unmoved.any()
    columns = ["f1_reweighted-k", "recall_reweighted-k"]
    pd.testing.assert_frame_equal(
        fits.loc[unmoved, columns],
        fits.loc[unmoved, ["f1_unchanged", "recall_unchanged"]].set_axis(columns, axis=1),
    )
    # The same splits for every model: the same test positives.
    positives = fits.groupby(["dataset", "rep"])["test_positives"].nunique()
    assert (positives == 1).all()
    pd.testing.assert_frame_equal(reweighting_fits(SMALL), fits)


def test_logistic_regression_at_weight_1_is_itself_and_reweighted_follows_retraining(fits):
    logreg = fits[fits["model"] == "logreg"]
    at_one = logreg[logreg["alpha"] == 1.0]
    for name in ("reweighted", "unchanged"):
        np.testing.assert_array_equal(at_one[f"f1_{name}"], at_one["f1_retrained"])
    synthetic = logreg[logreg["dataset"].str.startswith("make_classification")]
    assert synthetic["k"].between(0.7, 1.3).all()
    moved = synthetic[synthetic["alpha"] == 20.0]
    # Retraining at 20 raises recall a long way; the reweighted model goes with it.
    assert (moved["recall_retrained"] - moved["recall_unchanged"]).min() > 0.15
    assert (moved["recall_reweighted"] - moved["recall_retrained"]).abs().max() < 0.05


def test_the_errors_are_the_splits_means(fits):
    errors = reweighting_errors(fits)
    assert len(errors) == 2 * 2 * 3
    assert (errors["splits"] == 2).all()
    row = errors[(errors["model"] == "logreg") & (errors["alpha"] == 20.0)].iloc[-1]
    cells = fits[
        (fits["model"] == "logreg") & (fits["alpha"] == 20.0) & (fits["dataset"] == row["dataset"])
    ]
    difference = cells["f1_reweighted"] - cells["f1_retrained"]
    assert row["f1_reweighted_bias"] == pytest.approx(difference.mean())
    assert row["f1_reweighted_mae"] == pytest.approx(difference.abs().mean())
    assert row["k"] == pytest.approx(cells["k"].median())
    per_model = mean_errors(errors, ["model"])
    recall = [f"{name}_recall" for name in PREDICTORS]
    assert list(per_model.columns) == ["model", "k", *PREDICTORS, *recall]
    logreg = errors[errors["model"] == "logreg"]
    assert per_model.iloc[0]["reweighted"] == pytest.approx(logreg["f1_reweighted_mae"].mean())
    bias = logreg["recall_unchanged_bias"].mean()
    assert per_model.iloc[0]["unchanged_recall"] == pytest.approx(bias)
    assert per_model.iloc[0]["k"] == pytest.approx(logreg["k"].median())


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"models": ("svm",)}, "'models'"),
        ({"datasets": ("iris",)}, "'datasets'"),
        ({"alphas": (0.0,)}, "'alphas'"),
        ({"betas": (1.0,)}, "'betas'"),
        ({"reps": 0}, "'reps'"),
    ],
)
def test_bad_settings_are_refused_by_name(settings, named):
    with pytest.raises(ParameterError, match=named):
        ReweightingConfig(**settings)


def test_too_few_positives_are_refused_before_any_fit():
    with pytest.raises(ValueError, match="raise n_samples or the smallest beta"):
        ReweightingConfig(n_samples=500, betas=(0.01, 0.2))
