"""The binormal curve with unequal variances: the hook the bayes rule skips, and plateaus of F1."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike, NDArray

import theory
from plots._style import ALPHA_LABEL, CHANCE_COLOR, OPTIMUM_MARKER, alpha_axis, new_figure
from theory.studies import (
    SPREAD_BETA,
    SPREAD_D,
    SPREAD_RULES,
    SPREAD_S,
    binormal_roc_points,
    binormal_spread_optima,
    skipped_chord,
)

__all__ = ["SPREAD_ALPHAS", "SPREAD_WEIGHTS", "plot_binormal_spread"]

#: Weights whose operating points the curves carry.
SPREAD_WEIGHTS = (0.3, 1.0, 3.0, 10.0)
#: Weights of the F1 panel.
SPREAD_ALPHAS: NDArray[np.float64] = np.logspace(-2.0, 3.0, 801)
#: Markers of the two rules' operating points: filled for bayes, hollow for bce.
_POINT_STYLES: dict[str, dict[str, object]] = {
    "bayes": {"marker": "o", "ms": 6.0, "mew": 1.1},
    "bce": {"marker": "s", "ms": 6.0, "mew": 1.3, "mfc": "white"},
}
_LINE_STYLES = {"bayes": "-", "bce": "--"}


def _spread_color(s: float) -> tuple[float, float, float, float]:
    """The colour of spread ``s``: viridis on a log scale, from 1/2 (dark) to 2 (green-yellow),
    clipped beyond; no red, which is the chance line's."""
    return mpl.colormaps["viridis"](float(np.clip(0.425 * (np.log2(s) + 1.0), 0.0, 0.85)))


