"""Where a class weight ``alpha`` puts the classifier on its tradeoff curve.

A rule maximises a weighted objective over the curve; at its optimum a *stationarity quantity*
of the curve equals the weight ratio ``r = alpha * beta / (1 - beta)``:

- ``"bce"`` (the post's derivation) maximises ``alpha*beta*log(x) + (1-beta)*log(z)``, the weighted
  binary cross-entropy with each prediction replaced by its expectation. Quantity: the elasticity
  ``x * (-dz/dx) / z``.
- ``"bayes"`` (decision theory) maximises ``alpha*beta*x + (1-beta)*z``: the point a calibrated
  model trained with weighted BCE reaches when thresholded at 1/2. Quantity: the slope ``-dz/dx``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from params.validation import Interval, check_array, check_option
from theory.curves import Curve, as_curve
from theory.scores import check_fbeta, confusion_scores, expected_confusion

__all__ = ["RULES", "Rule", "expected_scores", "operating_point", "weight_ratio"]

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
    solve : callable
        ``(curve, q) -> x``, the recall at which the quantity equals ``q``.
    """

    name: str
    objective: str
    quantity: Callable[[Curve, Array], Array]
    solve: Callable[[Curve, Array], Array]


RULES: dict[str, Rule] = {
    "bce": Rule(
        name="bce",
        objective="alpha*beta*log(x) + (1-beta)*log(z)  (expected weighted BCE)",
        quantity=lambda curve, x: curve.elasticity(x),
        solve=lambda curve, q: curve.x_at_elasticity(q),
    ),
    "bayes": Rule(
        name="bayes",
        objective="alpha*beta*x + (1-beta)*z  (weighted accuracy; calibrated model at 1/2)",
        quantity=lambda curve, x: -curve.slope(x),
        solve=lambda curve, q: curve.x_at_slope(q),
    ),
}


def weight_ratio(alpha: ArrayLike, beta: ArrayLike) -> Array:
    """``alpha * beta / (1 - beta)``: the positives' total weight over the negatives'."""
    alpha, beta = np.asarray(alpha, np.float64), np.asarray(beta, np.float64)
    return alpha * beta / (1.0 - beta)


def operating_point(
    alpha: ArrayLike, beta: ArrayLike, curve: Curve | ArrayLike, rule: str = "bce"
) -> tuple[Array, Array]:
    """Recall and specificity that weight ``alpha`` on the positives leads to.

    Parameters
    ----------
    alpha : array_like
        Weight of the positive class (the negatives weigh 1), > 0.
    beta : array_like
        Prevalence of the positive class, in (0, 1).
    curve : curve object or array_like
        A curve from :mod:`theory.curves`, or numbers ``p >= 1`` meaning the post's
        :class:`~theory.curves.Superellipse`.
    rule : {"bce", "bayes"}, default "bce"
        How the weight picks the point (see :data:`RULES`).

    Returns
    -------
    x, z : ndarray
        Recall and specificity, of the shape ``alpha``, ``beta`` and the curve broadcast to.

    Raises
    ------
    ValueError
        For ``alpha <= 0``, ``beta`` outside (0, 1), ``p < 1`` or an unknown rule.

    Examples
    --------
    >>> x, z = operating_point(99.0, 0.01, 2.0)
    >>> round(float(x), 4), round(float(z), 4)
    (0.7071, 0.7071)
    """
    owner = "operating_point"
    alpha = check_array(alpha, "alpha", owner, ALPHA_RANGE)
    beta = check_array(beta, "beta", owner, BETA_RANGE)
    curve = as_curve(curve, owner)
    chosen = RULES[check_option(rule, "rule", owner, RULES)]
    x = chosen.solve(curve, weight_ratio(alpha, beta))
    return x, curve.specificity(x)


def expected_scores(
    alpha: ArrayLike,
    beta: ArrayLike,
    curve: Curve | ArrayLike,
    rule: str = "bce",
    *,
    fbeta: float | Iterable[float] = (2.0, 0.5),
) -> dict[str, Array]:
    """Expected scores at the operating point of weight ``alpha``.

    Parameters are those of :func:`operating_point`, plus ``fbeta``: the ``b`` of each F-beta
    score to add (reported as ``"f2"``, ``"f0.5"``, ...).

    Returns
    -------
    dict of str to ndarray
        ``recall``, ``specificity``, ``precision``, ``npv``, ``f1``, ``balanced_accuracy``,
        ``accuracy``, ``mcc``, ``gmean``, ``hter`` and the F-beta scores, computed by
        :func:`theory.scores.confusion_scores` from the expected confusion fractions.

    Examples
    --------
    >>> scores = expected_scores(1.0, 0.01, 2.0)
    >>> round(float(scores["f1"]), 4)
    0.1253
    """
    check_fbeta(fbeta, "expected_scores")
    x, z = operating_point(alpha, beta, curve, rule)
    beta = np.asarray(beta, np.float64)
    return confusion_scores(*expected_confusion(x, z, beta), fbeta=fbeta)
