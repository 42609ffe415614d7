import subprocess
import sys

import numpy as np
import pytest
import sympy

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
