"""The best weight for a score: known optima, accuracy, gains and edges."""

import mpmath
import numpy as np
import pytest
from scipy import special

import theory
from theory.curves import AsymmetricSuperellipse, Binormal, Superellipse
from theory.operating import expected_score, expected_scores
from theory.optimum import (
    PLATEAU_TOLERANCE,
    PLATEAU_WIDTH,
    SEARCH_RANGE,
    inverse_proportion_weight,
    optimal_alpha,
    optimize_alpha,
)

RULES = ("bce", "bayes", "focal")
#: The rules for tests that search many times: the focal rule's solver bisects, so its many
#: scalar searches go to the slow tier.
SEARCHING_RULES = ("bce", "bayes", pytest.param("focal", marks=pytest.mark.slow))
BETAS = np.array([0.001, 0.01, 0.1, 0.3, 0.5])[:, None]
SYMMETRIC = {
    "superellipse": Superellipse(np.array([1.2, 2.0, 5.0, 20.0, 60.0])),
    "binormal": Binormal(np.array([0.3, 1.0, 2.0, 4.0])),
}
#: Members of every family, the asymmetric ones included.
MEMBERS = {
    "superellipse-1.5": Superellipse(1.5),
    "superellipse-3": Superellipse(3.0),
    "superellipse-20": Superellipse(20.0),
    "asymmetric-2-3": AsymmetricSuperellipse(2.0, 3.0),
    "asymmetric-5-1.5": AsymmetricSuperellipse(5.0, 1.5),
    "asymmetric-1.2-1": AsymmetricSuperellipse(1.2, 1.0),
    "binormal-0.5": Binormal(0.5),
    "binormal-1.5": Binormal(1.5),
    "binormal-3": Binormal(3.0),
    # Unequal variances: a hook near (0, 1) (s < 1) or (1, 0) (s > 1) that the bayes rule skips.
    "binormal-0.5-0.5": Binormal(0.5, 0.5),
    "binormal-1-2": Binormal(1.0, 2.0),
}
#: The members of every family, with the binormals of unequal variances in the slow tier where a
#: test runs every member many times (quick tests of their own cover them).
_UNEQUAL = ("binormal-0.5-0.5", "binormal-1-2")
MEMBERS_QUICK_EQUAL = [
    pytest.param(name, marks=pytest.mark.slow) if name in _UNEQUAL else name for name in MEMBERS
]


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("family", SYMMETRIC)
def test_balanced_accuracy_optimum_is_the_inverse_proportion_weight(family, rule):
    best = optimal_alpha(BETAS, SYMMETRIC[family], metric="balanced_accuracy", rule=rule)
    expected = np.broadcast_to((1 - BETAS) / BETAS, best.shape)
    np.testing.assert_allclose(best, expected, rtol=1e-6)


def _assert_best_weight(best, expected, rtol=1e-6):
    """``best.alpha`` is ``expected``, or, where it lies on a plateau, the plateau holds it."""
    expected = np.broadcast_to(expected, best.alpha.shape)
    on = best.plateau
    np.testing.assert_allclose(np.where(on, expected, best.alpha), expected, rtol=rtol)
    inside = (best.plateau_start <= expected * (1 + rtol)) & (
        expected * (1 - rtol) <= best.plateau_stop
    )
    assert np.all(~on | inside)


@pytest.mark.parametrize("name", MEMBERS)
def test_bayes_rule_optima_of_linear_scores(name):
    # The bayes rule maximises alpha*beta*x + (1-beta)*z, a weighted accuracy: at alpha = 1 it is
    # the accuracy, at (1-beta)/beta a multiple of the balanced accuracy, whatever the curve.
    # (At small beta the accuracy-optimal point of a poor curve lies so near a corner that the
    # accuracy is flat to machine precision over a range of weights; those betas are left out.)
    # Where the curve has a hook the best point can be a corner that a range of weights reaches
    # (binormal d = 0.5, s = 0.5: predicting every row negative, for weights 1e-3 to 2.3 at
    # beta = 0.2): a plateau that holds the weight.
    curve = MEMBERS[name]
    accuracy = optimize_alpha(np.array([0.2, 0.3, 0.5]), curve, metric="accuracy", rule="bayes")
    _assert_best_weight(accuracy, 1.0)
    balanced = optimize_alpha(BETAS, curve, metric="balanced_accuracy", rule="bayes")
    _assert_best_weight(balanced, (1 - BETAS) / BETAS)


