"""Error costs: the weight that minimises the expected cost, under each rule, on a few curves."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike

import theory
from params.post import BETA
from plots._style import INVERSE_COLOR, RULE_STYLES, new_figure
from theory.curves import Curve
from theory.studies import COST_RATIOS, cost_optimal_weights

__all__ = ["plot_cost_weights"]

#: Colours of the curves, in the order given.
_CURVE_COLORS = ("tab:blue", "tab:orange", "tab:green")


def plot_cost_weights(
    ratio: ArrayLike = COST_RATIOS,
    curves: dict[str, Curve] | None = None,
    *,
    beta: float = BETA,
) -> Figure:
    """The least-cost weight against the price ratio ``c_fn / c_fp``, per rule and curve.

    Parameters
    ----------
    ratio, curves, beta
        As for :func:`theory.studies.cost_optimal_weights`, which computes the numbers drawn.

    Returns
    -------
    Figure
        One log-log axes: per curve and rule a line with ``gid`` ``"<rule>-<curve label>"``
        (x-data the ratios, y-data the weights; an optimum at the edge of the search is left
        out), the bayes rule's lines on the diagonal ``alpha = c_fn / c_fp``, and a vertical
        line at the inverse-proportion weight (``gid`` ``"inverse-weight"``).
    """
    table = cost_optimal_weights(ratio, curves, beta=beta)
    styles = {**RULE_STYLES, "focal": {"color": "black", "ls": ":", "lw": 1.8}}
    fig = new_figure((8.5, 6.0))
    ax = fig.add_subplot()
    labels = list(dict.fromkeys(table["curve"]))
    for color, label in zip(_CURVE_COLORS, labels, strict=False):
        for rule, rows in table[table["curve"] == label].groupby("rule", sort=False):
            kept = rows[~rows["at_edge"]]
            style = styles[rule] | {"color": color}
            ax.plot(kept["ratio"], kept["alpha"], **style, marker=".", gid=f"{rule}-{label}")
    inverse = float(theory.inverse_proportion_weight(beta))
    ax.axvline(inverse, color=INVERSE_COLOR, ls=":", lw=1.2, gid="inverse-weight")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="price of a false negative over that of a false positive, c_fn / c_fp",
        ylabel="weight α with the least expected cost",
        title=f"The weight that minimises c_fn·FN + c_fp·FP, β = {beta:g}",
    )
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(
        handles=[
            *(
                Line2D([], [], color=color, lw=1.6, label=label)
                for color, label in zip(_CURVE_COLORS, labels, strict=False)
            ),
            Line2D([], [], **RULE_STYLES["bayes"], label="bayes rule: α = c_fn / c_fp"),
            Line2D([], [], **RULE_STYLES["bce"], label="bce rule"),
            Line2D([], [], **styles["focal"], label="focal rule, γ = 2"),
            Line2D([], [], color=INVERSE_COLOR, ls=":", lw=1.2, label=f"(1−β)/β = {inverse:g}"),
        ],
        fontsize="small",
    )
    return fig
