import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import theory
from theory.curves import Curve
from theory.empirical import SMOOTHERS, EmpiricalCurve, rank, roc_points
from theory.rules import rule_named


def _scored(n=600, prevalence=0.1, separation=1.5, seed=0, decimals=None):
    rng = np.random.default_rng(seed)
    positive = rng.random(n) < prevalence
    positive[:2] = (True, False)
    scores = rng.normal(size=n) + separation * positive
    if decimals is not None:
        scores = np.round(scores, decimals)
    return positive, scores


def _above_hull(curve, x, z):
    """How far each point (recall x, specificity z) lies above the lines of the hull's edges.

    A convex hull's upper chain has every point on or below the line through each of its
    edges; in ROC coordinates (false-positive rate, recall) the largest cross product of an
    edge with a point must not be positive.
    """
    u, v = 1.0 - curve.hull.specificity, curve.hull.recall
    du, dv = np.diff(u)[:, None], np.diff(v)[:, None]
    cross = du * (x[None, :] - v[:-1, None]) - dv * ((1.0 - z)[None, :] - u[:-1, None])
    return cross.max(axis=0)


@pytest.mark.parametrize("decimals", [None, 1, 2])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_hull_vertices_are_roc_points_above_every_point(seed, decimals):
    positive, scores = _scored(seed=seed, decimals=decimals)
    curve = EmpiricalCurve.from_scores(positive, scores, smooth=None)
    roc = curve.roc
    assert np.all(_above_hull(curve, roc.recall, roc.specificity) <= 1e-12)
    points = set(zip(roc.recall, roc.specificity, strict=True))
    assert set(zip(curve.hull.recall, curve.hull.specificity, strict=True)) <= points
    assert (curve.hull.recall[0], curve.hull.specificity[0]) == (0.0, 1.0)
    assert (curve.hull.recall[-1], curve.hull.specificity[-1]) == (1.0, 0.0)
    # Concave: the steepness of the segments grows along the hull.
    with np.errstate(divide="ignore"):
        steepness = -np.diff(curve.hull.specificity) / np.diff(curve.hull.recall)
    assert np.all(np.diff(steepness) > 0)


def test_large_sets_give_the_same_hull_as_the_exact_walk():
    positive, scores = _scored(n=60_000, seed=3, decimals=3)
    fast = EmpiricalCurve.from_scores(positive, scores, smooth=None)
    assert fast.roc.recall.size > 5000  # qhull's path
    assert np.all(_above_hull(fast, fast.roc.recall, fast.roc.specificity) <= 1e-12)
    with np.errstate(divide="ignore"):
        steepness = -np.diff(fast.hull.specificity) / np.diff(fast.hull.recall)
    assert np.all(np.diff(steepness) > 0)


def test_roc_points_match_counting_by_hand():
    positive = np.array([1, 0, 1, 1, 0, 0, 0, 1], dtype=bool)
    scores = np.array([0.9, 0.8, 0.8, 0.5, 0.4, 0.4, 0.1, 0.05])
    roc = roc_points(rank(positive, scores))
    for t, x, z in zip(roc.threshold[1:], roc.recall[1:], roc.specificity[1:], strict=True):
        predicted = scores >= t
        assert x == np.mean(predicted[positive])
        assert z == np.mean(~predicted[~positive])
    assert roc.threshold[0] == np.inf
    assert (roc.recall[0], roc.specificity[0]) == (0.0, 1.0)


@given(
    ratio=st.floats(1e-3, 1e3),
    seed=st.integers(0, 20),
)
@settings(max_examples=60, deadline=None)
def test_each_rule_picks_the_vertex_it_maximises(ratio, seed):
    positive, scores = _scored(n=300, seed=seed)
    curve = EmpiricalCurve.from_scores(positive, scores, smooth=None)
    x, z = curve.hull.recall, curve.hull.specificity
    linear = ratio * x + z
    assert ratio * curve.x_at_slope(ratio) + curve.specificity(curve.x_at_slope(ratio)) == (
        pytest.approx(linear.max(), rel=1e-12)
    )
    with np.errstate(divide="ignore"):
        logs = ratio * np.log(x) + np.log(z)
    picked = curve.x_at_elasticity(ratio)
    assert ratio * np.log(picked) + np.log(curve.specificity(picked)) == pytest.approx(
        logs.max(), rel=1e-12
    )