def _best_f1_on_the_curve(curve, beta):
    """Largest F1 over 2 million points of ``curve``, dense in logit(recall), and its end
    (1, 0)."""
    x = np.append(special.expit(np.linspace(-30, 30, 2_000_001)), 1.0)
    z = np.append(curve.specificity(x[:-1]), 0.0)
    return np.max(2 * beta * x / (beta * x + beta * z + 1 - z))


@pytest.mark.parametrize("beta", [0.01, 0.1])
@pytest.mark.parametrize("name", MEMBERS_QUICK_EQUAL)
def test_bayes_f1_optimum_is_two_over_best_f1_minus_one(name, beta):
    curve = MEMBERS[name]
    best = optimize_alpha(beta, curve, metric="f1", rule="bayes")
    assert best.alpha == pytest.approx(2 / best.score - 1, rel=1e-6)
    brute = _best_f1_on_the_curve(curve, beta)
    assert best.score >= brute - 1e-12
    assert best.score == pytest.approx(brute, abs=1e-8)


@pytest.mark.parametrize(
    ("p", "expected", "tolerance"), [(2, 2.0, 0.02), (11, 1.1, 5e-3), (40, 1.03, 5e-3)]
)
def test_bce_f1_optimum_is_only_a_bit_above_one(p, expected, tolerance):
    # The known values are quoted rounded (2.0, 1.1, 1.03); the code gives 2.0101, 1.1006, 1.0258.
    assert optimal_alpha(0.01, float(p)) == pytest.approx(expected, abs=tolerance)


def test_the_done_criterion():
    assert round(float(theory.optimal_alpha(0.01, 2.0)), 2) == 2.01


# -- accuracy against an independent high-precision computation -----------------------------

#: Decimal digits of the reference computation.
DIGITS = 40


def _mp_point(log_alpha, beta, family, shape, rule):
    """Recall and specificity at weight exp(log_alpha), in mpmath's working precision."""
    r = mpmath.exp(log_alpha) * beta / (1 - beta)
    if family == "superellipse":
        p = shape
        if rule == "bce":
            x = (r / (r + 1)) ** (1 / p)
        else:
            k = r ** (1 / (p - 1))
            x = (k**p / (1 + k**p)) ** (1 / p)
        return x, (1 - x**p) ** (1 / p)
    d = shape
    threshold = d / 2 - mpmath.log(r) / d
    if rule == "bce":

        def log_elasticity_excess(t):
            log_x, log_z = mpmath.log(mpmath.ncdf(d - t)), mpmath.log(mpmath.ncdf(t))
            return log_x - log_z + d**2 / 2 - d * t - mpmath.log(r)

        threshold = mpmath.findroot(log_elasticity_excess, threshold)
    return mpmath.ncdf(d - threshold), mpmath.ncdf(threshold)


def _mp_score(metric, x, z, beta):
    tp, fp, fn, tn = beta * x, (1 - beta) * (1 - z), beta * (1 - x), (1 - beta) * z
    if metric == "f1":
        return 2 * tp / (2 * tp + fp + fn)
    if metric == "f2":
        return 5 * tp / (5 * tp + 4 * fn + fp)
    return (tp * tn - fp * fn) / mpmath.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))


def _mp_optimum(beta, family, shape, rule, metric, guess):
    """The weight where the score's derivative in log(alpha) vanishes, to ``DIGITS`` digits."""
    with mpmath.workdps(DIGITS):
        beta, shape = mpmath.mpf(beta), mpmath.mpf(shape)

        def score(log_alpha):
            return _mp_score(metric, *_mp_point(log_alpha, beta, family, shape, rule), beta)

        root = mpmath.findroot(lambda u: mpmath.diff(score, u), mpmath.log(guess))
        return float(mpmath.exp(root))


