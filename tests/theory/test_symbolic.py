import subprocess
import sys

import numpy as np
import pytest
import sympy
from scipy import special

import theory
from theory import symbolic

#: Each sympy derivation takes seconds: the slow tier.
pytestmark = pytest.mark.slow

alpha, beta, p = sympy.symbols("alpha beta p", positive=True)
x_symbol = sympy.Symbol("x", positive=True)

ALPHAS = np.logspace(0, 2.5, 20)[:, None, None]
SHAPES = np.array([1.5, 2.0, 5.0, 11.0, 40.0])[None, :, None]
BETAS = np.array([0.01, 0.1, 0.3])[None, None, :]
#: (beta, p) pairs at which the F1 optimum is checked.
OPTIMUM_CASES = [(0.01, 2.0), (0.01, 11.0), (0.01, 40.0), (0.1, 1.5), (0.3, 5.0)]


def _random_points(n, seed=0):
    rng = np.random.default_rng(seed)
    return zip(
        rng.uniform(0.2, 300.0, n),
        rng.uniform(0.005, 0.6, n),
        rng.uniform(1.1, 40.0, n),
        strict=True,
    )


def _at(expr, a, b, q):
    return complex(expr.evalf(30, subs={alpha: a, beta: b, p: q}))


def _numeric(expr):
    return sympy.lambdify((alpha, beta, p), expr, "numpy")


@pytest.mark.slow
def test_expressions_use_the_public_symbols_only():
    expressions = [
        symbolic.stationary_point(),
        symbolic.expected_f1(),
        symbolic.expected_balanced_accuracy(),
        symbolic.f1_alpha_derivative(),
        *symbolic.bayes_point_superellipse(),
    ]
    for expr in expressions:
        assert expr.free_symbols == {alpha, beta, p}
    assert symbolic.balanced_accuracy_optimal_alpha().free_symbols == {beta}
    assert (alpha, beta, p, x_symbol) == (symbolic.ALPHA, symbolic.BETA, symbolic.P, symbolic.X)


def test_stationary_point_is_the_closed_form():
    found = symbolic.stationary_point()
    closed = (alpha * beta / (alpha * beta - beta + 1)) ** (1 / p)
    assert sympy.simplify(found - closed) == 0
    for point in _random_points(5):
        assert _at(found, *point) == pytest.approx(_at(closed, *point), rel=1e-25)


def test_stationary_point_zeroes_the_objective_slope():
    objective = alpha * beta * sympy.log(x_symbol) + (1 - beta) / p * sympy.log(1 - x_symbol**p)
    slope = sympy.diff(objective, x_symbol).subs(x_symbol, symbolic.stationary_point())
    for point in _random_points(5, seed=1):
        assert abs(_at(slope, *point)) < 1e-20


def test_expected_scores_are_the_posts_formulas():
    x = symbolic.stationary_point()
    z = (1 - x**p) ** (1 / p)
    f1 = 2 * beta * x / (beta * x + beta * z + 1 - z)
    for point in _random_points(5, seed=2):
        assert _at(symbolic.expected_f1(), *point) == pytest.approx(_at(f1, *point), rel=1e-25)
        ba = _at(symbolic.expected_balanced_accuracy(), *point)
        assert ba == pytest.approx(_at((x + z) / 2, *point), rel=1e-25)


def test_operating_point_matches_the_derivation():
    x_expr = symbolic.stationary_point()
    x, z = theory.operating_point(ALPHAS, BETAS, SHAPES, rule="bce")
    np.testing.assert_allclose(x, _numeric(x_expr)(ALPHAS, BETAS, SHAPES), rtol=1e-10)
    z_expr = (1 - x_expr**p) ** (1 / p)
    np.testing.assert_allclose(z, _numeric(z_expr)(ALPHAS, BETAS, SHAPES), rtol=1e-10)


def test_expected_scores_match_the_lambdified_expressions():
    scores = theory.expected_scores(ALPHAS, BETAS, SHAPES)
    f1 = symbolic.expected_f1_function()(ALPHAS, BETAS, SHAPES)
    ba = symbolic.expected_balanced_accuracy_function()(ALPHAS, BETAS, SHAPES)
    assert f1.shape == ba.shape == (20, 5, 3)
    np.testing.assert_allclose(scores["f1"], f1, rtol=1e-10)
    np.testing.assert_allclose(scores["balanced_accuracy"], ba, rtol=1e-10)


