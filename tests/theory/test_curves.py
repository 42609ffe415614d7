"""Curve families: derivatives, inverses, members through a point, argument checks, and a new
family that only satisfies the :class:`~theory.curves.Curve` protocol."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pytest
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from theory.curves import AsymmetricSuperellipse, Binormal, Curve, Superellipse
from theory.operating import expected_scores, operating_point
from theory.optimum import optimize_alpha
from theory.whatif import what_if

CURVES = {
    "superellipse-1.5": Superellipse(1.5),
    "superellipse-2": Superellipse(2.0),
    "superellipse-8": Superellipse(8.0),
    "asymmetric-2-3": AsymmetricSuperellipse(2.0, 3.0),
    "asymmetric-5-1.5": AsymmetricSuperellipse(5.0, 1.5),
    "asymmetric-1-2": AsymmetricSuperellipse(1.0, 2.0),
    "binormal-0.5": Binormal(0.5),
    "binormal-1.5": Binormal(1.5),
    "binormal-3": Binormal(3.0),
}
#: Curves whose slope and elasticity take every value in (0, inf), so both inverses are total.
ONTO = [name for name in CURVES if name != "asymmetric-1-2"]
CHANCE_LINES = {
    "superellipse": Superellipse(1.0),
    "asymmetric": AsymmetricSuperellipse(1.0, 1.0),
    "binormal": Binormal(0.0),
}
#: Recall values from near 0 to near 1, for round trips. (The asymmetric family bisects on
#: logit(x**p) within +-60, which bounds x**p below by about 1e-26.)
X_EXTREME = np.concatenate([[1e-4, 1e-3], np.linspace(0.01, 0.99, 50), [0.999, 0.9999]])
#: Points above the chance line, some close to the edges of the unit square.
POINTS = [(0.9, 0.6), (0.6, 0.9), (0.99, 0.99), (0.3, 0.95), (0.999, 0.2), (0.01, 0.995)]


@pytest.mark.parametrize("name", CURVES)
def test_slope_is_the_derivative_of_specificity(name):
    curve = CURVES[name]
    x = np.linspace(0.02, 0.98, 49)
    step = 1e-6
    difference = (curve.specificity(x + step) - curve.specificity(x - step)) / (2 * step)
    # Rounding in the difference is about 1e-16 / step; slopes near 0 need that absolute margin.
    np.testing.assert_allclose(curve.slope(x), difference, rtol=1e-6, atol=1e-9)
    assert np.all(curve.slope(x) < 0)


@pytest.mark.parametrize("name", CURVES)
def test_elasticity_definition(name):
    curve = CURVES[name]
    x = X_EXTREME[X_EXTREME < 0.999]
    expected = x * (-curve.slope(x)) / curve.specificity(x)
    np.testing.assert_allclose(curve.elasticity(x), expected, rtol=1e-9)


@pytest.mark.parametrize("name", CURVES)
def test_inverses_recover_recall(name):
    curve = CURVES[name]
    x = X_EXTREME
    np.testing.assert_allclose(curve.x_at_slope(-curve.slope(x)), x, rtol=1e-9)
    np.testing.assert_allclose(curve.x_at_elasticity(curve.elasticity(x)), x, rtol=1e-9)


@pytest.mark.parametrize("name", ONTO)
def test_inverses_recover_the_quantity(name):
    curve = CURVES[name]
    quantity = np.logspace(-4, 4, 81)
    for inverse, forward in [
        (curve.x_at_slope, lambda x: -curve.slope(x)),
        (curve.x_at_elasticity, curve.elasticity),
    ]:
        x = inverse(quantity)
        z = curve.specificity(x)
        # A steep or flat slope can need x or z closer to 1 than a float resolves; skip those.
        resolved = (np.abs(x - 0.5) < 0.5 - 1e-6) & (np.abs(z - 0.5) < 0.5 - 1e-6)
        assert resolved[(quantity >= 0.2) & (quantity <= 5.0)].all()
        np.testing.assert_allclose(forward(x[resolved]), quantity[resolved], rtol=1e-6)


def test_slope_inverse_saturates_where_the_slope_is_out_of_reach():
    # z = sqrt(1 - x) has -dz/dx >= 1/2: a flatter slope is reached only at the corner x = 0.
    curve = AsymmetricSuperellipse(1.0, 2.0)
    assert curve.x_at_slope(0.1) == pytest.approx(0.0, abs=1e-12)
    assert curve.x_at_slope(0.5 / np.sqrt(1 - 0.3)) == pytest.approx(0.3, rel=1e-9)


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("cls", [Superellipse, Binormal])
def test_member_through_a_point(cls, point):
    recall, specificity = point
    curve = cls.through(recall, specificity)
    assert curve.specificity(recall) == pytest.approx(specificity, rel=1e-10)


@pytest.mark.parametrize("point", POINTS)
def test_asymmetric_member_through_a_point(point):
    recall, specificity = point
    solved_p = AsymmetricSuperellipse.through(recall, specificity)
    assert solved_p.q == 1.0
    assert solved_p.specificity(recall) == pytest.approx(specificity, rel=1e-10)
    solved_q = AsymmetricSuperellipse.through(recall=recall, specificity=specificity, p=1.0)
    assert solved_q.p == 1.0
    assert solved_q.specificity(recall) == pytest.approx(specificity, rel=1e-10)


def test_member_through_known_points():
    assert Superellipse.through(0.6, 0.8).p == pytest.approx(2.0, rel=1e-12)
    assert Binormal.through(stats.norm.cdf(0.4), stats.norm.cdf(1.1)).d == pytest.approx(1.5)
    q = AsymmetricSuperellipse.through(0.5, np.sqrt(0.75), p=2.0).q
    assert q == pytest.approx(2.0, rel=1e-12)


@pytest.mark.parametrize("cls", [Superellipse, Binormal])
def test_members_through_many_points_at_once(cls):
    recall, specificity = np.array(POINTS).T
    curves = cls.through(recall, specificity)
    np.testing.assert_allclose(curves.specificity(recall), specificity, rtol=1e-10)
    for i, point in enumerate(POINTS):
        single = cls.through(*point)
        np.testing.assert_allclose(curves.specificity(recall)[i], single.specificity(point[0]))


def test_member_through_a_point_on_the_chance_line():
    assert Superellipse.through(0.5, 0.5).p == 1.0
    assert Superellipse.through(0.2, 0.8).p == pytest.approx(1.0, abs=1e-12)
    assert Binormal.through(0.3, 0.7).d == pytest.approx(0.0, abs=1e-12)
    assert AsymmetricSuperellipse.through(0.3, 0.7).p == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("p", [1.0, 1.01, 2.0, 7.5, 40.0])
def test_superellipse_is_the_symmetric_asymmetric_superellipse(p):
    symmetric, general = Superellipse(p), AsymmetricSuperellipse(p, p)
    x = X_EXTREME
    np.testing.assert_allclose(symmetric.specificity(x), general.specificity(x), rtol=1e-12)
    np.testing.assert_allclose(symmetric.slope(x), general.slope(x), rtol=1e-12)
    np.testing.assert_allclose(symmetric.elasticity(x), general.elasticity(x), rtol=1e-12)
    quantity = np.logspace(-4, 4, 41)
    if p > 1:
        # The symmetric class has a closed form; the general one bisects.
        np.testing.assert_allclose(
            symmetric.x_at_slope(quantity), general.x_at_slope(quantity), rtol=1e-9, atol=1e-20
        )
    np.testing.assert_allclose(
        symmetric.x_at_elasticity(quantity), general.x_at_elasticity(quantity), rtol=1e-12
    )


@pytest.mark.parametrize("d", [0.0, 0.3, 1.0, 2.5, 5.0])
def test_binormal_is_the_roc_of_two_unit_normals(d):
    # Thresholds where neither rate is closer to 1 than about 3e-5, which floats resolve.
    threshold = np.linspace(d - 4.0, 4.0, 41)
    recall = stats.norm.sf(threshold, loc=d)
    specificity = stats.norm.cdf(threshold)
    curve = Binormal(d)
    np.testing.assert_allclose(curve.specificity(recall), specificity, rtol=1e-10)
    np.testing.assert_allclose(curve.threshold(recall), threshold, rtol=1e-9, atol=1e-9)
    # Change of variables: dz/dx = (dz/dt) / (dx/dt) = -pdf_neg(t) / pdf_pos(t).
    ratio = stats.norm.pdf(threshold) / stats.norm.pdf(threshold, loc=d)
    np.testing.assert_allclose(-curve.slope(recall), ratio, rtol=1e-9)


# -- the binormal's spread ---------------------------------------------------------------------

#: Spreads of the positives' scores on either side of 1, and separations, for the unequal-variance
#: binormal, whose ROC is not concave.
SPREADS = [0.5, 2.0]
SEPARATIONS = [0.0, 0.5, 1.0, 2.5]
#: Thresholds for brute-force searches: 1e-4 apart, wide enough that every rate is 0 or 1 to
#: float64 at the ends for the spreads above.
THRESHOLDS = np.linspace(-40.0, 42.0, 820_001)


def _rates_at(d: float, s: float, t: NDArray[np.float64]) -> tuple[NDArray, NDArray]:
    """Recall and specificity of the binormal at thresholds ``t``, from scipy's normals."""
    return stats.norm.sf(t, loc=d, scale=s), stats.norm.cdf(t)


