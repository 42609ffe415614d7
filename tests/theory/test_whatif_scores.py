import numpy as np
import pandas as pd
import pytest

import theory
from theory import symbolic
from theory.whatif_scores import what_if_scores

ALPHAS = [1.0, 2.0, 5.0, 20.0, 99.0]


def _binormal(n, prevalence=0.1, separation=1.5, seed=0):
    """Labels and scores N(0, 1) / N(d, 1), and the calibrated posterior probability of each."""
    rng = np.random.default_rng(seed)
    positive = rng.random(n) < prevalence
    scores = rng.normal(size=n) + separation * positive
    log_odds = separation * scores - separation**2 / 2 + np.log(prevalence / (1 - prevalence))
    return positive, scores, 1.0 / (1.0 + np.exp(-log_odds))


def _brute_force(positive, scores, metric, beta):
    """Best threshold by scanning every distinct score: positive where score >= threshold."""
    best_value, best_threshold = -np.inf, None
    for threshold in np.unique(scores):
        predicted = scores >= threshold
        recall = predicted[positive].mean()
        specificity = (~predicted[~positive]).mean()
        value = theory.confusion_scores(*theory.expected_confusion(recall, specificity, beta))
        if value[metric] > best_value:
            best_value, best_threshold = float(value[metric]), threshold
    return best_threshold, best_value


@pytest.mark.parametrize("beta", [None, 0.01])
@pytest.mark.parametrize("metric", ["f1", "balanced_accuracy"])
def test_best_threshold_equals_a_scan_of_every_threshold(metric, beta):
    positive, scores, _ = _binormal(400, seed=1)
    result = what_if_scores(positive, scores, [1.0], beta=beta, threshold=0.0, smooth=None)
    threshold, value = _brute_force(
        positive, scores, metric, positive.mean() if beta is None else beta
    )
    best = result.best.loc[metric]
    assert best["threshold"] == threshold
    assert best["score_at_threshold"] == pytest.approx(value, rel=1e-12)
    # Through the curve: the best weight on the exact hull reaches the same threshold.
    assert best["threshold_at_alpha"] == threshold
    assert best["score_at_alpha"] == pytest.approx(value, rel=1e-12)


def test_calibrated_scores_move_like_the_thresholds_odds():
    positive, _, probability = _binormal(200_000, seed=2)
    result = what_if_scores(positive, probability, ALPHAS)
    expected = [
        float(symbolic.calibrated_threshold().subs(
            {symbolic.THRESHOLD: 0.5, symbolic.ALPHA_OBSERVED: 1.0, symbolic.ALPHA: a}
        ))
        for a in ALPHAS
    ]  # fmt: skip
    # The default estimator's threshold is the one sympy derives, and its rates are the rows'.
    np.testing.assert_allclose(result.table["threshold"], expected, rtol=1e-12)
    for threshold, row in zip(expected, result.table.itertuples(), strict=True):
        assert row.recall == pytest.approx(np.mean(probability[positive] >= threshold), rel=1e-12)
        assert row.specificity == pytest.approx(
            np.mean(probability[~positive] < threshold), rel=1e-12
        )
    # On calibrated binormal scores the fitted binormal, moved by the bayes rule, agrees.
    smoothed = what_if_scores(positive, probability, ALPHAS, smooth="binormal").table
    np.testing.assert_allclose(smoothed["recall"], result.table["recall"], atol=0.01)
    np.testing.assert_allclose(smoothed["specificity"], result.table["specificity"], atol=0.01)


def test_the_weight_of_the_model_returns_the_model_on_the_exact_hull():
    positive, _, probability = _binormal(50_000, seed=3)
    result = what_if_scores(positive, probability, [1.0], smooth=None, threshold=0.5)
    row = result.table.iloc[0]
    # The hull vertex the threshold's odds point to, and its threshold, lie next to t = 0.5.
    assert abs(row["threshold"] - 0.5) < 0.02
    assert row["recall"] == pytest.approx(result.observed["recall"], abs=0.02)


def test_deployment_prevalence_changes_precision_not_rates():
    positive, _, probability = _binormal(3000, seed=4)
    here = what_if_scores(positive, probability, ALPHAS)
    there = what_if_scores(positive, probability, ALPHAS, beta=0.01)
    pd.testing.assert_series_equal(here.table["recall"], there.table["recall"])
    assert (there.table["precision"] < here.table["precision"]).all()
    expected = theory.confusion_scores(
        *theory.expected_confusion(there.table["recall"], there.table["specificity"], 0.01)
    )
    np.testing.assert_allclose(there.table["f1"], expected["f1"])


