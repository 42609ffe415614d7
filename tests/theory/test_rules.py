"""The rule registry: each rule's quantity and its inverse, lookup by name, the weight ratio,
and the focal rule's parameter."""

import numpy as np
import pytest
from scipy import special

from theory.curves import AsymmetricSuperellipse, Binormal, Superellipse
from theory.rules import DEFAULT_GAMMA, RULE_NAMES, RULES, rule_named, weight_ratio

CURVES = [Superellipse(3.0), AsymmetricSuperellipse(2.0, 4.0), Binormal(1.2)]
QUANTITIES = np.logspace(-2, 2, 21)


@pytest.mark.parametrize("curve", CURVES, ids=lambda curve: curve.family)
@pytest.mark.parametrize("name", RULES)
def test_point_is_where_the_quantity_takes_its_value(name, curve):
    rule = RULES[name]
    x, z = rule.point(curve, QUANTITIES)
    np.testing.assert_allclose(rule.quantity(curve, x), QUANTITIES, rtol=1e-8)
    # z comes from the curve's own parameter; read off x it loses digits where x nears 1.
    np.testing.assert_allclose(z, curve.specificity(x), rtol=1e-9)


def test_quantities_are_the_elasticity_and_the_slope():
    curve, x = Binormal(1.2), np.linspace(0.1, 0.9, 9)
    np.testing.assert_array_equal(RULES["bce"].quantity(curve, x), curve.elasticity(x))
    np.testing.assert_array_equal(RULES["bayes"].quantity(curve, x), -curve.slope(x))


def test_weight_ratio():
    assert weight_ratio(99.0, 0.01) == pytest.approx(1.0, rel=1e-12)
    np.testing.assert_allclose(weight_ratio([1.0, 4.0], [[0.5], [0.2]]), [[1.0, 4.0], [0.25, 1.0]])


def test_rule_named():
    assert rule_named("bayes", "f") is RULES["bayes"]
    with pytest.raises(
        ValueError,
        match=r"^The 'rule' parameter of f must be one of 'bce', 'bayes', 'focal'\. Got 'x'",
    ):
        rule_named("x", "f")


# The focal rule: alpha*beta*phi(x) + (1-beta)*phi(z) with phi(u) = (1-u)**gamma * log(u).

GAMMAS = [0.5, 2.0, 5.0]
#: Every family, the chance lines included.
EVERY_CURVE = [
    *CURVES,
    Superellipse(1.0),
    Superellipse(11.0),
    AsymmetricSuperellipse(7.0, 1.5),
    Binormal(0.0),
    Binormal(3.0),
]


def _phi(u, gamma):
    return (1 - u) ** gamma * np.log(u)


@pytest.mark.parametrize("curve", CURVES, ids=lambda curve: curve.family)
@pytest.mark.parametrize("gamma", GAMMAS)
def test_focal_point_is_where_the_quantity_takes_its_value(gamma, curve):
    rule = rule_named("focal", "f", gamma=gamma)
    x, z = rule.point(curve, QUANTITIES)
    np.testing.assert_allclose(rule.quantity(curve, x), QUANTITIES, rtol=1e-8)
    np.testing.assert_array_equal(z, curve.specificity(x))


@pytest.mark.parametrize("curve", EVERY_CURVE, ids=repr)
def test_focal_rule_at_gamma_zero_is_the_bce_rule(curve):
    bce, focal = RULES["bce"], rule_named("focal", "f", gamma=0.0)
    x = np.linspace(0.01, 0.99, 99)
    np.testing.assert_array_equal(focal.quantity(curve, x), bce.quantity(curve, x))
    quantities = np.logspace(-4, 4, 81)
    pairs = zip(focal.point(curve, quantities), bce.point(curve, quantities), strict=True)
    for got, expected in pairs:
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)


@pytest.mark.parametrize("curve", EVERY_CURVE, ids=repr)
@pytest.mark.parametrize("gamma", [0.0, 0.1, 1.0, 3.0, 8.0])
def test_focal_quantity_increases_with_recall(gamma, curve):
    # So that a weight picks one point: phi is concave, and the curve is. (Where z rounds to 1,
    # the quantity is 0 for gamma > 0; only points of the curve that a float resolves count.)
    x = special.expit(np.linspace(-6.0, 6.0, 601))
    x = x[curve.specificity(x) < 1.0]
    log_q = np.log(rule_named("focal", "f", gamma=gamma).quantity(curve, x))
    assert x.size > 300
    assert np.all(np.diff(log_q) > 0)


