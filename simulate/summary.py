"""Tables that summarise a sweep: per cell, and per class separation against the theory."""

from __future__ import annotations

import numpy as np
import pandas as pd

import theory
from theory.curves import Curve

__all__ = ["SUMMARY_SCORES", "fit_separations", "per_cell", "per_separation"]

#: Scores summarised per cell (mean and standard error).
SUMMARY_SCORES: tuple[str, ...] = ("recall", "specificity", "precision", "f1", "balanced_accuracy")
#: Bootstrap resamples of the repetitions behind the best weight's interval.
BOOTSTRAP_SAMPLES = 1000


def per_cell(fits: pd.DataFrame) -> pd.DataFrame:
    """Count, mean and standard error of each score per (class_sep, alpha) cell.

    Returns
    -------
    DataFrame
        Columns ``class_sep``, ``alpha``, ``count`` and ``<score>_mean``, ``<score>_se`` for each
        of :data:`SUMMARY_SCORES`, sorted by class_sep then alpha.
    """
    grouped = fits.groupby(["class_sep", "alpha"], sort=True)[list(SUMMARY_SCORES)]
    mean, std, count = grouped.mean(), grouped.std(ddof=1), grouped.count()
    table = pd.DataFrame({"count": count[SUMMARY_SCORES[0]]})
    for score in SUMMARY_SCORES:
        table[f"{score}_mean"] = mean[score]
        table[f"{score}_se"] = (std[score] / np.sqrt(count[score])).fillna(0.0)
    return table.reset_index()


def fit_separations(summary: pd.DataFrame, *, family: str = "superellipse") -> dict[float, Curve]:
    """The ``family`` curve fitted to each class_sep's mean (recall, specificity) points.

    Parameters
    ----------
    summary : DataFrame
        A per-cell table (:func:`per_cell`): class_sep, recall_mean, specificity_mean.
    family : {"superellipse", "asymmetric", "binormal"}, default "superellipse"
        The curve family (:func:`theory.fit_curve`).

    Returns
    -------
    dict of float to curve
        Keyed by class_sep, in increasing order.
    """
    return {
        float(class_sep): theory.fit_curve(
            cell["recall_mean"], cell["specificity_mean"], family=family
        )
        for class_sep, cell in summary.groupby("class_sep", sort=True)
    }


def per_separation(fits: pd.DataFrame, beta: float, *, seed: int = 0) -> pd.DataFrame:
    """One row per class_sep: the empirical best weight for F1 beside the theory's.

    Parameters
    ----------
    fits : DataFrame
        The per-fit table of a sweep (columns class_sep, alpha, rep and the scores of
        :data:`SUMMARY_SCORES`).
    beta : float
        The sweep's prevalence.
    seed : int
        Seeds the bootstrap.

    Returns
    -------
    DataFrame
        ``class_sep``; ``alpha_best`` (the grid weight with the highest mean F1) and its 95%
        bootstrap interval over repetitions ``alpha_best_low``, ``alpha_best_high``; mean F1 at
        the best grid weight (``f1_best``), and at ``alpha = 1`` (``f1_at_1``) and the
        inverse-proportion weight (``f1_at_inverse``), these two read off the mean curve by
        linear interpolation in log(alpha) (NaN outside the grid); ``p_fit``, the superellipse
        fitted to the mean (recall, specificity) points (:func:`fit_separations`); and the
        theory's best weight on that curve under each rule, ``alpha_bce`` and ``alpha_bayes``.
    """
    rng = np.random.default_rng(seed)
    inverse = (1.0 - beta) / beta
    curves = fit_separations(per_cell(fits))
    rows = []
    for class_sep, group in fits.groupby("class_sep", sort=True):
        f1 = group.pivot(index="rep", columns="alpha", values="f1")
        alphas = f1.columns.to_numpy(dtype=float)
        mean_f1 = f1.mean(axis=0).to_numpy()
        resampled = rng.multinomial(len(f1), np.full(len(f1), 1.0 / len(f1)), BOOTSTRAP_SAMPLES)
        boot_best = alphas[np.argmax(resampled @ f1.to_numpy() / len(f1), axis=1)]
        curve = curves[float(class_sep)]
        rows.append(
            {
                "class_sep": class_sep,
                "alpha_best": alphas[np.argmax(mean_f1)],
                "alpha_best_low": np.quantile(boot_best, 0.025),
                "alpha_best_high": np.quantile(boot_best, 0.975),
                "f1_at_1": _interpolate(1.0, alphas, mean_f1),
                "f1_best": mean_f1.max(),
                "f1_at_inverse": _interpolate(inverse, alphas, mean_f1),
                "p_fit": float(curve.p),
                "alpha_bce": float(theory.optimal_alpha(beta, curve, metric="f1", rule="bce")),
                "alpha_bayes": float(theory.optimal_alpha(beta, curve, metric="f1", rule="bayes")),
            }
        )
    return pd.DataFrame(rows)


def _interpolate(alpha: float, alphas: np.ndarray, values: np.ndarray) -> float:
    if not alphas[0] <= alpha <= alphas[-1]:
        return float("nan")
    return float(np.interp(np.log(alpha), np.log(alphas), values))