@pytest.mark.parametrize("metric", ["f1", "f2", "mcc"])
@pytest.mark.parametrize("rule", ["bce", "bayes"])
@pytest.mark.parametrize(
    ("beta", "family", "shape"),
    [
        (0.01, "superellipse", 2.0),
        (0.01, "superellipse", 40.0),
        (0.001, "superellipse", 100.0),
        (0.2, "superellipse", 1.3),
        (0.01, "binormal", 1.0),
        (0.05, "binormal", 3.0),
    ],
)
def test_optimum_is_accurate_to_one_part_in_a_million(beta, family, shape, rule, metric):
    curve = Superellipse(shape) if family == "superellipse" else Binormal(shape)
    alpha = float(optimal_alpha(beta, curve, metric=metric, rule=rule))
    reference = _mp_optimum(beta, family, shape, rule, metric, guess=alpha)
    assert alpha == pytest.approx(reference, rel=1e-6)


def test_bce_f1_optimum_at_p_2_is_exact():
    # The 40-digit reference gives 199/99 = 2 + beta/(1 - beta) at beta = 0.01.
    assert _mp_optimum(0.01, "superellipse", 2.0, "bce", "f1", guess=2.0) == pytest.approx(
        199 / 99, rel=1e-15
    )
    assert float(optimal_alpha(0.01, 2.0)) == pytest.approx(199 / 99, rel=1e-8)


# -- vectorisation, gains and edges ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("metric", ["f1", "balanced_accuracy", "mcc"])
@pytest.mark.parametrize("rule", SEARCHING_RULES)
def test_vectorised_equals_scalar_calls(rule, metric):
    beta = np.array([0.002, 0.01, 0.05, 0.2, 0.45])[:, None]
    for make, shapes in [(Superellipse, [1.5, 3.0, 11.0, 40.0]), (Binormal, [0.4, 1.0, 2.5])]:
        best = optimize_alpha(beta, make(np.array(shapes)), metric=metric, rule=rule)
        assert best.alpha.shape == (beta.size, len(shapes))
        for i, b in enumerate(beta.ravel()):
            for j, shape in enumerate(shapes):
                single = optimize_alpha(b, make(shape), metric=metric, rule=rule)
                # Array and scalar arithmetic round differently (SIMD paths); near a flat optimum
                # that moves the result well inside the 1e-6 accuracy promised.
                assert best.alpha[i, j] == pytest.approx(single.alpha, rel=1e-7)
                assert best.score[i, j] == pytest.approx(single.score, rel=1e-12)
                assert best.at_edge[i, j] == single.at_edge


@pytest.mark.parametrize("metric", ["f1", "balanced_accuracy", "mcc", "f2", "f0.5", "gmean"])
@pytest.mark.parametrize("rule", SEARCHING_RULES)
def test_gains_are_never_negative_and_no_weight_does_better(rule, metric):
    beta = np.array([0.001, 0.01, 0.1, 0.4])[:, None]
    alphas = np.logspace(-3, 6, 1500)[:, None, None]
    for curve in (
        Superellipse(np.array([1.1, 2.0, 5.0, 20.0, 60.0])),
        Binormal(np.array([0.5, 2.0])),
    ):
        best = optimize_alpha(beta, curve, metric=metric, rule=rule)
        assert np.all(best.gain_over_one >= -1e-12)
        assert np.all(best.gain_over_inverse >= -1e-12)
        on_grid = expected_scores(alphas, beta, curve, rule=rule, fbeta=(2.0, 0.5))[metric]
        assert np.all(best.score >= on_grid.max(axis=0) - 1e-12)


@pytest.mark.parametrize("rule", RULES)
def test_half_total_error_rate_is_minimised(rule):
    curve = Superellipse(np.array([1.5, 2.0, 8.0]))
    hter = optimize_alpha(BETAS, curve, metric="hter", rule=rule)
    balanced = optimize_alpha(BETAS, curve, metric="balanced_accuracy", rule=rule)
    np.testing.assert_allclose(hter.alpha, balanced.alpha, rtol=1e-6)
    np.testing.assert_allclose(hter.score, 1 - balanced.score, rtol=1e-12)
    # Lower is better: the gains of an error rate are differences that are never positive.
    assert np.all(hter.gain_over_one <= 1e-12)
    assert np.all(hter.gain_over_inverse <= 1e-12)
    assert np.any(hter.gain_over_one < -0.01)


