"""The what-if of a model one has: its curve, where each weight lands, and what that scores."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

import theory
from plots._style import (
    ALPHA_LABEL,
    CHANCE_COLOR,
    OPTIMUM_MARKER,
    SCORE_LABELS,
    alpha_axis,
    new_figure,
)

__all__ = ["plot_what_if_scores"]

#: Weights at which the predicted scores are drawn as lines.
_LINE_POINTS = 200
#: Decades the score panel reaches beyond the weights asked about.
_MARGIN_DECADES = 0.5
#: Scores drawn against the weight.
_SCORES = ("f1", "balanced_accuracy")
_SCORE_STYLES = {"f1": {"color": "tab:blue"}, "balanced_accuracy": {"color": "tab:orange"}}


def plot_what_if_scores(
    y_true: ArrayLike,
    y_score: ArrayLike,
    *,
    alpha: ArrayLike,
    pos_label: object = None,
    **options: Any,
) -> Figure:
    """A model's curve with the point each weight lands on, beside the scores it predicts.

    Parameters
    ----------
    y_true, y_score : array_like
        The model's validation rows, as for :func:`theory.what_if_scores`.
    alpha : array_like
        The new weights asked about; each is marked on both panels.
    pos_label : optional
        The positive label, unless the labels are 0/1 or booleans.
    **options
        ``beta``, ``alpha_observed``, ``threshold``, ``rule``, ``gamma``, ``smooth``: as for
        :func:`theory.what_if_scores`.

    Returns
    -------
    Figure
        Left axes: the ROC points (``gid`` ``"roc"``), their convex hull (``"hull"``), the
        smoothed curve if any (``"smoothed"``), the model now (``"observed"``) and the predicted
        point of each weight (``"predicted"``), as recall x against specificity z. Right axes:
        the predicted F1 and balanced accuracy against the weight (``"f1"``,
        ``"balanced_accuracy"``, the weights asked about marked as ``"<score>-asked"``), and on a
        second y axis the threshold that reaches the same point without retraining
        (``"threshold"``).

    Raises
    ------
    ValueError
        As :func:`theory.what_if_scores`.
    """
    asked = np.atleast_1d(np.asarray(alpha, dtype=np.float64))
    low = np.log10(min(asked.min(), options.get("alpha_observed", 1.0))) - _MARGIN_DECADES
    high = np.log10(max(asked.max(), options.get("alpha_observed", 1.0))) + _MARGIN_DECADES
    weights = np.logspace(low, high, _LINE_POINTS)
    line = theory.what_if_scores(y_true, y_score, weights, pos_label=pos_label, **options)
    marks = theory.what_if_scores(y_true, y_score, asked, pos_label=pos_label, **options)
    smooth = line.estimator if line.estimator in theory.empirical.SMOOTHERS else None
    curve = theory.EmpiricalCurve.from_scores(y_true, y_score, pos_label=pos_label, smooth=smooth)

    fig = new_figure((13.0, 5.4))
    roc_axes, score_axes = fig.subplots(1, 2, width_ratios=(1.0, 1.5))
    grid = np.linspace(0.0, 1.0, 401)
    roc_axes.plot(grid, 1.0 - grid, color=CHANCE_COLOR, lw=1.2, ls="--", label="chance")
    roc_axes.plot(
        curve.roc.recall, curve.roc.specificity, color="0.65", lw=0.8, gid="roc", label="ROC"
    )
    roc_axes.plot(
        curve.hull.recall,
        curve.hull.specificity,
        color="black",
        lw=1.2,
        marker=".",
        ms=4,
        gid="hull",
        label="convex hull",
    )
    if curve.fitted is not None:
        roc_axes.plot(
            grid, curve.specificity(grid), color="tab:green", lw=1.4, gid="smoothed",
            label=f"smoothed ({smooth})",
        )  # fmt: skip
    observed = marks.observed
    roc_axes.plot(
        observed["recall"],
        observed["specificity"],
        ls="none",
        marker="*",
        ms=14,
        mfc="gold",
        mec="black",
        gid="observed",
        label=f"now (threshold {observed['threshold']:g})",
    )
    roc_axes.plot(
        marks.table["recall"],
        marks.table["specificity"],
        **OPTIMUM_MARKER,
        ms=7,
        gid="predicted",
        label="predicted, per weight",
    )
    for row in marks.table.itertuples():
        roc_axes.annotate(
            f"α={row.alpha:.3g}",
            (row.recall, row.specificity),
            xytext=(5, 4),
            textcoords="offset points",
            fontsize="small",
        )
    roc_axes.set(xlim=(0, 1), ylim=(0, 1.02), aspect="equal", xlabel="recall x",
                 ylabel="specificity z", title="the model's curve")  # fmt: skip
    roc_axes.grid(True, alpha=0.3)
    roc_axes.legend(loc="lower left", fontsize="small")

    for name in _SCORES:
        label = SCORE_LABELS.get(name, name)
        score_axes.plot(weights, line.table[name], lw=1.8, gid=name, label=label,
                        **_SCORE_STYLES[name])  # fmt: skip
        score_axes.plot(marks.table["alpha"], marks.table[name], ls="none", marker="o", ms=6,
                        gid=f"{name}-asked", **_SCORE_STYLES[name])  # fmt: skip
    alpha_axis(score_axes, weights[0], weights[-1])
    score_axes.set_xlabel(ALPHA_LABEL)
    score_axes.set_ylabel("predicted score")
    score_axes.grid(True, which="major", alpha=0.3)
    thresholds = score_axes.twinx()
    thresholds.plot(weights, line.table["threshold"], color="0.35", lw=1.2, ls=":",
                    gid="threshold", label="equivalent threshold")  # fmt: skip
    thresholds.set_ylabel("threshold that does the same without retraining")
    handles = score_axes.get_legend_handles_labels()[0] + thresholds.get_lines()
    score_axes.legend(handles=handles, loc="best", fontsize="small")
    beta = options.get("beta")
    score_axes.set_title(
        "predicted at β = " + (f"{beta:g}" if beta is not None else "the labels' prevalence")
    )
    fig.suptitle(f"What a new weight does: {options.get('rule', 'bayes')} rule")
    return fig