def test_numeric_functions_are_built_once_and_take_any_numbers():
    function = symbolic.expected_f1_function()
    assert symbolic.expected_f1_function() is function
    value = function(3, 0.01, 2)
    assert isinstance(value, np.ndarray)
    assert value == pytest.approx(function(3.0, 0.01, 2.0))
    assert function([1.0, 2.0], 0.01, [[2.0], [5.0], [9.0]]).shape == (3, 2)


def _log_alpha_difference(function, step=1e-5):
    """Central difference of ``function(alpha)`` in log(alpha), i.e. alpha * d/d alpha."""
    return (function(ALPHAS * np.exp(step)) - function(ALPHAS * np.exp(-step))) / (2 * step)


def test_f1_derivative_matches_finite_differences():
    derivative = ALPHAS * symbolic.f1_alpha_derivative_function()(ALPHAS, BETAS, SHAPES)
    f1 = symbolic.expected_f1_function()
    lambdified = _log_alpha_difference(lambda a: f1(a, BETAS, SHAPES))
    numeric = _log_alpha_difference(lambda a: theory.expected_scores(a, BETAS, SHAPES)["f1"])
    np.testing.assert_allclose(derivative, lambdified, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(derivative, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize(("b", "q"), OPTIMUM_CASES)
def test_f1_derivative_changes_sign_at_the_optimal_alpha(b, q):
    best = float(theory.optimal_alpha(b, q))
    derivative = symbolic.f1_alpha_derivative_function()
    assert derivative(best * (1 - 1e-5), b, q) > 0
    assert derivative(best * (1 + 1e-5), b, q) < 0


def test_balanced_accuracy_optimum_is_the_inverse_proportion_weight():
    found = symbolic.balanced_accuracy_optimal_alpha()
    assert sympy.simplify(found - (1 - beta) / beta) == 0
    betas, shapes = BETAS.ravel(), SHAPES.ravel()[:, None]
    numeric = theory.optimal_alpha(betas, shapes, metric="balanced_accuracy")
    expected = np.broadcast_to(_numeric(found)(1.0, betas, shapes), numeric.shape)
    np.testing.assert_allclose(numeric, expected, rtol=1e-6)


def test_balanced_accuracy_optimum_zeroes_the_derivative():
    derivative = sympy.diff(symbolic.expected_balanced_accuracy(), alpha)
    at_optimum = derivative.subs(alpha, symbolic.balanced_accuracy_optimal_alpha())
    for point in _random_points(5, seed=3):
        assert abs(_at(at_optimum, *point)) < 1e-20


@pytest.mark.parametrize("q", [1.5, 2.0, 5.0, 20.0])
def test_bayes_point_matches_the_numeric_rule(q):
    alphas, betas = ALPHAS[:, :, 0], BETAS[0]
    x_expr, z_expr = symbolic.bayes_point_superellipse()
    x, z = theory.operating_point(alphas, betas, q, rule="bayes")
    np.testing.assert_allclose(x, _numeric(x_expr)(alphas, betas, q), rtol=1e-10)
    np.testing.assert_allclose(z, _numeric(z_expr)(alphas, betas, q), rtol=1e-10)


def test_bayes_point_is_the_closed_form_on_the_curve():
    x, z = symbolic.bayes_point_superellipse()
    k = (alpha * beta / (1 - beta)) ** (1 / (p - 1))
    closed_x = (k**p / (1 + k**p)) ** (1 / p)
    for point in _random_points(5, seed=4):
        assert _at(x, *point) == pytest.approx(_at(closed_x, *point), rel=1e-25)
        assert _at(z, *point) == pytest.approx(_at(closed_x / k, *point), rel=1e-25)
        assert _at(x**p + z**p, *point) == pytest.approx(1.0, rel=1e-25)


@pytest.mark.slow
def test_numeric_package_does_not_import_sympy():
    code = "import sys, theory; assert 'sympy' not in sys.modules, 'theory imported sympy'"
    subprocess.run([sys.executable, "-c", code], check=True)


# -- the rules on any curve, and the least expected cost (slow: sympy solves on z(x)) ------------

m_symbol, z_symbol = sympy.Symbol("m", positive=True), sympy.Symbol("z", positive=True)
FOCAL_CURVES = [
    theory.Superellipse(3.0),
    theory.AsymmetricSuperellipse(2.0, 4.0),
    theory.Binormal(1.2),
    theory.Superellipse(1.0),
]


@pytest.mark.slow
def test_rule_quantities_are_the_elasticity_and_the_slope():
    assert sympy.simplify(symbolic.rule_quantity("bce") - m_symbol * x_symbol / z_symbol) == 0
    assert symbolic.rule_quantity("bayes") == m_symbol
    focal_at_zero = symbolic.rule_quantity("focal").subs(symbolic.GAMMA, 0)
    assert sympy.simplify(focal_at_zero - m_symbol * x_symbol / z_symbol) == 0
    assert symbolic.rule_quantity("focal").free_symbols == {
        x_symbol,
        z_symbol,
        m_symbol,
        symbolic.GAMMA,
    }


@pytest.mark.slow
@pytest.mark.parametrize("curve", FOCAL_CURVES, ids=repr)
@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0, 5.0])
def test_focal_quantity_matches_the_derivation(gamma, curve):
    x = np.linspace(0.02, 0.98, 49)
    derived = symbolic.rule_quantity_function("focal")(
        x, curve.specificity(x), -curve.slope(x), gamma
    )
    numeric = theory.rule_named("focal", "test", gamma=gamma).quantity(curve, x)
    np.testing.assert_allclose(numeric, derived, rtol=1e-10)
    # The solver inverts it: the point it finds has the derived quantity it was asked for.
    ratios = np.logspace(-2, 2, 9)
    found, specificity = theory.rule_named("focal", "test", gamma=gamma).point(curve, ratios)
    at_found = symbolic.rule_quantity_function("focal")(
        found, specificity, -curve.slope(found), gamma
    )
    np.testing.assert_allclose(at_found, ratios, rtol=1e-8)


