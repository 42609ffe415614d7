"""Label noise: what it does to the best weight for F1 and to the gain the weight brings.

:func:`plot_label_noise` takes, per model, the :func:`simulate.analysis.summary.per_separation`
table of a sweep over ``flip_y`` (``python -m simulate --flip-y 0,0.01,0.05``) and draws, against
class_sep, the best weight and its gain over ``alpha = 1``, one line per noise level
(``label_noise``).
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from plots._style import new_figure, require_columns

__all__ = ["plot_label_noise"]

#: Colour map of the noise levels, from the clean labels (dark) to the noisiest (light).
_NOISE_COLORMAP = "plasma"


def plot_label_noise(tables: Mapping[str, pd.DataFrame]) -> Figure:
    """The best weight and its gain in F1 against class_sep, one line per flip_y, per model.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Per model, :func:`simulate.analysis.summary.per_separation` of a sweep over ``flip_y``:
        flip_y, class_sep, alpha_best, f1_at_1, f1_best.

    Returns
    -------
    Figure
        One column per model; top: the best grid weight (log scale; its 95% bootstrap interval
        as a band; lines with ``gid`` ``"best-<flip_y>"``); bottom: ``f1_best - f1_at_1``, the
        F1 the best weight adds (``"gain-<flip_y>"``).
    """
    if not tables:
        raise ValueError("No noise sweep to draw: give at least one model's table.")
    needed = ("flip_y", "class_sep", "alpha_best", "alpha_best_low", "alpha_best_high")
    noise = sorted({float(f) for table in tables.values() for f in table.get("flip_y", [])})
    colors = {
        flip_y: mpl.colormaps[_NOISE_COLORMAP](0.8 * i / max(len(noise) - 1, 1))
        for i, flip_y in enumerate(noise)
    }
    figure = new_figure((4.2 * len(tables) + 1.0, 7.5))
    axes = figure.subplots(2, len(tables), sharex=True, squeeze=False)
    for column, (model, table) in enumerate(tables.items()):
        require_columns(table, (*needed, "f1_at_1", "f1_best"), f"plot_label_noise ({model})")
        top, bottom = axes[0, column], axes[1, column]
        for flip_y, rows in table.groupby("flip_y", sort=True):
            rows = rows.sort_values("class_sep")
            color = colors[float(flip_y)]
            top.plot(
                rows["class_sep"],
                rows["alpha_best"],
                color=color,
                marker="o",
                ms=3,
                gid=f"best-{flip_y:g}",
            )
            top.fill_between(
                rows["class_sep"],
                rows["alpha_best_low"],
                rows["alpha_best_high"],
                color=color,
                alpha=0.12,
                lw=0,
            )
            gain = rows["f1_best"] - rows["f1_at_1"]
            bottom.plot(
                rows["class_sep"], gain, color=color, marker="o", ms=3, gid=f"gain-{flip_y:g}"
            )
        top.set_yscale("log")
        top.axhline(1.0, color="0.5", lw=0.8)
        top.set_title(model)
        bottom.axhline(0.0, color="0.5", lw=0.8)
        bottom.set_xlabel("class_sep")
        for ax in (top, bottom):
            ax.grid(True, which="major", alpha=0.3)
    axes[0, 0].set_ylabel("best weight α for F1 (band: 95% bootstrap)")
    axes[1, 0].set_ylabel("F1 at the best weight minus F1 at α = 1")
    handles = [
        Line2D([], [], color=colors[f], marker="o", ms=3, label=f"flip_y = {f:g}") for f in noise
    ]
    axes[0, 0].legend(handles=handles, fontsize=8)
    figure.suptitle("Label noise (make_classification's flip_y): the best weight and its gain")
    return figure
