"""The retraining study's figure: what the prediction said retraining would do, and what it did.

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

__all__ = ["plot_retraining"]

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
