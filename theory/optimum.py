"""The class weight that maximises an expected score.

The search runs on ``log(alpha)`` over :data:`SEARCH_RANGE`, for every element of the broadcast
``(beta, curve)`` grid at once: a coarse log-spaced grid brackets the best weight, then bisection on
the sign of a central-difference derivative narrows the bracket to about 1e-12 in ``log(alpha)``.
Along a concave tradeoff curve the ratio-of-linear scores (precision, F-beta) and the linear ones
(balanced accuracy) are unimodal in ``alpha``, so the bracket holds the maximum.

On a curve that is not concave (the binormal with unequal variances) the ``"bayes"`` rule skips
the curve's hook: its point jumps, and the score is flat on one side of the jump (the point sits
in a corner there). The bisection therefore reads a step whose score is below the best grid point
as lying on the far side of the maximum from that point, whatever its slope, and moves the
converged weight to a neighbour 1e-9 away where the score is higher there by more than rounding,
so that a maximum at a jump is found.
The ``"bce"`` rule follows the hook, along which a score can have two local maxima in ``alpha``
(F1 on ``Binormal(0.5, 2)`` at ``beta = 0.3``); the coarse grid brackets the higher one.

A *plateau* is a stretch of weights over which the score stays within :data:`PLATEAU_TOLERANCE`
(relative) of the best: every weight in it is as good as the one returned, to rounding. The
search reports the stretch around the optimum and flags it when it is wider than
:data:`PLATEAU_WIDTH` in ``log(alpha)`` (a factor of about 1.01 in ``alpha``): on the chance line
under ``"bayes"`` every weight above ``(1 - beta) / beta`` puts the model in the corner (1, 0),
and near it a rate can round to 1 in float64 well before the corner. A smooth optimum is within
the tolerance over about 1e-5 in ``log(alpha)`` only, and is not flagged.

A model that moves as if its weight were ``alpha**k`` (``movement=k``) reaches, at ``alpha``, the
point the theory's model reaches at the effective weight ``alpha**k``
(:func:`theory.rules.effective_weight`). The search therefore runs on the effective weight, as for
``k = 1``, and reports the weight that acts as it: the optimum ``alpha_star`` becomes
``alpha_star**(1/k)`` and so do the ends of a plateau, the best score is the same
(:func:`theory.symbolic.moved_score_derivatives`), and so is the score at ``alpha = 1``; the
inverse-proportion weight acts as ``((1 - beta) / beta)**k``, which changes its score and the gain
over it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import ArrayLike, NDArray

from params.validation import check_array
from theory._solve import bisect_increasing
from theory.curves import FAMILIES, Curve, as_curve
from theory.empirical import EmpiricalCurve, reported_quantity
from theory.operating import _expected_score, check_movement
from theory.rules import (
    BETA_RANGE,
    Rule,
    effective_weight,
    rule_named,
    weight_acting_as,
    weight_ratio,
)
from theory.scores import LOWER_IS_BETTER, ScoreFunction, expected_confusion, score_function

__all__ = [
    "PLATEAU_TOLERANCE",
    "PLATEAU_WIDTH",
    "SEARCH_RANGE",
    "Optimum",
    "inverse_proportion_weight",
    "optimal_alpha",
    "optimize_alpha",
    "search_bounds",
]

Array = NDArray[np.float64]

#: Smallest and largest weight searched.
SEARCH_RANGE: tuple[float, float] = (1e-3, 1e6)
#: Points of the coarse log-spaced grid that brackets the optimum.
_GRID_POINTS = 64
#: Bisection steps on the bracket (two grid cells wide); shrinks it by 2**-40.
_REFINE_STEPS = 40
#: Step in log(alpha) of the central-difference derivative.
_DERIVATIVE_STEP = 1e-5
#: Distance in log(alpha) from an end of the range within which an optimum counts as at the edge.
_EDGE_TOLERANCE = 1e-6
#: Decades either side of the inverse-proportion weight that the search always covers.
_INVERSE_DECADES = 3.0
#: Relative spread of the score over the whole search below which the optimum is flagged flat.
_FLAT_TOLERANCE = 1e-12
#: Step in log(alpha) either side of the converged weight that is also scored, so that a maximum
#: sitting at a jump of the score is read on its good side.
_JUMP_STEP = 1e-9
#: Bisection steps that find each end of a plateau: 2**-40 of the search range, ~2e-11.
_PLATEAU_STEPS = 40
#: A weight ties with the optimum where its score is within this fraction of the best score.
PLATEAU_TOLERANCE = 1e-12
#: Width in log(alpha) beyond which the tied weights around the optimum are flagged a plateau.
PLATEAU_WIDTH = 0.01


@dataclass(frozen=True)
class Optimum:
    """The best weight for a score, and what it gains.

    Attributes
    ----------
    alpha : ndarray
        The maximising weight. Where the score keeps improving towards an end of the search
        range (:data:`SEARCH_RANGE`, widened to three decades either side of ``(1 - beta) / beta``;
        see :func:`search_bounds`; for the focal rule its lower end is multiplied by the rule's
        ``weight_scale``, ``1e-4**gamma``), for example F1 on the chance line under the ``"bce"``
        rule, it is that end, and ``at_edge`` is True. With a movement exponent ``k`` the range
        bounds the effective weight ``alpha**k``, and ``alpha`` is the k = 1 optimum to the
        power ``1/k``.
    score : ndarray
        The score at ``alpha``.
    at_edge : ndarray of bool
        Whether ``alpha`` sits at an end of the search range.
    flat : ndarray of bool
        Whether the score is the same (to 1e-12 relative) at every weight searched, as balanced
        accuracy is on the chance line; ``alpha`` is then arbitrary.
    plateau : ndarray of bool
        Whether ``alpha`` lies on a plateau: the weights whose score is within
        :data:`PLATEAU_TOLERANCE` (1e-12, relative) of ``score`` span more than
        :data:`PLATEAU_WIDTH` (0.01) in ``log(alpha)`` around it, so any weight from
        ``plateau_start`` to ``plateau_stop`` does as well. A flat score is a plateau over the
        whole search range. On an exact empirical hull the plateau is the interval of weights
        that reach the best vertex. With a movement exponent the width is measured in the
        effective weight, so that a plateau is flagged whatever ``k``.
    plateau_start, plateau_stop : ndarray
        The smallest and largest weight of the plateau (to about 1e-11 relative, within the
        search range; on an exact hull 0 or ``inf`` where the interval is unbounded); both
        ``alpha`` where there is no plateau.
    score_at_one, score_at_inverse : ndarray
        The score without weights (``alpha = 1``) and at the inverse-proportion weight
        ``(1 - beta) / beta`` (which, with a movement exponent ``k``, acts as
        ``((1 - beta) / beta)**k``).
    """

    alpha: Array
    score: Array
    at_edge: NDArray[np.bool_]
    flat: NDArray[np.bool_]
    plateau: NDArray[np.bool_]
    plateau_start: Array
    plateau_stop: Array
    score_at_one: Array
    score_at_inverse: Array

    @property
    def gain_over_one(self) -> Array:
        """Improvement of the score over unweighted training (negative for error rates)."""
        return self.score - self.score_at_one

    @property
    def gain_over_inverse(self) -> Array:
        """Improvement of the score over the inverse-proportion weight."""
        return self.score - self.score_at_inverse


def inverse_proportion_weight(beta: ArrayLike) -> Array:
    """The habitual weight ``(1 - beta) / beta`` that balances the classes' total weights."""
    beta = check_array(beta, "beta", "inverse_proportion_weight", BETA_RANGE)
    return (1.0 - beta) / beta


