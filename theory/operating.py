"""The operating point a class weight leads to, and the expected scores there.

Every expected score goes through one chain, :func:`_confusion_at`: the rule's inverse gives the
point where the curve's stationarity quantity equals the weight ratio, as recall, specificity and
their complements (each from the curve's own parameter, so that a false-positive rate of 1e-17
survives a specificity that rounds to 1), and the prevalence turns the rates into expected
confusion fractions, from which :mod:`theory.scores` reads any score. The public functions check
their arguments, naming themselves in the error messages, and then run the chain on checked values.

Each takes ``movement=k``: a model that moves as if its weight were ``alpha**k``. The weight enters
the chain once, as the rule's weight ratio (:func:`theory.rules.weight_ratio`), so at ``alpha`` such
a model has every rate and score the theory's model (``k = 1``) has at ``alpha**k``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from params.validation import POSITIVE, check_array
from theory.curves import Curve, as_curve
from theory.rules import ALPHA_RANGE, BETA_RANGE, Rule, rule_named, weight_ratio
from theory.scores import (
    ScoreFunction,
    check_costs,
    check_fbeta,
    confusion_scores,
    expected_confusion,
    score_function,
)

__all__ = ["check_movement", "expected_score", "expected_scores", "operating_point"]

Array = NDArray[np.float64]
Confusion = tuple[Array, Array, Array, Array]


def operating_point(
    alpha: ArrayLike,
    beta: ArrayLike,
    curve: Curve | ArrayLike,
    *,
    rule: str = "bce",
    gamma: float | None = None,
    movement: ArrayLike = 1.0,
) -> tuple[Array, Array]:
    """Recall and specificity that weight ``alpha`` on the positives leads to.

    Parameters
    ----------
    alpha : array_like
        Weight of the positive class (the negatives weigh 1), > 0.
    beta : array_like
        Prevalence of the positive class, in (0, 1).
    curve : Curve or array_like
        A :class:`~theory.curves.Curve`, or numbers ``p >= 1`` meaning the post's
        :class:`~theory.curves.Superellipse`.
    rule : {"bce", "bayes", "focal"}, default "bce"
        How the weight picks the point (see :mod:`theory.rules`); ``"bce"`` is the post's
        derivation, ``"focal"`` the same argument for the focal loss.
    gamma : float, optional
        The focal rule's parameter, a single number >= 0 (default 2); only with
        ``rule="focal"``, and ``gamma = 0`` is the ``"bce"`` rule.
    movement : array_like, default 1.0
        The movement exponent ``k > 0``: the model moves as if its weight were ``alpha**k``
        (``k < 1`` for a model that can already fit its training rows and so moves less than
        its loss says; see :func:`theory.fit_movement`). The point is then the one the theory's
        model (``k = 1``) reaches at ``alpha**k``. Broadcasts with ``alpha``.

    Returns
    -------
    x, z : ndarray
        Recall and specificity, of the shape ``alpha``, ``beta``, the curve and ``movement``
        broadcast to.

    Raises
    ------
    ValueError
        For ``alpha <= 0``, ``beta`` outside :data:`~theory.rules.BETA_RANGE`, ``p < 1``, an
        unknown rule, a ``gamma`` below 0 or given with another rule than ``"focal"``, or
        ``movement <= 0``.

    Examples
    --------
    >>> x, z = operating_point(99.0, 0.01, 2.0)
    >>> round(float(x), 4), round(float(z), 4)
    (0.7071, 0.7071)
    """
    owner = "operating_point"
    alpha, beta, curve, chosen = _check_arguments(alpha, beta, curve, rule, gamma, owner)
    movement = check_movement(movement, owner)
    return chosen.point(curve, weight_ratio(alpha, beta, movement=movement))


def expected_score(
    alpha: ArrayLike,
    beta: ArrayLike,
    curve: Curve | ArrayLike,
    *,
    metric: str = "f1",
    rule: str = "bce",
    gamma: float | None = None,
    cost_fn: float | None = None,
    cost_fp: float | None = None,
    movement: ArrayLike = 1.0,
) -> Array:
    """Expected value of one score at the operating point of weight ``alpha``.

    Parameters
    ----------
    alpha, beta, curve, rule, gamma, movement
        As in :func:`operating_point`; they broadcast together. With ``movement=k`` the score
        is the one at ``alpha**k`` for ``k = 1``.
    metric : str, default "f1"
        A score of :data:`theory.SCORE_NAMES`, or ``"f<b>"`` (``"f2"``) for an F-beta score.
    cost_fn, cost_fp : float, optional
        With ``metric="cost"`` only: the prices of a false negative and a false positive, each
        > 0 and 1 unless given; the score is then ``cost_fn * FN + cost_fp * FP`` per sample.

    Returns
    -------
    ndarray
        The score, computed by :mod:`theory.scores` from the expected confusion fractions, of
        the broadcast shape of ``alpha``, ``beta``, the curve and ``movement``.

    Raises
    ------
    ValueError
        For ``alpha <= 0``, ``beta`` outside :data:`~theory.rules.BETA_RANGE`, ``p < 1``, an
        unknown metric or rule, ``movement <= 0``, or a ``gamma`` or a cost that is out of range
        or given where it would be ignored.

    Examples
    --------
    >>> round(float(expected_score(1.0, 0.01, 2.0)), 4)
    0.1253
    """
    owner = "expected_score"
    alpha, beta, curve, chosen = _check_arguments(alpha, beta, curve, rule, gamma, owner)
    score = score_function(metric, owner, cost_fn=cost_fn, cost_fp=cost_fp)
    movement = check_movement(movement, owner)
    return _expected_score(alpha, beta, curve, chosen, score, movement)


def expected_scores(
    alpha: ArrayLike,
    beta: ArrayLike,
    curve: Curve | ArrayLike,
    *,
    rule: str = "bce",
    gamma: float | None = None,
    fbeta: float | Iterable[float] = (2.0, 0.5),
    cost_fn: float | None = None,
    cost_fp: float | None = None,
    movement: ArrayLike = 1.0,
) -> dict[str, Array]:
    """Every expected score at the operating point of weight ``alpha``.

    Parameters
    ----------
    alpha, beta, curve, rule, gamma, movement
        As in :func:`operating_point`; they broadcast together. With ``movement=k`` the scores
        are the ones at ``alpha**k`` for ``k = 1``.
    fbeta : float or iterable of float, default (2.0, 0.5)
        The ``b`` of each F-beta score to add (reported as ``"f2"``, ``"f0.5"``, ...).
    cost_fn, cost_fp : float, optional
        The prices of a false negative and a false positive in ``"cost"``, each > 0 and 1
        unless given (the cost is then the error rate).

    Returns
    -------
    dict of str to ndarray
        ``recall``, ``specificity``, ``precision``, ``npv``, ``f1``, ``balanced_accuracy``,
        ``accuracy``, ``mcc``, ``gmean``, ``hter``, ``cost`` and the F-beta scores, computed by
        :func:`theory.scores.confusion_scores` from the expected confusion fractions. Each entry
        equals :func:`expected_score` of that metric.

    Raises
    ------
    ValueError
        For ``alpha <= 0``, ``beta`` outside :data:`~theory.rules.BETA_RANGE`, ``p < 1``, an
        unknown rule, a ``gamma`` out of range or given with another rule than ``"focal"``, an
        F-beta ``b <= 0``, a cost that is not a number > 0, or ``movement <= 0``.

    Examples
    --------
    >>> scores = expected_scores(1.0, 0.01, 2.0)
    >>> round(float(scores["f1"]), 4)
    0.1253
    """
    owner = "expected_scores"
    alpha, beta, curve, chosen = _check_arguments(alpha, beta, curve, rule, gamma, owner)
    check_fbeta(fbeta, owner)
    costs = check_costs(cost_fn, cost_fp, owner)
    movement = check_movement(movement, owner)
    return confusion_scores(
        *_confusion_at(weight_ratio(alpha, beta, movement=movement), beta, curve, chosen),
        fbeta=fbeta,
        cost_fn=costs[0],
        cost_fp=costs[1],
    )


def _check_arguments(
    alpha: ArrayLike,
    beta: ArrayLike,
    curve: Curve | ArrayLike,
    rule: str,
    gamma: float | None,
    owner: str,
) -> tuple[Array, Array, Curve, Rule]:
    """``alpha``, ``beta``, the curve and the rule, checked with ``owner`` named in any error."""
    return (
        check_array(alpha, "alpha", owner, ALPHA_RANGE),
        check_array(beta, "beta", owner, BETA_RANGE),
        as_curve(curve, owner),
        rule_named(rule, owner, gamma=gamma),
    )


def check_movement(movement: ArrayLike, owner: str) -> Array:
    """The movement exponent ``k``, checked to be > 0 (finite), with ``owner`` named in any
    error."""
    return check_array(movement, "movement", owner, POSITIVE)


def _expected_score(
    alpha: Array,
    beta: Array,
    curve: Curve,
    rule: Rule,
    score: ScoreFunction,
    movement: ArrayLike = 1.0,
) -> Array:
    """``score`` at the operating point of weight ``alpha`` for a model that moves as if
    weighted ``alpha**movement``; inputs not validated."""
    return score(*_confusion_at(weight_ratio(alpha, beta, movement=movement), beta, curve, rule))


def _confusion_at(quantity: Array, beta: Array, curve: Curve, rule: Rule) -> Confusion:
    """Expected confusion fractions where ``rule``'s quantity on ``curve`` equals ``quantity``.

    For a weight ``alpha`` the quantity is :func:`~theory.rules.weight_ratio`;
    :func:`~theory.whatif.what_if` passes the observed model's quantity, rescaled. Inputs not
    validated.
    """
    x, z, fnr, fpr = rule.rates(curve, quantity)
    return expected_confusion(x, z, beta, fnr=fnr, fpr=fpr)