@pytest.mark.parametrize("gamma", [0.5, 2.0, 5.0])
@pytest.mark.parametrize("p", [2.0, 11.0])
def test_focal_f1_optimum_is_where_the_rule_reaches_the_curves_best_point(p, gamma):
    # Every rule moves along the same curve: the best F1 over all weights is the curve's best,
    # and a rule's best weight is the one that takes it to that point. The focal rule's lies
    # far below 1 (below the range searched for the other rules), and is found there.
    beta, curve = 0.01, Superellipse(p)
    best = optimize_alpha(beta, curve, metric="f1", rule="focal", gamma=gamma)
    x = special.expit(np.linspace(-20, 20, 400_001))
    f1 = theory.confusion_scores(*theory.expected_confusion(x, curve.specificity(x), beta))["f1"]
    assert not best.at_edge
    assert float(best.score) == pytest.approx(f1.max(), rel=1e-9)
    quantity = theory.rule_named("focal", "test", gamma=gamma).quantity(curve, x[np.argmax(f1)])
    assert float(best.alpha) == pytest.approx(float(quantity) * (1 - beta) / beta, rel=2e-3)
    if gamma >= 2.0:
        assert float(best.alpha) < SEARCH_RANGE[0]


# -- error costs -------------------------------------------------------------------------------

#: (cost_fn, cost_fp, beta): the least-cost point's steepness c_fn*beta / (c_fp*(1-beta)) lies
#: between 0.2 and 1, away from the curves' corners, where the cost is flat to rounding.
COSTS = [(5.0, 1.0, 0.1), (1.0, 3.0, 0.5), (1.0, 1.0, 0.3), (99.0, 1.0, 0.01), (20.0, 1.0, 0.01)]


def _least_cost_on(curve, beta, cost_fn, cost_fp):
    """Least cost over 100,001 points of ``curve`` and its two ends, (0, 1) and (1, 0)."""
    x = np.concatenate([[0.0], special.expit(np.linspace(-25, 25, 100_001)), [1.0]])
    z = np.concatenate([[1.0], curve.specificity(x[1:-1]), [0.0]])
    return (cost_fn * beta * (1 - x) + cost_fp * (1 - beta) * (1 - z)).min()


@pytest.mark.parametrize(("cost_fn", "cost_fp", "beta"), COSTS)
@pytest.mark.parametrize("name", MEMBERS_QUICK_EQUAL)
def test_bayes_cost_optimum_is_the_cost_ratio(name, cost_fn, cost_fp, beta):
    # Elkan (2001): the bayes rule's best weight for a cost is c_fn / c_fp, whatever the curve.
    costs = {"cost_fn": cost_fn, "cost_fp": cost_fp}
    best = optimize_alpha(beta, MEMBERS[name], metric="cost", rule="bayes", **costs)
    _assert_best_weight(best, cost_fn / cost_fp)
    assert best.plateau or not best.at_edge
    # The point there is the least-cost point of the whole curve.
    least = _least_cost_on(MEMBERS[name], beta, cost_fn, cost_fp)
    assert float(best.score) <= least + 1e-15
    assert float(best.score) == pytest.approx(least, rel=1e-6)


#: (member, rule) pairs of the quick tier; the rest of every member with every rule is slow.
_QUICK_COST_CASES = {
    *(
        (name, rule)
        for name in ("superellipse-3", "asymmetric-2-3", "binormal-1.5")
        for rule in RULES[:2]
    ),
    ("asymmetric-2-3", "focal"),
}


