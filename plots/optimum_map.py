"""Figure 6: the best class weight for F1 over prevalence and curve quality, for both rules."""

from __future__ import annotations

import numpy as np
from matplotlib.axis import Axis
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, NullLocator, StrMethodFormatter
from numpy.typing import ArrayLike

from params.post import BETA
from plots._style import INVERSE_COLOR, SCORE_LABELS, new_figure
from theory.studies import MAP_BETA, MAP_P, optimal_alpha_grid

__all__ = ["MAP_ALPHA_MAX", "plot_optimal_alpha_map"]

#: Weights at which contour lines are drawn and labelled.
_CONTOURS = (1.05, 1.2, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0, 100.0, 300.0, 1000.0)
#: Inverse-proportion weights ticked on the top axis.
_INVERSE_TICKS = (1, 3, 10, 30, 100, 300, 999)
#: Largest weight the colour scale distinguishes; larger ones take its darkest colour.
MAP_ALPHA_MAX = 300.0
#: Filled contour levels between 1 and MAP_ALPHA_MAX.
_FILL_LEVELS = 31
#: Contour lines from this weight on lie on dark fill and are drawn white.
_DARK_FROM = 20.0
_BETA_TICKS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5)
_P_TICKS = (1.2, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0, 100.0)
_BAR_TICKS = (1, 1.5, 2, 3, 5, 10, 20, 50, 100, 300)
_ROUND = StrMethodFormatter("{x:g}")
#: Colour map of the best weight.
_ALPHA_COLORMAP = "magma_r"
_RULE_TITLES = {"bce": "bce rule (expected weighted BCE)", "bayes": "bayes rule (threshold 1/2)"}


def plot_optimal_alpha_map(
    *,
    beta: ArrayLike = MAP_BETA,
    p: ArrayLike = MAP_P,
    metric: str = "f1",
    rules: tuple[str, ...] = ("bce", "bayes"),
    mark_beta: float | None = BETA,
) -> Figure:
    """The best weight ``alpha*`` for ``metric`` over ``(beta, p)``, one panel per rule.

    Filled contours colour ``alpha*`` on a log scale shared by the panels (from 1 to
    :data:`MAP_ALPHA_MAX`, darker beyond), and labelled lines trace round values. The top axis of
    each panel reads the inverse-proportion weight ``(1 - beta) / beta`` at the same ``beta``, so
    the best weight can be compared with it column by column.

    Parameters
    ----------
    beta : array_like, default :data:`theory.studies.MAP_BETA`
        Prevalences (x axis, log), in (0, 1), increasing.
    p : array_like, default :data:`theory.studies.MAP_P`
        Superellipse qualities (y axis, log), each >= 1, increasing.
    metric : str, default "f1"
        The score whose best weight is mapped.
    rules : tuple of str, default ("bce", "bayes")
        One panel per rule, left to right.
    mark_beta : float or None, default 0.01
        Draw a dashed vertical line at this prevalence (the post's), unless None.

    Returns
    -------
    Figure
        ``len(rules)`` map axes, in the order of ``rules``, and a colour bar. The numbers
        behind each map are :func:`theory.studies.optimal_alpha_grid` of the same arguments.

    Raises
    ------
    ValueError
        For values out of range or an unknown metric or rule (from :mod:`theory`).
    """
    beta = np.asarray(beta, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    grids = {rule: optimal_alpha_grid(beta, p, metric=metric, rule=rule) for rule in rules}
    norm = LogNorm(vmin=1.0, vmax=MAP_ALPHA_MAX)
    levels = np.logspace(0.0, np.log10(MAP_ALPHA_MAX), _FILL_LEVELS)
    fig = new_figure((4.6 * len(rules) + 1.4, 5.4))
    axes = fig.subplots(1, len(rules), sharey=True, squeeze=False)[0]
    name = SCORE_LABELS.get(metric, metric)
    for ax, rule in zip(axes, rules, strict=True):
        grid = grids[rule]
        _log_axis(ax.xaxis, beta, _BETA_TICKS)
        _log_axis(ax.yaxis, p, _P_TICKS)
        filled = ax.contourf(
            beta, p, grid, levels=levels, norm=norm, cmap=_ALPHA_COLORMAP, extend="max"
        )
        shown = [c for c in _CONTOURS if np.nanmin(grid) < c < np.nanmax(grid)]
        filled.set_edgecolor("face")
        colors = ["0.15" if level < _DARK_FROM else "white" for level in shown]
        lines = ax.contour(beta, p, grid, levels=shown, colors=colors, linewidths=0.8)
        ax.clabel(lines, fmt=_ROUND, fontsize="small")
        ax.set_xlabel("prevalence β of the positive class")
        ax.set_title(f"best α for {name}, {_RULE_TITLES.get(rule, rule + ' rule')}")
        if mark_beta is not None:
            ax.axvline(mark_beta, color=INVERSE_COLOR, ls="--", lw=1.2)
        top = ax.secondary_xaxis("top")
        top.set_xticks(
            [1.0 / (1.0 + w) for w in _INVERSE_TICKS], labels=[f"{w:g}" for w in _INVERSE_TICKS]
        )
        top.xaxis.set_minor_locator(NullLocator())
        top.set_xlabel("inverse-proportion weight (1−β)/β")
    axes[0].set_ylabel("curve quality p")
    bar = fig.colorbar(filled, ax=list(axes))
    bar.set_label(f"best weight α* for {name}")
    bar.set_ticks([t for t in _BAR_TICKS if t <= MAP_ALPHA_MAX])
    bar.ax.yaxis.set_major_formatter(_ROUND)
    bar.ax.minorticks_off()
    return fig


def _log_axis(axis: Axis, values: np.ndarray, ticks: tuple[float, ...]) -> None:
    """Log scale over ``values``, ticked at the ``ticks`` inside them, labelled plainly."""
    axis.axes.set(**{f"{axis.axis_name}scale": "log"})
    inside = [t for t in ticks if values.min() <= t <= values.max()]
    axis.set_major_locator(FixedLocator(inside))
    axis.set_major_formatter(_ROUND)
    axis.set_minor_locator(NullLocator())
