"""The focal loss trained for real: where the models land, beside the theory's focal rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from plots._style import new_figure

__all__ = ["plot_focal_trained"]

#: The panels: the column of :func:`simulate.studies.focal.focal_table` simulated, the rule's,
#: the axis label and the title.
_PANELS = (
    ("recall_at_1", "theory_recall_at_1", "recall at α = 1", "(a) where α = 1 lands"),
    ("best_alpha", "theory_best_alpha", "best α for F1", "(b) the weight F1 wants"),
    ("gain", "theory_gain", "best F1 − the cross-entropy's", "(c) does a γ beat the weight?"),
)
#: Colours of the simulation and the rule.
_SIMULATED, _RULE = "black", "tab:red"


def plot_focal_trained(table: pd.DataFrame) -> Figure:
    """Per model, against the focal loss's gamma: the trained models' recall at ``alpha = 1``,
    best weight for F1 and best F1 over the cross-entropy's, beside the focal rule's.

    Parameters
    ----------
    table : DataFrame
        :func:`simulate.studies.focal.focal_table`'s rows.

    Returns
    -------
    Figure
        One row of three axes per model: each class_sep's simulated value (grey dots), their
        median (black, ``gid`` ``"<model>-<column>-simulated"``) and the rule's median on the
        fitted binormals (red dashed, ``"<model>-<column>-rule"``); in (c) the gain is the best
        F1 minus the cross-entropy's best (the sweep at gamma 0, and the bce rule on the same
        curve), 0 marked.
    """
    table = table.assign(
        gain=table["best_f1"] - table["best_f1_bce"],
        theory_gain=table["theory_best_f1"] - table["theory_best_f1_bce"],
    )
    models = list(table["model"].unique())
    fig = new_figure((12.0, 3.6 * len(models)))
    axes = np.atleast_2d(fig.subplots(len(models), len(_PANELS), sharex=True, squeeze=False))
    for row, model in zip(axes, models, strict=True):
        rows = table[table["model"] == model]
        medians = rows.groupby("gamma", sort=True).median(numeric_only=True)
        for ax, (simulated, rule, label, title) in zip(row, _PANELS, strict=True):
            ax.plot(rows["gamma"], rows[simulated], ".", color="0.7", ms=4)
            ax.plot(
                medians.index, medians[simulated], color=_SIMULATED, marker="o", lw=1.8,
                gid=f"{model}-{simulated}-simulated",
            )  # fmt: skip
            ax.plot(
                medians.index, medians[rule], color=_RULE, ls="--", marker="s", lw=1.5,
                gid=f"{model}-{simulated}-rule",
            )  # fmt: skip
            ax.set(ylabel=label, title=f"{model}: {title}")
            ax.grid(True, alpha=0.3)
        row[1].set_yscale("log")
        row[1].axhline(1.0, color="0.5", lw=0.9)
        row[2].axhline(0.0, color="0.5", lw=0.9)
    for ax in axes[-1]:
        ax.set_xlabel("focal loss γ (0 is the cross-entropy)")
    axes[0, -1].legend(
        handles=[
            Line2D([], [], color="0.7", marker=".", ls="", label="a class_sep, simulated"),
            Line2D([], [], color=_SIMULATED, marker="o", label="simulated, median"),
            Line2D([], [], color=_RULE, ls="--", marker="s", label="focal rule, median"),
        ],
        fontsize="small",
        loc="lower left",
    )
    fig.suptitle("The focal loss trained: the models beside the focal rule on their fitted curves")
    return fig