@pytest.mark.parametrize("d", [0.0, 0.3, 1.0, 2.5, 20.0])
def test_unit_spread_is_the_equal_variance_curve_exactly(d):
    # The formulas of the equal-variance curve, bit for bit: x = Phi(d - t), z = Phi(t), the
    # slope -exp(d**2/2 - d t), and the bayes threshold t = d/2 - ln(m)/d.
    curve, default = Binormal(d, 1.0), Binormal(d)
    x = np.concatenate([[1e-12, 1e-4], np.linspace(0.01, 0.99, 25), [0.9999]])
    t = d - special.ndtri(x)
    np.testing.assert_array_equal(curve.specificity(x), special.ndtr(t))
    np.testing.assert_array_equal(curve.slope(x), -np.exp(d**2 / 2.0 - d * t))
    np.testing.assert_array_equal(curve.elasticity(x), default.elasticity(x))
    m = np.logspace(-6, 6, 25)
    if d > 0:
        bayes = d / 2.0 - np.log(m) / d
        np.testing.assert_array_equal(curve.x_at_slope(m), special.ndtr(d - bayes))
        np.testing.assert_array_equal(curve.point_at_slope(m)[1], special.ndtr(bayes))
        np.testing.assert_array_equal(curve.stationary_thresholds(m)[0], bayes)
        assert np.isnan(curve.stationary_thresholds(m)[1]).all()
    for inverse in ("rates_at_slope", "rates_at_elasticity"):
        mine, equal = getattr(curve, inverse)(m), getattr(default, inverse)(m)
        for mine_rate, equal_rate in zip(mine, equal, strict=True):
            np.testing.assert_array_equal(mine_rate, equal_rate)