@given(
    ratio=st.floats(1e-3, 1e3),
    gamma=st.floats(0.0, 6.0),
    seed=st.integers(0, 20),
)
@settings(max_examples=60, deadline=None)
def test_the_focal_rule_picks_the_vertex_it_maximises(ratio, gamma, seed):
    # The upper hull in (phi(x), phi(z)) generalises the bce rule's in (log x, log z).
    positive, scores = _scored(n=300, seed=seed)
    curve = EmpiricalCurve.from_scores(positive, scores, smooth=None)
    focal = rule_named("focal", "test", gamma=gamma)
    x, z = curve.hull.recall, curve.hull.specificity
    with np.errstate(divide="ignore"):
        objective = ratio * focal.transform(x) + focal.transform(z)
    picked, specificity = focal.point(curve, ratio)
    attained = ratio * focal.transform(picked) + focal.transform(specificity)
    assert attained == pytest.approx(objective.max(), rel=1e-12)


@pytest.mark.parametrize("smooth", [None, "binormal"])
def test_the_focal_rule_at_gamma_zero_is_the_bce_rule(smooth):
    positive, scores = _scored(seed=9)
    curve = EmpiricalCurve.from_scores(positive, scores, smooth=smooth)
    bce, focal = theory.RULES["bce"], rule_named("focal", "test", gamma=0.0)
    ratios = np.logspace(-3, 3, 61)
    np.testing.assert_allclose(focal.recall_at(curve, ratios), bce.recall_at(curve, ratios))
    if smooth is None:
        for got, expected in zip(curve.candidates(focal), curve.candidates(bce), strict=True):
            np.testing.assert_array_equal(got, expected)


def test_quantities_at_vertices_lead_back_to_them():
    positive, scores = _scored(seed=4)
    curve = EmpiricalCurve.from_scores(positive, scores, smooth=None)
    vertices = curve.hull.recall
    np.testing.assert_array_equal(curve.x_at_slope(-curve.slope(vertices)), vertices)
    picks, _ = curve.candidates(theory.RULES["bce"])
    reachable = vertices[picks]
    np.testing.assert_array_equal(curve.x_at_elasticity(curve.elasticity(reachable)), reachable)
    for gamma in (0.5, 2.0, 5.0):
        focal = rule_named("focal", "test", gamma=gamma)
        picks, _ = curve.candidates(focal)
        reachable = vertices[picks]
        quantities = focal.quantity_at(curve, reachable)
        np.testing.assert_array_equal(focal.recall_at(curve, quantities), reachable)


def test_a_tie_picks_the_vertex_of_lower_recall():
    positive, scores = _scored(seed=5)
    curve = EmpiricalCurve.from_scores(positive, scores, smooth=None)
    indices, boundaries = curve.candidates(theory.RULES["bayes"])
    assert curve.x_at_slope(boundaries[3]) == curve.hull.recall[indices[3]]


@pytest.mark.parametrize("smooth", [None, *SMOOTHERS])
@pytest.mark.parametrize("rule", ["bce", "bayes", "focal"])
def test_usable_wherever_a_curve_is(smooth, rule):
    positive, scores = _scored(seed=6)
    curve = EmpiricalCurve.from_scores(positive, scores, smooth=smooth)
    assert isinstance(curve, Curve)
    x, z = theory.operating_point([1.0, 9.0, 99.0], 0.1, curve, rule=rule)
    assert np.all(np.diff(x) >= 0) and np.all(np.diff(z) <= 0)
    scores_ = theory.expected_scores(9.0, 0.1, curve, rule=rule)
    assert scores_["recall"] == pytest.approx(x[1])
    best = theory.optimal_alpha(0.1, curve, metric="f1", rule=rule)
    assert np.isfinite(best) and best > 0
    predicted = theory.what_if(
        float(x[0]) if 0 < x[0] < 1 else 0.5,
        float(z[0]) if 0 < z[0] < 1 else 0.5,
        beta=0.1,
        alpha=9.0,
        family=lambda recall, specificity: curve,
        rule=rule,
    )
    assert 0 <= float(predicted["recall"]) <= 1


def test_smoothed_curve_follows_its_family():
    positive, scores = _scored(n=4000, seed=7)
    curve = EmpiricalCurve.from_scores(positive, scores, smooth="binormal")
    assert isinstance(curve.fitted, theory.Binormal)
    assert float(curve.fitted.d) == pytest.approx(1.5, abs=0.2)
    grid = np.linspace(0.1, 0.9, 5)
    np.testing.assert_allclose(curve.specificity(grid), curve.fitted.specificity(grid))


