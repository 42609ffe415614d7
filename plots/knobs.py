"""The knobs compared: weighting, undersampling and oversampling on one equivalent-weight axis.

:func:`plot_knobs` takes the per-cell summaries of runs that differ only in ``knob``
(:mod:`simulate.data.resample`), per model, and draws their mean F1 and recall against the weight
each value amounts to (``knobs``).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from plots._style import ALPHA_LABEL, alpha_axis, new_figure, require_columns

__all__ = ["KNOB_STYLES", "plot_knobs"]

#: Colour, marker and line of each knob (the weight wide and grey, so that oversampling, which
#: often lies on it, shows).
KNOB_STYLES: dict[str, dict[str, object]] = {
    "weight": {"color": "0.55", "marker": "o", "ls": "-", "lw": 4.0, "zorder": 1},
    "undersample": {"color": "tab:red", "marker": "v", "ls": "-", "lw": 1.5, "zorder": 3},
    "oversample": {"color": "tab:blue", "marker": "^", "ls": "--", "lw": 1.5, "zorder": 3},
}
_SCORES = (("f1", "mean F1"), ("recall", "mean recall"))


def plot_knobs(summaries: Mapping[tuple[str, str], pd.DataFrame]) -> Figure:
    """Mean F1 and recall against the equivalent weight, one line per knob, one column per model.

    Parameters
    ----------
    summaries : mapping of (str, str) to DataFrame
        Per (model, knob), a run's per-cell summary (:func:`simulate.analysis.summary.per_cell`):
        alpha, f1_mean, recall_mean. Each line is the mean over the run's class_seps.

    Returns
    -------
    Figure
        Top row F1, bottom row recall; the x axis is the weight, which a resampling knob reaches
        by resampling to the positive fraction ``alpha beta / (alpha beta + 1 - beta)``.
    """
    if not summaries:
        raise ValueError("No run to draw: give at least one (model, knob) summary.")
    models = list(dict.fromkeys(model for model, _ in summaries))
    figure = new_figure((5.0 * len(models) + 1.0, 8.0))
    axes = figure.subplots(2, len(models), sharex=True, squeeze=False)
    low, high = float("inf"), 0.0
    for (model, knob), summary in summaries.items():
        require_columns(summary, ("alpha", "f1_mean", "recall_mean"), f"plot_knobs ({model})")
        means = summary.groupby("alpha", sort=True)[["f1_mean", "recall_mean"]].mean()
        column = models.index(model)
        for row, (score, _) in enumerate(_SCORES):
            axes[row, column].plot(
                means.index, means[f"{score}_mean"], ms=4, label=knob, **KNOB_STYLES[knob]
            )
        low, high = min(low, float(means.index.min())), max(high, float(means.index.max()))
    for column, model in enumerate(models):
        axes[0, column].set_title(model)
        for row, (_, label) in enumerate(_SCORES):
            axes[row, column].set_ylabel(label)
        alpha_axis(axes[1, column], low, high)
        axes[1, column].set_xlabel(f"{ALPHA_LABEL} (or the resampling it amounts to)")
    handles = [
        Line2D([], [], label=knob, **style)
        for knob, style in KNOB_STYLES.items()
        if any(k == knob for _, k in summaries)
    ]
    axes[0, 0].legend(handles=handles, fontsize=8)
    return figure