@pytest.mark.parametrize("s", [1.0 - 1e-9, 1.0 + 1e-9, 0.5, 2.0])
@pytest.mark.parametrize("d", [0.3, 1.0, 2.5])
def test_bayes_threshold_against_the_quadratic_solved_in_high_precision(d, s):
    # (1 - s**2) t**2 - 2 d t + d**2 + 2 s**2 log(s/m) = 0, solved with 60 digits; near s = 1
    # the naive root (d - s sqrt(D)) / (1 - s**2) would lose about 9 of 16 digits.
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 60
    curve = Binormal(d, s)
    exact_s, exact_d = mpmath.mpf(s), mpmath.mpf(d)
    for m in np.logspace(-2, 2, 9):
        t_max, _ = curve.stationary_thresholds(m)
        a, b = 1 - exact_s**2, -2 * exact_d
        c = exact_d**2 + 2 * exact_s**2 * mpmath.log(exact_s / mpmath.mpf(m))
        discriminant = b**2 - 4 * a * c
        if discriminant < 0:
            assert np.isnan(t_max)
            continue
        roots = [(-b + k * mpmath.sqrt(discriminant)) / (2 * a) for k in (-1, 1)]
        # m*x + z rises, falls, rises along t for s < 1 (its maximum is the smaller root), and
        # falls, rises, falls for s > 1 (the larger).
        expected = min(roots) if s < 1 else max(roots)
        assert float(t_max) == pytest.approx(float(expected), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("s", SPREADS)
@pytest.mark.parametrize("d", SEPARATIONS)
def test_unequal_spread_is_the_roc_of_two_normals(d, s):
    # Thresholds where neither rate is closer to 1 than about 3e-5, which floats resolve.
    threshold = np.linspace(max(-4.0, d - 4.0 * s), min(4.0, d + 4.0 * s), 41)
    recall, specificity = _rates_at(d, s, threshold)
    curve = Binormal(d, s)
    np.testing.assert_allclose(curve.threshold(recall), threshold, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(curve.specificity(recall), specificity, rtol=1e-10)
    np.testing.assert_allclose(curve.false_positive_rate(recall), 1 - specificity, rtol=1e-9)
    rates = curve.rates_at_threshold(threshold)
    np.testing.assert_allclose(rates.x, recall, rtol=1e-12)
    np.testing.assert_allclose(rates.z, specificity, rtol=1e-12)
    np.testing.assert_allclose(rates.fnr, stats.norm.cdf(threshold, loc=d, scale=s), rtol=1e-12)
    np.testing.assert_allclose(rates.fpr, stats.norm.sf(threshold), rtol=1e-12)
    ratio = stats.norm.pdf(threshold) / stats.norm.pdf(threshold, loc=d, scale=s)
    np.testing.assert_allclose(-curve.slope(recall), ratio, rtol=1e-9)


@pytest.mark.parametrize("s", [0.3, *SPREADS, 4.0])
@pytest.mark.parametrize("d", SEPARATIONS)
def test_unequal_spread_slope_and_elasticity_against_finite_differences(d, s):
    curve = Binormal(d, s)
    x = np.linspace(0.02, 0.98, 49)
    step = 1e-6
    difference = (curve.specificity(x + step) - curve.specificity(x - step)) / (2 * step)
    np.testing.assert_allclose(curve.slope(x), difference, rtol=1e-6, atol=1e-9)
    assert np.all(curve.slope(x) < 0)
    expected = x * difference / curve.specificity(x)
    np.testing.assert_allclose(-curve.elasticity(x), expected, rtol=1e-6, atol=1e-9)
    # The elasticity falls strictly with the threshold (rises with the recall) for every s:
    # the bce rule's objective is strictly concave in the threshold.
    assert np.all(np.diff(curve.elasticity(x)) > 0)


@pytest.mark.parametrize("s", SPREADS)
@pytest.mark.parametrize("d", SEPARATIONS)
def test_the_slope_is_taken_at_two_thresholds(d, s):
    curve = Binormal(d, s)
    m = np.logspace(-3, 3, 61)
    t_max, t_min = curve.stationary_thresholds(m)
    found = np.isfinite(t_max)
    assert found.any() and (~found).any()
    np.testing.assert_array_equal(np.isfinite(t_min), found)
    for t in (t_max[found], t_min[found]):
        x, _ = _rates_at(d, s, t)
        resolved = (x > 1e-12) & (x < 1 - 1e-9)
        np.testing.assert_allclose(-curve.slope(x[resolved]), m[found][resolved], rtol=1e-6)
    # t_max is a local maximum of m*x + z, t_min a local minimum.
    gain = {}
    for name, t in (("max", t_max[found]), ("min", t_min[found])):
        step = 1e-3 * (1.0 + np.abs(t))
        values = [m[found] * x + z for x, z in (_rates_at(d, s, t + k * step) for k in (-1, 0, 1))]
        gain[name] = 2 * values[1] - values[0] - values[2]
    assert np.all(gain["max"] >= 0) and np.all(gain["min"] <= 0)
    # The steepness is extreme at t = d / (1 - s**2): it never gets below (s < 1) or above
    # (s > 1) its value there, which is where the two thresholds meet.
    extreme = np.exp(curve._log_steepness(np.asarray(d / (1 - s**2))))
    np.testing.assert_array_equal(found, m >= extreme if s < 1 else m <= extreme)


@pytest.mark.parametrize("s", SPREADS)
@pytest.mark.parametrize("d", SEPARATIONS)
def test_bayes_point_is_the_global_maximum_over_a_threshold_grid(d, s):
    # Brute force: alpha*beta*x + (1-beta)*z over 820,001 thresholds, and the two corners,
    # divided by 1 - beta: m*x + z with m the weight ratio.
    curve = Binormal(d, s)
    x, z = _rates_at(d, s, THRESHOLDS)
    for m in np.logspace(-2.5, 2.5, 11):
        values = m * x + z
        best = max(values.max(), m, 1.0)
        px, pz = curve.point_at_slope(m)
        assert m * px + pz >= best - 1e-15
        if best > max(m, 1.0) + 1e-9:  # an interior maximum: the same point as the grid's
            assert px == pytest.approx(x[np.argmax(values)], abs=1e-3)


@pytest.mark.parametrize("s", SPREADS)
@pytest.mark.parametrize("d", SEPARATIONS)
def test_bce_point_is_the_maximum_over_a_threshold_grid(d, s):
    # Brute force: alpha*beta*log(x) + (1-beta)*log(z), divided by 1 - beta.
    curve = Binormal(d, s)
    x, z = _rates_at(d, s, THRESHOLDS)
    inside = (x > 0) & (z > 0)
    log_x, log_z = np.log(x[inside]), np.log(z[inside])
    for r in np.logspace(-2.5, 2.5, 11):
        values = r * log_x + log_z
        px, pz = curve.point_at_elasticity(r)
        assert r * np.log(px) + np.log(pz) >= values.max() - 1e-12
        assert px == pytest.approx(x[inside][np.argmax(values)], abs=1e-3)


@pytest.mark.parametrize(
    ("s", "corner", "m"),
    [
        # d = 1, beta = 0.01: weights 25.4 to 31.4 (ratio 0.257 to 0.317) have a stationary
        # point whose m*x + z is below the corner (0, 1)'s 1 ...
        (0.5, (0.0, 1.0), 0.3),
        # ... and weights 171 to 234 (ratio 1.73 to 2.36) one below the corner (1, 0)'s m.
        (2.0, (1.0, 0.0), 2.0),
    ],
)
def test_the_hook_sends_the_bayes_point_to_a_corner(s, corner, m):
    curve = Binormal(1.0, s)
    t_max, _ = curve.stationary_thresholds(m)
    x, z = _rates_at(1.0, s, t_max)
    assert np.isfinite(t_max)
    assert m * x + z < m * corner[0] + corner[1]
    assert curve.point_at_slope(m) == corner


@pytest.mark.parametrize("s", SPREADS)
def test_the_bayes_point_moves_to_more_recall_with_the_weight(s):
    # Whatever the curve, the maximiser of m*x + z cannot lose recall as m grows.
    m = np.logspace(-4, 4, 2001)
    for d in SEPARATIONS:
        x = Binormal(d, s).x_at_slope(m)
        assert np.all(np.diff(x) >= 0)


@pytest.mark.parametrize("s", [*SPREADS, 1.0])
def test_member_with_a_spread_through_a_point(s):
    for recall, specificity in POINTS:
        if s * special.ndtri(recall) + special.ndtri(specificity) < 0:
            # Above the chance line, yet only a member with d < 0 passes through it.
            with pytest.raises(ValueError, match="found no binormal with s="):
                Binormal.through(recall, specificity, s=s)
            continue
        curve = Binormal.through(recall, specificity, s=s)
        assert curve.specificity(recall) == pytest.approx(specificity, rel=1e-10)
        np.testing.assert_array_equal(curve.s, s)


def test_spread_and_separation_broadcast():
    d = np.array([0.5, 1.0, 2.0])[:, None]
    s = np.array([0.5, 1.0, 2.0, 3.0])
    curves = Binormal(d, s)
    m = np.logspace(-2, 2, 7)[:, None, None]
    assert curves.x_at_slope(m).shape == (7, 3, 4)
    for i, j in np.ndindex(3, 4):
        single = Binormal(d[i, 0], s[j])
        pairs = zip(curves.rates_at_slope(m), single.rates_at_slope(m[:, 0, 0]), strict=True)
        for mine, alone in pairs:
            np.testing.assert_array_equal(mine[:, i, j], alone)
        pairs = zip(
            curves.rates_at_elasticity(m), single.rates_at_elasticity(m[:, 0, 0]), strict=True
        )
        for mine, alone in pairs:
            np.testing.assert_allclose(mine[:, i, j], alone, rtol=1e-12)


@pytest.mark.parametrize("name", CURVES)
def test_complements_are_one_minus_the_rates(name):
    curve = CURVES[name]
    quantity = np.logspace(-2, 2, 9)
    for rates in (curve.rates_at_slope(quantity), curve.rates_at_elasticity(quantity)):
        np.testing.assert_allclose(rates.fnr, 1 - rates.x, atol=1e-15)
        np.testing.assert_allclose(rates.fpr, 1 - rates.z, atol=1e-15)
    x = np.linspace(0.05, 0.95, 19)
    np.testing.assert_allclose(curve.false_positive_rate(x), 1 - curve.specificity(x), atol=1e-15)


@pytest.mark.parametrize(
    ("curve", "inverse", "quantity", "fpr"),
    [
        # p = 2, bayes: z**2 = 1/(1 + m**2), 1 - z = m**2/2 to first order; 1e-20 here.
        (Superellipse(2.0), "rates_at_slope", np.sqrt(2e-20), 1e-20),
        # p = q = 2, bce: z**2 = 1/(1 + e), 1 - z = e/2 to first order.
        (Superellipse(2.0), "rates_at_elasticity", 2e-20, 1e-20),
        (AsymmetricSuperellipse(2.0, 2.0), "rates_at_slope", np.sqrt(2e-20), 1e-20),
        # Threshold t = d/2 - ln(m)/d = 12: 1 - z = Phi(-12).
        (Binormal(4.0), "rates_at_slope", np.exp(-40.0), special.ndtr(-12.0)),
        (Binormal(4.0, 0.5), "rates_at_elasticity", 1e-40, None),
    ],
)
def test_false_positive_rate_keeps_its_precision_where_specificity_rounds_to_one(
    curve, inverse, quantity, fpr
):
    rates = getattr(curve, inverse)(quantity)
    assert rates.z == 1.0
    assert 0 < rates.fpr < 1e-15
    if fpr is not None:
        assert rates.fpr == pytest.approx(fpr, rel=1e-9)


@pytest.mark.parametrize("name", CHANCE_LINES)
def test_chance_line(name):
    curve = CHANCE_LINES[name]
    x = np.linspace(0.01, 0.99, 33)
    np.testing.assert_allclose(curve.specificity(x), 1 - x, rtol=1e-12)
    np.testing.assert_allclose(curve.slope(x), -1.0, rtol=1e-12)
    np.testing.assert_allclose(curve.elasticity(x), x / (1 - x), rtol=1e-12)
    np.testing.assert_allclose(curve.x_at_elasticity(x / (1 - x)), x, rtol=1e-9)
    # A slope the line cannot match sends the point to the end the rule favours.
    assert curve.x_at_slope(2.0) == pytest.approx(1.0, abs=1e-12)
    assert curve.x_at_slope(0.5) == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("curve", [Superellipse(1.0), Binormal(0.0), Binormal(0.0, 1.0)])
def test_chance_line_at_unit_slope_takes_the_middle(curve):
    assert curve.x_at_slope(1.0) == 0.5


def test_array_parameters_broadcast():
    p = np.array([1.0, 1.5, 3.0])[:, None]
    x = np.linspace(0.1, 0.9, 5)
    quantity = np.logspace(-2, 2, 5)
    curves = Superellipse(p)
    assert curves.specificity(x).shape == (3, 5)
    assert curves.x_at_slope(quantity).shape == (3, 5)
    for i, p_i in enumerate(p.ravel()):
        single = Superellipse(p_i)
        np.testing.assert_allclose(curves.specificity(x)[i], single.specificity(x))
        np.testing.assert_allclose(curves.slope(x)[i], single.slope(x))
        np.testing.assert_allclose(curves.x_at_slope(quantity)[i], single.x_at_slope(quantity))

    general = AsymmetricSuperellipse(p, np.array([1.0, 2.0]))
    assert general.specificity(0.5).shape == (3, 2)
    assert general.x_at_slope(quantity[:, None, None]).shape == (5, 3, 2)
    assert general.specificity(0.5)[2, 1] == AsymmetricSuperellipse(3.0, 2.0).specificity(0.5)

    d = np.array([0.5, 1.0, 2.0, 4.0])
    binormals = Binormal(d[:, None])
    assert binormals.x_at_elasticity(quantity).shape == (4, 5)
    for i, d_i in enumerate(d):
        np.testing.assert_allclose(
            binormals.x_at_elasticity(quantity)[i], Binormal(d_i).x_at_elasticity(quantity)
        )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda: Superellipse(0.5),
            r"The 'p' parameter of Superellipse must be a float in the range \[1, 1000000\]\. "
            r"Got 0\.5 instead\.",
        ),
        (lambda: Superellipse([2.0, 0.9]), r"'p' parameter of Superellipse .*Got 0\.9 instead"),
        (
            lambda: AsymmetricSuperellipse(2.0, 0.5),
            r"'q' parameter of AsymmetricSuperellipse .*\[1, 1000000\].*Got 0\.5 instead",
        ),
        (lambda: Binormal(-1.0), r"'d' parameter of Binormal .*\[0, inf\)\. Got -1\.0 instead"),
        (lambda: Binormal(np.nan), r"'d' parameter of Binormal .*Got nan instead"),
        (
            lambda: Binormal(1.0, 0.0),
            r"^The 's' parameter of Binormal must be a float in the range \(0, inf\)\. "
            r"Got 0\.0 instead\.$",
        ),
        (lambda: Binormal(1.0, [2.0, -1.0]), r"'s' parameter of Binormal .*Got -1\.0 instead"),
        (
            lambda: Binormal.through(0.9, 0.6, s=np.inf),
            r"'s' parameter of Binormal\.through .*\(0, inf\)\. Got inf instead",
        ),
        (
            lambda: Binormal.through(0.9, 0.2, s=0.5),
            r"^Binormal\.through found no binormal with s=0\.5 and d >= 0 through recall=0\.9 "
            r"and specificity=0\.2: it would need d=-0\.2008\.$",
        ),
        (
            lambda: Superellipse.through(1.2, 0.5),
            r"^The 'recall' parameter of Superellipse\.through must be a float in the range "
            r"\(0, 1\)\. Got 1\.2 instead\.$",
        ),
        (
            lambda: Binormal.through(0.5, 0.0),
            r"'specificity' parameter of Binormal\.through .*\(0, 1\)\. Got 0\.0 instead",
        ),
        (
            lambda: AsymmetricSuperellipse.through(0.5, 1.0),
            r"'specificity' parameter of AsymmetricSuperellipse\.through .*Got 1\.0 instead",
        ),
        (
            lambda: Superellipse.through(0.3, 0.4),
            r"^The 'recall' and 'specificity' parameters of Superellipse\.through must lie on or "
            r"above the chance line .*Got recall=0\.3 and specificity=0\.4 instead\.$",
        ),
        (
            lambda: Binormal.through([0.9, 0.2], [0.9, 0.3]),
            r"parameters of Binormal\.through .*chance line.*Got recall=0\.2 and "
            r"specificity=0\.3 instead",
        ),
        (
            lambda: AsymmetricSuperellipse.through(0.3, 0.4),
            r"^AsymmetricSuperellipse\.through found no asymmetric superellipse with p >= 1 "
            r"through recall=0\.3 and specificity=0\.4",
        ),
        (
            lambda: AsymmetricSuperellipse.through(0.3, 0.9, p=2.0),
            r"found no asymmetric superellipse with q >= 1 through recall=0\.3 and "
            r"specificity=0\.9",
        ),
    ],
)
def test_bad_parameters(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_superellipse_takes_no_second_exponent():
    with pytest.raises(TypeError):
        Superellipse(2.0, 7.0)


def test_exponents_above_the_limit_are_refused():
    with pytest.raises(ValueError, match=r"'p' parameter of Superellipse .*Got 1e\+300 instead"):
        Superellipse(1e300)


@pytest.mark.parametrize(
    "through", [Superellipse.through, Binormal.through, AsymmetricSuperellipse.through]
)
def test_arguments_after_the_point_are_keyword_only(through):
    with pytest.raises(TypeError, match="positional argument"):
        through(0.6, 0.9, 2.0)


# -- the Curve protocol ----------------------------------------------------------------------


@pytest.mark.parametrize("name", CURVES)
def test_every_family_is_a_curve(name):
    assert isinstance(CURVES[name], Curve)


def test_the_symmetric_family_is_not_an_asymmetric_one():
    # Each superellipse family has its own ``through``; neither overrides the other's.
    assert not issubclass(Superellipse, AsymmetricSuperellipse)
    assert not issubclass(AsymmetricSuperellipse, Superellipse)


class Incomplete:
    """Has a specificity but no inverses: not a curve."""

    def specificity(self, x):
        return 1.0 - np.asarray(x)


def test_an_object_without_the_curve_methods_is_refused():
    assert not isinstance(Incomplete(), Curve)
    with pytest.raises(ValueError, match=r"^The 'curve' parameter of operating_point must be a"):
        operating_point(1.0, 0.01, Incomplete())


@dataclass(frozen=True)
class PowerCurve:
    """``z = 1 - x**k`` with ``k > 1``: a concave family that subclasses nothing.

    Its closed forms: ``-dz/dx = k x**(k-1)``, elasticity ``k x**k / (1 - x**k)``.
    """

    k: NDArray[np.float64] | float

    def specificity(self, x: ArrayLike) -> NDArray[np.float64]:
        return 1.0 - np.asarray(x, np.float64) ** self.k

    def slope(self, x: ArrayLike) -> NDArray[np.float64]:
        return -self.k * np.asarray(x, np.float64) ** (self.k - 1.0)

    def elasticity(self, x: ArrayLike) -> NDArray[np.float64]:
        u = np.asarray(x, np.float64) ** self.k
        return self.k * u / (1.0 - u)

    def point_at_slope(self, m: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        # The slope runs from 0 (x = 0) to -k (x = 1); a steeper one is reached only at x = 1.
        x = np.minimum((np.asarray(m, np.float64) / self.k) ** (1.0 / (self.k - 1.0)), 1.0)
        return x, self.specificity(x)

    def point_at_elasticity(self, e: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        e = np.asarray(e, np.float64)
        return (e / (self.k + e)) ** (1.0 / self.k), self.k / (self.k + e)

    @classmethod
    def through(cls, recall: ArrayLike, specificity: ArrayLike) -> PowerCurve:
        return cls(k=np.log1p(-np.asarray(specificity)) / np.log(np.asarray(recall)))


POWER_OBJECTIVES = {
    "bce": lambda alpha, beta, x, z: alpha * beta * np.log(x) + (1 - beta) * np.log(z),
    "bayes": lambda alpha, beta, x, z: alpha * beta * x + (1 - beta) * z,
}
#: Every point of a power curve, dense in logit(x) so that both corners are covered.
POWER_GRID = special.expit(np.linspace(-25, 25, 400_001))


def _f1(beta, x, z):
    return 2 * beta * x / (beta * x + beta * z + 1 - z)


@pytest.mark.parametrize("rule", POWER_OBJECTIVES)
@pytest.mark.parametrize("k", [1.5, 3.0, 10.0])
def test_a_new_family_gives_the_operating_point_that_maximises_the_rule(k, rule):
    curve, objective = PowerCurve(k), POWER_OBJECTIVES[rule]
    assert isinstance(curve, Curve)
    z_grid = curve.specificity(POWER_GRID)
    for alpha in (0.5, 2.0, 99.0):
        x, z = operating_point(alpha, 0.01, curve, rule=rule)
        with np.errstate(divide="ignore"):
            best = np.argmax(objective(alpha, 0.01, POWER_GRID, z_grid))
        assert x == pytest.approx(POWER_GRID[best], abs=1e-4)
        assert z == pytest.approx(1.0 - x**k, rel=1e-12)
    r = 2.0 * 0.01 / 0.99
    expected = (r / (k + r)) ** (1 / k) if rule == "bce" else (r / k) ** (1 / (k - 1))
    assert operating_point(2.0, 0.01, curve, rule=rule)[0] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("rule", POWER_OBJECTIVES)
def test_a_new_family_gives_the_expected_scores_at_its_point(rule):
    k = np.array([1.5, 3.0, 10.0])
    alpha = np.array([[0.5], [2.0], [99.0]])
    scores = expected_scores(alpha, 0.01, PowerCurve(k), rule=rule)
    x, z = scores["recall"], scores["specificity"]
    assert x.shape == (3, 3)
    np.testing.assert_allclose(z, 1.0 - x**k, rtol=1e-12)
    np.testing.assert_allclose(scores["f1"], _f1(0.01, x, z), rtol=1e-12)
    np.testing.assert_allclose(scores["balanced_accuracy"], (x + z) / 2, rtol=1e-12)


@pytest.mark.parametrize("rule", POWER_OBJECTIVES)
@pytest.mark.parametrize("k", [1.5, 3.0, 10.0])
def test_a_new_family_has_the_best_f1_of_any_point_on_it(k, rule):
    # Every weight leads to some point of the curve and every point is led to by some weight, so
    # the best expected F1 over weights is the best F1 over the curve's points.
    curve, beta = PowerCurve(k), 0.01
    f1 = _f1(beta, POWER_GRID, curve.specificity(POWER_GRID))
    best = optimize_alpha(beta, curve, metric="f1", rule=rule)
    assert not best.at_edge
    assert best.score >= f1.max() - 1e-12
    assert best.score == pytest.approx(f1.max(), abs=1e-9)
    x = POWER_GRID[np.argmax(f1)]
    # The weight whose stationarity quantity is the one at the best point.
    ratio = k * x**k / (1 - x**k) if rule == "bce" else k * x ** (k - 1)
    assert best.alpha == pytest.approx(ratio * (1 - beta) / beta, rel=1e-3)
    if rule == "bayes":
        assert best.alpha == pytest.approx(2 / best.score - 1, rel=1e-6)


@pytest.mark.parametrize("rule", POWER_OBJECTIVES)
def test_what_if_moves_along_a_new_family(rule):
    recall, specificity, alpha_observed = 0.6, 0.9, 2.0
    k = np.log(1 - specificity) / np.log(recall)
    alphas = np.array([0.5, 2.0, 5.0, 10.0])
    scores = what_if(
        recall,
        specificity,
        beta=0.01,
        alpha=alphas,
        alpha_observed=alpha_observed,
        family=PowerCurve.through,
        rule=rule,
    )
    # The rule's quantity at the new point is the observed one times alpha / alpha_observed.
    scale = alphas / alpha_observed
    if rule == "bce":
        odds = scale * recall**k / (1 - recall**k)
        expected = (odds / (1 + odds)) ** (1 / k)
    else:
        expected = recall * scale ** (1 / (k - 1))
    np.testing.assert_allclose(scores["recall"], expected, rtol=1e-12)
    np.testing.assert_allclose(scores["specificity"], 1 - expected**k, rtol=1e-12)
    assert scores["recall"][1] == pytest.approx(recall, rel=1e-12)


@pytest.mark.parametrize(
    ("curve", "rule", "quantity", "specificity"),
    [
        # Threshold t = d/2 - ln(m)/d = 10 - ln(1e40)/20: recall Phi(15.4) is 1 in float64.
        (Binormal(20.0), "bayes", 1e40, special.ndtr(10.0 - np.log(1e40) / 20.0)),
        # x**2 = r/(1+r) rounds to 1, z**2 = 1/(1+r) does not.
        (Superellipse(2.0), "bce", 1e20, np.sqrt(1.0 / (1.0 + 1e20))),
        (AsymmetricSuperellipse(2.0, 1.0), "bce", 1e20, 2.0 / (2.0 + 1e20)),
    ],
)
def test_specificity_keeps_its_precision_where_recall_rounds_to_one(
    curve, rule, quantity, specificity
):
    point = curve.point_at_slope if rule == "bayes" else curve.point_at_elasticity
    x, z = point(quantity)
    assert x == 1.0
    assert z == pytest.approx(specificity, rel=1e-9)


def test_a_well_separated_binormal_scores_near_one():
    # d = 20: at alpha = 1 the bce threshold is 10.23, so recall is 1 - 8e-23 and specificity
    # 1 - 7e-25; both round to 1.
    scores = expected_scores(1.0, 0.01, Binormal(20.0))
    assert scores["specificity"] > 1 - 1e-9
    assert scores["f1"] > 1 - 1e-9


def test_the_chance_binormal_has_slope_minus_one_at_its_ends_too():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        slope = Binormal(0.0).slope(np.array([0.0, 0.5, 1.0]))
    np.testing.assert_array_equal(slope, [-1.0, -1.0, -1.0])
