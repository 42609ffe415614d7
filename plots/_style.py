"""What every figure shares: sizes, colours of p and class_sep, labels, small drawing helpers."""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import Colormap, ListedColormap, LogNorm
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, NullFormatter, StrMethodFormatter
from numpy.typing import ArrayLike

from params.post import THEORY_P

__all__ = [
    "ALPHA_LABEL",
    "CHANCE_COLOR",
    "DPI",
    "FIGSIZE",
    "INVERSE_COLOR",
    "P_COLORMAP",
    "P_NORM",
    "RULE_STYLES",
    "SCORE_LABELS",
    "SEPARATION_COLORMAP",
    "Z95",
    "add_p_colorbar",
    "add_separation_colorbar",
    "alpha_axis",
    "mark_inverse_weight",
    "new_figure",
    "p_color",
    "require_columns",
    "separation_color",
    "separation_norm",
]

#: Resolution of saved raster figures; with :data:`FIGSIZE` a PNG is 1152 x 720 pixels.
DPI = 144
#: Size in inches of a one-panel figure.
FIGSIZE = (8.0, 5.0)

#: Colour map of the superellipse's p in every figure: cividis without its palest yellows, so
#: that every line stays visible on white and none is mistaken for the red chance line.
P_COLORMAP: Colormap = ListedColormap(mpl.colormaps["cividis"](np.linspace(0.0, 0.85, 256)), "p")
#: Normalisation of p shared by every figure (log scale over :data:`params.post.THEORY_P`;
#: clipped outside).
P_NORM = LogNorm(vmin=float(THEORY_P[0]), vmax=float(THEORY_P[-1]), clip=True)
#: Colour map of class_sep in every figure that colours lines by separation.
SEPARATION_COLORMAP = "viridis"
#: Colour of the chance line p = 1.
CHANCE_COLOR = "tab:red"
#: Colour of the inverse-proportion weight's marks.
INVERSE_COLOR = "0.35"
#: Hollow circle that marks a theoretical optimum on a score curve.
OPTIMUM_MARKER: dict[str, object] = {
    "ls": "none",
    "marker": "o",
    "mfc": "white",
    "mec": "black",
    "mew": 1.2,
}
#: Line style of the theory under each rule.
RULE_STYLES: dict[str, dict[str, object]] = {
    "bce": {"color": "black", "ls": "-", "lw": 1.6},
    "bayes": {"color": "black", "ls": "--", "lw": 1.6},
}
#: Mantissas of the ticks of a weight axis.
_ROUND_STEPS = (1.0, 2.0, 5.0)
#: Normal quantile of a two-sided 95% band.
Z95 = 1.959963984540054

ALPHA_LABEL = "class weight α on the positive class"
SCORE_LABELS: dict[str, str] = {
    "f1": "F1",
    "balanced_accuracy": "balanced accuracy",
    "precision": "precision",
    "recall": "recall x",
    "specificity": "specificity z",
}


def new_figure(figsize: tuple[float, float] = FIGSIZE) -> Figure:
    """A figure with constrained layout at :data:`DPI`, detached from pyplot.

    The size is at least :data:`FIGSIZE` in each direction, so that a saved PNG is at least
    1152 x 720 pixels.
    """
    width, height = figsize
    return Figure(
        figsize=(max(width, FIGSIZE[0]), max(height, FIGSIZE[1])), dpi=DPI, layout="constrained"
    )


def p_color(p: float) -> tuple[float, float, float, float]:
    """The RGBA colour of curve quality ``p`` (:data:`P_COLORMAP` under :data:`P_NORM`)."""
    return P_COLORMAP(P_NORM(p))


def add_p_colorbar(fig: Figure, ax: Axes | list[Axes]) -> mpl.colorbar.Colorbar:
    """A log-scaled colour bar for p beside ``ax``, ticked at round values."""
    bar = fig.colorbar(mpl.cm.ScalarMappable(norm=P_NORM, cmap=P_COLORMAP), ax=ax)
    bar.set_label("curve quality p")
    ticks = [t for t in (2, 3, 5, 10, 20, 40) if P_NORM.vmin <= t <= P_NORM.vmax * 1.01]
    bar.set_ticks(ticks, labels=[f"{t:g}" for t in ticks])
    bar.ax.minorticks_off()
    return bar


def separation_norm(seps: ArrayLike) -> mpl.colors.Normalize:
    """The colour normalisation of class_sep over all of a run's ``seps``."""
    seps = np.asarray(seps, dtype=np.float64)
    return mpl.colors.Normalize(vmin=float(np.min(seps)), vmax=float(np.max(seps)))


def separation_color(class_sep: float, seps: ArrayLike) -> tuple[float, float, float, float]:
    """The RGBA colour of ``class_sep`` among all of a run's ``seps``."""
    return mpl.colormaps[SEPARATION_COLORMAP](separation_norm(seps)(class_sep))


def add_separation_colorbar(fig: Figure, ax: Axes | list[Axes], seps: ArrayLike) -> None:
    """A colour bar for class_sep beside ``ax``."""
    bar = fig.colorbar(
        mpl.cm.ScalarMappable(norm=separation_norm(seps), cmap=SEPARATION_COLORMAP), ax=ax
    )
    bar.set_label("class_sep")


def alpha_axis(ax: Axes, low: float, high: float) -> None:
    """Make the x axis a log axis of weights from ``low`` to ``high``, ticked 1, 2, 5, 10, ..."""
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    decades = 10.0 ** np.arange(np.floor(np.log10(low)), np.ceil(np.log10(high)) + 1)
    ticks = [
        t
        for t in np.outer(decades, _ROUND_STEPS).ravel()
        if low <= t * 1.0001 and t <= high * 1.0001
    ]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(StrMethodFormatter("{x:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())


def mark_inverse_weight(ax: Axes, beta: float, *, label_y: float = 0.02) -> None:
    """A dotted vertical line (``gid`` ``"inverse-weight"``) at ``(1 - beta) / beta``, labelled.

    ``label_y`` is the label's height in axes fraction.
    """
    inverse = (1.0 - beta) / beta
    ax.axvline(inverse, color=INVERSE_COLOR, ls=":", lw=1.4, zorder=1, gid="inverse-weight")
    ax.annotate(
        f"(1−β)/β = {inverse:.3g}",
        xy=(inverse, label_y),
        xycoords=("data", "axes fraction"),
        xytext=(-4, 0),
        textcoords="offset points",
        ha="right",
        va="bottom",
        color=INVERSE_COLOR,
    )


def require_columns(summary: pd.DataFrame, columns: Iterable[str], owner: str) -> None:
    """Raise ValueError naming the columns ``summary`` lacks, or if it has no rows.

    Raises
    ------
    ValueError
        ``The summary passed to <owner> lacks the columns 'a', 'b'.`` or ``... has no rows.``
    """
    missing = [c for c in columns if c not in summary.columns]
    if missing:
        names = ", ".join(repr(c) for c in missing)
        raise ValueError(f"The summary passed to {owner} lacks the columns {names}.")
    if len(summary) == 0:
        raise ValueError(f"The summary passed to {owner} has no rows.")
