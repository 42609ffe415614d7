"""Curve families: derivatives, inverses, members through a point, argument checks, and a new
family that only satisfies the :class:`~theory.curves.Curve` protocol."""

from __future__ import annotations

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


@pytest.mark.parametrize("curve", [Superellipse(1.0), Binormal(0.0)])
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
