"""Scores of a binary classifier from its four confusion rates.

Every score is defined once, here, as a function of ``(tp, fp, fn, tn)``. The arguments may be
counts (a simulated test split) or expected fractions (the theory's ``beta * x`` and so on): every
score below is invariant to scaling all four by the same factor, so both uses share one definition.

Where a score is 0/0 (precision with no predicted positives, say) it is 0, as scikit-learn's
default ``zero_division`` policy returns; :func:`_safe_divide` holds that decision.

Two scores take parameters: F-beta (``"f<b>"``, the ``b`` in its name) and the expected cost
(``"cost"``, priced by ``cost_fn`` and ``cost_fp``, each 1 unless given: then the cost is the
error rate ``1 - accuracy``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from params.validation import NON_NEGATIVE, Interval, ParameterError, check_array

__all__ = [
    "DEFAULT_COST",
    "FBETA_RANGE",
    "LOWER_IS_BETTER",
    "SCORE_NAMES",
    "best_on_hull",
    "check_costs",
    "check_fbeta",
    "confusion_counts",
    "confusion_scores",
    "expected_confusion",
    "fbeta_name",
    "refuse_costs",
    "score_function",
]

Rates = NDArray[np.float64]
ScoreFunction = Callable[[Rates, Rates, Rates, Rates], Rates]


def _safe_divide(numerator: ArrayLike, denominator: ArrayLike) -> Rates:
    """``numerator / denominator``, and 0 wherever the denominator is 0."""
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    out = np.zeros(np.broadcast_shapes(numerator.shape, denominator.shape))
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def recall(tp: Rates, fp: Rates, fn: Rates, tn: Rates) -> Rates:
    """True-positive rate, TP / (TP + FN)."""
    return _safe_divide(tp, tp + fn)


def specificity(tp: Rates, fp: Rates, fn: Rates, tn: Rates) -> Rates:
    """True-negative rate, TN / (TN + FP)."""
    return _safe_divide(tn, tn + fp)


def precision(tp: Rates, fp: Rates, fn: Rates, tn: Rates) -> Rates:
    """Positive predictive value, TP / (TP + FP)."""
    return _safe_divide(tp, tp + fp)


def negative_predictive_value(tp: Rates, fp: Rates, fn: Rates, tn: Rates) -> Rates:
    """TN / (TN + FN)."""
    return _safe_divide(tn, tn + fn)


def _fbeta(b: float) -> ScoreFunction:
    b2 = b * b

    def fbeta(tp: Rates, fp: Rates, fn: Rates, tn: Rates) -> Rates:
        return _safe_divide((1 + b2) * tp, (1 + b2) * tp + b2 * fn + fp)

    fbeta.__doc__ = f"F-beta with b = {b:g}: (1+b^2) TP / ((1+b^2) TP + b^2 FN + FP)."
    return fbeta


def _cost(cost_fn: float, cost_fp: float) -> ScoreFunction:
    def cost(tp: Rates, fp: Rates, fn: Rates, tn: Rates) -> Rates:
        return _safe_divide(cost_fn * fn + cost_fp * fp, tp + fp + fn + tn)

    cost.__doc__ = (
        f"Expected cost per sample, ({cost_fn:g} FN + {cost_fp:g} FP) / (TP + FP + FN + TN)."
    )
    return cost


def balanced_accuracy(tp: Rates, fp: Rates, fn: Rates, tn: Rates) -> Rates:
    """Mean of recall and specificity."""
    return 0.5 * (recall(tp, fp, fn, tn) + specificity(tp, fp, fn, tn))


def half_total_error_rate(tp: Rates, fp: Rates, fn: Rates, tn: Rates) -> Rates:
    """Mean of the false-negative and false-positive rates, 1 - balanced accuracy.

    It is the expected cost (the ``"cost"`` score) with ``cost_fn = 1 / (2 beta)`` and
    ``cost_fp = 1 / (2 (1 - beta))`` at prevalence ``beta``: each class's errors priced by the
    inverse of its share. At balanced prevalence (``beta = 1/2``) both costs are 1, so HTER is
    the equal-cost case there: the cost with ``cost_fn = cost_fp = c`` is ``c * HTER``.
    """
    return 1.0 - balanced_accuracy(tp, fp, fn, tn)


def accuracy(tp: Rates, fp: Rates, fn: Rates, tn: Rates) -> Rates:
    """Fraction of correct predictions."""
    return _safe_divide(tp + tn, tp + fp + fn + tn)


def geometric_mean(tp: Rates, fp: Rates, fn: Rates, tn: Rates) -> Rates:
    """Geometric mean of recall and specificity."""
    return np.sqrt(recall(tp, fp, fn, tn) * specificity(tp, fp, fn, tn))


def matthews_correlation(tp: Rates, fp: Rates, fn: Rates, tn: Rates) -> Rates:
    """Matthews correlation coefficient, in [-1, 1]; 0 when a margin is empty."""
    denominator = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return _safe_divide(tp * tn - fp * fn, denominator)


_SCORES: dict[str, ScoreFunction] = {
    "recall": recall,
    "specificity": specificity,
    "precision": precision,
    "npv": negative_predictive_value,
    "f1": _fbeta(1.0),
    "balanced_accuracy": balanced_accuracy,
    "accuracy": accuracy,
    "mcc": matthews_correlation,
    "gmean": geometric_mean,
    "hter": half_total_error_rate,
}

#: Names of the scores that :func:`confusion_scores` always returns.
SCORE_NAMES: tuple[str, ...] = (*_SCORES, "cost")
#: Error rates and costs: scores that are minimised rather than maximised.
LOWER_IS_BETTER: frozenset[str] = frozenset({"hter", "cost"})
#: Scores whose best threshold is always a vertex of the ROC's upper-left hull (see
#: :func:`best_on_hull`), besides the F-beta scores.
_BEST_ON_HULL = frozenset(
    {"recall", "specificity", "precision", "npv", "f1", "balanced_accuracy", "accuracy", "hter",
     "cost"}
)  # fmt: skip
#: The price of a false negative and of a false positive unless given.
DEFAULT_COST = 1.0
_COST_RANGE = Interval(0.0, np.inf)

_FBETA_NAME = re.compile(r"^f(\d+(?:\.\d+)?)$")
#: The F-beta ``b`` values that can be computed: ``b**2`` times a count must stay finite, which
#: it does up to counts of 1e100; beyond, the score is NaN (``inf / inf``).
FBETA_RANGE = Interval(0.0, 1e100, "right")


def fbeta_name(b: float) -> str:
    """Key under which the F-beta score for ``b`` is reported, e.g. ``"f2"`` or ``"f0.5"``."""
    return f"f{b:g}"


def score_function(
    name: str,
    owner: str,
    *,
    cost_fn: ArrayLike | None = None,
    cost_fp: ArrayLike | None = None,
) -> ScoreFunction:
    """The function ``(tp, fp, fn, tn) -> score`` for a score's name.

    Parameters
    ----------
    name : str
        One of :data:`SCORE_NAMES`, or ``"f<b>"`` (``"f2"``, ``"f0.5"``) for an F-beta score.
    owner : str
        The function whose ``metric`` argument ``name`` is, named in the error message.
    cost_fn, cost_fp : float, optional
        The prices of a false negative and a false positive, each > 0 and
        :data:`DEFAULT_COST` unless given; only with ``name="cost"``, the expected cost per
        sample ``(cost_fn * FN + cost_fp * FP) / (TP + FP + FN + TN)``.

    Raises
    ------
    ValueError
        If the name is unknown, a cost is not a single number > 0, or a cost is given with
        another score (it would be ignored).
    """
    if name == "cost":
        return _cost(*check_costs(cost_fn, cost_fp, owner))
    if name in _SCORES:
        function = _SCORES[name]
    else:
        match = _FBETA_NAME.match(str(name))
        if not (match and FBETA_RANGE.contains(float(match.group(1)))):
            allowed = (
                ", ".join(repr(n) for n in SCORE_NAMES) + f" or 'f<b>' with b in {FBETA_RANGE}"
            )
            raise ParameterError("metric", owner, f"one of {allowed}", name)
        function = _fbeta(float(match.group(1)))
    refuse_costs(cost_fn, cost_fp, owner, "metric is 'cost'")
    return function


def best_on_hull(name: str) -> bool:
    """Whether the best of score ``name`` over a model's thresholds lies on a vertex of the
    upper-left hull of its ROC, at any prevalence.

    True for the scores that are ratios of linear functions of the rates (or linear), with
    their level lines straight, and that improve with recall and with specificity (or, for the
    error rates, worsen): their best over the hull is at one of its vertices, and the vertices
    are thresholds of the model. MCC and the G-mean are neither, and need every threshold.
    """
    return name in _BEST_ON_HULL or bool(_FBETA_NAME.match(str(name)))


def check_costs(
    cost_fn: ArrayLike | None, cost_fp: ArrayLike | None, owner: str
) -> tuple[float, float]:
    """The prices of a false negative and a false positive, :data:`DEFAULT_COST` where None.

    Raises
    ------
    ValueError
        Naming ``owner``, for a price that is not a single number > 0.
    """
    costs = []
    for name, value in (("cost_fn", cost_fn), ("cost_fp", cost_fp)):
        if value is None:
            costs.append(DEFAULT_COST)
            continue
        array = check_array(value, name, owner, _COST_RANGE)
        if array.ndim:
            raise ParameterError(name, owner, f"a single float in the range {_COST_RANGE}", value)
        costs.append(float(array))
    return costs[0], costs[1]


def refuse_costs(
    cost_fn: ArrayLike | None, cost_fp: ArrayLike | None, owner: str, needed: str
) -> None:
    """Raise if a price is given where no cost is computed: it would be ignored silently.

    ``needed`` says when a price may be given, e.g. ``"metric is 'cost'"``.
    """
    for name, value in (("cost_fn", cost_fn), ("cost_fp", cost_fp)):
        if value is not None:
            raise ParameterError(name, owner, f"None unless {needed}", value)


def expected_confusion(
    recall_: ArrayLike,
    specificity_: ArrayLike,
    beta: ArrayLike,
    *,
    fnr: ArrayLike | None = None,
    fpr: ArrayLike | None = None,
) -> tuple[Rates, Rates, Rates, Rates]:
    """Expected confusion fractions of a classifier with the given rates at prevalence ``beta``.

    Parameters
    ----------
    recall_, specificity_ : array_like
        The rates ``x`` and ``z``.
    beta : array_like
        Prevalence of the positive class.
    fnr, fpr : array_like, optional
        The complements ``1 - x`` and ``1 - z`` where they are known more precisely than the
        subtraction gives them: where ``z`` rounds to 1 in float64 a false-positive rate of
        1e-17 still decides the precision (a curve's ``rates_at_*`` methods give them).

    Returns
    -------
    tp, fp, fn, tn : ndarray
        ``beta*x``, ``(1-beta)*fpr``, ``beta*fnr``, ``(1-beta)*z``, broadcast together.
    """
    x, z, beta = (np.asarray(v, dtype=np.float64) for v in (recall_, specificity_, beta))
    fnr = 1 - x if fnr is None else np.asarray(fnr, dtype=np.float64)
    fpr = 1 - z if fpr is None else np.asarray(fpr, dtype=np.float64)
    x, z, fnr, fpr, beta = np.broadcast_arrays(x, z, fnr, fpr, beta)
    return beta * x, (1 - beta) * fpr, beta * fnr, (1 - beta) * z


def check_fbeta(fbeta: float | Iterable[float], owner: str) -> NDArray[np.float64]:
    """The F-beta ``b`` values as a 1-d array, each checked to lie in :data:`FBETA_RANGE` (for
    ``owner``'s message)."""
    return np.ravel(check_array(np.atleast_1d(fbeta), "fbeta", owner, FBETA_RANGE))


def confusion_counts(y_true: ArrayLike, y_pred: ArrayLike) -> NDArray[np.int64]:
    """The confusion counts ``[tp, fp, fn, tn]`` of 0/1 predictions against 0/1 labels.

    Parameters
    ----------
    y_true : array_like of 0/1, shape (n,)
        The labels.
    y_pred : array_like of 0/1 or bool, shape (..., n)
        The predictions; each row along the leading axes is counted on its own.

    Returns
    -------
    ndarray of int64, shape (..., 4)
        tp, fp, fn, tn of each row of ``y_pred``.
    """
    truth = np.asarray(y_true, dtype=bool)
    predicted = np.asarray(y_pred, dtype=bool)
    tp = np.count_nonzero(predicted & truth, axis=-1)
    predicted_positive = np.count_nonzero(predicted, axis=-1)
    fn = np.count_nonzero(truth, axis=-1) - tp
    fp = predicted_positive - tp
    tn = truth.shape[-1] - predicted_positive - fn
    return np.stack(np.broadcast_arrays(tp, fp, fn, tn), axis=-1).astype(np.int64)


def confusion_scores(
    tp: ArrayLike,
    fp: ArrayLike,
    fn: ArrayLike,
    tn: ArrayLike,
    *,
    fbeta: float | Iterable[float] = (2.0, 0.5),
    cost_fn: ArrayLike | None = None,
    cost_fp: ArrayLike | None = None,
) -> dict[str, Rates]:
    """Every score of :data:`SCORE_NAMES`, plus F-beta scores, from confusion counts or rates.

    Parameters
    ----------
    tp, fp, fn, tn : array_like
        Non-negative counts or fractions; they broadcast together.
    fbeta : float or iterable of float, default (2.0, 0.5)
        The ``b`` of each extra F-beta score, reported under :func:`fbeta_name` (``"f2"``).
    cost_fn, cost_fp : float, optional
        The prices of a false negative and a false positive in ``"cost"``, each > 0;
        :data:`DEFAULT_COST` unless given (the cost is then the error rate).

    Returns
    -------
    dict of str to ndarray
        One array per score, all of the broadcast shape.

    Raises
    ------
    ValueError
        If a count is negative, an F-beta ``b`` is not positive or a cost is not a single
        number > 0.
    """
    owner = "confusion_scores"
    counts = [
        check_array(value, name, owner, NON_NEGATIVE)
        for name, value in zip(("tp", "fp", "fn", "tn"), (tp, fp, fn, tn), strict=True)
    ]
    counts = np.broadcast_arrays(*counts)
    bs = check_fbeta(fbeta, owner)
    scores = {name: function(*counts) for name, function in _SCORES.items()}
    scores["cost"] = _cost(*check_costs(cost_fn, cost_fp, owner))(*counts)
    for b in bs:
        scores[fbeta_name(b)] = _fbeta(float(b))(*counts)
    return scores
