"""The tradeoff curve of a model one already has, read off its scores on a validation set.

A model's scores ``y_score`` on labelled rows ``y_true`` give its empirical ROC: one operating
point (recall ``x``, specificity ``z``) per distinct threshold, predicting positive where
``score >= threshold``. Its upper convex hull is the exact curve: a rule that maximises an
objective over the curve lands on one of the hull's vertices (a threshold the model can use), so

- under the ``"bayes"`` rule a weight ratio ``m`` picks the vertex maximising ``m * x + z``:
  the one whose two segments' steepness ``-dz/dx`` brackets ``m`` (steepness grows with recall
  along a concave curve);
- under the ``"bce"`` rule it picks the vertex maximising ``m * log(x) + log(z)``: a vertex of
  the upper hull of the vertices in ``(log x, log z)``, bracketed by the elasticities
  ``-d log z / d log x`` of its two segments there;
- under any rule that maximises ``m * f(x) + f(z)`` (:attr:`theory.rules.Rule.transform`; the
  ``"focal"`` rule's ``f(u) = (1-u)**gamma * log(u)``) likewise: a vertex of the upper hull in
  ``(f(x), f(z))``, bracketed by the ``-d f(z) / d f(x)`` of its two segments there.

Each vertex is thus reached by an interval of weights, and slopes and elasticities are piecewise
constant. Where a quantity falls exactly on a boundary, the vertex of lower recall is returned:
the weight must exceed the boundary to move the model.

A smoothed curve (``smooth="binormal"``, the default, and the other names of :data:`SMOOTHERS`)
is a family member fitted to all the ROC points, for expectations rather than one sample's steps;
the :class:`EmpiricalCurve` then answers the curve protocol through it, and still knows the
thresholds that reach each recall.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from params.validation import ParameterError, check_option, shown
from theory.curves import Curve, _RecallAt
from theory.fit import fit_curve
from theory.rules import RULES, Rule

__all__ = [
    "DEFAULT_SMOOTH",
    "SMOOTHERS",
    "EmpiricalCurve",
    "Ranking",
    "RocPoints",
    "check_scores",
    "rank",
    "reported_quantity",
    "roc_points",
]

Array = NDArray[np.float64]

#: Smoothers: a family of :data:`theory.curves.FAMILIES` fitted to the ROC points.
SMOOTHERS: tuple[str, ...] = ("asymmetric", "binormal", "superellipse")
#: The smoother used unless another (or None, the exact hull) is asked for: the equal-variance
#: binormal, whose predictions came closest to really retraining in
#: ``python -m simulate.retraining`` (mean absolute error of recall, specificity and F1 over two
#: models, three data sets and weights 2 to 99, from the threshold's odds and from the curve's slope
#: alike).
DEFAULT_SMOOTH: str | None = "binormal"
#: Most ROC points a smoother is fitted to; more are thinned evenly along the curve.
_MAX_FIT_POINTS = 2000
#: Points this close below a chord of the hull are kept for the exact walk.
_HULL_MARGIN = 1e-12


class RocPoints(NamedTuple):
    """Operating points of a scored set, one per distinct threshold, in increasing recall.

    The first point is the threshold ``+inf`` (nothing predicted positive): recall 0,
    specificity 1.
    """

    threshold: Array
    """Predict positive where ``score >= threshold``; decreasing."""
    recall: Array
    """Fraction of the positives at or above the threshold; non-decreasing."""
    specificity: Array
    """Fraction of the negatives below the threshold; non-increasing."""


def check_scores(
    y_true: ArrayLike, y_score: ArrayLike, pos_label: object, owner: str
) -> tuple[NDArray[np.bool_], Array]:
    """Labels as booleans (True = positive) and scores as floats, after checking both.

    Labels may be 0/1, booleans, or any two values with ``pos_label`` naming the positive one.

    Raises
    ------
    ParameterError
        For labels that are not two classes (or ``pos_label`` not among them), scores that are
        not finite numbers or fewer than two distinct values, or lengths that differ.
    """
    labels = np.asarray(y_true)
    if labels.ndim != 1 or labels.size == 0:
        raise ParameterError("y_true", owner, "a non-empty 1-d array of labels", y_true)
    try:
        classes = np.unique(labels).tolist()
    except TypeError:  # labels of several types (strings and NaN) do not sort
        classes = list(dict.fromkeys(labels.tolist()))
    if len(classes) != 2:
        reason = f"its classes are {shown(classes)}"
        raise ParameterError("y_true", owner, "labels of exactly two classes", y_true, reason)
    if pos_label is None:
        if labels.dtype == bool or set(classes) == {0, 1}:
            pos_label = True if labels.dtype == bool else 1
        else:
            raise ParameterError(
                "pos_label",
                owner,
                f"one of {shown(classes)} when the labels are not 0/1 or booleans",
                None,
            )
    elif pos_label not in classes:
        raise ParameterError("pos_label", owner, f"one of {shown(classes)}", pos_label)
    scores = check_score_values(y_score, labels.size, "y_score", owner)
    if scores.min() == scores.max():  # finite: one distinct score
        raise ParameterError("y_score", owner, "at least two distinct scores", y_score)
    return labels == pos_label, scores


def check_score_values(y_score: ArrayLike, n: int, name: str, owner: str) -> Array:
    """Scores as floats, after checking they are ``n`` finite numbers.

    Raises
    ------
    ParameterError
        Naming ``name``: not numbers, not of length ``n``, or not finite.
    """
    try:
        scores = np.asarray(y_score, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(name, owner, "an array of real numbers", y_score) from None
    if scores.shape != (n,):
        allowed = f"of the length of y_true ({n})"
        raise ParameterError(name, owner, allowed, y_score, f"its shape is {scores.shape}")
    if not np.all(np.isfinite(scores)):
        bad = float(scores[~np.isfinite(scores)][0])
        raise ParameterError(name, owner, "finite numbers (no NaN or inf)", bad)
    return scores


class Ranking(NamedTuple):
    """Labelled rows sorted by decreasing score, once, for every ROC drawn from them."""

    order: NDArray[np.intp]
    """Row indices by decreasing score (stable)."""
    positive: NDArray[np.bool_]
    """The labels in that order."""
    ends: NDArray[np.intp]
    """Position, in that order, of the last row of each distinct score."""
    threshold: Array
    """The distinct scores, decreasing."""


#: Scores up to which the stable sort is the faster of the two ways :func:`_stable_decreasing`
#: sorts (half the time at 200 scores and 1,875, even at 3,000, twice the time at 10,000).
_SMALL_SORT = 3_000


def _stable_decreasing(scores: Array) -> NDArray[np.intp]:
    """``np.argsort(-scores, kind="stable")``, faster: for more than :data:`_SMALL_SORT` scores,
    an unstable sort, then tied rows put back in their original order by sorting (tie block,
    row index) pairs, which are all distinct; the stable sort itself for fewer."""
    n = scores.size
    if n <= _SMALL_SORT:
        return np.argsort(-scores, kind="stable")
    order = np.argsort(-scores)
    ranked = scores[order]
    block = np.cumsum(np.concatenate(([True], ranked[1:] != ranked[:-1]))) - 1
    return (np.sort(block.astype(np.int64) * n + order) % n).astype(np.intp)


def rank(positive: NDArray[np.bool_], scores: Array) -> Ranking:
    """Sort checked labels and scores by decreasing score (see :func:`check_scores`)."""
    order = _stable_decreasing(scores)
    sorted_scores = scores[order]
    ends = np.append(np.flatnonzero(np.diff(sorted_scores) != 0), scores.size - 1)
    return Ranking(order, positive[order], ends, sorted_scores[ends])


def roc_points(ranking: Ranking, weights: Array | None = None) -> RocPoints:
    """The empirical ROC of ranked rows, optionally with row weights.

    Parameters
    ----------
    ranking : Ranking
        The rows, from :func:`rank`.
    weights : ndarray of float, optional
        Non-negative weight per row, in the ranking's order (a bootstrap's resampling counts);
        default 1.

    Returns
    -------
    RocPoints
    """
    w = np.ones(ranking.order.size) if weights is None else weights
    positives = np.where(ranking.positive, w, 0.0)
    true_pos = np.cumsum(positives)[ranking.ends]
    false_pos = np.cumsum(w - positives)[ranking.ends]
    return RocPoints(
        threshold=np.concatenate(([np.inf], ranking.threshold)),
        recall=np.concatenate(([0.0], true_pos / true_pos[-1])),
        specificity=np.concatenate(([1.0], 1.0 - false_pos / false_pos[-1])),
    )


def _upper_hull(u: Array, v: Array) -> NDArray[np.intp]:
    """Indices of the upper convex hull of points sorted by ``u`` (ties: largest ``v`` kept)."""
    hull: list[int] = []
    for i in range(u.size):
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            cross = (u[b] - u[a]) * (v[i] - v[a]) - (v[b] - v[a]) * (u[i] - u[a])
            if cross < 0:
                break
            hull.pop()
        hull.append(i)
    return np.asarray(hull, dtype=np.intp)


def _hull(points: RocPoints) -> RocPoints:
    """The vertices of the ROC's upper-left convex hull, in increasing recall.

    Only the staircase's corners can be vertices: a point reached by a rise in recall and left
    by a rise in false-positive rate (any other point has a neighbour straight above it or
    straight to its left). A vectorised quickhull then keeps the corners that may lie on the
    hull (within :data:`_HULL_MARGIN` of a chord's line, so rounding never drops one), and the
    exact walk of :func:`_upper_hull` runs over those few.
    """
    false_positive = 1.0 - points.specificity
    # A row of weight 0 (a bootstrap's) repeats the point before it: compare distinct points.
    moved = np.ones(false_positive.size, dtype=bool)
    moved[1:] = (np.diff(false_positive) != 0) | (np.diff(points.recall) != 0)
    distinct = np.flatnonzero(moved)
    u, v = false_positive[distinct], points.recall[distinct]
    corner = np.ones(distinct.size, dtype=bool)
    corner[1:-1] = (u[2:] > u[1:-1]) & (v[1:-1] > v[:-2])
    corners = distinct[corner]
    candidates = corners[_hull_candidates(false_positive[corners], points.recall[corners])]
    keep = candidates[_upper_hull(false_positive[candidates], points.recall[candidates])]
    return RocPoints(*(values[keep] for values in points))


def _hull_candidates(u: Array, v: Array) -> NDArray[np.intp]:
    """Indices of the points, sorted by ``u``, that may lie on the upper hull from the first
    point to the last: quickhull, splitting each chord at the point farthest above it."""
    kept = [0, u.size - 1]
    chords = [(0, u.size - 1, np.arange(1, u.size - 1))]
    while chords:
        a, b, inside = chords.pop()
        if inside.size == 0:
            continue
        height = (u[b] - u[a]) * (v[inside] - v[a]) - (v[b] - v[a]) * (u[inside] - u[a])
        above = height > -_HULL_MARGIN
        if not np.any(above):
            continue
        inside, height = inside[above], height[above]
        far = int(inside[np.argmax(height)])
        if height.max() <= _HULL_MARGIN:
            kept.extend(inside.tolist())  # on the chord's line, up to rounding
            continue
        kept.append(far)
        chords.append((a, far, inside[inside < far]))
        chords.append((far, b, inside[inside > far]))
    return np.unique(np.asarray(kept, dtype=np.intp))


def _transformed_hull(recall: Array, specificity: Array, rule: Rule) -> NDArray[np.intp]:
    """Indices of the hull vertices ``rule`` can pick: the upper hull in ``(f(x), f(z))``.

    A hull with no vertex inside both rates (scores that rank no better than chance) leaves
    only its ends, where ``f`` is infinite and the rule cannot tell them apart: it keeps the
    first, of recall 0, as a tie keeps the lower recall, so the rule does not move the model.
    """
    inside = np.flatnonzero((recall > 0) & (specificity > 0))
    if inside.size == 0:
        return np.zeros(1, dtype=np.intp)
    u, v = rule.transform(recall[inside]), rule.transform(specificity[inside])
    # f increases, so the points run left to right; maximising r*u + v is the upper hull.
    return inside[_upper_hull(u, v)]


def reported_quantity(lower: ArrayLike, upper: ArrayLike) -> Array:
    """The one quantity reported for a vertex reached by quantities in ``(lower, upper]``.

    The upper end, the largest quantity that still reaches the vertex (a tie picks the vertex of
    lower recall); where the interval is unbounded above, twice its lower end (1 if that is 0).
    """
    lower, upper = np.asarray(lower, np.float64), np.asarray(upper, np.float64)
    return np.where(np.isfinite(upper), upper, np.where(lower > 0, 2.0 * lower, 1.0))


def _bracket_pick(boundaries: Array, target: ArrayLike) -> NDArray[np.intp]:
    """Candidate ``j`` with ``boundaries[j-1] < target <= boundaries[j]``.

    ``boundaries`` is increasing; ``boundaries[j]`` is the quantity at which candidates ``j`` and
    ``j + 1`` tie, and a tie picks the lower candidate ``j``.
    """
    return np.searchsorted(boundaries, np.asarray(target, np.float64), side="left")


@dataclass(frozen=True, eq=False)
class EmpiricalCurve(_RecallAt):
    """The tradeoff curve of a scored validation set; build it with :meth:`from_scores`.

    Attributes
    ----------
    roc : RocPoints
        Every operating point of the scores.
    hull : RocPoints
        The vertices of the ROC's convex hull, from (0, 1) to (1, 0); found on first use (a
        smoothed curve and the equivalent threshold's predictions need only :attr:`roc`).
    prevalence : float
        Fraction of positive rows.
    smooth : str or None
        The smoother's name, or None for the exact hull.
    fitted : curve or None
        The smoothed curve (a member of a family of :data:`theory.curves.FAMILIES`).
    """

    roc: RocPoints
    prevalence: float
    smooth: str | None
    fitted: Curve | None

    @cached_property
    def hull(self) -> RocPoints:
        """The vertices of the ROC's convex hull, from (0, 1) to (1, 0)."""
        return _hull(self.roc)

    @classmethod
    def from_scores(
        cls,
        y_true: ArrayLike,
        y_score: ArrayLike,
        *,
        pos_label: object = None,
        smooth: str | None = DEFAULT_SMOOTH,
    ) -> EmpiricalCurve:
        """The curve of a model's scores on labelled rows.

        Parameters
        ----------
        y_true : array_like
            Labels: 0/1, booleans, or two values with ``pos_label`` naming the positive one.
        y_score : array_like
            Scores of the same rows, any real numbers (probabilities, logits, margins); larger
            means more positive.
        pos_label : optional
            The positive label; needed unless the labels are 0/1 or booleans.
        smooth : str or None, default :data:`DEFAULT_SMOOTH`
            A name of :data:`SMOOTHERS`, or None for the exact convex hull.

        Raises
        ------
        ValueError
            Naming the argument: one class only, non-finite scores, lengths that differ, fewer
            than two distinct scores, an unknown smoother.
        """
        owner = "EmpiricalCurve.from_scores"
        positive, scores = check_scores(y_true, y_score, pos_label, owner)
        if smooth is not None:
            check_option(smooth, "smooth", owner, SMOOTHERS)
        return cls.from_ranking(rank(positive, scores), smooth=smooth)

    @classmethod
    def from_ranking(
        cls, ranking: Ranking, *, smooth: str | None, weights: Array | None = None
    ) -> EmpiricalCurve:
        """The curve of ranked rows (:func:`rank`), optionally weighted in the ranking's order
        (see :func:`roc_points`); not validated."""
        roc = roc_points(ranking, weights)
        share = (
            ranking.positive.mean()
            if weights is None
            else weights[ranking.positive].sum() / weights.sum()
        )
        fitted = None
        if smooth is not None:
            # evenly spread points; sorted, so the distinct ones are where the index rises
            spread = np.linspace(0, roc.recall.size - 1, _MAX_FIT_POINTS).astype(int)
            thin = spread[np.flatnonzero(np.diff(spread, prepend=-1))]
            fitted = fit_curve(roc.recall[thin], roc.specificity[thin], family=smooth)
        return cls(roc=roc, prevalence=float(share), smooth=smooth, fitted=fitted)

    # The curve protocol: through the smoothed curve, or exactly on the hull.

    def specificity(self, x: ArrayLike) -> Array:
        """``z`` at recall ``x``: the smoothed curve, or linear between hull vertices.

        Where the hull rises vertically (several vertices at recall 1), the highest
        specificity, the one a rule picks.
        """
        if self.fitted is not None:
            return self.fitted.specificity(x)
        recall, first = np.unique(self.hull.recall, return_index=True)
        return np.interp(np.asarray(x, np.float64), recall, self.hull.specificity[first])

    def slope(self, x: ArrayLike) -> Array:
        """``dz/dx``: the smoothed curve's, or the hull segment's.

        At a hull vertex, where the slope jumps, it is minus the geometric mean of the two
        segments' steepness, so that the bayes rule maps it back to the same vertex.
        """
        if self.fitted is not None:
            return self.fitted.slope(x)
        return -self._vertex_quantity(x, self._steepness())

    def elasticity(self, x: ArrayLike) -> Array:
        """``x (-dz/dx) / z``: the smoothed curve's, or read off the hull like :meth:`slope`.

        At a vertex the bce rule can pick, it is the geometric mean of the elasticities that
        bracket the vertex in ``(log x, log z)``, so that the bce rule maps it back there.
        """
        return self.rule_quantity(RULES["bce"], x)

    def point_at_slope(self, m: ArrayLike) -> tuple[Array, Array]:
        """The point the bayes rule picks for ``-dz/dx = m``: a hull vertex (or the smoothed
        curve's point)."""
        return RULES["bayes"].point(self, m)

    def point_at_elasticity(self, e: ArrayLike) -> tuple[Array, Array]:
        """The point the bce rule picks for elasticity ``e``: a hull vertex (or the smoothed
        curve's point)."""
        return RULES["bce"].point(self, e)

    def x_at_slope(self, m: ArrayLike) -> Array:
        """The recall of :meth:`point_at_slope`."""
        return self.point_at_slope(m)[0]

    def x_at_elasticity(self, e: ArrayLike) -> Array:
        """The recall of :meth:`point_at_elasticity`."""
        return self.point_at_elasticity(e)[0]

    # Any rule (see theory.rules.AppliesRules): the smoothed curve's answer, or a hull vertex.

    def rule_quantity(self, rule: Rule, x: ArrayLike) -> Array:
        """``rule``'s stationarity quantity at recall ``x``.

        On the exact hull, at a vertex the rule can pick it is the geometric mean of the two
        quantities that bracket the vertex (:meth:`candidates`), so that the rule maps it back
        there; elsewhere it is the quantity of the hull segment at ``x``.
        """
        if self.fitted is not None:
            return rule.quantity_at(self.fitted, x)
        x = np.asarray(x, np.float64)
        picks, boundaries = self.candidates(rule)
        on_vertex = self._vertex_quantity(x, boundaries, candidates=picks)
        with np.errstate(divide="ignore", invalid="ignore"):
            between = rule.from_steepness(-self.slope(x), x, self.specificity(x))
        at_candidate = np.isin(x, self.hull.recall[picks])
        return np.where(at_candidate, on_vertex, between)

    def x_at_rule(self, rule: Rule, quantity: ArrayLike) -> Array:
        """Recall ``rule`` picks for ``quantity``: a hull vertex (or the smoothed curve's point)."""
        if self.fitted is not None:
            return rule.recall_at(self.fitted, quantity)
        picks, boundaries = self.candidates(rule)
        return self.hull.recall[picks][_bracket_pick(boundaries, quantity)]

    # Thresholds: which score threshold reaches a recall.

    def threshold_at(self, recall: ArrayLike) -> Array:
        """The threshold on the scores whose recall is the smallest at least ``recall``.

        Predicting positive where ``score >= threshold`` reaches (at least) that recall on these
        rows; on a hull vertex it is the vertex's own threshold.
        """
        recall = np.asarray(recall, np.float64)
        index = np.searchsorted(self.roc.recall, recall - 1e-12, side="left")
        return self.roc.threshold[np.minimum(index, self.roc.recall.size - 1)]

    def rates_at(self, threshold: ArrayLike) -> tuple[Array, Array]:
        """Recall and specificity of these rows at ``threshold`` (``score >= threshold``)."""
        threshold = np.asarray(threshold, np.float64)
        # Points are in decreasing threshold: the last point whose threshold is >= the query.
        index = np.searchsorted(-self.roc.threshold, -threshold, side="right") - 1
        index = np.clip(index, 0, self.roc.recall.size - 1)
        return self.roc.recall[index], self.roc.specificity[index]

    # The hull's piecewise-constant quantities.

    def _steepness(self) -> Array:
        """``-dz/dx`` of each hull segment, increasing along the hull."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.diff(self.hull.specificity) / np.diff(self.hull.recall)

    def candidates(self, rule: Rule) -> tuple[NDArray[np.intp], Array]:
        """The hull vertices ``rule`` can pick, and the quantities at which neighbours tie.

        Parameters
        ----------
        rule : Rule
            A rule of :func:`theory.rules.rule_named`. Every vertex for ``"bayes"`` (ties at each
            segment's ``-dz/dx``); for the others, which maximise ``r * f(x) + f(z)``, those on
            the upper hull in ``(f(x), f(z))`` (ties at ``-d f(z) / d f(x)``): in
            ``(log x, log z)`` for ``"bce"``.

        Returns
        -------
        indices : ndarray of int
            Into :attr:`hull`, in increasing recall.
        boundaries : ndarray of float
            Increasing, one fewer than the indices: candidate ``j`` is picked for quantities
            in ``(boundaries[j-1], boundaries[j]]``.
        """
        if rule.name == "bayes":
            return np.arange(self.hull.recall.size), self._steepness()
        picks = _transformed_hull(self.hull.recall, self.hull.specificity, rule)
        with np.errstate(divide="ignore", invalid="ignore"):
            u = rule.transform(self.hull.recall[picks])
            v = rule.transform(self.hull.specificity[picks])
            return picks, -np.diff(v) / np.diff(u)

    def _vertex_quantity(
        self,
        x: ArrayLike,
        boundaries: Array,
        candidates: NDArray[np.intp] | None = None,
    ) -> Array:
        """A quantity that the rule maps back to the vertex at ``x``, or the segment's quantity.

        At candidate vertex ``j`` it is the geometric mean of the boundaries around it
        (``boundaries[j-1]`` and ``boundaries[j]``); at the first candidate half its upper
        boundary, at the last twice its lower one. Between two candidates it is the boundary
        between them.
        """
        x = np.asarray(x, np.float64)
        recall = self.hull.recall if candidates is None else self.hull.recall[candidates]
        lower = np.concatenate(([0.0], boundaries))
        upper = np.concatenate((boundaries, [np.inf]))
        with np.errstate(invalid="ignore", over="ignore"):
            middle = np.sqrt(lower * upper)
        middle = np.where(lower == 0.0, upper / 2.0, middle)
        middle = np.where(np.isinf(upper), 2.0 * lower, middle)
        middle = np.where((lower == 0.0) & np.isinf(upper), 1.0, middle)
        if boundaries.size == 0:  # one candidate: every quantity reaches it
            return np.full(x.shape, middle[0])
        index = np.searchsorted(recall, x, side="left")
        index = np.minimum(index, recall.size - 1)
        exact = recall[index] == x
        segment = np.clip(index - 1, 0, boundaries.size - 1)
        return np.where(exact, middle[index], boundaries[segment])