@pytest.mark.slow
def test_focal_objective_is_strictly_concave():
    t = sympy.Symbol("t", positive=True)
    gamma = symbolic.GAMMA
    expected = t**2 + 2 * gamma * t + gamma * (gamma - 1) * sympy.log(1 + t)
    assert sympy.simplify(symbolic.focal_curvature() - expected) == 0


@pytest.mark.slow
def test_bayes_cost_optimal_weight_is_the_cost_ratio_on_any_curve():
    c_fn, c_fp = symbolic.COST_FN, symbolic.COST_FP
    assert sympy.simplify(symbolic.cost_optimal_alpha("bayes") - c_fn / c_fp) == 0
    assert symbolic.cost_optimal_alpha("bayes").free_symbols == {c_fn, c_fp}
    steepness = beta * c_fn / ((1 - beta) * c_fp)
    assert sympy.simplify(symbolic.cost_optimal_steepness() - steepness) == 0
    assert (
        sympy.simplify(symbolic.cost_optimal_alpha("bce") - c_fn * x_symbol / (c_fp * z_symbol))
        == 0
    )


@pytest.mark.slow
@pytest.mark.parametrize("rule", ["bce", "focal"])
@pytest.mark.parametrize("curve", FOCAL_CURVES[:3], ids=repr)
def test_cost_optimal_weight_of_each_rule_matches_the_derivation(curve, rule):
    beta_value, cost_fn, cost_fp = 0.1, 5.0, 1.0
    x, z = theory.operating_point(cost_fn / cost_fp, beta_value, curve, rule="bayes")
    derived = symbolic.cost_optimal_alpha(rule).subs(
        {
            symbolic.COST_FN: cost_fn,
            symbolic.COST_FP: cost_fp,
            x_symbol: float(x),
            z_symbol: float(z),
            symbolic.GAMMA: 2.0,
        }
    )
    found = theory.optimal_alpha(
        beta_value, curve, metric="cost", rule=rule, cost_fn=cost_fn, cost_fp=cost_fp
    )
    assert float(found) == pytest.approx(float(derived), rel=1e-5)


# -- the binormal with unequal variances --------------------------------------------------------


def _binormal_numeric(expr, *symbols):
    return sympy.lambdify(
        (symbolic.SEPARATION, symbolic.SPREAD, *symbols), expr, modules=["numpy", "scipy"]
    )