def optimize_alpha(
    beta: ArrayLike,
    curve: Curve | ArrayLike,
    *,
    metric: str = "f1",
    rule: str = "bce",
    gamma: float | None = None,
    cost_fn: float | None = None,
    cost_fp: float | None = None,
    movement: ArrayLike = 1.0,
) -> Optimum:
    """Best weight for ``metric``, with the scores it is compared against.

    Parameters
    ----------
    beta : array_like
        Prevalence of the positive class, in (0, 1) and at least the smallest normal float64,
        about 2.2e-308 (:data:`~theory.rules.BETA_RANGE`).
    curve : Curve or array_like
        A :class:`~theory.curves.Curve`, or numbers ``p >= 1`` for the post's superellipse.
        Its parameters broadcast with ``beta``.
    metric : str, default "f1"
        A score of :data:`theory.scores.SCORE_NAMES` or ``"f<b>"``; ``"hter"`` and ``"cost"``
        are minimised, every other score maximised.
    rule : {"bce", "bayes", "focal"}, default "bce"
        How a weight picks the operating point; ``"bce"`` is the post's derivation.
    gamma : float, optional
        The focal rule's parameter (default 2); only with ``rule="focal"``.
    cost_fn, cost_fp : float, optional
        With ``metric="cost"`` only: the prices of a false negative and a false positive, each
        > 0 and 1 unless given. Under the ``"bayes"`` rule the best weight is then
        ``cost_fn / cost_fp`` on every curve.
    movement : array_like, default 1.0
        The movement exponent ``k > 0``: the model moves as if its weight were ``alpha**k``
        (1, the theory's assumption; less for a model that can already fit its training rows,
        see :func:`theory.fit_movement`). The best weight is then the k = 1 one to the power
        ``1/k`` (balanced accuracy's ``(1 - beta) / beta`` becomes
        ``((1 - beta) / beta)**(1/k)``), with the same best score. Broadcasts with ``beta``.

    Returns
    -------
    Optimum
        Arrays of the broadcast shape of ``beta``, the curve's parameters and ``movement``.
        ``score`` is :func:`theory.expected_score` at ``alpha`` (with the same ``movement``).

    Raises
    ------
    ValueError
        For ``beta`` outside :data:`~theory.rules.BETA_RANGE` (``(0, 1)`` less the subnormal
        floats), ``p < 1``, an unknown metric or rule, ``movement <= 0``, or a ``gamma`` or a
        cost that is out of range or given where it would be ignored.

    Examples
    --------
    >>> best = optimize_alpha(0.01, 2.0, metric="balanced_accuracy", movement=0.5)
    >>> round(float(best.alpha)), round(float(best.gain_over_inverse), 4)
    (9801, 0.0794)
    """
    costs = (cost_fn, cost_fp)
    owner = "optimize_alpha"
    return _optimize(*_check_search(beta, curve, metric, rule, gamma, costs, movement, owner))