def test_labels_of_every_kind():
    positive, scores = _scored(seed=8)
    reference = EmpiricalCurve.from_scores(positive, scores, smooth=None)
    words = np.where(positive, "spam", "ham")
    for labels, pos_label in ((positive.astype(int), None), (words, "spam")):
        other = EmpiricalCurve.from_scores(labels, scores, pos_label=pos_label, smooth=None)
        np.testing.assert_array_equal(other.hull.recall, reference.hull.recall)


@pytest.mark.parametrize(
    ("labels", "scores", "pos_label", "message"),
    [
        ([1, 1, 1], [0.1, 0.2, 0.3], None, r"'y_true'.*two classes"),
        (["a", "b"], [0.1, 0.2], None, r"'pos_label'.*when the labels are not 0/1"),
        (["a", "b"], [0.1, 0.2], "c", r"'pos_label'.*one of \['a', 'b'\]"),
        ([0, 1, 1], [0.1, np.nan, 0.3], None, r"'y_score'.*finite numbers.*nan"),
        ([0, 1, 1], [0.1, 0.2], None, r"'y_score'.*length of y_true \(3\)"),
        ([0, 1, 1], [0.5, 0.5, 0.5], None, r"'y_score'.*at least two distinct scores"),
        ([0, 1, 1], ["a", "b", "c"], None, r"'y_score'.*real numbers"),
    ],
)
def test_bad_input_names_the_argument(labels, scores, pos_label, message):
    with pytest.raises(ValueError, match=rf"of EmpiricalCurve\.from_scores.*|{message}") as error:
        EmpiricalCurve.from_scores(labels, scores, pos_label=pos_label)
    assert "EmpiricalCurve.from_scores" in str(error.value)
    assert __import__("re").search(message, str(error.value))


def test_unknown_smoother():
    positive, scores = _scored()
    with pytest.raises(ValueError, match=r"'smooth' parameter.*one of 'asymmetric'"):
        EmpiricalCurve.from_scores(positive, scores, smooth="spline")


@pytest.mark.parametrize("seed", [0, 4])
@pytest.mark.parametrize("separation", [1.5, 50.0])
def test_rows_of_weight_zero_leave_the_hull_of_the_other_rows(seed, separation):
    # A bootstrap gives a row the weight of its draws, often 0: the weighted hull must be the
    # hull of the rows repeated as often as they were drawn (a row of weight 0 repeats the point
    # before it; the corner before it is still a corner).
    positive, scores = _scored(n=200, separation=separation, seed=seed)
    draws = np.random.default_rng(seed).integers(0, 3, positive.size)
    ranking = rank(positive, scores)
    weighted = EmpiricalCurve.from_ranking(
        ranking, smooth=None, weights=draws[ranking.order].astype(np.float64)
    )
    repeated = EmpiricalCurve.from_scores(
        np.repeat(positive, draws), np.repeat(scores, draws), smooth=None
    )
    np.testing.assert_allclose(weighted.hull.recall, repeated.hull.recall, atol=1e-12)
    np.testing.assert_allclose(weighted.hull.specificity, repeated.hull.specificity, atol=1e-12)


@given(
    st.lists(st.integers(-5, 5), min_size=1, max_size=300),
    st.sampled_from([1.0, 0.5, 1e-3]),
    st.integers(1, 8_000),
)
@settings(max_examples=60, deadline=None)
def test_the_ranking_is_the_stable_sort_by_decreasing_score(values, scale, size):
    # sizes on both sides of the one where the sort changes way (many ties in the large ones)
    from theory.empirical import _SMALL_SORT, _stable_decreasing

    scores = np.resize(np.asarray(values, dtype=np.float64) * scale, size)
    scores[::7] += np.linspace(0.0, 1.0, scores[::7].size)  # some distinct scores too
    np.testing.assert_array_equal(_stable_decreasing(scores), np.argsort(-scores, kind="stable"))
    assert _SMALL_SORT < 8_000


def test_on_a_chance_hull_the_bce_rule_leaves_the_model_where_it_is():
    # Scores that rank worse than chance: the exact hull is the chance line, whose only vertices
    # are its ends, where the bce rule's log is infinite.
    positive = np.zeros(40, dtype=bool)
    positive[:4] = True
    scores = np.where(positive, -1.0, 0.0) + np.linspace(0.0, 0.1, 40)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = theory.what_if_scores(
            positive, scores, [1.0, 3.0, 30.0], threshold=0.05, rule="bce", smooth=None,
            probabilities=False, metrics=(),
        )  # fmt: skip
    for name in ("recall", "specificity"):
        assert (result.table[name] == result.observed[name]).all()
