"""How a class weight ``alpha`` picks a point on the tradeoff curve: the rules, by name.

A rule maximises a weighted objective over the curve; at its optimum a *stationarity quantity*
of the curve equals the weight ratio ``r = alpha * beta / (1 - beta)``:

- ``"bce"`` (the post's derivation) maximises ``alpha*beta*log(x) + (1-beta)*log(z)``, the weighted
  binary cross-entropy with each prediction replaced by its expectation. Quantity: the elasticity
  ``x * (-dz/dx) / z``.
- ``"bayes"`` (decision theory) maximises ``alpha*beta*x + (1-beta)*z``: the point a calibrated
  model trained with weighted BCE reaches when thresholded at 1/2. Quantity: the slope ``-dz/dx``.

:mod:`theory.operating` applies a rule to a weight; this module holds the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from params.validation import Interval, check_option
from theory.curves import Curve

__all__ = ["RULES", "Rule", "rule_named", "weight_ratio"]

Array = NDArray[np.float64]

ALPHA_RANGE = Interval(0.0, np.inf)
BETA_RANGE = Interval(0.0, 1.0)


@dataclass(frozen=True)
class Rule:
    """How a weight picks a point: a stationarity quantity and its inverse.

    Attributes
    ----------
    name : str
        Registry key.
    objective : str
        What the rule maximises, in words.
    quantity : callable
        ``(curve, x) -> q``, the stationarity quantity at recall ``x``.
    point : callable
        ``(curve, q) -> (x, z)``, the recall and specificity at which the quantity equals ``q``.
    """

    name: str
    objective: str
    quantity: Callable[[Curve, Array], Array]
    point: Callable[[Curve, Array], tuple[Array, Array]]


RULES: dict[str, Rule] = {
    "bce": Rule(
        name="bce",
        objective="alpha*beta*log(x) + (1-beta)*log(z)  (expected weighted BCE)",
        quantity=lambda curve, x: curve.elasticity(x),
        point=lambda curve, q: curve.point_at_elasticity(q),
    ),
    "bayes": Rule(
        name="bayes",
        objective="alpha*beta*x + (1-beta)*z  (weighted accuracy; calibrated model at 1/2)",
        quantity=lambda curve, x: -curve.slope(x),
        point=lambda curve, q: curve.point_at_slope(q),
    ),
}


def rule_named(rule: str, owner: str) -> Rule:
    """The rule of :data:`RULES` called ``rule``; a ``ValueError`` naming ``owner`` otherwise."""
    return RULES[check_option(rule, "rule", owner, RULES)]


def weight_ratio(alpha: ArrayLike, beta: ArrayLike) -> Array:
    """``alpha * beta / (1 - beta)``: the positives' total weight over the negatives'."""
    alpha, beta = np.asarray(alpha, np.float64), np.asarray(beta, np.float64)
    return alpha * beta / (1.0 - beta)