def optimal_alpha(
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
    """The weight that maximises the expected ``metric``; see :func:`optimize_alpha`.

    ``movement=k`` is the exponent of a model that moves as if weighted ``alpha**k``: the
    weight returned is then the k = 1 one to the power ``1/k``.

    Examples
    --------
    >>> round(float(optimal_alpha(0.01, 2.0)), 2)
    2.01
    >>> round(float(optimal_alpha(0.01, 2.0, metric="balanced_accuracy")), 6)
    99.0
    >>> round(float(optimal_alpha(0.01, 2.0, movement=0.5)), 2)
    4.04
    """
    costs = (cost_fn, cost_fp)
    checked = _check_search(beta, curve, metric, rule, gamma, costs, movement, "optimal_alpha")
    return _optimize(*checked).alpha


def search_bounds(inverse: ArrayLike) -> tuple[Array, Array]:
    """``log`` of the smallest and largest weight searched, given the inverse-proportion weight.

    The range is :data:`SEARCH_RANGE`, widened where needed to reach three decades either side
    of ``(1 - beta) / beta``, so that extreme prevalences are searched around their own scale.
    """
    inverse = np.asarray(inverse, np.float64)
    low = np.minimum(np.log(SEARCH_RANGE[0]), np.log(inverse) - _INVERSE_DECADES * np.log(10))
    high = np.maximum(np.log(SEARCH_RANGE[1]), np.log(inverse) + _INVERSE_DECADES * np.log(10))
    return low, high


def _check_search(
    beta: ArrayLike,
    curve: Curve | ArrayLike,
    metric: str,
    rule: str,
    gamma: float | None,
    costs: tuple[float | None, float | None],
    movement: ArrayLike,
    owner: str,
) -> tuple[Array, Curve, Rule, ScoreFunction, float, Array]:
    """The checked arguments of a search, with the sign that turns ``metric`` into a maximum
    before the movement exponent."""
    cost_fn, cost_fp = costs
    return (
        check_array(beta, "beta", owner, BETA_RANGE),
        as_curve(curve, owner),
        rule_named(rule, owner, gamma=gamma),
        score_function(metric, owner, cost_fn=cost_fn, cost_fp=cost_fp),
        -1.0 if metric in LOWER_IS_BETTER else 1.0,
        check_movement(movement, owner),
    )


def _optimize(
    beta: Array, curve: Curve, rule: Rule, score: ScoreFunction, sign: float, movement: Array
) -> Optimum:
    """The search of :func:`optimize_alpha` for the maximum of ``sign * score``; not validated.

    ``objective`` and the search take the log of the effective weight (the weight of the
    theory's model, ``k = 1``); the weights reported are those that act as it.
    """

    def objective_of(log_alpha: Array, beta_at: Array, curve_at: Curve) -> Array:
        with np.errstate(over="ignore"):  # a weight beyond float64 is infinite: the rule's limit
            alpha = np.exp(log_alpha)
        return sign * _expected_score(alpha, beta_at, curve_at, rule, score)

    def objective(log_alpha: Array) -> Array:
        return objective_of(log_alpha, beta, curve)

    if isinstance(curve, EmpiricalCurve) and curve.fitted is None:
        return _optimize_vertices(beta, curve, rule, score, sign, objective, movement)

    score_at_one = objective(np.zeros(()))
    shape = score_at_one.shape
    inverse = np.broadcast_to((1.0 - beta) / beta, shape)
    low, high = search_bounds(inverse)
    low = low + np.log(rule.weight_scale)
    steps = np.linspace(0.0, 1.0, _GRID_POINTS).reshape((-1,) + (1,) * len(shape))
    grid = low + (high - low) * steps
    values = objective(grid)
    best = np.argmax(values, axis=0)

    def grid_at(index: NDArray[np.intp]) -> Array:
        return np.take_along_axis(grid, index[None], axis=0)[0]

    bracket_low = grid_at(np.maximum(best - 1, 0))
    bracket_high = grid_at(np.minimum(best + 1, _GRID_POINTS - 1))
    best_grid = grid_at(best)
    best_grid_value = np.take_along_axis(values, best[None], axis=0)[0]

    def past_the_maximum(log_alpha: Array) -> Array:
        """-1 where the maximum lies above ``log_alpha``, +1 where it lies below.

        The sign of the central difference, except where a score short of the best grid
        point's shows the maximum is on that point's side (the score can be flat there).
        """
        before, after = log_alpha - _DERIVATIVE_STEP, log_alpha + _DERIVATIVE_STEP
        score_before, score_after = objective(before), objective(after)
        rising = score_after > score_before
        rising |= (after < best_grid) & (score_after < best_grid_value)
        rising &= ~((before > best_grid) & (score_before < best_grid_value))
        return np.where(rising, -1.0, 1.0)

    log_alpha = bisect_increasing(past_the_maximum, bracket_low, bracket_high, steps=_REFINE_STEPS)
    refined = objective(log_alpha)
    for step in (-_JUMP_STEP, _JUMP_STEP):
        # A neighbour replaces the weight only where the score jumps between them.
        near = np.clip(log_alpha + step, low, high)
        near_value = objective(near)
        better = near_value > refined + PLATEAU_TOLERANCE * np.abs(refined)
        log_alpha = np.where(better, near, log_alpha)
        refined = np.where(better, near_value, refined)
    use_grid = best_grid_value > refined
    log_alpha = np.where(use_grid, best_grid, log_alpha)
    refined = np.where(use_grid, best_grid_value, refined)
    at_edge = (log_alpha - low < _EDGE_TOLERANCE) | (high - log_alpha < _EDGE_TOLERANCE)
    spread = values.max(axis=0) - values.min(axis=0)

    def restricted(index: NDArray[np.intp]) -> Callable[[Array], Array] | None:
        alone = _restrict(beta, curve, shape, index)
        if alone is None:
            return None
        beta_at, curve_at = alone
        return lambda at: objective_of(at, beta_at, curve_at)

    start, stop = _plateau(objective, restricted, log_alpha, refined, low, high)
    with np.errstate(over="ignore"):  # an optimum beyond float64 is reported as inf
        alpha, plateau_start, plateau_stop = np.exp(log_alpha), np.exp(start), np.exp(stop)
    return _moved_optimum(
        movement,
        alpha=alpha,
        score=sign * refined,
        at_edge=np.asarray(at_edge),
        flat=np.asarray(spread <= _FLAT_TOLERANCE * (1.0 + np.abs(refined))),
        plateau=np.asarray(stop > start),
        plateau_start=plateau_start,
        plateau_stop=plateau_stop,
        score_at_one=sign * score_at_one,
        score_at_inverse=sign * objective(np.log(effective_weight(inverse, movement))),
    )


def _moved_optimum(movement: Array, **found: NDArray) -> Optimum:
    """The :class:`Optimum` of a model that moves as if weighted ``alpha**movement``, from what
    the search ``found`` in effective weights: its weights turned into the weights that act as
    them, and every field broadcast to one shape (with ``movement``'s)."""
    for name in ("alpha", "plateau_start", "plateau_stop"):
        found[name] = weight_acting_as(found[name], movement)
    shape = np.broadcast_shapes(*(np.shape(value) for value in found.values()))
    return Optimum(
        **{
            name: value if np.shape(value) == shape else np.broadcast_to(value, shape).copy()
            for name, value in found.items()
        }
    )


def _plateau(
    objective: Callable[[Array], Array],
    restricted: Callable[[NDArray[np.intp]], Callable[[Array], Array] | None],
    log_alpha: Array,
    best: Array,
    low: Array,
    high: Array,
) -> tuple[Array, Array]:
    """The ends in ``log(alpha)`` of the plateau around ``log_alpha``; ``log_alpha`` itself
    where the plateau is narrower than :data:`PLATEAU_WIDTH`.

    A weight ties where its objective is at least ``best`` less :data:`PLATEAU_TOLERANCE` of
    ``|best|``. Only where a weight half the width away on either side ties can the tied
    stretch be wider than the width; there, bisection on each side finds its ends (the score
    being unimodal, the tied weights form one interval). ``restricted(index)`` is the objective
    of those elements alone (flat indices), or None, and then the bisection runs on every
    element.
    """
    floor = best - PLATEAU_TOLERANCE * np.abs(best)
    half = PLATEAU_WIDTH / 2.0
    maybe = (objective(np.maximum(log_alpha - half, low)) >= floor) | (
        objective(np.minimum(log_alpha + half, high)) >= floor
    )
    if not np.any(maybe):
        return log_alpha, log_alpha
    index = np.flatnonzero(maybe)
    alone = restricted(index)
    if alone is None:

        def every(flat: Array) -> Array:
            return objective(flat.reshape(maybe.shape)).ravel()

        index, alone = np.arange(maybe.size), every
    at, floor_at, low_at, high_at = (
        np.broadcast_to(values, maybe.shape).ravel()[index]
        for values in (log_alpha, floor, low, high)
    )

    def excess(where: Array) -> Array:
        return alone(where) - floor_at

    start = bisect_increasing(excess, low_at, at, steps=_PLATEAU_STEPS)
    stop = bisect_increasing(lambda where: -excess(where), at, high_at, steps=_PLATEAU_STEPS)
    start = np.where(excess(low_at) >= 0.0, low_at, start)
    stop = np.where(excess(high_at) >= 0.0, high_at, stop)
    wide = stop - start > PLATEAU_WIDTH
    starts, stops = log_alpha.ravel().copy(), log_alpha.ravel().copy()
    starts[index] = np.where(wide, start, at)
    stops[index] = np.where(wide, stop, at)
    return starts.reshape(log_alpha.shape), stops.reshape(log_alpha.shape)


def _restrict(
    beta: Array, curve: Curve, shape: tuple[int, ...], index: NDArray[np.intp]
) -> tuple[Array, Curve] | None:
    """``beta`` and a built-in family's curve at the elements ``index`` (flat, of the broadcast
    ``shape``) alone, as 1-d parameters; None for any other curve."""
    if type(curve) not in FAMILIES.values():
        return None
    parameters = {
        field.name: np.broadcast_to(getattr(curve, field.name), shape).ravel()[index]
        for field in fields(curve)
        if field.init
    }
    return np.broadcast_to(beta, shape).ravel()[index], type(curve)(**parameters)


def _optimize_vertices(
    beta: Array,
    curve: EmpiricalCurve,
    rule: Rule,
    score: ScoreFunction,
    sign: float,
    objective: Callable[[Array], Array],
    movement: Array,
) -> Optimum:
    """The best of the vertices ``rule`` can reach on an exact hull, scored one by one.

    Each vertex is reached by an interval of weights; the reported weight is the largest of
    them (:func:`theory.empirical.reported_quantity`), at the edge when the interval is unbounded,
    and the interval is the plateau.
    """
    indices, boundaries = curve.candidates(rule)
    x, z = curve.hull.recall[indices], curve.hull.specificity[indices]
    shape = beta.shape
    column = (-1,) + (1,) * len(shape)
    rates = expected_confusion(x.reshape(column), z.reshape(column), beta)
    values = np.broadcast_to(sign * score(*rates), (x.size, *shape))
    best = np.argmax(values, axis=0)
    lower = np.concatenate(([0.0], boundaries))[best]
    upper = np.concatenate((boundaries, [np.inf]))[best]
    per_weight = weight_ratio(1.0, beta)
    alpha = reported_quantity(lower, upper) / per_weight
    spread = values.max(axis=0) - values.min(axis=0)
    refined = np.take_along_axis(values, best[None], axis=0)[0]
    inverse = (1.0 - beta) / beta
    with np.errstate(divide="ignore", invalid="ignore"):
        width = np.log(upper) - np.log(lower)
    return _moved_optimum(
        movement,
        alpha=alpha,
        score=sign * refined,
        at_edge=np.asarray(np.isinf(upper)),
        flat=np.asarray(spread <= _FLAT_TOLERANCE * (1.0 + np.abs(refined))),
        plateau=np.asarray(width > PLATEAU_WIDTH),
        plateau_start=np.asarray(lower / per_weight),
        plateau_stop=np.asarray(upper / per_weight),
        score_at_one=sign * objective(np.zeros(shape)),
        score_at_inverse=sign * objective(np.log(effective_weight(inverse, movement))),
    )