def plot_binormal_spread(
    s: ArrayLike = SPREAD_S,
    *,
    d: float = SPREAD_D,
    beta: float = SPREAD_BETA,
    weights: ArrayLike = SPREAD_WEIGHTS,
    alphas: ArrayLike = SPREAD_ALPHAS,
) -> Figure:
    """Binormal curves of one separation and several spreads, where each rule puts a weight on
    them, and F1 against the weight.

    Parameters
    ----------
    s : array_like, default :data:`theory.studies.SPREAD_S`
        Spreads of the positives' scores, each > 0.
    d : float, default :data:`theory.studies.SPREAD_D`
        Separation of the score distributions' means.
    beta : float, default :data:`theory.studies.SPREAD_BETA`
        Prevalence of the positive class.
    weights : array_like, default :data:`SPREAD_WEIGHTS`
        Weights whose operating points are marked on the curves.
    alphas : array_like, default :data:`SPREAD_ALPHAS`
        Weights of the F1 panel, > 0.

    Returns
    -------
    Figure
        Two axes. Left, per spread: the curve (``gid`` ``"roc-s=<s>"``), the bayes and bce
        points at ``weights`` (``"bayes-s=<s>"``, ``"bce-s=<s>"``) and, where the bayes rule
        jumps over a hook, the chord it skips (dotted, ``"chord-s=<s>"``); the chance line
        (``"chance"``). Right: expected F1 against ``alpha`` under each rule
        (``"f1-<rule>-s=<s>"``), each optimum (``"optimum-<rule>-s=<s>"``), and each plateau of
        :func:`theory.optimize_alpha` shaded over its weights (a patch with ``gid``
        ``"plateau-<rule>-s=<s>"``).
    """
    spreads = np.atleast_1d(np.asarray(s, dtype=np.float64))
    weights = np.atleast_1d(np.asarray(weights, dtype=np.float64))
    alphas = np.asarray(alphas, dtype=np.float64)
    optima = binormal_spread_optima(spreads, d=d, beta=beta)
    fig = new_figure((13.0, 6.0))
    roc_ax, f1_ax = fig.subplots(1, 2, width_ratios=(1.0, 1.25))
    roc_ax.plot([0.0, 1.0], [1.0, 0.0], color=CHANCE_COLOR, lw=1.0, ls=":", gid="chance")
    for spread in spreads:
        curve = theory.Binormal(d, spread)
        color = _spread_color(spread)
        label = f"s={spread:g}"
        x, z = binormal_roc_points(d, spread)
        roc_ax.plot(x, z, color=color, lw=1.8, gid=f"roc-{label}")
        chord_x, chord_z = skipped_chord(curve)
        if chord_x.size:
            roc_ax.plot(chord_x, chord_z, color=color, lw=1.2, ls=(0, (1, 2)), gid=f"chord-{label}")
        for rule in SPREAD_RULES:
            px, pz = theory.operating_point(weights, beta, curve, rule=rule)
            roc_ax.plot(
                px, pz, ls="none", color=color, mec=color, clip_on=False, zorder=3,
                gid=f"{rule}-{label}", **_POINT_STYLES[rule],
            )  # fmt: skip
            scores = theory.expected_score(alphas, beta, curve, metric="f1", rule=rule)
            f1_ax.plot(
                alphas, scores, color=color, lw=1.7, ls=_LINE_STYLES[rule],
                gid=f"f1-{rule}-{label}",
            )  # fmt: skip
            row = optima[(optima["s"] == spread) & (optima["rule"] == rule)].iloc[0]
            if alphas.min() <= row["alpha"] <= alphas.max():
                f1_ax.plot([row["alpha"]], [row["f1"]], gid=f"optimum-{rule}-{label}",
                           **OPTIMUM_MARKER)  # fmt: skip
            if row["plateau"]:
                f1_ax.axvspan(
                    row["plateau_start"], min(row["plateau_stop"], alphas.max()), color=color,
                    alpha=0.15, lw=0, gid=f"plateau-{rule}-{label}",
                )  # fmt: skip
    roc_ax.set(xlim=(0.0, 1.0), ylim=(0.0, 1.0), aspect="equal")
    roc_ax.set_xlabel("recall x = P(ŷ = 1 | y = 1)")
    roc_ax.set_ylabel("specificity z = P(ŷ = 0 | y = 0)")
    roc_ax.set_title(f"(a) binormal d = {d:g}: positives N(d, s²), negatives N(0, 1)")
    alpha_axis(f1_ax, float(alphas.min()), float(alphas.max()))
    f1_ax.set_xlabel(ALPHA_LABEL)
    f1_ax.set_ylabel("expected F1")
    f1_ax.set_title(f"(b) F1 against the weight, β = {beta:g}; shaded: a plateau")
    for ax in (roc_ax, f1_ax):
        ax.grid(True, alpha=0.3)
    weight_list = ", ".join(f"{w:g}" for w in weights)
    roc_ax.legend(
        handles=[
            *(
                Line2D([], [], color=_spread_color(v), lw=1.8, label=f"s = {v:g}")
                for v in spreads
            ),
            Line2D([], [], color="0.3", ls="none", label=f"bayes point, α = {weight_list}",
                   **_POINT_STYLES["bayes"]),
            Line2D([], [], color="0.3", mec="0.3", ls="none", label="bce point, same α",
                   **_POINT_STYLES["bce"]),
            Line2D([], [], color="0.3", lw=1.2, ls=(0, (1, 2)), label="skipped by bayes"),
            Line2D([], [], color=CHANCE_COLOR, lw=1.0, ls=":", label="chance line"),
        ],
        loc="lower left",
        fontsize="small",
        framealpha=0.9,
    )  # fmt: skip
    f1_ax.legend(
        handles=[
            Line2D([], [], color="0.3", lw=1.7, ls=_LINE_STYLES[rule], label=f"{rule} rule")
            for rule in SPREAD_RULES
        ],
        loc="upper left",
        fontsize="small",
    )
    fig.suptitle("Unequal variances: a hook in the ROC, a jump of the bayes point, a plateau")
    return fig
