"""The theory's studies: the numbers behind the theory's figures and tables.

Each study asks :mod:`theory` one question over a grid and returns a table (or a few arrays);
:mod:`plots` draws what they return and computes nothing itself.

- The focal loss as a rule (:func:`focal_sweep`): where the focal rule puts a classifier at
  ``alpha = 1`` and at the inverse-proportion weight, and which weight is best, for each
  ``gamma``.
- Error costs (:func:`cost_optimal_weights`): the weight that minimises the expected cost
  ``c_fn * FN + c_fp * FP`` under each rule, against the price ratio.
- The binormal curve with unequal variances (:func:`binormal_roc_points`,
  :func:`skipped_chord`, :func:`binormal_spread_optima`): the hook of its ROC that the bayes
  rule jumps over, and the F1-best weights with their plateaus.
- The best weight over prevalence and curve quality (:func:`optimal_alpha_grid`).
- A threshold chosen on a balanced validation set (:func:`choose_thresholds`,
  :func:`binormal_f1`). A practitioner tunes the threshold on a balanced validation split (half
  positives), then deploys the model where 1% of the cases are positive. The ROC is the same at
  both prevalences, but F1 is not: the threshold that maximises F1 at 50% sits far lower than
  the one that maximises it at 1%, where every false positive weighs 99 times more.
  :func:`theory.what_if_scores` computes scores at the deployment prevalence ``beta`` from the
  same balanced rows. The model is binormal: scores ``N(0, 1)`` on the negatives and
  ``N(d, 1)`` on the positives, so at threshold ``t`` its recall is ``1 - Phi(t - d)`` and its
  specificity ``Phi(t)``, and the true F1 at any prevalence is known in closed form.

Every study defaults to the post's prevalence :data:`params.post.BETA` unless its own setting
says otherwise.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import special

from params.post import BETA
from theory.curves import Binormal, Curve, Superellipse
from theory.operating import operating_point
from theory.optimum import inverse_proportion_weight, optimize_alpha
from theory.scores import confusion_scores, expected_confusion
from theory.whatif_scores import what_if_scores

__all__ = [
    "BALANCED_D",
    "BALANCED_ROWS",
    "BALANCED_SEED",
    "BALANCED_THRESHOLDS",
    "COST_CURVES",
    "COST_RATIOS",
    "COST_RULES",
    "FOCAL_GAMMA",
    "FOCAL_P",
    "MAP_BETA",
    "MAP_P",
    "SPREAD_BETA",
    "SPREAD_D",
    "SPREAD_RULES",
    "SPREAD_S",
    "ChosenThresholds",
    "binormal_f1",
    "binormal_roc_points",
    "binormal_spread_optima",
    "choose_thresholds",
    "cost_optimal_weights",
    "focal_sweep",
    "optimal_alpha_grid",
    "skipped_chord",
]

# --- the focal loss as a rule ------------------------------------------------------------------

#: The focal rule's gamma from 0 (the bce rule) to 5, in steps of 0.25.
FOCAL_GAMMA = np.linspace(0.0, 5.0, 21)
#: The post's superellipses of the study: a weak curve and a good one.
FOCAL_P = (2.0, 11.0)
#: Scores whose best weight the focal sweep reports, and their short names in its columns.
_FOCAL_METRICS = {"f1": "f1", "balanced_accuracy": "ba"}


def focal_sweep(
    gamma: ArrayLike = FOCAL_GAMMA, p: ArrayLike = FOCAL_P, *, beta: float = BETA
) -> pd.DataFrame:
    """The focal rule on the superellipses of ``p``, at each ``gamma``.

    Parameters
    ----------
    gamma : array_like, default :data:`FOCAL_GAMMA`
        The focal rule's parameters, each >= 0 (0 is the bce rule).
    p : array_like, default :data:`FOCAL_P`
        Superellipse qualities, each >= 1.
    beta : float, default :data:`params.post.BETA`
        Prevalence of the positive class.

    Returns
    -------
    DataFrame
        One row per (p, gamma), sorted by p then gamma: ``recall_at_1`` and
        ``recall_at_inverse``, the recall the focal rule reaches at ``alpha = 1`` and at
        ``(1 - beta) / beta``; for F1 (``f1``) and balanced accuracy (``ba``) the best weight
        ``alpha_<m>`` (:func:`theory.optimize_alpha`, with ``alpha_<m>_at_edge``), the score
        there ``<m>_best``, at ``alpha = 1`` ``<m>_at_1`` and at the inverse-proportion weight
        ``<m>_at_inverse``, and the best score anywhere on the curve ``<m>_curve_best`` (the
        bayes rule's best, which reaches every point of the curve).

    Raises
    ------
    ValueError
        For values out of range.
    """
    gamma = np.atleast_1d(np.asarray(gamma, dtype=np.float64))
    p = np.atleast_1d(np.asarray(p, dtype=np.float64))
    curve = Superellipse(p)
    inverse = float(inverse_proportion_weight(beta))
    columns: dict[str, list[np.ndarray]] = {}

    def add(name: str, values: ArrayLike) -> None:
        columns.setdefault(name, []).append(np.broadcast_to(values, p.shape))

    curve_best = {
        metric: optimize_alpha(beta, curve, metric=metric, rule="bayes").score
        for metric in _FOCAL_METRICS
    }
    for g in gamma:
        add("p", p)
        add("gamma", g)
        for weight, label in ((1.0, "1"), (inverse, "inverse")):
            recall, _ = operating_point(weight, beta, curve, rule="focal", gamma=g)
            add(f"recall_at_{label}", recall)
        for metric, short in _FOCAL_METRICS.items():
            best = optimize_alpha(beta, curve, metric=metric, rule="focal", gamma=g)
            add(f"alpha_{short}", best.alpha)
            add(f"alpha_{short}_at_edge", best.at_edge)
            add(f"{short}_best", best.score)
            add(f"{short}_at_1", best.score_at_one)
            add(f"{short}_at_inverse", best.score_at_inverse)
            add(f"{short}_curve_best", curve_best[metric])
    table = pd.DataFrame({name: np.concatenate(values) for name, values in columns.items()})
    return table.sort_values(["p", "gamma"], kind="stable", ignore_index=True)


# --- error costs -------------------------------------------------------------------------------

#: Prices of a false negative relative to a false positive, 1 to 1000.
COST_RATIOS = np.logspace(0.0, 3.0, 13)
#: The curves of the study, by label.
COST_CURVES: dict[str, Curve] = {
    "superellipse p = 2": Superellipse(2.0),
    "superellipse p = 11": Superellipse(11.0),
    "binormal d = 1.5": Binormal(1.5),
}
#: Rules of the study, the focal rule at its default gamma.
COST_RULES = ("bayes", "bce", "focal")


def cost_optimal_weights(
    ratio: ArrayLike = COST_RATIOS,
    curves: dict[str, Curve] | None = None,
    *,
    beta: float = BETA,
    rules: tuple[str, ...] = COST_RULES,
) -> pd.DataFrame:
    """The weight that minimises the expected cost ``ratio * FN + FP`` under each rule.

    Parameters
    ----------
    ratio : array_like, default :data:`COST_RATIOS`
        Prices of a false negative, each > 0; a false positive costs 1.
    curves : dict of str to curve, optional
        The curves, by label; default :data:`COST_CURVES`.
    beta : float, default :data:`params.post.BETA`
        Prevalence of the positive class.
    rules : tuple of str, default :data:`COST_RULES`
        The rules (the focal rule at gamma = 2).

    Returns
    -------
    DataFrame
        One row per (curve, rule, ratio): ``curve`` (the label), ``rule``, ``ratio``, ``alpha``
        (:func:`theory.optimize_alpha` of the cost), ``at_edge`` and ``cost``, the least
        expected cost. Under the bayes rule ``alpha`` is ``ratio`` on every curve.
    """
    curves = COST_CURVES if curves is None else curves
    rows = []
    for label, curve in curves.items():
        for rule in rules:
            for price in np.atleast_1d(np.asarray(ratio, dtype=np.float64)):
                best = optimize_alpha(
                    beta, curve, metric="cost", rule=rule, cost_fn=float(price), cost_fp=1.0
                )
                rows.append(
                    {
                        "curve": label,
                        "rule": rule,
                        "ratio": float(price),
                        "alpha": float(best.alpha),
                        "at_edge": bool(best.at_edge),
                        "cost": float(best.score),
                    }
                )
    return pd.DataFrame(rows)


# --- the binormal curve with unequal variances -------------------------------------------------

#: Spreads of the positives' scores: narrower than the negatives', equal, wider.
SPREAD_S = (0.5, 1.0, 2.0)
#: Separation of the study's curves: a weak model (AUC 0.64 at s = 1), whose hooks show.
SPREAD_D = 0.5
#: Prevalence of the study: at 30% positives F1 is best in the corner (1, 0) for s = 2, which
#: the bayes rule reaches at every weight past its jump over the hook, a plateau.
SPREAD_BETA = 0.3
#: Rules of the study.
SPREAD_RULES = ("bayes", "bce")
#: Thresholds along each curve, in standard deviations of the wider score distribution.
_ROC_THRESHOLDS = np.linspace(-8.0, 8.0, 1601)
#: Weight ratios scanned for the bayes rule's jump over a hook (1e-8 to 1e8, 2000 per decade).
_JUMP_RATIOS = np.logspace(-8.0, 8.0, 32_001)
#: Recall gap between consecutive bayes points that counts as a jump.
_JUMP_GAP = 1e-3


def binormal_roc_points(d: float, s: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Points along the binormal ROC with positives ``N(d, s**2)`` and negatives ``N(0, 1)``.

    The threshold ``t`` runs over 1601 values spanning 8 standard deviations of the wider score
    distribution either side of ``d / 2``, falling, so the points go from ``(0, 1)`` to
    ``(1, 0)``: recall ``Phi((d - t) / s)`` and specificity ``Phi(t)``, with both ends added.

    Returns
    -------
    x, z : ndarray, shape (1603,)
        Recall and specificity.
    """
    thresholds = (_ROC_THRESHOLDS * max(s, 1.0) + d / 2.0)[::-1]
    x = np.concatenate([[0.0], special.ndtr((d - thresholds) / s), [1.0]])
    z = np.concatenate([[1.0], special.ndtr(thresholds), [0.0]])
    return x, z


def skipped_chord(curve: Binormal) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The stretch of a binormal curve the bayes rule jumps over, as a chord's two ends.

    The rule's point is the maximum of ``m*x + z``: as ``m`` grows it moves along the curve's
    concave hull, and where the hull leaves the curve (the hook of ``s != 1``) it jumps from one
    end of the chord to the other. The jump is found on a grid of ``m`` (1e-8 to 1e8, 2000 per
    decade), so its far end is within about 1e-3 of the exact tangent point.

    Returns
    -------
    x, z : ndarray
        Recall and specificity of the chord's ends, shape (2,); empty where the rule reaches
        every point (``s = 1``).
    """
    x, z = curve.point_at_slope(_JUMP_RATIOS)
    jump = np.flatnonzero(np.diff(x) > _JUMP_GAP)
    if jump.size == 0:
        return np.empty(0), np.empty(0)
    i = int(jump[np.argmax(np.diff(x)[jump])])
    return x[i : i + 2], z[i : i + 2]


def binormal_spread_optima(
    s: ArrayLike = SPREAD_S, *, d: float = SPREAD_D, beta: float = SPREAD_BETA
) -> pd.DataFrame:
    """The F1-best weight on ``Binormal(d, s)`` under each rule, with its flags.

    Parameters
    ----------
    s : array_like, default :data:`SPREAD_S`
        Spreads of the positives' scores, each > 0.
    d : float, default :data:`SPREAD_D`
        Separation of the score distributions' means.
    beta : float, default :data:`SPREAD_BETA`
        Prevalence of the positive class.

    Returns
    -------
    DataFrame
        One row per (s, rule) of :data:`SPREAD_RULES`: ``s``, ``rule``, ``alpha``, ``f1`` (the
        best expected F1), ``at_edge``, ``flat``, ``plateau``, ``plateau_start`` and
        ``plateau_stop``, as :func:`theory.optimize_alpha` reports them.
    """
    rows = []
    for spread in np.atleast_1d(np.asarray(s, dtype=np.float64)):
        for rule in SPREAD_RULES:
            best = optimize_alpha(beta, Binormal(d, spread), metric="f1", rule=rule)
            rows.append(
                {
                    "s": float(spread),
                    "rule": rule,
                    "alpha": float(best.alpha),
                    "f1": float(best.score),
                    "at_edge": bool(best.at_edge),
                    "flat": bool(best.flat),
                    "plateau": bool(best.plateau),
                    "plateau_start": float(best.plateau_start),
                    "plateau_stop": float(best.plateau_stop),
                }
            )
    return pd.DataFrame(rows)


# --- the best weight over prevalence and curve quality -----------------------------------------

#: Prevalences of the map: 1 in 1000 to 1 in 2, log-spaced.
MAP_BETA = np.logspace(-3.0, np.log10(0.5), 120)
#: Curve qualities of the map: just above chance to near-perfect, log-spaced.
MAP_P = np.logspace(np.log10(1.2), 2.0, 120)


def optimal_alpha_grid(
    beta: ArrayLike = MAP_BETA, p: ArrayLike = MAP_P, *, metric: str = "f1", rule: str = "bce"
) -> NDArray[np.float64]:
    """The best weight ``alpha*`` on the superellipse grid ``(p, beta)``; NaN at the edge.

    One vectorised call of :func:`theory.optimize_alpha`; where the optimum sits at an end of the
    search range (no interior best weight), the value is NaN.

    Parameters
    ----------
    beta : array_like, default :data:`MAP_BETA`
        Prevalences, in (0, 1).
    p : array_like, default :data:`MAP_P`
        Superellipse qualities, each >= 1.
    metric : str, default "f1"
        The score whose best weight is found.
    rule : str, default "bce"
        The rule.

    Returns
    -------
    ndarray of float64, shape (len(p), len(beta))
        Rows are ``p``, columns ``beta``.

    Raises
    ------
    ValueError
        For values out of range or an unknown metric or rule.
    """
    beta = np.asarray(beta, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    best = optimize_alpha(beta[None, :], p[:, None], metric=metric, rule=rule)
    return np.where(best.at_edge, np.nan, best.alpha)


# --- a threshold chosen on a balanced validation set -------------------------------------------

#: Separation of the binormal model: AUC ``Phi(d / sqrt(2))`` = 0.983, a strong model whose
#: best F1 at 1% positives (0.63) is worth having; weaker models make every F1 at 1% small.
BALANCED_D = 3.0
#: Rows of the balanced validation set, half of them positive.
BALANCED_ROWS = 4000
#: Seed of the validation set's draw.
BALANCED_SEED = 0
#: Thresholds scanned for the best true F1, from below the negatives' mean to above the
#: positives'.
BALANCED_THRESHOLDS = np.linspace(-1.0, 5.0, 1201)


def binormal_f1(threshold: ArrayLike, d: float, beta: float) -> NDArray[np.float64]:
    """True F1 at prevalence ``beta`` of the binormal model with separation ``d`` at
    ``threshold`` (positive where the score is at least the threshold).

    Parameters
    ----------
    threshold : array_like
        Thresholds on the score.
    d : float
        Separation of the positives' scores ``N(d, 1)`` from the negatives' ``N(0, 1)``.
    beta : float
        Prevalence of the positive class.

    Returns
    -------
    ndarray of float64
        F1 at each threshold, of its shape.
    """
    threshold = np.asarray(threshold, np.float64)
    recall = special.ndtr(d - threshold)
    specificity = special.ndtr(threshold)
    return confusion_scores(*expected_confusion(recall, specificity, beta))["f1"]


class ChosenThresholds(NamedTuple):
    """The F1-best thresholds on one balanced validation set, and what they give at ``beta``."""

    balanced: float
    """F1-best threshold with F1 computed at the validation set's own prevalence, 50%."""
    deployment: float
    """F1-best threshold with F1 computed at the deployment prevalence ``beta``."""
    f1_balanced: float
    """True F1 at ``beta`` of :attr:`balanced`."""
    f1_deployment: float
    """True F1 at ``beta`` of :attr:`deployment`."""
    best: float
    """The threshold of :data:`BALANCED_THRESHOLDS` with the highest true F1 at ``beta``."""
    f1_best: float
    """That F1."""


def choose_thresholds(
    *,
    d: float = BALANCED_D,
    rows: int = BALANCED_ROWS,
    seed: int = BALANCED_SEED,
    beta: float = BETA,
) -> ChosenThresholds:
    """Draw a balanced validation set from the binormal model and choose the F1-best threshold
    at 50% and at ``beta`` (:func:`theory.what_if_scores`, ``best``), then score both exactly.

    Parameters
    ----------
    d : float, default :data:`BALANCED_D`
        Separation of the positives' scores from the negatives'.
    rows : int, default :data:`BALANCED_ROWS`
        Size of the validation set, half positives (rounded down).
    seed : int, default :data:`BALANCED_SEED`
        Seeds the draw.
    beta : float, default :data:`params.post.BETA`
        The deployment prevalence.

    Returns
    -------
    ChosenThresholds
    """
    rng = np.random.default_rng(seed)
    half = rows // 2
    y = np.repeat([0, 1], half)
    scores = np.concatenate((rng.normal(0.0, 1.0, half), rng.normal(d, 1.0, half)))

    def best_threshold(at: float | None) -> float:
        predicted = what_if_scores(
            y, scores, alpha=1.0, beta=at, threshold=d / 2.0, metrics=("f1",)
        )
        return float(predicted.best.loc["f1", "threshold"])

    balanced, deployment = best_threshold(None), best_threshold(beta)
    true_f1 = binormal_f1(BALANCED_THRESHOLDS, d, beta)
    best = int(np.argmax(true_f1))
    return ChosenThresholds(
        balanced=balanced,
        deployment=deployment,
        f1_balanced=float(binormal_f1(balanced, d, beta)),
        f1_deployment=float(binormal_f1(deployment, d, beta)),
        best=float(BALANCED_THRESHOLDS[best]),
        f1_best=float(true_f1[best]),
    )