@pytest.mark.parametrize(("cost_fn", "cost_fp", "beta"), COSTS)
@pytest.mark.parametrize(
    ("name", "rule"),
    [
        pytest.param(
            name, rule, marks=() if (name, rule) in _QUICK_COST_CASES else pytest.mark.slow
        )
        for name in MEMBERS
        for rule in RULES
    ],
)
def test_each_rules_cost_optimum_reaches_the_least_cost_point(name, rule, cost_fn, cost_fp, beta):
    # Every rule's best weight puts it where the cost is least, the point of steepness
    # m = c_fn*beta / (c_fp*(1-beta)); there the rule's quantity is its weight ratio. Where that
    # weight lies below the search range the optimum is its lower end, flagged at_edge. (On a
    # curve with a hook the least-cost point can be a corner, which the bayes rule reaches for a
    # whole plateau of weights around that one.)
    curve, costs = MEMBERS[name], {"cost_fn": cost_fn, "cost_fp": cost_fp}
    chosen = theory.rule_named(rule, "test")
    steepness = cost_fn * beta / (cost_fp * (1 - beta))
    x, z = theory.operating_point(cost_fn / cost_fp, beta, curve, rule="bayes")
    expected = float(chosen.from_steepness(steepness, x, z)) * (1 - beta) / beta
    best = optimize_alpha(beta, curve, metric="cost", rule=rule, **costs)
    low, high = np.exp(theory.optimum.search_bounds((1 - beta) / beta))
    low *= chosen.weight_scale
    if low < expected < high:
        _assert_best_weight(best, expected, rtol=1e-5)
        assert float(best.score) == pytest.approx(
            _least_cost_on(curve, beta, cost_fn, cost_fp), rel=1e-6
        )
    else:
        assert best.at_edge and float(best.alpha) == pytest.approx(low)


@pytest.mark.parametrize("p", [1.5, 2.0, 11.0, 40.0])
@pytest.mark.parametrize("ratio", [1.0, 5.0, 99.0])
def test_bce_cost_optimum_on_the_superellipse(p, ratio):
    # There the bce quantity is the steepness to the power p/(p-1): alpha = (c_fn/c_fp)**(p/(p-1))
    # * (beta/(1-beta))**(1/(p-1)), below c_fn/c_fp wherever the least-cost point has x < z.
    beta = 0.1
    found = optimal_alpha(beta, p, metric="cost", rule="bce", cost_fn=ratio, cost_fp=1.0)
    closed = ratio ** (p / (p - 1)) * (beta / (1 - beta)) ** (1 / (p - 1))
    assert float(found) == pytest.approx(closed, rel=1e-6)


@pytest.mark.parametrize(("cost_fn", "cost_fp", "beta"), COSTS)
def test_bayes_cost_optimum_on_an_exact_hull_is_an_interval_around_the_ratio(
    cost_fn, cost_fp, beta
):
    rng = np.random.default_rng(4)
    positive = rng.random(3000) < 0.05
    curve = theory.EmpiricalCurve.from_scores(
        positive, rng.normal(size=3000) + 1.5 * positive, smooth=None
    )
    costs = {"cost_fn": cost_fn, "cost_fp": cost_fp}
    best = optimize_alpha(beta, curve, metric="cost", rule="bayes", **costs)
    x, z = curve.hull.recall, curve.hull.specificity
    cost = cost_fn * beta * (1 - x) + cost_fp * (1 - beta) * (1 - z)
    assert float(best.score) == pytest.approx(cost.min(), rel=1e-12)
    # The vertex is reached by an interval of weights, and c_fn / c_fp lies in it.
    indices, boundaries = curve.candidates(theory.RULES["bayes"])
    j = int(np.argmin(cost[indices]))
    weights = np.concatenate(([0.0], boundaries, [np.inf])) * (1 - beta) / beta
    assert weights[j] < cost_fn / cost_fp <= weights[j + 1]
    # That interval is the plateau.
    assert best.plateau
    assert float(best.plateau_start) == pytest.approx(weights[j], rel=1e-12)
    assert float(best.plateau_stop) == pytest.approx(weights[j + 1], rel=1e-12)
    at_ratio = theory.expected_score(
        cost_fn / cost_fp, beta, curve, metric="cost", rule="bayes", **costs
    )
    assert float(at_ratio) == pytest.approx(cost.min(), rel=1e-12)


@pytest.mark.parametrize("rule", RULES)
def test_cost_is_minimised(rule):
    beta = np.array([0.01, 0.2])[:, None]
    curve = Superellipse(np.array([1.5, 4.0]))
    costs = {"cost_fn": 20.0, "cost_fp": 1.0}
    best = optimize_alpha(beta, curve, metric="cost", rule=rule, **costs)
    alphas = np.logspace(-3, 6, 1500)[:, None, None]
    on_grid = expected_scores(alphas, beta, curve, rule=rule, **costs)["cost"]
    assert np.all(best.score <= on_grid.min(axis=0) + 1e-12)
    assert np.all(best.gain_over_one <= 1e-12)


