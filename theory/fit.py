"""Fit a curve family to observed operating points.

A sweep over class weights gives a model's mean (recall, specificity) at each weight; the member of
a family closest to those points is what the theory compares with the simulation.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize, special

from params.validation import Interval, check_array, check_option
from theory.curves import FAMILIES, AsymmetricSuperellipse, Binormal, Superellipse

__all__ = ["fit_curve"]

Array = NDArray[np.float64]

#: Largest superellipse exponent searched (p = 1000 is a near-perfect classifier).
MAX_SHAPE = 1000.0
#: Points of the log-spaced grid that brackets the best exponent before it is refined; the loss
#: can be nearly flat, and a bounded search alone may then stop in the wrong valley.
_GRID_POINTS = 200
#: Rates are kept this far inside (0, 1) so that logs and probits stay finite.
_RATE_MARGIN = 1e-6


def fit_curve(
    recall: ArrayLike, specificity: ArrayLike, *, family: str = "superellipse"
) -> Superellipse | AsymmetricSuperellipse | Binormal:
    """The member of ``family`` closest to points ``(recall, specificity)``.

    Parameters
    ----------
    recall, specificity : array_like
        Observed rates, 1-d and of equal length, each in [0, 1].
    family : {"superellipse", "asymmetric", "binormal"}, default "superellipse"
        Which family to fit.

    Returns
    -------
    Superellipse, AsymmetricSuperellipse or Binormal
        - superellipse: the ``p`` in [1, MAX_SHAPE] minimising the squared residuals
          ``(x**p + z**p)**(1/p) - 1`` (how far each point's p-norm lies from 1);
        - asymmetric: ``(p, q)`` minimising the squared residuals ``x**p + z**q - 1``;
        - binormal: ``d`` = the mean of ``Phi^-1(x) + Phi^-1(z)`` (least squares in probit
          space), at least 0, with equal variances (``s = 1``). A free spread would be a
          well-posed regression in probit space, but its ROC is not concave, and the fit is the
          default smoother of :class:`theory.EmpiricalCurve`, measured against retraining with
          equal variances; build ``Binormal(d, s)`` for a spread.

    Raises
    ------
    ValueError
        For rates outside [0, 1], arrays of different lengths or an unknown family.

    Examples
    --------
    >>> curve = fit_curve([0.3, 0.7, 0.9], Superellipse(3.0).specificity([0.3, 0.7, 0.9]))
    >>> round(float(curve.p), 6)
    3.0
    """
    owner = "fit_curve"
    check_option(family, "family", owner, FAMILIES)
    unit = Interval(0.0, 1.0, "both")
    x = np.ravel(check_array(recall, "recall", owner, unit))
    z = np.ravel(check_array(specificity, "specificity", owner, unit))
    if x.shape != z.shape or x.size == 0:
        raise ValueError(
            f"The 'recall' and 'specificity' parameters of {owner} must be non-empty and of "
            f"equal length. Got lengths {x.size} and {z.size} instead."
        )
    x = np.clip(x, _RATE_MARGIN, 1 - _RATE_MARGIN)
    z = np.clip(z, _RATE_MARGIN, 1 - _RATE_MARGIN)
    if family == Binormal.family:
        return Binormal(d=max(float(np.mean(special.ndtri(x) + special.ndtri(z))), 0.0))
    if family == Superellipse.family:
        return Superellipse(p=_fit_superellipse(x, z))
    return _fit_asymmetric(x, z)


def _fit_superellipse(x: Array, z: Array) -> float:
    def loss(log_p: float) -> float:
        p = np.exp(log_p)
        norm = np.exp(np.logaddexp(p * np.log(x), p * np.log(z)) / p)
        return float(np.sum((norm - 1.0) ** 2))

    grid = np.linspace(0.0, np.log(MAX_SHAPE), _GRID_POINTS)
    best = int(np.argmin([loss(log_p) for log_p in grid]))
    bracket = (grid[max(best - 1, 0)], grid[min(best + 1, _GRID_POINTS - 1)])
    result = optimize.minimize_scalar(
        loss, bounds=bracket, method="bounded", options={"xatol": 1e-10}
    )
    return float(np.exp(result.x))


def _fit_asymmetric(x: Array, z: Array) -> AsymmetricSuperellipse:
    def loss(log_shapes: Array) -> float:
        p, q = np.exp(log_shapes)
        return float(np.sum((x**p + z**q - 1.0) ** 2))

    start = np.log(np.full(2, _fit_superellipse(x, z)))
    bounds = [(0.0, np.log(MAX_SHAPE))] * 2
    result = optimize.minimize(loss, start, bounds=bounds, method="L-BFGS-B")
    p, q = np.exp(result.x)
    return AsymmetricSuperellipse(p=p, q=q)