@pytest.mark.parametrize(("d", "s"), [(0.5, 0.5), (1.0, 2.0), (2.5, 0.3), (1.5, 1.0)])
def test_binormal_steepness_matches_the_derivation(d, s):
    expr = symbolic.binormal_log_steepness()
    assert expr.free_symbols == {symbolic.CUTOFF, symbolic.SEPARATION, symbolic.SPREAD}
    curve = theory.Binormal(d, s)
    log_steepness = _binormal_numeric(expr, symbolic.CUTOFF)
    x = np.linspace(0.02, 0.98, 25)
    np.testing.assert_allclose(
        np.log(-curve.slope(x)), log_steepness(d, s, curve.threshold(x)), rtol=1e-12, atol=1e-12
    )


@pytest.mark.parametrize(("d", "s"), [(0.5, 0.5), (1.0, 2.0), (2.5, 0.3), (1.0, 4.0)])
def test_binormal_slope_thresholds_are_sympys_two_roots(d, s):
    roots = [
        _binormal_numeric(root, symbolic.STEEPNESS) for root in symbolic.binormal_slope_thresholds()
    ]
    assert len(roots) == 2
    for root in symbolic.binormal_slope_thresholds():
        assert root.free_symbols == {symbolic.SEPARATION, symbolic.SPREAD, symbolic.STEEPNESS}
    curve = theory.Binormal(d, s)
    m = np.logspace(-3, 3, 61)
    with np.errstate(invalid="ignore"):
        expected = np.sort([np.real_if_close(root(d, s, m)) for root in roots], axis=0)
    found = np.sort(curve.stationary_thresholds(m), axis=0)
    real = np.isfinite(found[0])
    assert real.any() and (~real).any()
    np.testing.assert_allclose(found[:, real], expected[:, real], rtol=1e-10, atol=1e-10)
    assert np.isnan(expected[:, ~real]).all()


# -- a model that moves as if weighted alpha**k -----------------------------------------------

k_symbol = symbolic.MOVEMENT
MOVEMENTS = (0.3, 0.7, 1.4)


def _moved_points(n, seed=0):
    movements = np.random.default_rng(seed + 100).uniform(0.2, 2.0, n)
    return [(*point, k) for point, k in zip(_random_points(n, seed), movements, strict=True)]


def _at_moved(expr, a, b, q, k):
    return complex(expr.evalf(30, subs={alpha: a, beta: b, p: q, k_symbol: k}))


def test_moved_expressions_use_the_public_symbols_only():
    for expr in (
        symbolic.moved_stationary_point(),
        symbolic.moved_expected_f1(),
        symbolic.moved_expected_balanced_accuracy(),
        symbolic.moved_f1_alpha_derivative(),
        *symbolic.moved_bayes_point_superellipse(),
    ):
        assert expr.free_symbols == {alpha, beta, p, k_symbol}
    assert symbolic.moved_balanced_accuracy_optimal_alpha().free_symbols == {beta, k_symbol}
    gain = symbolic.moved_balanced_accuracy_gain_over_inverse()
    assert gain.free_symbols == {beta, p, k_symbol}
    assert symbolic.moved_bayes_f1_optimal_alpha().free_symbols == {symbolic.BEST_F1, k_symbol}
    fraction = symbolic.moved_balanced_accuracy_positive_fraction()
    assert fraction.free_symbols == {beta, k_symbol}


