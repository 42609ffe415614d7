"""What reweighting or resampling would do to a model one already has.

A model trained with weight ``alpha_observed`` was measured at some recall and specificity. Take
the member of a curve family through that point, then move along it so that the rule's
stationarity quantity scales by ``alpha / alpha_observed``: under every rule the quantity is
proportional to the weight, whatever constant the real training process adds to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from params.validation import Interval, check_array
from theory.curves import Curve, check_point, curve_through
from theory.operating import _confusion_at
from theory.rules import ALPHA_RANGE, BETA_RANGE, rule_named
from theory.scores import check_costs, check_fbeta, confusion_scores

__all__ = ["equivalent_weight", "what_if"]

Array = NDArray[np.float64]


def what_if(
    recall: ArrayLike,
    specificity: ArrayLike,
    *,
    beta: ArrayLike,
    alpha: ArrayLike,
    alpha_observed: ArrayLike = 1.0,
    family: str | Callable[[Array, Array], Curve] = "binormal",
    rule: str = "bayes",
    gamma: float | None = None,
    fbeta: float | Iterable[float] = (2.0, 0.5),
    cost_fn: float | None = None,
    cost_fp: float | None = None,
) -> dict[str, Array]:
    """Expected scores of an observed model retrained with weight ``alpha``.

    Parameters
    ----------
    recall, specificity : array_like
        The observed model's rates, each in (0, 1), with ``recall + specificity >= 1``.
    beta : array_like
        Prevalence of the positive class where the model is used, in (0, 1).
    alpha : array_like
        The new weight of the positive class, > 0.
    alpha_observed : array_like, default 1.0
        The weight the observed model was trained with, > 0.
    family : str or callable, default "binormal"
        A family name of :data:`theory.FAMILIES` (``"superellipse"``, ``"asymmetric"`` with
        ``q = 1`` fixed, ``"binormal"``), or a callable ``(recall, specificity) -> curve`` that
        returns a :class:`~theory.curves.Curve` through the point, such as
        ``functools.partial(AsymmetricSuperellipse.through, q=2.0)`` or
        ``functools.partial(Binormal.through, s=2.0)`` (unequal variances: the bayes rule then
        takes the global maximum of its objective, a corner where the curve's hook leaves no
        interior point as good). The binormal default (equal variances) is the ROC of signal
        detection theory, which fits many real scoring models.
    rule : {"bayes", "bce", "focal"}, default "bayes"
        How a weight picks the operating point. Unlike the rest of :mod:`theory`, which follows
        the post's ``"bce"`` derivation, the default is ``"bayes"``: a model one already has is,
        near enough, a calibrated model thresholded at 1/2. ``"focal"``: a model trained with
        the focal loss.
    gamma : float, optional
        The focal rule's parameter (default 2); only with ``rule="focal"``.
    fbeta : float or iterable of float, default (2.0, 0.5)
        Extra F-beta scores to report.
    cost_fn, cost_fp : float, optional
        The prices of a false negative and a false positive in the ``"cost"`` score, each > 0
        and 1 unless given.

    Returns
    -------
    dict of str to ndarray
        The scores of :func:`theory.expected_scores` at the new operating point. At
        ``alpha == alpha_observed`` they are the observed model's.

    Raises
    ------
    ValueError
        For rates outside (0, 1) or below the chance line, ``beta`` outside
        :data:`~theory.rules.BETA_RANGE`, a weight ``<= 0``, an unknown family or rule, a
        ``gamma`` out of range or given with another rule than ``"focal"``, or a cost that is
        not a number > 0.

    Examples
    --------
    >>> scores = what_if(0.6, 0.99, beta=0.01, alpha=99.0)
    >>> round(float(scores["recall"]), 3), round(float(scores["f1"]), 3)
    (0.979, 0.063)
    """
    owner = "what_if"
    x, z = check_point(recall, specificity, owner)
    fitted = curve_through(family, x, z, owner)
    beta = check_array(beta, "beta", owner, BETA_RANGE)
    alpha = check_array(alpha, "alpha", owner, ALPHA_RANGE)
    alpha_observed = check_array(alpha_observed, "alpha_observed", owner, ALPHA_RANGE)
    chosen = rule_named(rule, owner, gamma=gamma)
    check_fbeta(fbeta, owner)
    cost_fn, cost_fp = check_costs(cost_fn, cost_fp, owner)
    quantity = chosen.quantity_at(fitted, x) * alpha / alpha_observed
    return confusion_scores(
        *_confusion_at(quantity, beta, fitted, chosen),
        fbeta=fbeta,
        cost_fn=cost_fn,
        cost_fp=cost_fp,
    )


def equivalent_weight(beta: ArrayLike, positive_fraction: ArrayLike) -> Array:
    """The class weight that resampling the training set to a positive fraction amounts to.

    Dropping negatives or copying positives until positives make up ``positive_fraction`` of the
    training set multiplies their share of the loss like the weight
    ``(q / (1 - q)) * ((1 - beta) / beta)`` does.

    Parameters
    ----------
    beta : array_like
        Prevalence of the positive class in the original data, in (0, 1).
    positive_fraction : array_like
        Positive fraction ``q`` after resampling, in (0, 1).

    Examples
    --------
    >>> float(equivalent_weight(0.01, 0.5))
    99.0
    """
    owner = "equivalent_weight"
    beta = check_array(beta, "beta", owner, BETA_RANGE)
    q = check_array(positive_fraction, "positive_fraction", owner, Interval(0.0, 1.0))
    # One quotient of two products: exactly 1 where q == beta.
    return (q * (1.0 - beta)) / ((1.0 - q) * beta)
