"""The sweep's own figure: mean F1 against the class weight, one line per class separation."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["SEPARATION_COLORMAP", "plot_score_vs_alpha", "separation_colors"]

#: Colour map of class_sep, shared by every figure that colours lines by separation.
SEPARATION_COLORMAP = "viridis"
#: How scores are named on axes.
_LABELS = {"f1": "F1", "balanced_accuracy": "balanced accuracy"}
#: Normal quantile of a two-sided 95% band.
_Z95 = 1.959963984540054


def separation_colors(seps: np.ndarray) -> mpl.colors.Normalize:
    """The colour normalisation of class_sep values (shared across figures)."""
    return mpl.colors.Normalize(vmin=float(np.min(seps)), vmax=float(np.max(seps)))


def plot_score_vs_alpha(
    summary: pd.DataFrame,
    *,
    score: str = "f1",
    beta: float | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Mean score against alpha (log axis), one line per class_sep, with a 95% band.

    Parameters
    ----------
    summary : DataFrame
        Per-cell table of a run (``summary.csv``): class_sep, alpha, ``<score>_mean``,
        ``<score>_se``.
    score : str, default "f1"
        Which score to draw.
    beta : float, optional
        The run's prevalence; marks the inverse-proportion weight ``(1 - beta) / beta``.
    ax : Axes, optional
        Draw into this axes instead of a new figure.

    Returns
    -------
    Figure
    """
    if ax is None:
        fig = Figure(figsize=(8, 5), dpi=144, layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    cmap = mpl.colormaps[SEPARATION_COLORMAP]
    norm = separation_colors(summary["class_sep"].to_numpy())
    for class_sep, cell in summary.groupby("class_sep", sort=True):
        color = cmap(norm(class_sep))
        mean, half = cell[f"{score}_mean"], _Z95 * cell[f"{score}_se"]
        ax.plot(cell["alpha"], mean, color=color, lw=1.6, label=f"{class_sep:g}")
        ax.fill_between(cell["alpha"], mean - half, mean + half, color=color, alpha=0.2, lw=0)
    if beta is not None:
        ax.axvline((1 - beta) / beta, color="0.4", ls="--", lw=1)
        ax.annotate(
            "(1-β)/β",
            xy=((1 - beta) / beta, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -12),
            textcoords="offset points",
            color="0.3",
        )
    ax.set_xscale("log")
    ax.set_xlabel("class weight α on the positive class")
    ax.set_ylabel(f"mean {_LABELS.get(score, score)} on the test split")
    ax.set_title(f"Simulated {_LABELS.get(score, score)} against α (bands: 95% of the mean)")
    fig.colorbar(mpl.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, label="class_sep")
    ax.grid(True, which="major", alpha=0.3)
    return fig