def test_moved_derivatives_keep_every_stationary_weight_to_the_power_one_over_k():
    first, second = symbolic.moved_score_derivatives()
    star, slope, curvature = symbolic.OPTIMAL_WEIGHT, symbolic.SCORE_SLOPE, symbolic.SCORE_CURVATURE
    assert sympy.simplify(first - k_symbol * star ** (1 - 1 / k_symbol) * slope) == 0
    assert first.subs(slope, 0) == 0
    at_stationary = second.subs(slope, 0)
    assert sympy.simplify(at_stationary - k_symbol**2 * star ** (2 - 2 / k_symbol) * curvature) == 0
    # A concrete point x(a) = a / (1 + a) and score S = x (1 - x)**2, differentiated directly:
    # S(x(a)) is at its maximum at a = 1/2 (x = 1/3).
    a = sympy.Symbol("a", positive=True)
    point = a / (1 + a)
    unmoved = point * (1 - point) ** 2
    moved = unmoved.subs(a, alpha**k_symbol)
    for k in map(sympy.nsimplify, MOVEMENTS):
        for weight in map(sympy.nsimplify, (0.5, 0.3, 7.0)):
            at = {alpha: weight ** (1 / k), k_symbol: k}
            known = {
                star: weight,
                k_symbol: k,
                slope: sympy.diff(unmoved, a).subs(a, weight),
                curvature: sympy.diff(unmoved, a, 2).subs(a, weight),
            }
            for order, derived in ((1, first), (2, second)):
                direct = complex(sympy.diff(moved, alpha, order).evalf(30, subs=at))
                assert direct == pytest.approx(complex(derived.evalf(30, subs=known)), rel=1e-20)
        optimum = {alpha: sympy.Rational(1, 2) ** (1 / k), k_symbol: k}
        assert abs(complex(sympy.diff(moved, alpha).evalf(30, subs=optimum))) < 1e-25
        assert complex(sympy.diff(moved, alpha, 2).evalf(30, subs=optimum)).real < 0


def test_moved_stationary_point_is_the_posts_point_at_alpha_to_the_k():
    found = symbolic.moved_stationary_point()
    closed = (alpha**k_symbol * beta / (alpha**k_symbol * beta - beta + 1)) ** (1 / p)
    assert sympy.simplify(found - closed) == 0
    assert sympy.simplify(found.subs(k_symbol, 1) - symbolic.stationary_point()) == 0


def test_moved_f1_derivative_is_the_chain_rule():
    moved = symbolic.moved_f1_alpha_derivative()
    chain = (
        k_symbol
        * alpha ** (k_symbol - 1)
        * symbolic.f1_alpha_derivative().subs(alpha, alpha**k_symbol)
    )
    for point in _moved_points(6, seed=5):
        assert _at_moved(moved, *point) == pytest.approx(_at_moved(chain, *point), rel=1e-20)


@pytest.mark.parametrize("k", MOVEMENTS)
def test_moved_scores_match_the_numeric_functions(k):
    scores = theory.expected_scores(ALPHAS, BETAS, SHAPES, movement=k)
    f1 = symbolic.moved_expected_f1_function()(ALPHAS, BETAS, SHAPES, k)
    ba = symbolic.moved_expected_balanced_accuracy_function()(ALPHAS, BETAS, SHAPES, k)
    np.testing.assert_allclose(scores["f1"], f1, rtol=1e-10)
    np.testing.assert_allclose(scores["balanced_accuracy"], ba, rtol=1e-10)
    at_power = symbolic.expected_f1_function()(ALPHAS**k, BETAS, SHAPES)
    np.testing.assert_allclose(f1, at_power, rtol=1e-10)
    x, _ = theory.operating_point(ALPHAS, BETAS, SHAPES, movement=k)
    point = sympy.lambdify((alpha, beta, p, k_symbol), symbolic.moved_stationary_point())
    np.testing.assert_allclose(x, point(ALPHAS, BETAS, SHAPES, k), rtol=1e-10)


@pytest.mark.parametrize("k", MOVEMENTS)
@pytest.mark.parametrize(("b", "q"), OPTIMUM_CASES)
def test_moved_f1_derivative_changes_sign_at_the_moved_optimal_alpha(b, q, k):
    best = float(theory.optimal_alpha(b, q, movement=k))
    assert best == pytest.approx(float(theory.optimal_alpha(b, q)) ** (1 / k), rel=1e-12)
    derivative = symbolic.moved_f1_alpha_derivative_function()
    assert derivative(best * (1 - 1e-5), b, q, k) > 0
    assert derivative(best * (1 + 1e-5), b, q, k) < 0


def test_moved_balanced_accuracy_optimum_is_the_inverse_weight_to_the_power_one_over_k():
    found = symbolic.moved_balanced_accuracy_optimal_alpha()
    assert sympy.simplify(found - ((1 - beta) / beta) ** (1 / k_symbol)) == 0
    unmoved = symbolic.balanced_accuracy_optimal_alpha()
    assert sympy.simplify(found.subs(k_symbol, 1) - unmoved) == 0
    function = sympy.lambdify((beta, k_symbol), found)
    betas, shapes = BETAS.ravel(), SHAPES.ravel()[:, None]
    for k in MOVEMENTS:
        numeric = theory.optimal_alpha(betas, shapes, metric="balanced_accuracy", movement=k)
        expected = np.broadcast_to(function(betas, k), numeric.shape)
        np.testing.assert_allclose(numeric, expected, rtol=1e-6)


