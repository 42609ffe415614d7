"""The focal loss as a rule: where it puts a classifier for a weight, and which weight is best."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

import theory
from params.post import BETA
from plots._style import new_figure, p_color
from theory.studies import FOCAL_GAMMA, FOCAL_P, focal_sweep

__all__ = ["plot_focal_loss"]


def plot_focal_loss(
    gamma: ArrayLike = FOCAL_GAMMA, p: ArrayLike = FOCAL_P, *, beta: float = BETA
) -> Figure:
    """What the focal loss's ``gamma`` does to where a weight puts the classifier, and to F1 and
    balanced accuracy, on the superellipses of ``p``.

    Parameters
    ----------
    gamma, p, beta
        As for :func:`theory.studies.focal_sweep`, which computes the numbers drawn.

    Returns
    -------
    Figure
        Four axes against gamma: (a) the recall at ``alpha = 1`` (solid, ``gid``
        ``"recall-1-p=<p>"``) and at ``(1 - beta) / beta`` (dashed, ``"recall-inverse-p=<p>"``);
        (b) the best weight for F1 (log axis, ``"alpha-f1-p=<p>"``); (c) F1 at the best weight
        (``"f1-best-p=<p>"``), at ``alpha = 1`` (``"f1-1-p=<p>"``) and the curve's best F1
        (dotted, ``"f1-curve-p=<p>"``); (d) the same for balanced accuracy (``"ba-..."``).
    """
    table = focal_sweep(gamma, p, beta=beta)
    inverse = float(theory.inverse_proportion_weight(beta))
    fig = new_figure((11.0, 8.0))
    recall_ax, alpha_ax, f1_ax, ba_ax = fig.subplots(2, 2, sharex=True).ravel()
    for value, rows in table.groupby("p", sort=True):
        color = p_color(value)
        g = rows["gamma"].to_numpy()
        label = f"p={value:g}"
        recall_ax.plot(g, rows["recall_at_1"], color=color, lw=1.8, gid=f"recall-1-{label}")
        recall_ax.plot(
            g,
            rows["recall_at_inverse"],
            color=color,
            lw=1.4,
            ls="--",
            gid=f"recall-inverse-{label}",
        )
        alpha_ax.plot(g, rows["alpha_f1"], color=color, lw=1.8, marker=".", gid=f"alpha-f1-{label}")
        for ax, short in ((f1_ax, "f1"), (ba_ax, "ba")):
            ax.plot(g, rows[f"{short}_best"], color=color, lw=2.2, gid=f"{short}-best-{label}")
            ax.plot(
                g, rows[f"{short}_at_1"], color=color, lw=1.2, ls="--", gid=f"{short}-1-{label}"
            )
            ax.plot(
                g, rows[f"{short}_curve_best"], color="black", lw=0.9, ls=":",
                gid=f"{short}-curve-{label}",
            )  # fmt: skip
    alpha_ax.set_yscale("log")
    alpha_ax.axhline(1.0, color="0.5", lw=0.9)
    recall_ax.set(ylabel="recall x", ylim=(0.0, 1.0), title="(a) where a weight puts the model")
    alpha_ax.set(ylabel="best α for F1", title="(b) the weight F1 wants")
    f1_ax.set(ylabel="expected F1", title="(c) F1: best over α, and at α = 1")
    ba_ax.set(ylabel="expected balanced accuracy", title="(d) balanced accuracy")
    for ax in (f1_ax, ba_ax):
        ax.set_xlabel("focal loss γ (0 is the bce rule)")
    for ax in (recall_ax, alpha_ax, f1_ax, ba_ax):
        ax.grid(True, which="major", alpha=0.3)
    recall_ax.legend(
        handles=[
            *(
                Line2D([], [], color=p_color(value), lw=1.8, label=f"superellipse p = {value:g}")
                for value in np.unique(table["p"])
            ),
            Line2D([], [], color="0.3", lw=1.8, label="at α = 1"),
            Line2D([], [], color="0.3", lw=1.4, ls="--", label=f"at α = {inverse:g}"),
        ],
        fontsize="small",
    )
    f1_ax.legend(
        handles=[
            Line2D([], [], color="0.3", lw=2.2, label="best over α"),
            Line2D([], [], color="0.3", lw=1.2, ls="--", label="at α = 1"),
            Line2D([], [], color="black", lw=0.9, ls=":", label="best on the curve"),
        ],
        fontsize="small",
    )
    fig.suptitle(f"The focal loss as a rule on the post's superellipses, β = {beta:g}")
    return fig