@pytest.mark.parametrize("curve", [Superellipse(1.0), Binormal(0.0)])
def test_chance_line_under_bce_ends_at_the_edge(curve):
    # On the chance line F1 keeps rising towards "predict everything positive" as alpha grows, so
    # the documented result is the upper end of the search range, flagged at_edge.
    best = optimize_alpha(0.01, curve, metric="f1", rule="bce")
    assert best.at_edge
    assert best.alpha == pytest.approx(SEARCH_RANGE[1], rel=1e-9)
    # Still rising there, by more than the tolerance: no plateau.
    assert not best.plateau
    assert best.plateau_start == best.plateau_stop == best.alpha
    assert best.score == pytest.approx(2 * 0.01 / 1.01, rel=1e-5)


def test_interior_optima_are_not_at_the_edge():
    best = optimize_alpha(BETAS, Superellipse(np.array([1.5, 2.0, 20.0])), metric="f1", rule="bce")
    assert not np.any(best.at_edge)
    assert np.all((best.alpha > SEARCH_RANGE[0]) & (best.alpha < SEARCH_RANGE[1]))


def test_inverse_proportion_weight():
    assert inverse_proportion_weight(0.01) == pytest.approx(99.0)
    np.testing.assert_allclose(inverse_proportion_weight([0.5, 0.2]), [1.0, 4.0])
    best = optimize_alpha(0.01, 2.0, metric="f1", rule="bce")
    assert best.score_at_inverse == pytest.approx(expected_scores(99.0, 0.01, 2.0)["f1"])
    assert best.score_at_one == pytest.approx(expected_scores(1.0, 0.01, 2.0)["f1"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"beta": 1.5},
            r"^The 'beta' parameter of {owner} must be a float in the range "
            r"\[2\.22507e-308, 1\)\. Got 1\.5 instead\.$",
        ),
        ({"beta": 5e-324}, r"'beta' parameter of {owner} .*\[2\.22507e-308, 1\)\. Got 5e-324"),
        ({"curve": 0.5}, r"'p' parameter of {owner} .*\[1, 1000000\]\. Got 0\.5 instead"),
        (
            {"metric": "nope"},
            r"^The 'metric' parameter of {owner} must be one of 'recall', .*'f1'.*"
            r"Got 'nope' instead\.$",
        ),
        ({"rule": "x"}, r"'rule' parameter of {owner} .*'bce', 'bayes', 'focal'\. Got 'x' instead"),
        (
            {"rule": "focal", "gamma": -1},
            r"^The 'gamma' parameter of {owner} must be a float in the range \[0, inf\)\. "
            r"Got -1\.0 instead\.$",
        ),
        (
            {"gamma": 2.0},
            r"^The 'gamma' parameter of {owner} must be None unless rule is 'focal'\. "
            r"Got 2\.0 instead\.$",
        ),
        (
            {"cost_fn": 5.0},
            r"^The 'cost_fn' parameter of {owner} must be None unless metric is 'cost'\. "
            r"Got 5\.0 instead\.$",
        ),
        (
            {"metric": "cost", "cost_fp": -2.0},
            r"^The 'cost_fp' parameter of {owner} must be a float in the range \(0, inf\)\. "
            r"Got -2\.0 instead\.$",
        ),
    ],
)
@pytest.mark.parametrize("function", [optimize_alpha, optimal_alpha])
def test_errors_name_the_function_called(function, kwargs, message):
    arguments = {"beta": 0.01, "curve": 2.0} | kwargs
    with pytest.raises(ValueError, match=message.format(owner=function.__name__)):
        function(**arguments)


@pytest.mark.parametrize("function", [optimize_alpha, optimal_alpha])
def test_metric_and_rule_are_keyword_only(function):
    with pytest.raises(TypeError, match="positional argument"):
        function(0.01, 2.0, "f1")


@pytest.mark.parametrize("beta", [1e-7, 1e-5, 0.999, 0.99999])
def test_extreme_prevalence_is_searched_around_its_own_scale(beta):
    inverse = (1 - beta) / beta
    best = optimize_alpha(beta, 2.0, metric="balanced_accuracy")
    assert float(best.alpha) == pytest.approx(inverse, rel=1e-6)
    assert not best.at_edge
    assert float(best.gain_over_inverse) >= -1e-12