def test_positive_fraction_is_its_equivalent_weight():
    positive, _, probability = _binormal(3000, seed=5)
    resampled = what_if_scores(positive, probability, positive_fraction=[0.25, 0.5])
    weights = theory.equivalent_weight(positive.mean(), np.array([0.25, 0.5]))
    weighted = what_if_scores(positive, probability, weights)
    np.testing.assert_allclose(resampled.table["alpha"], weights)
    np.testing.assert_allclose(resampled.table["f1"], weighted.table["f1"])
    assert list(resampled.table["positive_fraction"]) == [0.25, 0.5]


@pytest.mark.slow
def test_bootstrap_intervals_hold_the_estimate_and_do_not_depend_on_jobs():
    positive, _, probability = _binormal(1500, seed=6)
    one = what_if_scores(positive, probability, ALPHAS, bootstrap=40, seed=3)
    two = what_if_scores(positive, probability, ALPHAS, bootstrap=40, seed=3, n_jobs=2)
    pd.testing.assert_frame_equal(one.table, two.table)
    pd.testing.assert_frame_equal(one.best, two.best)
    for name in ("recall", "f1"):
        assert (one.table[f"{name}_low"] <= one.table[name] + 1e-9).all()
        assert (one.table[name] <= one.table[f"{name}_high"] + 1e-9).all()
    assert {"alpha_low", "alpha_high", "threshold_low", "threshold_high"} <= set(one.best.columns)
    other_seed = what_if_scores(positive, probability, ALPHAS, bootstrap=40, seed=4)
    assert not other_seed.table["f1_low"].equals(one.table["f1_low"])


def test_margins_use_the_curve_at_the_observed_point():
    positive, scores, _ = _binormal(5000, seed=7)
    result = what_if_scores(positive, scores, ALPHAS, threshold=1.0, smooth="binormal")
    assert (np.diff(result.table["recall"]) > 0).all()
    assert result.table["recall"].iloc[0] == pytest.approx(result.observed["recall"], abs=0.03)


@pytest.mark.parametrize(
    ("smooth", "threshold", "probabilities"),
    [(None, 0.5, True), ("binormal", 0.5, True), ("asymmetric", 1.0, False)],
)
def test_the_focal_rule_at_gamma_zero_predicts_what_the_bce_rule_does(
    smooth, threshold, probabilities
):
    positive, scores, probability = _binormal(3000, seed=9)
    values = probability if probabilities else scores
    options = {"smooth": smooth, "threshold": threshold, "probabilities": probabilities}
    focal = what_if_scores(positive, values, ALPHAS, rule="focal", gamma=0.0, **options)
    bce = what_if_scores(positive, values, ALPHAS, rule="bce", **options)
    pd.testing.assert_frame_equal(focal.table, bce.table, rtol=1e-12)
    pd.testing.assert_frame_equal(focal.best, bce.best, rtol=1e-12)


def test_the_focal_rule_on_the_exact_hull_reaches_its_best_vertex():
    positive, _, probability = _binormal(3000, seed=10)
    result = what_if_scores(
        positive, probability, ALPHAS, rule="focal", gamma=2.0, smooth=None, metrics=("f1",)
    )
    assert (np.diff(result.table["recall"]) >= 0).all()
    curve = theory.EmpiricalCurve.from_scores(positive, probability, smooth=None)
    focal = theory.rule_named("focal", "test", gamma=2.0)
    picks, _ = curve.candidates(focal)
    f1 = theory.confusion_scores(
        *theory.expected_confusion(
            curve.hull.recall[picks], curve.hull.specificity[picks], positive.mean()
        )
    )["f1"]
    # Anchored: the first weight is the observed one, and every prediction is a vertex the rule
    # picks, moved by the one offset that takes the rule's vertex there to the observed point.
    recalls = result.table["recall"].to_numpy()
    assert recalls[0] == result.observed["recall"]
    vertices = np.round(curve.hull.recall[picks], 9)
    moved = [np.round(v + recalls - recalls[0], 9) for v in vertices]
    assert any(np.isin(candidate, vertices).all() for candidate in moved)
    assert result.best.loc["f1", "score_at_alpha"] == pytest.approx(f1.max(), rel=1e-12)