def test_moved_balanced_accuracy_gain_over_the_inverse_weight():
    gain = symbolic.moved_balanced_accuracy_gain_over_inverse()
    for _, b, q in _random_points(4, seed=6):
        assert abs(complex(gain.evalf(30, subs={beta: b, p: q, k_symbol: 1}))) < 1e-25
    function = sympy.lambdify((beta, p, k_symbol), gain)
    betas, shapes = BETAS.ravel(), SHAPES.ravel()[:, None]
    for k in MOVEMENTS:
        best = theory.optimize_alpha(betas, shapes, metric="balanced_accuracy", movement=k)
        np.testing.assert_allclose(
            best.gain_over_inverse, function(betas, shapes, k), rtol=1e-6, atol=1e-12
        )
        assert np.all(function(betas, shapes, k) > 0)
        # The gain over no weight is the k = 1 one: 1**k = 1, and the best score stays.
        unmoved = theory.optimize_alpha(betas, shapes, metric="balanced_accuracy")
        np.testing.assert_array_equal(best.gain_over_one, unmoved.gain_over_one)


@pytest.mark.parametrize("k", MOVEMENTS)
@pytest.mark.parametrize("q", [1.5, 2.0, 5.0, 20.0])
def test_moved_bayes_point_matches_the_numeric_rule(q, k):
    alphas, betas = ALPHAS[:, :, 0], BETAS[0]
    x_expr, z_expr = symbolic.moved_bayes_point_superellipse()
    x, z = theory.operating_point(alphas, betas, q, rule="bayes", movement=k)
    for got, expr in ((x, x_expr), (z, z_expr)):
        function = sympy.lambdify((alpha, beta, p, k_symbol), expr)
        np.testing.assert_allclose(got, function(alphas, betas, q, k), rtol=1e-10)


@pytest.mark.parametrize("k", MOVEMENTS)
@pytest.mark.parametrize(("b", "q"), [(0.01, 2.0), (0.01, 11.0), (0.1, 5.0)])
def test_moved_bayes_f1_derivative_changes_sign_at_the_moved_optimal_alpha(b, q, k):
    x, z = symbolic.moved_bayes_point_superellipse()
    f1 = 2 * beta * x / (beta * x + beta + (1 - beta) * (1 - z))
    derivative = sympy.lambdify((alpha, beta, p, k_symbol), sympy.diff(f1, alpha))
    best = float(theory.optimal_alpha(b, q, rule="bayes", movement=k))
    unmoved = float(theory.optimal_alpha(b, q, rule="bayes"))
    assert best == pytest.approx(unmoved ** (1 / k), rel=1e-12)
    assert derivative(best * (1 - 1e-5), b, q, k) > 0
    assert derivative(best * (1 + 1e-5), b, q, k) < 0


@pytest.mark.parametrize("rule", ["bce", "bayes", "focal"])
def test_moved_rule_weight_is_the_weight_to_the_power_one_over_k(rule):
    found = symbolic.moved_rule_weight(rule)
    expected = (symbolic.rule_quantity(rule) * (1 - beta) / beta) ** (1 / k_symbol)
    assert sympy.simplify(found - expected) == 0
    symbols = (x_symbol, z_symbol, m_symbol, beta, k_symbol, symbolic.GAMMA)
    weight = sympy.lambdify(symbols, found)
    x = np.linspace(0.1, 0.9, 9)
    gamma = {"gamma": 2.0} if rule == "focal" else {}
    for curve in FOCAL_CURVES[:3]:
        z, m = curve.specificity(x), -curve.slope(x)
        for k in MOVEMENTS:
            alphas = weight(x, z, m, 0.05, k, 2.0)
            reached, _ = theory.operating_point(alphas, 0.05, curve, rule=rule, movement=k, **gamma)
            np.testing.assert_allclose(reached, x, rtol=1e-8)


