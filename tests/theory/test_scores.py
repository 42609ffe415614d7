import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn import metrics

from theory.scores import (
    SCORE_NAMES,
    confusion_counts,
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


def test_confusion_counts_match_scikit_learn():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 2, 200), rng.integers(0, 2, 200)
    tn, fp, fn, tp = metrics.confusion_matrix(y_true, y_pred).ravel()
    np.testing.assert_array_equal(confusion_counts(y_true, y_pred), [tp, fp, fn, tn])


def test_confusion_counts_count_each_row_of_predictions():
    rng = np.random.default_rng(1)
    y_true, y_pred = rng.integers(0, 2, 50), rng.integers(0, 2, (2, 3, 50))
    counts = confusion_counts(y_true, y_pred)
    assert counts.shape == (2, 3, 4) and counts.dtype == np.int64
    for index in np.ndindex(2, 3):
        tn, fp, fn, tp = metrics.confusion_matrix(y_true, y_pred[index], labels=[0, 1]).ravel()
        np.testing.assert_array_equal(counts[index], [tp, fp, fn, tn])


@given(counts, counts, counts, counts)
@pytest.mark.slow
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
        r"'hter', 'cost' or 'f<b>' with b in \(0, 1e\+100\]\. Got 'f1x' instead\.$",
    ):
        score_function("f1x", "caller")
    with pytest.raises(ValueError, match=r"'f<b>' with b in \(0, 1e\+100\]\. Got 'f1111"):
        score_function("f" + "1" * 400, "caller")
    with pytest.raises(ValueError, match=r"'tp' parameter of confusion_scores .*\[0, inf\)"):
        confusion_scores(-1, 0, 0, 0)
    with pytest.raises(ValueError, match="'fbeta'"):
        confusion_scores(1, 0, 0, 0, fbeta=0.0)


@given(counts, counts, counts, counts, st.floats(0.01, 100), st.floats(0.01, 100))
def test_cost_is_the_priced_errors_per_sample(tp, fp, fn, tn, cost_fn, cost_fp):
    if tp + fp + fn + tn == 0:
        return
    scores = confusion_scores(tp, fp, fn, tn, cost_fn=cost_fn, cost_fp=cost_fp)
    expected = (cost_fn * fn + cost_fp * fp) / (tp + fp + fn + tn)
    assert scores["cost"] == pytest.approx(expected, rel=1e-12, abs=1e-300)
    priced = score_function("cost", "f", cost_fn=cost_fn, cost_fp=cost_fp)
    assert priced(tp, fp, fn, tn) == scores["cost"]
    # Unpriced, the cost is the error rate.
    assert confusion_scores(tp, fp, fn, tn)["cost"] == pytest.approx(1 - scores["accuracy"])


@given(st.floats(0.01, 0.99), st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.1, 10.0))
def test_hter_is_the_cost_at_the_inverse_shares(beta, x, z, price):
    # Each class's errors priced by the inverse of its share; at beta = 1/2 both prices are 1.
    rates = expected_confusion(x, z, beta)
    hter = confusion_scores(*rates)["hter"]
    cost = score_function("cost", "f", cost_fn=1 / (2 * beta), cost_fp=1 / (2 * (1 - beta)))
    assert cost(*rates) == pytest.approx(hter, rel=1e-12, abs=1e-15)
    balanced = expected_confusion(x, z, 0.5)
    equal = score_function("cost", "f", cost_fn=price, cost_fp=price)(*balanced)
    assert equal == pytest.approx(price * confusion_scores(*balanced)["hter"], rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: score_function("f1", "caller", cost_fn=5.0),
            r"^The 'cost_fn' parameter of caller must be None unless metric is 'cost'\. "
            r"Got 5\.0 instead\.$",
        ),
        (
            lambda: score_function("hter", "caller", cost_fp=2),
            r"'cost_fp' parameter of caller must be None unless metric is 'cost'\. Got 2 ",
        ),
        (
            lambda: score_function("cost", "caller", cost_fn=0.0),
            r"^The 'cost_fn' parameter of caller must be a float in the range \(0, inf\)\. "
            r"Got 0\.0 instead\.$",
        ),
        (
            lambda: score_function("cost", "caller", cost_fp=[1.0, 2.0]),
            r"'cost_fp' parameter of caller must be a single float in the range \(0, inf\)",
        ),
        (
            lambda: confusion_scores(1, 0, 0, 0, cost_fp=-1.0),
            r"'cost_fp' parameter of confusion_scores .*Got -1\.0 instead",
        ),
    ],
)
def test_costs_are_checked(call, message):
    with pytest.raises(ValueError, match=message):
        call()