def test_a_flat_score_is_flagged():
    chance = optimize_alpha(0.01, 1.0, metric="balanced_accuracy")
    assert chance.flat
    assert not optimize_alpha(0.01, 2.0, metric="balanced_accuracy").flat
    # A flat score is a plateau over the whole search range.
    assert chance.plateau
    assert float(chance.plateau_start) == pytest.approx(SEARCH_RANGE[0], rel=1e-9)
    assert float(chance.plateau_stop) == pytest.approx(SEARCH_RANGE[1], rel=1e-9)


# -- plateaus ----------------------------------------------------------------------------------


def _assert_plateau_is_the_tied_weights(best, beta, curve, **options):
    """Every weight of the plateau ties with the best score; just outside, none does."""
    floor = float(best.score) * (1 - PLATEAU_TOLERANCE)
    inside = np.geomspace(best.plateau_start * (1 + 1e-9), best.plateau_stop, 301)
    assert np.all(expected_score(inside, beta, curve, **options) >= floor)
    low, high = np.exp(theory.optimum.search_bounds((1 - beta) / beta))
    for outside in (best.plateau_start * (1 - 1e-3), best.plateau_stop * (1 + 1e-3)):
        if low < outside < high:
            assert float(expected_score(outside, beta, curve, **options)) < floor


def test_a_plateau_where_recall_rounds_to_one_is_flagged():
    # Binormal d = 0.1 at beta = 0.28: F2 is best at (nearly) every row predicted positive. From
    # a weight of about 5 on, recall is within 1e-12 of 1 and F2 the same to 1e-12 relative, up
    # to the end of the search: the weight found (7.2 before plateaus were reported) is one of
    # a million equally good.
    curve, options = Binormal(0.1), {"metric": "f2", "rule": "bayes"}
    best = optimize_alpha(0.28, curve, **options)
    assert best.plateau and not best.flat and not best.at_edge
    assert float(best.plateau_start) == pytest.approx(5.05, rel=1e-2)
    assert float(best.plateau_stop) == pytest.approx(SEARCH_RANGE[1], rel=1e-9)
    assert best.plateau_start <= best.alpha <= best.plateau_stop
    assert float(best.score) == pytest.approx(5 * 0.28 / (5 * 0.28 + 0.72), rel=1e-12)
    _assert_plateau_is_the_tied_weights(best, 0.28, curve, **options)


@pytest.mark.parametrize("curve", [Superellipse(1.0), Binormal(0.0)], ids=repr)
def test_chance_line_under_bayes_is_a_plateau_above_the_inverse_weight(curve):
    # Every weight above (1-beta)/beta = 99 puts the model in the corner (1, 0): F1 2*beta/(1+beta)
    # for all of them, and the weight 100 the search returns is as good as any.
    best = optimize_alpha(0.01, curve, metric="f1", rule="bayes")
    assert best.plateau and not best.flat and not best.at_edge
    assert float(best.plateau_start) == pytest.approx(99.0, rel=1e-9)
    assert float(best.plateau_stop) == pytest.approx(SEARCH_RANGE[1], rel=1e-9)
    assert float(best.score) == pytest.approx(2 * 0.01 / 1.01, rel=1e-12)
    _assert_plateau_is_the_tied_weights(best, 0.01, curve, metric="f1", rule="bayes")


@pytest.mark.parametrize("metric", ["f1", "balanced_accuracy", "mcc"])
@pytest.mark.parametrize("rule", SEARCHING_RULES)
def test_smooth_optima_are_not_plateaus(rule, metric):
    for curve in [Superellipse(np.array([1.5, 2.0, 11.0, 40.0])), Binormal(np.array([0.7, 2.0]))]:
        best = optimize_alpha(BETAS, curve, metric=metric, rule=rule)
        assert not np.any(best.plateau)
        np.testing.assert_array_equal(best.plateau_start, best.alpha)
        np.testing.assert_array_equal(best.plateau_stop, best.alpha)


