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
  ``-d log z / d log x`` of its two segments there.

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
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import spatial

from params.validation import ParameterError, check_option
from theory.curves import Curve
from theory.fit import fit_curve

__all__ = [
    "DEFAULT_SMOOTH",
    "SMOOTHERS",
    "EmpiricalCurve",
    "RocPoints",
    "check_scores",
    "reported_quantity",
    "roc_points",
]

Array = NDArray[np.float64]

#: Smoothers: a family of :data:`theory.curves.FAMILIES` fitted to the ROC points.
SMOOTHERS: tuple[str, ...] = ("asymmetric", "binormal", "superellipse")
#: The smoother used unless another (or None, the exact hull) is asked for: the equal-variance
#: binormal, whose predictions came closest to really retraining in ``python -m
#: simulate.retraining`` (mean absolute error of recall, specificity and F1 over two models, three
#: data sets and weights 2 to 99, from the threshold's odds and from the curve's slope alike).
DEFAULT_SMOOTH: str | None = "binormal"
#: Most ROC points a smoother is fitted to; more are thinned evenly along the curve.
_MAX_FIT_POINTS = 2000
#: Up to this many ROC points the hull is walked exactly without qhull's help.
_EXACT_HULL_POINTS = 5000
#: Points this close below qhull's hull are walked again exactly.
_HULL_MARGIN = 1e-9


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
        raise ParameterError("y_true", owner, "a non-empty 1-d array of labels", _short(y_true))
    classes = np.unique(labels)
    if classes.size != 2:
        raise ParameterError(
            "y_true", owner, "labels of exactly two classes", f"classes {classes.tolist()}"
        )
    if pos_label is None:
        if labels.dtype == bool or set(classes.tolist()) == {0, 1}:
            pos_label = True if labels.dtype == bool else 1
        else:
            raise ParameterError(
                "pos_label",
                owner,
                f"one of {classes.tolist()} when the labels are not 0/1 or booleans",
                None,
            )
    elif pos_label not in classes.tolist():
        raise ParameterError("pos_label", owner, f"one of {classes.tolist()}", pos_label)
    try:
        scores = np.asarray(y_score, dtype=np.float64)
    except (TypeError, ValueError):
        raise ParameterError(
            "y_score", owner, "an array of real numbers", _short(y_score)
        ) from None
    if scores.shape != labels.shape:
        raise ParameterError(
            "y_score", owner, f"of the length of y_true ({labels.size})", f"shape {scores.shape}"
        )
    if not np.all(np.isfinite(scores)):
        bad = float(scores[~np.isfinite(scores)][0])
        raise ParameterError("y_score", owner, "finite numbers (no NaN or inf)", bad)
    if np.unique(scores).size < 2:
        raise ParameterError("y_score", owner, "at least two distinct scores", _short(y_score))
    return labels == pos_label, scores


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def roc_points(
    positive: NDArray[np.bool_],
    scores: Array,
    weights: Array | None = None,
    *,
    order: NDArray[np.intp] | None = None,
) -> RocPoints:
    """The empirical ROC of checked labels and scores, optionally with row weights.

    Parameters
    ----------
    positive : ndarray of bool
        True for the positive rows.
    scores : ndarray of float
        The model's scores; larger means more positive.
    weights : ndarray of float, optional
        Non-negative weight per row (a bootstrap's resampling counts); default 1.
    order : ndarray of int, optional
        ``np.argsort(-scores, kind="stable")``, when the caller already has it.

    Returns
    -------
    RocPoints
    """
    if order is None:
        order = np.argsort(-scores, kind="stable")
    sorted_scores = scores[order]
    w = np.ones(scores.size) if weights is None else weights[order]
    pos = np.where(positive[order], w, 0.0)
    neg = w - pos
    last_of_run = np.flatnonzero(np.diff(sorted_scores) != 0)
    ends = np.append(last_of_run, scores.size - 1)
    true_pos = np.cumsum(pos)[ends]
    false_pos = np.cumsum(neg)[ends]
    return RocPoints(
        threshold=np.concatenate(([np.inf], sorted_scores[ends])),
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

    qhull finds the hull of the distinct points quickly but merges nearly collinear vertices;
    the points within :data:`_HULL_MARGIN` of its upper chain are then walked exactly.
    """
    false_positive = 1.0 - points.specificity
    candidates = np.arange(false_positive.size)
    plane = np.column_stack((false_positive, points.recall))
    if false_positive.size > _EXACT_HULL_POINTS:
        try:
            vertices = np.sort(spatial.ConvexHull(plane).vertices)
        except spatial.QhullError:  # every point on one line: the chance line
            vertices = candidates
        order = np.argsort(false_positive[vertices], kind="stable")
        upper = np.maximum.accumulate(points.recall[vertices][order])
        envelope = np.interp(false_positive, false_positive[vertices][order], upper)
        near = points.recall >= envelope - _HULL_MARGIN
        near[[0, -1]] = True  # the ends (0, 0) and (1, 1) belong to the hull
        candidates = np.flatnonzero(near)
    keep = candidates[_upper_hull(false_positive[candidates], points.recall[candidates])]
    return RocPoints(*(values[keep] for values in points))


def _log_hull(recall: Array, specificity: Array) -> NDArray[np.intp]:
    """Indices of the hull vertices the bce rule can pick: the upper hull in (log x, log z)."""
    inside = np.flatnonzero((recall > 0) & (specificity > 0))
    u, v = np.log(recall[inside]), np.log(specificity[inside])
    # In (log x, log z) the points run left to right; maximising r*u + v is the upper hull.
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
class EmpiricalCurve:
    """The tradeoff curve of a scored validation set; build it with :meth:`from_scores`.

    Attributes
    ----------
    roc : RocPoints
        Every operating point of the scores.
    hull : RocPoints
        The vertices of the ROC's convex hull, from (0, 1) to (1, 0).
    prevalence : float
        Fraction of positive rows.
    smooth : str or None
        The smoother's name, or None for the exact hull.
    fitted : curve or None
        The smoothed curve (a member of a family of :data:`theory.curves.FAMILIES`).
    """

    roc: RocPoints
    hull: RocPoints
    prevalence: float
    smooth: str | None
    fitted: Curve | None

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
        return cls._build(positive, scores, smooth)

    @classmethod
    def _build(
        cls,
        positive: NDArray[np.bool_],
        scores: Array,
        smooth: str | None,
        weights: Array | None = None,
        order: NDArray[np.intp] | None = None,
    ) -> EmpiricalCurve:
        roc = roc_points(positive, scores, weights, order=order)
        share = positive.mean() if weights is None else weights[positive].sum() / weights.sum()
        fitted = None
        if smooth is not None:
            thin = np.unique(np.linspace(0, roc.recall.size - 1, _MAX_FIT_POINTS).astype(int))
            fitted = fit_curve(roc.recall[thin], roc.specificity[thin], family=smooth)
        return cls(roc=roc, hull=_hull(roc), prevalence=float(share), smooth=smooth, fitted=fitted)

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
        if self.fitted is not None:
            return self.fitted.elasticity(x)
        x = np.asarray(x, np.float64)
        picks, boundaries = self.candidates("bce")
        on_vertex = self._vertex_quantity(x, boundaries, candidates=picks)
        with np.errstate(divide="ignore", invalid="ignore"):
            between = x * -self.slope(x) / self.specificity(x)
        at_candidate = np.isin(x, self.hull.recall[picks])
        return np.where(at_candidate, on_vertex, between)

    def x_at_slope(self, m: ArrayLike) -> Array:
        """Recall the bayes rule picks for ``-dz/dx = m``: a hull vertex (or the smoothed point)."""
        if self.fitted is not None:
            return self.fitted.x_at_slope(m)
        return self.hull.recall[_bracket_pick(self._steepness(), m)]

    def x_at_elasticity(self, e: ArrayLike) -> Array:
        """Recall the bce rule picks for elasticity ``e``: a hull vertex (or the smoothed point)."""
        if self.fitted is not None:
            return self.fitted.x_at_elasticity(e)
        picks, boundaries = self.candidates("bce")
        return self.hull.recall[picks][_bracket_pick(boundaries, e)]

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

    def candidates(self, rule: str) -> tuple[NDArray[np.intp], Array]:
        """The hull vertices ``rule`` can pick, and the quantities at which neighbours tie.

        Parameters
        ----------
        rule : {"bayes", "bce"}
            Every vertex for ``"bayes"`` (ties at each segment's ``-dz/dx``); for ``"bce"``
            those on the upper hull in ``(log x, log z)`` (ties at ``-d log z / d log x``).

        Returns
        -------
        indices : ndarray of int
            Into :attr:`hull`, in increasing recall.
        boundaries : ndarray of float
            Increasing, one fewer than the indices: candidate ``j`` is picked for quantities
            in ``(boundaries[j-1], boundaries[j]]``.
        """
        if rule == "bayes":
            return np.arange(self.hull.recall.size), self._steepness()
        picks = _log_hull(self.hull.recall, self.hull.specificity)
        log_x, log_z = np.log(self.hull.recall[picks]), np.log(self.hull.specificity[picks])
        with np.errstate(divide="ignore", invalid="ignore"):
            return picks, -np.diff(log_z) / np.diff(log_x)

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
        index = np.searchsorted(recall, x, side="left")
        index = np.minimum(index, recall.size - 1)
        exact = recall[index] == x
        segment = np.clip(index - 1, 0, boundaries.size - 1)
        return np.where(exact, middle[index], boundaries[segment])
