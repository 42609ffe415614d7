"""The retraining study's figures: what the prediction said retraining would do, and what it did
(:func:`plot_retraining`), and how each predictor's error falls with the validation split's
positives (:func:`plot_error_by_positives`).

It takes the study's table (``summary.csv`` of ``python -m simulate.retraining``, see
:func:`simulate.studies.retraining.retraining_errors`).
"""

from __future__ import annotations

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from plots._style import SCORE_LABELS, alpha_axis, new_figure, require_columns
from simulate.analysis.prediction import PREDICTED_SCORES

__all__ = ["plot_error_by_positives", "plot_retraining"]

#: Colours of the data sets, in the order they appear in the summary.
_DATASET_COLORS = mpl.colormaps["tab10"].colors
#: Size in inches of one panel.
_PANEL_SIZE = (4.2, 3.2)


def plot_retraining(errors: pd.DataFrame, *, predictor: str = "threshold") -> Figure:
    """Mean predicted and mean real recall, specificity and F1 against the weight.

    One row of panels per model, one column per score; in each panel one colour per condition
    (data set or class_sep, prevalence, size), the real values after retraining solid with filled
    dots, the prediction from the ``alpha = 1`` model's validation scores dashed with open dots.
    Where the dashed line leaves the solid one, the prediction is biased.

    Parameters
    ----------
    errors : DataFrame
        The study's table (:func:`simulate.studies.retraining.retraining_errors`): ``model``,
        ``data``, ``predictor``, ``alpha``, ``predicted`` and ``<score>_predicted``,
        ``<score>_real`` for recall, specificity and f1.
    predictor : str, default "threshold"
        Which prediction to draw.

    Returns
    -------
    Figure
        A (models x 3) grid of axes; in each, per condition, a line with ``gid``
        ``"real:<data>"`` and one with ``gid`` ``"predicted:<data>"`` (x the weights, y the
        means).

    Raises
    ------
    ValueError
        If the table lacks a needed column or has no rows of ``predictor``.
    """
    columns = ["model", "data", "predictor", "alpha", "predicted"]
    columns += [f"{name}_{part}" for name in PREDICTED_SCORES for part in ("predicted", "real")]
    require_columns(errors, columns, "plot_retraining")
    rows = errors[errors["predictor"] == predictor]
    require_columns(rows, columns, f"plot_retraining (predictor {predictor!r})")
    labels = rows["data"]
    models, series = list(pd.unique(rows["model"])), list(pd.unique(labels))
    width, height = _PANEL_SIZE
    fig = new_figure((width * len(PREDICTED_SCORES), height * len(models)))
    axes = fig.subplots(len(models), len(PREDICTED_SCORES), squeeze=False, sharex=True)
    low, high = float(rows["alpha"].min()), float(rows["alpha"].max())
    for row_axes, model in zip(axes, models, strict=True):
        for ax, name in zip(row_axes, PREDICTED_SCORES, strict=True):
            for index, label in enumerate(series):
                cell = rows[(rows["model"] == model) & (labels == label)]
                color = _DATASET_COLORS[index % len(_DATASET_COLORS)]
                style = {"color": color, "lw": 1.6, "marker": "o", "ms": 4}
                ax.plot(cell["alpha"], cell[f"{name}_real"], **style, gid=f"real:{label}")
                ax.plot(
                    cell["alpha"],
                    cell[f"{name}_predicted"],
                    **style,
                    ls="--",
                    mfc="white",
                    gid=f"predicted:{label}",
                )
            alpha_axis(ax, low, high)
            ax.grid(True, which="major", alpha=0.3)
            ax.set_title(f"{model}: {SCORE_LABELS.get(name, name)}")
        row_axes[0].set_ylabel("mean on the test split")
    for ax in axes[-1]:
        ax.set_xlabel("class weight α the model is retrained with")
    handles = [
        Line2D([], [], color=_DATASET_COLORS[i % len(_DATASET_COLORS)], lw=1.6, label=label)
        for i, label in enumerate(series)
    ]
    handles += [
        Line2D([], [], color="black", marker="o", lw=1.6, label="real, after retraining"),
        Line2D([], [], color="black", marker="o", mfc="white", ls="--", label="predicted"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4))
    splits = int(rows["predicted"].max())
    fig.suptitle(
        f"Retraining at weight α: predicted from the α = 1 model's validation scores "
        f"({predictor}) against real, mean over up to {splits} splits"
    )
    return fig


def plot_error_by_positives(errors: pd.DataFrame, *, score: str = "f1") -> Figure:
    """Each predictor's error against the number of validation positives, one panel per model.

    Parameters
    ----------
    errors : DataFrame
        The study's table (:func:`simulate.studies.retraining.retraining_errors`): ``model``,
        ``data``, ``val_positives``, ``predictor``, ``alpha`` and ``<score>_mae``.
    score : str, default "f1"
        The score whose mean absolute error is drawn: ``recall``, ``specificity`` or ``f1``.

    Returns
    -------
    Figure
        One panel per model; in each, one line per predictor with ``gid`` ``"<predictor>"``:
        the mean absolute error over the weights other than 1, per condition, against the
        condition's mean validation positives (log axis), conditions sorted by them.

    Raises
    ------
    ValueError
        If the table lacks a needed column or holds no weight other than 1.
    """
    column = f"{score}_mae"
    require_columns(
        errors, ("model", "data", "val_positives", "predictor", "alpha", column), "plot_error"
    )
    moved = errors[errors["alpha"] != 1.0]
    if moved.empty:
        raise ValueError("The table passed to plot_error_by_positives has no weight but 1.")
    means = (
        moved.groupby(["model", "predictor", "data"], sort=False)
        .agg(positives=("val_positives", "first"), error=(column, "mean"))
        .reset_index()
    )
    models = list(pd.unique(means["model"]))
    predictors = list(pd.unique(means["predictor"]))
    width, height = _PANEL_SIZE
    fig = new_figure((width * len(models), height + 0.8))
    axes = fig.subplots(1, len(models), squeeze=False, sharey=True)[0]
    for ax, model in zip(axes, models, strict=True):
        for index, predictor in enumerate(predictors):
            rows = means[(means["model"] == model) & (means["predictor"] == predictor)]
            rows = rows.sort_values("positives")
            ax.plot(
                rows["positives"],
                rows["error"],
                color=_DATASET_COLORS[index % len(_DATASET_COLORS)],
                marker="o",
                ms=3,
                lw=1.2,
                gid=predictor,
                label=predictor,
            )
        ax.set_xscale("log")
        ax.grid(True, which="major", alpha=0.3)
        ax.set_title(model)
        ax.set_xlabel("validation positives (mean per split)")
    axes[0].set_ylabel(f"mean absolute error of {SCORE_LABELS.get(score, score)}")
    axes[0].set_ylim(bottom=0)
    fig.legend(
        *axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=len(predictors)
    )
    fig.suptitle(
        f"Predicting retraining: error of {SCORE_LABELS.get(score, score)} at the weights other "
        "than 1, against the validation split's positives"
    )
    return fig
