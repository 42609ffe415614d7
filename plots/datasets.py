"""Real data: F1 against the weight on data sets shipped with scikit-learn, per model.

:func:`plot_datasets` takes, per model, the per-cell summary of a sweep over real data sets
(``python -m simulate --dataset breast_cancer,digits:8``) and draws each data set's mean F1
against alpha, one line per model (``datasets``).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from plots._style import (
    ALPHA_LABEL,
    Z95,
    alpha_axis,
    mark_inverse_weight,
    new_figure,
    require_columns,
)
from plots.models import model_colors

__all__ = ["plot_datasets"]


def plot_datasets(summaries: Mapping[str, pd.DataFrame], *, beta: float | None = None) -> Figure:
    """Mean test F1 against alpha, one panel per data set, one line per model.

    Parameters
    ----------
    summaries : mapping of str to DataFrame
        Per model, a per-cell summary (:func:`simulate.analysis.summary.per_cell`) of a sweep over
        real data sets: dataset, alpha, f1_mean, f1_se.
    beta : float, optional
        The sweeps' prevalence; marks the inverse-proportion weight.

    Returns
    -------
    Figure
        One axes per data set (in the order first met); each model's mean F1 with a 95% band,
        and a star at its best weight.
    """
    if not summaries:
        raise ValueError("No real-data sweep to draw: give at least one model's summary.")
    for model, summary in summaries.items():
        require_columns(
            summary, ("dataset", "alpha", "f1_mean", "f1_se"), f"plot_datasets ({model})"
        )
    names = list(dict.fromkeys(n for summary in summaries.values() for n in summary["dataset"]))
    colors = model_colors(list(summaries))
    figure = new_figure((5.5 * len(names) + 1.0, 5.0))
    axes = figure.subplots(1, len(names), squeeze=False)[0]
    alphas = pd.concat([summary["alpha"] for summary in summaries.values()])
    for ax, name in zip(axes, names, strict=True):
        for model, summary in summaries.items():
            cell = summary[summary["dataset"] == name].sort_values("alpha")
            mean, half = cell["f1_mean"], Z95 * cell["f1_se"]
            ax.plot(cell["alpha"], mean, color=colors[model], lw=1.6)
            ax.fill_between(
                cell["alpha"], mean - half, mean + half, color=colors[model], alpha=0.15, lw=0
            )
            best = cell.loc[mean.idxmax()]
            ax.plot(
                best["alpha"],
                best["f1_mean"],
                ls="none",
                marker="*",
                ms=11,
                mfc=colors[model],
                mec="black",
            )
        alpha_axis(ax, float(alphas.min()), float(alphas.max()))
        if beta is not None:
            mark_inverse_weight(ax, beta, label_y=0.04)
        ax.set_xlabel(ALPHA_LABEL)
        ax.set_title(name)
        ax.grid(True, which="major", alpha=0.3)
    axes[0].set_ylabel("mean F1 on the test split (band: 95%)")
    handles = [Line2D([], [], color=colors[m], lw=2, label=m) for m in summaries]
    handles.append(
        Line2D([], [], ls="none", marker="*", ms=11, mfc="0.6", mec="black", label="best α")
    )
    figure.legend(handles=handles, fontsize=8, loc="outside right upper")
    note = f", β = {beta:g}" if beta is not None else ""
    figure.suptitle(f"Real data sets, positives subsampled{note}: F1 against the weight")
    return figure