def test_moved_bayes_f1_optimum_on_any_curve():
    found = symbolic.moved_bayes_f1_optimal_alpha()
    best_f1 = symbolic.BEST_F1
    assert sympy.simplify(found - (2 / best_f1 - 1) ** (1 / k_symbol)) == 0
    assert sympy.simplify(found.subs(k_symbol, 1) - (2 / best_f1 - 1)) == 0
    function = sympy.lambdify((best_f1, k_symbol), found)
    curves = [theory.Superellipse(2.0), theory.Superellipse(11.0), theory.Binormal(1.0)]
    for curve in [*curves, theory.Binormal(2.5)]:
        for b in (0.01, 0.1):
            unmoved = theory.optimize_alpha(b, curve, rule="bayes")
            for k in MOVEMENTS:
                best = theory.optimize_alpha(b, curve, rule="bayes", movement=k)
                assert float(best.score) == pytest.approx(float(unmoved.score), rel=1e-12)
                expected = function(float(best.score), k)
                assert float(best.alpha) == pytest.approx(expected, rel=1e-6)


def test_moved_threshold_scales_the_odds_by_the_weight_to_the_power_k():
    found = symbolic.moved_threshold()
    t0, a0 = symbolic.THRESHOLD, symbolic.ALPHA_OBSERVED
    odds = found / (1 - found)
    assert sympy.simplify(odds - t0 / (1 - t0) * (a0 / alpha) ** k_symbol) == 0
    assert sympy.simplify(found.subs(k_symbol, 1) - symbolic.calibrated_threshold()) == 0
    # what_if_scores' threshold column, for probabilities under the bayes rule.
    rng = np.random.default_rng(3)
    labels = rng.random(4000) < 0.08
    scores = special.expit(rng.normal(-3.0, 1.2, 4000) + 2.4 * labels)
    function = sympy.lambdify((t0, a0, alpha, k_symbol), found)
    weights = np.array([0.5, 2.0, 5.0, 30.0])
    for k in MOVEMENTS:
        options = {"alpha_observed": 1.5, "threshold": 0.4, "movement": k, "bootstrap": 0}
        table = theory.what_if_scores(labels, scores, alpha=weights, **options).table
        np.testing.assert_allclose(table["threshold"], function(0.4, 1.5, weights, k), rtol=1e-12)


def test_resampling_acts_as_the_equivalent_weight_to_the_power_k():
    q = symbolic.POSITIVE_FRACTION
    found = symbolic.resampling_weight()
    assert sympy.simplify(found - q / (1 - q) * (1 - beta) / beta) == 0
    function = sympy.lambdify((q, beta), found)
    fractions, betas = np.linspace(0.05, 0.95, 7)[:, None], BETAS.ravel()
    np.testing.assert_allclose(
        function(fractions, betas), theory.equivalent_weight(betas, fractions), rtol=1e-14
    )
    moved = symbolic.moved_resampling_weight()
    assert sympy.simplify(moved - found**k_symbol) == 0


@pytest.mark.parametrize("rule", ["bce", "bayes"])
@pytest.mark.parametrize(
    "curve", [theory.Superellipse(2.0), theory.Superellipse(11.0), theory.Binormal(1.5)], ids=repr
)
def test_moved_positive_fraction_for_balanced_accuracy(curve, rule):
    found = symbolic.moved_balanced_accuracy_positive_fraction()
    assert sympy.simplify(found.subs(k_symbol, 1) - sympy.Rational(1, 2)) == 0
    function = sympy.lambdify((beta, k_symbol), found)
    for b in (0.01, 0.2):
        for k in MOVEMENTS:
            fraction = float(function(b, k))
            assert fraction != pytest.approx(0.5, abs=1e-3)

            def balanced_accuracy(q, b=b, k=k):
                weight = theory.equivalent_weight(b, q)
                return float(
                    theory.expected_score(
                        weight, b, curve, metric="balanced_accuracy", rule=rule, movement=k
                    )
                )

            best = theory.optimize_alpha(b, curve, metric="balanced_accuracy", movement=k)
            assert balanced_accuracy(fraction) == pytest.approx(float(best.score), rel=1e-9)
            logit = np.log(fraction) - np.log1p(-fraction)
            for step in (-0.05, 0.05):
                near = special.expit(logit + step)
                assert balanced_accuracy(near) < balanced_accuracy(fraction)
