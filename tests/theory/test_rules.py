"""The rule registry: each rule's quantity and its inverse, lookup by name, the weight ratio."""

import numpy as np
import pytest

from theory.curves import AsymmetricSuperellipse, Binormal, Superellipse
from theory.rules import RULES, rule_named, weight_ratio

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
        ValueError, match=r"^The 'rule' parameter of f must be one of 'bce', 'bayes'\. Got 'x'"
    ):
        rule_named("x", "f")