@pytest.mark.parametrize("gamma", [0.0, 0.3, 1.0, 2.0, 5.0])
def test_phi_is_increasing_and_strictly_concave(gamma):
    # -phi''(u) (1-u)**(2-gamma) = t**2 + 2 gamma t + gamma (gamma - 1) log(1 + t), t = (1-u)/u.
    u = np.linspace(0.05, 0.95, 91)
    t = (1 - u) / u
    curvature = t**2 + 2 * gamma * t + gamma * (gamma - 1) * np.log1p(t)
    assert np.all(curvature > 0)
    step = 1e-4
    second = (_phi(u + step, gamma) - 2 * _phi(u, gamma) + _phi(u - step, gamma)) / step**2
    np.testing.assert_allclose(-second * (1 - u) ** (2 - gamma), curvature, rtol=1e-5)
    assert np.all(np.diff(_phi(u, gamma)) > 0)
    np.testing.assert_array_equal(
        rule_named("focal", "f", gamma=gamma).transform(u), _phi(u, gamma)
    )


@pytest.mark.parametrize("curve", CURVES, ids=lambda curve: curve.family)
@pytest.mark.parametrize("gamma", GAMMAS)
def test_focal_quantity_is_the_ratio_of_the_objectives_derivatives(gamma, curve):
    # At a stationary point r * d phi(x) + d phi(z(x)) = 0: r = -d phi(z(x)) / d phi(x).
    rule = rule_named("focal", "f", gamma=gamma)
    x, step = np.array([0.1, 0.3, 0.5, 0.7, 0.9]), 1e-6
    falling = _phi(curve.specificity(x - step), gamma) - _phi(curve.specificity(x + step), gamma)
    rising = _phi(x + step, gamma) - _phi(x - step, gamma)
    np.testing.assert_allclose(rule.quantity(curve, x), falling / rising, rtol=1e-6)


@pytest.mark.parametrize("curve", CURVES, ids=lambda curve: curve.family)
@pytest.mark.parametrize("gamma", GAMMAS)
def test_focal_point_maximises_the_focal_objective(gamma, curve):
    rule = rule_named("focal", "f", gamma=gamma)
    x_grid = special.expit(np.linspace(-30, 30, 200_001))
    z_grid = curve.specificity(x_grid)
    for ratio in (0.003, 0.1, 1.0, 10.0):
        x, z = rule.point(curve, ratio)
        with np.errstate(divide="ignore"):
            on_grid = ratio * _phi(x_grid, gamma) + _phi(z_grid, gamma)
        best = np.argmax(on_grid)
        attained = ratio * _phi(x, gamma) + _phi(z, gamma)
        assert attained >= on_grid[best] - 1e-12 * abs(on_grid[best])
        assert x == pytest.approx(x_grid[best], abs=1e-3)


@pytest.mark.parametrize("curve", [Superellipse(1.5), Superellipse(6.0), Binormal(1.2)], ids=repr)
def test_focal_rule_pulls_towards_the_balanced_point(curve):
    # On a curve symmetric about x = z, a larger gamma brings x and z closer at any weight ratio.
    gammas = np.linspace(0.0, 6.0, 25)
    for ratio in (0.01, 0.3, 3.0, 100.0):
        gaps = [
            np.abs(np.subtract(*rule_named("focal", "f", gamma=g).point(curve, ratio)))
            for g in gammas
        ]
        assert np.all(np.diff(gaps) <= 1e-12)
    x, z = rule_named("focal", "f", gamma=3.0).point(curve, 1.0)
    assert x == pytest.approx(z, abs=1e-12)


def test_focal_rule_is_built_once_per_gamma():
    assert rule_named("focal", "f") is rule_named("focal", "f", gamma=DEFAULT_GAMMA)
    assert rule_named("focal", "f", gamma=1) is rule_named("focal", "g", gamma=1.0)
    rule = rule_named("focal", "f", gamma=0.5)
    assert (rule.name, rule.gamma) == ("focal", 0.5)
    assert "(1-x)**0.5*log(x)" in rule.objective
    assert RULES["bce"].gamma is None
    assert set(RULE_NAMES) == {"bce", "bayes", "focal"}


@pytest.mark.parametrize(
    ("rule", "gamma", "message"),
    [
        ("focal", -1, r"^The 'gamma' parameter of f must be a float in the range \[0, inf\)\. "),
        ("focal", np.inf, r"'gamma' parameter of f must be a float .*Got inf instead\.$"),
        ("focal", [1.0, 2.0], r"'gamma' parameter of f must be a single float in the range"),
        ("focal", "two", r"'gamma' parameter of f must be a float .*Got 'two' instead\.$"),
        ("bce", 2.0, r"^The 'gamma' parameter of f must be None unless rule is 'focal'\. Got 2\.0"),
        ("bayes", 0.0, r"'gamma' parameter of f must be None unless rule is 'focal'\. Got 0\.0"),
    ],
)
def test_gamma_is_checked(rule, gamma, message):
    with pytest.raises(ValueError, match=message):
        rule_named(rule, "f", gamma=gamma)
