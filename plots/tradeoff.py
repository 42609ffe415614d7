"""Figure 1: the post's family of tradeoff curves, and where two weights land on them."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

import theory
from params.post import BETA, THEORY_P
from plots._style import CHANCE_COLOR, add_p_colorbar, new_figure, p_color

__all__ = ["plot_tradeoff_curves"]

#: Points along each curve.
_CURVE_POINTS = 400


def plot_tradeoff_curves(
    p: ArrayLike = THEORY_P,
    *,
    beta: float | None = BETA,
    rule: str = "bce",
    ax: Axes | None = None,
) -> Figure:
    """The superellipses ``z = (1 - x**p)**(1/p)``: the chance line ``p = 1`` in red, the rest by p.

    Parameters
    ----------
    p : array_like, default :data:`params.post.THEORY_P`
        Shape parameters (each >= 1) of the curves drawn besides the chance line, which is always
        drawn.
    beta : float or None, default 0.01
        Prevalence of the positive class. Unless None, each curve carries two markers: the
        operating point of unweighted training (``alpha = 1``, circle) and of the
        inverse-proportion weight (``alpha = (1 - beta) / beta``, square) under ``rule``.
    rule : {"bce", "bayes"}, default "bce"
        How a weight picks the operating point (see :data:`theory.RULES`).
    ax : Axes, optional
        Draw into this axes instead of a new figure (no colour bar is added then).

    Returns
    -------
    Figure
        One axes with ``1 + len(p)`` curve lines: the chance line (``gid`` ``"chance"``), then
        one per ``p`` in order (``gid`` ``"p=<p>"``); with ``beta``, two more lines holding the
        markers, ``gid`` ``"alpha=1"`` and ``"alpha=inverse"``.
    """
    p = np.atleast_1d(np.asarray(p, dtype=np.float64))
    own = ax is None
    if own:
        fig = new_figure((8.0, 6.0))
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    x = np.linspace(0.0, 1.0, _CURVE_POINTS)
    ax.plot(x, 1.0 - x, color=CHANCE_COLOR, lw=2.2, label="p = 1 (chance)", gid="chance")
    curve = theory.Superellipse(p)
    for value in p:
        ax.plot(
            x,
            theory.Superellipse(value).specificity(x),
            color=p_color(value),
            lw=1.5,
            gid=f"p={value:g}",
        )
    if beta is not None:
        inverse = float(theory.inverse_proportion_weight(beta))
        for alpha, marker, name, gid in (
            (1.0, "o", "α = 1", "alpha=1"),
            (inverse, "s", f"α = (1−β)/β = {inverse:.3g}", "alpha=inverse"),
        ):
            xs, zs = theory.operating_point(alpha, beta, curve, rule=rule)
            ax.plot(
                xs,
                zs,
                ls="none",
                marker=marker,
                ms=5.5,
                mfc="white",
                mec="black",
                mew=1.1,
                label=f"{name} ({rule} rule, β = {beta:g})",
                gid=gid,
            )
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.0, 1.0)
    ax.set_aspect("equal")
    ax.set_xlabel("recall x = P(ŷ = 1 | y = 1)")
    ax.set_ylabel("specificity z = P(ŷ = 0 | y = 0)")
    ax.set_title(r"Tradeoff curves $z = (1 - x^p)^{1/p}$, $p \geq 1$")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="lower left", fontsize="small", framealpha=0.9)
    if own:
        add_p_colorbar(fig, ax)
    return fig
