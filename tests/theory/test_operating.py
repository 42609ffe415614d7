"""Operating points of the rules, the expected scores there, and the owners of errors."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import special, stats

from theory.curves import AsymmetricSuperellipse, Binormal, Superellipse
from theory.operating import expected_score, expected_scores, operating_point
from theory.optimum import optimize_alpha
from theory.scores import SCORE_NAMES

ALPHAS = np.logspace(-2, 4, 25)[:, None, None]
BETAS = np.array([0.001, 0.01, 0.2, 0.7])[:, None]
CURVES = {
    "superellipse-1.5": Superellipse(1.5),
    "superellipse-4": Superellipse(4.0),
    "asymmetric-2-3": AsymmetricSuperellipse(2.0, 3.0),
    "asymmetric-6-1.5": AsymmetricSuperellipse(6.0, 1.5),
    "binormal-0.7": Binormal(0.7),
    "binormal-2.5": Binormal(2.5),
    # Unequal variances: the ROC has a hook near (0, 1) (s < 1) or near (1, 0) (s > 1).
    "binormal-1-0.5": Binormal(1.0, 0.5),
    "binormal-1.5-2": Binormal(1.5, 2.0),
}
OBJECTIVES = {
    "bce": lambda alpha, beta, x, z: alpha * beta * np.log(x) + (1 - beta) * np.log(z),
    "bayes": lambda alpha, beta, x, z: alpha * beta * x + (1 - beta) * z,
    # The focal rule at its default gamma = 2.
    "focal": lambda alpha, beta, x, z: (
        alpha * beta * (1 - x) ** 2 * np.log(x) + (1 - beta) * (1 - z) ** 2 * np.log(z)
    ),
}


def test_bce_rule_closed_form_on_the_superellipse():
    p = np.array([1.0, 1.5, 2.0, 11.0, 40.0])
    x, z = operating_point(ALPHAS, BETAS, p)
    ab = ALPHAS * BETAS
    expected_x = (ab / (ab - BETAS + 1)) ** (1 / p)
    np.testing.assert_allclose(x, expected_x, rtol=1e-12)
    np.testing.assert_allclose(z, ((1 - BETAS) / (ab - BETAS + 1)) ** (1 / p), rtol=1e-12)


def test_bayes_rule_closed_form_on_the_superellipse():
    p = np.array([1.2, 2.0, 5.0, 11.0, 40.0])
    x, z = operating_point(ALPHAS, BETAS, p, rule="bayes")
    k = (ALPHAS * BETAS / (1 - BETAS)) ** (1 / (p - 1))
    expected_x = (k**p / (1 + k**p)) ** (1 / p)
    np.testing.assert_allclose(x, expected_x, rtol=1e-10)
    # z is computed from x, so where x is within 1e-10 of 1 only z's absolute error is small.
    np.testing.assert_allclose(z, expected_x / k, rtol=1e-10, atol=1e-12)


def test_bayes_rule_threshold_on_the_binormal():
    d = np.array([0.3, 1.0, 2.0, 4.0])
    x, z = operating_point(ALPHAS, BETAS, Binormal(d), rule="bayes")
    threshold = d / 2 + np.log((1 - BETAS) / (ALPHAS * BETAS)) / d
    np.testing.assert_allclose(x, stats.norm.sf(threshold, loc=d), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(z, stats.norm.cdf(threshold), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("rule", OBJECTIVES)
@pytest.mark.parametrize("name", CURVES)
def test_point_maximises_the_rule_objective(name, rule):
    curve, objective = CURVES[name], OBJECTIVES[rule]
    # Every point of the curve, dense in logit(x) so that both corners are covered.
    x_grid = special.expit(np.linspace(-30, 30, 200_001))
    z_grid = curve.specificity(x_grid)
    for alpha in (0.3, 1.0, 7.0, 99.0, 1000.0):
        for beta in (0.01, 0.3):
            x, z = operating_point(alpha, beta, curve, rule=rule)
            assert z == pytest.approx(curve.specificity(x), rel=1e-12)
            with np.errstate(divide="ignore"):
                on_grid = objective(alpha, beta, x_grid, z_grid)
            best = np.argmax(on_grid)
            attained = objective(alpha, beta, x, z)
            assert attained >= on_grid[best] - 1e-12 * abs(on_grid[best])
            assert x == pytest.approx(x_grid[best], abs=1e-3)


curves = st.one_of(
    st.floats(1.0, 60.0).map(Superellipse),
    st.tuples(st.floats(1.0, 30.0), st.floats(1.0, 30.0)).map(
        lambda pq: AsymmetricSuperellipse(*pq)
    ),
    st.floats(0.0, 6.0).map(Binormal),
    st.tuples(st.floats(0.0, 6.0), st.floats(0.2, 5.0)).map(lambda ds: Binormal(*ds)),
)
rules = st.sampled_from(["bce", "bayes", "focal"])
log_alphas = st.floats(-3.0, 5.0)
betas = st.floats(1e-4, 0.9)


@given(curves, rules, betas, log_alphas, log_alphas)
def test_recall_rises_and_specificity_falls_with_alpha(curve, rule, beta, log_a, log_b):
    low, high = np.exp(min(log_a, log_b)), np.exp(max(log_a, log_b))
    x_low, z_low = operating_point(low, beta, curve, rule=rule)
    x_high, z_high = operating_point(high, beta, curve, rule=rule)
    assert x_high >= x_low - 1e-12
    assert z_high <= z_low + 1e-12


@given(curves, rules, betas, log_alphas)
def test_every_score_is_in_range(curve, rule, beta, log_alpha):
    scores = expected_scores(np.exp(log_alpha), beta, curve, rule=rule, fbeta=(0.5, 2.0, 3.0))
    assert set(SCORE_NAMES) | {"f0.5", "f2", "f3"} <= set(scores)
    for name, value in scores.items():
        low = -1.0 if name == "mcc" else 0.0
        assert low <= value <= 1.0, (name, value)


@given(st.integers(1, 6), st.integers(1, 6), st.sampled_from(["bce", "bayes"]))
def test_shapes_broadcast(n, m, rule):
    alpha = np.logspace(-1, 3, n)[:, None]
    p = np.linspace(1.0, 30.0, m)
    x, z = operating_point(alpha, 0.05, p, rule=rule)
    scores = expected_scores(alpha, 0.05, p, rule=rule)
    assert x.shape == z.shape == (n, m)
    assert all(value.shape == (n, m) for value in scores.values())
    for i in range(n):
        for j in range(m):
            x_ij, z_ij = operating_point(alpha[i, 0], 0.05, p[j], rule=rule)
            assert x[i, j] == pytest.approx(x_ij, rel=1e-12, abs=1e-300)
            assert z[i, j] == pytest.approx(z_ij, rel=1e-12, abs=1e-300)


def test_beta_and_curve_parameters_broadcast():
    beta = np.array([0.01, 0.1, 0.5])[:, None]
    d = np.array([0.5, 1.0, 2.0, 3.0])
    x, _ = operating_point(10.0, beta, Binormal(d), rule="bce")
    assert x.shape == (3, 4)
    assert x[1, 2] == operating_point(10.0, 0.1, Binormal(2.0), rule="bce")[0]


def test_scores_are_those_of_the_operating_point():
    x, z = operating_point(5.0, 0.02, Binormal(1.5), rule="bayes")
    scores = expected_scores(5.0, 0.02, Binormal(1.5), rule="bayes")
    assert scores["recall"] == pytest.approx(x, rel=1e-12)
    assert scores["specificity"] == pytest.approx(z, rel=1e-12)
    assert scores["f1"] == pytest.approx(2 * 0.02 * x / (0.02 * x + 0.02 * z + 1 - z))
    assert scores["balanced_accuracy"] == pytest.approx((x + z) / 2)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (
            (1.0, 1.5, 2.0),
            {},
            r"^The 'beta' parameter of {owner} must be a float in the range "
            r"\[2\.22507e-308, 1\)\. Got 1\.5 instead\.$",
        ),
        ((1.0, 0.0, 2.0), {}, r"'beta' parameter of {owner} .*1\)\. Got 0\.0 instead"),
        ((1.0, 1e-320, 2.0), {}, r"'beta' parameter of {owner} .*1\)\. Got 1e-320 instead"),
        (
            (0.0, 0.1, 2.0),
            {},
            r"^The 'alpha' parameter of {owner} must be a float in the range "
            r"\(0, inf\)\. Got 0\.0 instead\.$",
        ),
        (([1.0, -2.0], 0.1, 2.0), {}, r"'alpha' parameter of {owner} .*Got -2\.0 instead"),
        ((1.0, 0.1, 0.5), {}, r"'p' parameter of {owner} .*\[1, 1000000\]\. Got 0\.5 instead"),
        (
            (1.0, 0.1, "binormal"),
            {},
            r"^The 'curve' parameter of {owner} must be a curve .*Got 'binormal' instead\.$",
        ),
        (
            (1.0, 0.1, 2.0),
            {"rule": "x"},
            r"^The 'rule' parameter of {owner} must be one of 'bce', 'bayes', 'focal'\. "
            r"Got 'x' instead\.$",
        ),
    ],
)
@pytest.mark.parametrize("function", [operating_point, expected_score, expected_scores])
def test_errors_name_the_function_called(function, args, kwargs, message):
    with pytest.raises(ValueError, match=message.format(owner=function.__name__)):
        function(*args, **kwargs)


@pytest.mark.parametrize(
    ("function", "kwargs", "message"),
    [
        (
            operating_point,
            {"rule": "focal", "gamma": -1},
            r"^The 'gamma' parameter of operating_point must be a float in the range \[0, inf\)\. "
            r"Got -1\.0 instead\.$",
        ),
        (
            expected_score,
            {"gamma": 2.0},
            r"^The 'gamma' parameter of expected_score must be None unless rule is 'focal'\. "
            r"Got 2\.0 instead\.$",
        ),
        (
            expected_score,
            {"cost_fn": 5.0},
            r"^The 'cost_fn' parameter of expected_score must be None unless metric is 'cost'\. "
            r"Got 5\.0 instead\.$",
        ),
        (
            expected_scores,
            {"cost_fp": 0.0},
            r"^The 'cost_fp' parameter of expected_scores must be a float in the range "
            r"\(0, inf\)\. Got 0\.0 instead\.$",
        ),
    ],
)
def test_gamma_and_costs_name_the_function_called(function, kwargs, message):
    with pytest.raises(ValueError, match=message):
        function(1.0, 0.01, 2.0, **kwargs)


def test_costs_price_the_cost_score():
    costs = {"cost_fn": 5.0, "cost_fp": 2.0}
    scores = expected_scores(ALPHAS, BETAS, Binormal(1.5), **costs)
    single = expected_score(ALPHAS, BETAS, Binormal(1.5), metric="cost", **costs)
    np.testing.assert_array_equal(scores["cost"], single)
    x, z = scores["recall"], scores["specificity"]
    np.testing.assert_allclose(single, 5.0 * BETAS * (1 - x) + 2.0 * (1 - BETAS) * (1 - z))
    unpriced = expected_scores(ALPHAS, BETAS, Binormal(1.5))
    np.testing.assert_allclose(unpriced["cost"], 1 - unpriced["accuracy"], atol=1e-15)


def test_bad_fbeta_names_the_function_called():
    with pytest.raises(ValueError, match=r"'fbeta' parameter of expected_scores .*Got 0\.0"):
        expected_scores(1.0, 0.01, 2.0, fbeta=0.0)


def test_bad_metric_names_expected_score():
    with pytest.raises(
        ValueError,
        match=r"^The 'metric' parameter of expected_score must be one of 'recall', .*'cost' or "
        r"'f<b>' with b in \(0, 1e\+100\]\. Got 'nope' instead\.$",
    ):
        expected_score(1.0, 0.01, 2.0, metric="nope")


@pytest.mark.parametrize("function", [operating_point, expected_score, expected_scores])
def test_rule_is_keyword_only(function):
    with pytest.raises(TypeError, match="positional argument"):
        function(1.0, 0.01, 2.0, "bce")


# -- one expected score ----------------------------------------------------------------------


@pytest.mark.parametrize("rule", ["bce", "bayes", "focal"])
@pytest.mark.parametrize("name", CURVES)
def test_expected_score_is_the_entry_of_expected_scores(name, rule):
    curve = CURVES[name]
    scores = expected_scores(ALPHAS, BETAS, curve, rule=rule, fbeta=(2.0, 0.5))
    for metric, value in scores.items():
        single = expected_score(ALPHAS, BETAS, curve, metric=metric, rule=rule)
        assert single.shape == value.shape
        np.testing.assert_array_equal(single, value)


def test_expected_score_defaults_to_f1_under_bce():
    np.testing.assert_array_equal(
        expected_score(ALPHAS, BETAS, 3.0), expected_scores(ALPHAS, BETAS, 3.0)["f1"]
    )


@pytest.mark.parametrize("metric", ["f1", "balanced_accuracy", "mcc", "f2", "hter"])
@pytest.mark.parametrize("rule", ["bce", "bayes"])
def test_expected_score_is_the_optimisers_score(metric, rule):
    curve = Binormal(np.array([0.7, 1.5, 3.0]))
    beta = np.array([0.01, 0.2])[:, None]
    best = optimize_alpha(beta, curve, metric=metric, rule=rule)
    at_best = expected_score(best.alpha, beta, curve, metric=metric, rule=rule)
    np.testing.assert_allclose(at_best, best.score, rtol=1e-14)
    at_one = expected_score(1.0, beta, curve, metric=metric, rule=rule)
    np.testing.assert_allclose(at_one, best.score_at_one, rtol=1e-14)


# -- precision where a rate rounds to 1 ---------------------------------------------------------


def _mp_rates(curve, rule, ratio, mpmath):
    """Recall, specificity and their complements at the rule's point, in 50-digit arithmetic.

    Each family's point from its own closed form (or, for the binormal's bce point, the root of
    its stationarity condition, found by mpmath from the float answer's threshold).
    """
    r = mpmath.mpf(ratio)
    if isinstance(curve, Superellipse):
        p = mpmath.mpf(float(curve.p))
        # bayes: x**p = k/(1+k), z**p = 1/(1+k) with k = r**(p/(p-1)); bce: the same with k = r.
        k = r ** (p / (p - 1)) if rule == "bayes" else r
        x, z = (k / (1 + k)) ** (1 / p), (1 / (1 + k)) ** (1 / p)
        return x, z, 1 - x, 1 - z
    d, s = mpmath.mpf(float(curve.d)), mpmath.mpf(float(curve.s))

    def rates_at(t):
        return mpmath.ncdf((d - t) / s), mpmath.ncdf(t), mpmath.ncdf((t - d) / s), mpmath.ncdf(-t)

    if rule == "bayes":
        # The root of (1 - s**2) t**2 - 2 d t + d**2 + 2 s**2 log(s/r) = 0 that is the local
        # maximum of r*x + z (the smaller one for s < 1, the larger for s > 1), or, at s = 1,
        # t = d/2 - log(r)/d; the cases below have it beat both corners.
        if s == 1:
            return rates_at(d / 2 - mpmath.log(r) / d)
        a, c = 1 - s**2, d**2 + 2 * s**2 * mpmath.log(s / r)
        roots = [(d + k * mpmath.sqrt(d**2 - a * c)) / a for k in (-1, 1)]
        return rates_at(min(roots) if s < 1 else max(roots))
    # A start from the float answer's threshold, read off its resolved specificity.
    start = curve.rates_at_elasticity(ratio)
    t0 = float(special.ndtri(start.z) if start.z < 0.5 else -special.ndtri(start.fpr))

    def excess(t):
        x, z, _, _ = rates_at(t)
        steepness = s * mpmath.npdf(t) / mpmath.npdf((d - t) / s)
        return steepness * x / z - r

    return rates_at(mpmath.findroot(excess, t0))


@pytest.mark.parametrize(
    ("alpha", "beta", "curve", "rule"),
    [
        # The case that exposed the loss: z = 1 - 1.3e-17 rounds to 1, so 1 - z was 0 and the
        # precision 1 instead of 0.777.
        (0.4314443, 6.1659337e-6, Superellipse(1.5002447), "bayes"),
        (0.316, 1e-8, Superellipse(2.0), "bayes"),
        (1e-12, 1e-4, Superellipse(1.2), "bce"),
        # z -> 1 on the binormal: 1 - z = Phi(-t) at a large threshold t.
        (0.1, 1e-8, Binormal(3.0), "bayes"),
        (0.16, 1e-14, Binormal(6.0), "bayes"),
        (3.2e-9, 1e-8, Binormal(3.0), "bce"),
        (4e-3, 1e-14, Binormal(4.0, 2.0), "bce"),
        # x -> 1: with s > 1 the false-negative rate Phi((t - d)/s) outweighs the specificity
        # Phi(t) as t falls, and decides the NPV, TN / (TN + FN), both tiny (1 - x made it 1).
        (1e19, 0.01, Binormal(2.0, 1.5), "bce"),
        (1e19, 0.01, Binormal(2.0, 2.0), "bce"),
        (1e30, 0.3, Superellipse(3.0), "bce"),
    ],
)
def test_scores_keep_their_precision_where_a_rate_rounds_to_one(alpha, beta, curve, rule):
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 50
    ratio = alpha * beta / (1 - beta)
    x, z, fnr, fpr = _mp_rates(curve, rule, ratio, mpmath)
    b = mpmath.mpf(beta)
    tp, fp, fn, tn = b * x, (1 - b) * fpr, b * fnr, (1 - b) * z
    expected = {
        "precision": tp / (tp + fp),
        "npv": tn / (tn + fn),
        "f1": 2 * tp / (2 * tp + fp + fn),
        "mcc": (tp * tn - fp * fn) / mpmath.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)),
    }
    assert min(x, z) > 0 and max(x, z) > 1 - mpmath.mpf(2) ** -53  # a rate rounds to 1
    scores = expected_scores(alpha, beta, curve, rule=rule)
    for name, value in expected.items():
        assert float(scores[name]) == pytest.approx(float(value), rel=1e-9), name
