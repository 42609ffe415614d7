"""The focal loss as a rule: where it puts a classifier for a weight, and which weight is best."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

import theory
from params.post import BETA
from plots._style import new_figure, p_color

__all__ = ["FOCAL_GAMMA", "FOCAL_P", "focal_sweep", "plot_focal_loss"]

#: The focal rule's gamma from 0 (the bce rule) to 5, in steps of 0.25.
FOCAL_GAMMA = np.linspace(0.0, 5.0, 21)
#: The post's superellipses of the figure: a weak curve and a good one.
FOCAL_P = (2.0, 11.0)
#: Scores whose best weight the sweep reports, and their short names in its columns.
_METRICS = {"f1": "f1", "balanced_accuracy": "ba"}


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
    beta : float, default 0.01
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
        For values out of range (from :mod:`theory`).
    """
    gamma = np.atleast_1d(np.asarray(gamma, dtype=np.float64))
    p = np.atleast_1d(np.asarray(p, dtype=np.float64))
    curve = theory.Superellipse(p)
    inverse = float(theory.inverse_proportion_weight(beta))
    columns: dict[str, list[np.ndarray]] = {}

    def add(name: str, values: ArrayLike) -> None:
        columns.setdefault(name, []).append(np.broadcast_to(values, p.shape))

    curve_best = {
        metric: theory.optimize_alpha(beta, curve, metric=metric, rule="bayes").score
        for metric in _METRICS
    }
    for g in gamma:
        add("p", p)
        add("gamma", g)
        for weight, label in ((1.0, "1"), (inverse, "inverse")):
            recall, _ = theory.operating_point(weight, beta, curve, rule="focal", gamma=g)
            add(f"recall_at_{label}", recall)
        for metric, short in _METRICS.items():
            best = theory.optimize_alpha(beta, curve, metric=metric, rule="focal", gamma=g)
            add(f"alpha_{short}", best.alpha)
            add(f"alpha_{short}_at_edge", best.at_edge)
            add(f"{short}_best", best.score)
            add(f"{short}_at_1", best.score_at_one)
            add(f"{short}_at_inverse", best.score_at_inverse)
            add(f"{short}_curve_best", curve_best[metric])
    table = pd.DataFrame({name: np.concatenate(values) for name, values in columns.items()})
    return table.sort_values(["p", "gamma"], kind="stable", ignore_index=True)


def plot_focal_loss(
    gamma: ArrayLike = FOCAL_GAMMA, p: ArrayLike = FOCAL_P, *, beta: float = BETA
) -> Figure:
    """What the focal loss's ``gamma`` does to where a weight puts the classifier, and to F1 and
    balanced accuracy, on the superellipses of ``p``.

    Parameters
    ----------
    gamma, p, beta
        As for :func:`focal_sweep`, which computes the numbers drawn.

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
