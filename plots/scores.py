"""Figures 2 and 3: a score's expected value against the class weight, one line per curve."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

import theory
from params.post import BETA, THEORY_ALPHAS, THEORY_P
from plots._style import (
    ALPHA_LABEL,
    OPTIMUM_MARKER,
    SCORE_LABELS,
    add_p_colorbar,
    alpha_axis,
    mark_inverse_weight,
    new_figure,
    p_color,
)

__all__ = ["plot_theoretic_scores"]


def plot_theoretic_scores(
    metric: str = "f1",
    *,
    p: ArrayLike = THEORY_P,
    beta: float = BETA,
    alpha: ArrayLike = THEORY_ALPHAS,
    rule: str = "bce",
    ax: Axes | None = None,
) -> Figure:
    """Expected ``metric`` against ``alpha`` (log axis) on the superellipse of each ``p``.

    Each curve's best weight (:func:`theory.optimize_alpha`) is marked with a dot where it lies
    within the range of ``alpha``, and the inverse-proportion weight ``(1 - beta) / beta`` with a
    dotted vertical line.

    Parameters
    ----------
    metric : str, default "f1"
        A score of :data:`theory.SCORE_NAMES` (e.g. ``"f1"``, ``"balanced_accuracy"``) or
        ``"f<b>"`` for an F-beta score.
    p : array_like, default :data:`params.post.THEORY_P`
        Curve qualities, each >= 1; one line each, coloured by p.
    beta : float, default 0.01
        Prevalence of the positive class.
    alpha : array_like, default :data:`params.post.THEORY_ALPHAS`
        Weights at which the lines are evaluated, > 0 and increasing.
    rule : {"bce", "bayes"}, default "bce"
        How a weight picks the operating point.
    ax : Axes, optional
        Draw into this axes instead of a new figure (no colour bar is added then).

    Returns
    -------
    Figure
        One axes: ``len(p)`` score lines in the order of ``p`` (``gid`` ``"p=<p>"``), one line
        of optimum dots (``gid`` ``"optima"``; x-data the best weights, y-data the best scores,
        for the optima inside the ``alpha`` range) and a vertical line at the
        inverse-proportion weight (``gid`` ``"inverse-weight"``).

    Raises
    ------
    ValueError
        For an unknown metric or rule, or values out of range (from :mod:`theory`).
    """
    p = np.atleast_1d(np.asarray(p, dtype=np.float64))
    alpha = np.atleast_1d(np.asarray(alpha, dtype=np.float64))
    best = theory.optimize_alpha(beta, p, metric=metric, rule=rule)
    # One call for the whole (alpha, p) grid: rows are weights, columns curves.
    values = theory.expected_score(alpha[:, None], beta, p[None, :], metric=metric, rule=rule)
    own = ax is None
    if own:
        fig = new_figure()
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    for column, value in enumerate(p):
        ax.plot(alpha, values[:, column], color=p_color(value), lw=1.6, gid=f"p={value:g}")
    inside = (best.alpha >= alpha.min()) & (best.alpha <= alpha.max())
    ax.plot(
        best.alpha[inside],
        best.score[inside],
        **OPTIMUM_MARKER,
        ms=5,
        zorder=3,
        label="best α of each curve",
        gid="optima",
    )
    mark_inverse_weight(ax, beta, label_y=0.94 if metric != "balanced_accuracy" else 0.02)
    name = SCORE_LABELS.get(metric, metric)
    alpha_axis(ax, alpha.min(), alpha.max())
    ax.set_xlabel(ALPHA_LABEL)
    ax.set_ylabel(f"expected {name}")
    ax.set_title(f"Expected {name} against α on superellipses, β = {beta:g}, {rule} rule")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper left" if metric == "balanced_accuracy" else "center right")
    if own:
        add_p_colorbar(fig, ax)
    return fig