def test_the_least_cost_threshold_is_a_scan_of_every_threshold():
    positive, scores, _ = _binormal(400, seed=11)
    costs = {"cost_fn": 5.0, "cost_fp": 1.0}
    result = what_if_scores(
        positive, scores, [1.0], threshold=0.0, smooth=None, metrics=("cost",), **costs
    )
    predicted = scores[None, :] >= np.unique(scores)[:, None]
    false_negatives = (~predicted & positive).sum(axis=1)
    false_positives = (predicted & ~positive).sum(axis=1)
    least = (5.0 * false_negatives + false_positives).min() / positive.size
    best = result.best.loc["cost"]
    assert best["score_at_threshold"] == pytest.approx(least, rel=1e-12)
    # The bayes rule reaches the least-cost vertex at the weight c_fn / c_fp, relative to the
    # model's own quantity, and the best weight's vertex is that of the best threshold.
    assert best["score_at_alpha"] == pytest.approx(least, rel=1e-12)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"alpha": None}, r"'alpha' parameter of what_if_scores.*exactly one"),
        ({"alpha": [1.0], "positive_fraction": [0.5]}, r"'alpha'.*exactly one"),
        ({"alpha": [0.0]}, r"'alpha' parameter of what_if_scores.*\(0, inf\)"),
        ({"alpha": [2.0], "beta": 1.0}, r"'beta' parameter of what_if_scores"),
        ({"alpha": [2.0], "rule": "nope"}, r"'rule' parameter of what_if_scores"),
        (
            {"alpha": [2.0], "gamma": 2.0},
            r"^The 'gamma' parameter of what_if_scores must be None unless rule is 'focal'\.",
        ),
        (
            {"alpha": [2.0], "rule": "focal", "gamma": -0.5},
            r"^The 'gamma' parameter of what_if_scores must be a float in the range \[0, inf\)",
        ),
        (
            {"alpha": [2.0], "cost_fn": 5.0},
            r"^The 'cost_fn' parameter of what_if_scores must be None unless 'cost' is among the "
            r"metrics\. Got 5\.0 instead\.$",
        ),
        (
            {"alpha": [2.0], "metrics": ("cost",), "cost_fp": 0.0},
            r"^The 'cost_fp' parameter of what_if_scores must be a float in the range \(0, inf\)",
        ),
        ({"alpha": [2.0], "smooth": "spline"}, r"'smooth' parameter of what_if_scores"),
        ({"alpha": [2.0], "metrics": ("f1", "auc")}, r"'metric' parameter of what_if_scores"),
        ({"alpha": [2.0], "bootstrap": -1}, r"'bootstrap' parameter of what_if_scores"),
        (
            {"alpha": [2.0], "bootstrap": 10**9},
            r"^The 'bootstrap' parameter of what_if_scores must be an int in the range "
            r"\[0, 100000\]\. Got 1000000000 instead\.$",
        ),
        (
            {"alpha": [2.0], "beta": [0.01, 0.02]},
            r"^The 'beta' parameter of what_if_scores must be a float in the range "
            r"\[2\.22507e-308, 1\)\. Got \[0\.01, 0\.02\] instead\.$",
        ),
        ({"alpha": [2.0], "beta": 1e-320}, r"'beta' .* \[2\.22507e-308, 1\)\. Got 1e-320 inst"),
        ({"alpha": [2.0], "beta": np.float64("nan")}, r"'beta' .*\. Got nan instead\.$"),
        ({"alpha": [2.0], "threshold": (0.4, 0.6)}, r"'threshold' .*\. Got \(0\.4, 0\.6\) inst"),
        ({"alpha": [2.0], "movement": [0.5, 1]}, r"'movement' .*\. Got \[0\.5, 1\] instead"),
        ({"alpha": [2.0], "threshold": 9.0, "probabilities": False}, r"'threshold'.*some rows"),
        ({"alpha": [2.0], "threshold": 3.0, "probabilities": True}, r"'probabilities'"),
    ],
)
def test_bad_input_names_the_argument(arguments, message):
    positive, scores, _ = _binormal(300, seed=8)
    with pytest.raises(ValueError, match=message):
        what_if_scores(positive, scores, **arguments)


@pytest.mark.parametrize("beta", [None, 0.01])
@pytest.mark.parametrize("metric", ["precision", "npv", "accuracy", "hter", "f2", "mcc", "gmean"])
def test_every_metrics_best_threshold_is_the_best_of_every_threshold(metric, beta):
    positive, scores, _ = _binormal(300, seed=9)
    result = what_if_scores(
        positive, scores, [1.0], beta=beta, threshold=0.0, smooth=None, metrics=(metric,)
    )
    prevalence = positive.mean() if beta is None else beta
    sign = -1.0 if metric in theory.scores.LOWER_IS_BETTER else 1.0
    values = []
    for threshold in np.unique(scores):
        predicted = scores >= threshold
        rates = predicted[positive].mean(), (~predicted[~positive]).mean()
        scored = theory.confusion_scores(*theory.expected_confusion(*rates, prevalence))
        values.append(sign * float(scored[metric]))
    best = result.best.loc[metric]
    assert sign * best["score_at_threshold"] == pytest.approx(max(values), rel=1e-12)