class _OnlyACurve:
    """The methods of the Curve protocol and nothing else, delegated to a built-in family."""

    def __init__(self, curve):
        self._curve = curve

    def specificity(self, x):
        return self._curve.specificity(x)

    def slope(self, x):
        return self._curve.slope(x)

    def elasticity(self, x):
        return self._curve.elasticity(x)

    def point_at_slope(self, m):
        return self._curve.point_at_slope(m)

    def point_at_elasticity(self, e):
        return self._curve.point_at_elasticity(e)


@pytest.mark.parametrize("wrap", [lambda curve: curve, _OnlyACurve], ids=["family", "protocol"])
def test_plateaus_among_many_problems_are_those_of_each(wrap):
    # The ends of a plateau are searched for the elements that have one alone on a built-in
    # family, and on every element of any other curve; either way each element's answer is its
    # own scalar search's.
    beta = np.array([0.01, 0.1, 0.3])[:, None]
    shapes = np.array([1.0, 2.0, 11.0])
    best = optimize_alpha(beta, wrap(Superellipse(shapes)), metric="f1", rule="bayes")
    np.testing.assert_array_equal(best.plateau, np.broadcast_to(shapes == 1.0, (3, 3)))
    for i, j in np.ndindex(3, 3):
        single = optimize_alpha(float(beta[i, 0]), shapes[j], metric="f1", rule="bayes")
        assert best.plateau_start[i, j] == pytest.approx(float(single.plateau_start), rel=1e-9)
        assert best.plateau_stop[i, j] == pytest.approx(float(single.plateau_stop), rel=1e-9)
    np.testing.assert_allclose(best.plateau_start[:, 0], (1 - beta[:, 0]) / beta[:, 0], rtol=1e-9)


def test_the_superellipse_f1_optimum_ties_over_a_stretch_far_narrower_than_a_plateau():
    # p = 2, beta = 0.01, bce: the optimum 2.0101 of a smooth score. Weights within 1e-12 of its
    # F1 span about 6e-6 in log(alpha), 1700 times less than the width that makes a plateau.
    best = optimize_alpha(0.01, 2.0)
    assert not best.plateau
    floor = float(best.score) * (1 - PLATEAU_TOLERANCE)
    for step in (PLATEAU_WIDTH / 2, PLATEAU_WIDTH / 20):
        around = best.alpha * np.exp([-step, step])
        assert np.all(expected_score(around, 0.01, 2.0) < floor)


@pytest.mark.parametrize("metric", ["f1", "mcc", "balanced_accuracy", "cost"])
@pytest.mark.parametrize("rule", ["bce", "bayes"])
def test_optimum_on_a_curve_with_a_hook_beats_every_weight_of_a_grid(rule, metric):
    # Under the bayes rule the point jumps over the hook, and the score with it; the score can
    # be flat on the far side of the jump, where the bisection's slope is 0.
    curve = Binormal(np.array([0.5, 1.0, 2.0])[:, None, None], np.array([0.5, 2.0])[:, None])
    beta = np.array([0.01, 0.1, 0.4])
    options = {"metric": metric, "rule": rule}
    sign = -1.0 if metric == "cost" else 1.0
    best = optimize_alpha(beta, curve, **options)
    alphas = np.logspace(-3, 6, 3001)[:, None, None, None]
    on_grid = sign * expected_score(alphas, beta, curve, **options)
    assert best.score.shape == (3, 2, 3)
    assert np.all(sign * best.score >= on_grid.max(axis=0) - 1e-12)


def test_a_maximum_just_past_a_jump_is_found():
    # Binormal d = 0.5, s = 0.5, beta = 0.01, bayes: F1 is 0 up to a weight of about 57, where
    # the point jumps from (0, 1) over the hook, then peaks at 58.77 = 2/F1* - 1. The coarse
    # grid's best point is 72; the search once stopped there, on the far side of the maximum.
    curve = Binormal(0.5, 0.5)
    best = optimize_alpha(0.01, curve, metric="f1", rule="bayes")
    brute = _best_f1_on_the_curve(curve, 0.01)
    assert float(best.score) == pytest.approx(brute, rel=1e-8)
    assert float(best.alpha) == pytest.approx(2 / brute - 1, rel=1e-6)
    assert float(expected_score(50.0, 0.01, curve, rule="bayes")) == 0.0
