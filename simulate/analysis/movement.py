"""How far each model moves when its weight changes: the movement exponent ``k`` of a sweep.

The theory moves a model along its tradeoff curve as if the weight were what its loss says. A
model that can already fit its training rows moves less, as if weighted ``alpha**k``
(:mod:`theory.movement`). :func:`theory.fit_movement` measures ``k`` from a model's scores on
validation rows; a committed sweep keeps no per-row scores, so here ``k`` is measured from its
mean operating points (population level):

1. per condition (class_sep, or data set, or flip_y and class_sep:
   :func:`simulate.analysis.summary.cell_keys`), a curve of ``family`` is fitted to the mean
   (recall, specificity) points over the weights (:func:`theory.fit_curve`, as
   :func:`simulate.analysis.summary.fit_separations` fits it);
2. at each weight ``alpha``, the *effective weight* ``alpha_eff`` is the weight at which ``rule``
   puts a model on that curve at its observed mean recall: the rule's stationarity quantity at
   that recall (for ``"bayes"`` the curve's steepness ``-dz/dx``) divided by ``beta / (1 - beta)``
   (:func:`theory.weight_ratio`);
3. ``k`` is the least-squares slope of ``log(alpha_eff)`` against ``log(alpha)``, the intercept
   free: it absorbs where the ``alpha = 1`` model sits, so a model that is not where the rule
   puts it at ``alpha = 1`` (miscalibrated, or a curve that misplaces it) can still move as the
   theory says.

``k = 1``: the model moves as the theory says; ``k`` near 0: the weight does not move it; ``k < 0``:
it moves the other way. On the equal-variance binormal under the bayes rule,
``log(alpha_eff) = d * probit(recall) + const``, so ``k`` is ``d`` times the slope of the probit of
the mean recall against ``log(alpha)``.

Edge cases:

- a mean recall or specificity of exactly 0 or 1 is censored (every dataset at a corner of the
  curve: the weight that puts a model there is only bounded, and its probit is infinite); such a
  weight is dropped from both the curve's fit and the slope, and ``n_weights`` counts the ones
  kept;
- a flat curve, on which the rule's quantity does not change with the recall (the chance line
  under the bayes rule: every point has the same slope), places no model: ``k`` is NaN;
- ``k`` needs two kept weights, its standard error three; with fewer they are NaN. ``r2`` is NaN
  where ``alpha_eff`` is the same at every kept weight.

The mean point of a cell averages models that sit at different places of their own curves
(each dataset's model has its own intercept and its own curve). Averaging rates over such a
spread flattens the probits of the mean points, so a model that moves with ``k = 1`` in every
dataset shows a smaller ``k`` in the means: with a spread of ``sigma`` (in the negatives' score
standard deviations) of the models' thresholds about their mean, by about ``1 / (1 + sigma**2)``
on the equal-variance binormal. ``k`` from the means is a population-level exponent, smaller
than the per-dataset one by that factor.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

import theory
from params.validation import POSITIVE, UNIT_OPEN, ParameterError, check_array, check_option
from simulate.analysis.summary import cell_keys
from simulate.data.splits import noisy_prevalence
from theory.curves import FAMILIES
from theory.rules import rule_named

__all__ = ["Exponent", "effective_weights", "movement_exponent", "movement_exponents"]

#: Columns a per-cell summary needs.
_NEEDED = ("alpha", "recall_mean", "specificity_mean")
#: Recalls at which a curve is probed for flatness (the rule's quantity the same at both).
_PROBES = np.array([0.25, 0.75])


class Exponent(NamedTuple):
    """What :func:`movement_exponent` measures for one condition."""

    k: float
    """The slope of ``log(alpha_eff)`` against ``log(alpha)``."""
    k_se: float
    """Its standard error (ordinary least squares; NaN with fewer than three weights)."""
    r2: float
    """The share of the variance of ``log(alpha_eff)`` the line explains."""
    n_weights: int
    """The weights the line is fitted to."""
    alpha_eff_at_1: float
    """``exp(intercept)``: the effective weight the line gives ``alpha = 1``."""


def movement_exponent(alpha: ArrayLike, alpha_eff: ArrayLike) -> Exponent:
    """The least-squares line of ``log(alpha_eff)`` against ``log(alpha)``, intercept free.

    Parameters
    ----------
    alpha : array_like
        The weights the models were trained with, > 0.
    alpha_eff : array_like
        The effective weight of each (:func:`effective_weights`); NaN or non-positive values are
        left out.

    Returns
    -------
    Exponent
        ``k`` (NaN with fewer than two distinct weights kept), its standard error (NaN with
        fewer than three), ``r2`` (NaN where ``alpha_eff`` does not vary), the number of weights
        kept and ``exp(intercept)``.

    Raises
    ------
    ValueError
        If the two arrays differ in length, or a weight is not > 0.

    Examples
    --------
    >>> fit = movement_exponent([1.0, 10.0, 100.0], [2.0, 2.0 * 10**0.5, 20.0])
    >>> round(fit.k, 6), round(fit.alpha_eff_at_1, 6), fit.n_weights
    (0.5, 2.0, 3)
    """
    owner = "movement_exponent"
    alpha = np.ravel(check_array(alpha, "alpha", owner, POSITIVE))
    effective = np.ravel(np.asarray(alpha_eff, dtype=np.float64))
    if effective.shape != alpha.shape:
        raise ParameterError(
            "alpha_eff", owner, f"one value per weight ({alpha.size})", f"{effective.size} values"
        )
    kept = np.isfinite(effective) & (effective > 0.0)
    x, y = np.log(alpha[kept]), np.log(effective[kept])
    n = int(x.size)
    nan = float("nan")
    if n < 2 or np.ptp(x) == 0.0:
        return Exponent(nan, nan, nan, n, nan)
    dx, dy = x - x.mean(), y - y.mean()
    sxx = float(dx @ dx)
    k = float(dx @ dy) / sxx
    intercept = float(y.mean() - k * x.mean())
    residual = y - intercept - k * x
    ssr, sst = float(residual @ residual), float(dy @ dy)
    k_se = float(np.sqrt(ssr / (n - 2) / sxx)) if n > 2 else nan
    r2 = 1.0 - ssr / sst if sst > 0.0 else nan
    return Exponent(k, k_se, r2, n, float(np.exp(intercept)))


def effective_weights(
    summary: pd.DataFrame, beta: float, *, family: str = "binormal", rule: str = "bayes"
) -> pd.DataFrame:
    """Per cell, the weight at which ``rule`` puts a model at its mean recall on the curve
    fitted to its condition's mean points.

    Parameters
    ----------
    summary : DataFrame
        A per-cell table (:func:`simulate.analysis.summary.per_cell`, a run's ``.summary``): its
        cell keys, ``alpha``, ``recall_mean`` and ``specificity_mean``.
    beta : float
        The sweep's prevalence, in (0, 1). With label noise (a ``flip_y`` column) the rule reads
        the noisy labels' prevalence (:func:`simulate.data.splits.noisy_prevalence`).
    family : {"binormal", "superellipse", "asymmetric"}, default "binormal"
        The curve family fitted per condition (:func:`theory.fit_curve`).
    rule : {"bayes", "bce", "focal"}, default "bayes"
        How a weight picks a point (:data:`theory.RULE_NAMES`; focal with its default gamma).

    Returns
    -------
    DataFrame
        The cell keys, ``alpha``, ``recall_mean``, ``specificity_mean``, ``alpha_eff`` (NaN
        where the cell is censored, at a mean rate of 0 or 1, or the curve is flat) and
        ``kept`` (whether ``alpha_eff`` is finite), sorted by the cell keys and alpha.

    Raises
    ------
    ValueError
        For a summary without the columns or rows it needs, ``beta`` outside (0, 1), or an
        unknown family or rule.
    """
    owner = "effective_weights"
    summary, beta, chosen = _check(summary, beta, family, rule, owner)
    frames = []
    for values, cell in _conditions(summary):
        cell = cell.sort_values("alpha")
        x = cell["recall_mean"].to_numpy(dtype=np.float64)
        z = cell["specificity_mean"].to_numpy(dtype=np.float64)
        inside = (x > 0.0) & (x < 1.0) & (z > 0.0) & (z < 1.0)
        effective = np.full(x.shape, np.nan)
        if inside.any():
            curve = theory.fit_curve(x[inside], z[inside], family=family)
            probes = chosen.quantity_at(curve, _PROBES)
            if np.all(np.isfinite(probes)) and not np.isclose(probes[0], probes[1], rtol=1e-9):
                prevalence = noisy_prevalence(beta, float(values.get("flip_y", 0.0)))
                with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                    quantity = chosen.quantity_at(curve, x[inside])
                    weight = quantity / theory.weight_ratio(1.0, prevalence)
                effective[inside] = np.where(np.isfinite(weight) & (weight > 0.0), weight, np.nan)
        frame = cell[[*values, *_NEEDED]].copy()
        frame["alpha_eff"] = effective
        frame["kept"] = np.isfinite(effective)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def movement_exponents(
    summary: pd.DataFrame, beta: float, *, family: str = "binormal", rule: str = "bayes"
) -> pd.DataFrame:
    """The movement exponent ``k`` per condition of a sweep, from its mean operating points.

    Parameters
    ----------
    summary, beta, family, rule
        As for :func:`effective_weights`.

    Returns
    -------
    DataFrame
        One row per condition (the cell keys' values, in sorted order): ``k``, ``k_se``,
        ``r2``, ``n_weights`` and ``alpha_eff_at_1`` (:class:`Exponent`).

    Raises
    ------
    ValueError
        As :func:`effective_weights`.

    Examples
    --------
    A sweep whose mean points move along the binormal ``d = 2`` as if weighted ``alpha**0.5``:

    >>> import numpy as np, pandas as pd, theory
    >>> alphas = np.logspace(0, 2, 7)
    >>> x, z = theory.operating_point(alphas**0.5, 0.01, theory.Binormal(2.0), rule="bayes")
    >>> summary = pd.DataFrame(
    ...     {"class_sep": 1.0, "alpha": alphas, "recall_mean": x, "specificity_mean": z}
    ... )
    >>> row = movement_exponents(summary, 0.01).iloc[0]
    >>> round(float(row["k"]), 6), int(row["n_weights"])
    (0.5, 7)
    """
    weights = effective_weights(summary, beta, family=family, rule=rule)
    rows = []
    for values, cell in _conditions(weights):
        exponent = movement_exponent(cell["alpha"], cell["alpha_eff"])
        rows.append({**values, **exponent._asdict()})
    return pd.DataFrame(rows)


def _check(
    summary: pd.DataFrame, beta: float, family: str, rule: str, owner: str
) -> tuple[pd.DataFrame, float, Any]:
    """The summary with numeric rates and weights, beta as a float, and the rule."""
    if not isinstance(summary, pd.DataFrame):
        raise ParameterError("summary", owner, "a per-cell DataFrame", type(summary))
    missing = [column for column in _NEEDED if column not in summary.columns]
    if missing:
        names = ", ".join(repr(column) for column in missing)
        raise ParameterError("summary", owner, f"a table with the columns {names}", "none")
    if summary.empty:
        raise ParameterError("summary", owner, "a table with rows", "an empty one")
    beta = float(check_array(beta, "beta", owner, UNIT_OPEN))
    check_option(family, "family", owner, FAMILIES)
    chosen = rule_named(rule, owner)
    numbers = summary[list(_NEEDED)].apply(pd.to_numeric, errors="coerce")
    if not (numbers["alpha"] > 0.0).all():
        raise ParameterError("summary", owner, "weights 'alpha' > 0", "a weight that is not")
    rates = numbers[["recall_mean", "specificity_mean"]]
    if not ((rates >= 0.0) & (rates <= 1.0)).all().all():
        raise ParameterError("summary", owner, "mean rates in [0, 1]", "a rate that is not")
    return summary.assign(**numbers), beta, chosen


def _conditions(table: pd.DataFrame) -> Iterator[tuple[dict[str, Any], pd.DataFrame]]:
    """Each condition's values of the cell keys and its rows, in sorted order (the whole table
    as one condition if it has no cell key)."""
    keys = cell_keys(table)
    if not keys:
        yield {}, table
        return
    for values, group in table.groupby(keys, sort=True):
        yield dict(zip(keys, values, strict=True)), group
