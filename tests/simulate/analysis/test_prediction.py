import numpy as np
import pandas as pd
import pytest

import theory
from simulate.analysis.prediction import (
    DEFAULT_PREDICTORS,
    NO_CHANGE,
    PREDICTED_SCORES,
    PREDICTORS,
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


def test_predictions_are_what_if_scores_per_predictor():
    y, scores = _validation()
    alphas = np.array([1.0, 4.0, 30.0])
    names = tuple(PREDICTORS)
    predicted = predict_weights(y, scores, alphas, beta=0.04, predictors=names)
    assert predicted.shape == (len(names), 3, len(PREDICTED_SCORES), 1)
    for i, name in enumerate(names):
        predictor = PREDICTORS[name]
        if predictor is None or predictor.measured:  # measured k: its own test
            continue
        try:
            table = theory.what_if_scores(
                y,
                scores,
                alphas,
                beta=0.04,
                rule=predictor.rule,
                smooth=predictor.smooth,
                probabilities=predictor.probabilities,
            ).table
        except ValueError:  # the model at an end of a curve the predictor reads a slope of
            assert np.isnan(predicted[i]).all(), name
            continue
        expected = table[list(PREDICTED_SCORES)].to_numpy()
        np.testing.assert_array_equal(predicted[i, :, :, 0], expected, err_msg=name)
    first = ["predicted_recall_bce", "predicted_specificity_bce", "predicted_f1_bce"]
    assert predicted_columns(DEFAULT_PREDICTORS)[:3] == first


def test_no_change_predicts_the_validation_point_at_every_weight():
    y, scores = _validation()
    predicted = predict_weights(y, scores, np.array([1.0, 9.0]), 0.04, predictors=(NO_CHANGE,))
    counts = confusion_counts(y, scores >= 0.5)
    recall = counts[0] / (counts[0] + counts[2])
    specificity = counts[3] / (counts[1] + counts[3])
    f1 = theory.confusion_scores(
        0.04 * recall, 0.96 * (1 - specificity), 0.04 * (1 - recall), 0.96 * specificity
    )["f1"]
    for row in predicted[0, :, :, 0]:
        np.testing.assert_allclose(row, [recall, specificity, f1])


def test_bootstrap_intervals_hold_their_prediction_and_are_reproducible():
    y, scores = _validation(n=600)
    alphas = np.array([1.0, 5.0])
    args = (y, scores, alphas, 0.05)
    predicted = predict_weights(*args, predictors=("hull",), bootstrap=50, seed=3)
    assert predicted.shape == (1, 2, len(PREDICTED_SCORES), 3)
    _, low, high = np.moveaxis(predicted[0], -1, 0)
    assert np.all(low <= high)
    np.testing.assert_array_equal(
        predicted, predict_weights(*args, predictors=("hull",), bootstrap=50, seed=3)
    )
    names = predicted_columns(("hull",), intervals=True)
    assert names[:3] == [
        "predicted_recall_hull",
        "predicted_recall_hull_low",
        "predicted_recall_hull_high",
    ]


def test_a_predictor_that_cannot_place_the_model_predicts_nan():
    y, scores = _validation()
    scores = scores * 0.4  # no validation row reaches the threshold 0.5
    names = ("bce", "bayes", "hull-slope")
    predicted = predict_weights(y, scores, np.array([1.0, 10.0]), beta=0.05, predictors=names)
    assert np.isnan(predicted[0]).all()
    assert np.isfinite(predicted[1]).all()
    assert np.isnan(predicted[2]).all()


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


def test_prediction_error_per_predictor_and_weight():
    error = prediction_error(_fits_with_predictions()).set_index(["predictor", "alpha"])
    assert error.loc[("bce", 1.0), "f1_mae"] == pytest.approx(0.2)
    assert error.loc[("bce", 1.0), "f1_bias"] == pytest.approx(-0.1)
    assert error.loc[("bce", 5.0), "recall_bias"] == pytest.approx(0.2)
    assert error.loc[("bayes", 1.0), "predicted"] == 1
    assert error.loc[("bayes", 1.0), "failed"] == 1
    assert error.loc[("bayes", 1.0), "f1_mae"] == pytest.approx(0.1)
    assert error.loc[("bayes", 5.0), "specificity_bias"] == pytest.approx(-0.1)
    assert "f1_coverage" not in error.columns


def test_prediction_error_by_group_with_coverage():
    fits = _fits_with_predictions()
    fits["dataset"] = ["a", "b", "a", "b"]
    for score in PREDICTED_SCORES:
        fits[f"predicted_{score}_bce_low"] = fits[score] - np.array([0.05, 0.0, 0.3, 0.1])
        fits[f"predicted_{score}_bce_high"] = fits[score] + np.array([0.05, 0.0, -0.1, 0.1])
    error = prediction_error(fits, by=["dataset"]).set_index(["dataset", "predictor", "alpha"])
    assert error.loc[("a", "bce", 1.0), "f1_mae"] == pytest.approx(0.1)
    assert error.loc[("b", "bce", 1.0), "f1_bias"] == pytest.approx(-0.3)
    assert error.loc[("a", "bce", 1.0), "f1_coverage"] == 1.0
    assert error.loc[("a", "bce", 5.0), "f1_coverage"] == 0.0  # the interval ends below
    assert error.loc[("b", "bce", 5.0), "recall_coverage"] == 1.0


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


def test_a_measured_predictor_reads_k_off_the_calibration_retrain():
    from simulate.analysis.prediction import calibration_weight, measured_movement
    from theory.movement import movement_at_count

    assert calibration_weight(np.array([1.0, 2.0, 4.0, 20.0])) == 2
    assert calibration_weight(np.array([1.0, 8.0, 100.0])) == 1
    assert calibration_weight(np.array([1.0])) is None
    y, scores = _validation()
    alphas = np.array([1.0, 5.0, 30.0])
    positives = int(np.sum(scores >= 0.3))  # the retrained model at 5 predicts these positive
    counts = np.zeros((3, 4), dtype=np.int64)
    counts[1, :2] = (positives - 3, 3)  # tp + fp at the calibration weight
    k = measured_movement(scores, alphas, counts)
    assert k == movement_at_count(scores, positives, alpha=5.0).k
    assert np.isnan(measured_movement(scores, np.array([1.0]), counts[:1]))
    predicted = predict_weights(y, scores, alphas, 0.05, predictors=("threshold-k",), movement=k)
    table = theory.what_if_scores(y, scores, alphas, beta=0.05, movement=k, metrics=()).table
    np.testing.assert_array_equal(predicted[0, :, :, 0], table[list(PREDICTED_SCORES)])
    # At the calibration weight the prediction predicts that many validation rows positive.
    share = (y.mean() * predicted[0, 1, 0, 0]) + (1 - y.mean()) * (1 - predicted[0, 1, 1, 0])
    assert share * y.size == pytest.approx(positives, abs=1)
    missing = predict_weights(y, scores, alphas, 0.05, predictors=("threshold-k",))
    assert np.isnan(missing).all()
