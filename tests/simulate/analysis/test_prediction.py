import numpy as np
import pandas as pd
import pytest

import theory
from simulate.analysis.prediction import (
    PREDICTED_SCORES,
    PREDICTION_RULES,
    predict_weights,
    predicted_columns,
)
from simulate.analysis.summary import per_cell, prediction_error, weighting_vs_thresholding
from simulate.analysis.thresholding import tuned_threshold
from theory.scores import confusion_counts


def _validation(seed: int = 0, n: int = 2000, prevalence: float = 0.05):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < prevalence).astype(np.int64)
    logit = np.where(y == 1, 1.0, -3.5) + rng.normal(size=n)
    return y, 1.0 / (1.0 + np.exp(-logit))


def test_predictions_are_what_if_scores_per_rule():
    y, scores = _validation()
    alphas = np.array([1.0, 4.0, 30.0])
    predicted = predict_weights(y, scores, alphas, beta=0.04)
    assert predicted.shape == (len(PREDICTION_RULES), 3, len(PREDICTED_SCORES))
    for i, rule in enumerate(PREDICTION_RULES):
        table = theory.what_if_scores(y, scores, alphas, beta=0.04, rule=rule).table
        np.testing.assert_array_equal(predicted[i], table[list(PREDICTED_SCORES)].to_numpy())
    first = ["predicted_recall_bce", "predicted_specificity_bce", "predicted_f1_bce"]
    assert predicted_columns()[:3] == first


def test_a_rule_that_cannot_place_the_model_predicts_nan():
    y, scores = _validation()
    scores = scores * 0.4  # no validation row reaches the threshold 0.5
    predicted = predict_weights(y, scores, np.array([1.0, 10.0]), beta=0.05)
    assert np.isnan(predicted[PREDICTION_RULES.index("bce")]).all()
    assert np.isfinite(predicted[PREDICTION_RULES.index("bayes")]).all()


def _fits_with_predictions() -> pd.DataFrame:
    """Four fits of two cells with known errors (bce: +0.1 and -0.3 on F1; bayes: one missing)."""
    fits = pd.DataFrame(
        {
            "class_sep": [1.0, 1.0, 1.0, 1.0],
            "alpha": [1.0, 1.0, 5.0, 5.0],
            "rep": [0, 1, 0, 1],
            "recall": [0.5, 0.6, 0.8, 0.9],
            "specificity": [0.99, 0.98, 0.95, 0.9],
            "precision": [0.4, 0.3, 0.2, 0.1],
            "f1": [0.4, 0.5, 0.3, 0.2],
            "balanced_accuracy": [0.7, 0.7, 0.8, 0.8],
        }
    )
    for score in PREDICTED_SCORES:
        fits[f"predicted_{score}_bce"] = fits[score] + np.array([0.1, -0.3, 0.2, 0.2])
        fits[f"predicted_{score}_bayes"] = fits[score] + np.array([np.nan, 0.1, -0.1, -0.1])
    return fits


def test_prediction_error_per_rule_and_weight():
    error = prediction_error(_fits_with_predictions()).set_index(["rule", "alpha"])
    assert error.loc[("bce", 1.0), "f1_mae"] == pytest.approx(0.2)
    assert error.loc[("bce", 1.0), "f1_bias"] == pytest.approx(-0.1)
    assert error.loc[("bce", 5.0), "recall_bias"] == pytest.approx(0.2)
    assert error.loc[("bayes", 1.0), "predicted"] == 1
    assert error.loc[("bayes", 1.0), "failed"] == 1
    assert error.loc[("bayes", 1.0), "f1_mae"] == pytest.approx(0.1)
    assert error.loc[("bayes", 5.0), "specificity_bias"] == pytest.approx(-0.1)


def test_the_summary_carries_the_prediction_error_per_cell():
    summary = per_cell(_fits_with_predictions()).set_index("alpha")
    assert summary.loc[1.0, "f1_bce_bias"] == pytest.approx(-0.1)
    assert summary.loc[1.0, "f1_bce_mae"] == pytest.approx(0.2)
    assert summary.loc[1.0, "predicted_f1_bce_mean"] == pytest.approx(0.45 - 0.1)
    assert summary.loc[1.0, "predicted_bayes_count"] == 1
    assert summary.loc[5.0, "predicted_bayes_count"] == 2


def test_a_tree_sweep_has_no_prediction_error(small_sweep):
    assert prediction_error(small_sweep.fits).empty
    assert not any(column.startswith("predicted") for column in small_sweep.summary.columns)


def test_the_tuned_threshold_is_the_brute_force_best():
    rng = np.random.default_rng(11)
    for _ in range(20):
        y = (rng.random(300) < 0.1).astype(np.int64)
        scores = np.round(rng.random(300) + 0.3 * y, 2)  # ties among the scores
        threshold = tuned_threshold(y, scores)
        candidates = np.unique(scores)
        f1 = [theory.confusion_scores(*confusion_counts(y, scores >= t))["f1"] for t in candidates]
        best = max(f1)
        predicted = scores >= threshold
        assert theory.confusion_scores(*confusion_counts(y, predicted))["f1"] == best
        highest = candidates[np.flatnonzero(np.isclose(f1, best))[-1]]
        assert threshold <= highest
        assert not np.any((scores < highest) & (scores >= threshold))  # halfway to the next


def test_a_threshold_with_no_positive_to_find_is_infinite():
    assert tuned_threshold(np.zeros(5, dtype=np.int64), np.linspace(0, 1, 5)) == np.inf


def test_weighting_against_thresholding_per_dataset():
    fits = pd.DataFrame(
        {
            "class_sep": [1.0] * 4,
            "rep": [0, 0, 1, 1],
            "alpha": [1.0, 5.0, 1.0, 5.0],
            "f1": [0.3, 0.5, 0.4, 0.2],
            "val_f1": [0.2, 0.6, 0.5, 0.5],  # rep 1 ties: the smaller weight is chosen
            "tuned_f1": [0.45, 0.45, 0.4, 0.4],
        }
    )
    table = weighting_vs_thresholding(fits).set_index("class_sep")
    assert table.loc[1.0, "f1_weighted"] == pytest.approx((0.5 + 0.4) / 2)
    assert table.loc[1.0, "f1_tuned"] == pytest.approx(0.425)
    assert table.loc[1.0, "difference"] == pytest.approx((0.05 + 0.0) / 2)
    assert table.loc[1.0, "weighted_wins"] == pytest.approx(0.75)
    assert table.loc[1.0, "f1_at_1"] == pytest.approx(0.35)
    assert table.loc["all", "datasets"] == 2
