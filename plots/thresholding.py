"""Threshold tuning against weighting, per probabilistic model.

:func:`plot_thresholding` takes, per model,
:func:`simulate.analysis.summary.weighting_vs_thresholding`: per class_sep, the test F1 of the
weight chosen on the validation split and of the ``alpha = 1`` model's threshold tuned on the same
split (``thresholding``).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from plots._style import Z95, new_figure, require_columns
from plots.models import model_colors

__all__ = ["plot_thresholding"]


def plot_thresholding(tables: Mapping[str, pd.DataFrame]) -> Figure:
    """When does weighting beat thresholding? Test F1 of both, per class_sep, per model.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Per model, :func:`simulate.analysis.summary.weighting_vs_thresholding` of a sweep over
        class_sep: class_sep (and a last row ``"all"``, left out), f1_at_1, f1_weighted, f1_tuned,
        difference, difference_se, weighted_wins.

    Returns
    -------
    Figure
        Left: mean test F1 of the weight chosen on validation (solid), of the tuned threshold
        (dashed) and of ``alpha = 1`` at its own threshold (dotted). Right: weighted minus tuned,
        with 95% intervals (lines with ``gid`` ``"difference-<model>"``); above zero, weighting
        wins.
    """
    if not tables:
        raise ValueError("No contest to draw: give at least one probabilistic model's table.")
    colors = model_colors(list(tables))
    figure = new_figure((13.0, 5.5))
    scores, difference = figure.subplots(1, 2)
    needed = ("class_sep", "f1_at_1", "f1_weighted", "f1_tuned", "difference", "difference_se")
    for model, table in tables.items():
        require_columns(table, needed, f"plot_thresholding ({model})")
        rows = table[table["class_sep"] != "all"]
        seps = rows["class_sep"].astype(float)
        color = colors[model]
        scores.plot(seps, rows["f1_weighted"], color=color, marker="o", ms=3)
        scores.plot(seps, rows["f1_tuned"], color=color, ls="--")
        scores.plot(seps, rows["f1_at_1"], color=color, ls=":", lw=1.0)
        half = Z95 * rows["difference_se"]
        difference.plot(
            seps, rows["difference"], color=color, marker="o", ms=3, gid=f"difference-{model}"
        )
        difference.fill_between(
            seps, rows["difference"] - half, rows["difference"] + half, color=color, alpha=0.15
        )
    scores.set_ylabel("mean test F1")
    scores.set_title("Weight chosen on validation (solid), threshold tuned on it (dashed)")
    difference.axhline(0.0, color="0.4", lw=0.8)
    difference.set_ylabel("F1 weighted minus F1 tuned (band: 95%)")
    difference.set_title("Above zero the weight wins")
    for ax in (scores, difference):
        ax.set_xlabel("class_sep")
        ax.grid(True, which="major", alpha=0.3)
    handles = [Line2D([], [], color=colors[m], lw=2, label=m) for m in tables]
    handles += [
        Line2D([], [], color="black", marker="o", ms=3, label="weight chosen on validation"),
        Line2D([], [], color="black", ls="--", label="threshold tuned on validation"),
        Line2D([], [], color="black", ls=":", lw=1.0, label="α = 1, threshold 0.5"),
    ]
    scores.legend(handles=handles, fontsize=8)
    return figure
