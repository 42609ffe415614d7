import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import metrics

from theory.scores import (
    SCORE_NAMES,
    confusion_scores,
    expected_confusion,
    fbeta_name,
    score_function,
)

counts = st.integers(min_value=0, max_value=500)


def _labels(tp, fp, fn, tn):
    y_true = np.array([1] * tp + [0] * fp + [1] * fn + [0] * tn)
    y_pred = np.array([1] * tp + [1] * fp + [0] * fn + [0] * tn)
    return y_true, y_pred


@given(counts, counts, counts, counts)
def test_scores_match_scikit_learn(tp, fp, fn, tn):
    if tp + fp + fn + tn == 0:
        return
    y_true, y_pred = _labels(tp, fp, fn, tn)
    scores = confusion_scores(tp, fp, fn, tn, fbeta=2.0)
    zero = {"zero_division": 0, "labels": [0, 1]}
    assert scores["precision"] == pytest.approx(metrics.precision_score(y_true, y_pred, **zero))
    assert scores["recall"] == pytest.approx(metrics.recall_score(y_true, y_pred, **zero))
    assert scores["f1"] == pytest.approx(metrics.f1_score(y_true, y_pred, **zero))
    assert scores["f2"] == pytest.approx(metrics.fbeta_score(y_true, y_pred, beta=2.0, **zero))
    assert scores["accuracy"] == pytest.approx(metrics.accuracy_score(y_true, y_pred))
    assert scores["mcc"] == pytest.approx(
        metrics.matthews_corrcoef(y_true, y_pred) if len(set(y_true) | set(y_pred)) > 1 else 0.0,
        abs=1e-12,
    )
    if tp + fn > 0 and tn + fp > 0:
        expected = metrics.balanced_accuracy_score(y_true, y_pred)
        assert scores["balanced_accuracy"] == pytest.approx(expected)
        assert scores["hter"] == pytest.approx(1 - expected)


@given(counts, counts, counts, counts, st.floats(0.01, 100))
def test_scores_are_scale_free_and_bounded(tp, fp, fn, tn, scale):
    scores = confusion_scores(tp, fp, fn, tn)
    scaled = confusion_scores(tp * scale, fp * scale, fn * scale, tn * scale)
    for name in SCORE_NAMES:
        assert scaled[name] == pytest.approx(scores[name], abs=1e-12)
        low = -1.0 if name == "mcc" else 0.0
        assert low <= scores[name] <= 1.0


def test_f1_closed_form_of_the_post():
    beta, x, z = 0.01, np.linspace(0.05, 0.95, 7), np.linspace(0.99, 0.5, 7)
    scores = confusion_scores(*expected_confusion(x, z, beta))
    np.testing.assert_allclose(scores["f1"], 2 * beta * x / (beta * x + beta * z + 1 - z))
    np.testing.assert_allclose(scores["gmean"], np.sqrt(x * z))


def test_zero_division_gives_zero():
    scores = confusion_scores(0, 0, 5, 10)
    assert scores["precision"] == 0.0
    assert scores["f1"] == 0.0
    assert scores["mcc"] == 0.0


def test_broadcasting():
    scores = confusion_scores(np.arange(3)[:, None], 1.0, np.arange(4), 2.0)
    assert all(value.shape == (3, 4) for value in scores.values())


def test_fbeta_names_and_lookup():
    assert fbeta_name(2.0) == "f2"
    assert fbeta_name(0.5) == "f0.5"
    assert score_function("f1", "f")(1.0, 1.0, 0.0, 0.0) == pytest.approx(2 / 3)
    assert score_function("f0.5", "f")(1.0, 0.0, 1.0, 0.0) == pytest.approx(1.25 / 1.5)


def test_bad_input():
    with pytest.raises(
        ValueError,
        match=r"^The 'metric' parameter of caller must be one of 'recall', 'specificity', .*, "
        r"'hter' or 'f<b>' with b in \(0, 1e\+100\]\. Got 'f1x' instead\.$",
    ):
        score_function("f1x", "caller")
    with pytest.raises(ValueError, match=r"'f<b>' with b in \(0, 1e\+100\]\. Got 'f1111"):
        score_function("f" + "1" * 400, "caller")
    with pytest.raises(ValueError, match=r"'tp' parameter of confusion_scores .*\[0, inf\)"):
        confusion_scores(-1, 0, 0, 0)
    with pytest.raises(ValueError, match="'fbeta'"):
        confusion_scores(1, 0, 0, 0, fbeta=0.0)
