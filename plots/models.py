"""The models study: which rule describes which model, and how well the theory predicts each.

- :func:`plot_rule_fit`: per model, the RMSE between each rule's F1 on the curve fitted to each
  class_sep and the simulated F1 (``rule_fit``; numbers from
  :func:`simulate.studies.comparison.rule_fit`);
- :func:`plot_prediction_error`: per probabilistic model, the error of the theory's prediction
  of every weight from the ``alpha = 1`` model's validation scores (``prediction_error``;
  numbers from :func:`simulate.analysis.summary.prediction_error`).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from plots._style import ALPHA_LABEL, alpha_axis, new_figure, require_columns

__all__ = ["model_colors", "plot_prediction_error", "plot_rule_fit"]

_RULES = ("bce", "bayes")
_RULE_LINES = {"bce": "-", "bayes": "--"}


#: Colours of the probabilistic models, the same in every figure whichever other models it
#: shows; the labels of trees with their leaf limit (``tree, min_samples_leaf 20``,
#: ``tree-proba-leaf20``) take :data:`_TREE_COLORS` in order.
_MODEL_COLORS = {
    "logreg": "tab:purple",
    "hgb": "tab:brown",
    "mlp": "tab:pink",
    "tree-proba": "tab:gray",
    "xgboost": "tab:olive",
    "lightgbm": "tab:cyan",
}
_TREE_COLORS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "navy", "gold")


def model_colors(models: list[str]) -> dict[str, str]:
    """One colour per model label: fixed for ``logreg``, ``hgb``, ``mlp``, ``tree-proba``,
    ``xgboost`` and ``lightgbm``, and for the other labels (trees, ``tree-proba-leaf20``) the next
    of a fixed sequence, in the given order."""
    others = iter(_TREE_COLORS * (1 + len(models) // len(_TREE_COLORS)))
    return {model: _MODEL_COLORS.get(model) or next(others) for model in models}


def plot_rule_fit(table: pd.DataFrame, *, family: str = "binormal") -> Figure:
    """Which rule describes which model: RMSE of each rule's F1 against the simulated F1.

    Parameters
    ----------
    table : DataFrame
        :func:`simulate.studies.comparison.rule_fit`'s table: model, family, rule, class_sep, rmse.
    family : str, default "binormal"
        The curve family of the left panel (the right one pools every class_sep, per family).

    Returns
    -------
    Figure
        Left: RMSE against class_sep, one colour per model, bce solid and bayes dashed. Right:
        the RMSE pooled over class_sep, per model and rule, on each family.
    """
    require_columns(table, ("model", "family", "rule", "class_sep", "rmse"), "plot_rule_fit")
    models = list(dict.fromkeys(table["model"]))
    families = list(dict.fromkeys(table["family"]))
    if family not in families:
        raise ValueError(f"The rule-fit table has no rows of the family {family!r}.")
    colors = model_colors(models)
    figure = new_figure((13.0, 5.5))
    left, right = figure.subplots(1, 2, width_ratios=[1.2, 1])
    for model in models:
        for rule in _RULES:
            rows = table[(table["model"] == model) & (table["family"] == family)]
            rows = rows[rows["rule"] == rule].sort_values("class_sep")
            left.plot(
                rows["class_sep"],
                rows["rmse"],
                color=colors[model],
                ls=_RULE_LINES[rule],
                marker="o",
                ms=3,
            )
    left.set_xlabel("class_sep")
    left.set_ylabel("RMSE of F1 over the weights")
    left.set_title(f"Each rule on the {family} curve fitted per class_sep")
    left.set_ylim(bottom=0)
    handles = [Line2D([], [], color=colors[m], lw=2, label=m) for m in models]
    handles += [Line2D([], [], color="black", ls=_RULE_LINES[r], label=r) for r in _RULES]
    left.legend(handles=handles, fontsize=8, loc="upper left")

    pooled = (
        table.groupby(["model", "family", "rule"], sort=False)["rmse"]
        .apply(lambda rmse: float(np.sqrt(np.mean(rmse**2))))
        .reset_index()
    )
    width = 0.8 / (len(families) * len(_RULES))
    positions = np.arange(len(models))
    hatches = dict(zip(families, ("", "//", "..", "xx")[: len(families)], strict=False))
    for j, (family_name, rule) in enumerate(
        (family_name, rule) for family_name in families for rule in _RULES
    ):
        values = [
            pooled.loc[
                (pooled["model"] == m)
                & (pooled["family"] == family_name)
                & (pooled["rule"] == rule),
                "rmse",
            ].iloc[0]
            for m in models
        ]
        right.bar(
            positions - 0.4 + (j + 0.5) * width,
            values,
            width,
            color=[colors[m] for m in models],
            alpha=1.0 if rule == "bce" else 0.45,
            hatch=hatches.get(family_name, ""),
            edgecolor="black",
            lw=0.5,
            label=f"{family_name}, {rule}",
        )
    right.set_xticks(positions, models, rotation=25, ha="right", fontsize=8)
    right.set_ylabel("RMSE of F1, pooled over class_sep")
    right.set_ylim(0.0, 1.35 * float(pooled["rmse"].max()))  # room for the legend
    right.set_title("Pooled: solid bce, pale bayes; hatching the family")
    right.legend(fontsize=7, ncol=2)
    return figure


def plot_prediction_error(errors: Mapping[str, pd.DataFrame]) -> Figure:
    """How well the theory predicts each weight from the ``alpha = 1`` model's validation scores.

    Parameters
    ----------
    errors : mapping of str to DataFrame
        Per model, :func:`simulate.analysis.summary.prediction_error` of its sweep: predictor,
        alpha, f1_mae, f1_bias, recall_mae, recall_bias.

    Returns
    -------
    Figure
        One column per rule (the predictors bce and bayes); top: mean absolute error of the
        predicted F1 (solid) and recall (dotted) against the weight; bottom: the bias (predicted
        minus real) of F1 and recall.
    """
    if not errors:
        raise ValueError("No model's prediction error to draw: give at least one.")
    colors = model_colors(list(errors))
    figure = new_figure((13.0, 8.0))
    axes = figure.subplots(2, len(_RULES), sharex=True, squeeze=False)
    alphas = pd.concat([table["alpha"] for table in errors.values()])
    for model, table in errors.items():
        require_columns(
            table,
            ("predictor", "alpha", "f1_mae", "f1_bias", "recall_mae", "recall_bias"),
            f"plot_prediction_error ({model})",
        )
        for column, rule in enumerate(_RULES):
            rows = table[table["predictor"] == rule].sort_values("alpha")
            for row, kind in enumerate(("mae", "bias")):
                ax = axes[row, column]
                ax.plot(rows["alpha"], rows[f"f1_{kind}"], color=colors[model], marker="o", ms=3)
                ax.plot(rows["alpha"], rows[f"recall_{kind}"], color=colors[model], ls=":")
    for column, rule in enumerate(_RULES):
        axes[0, column].set_title(f"Predicted under the {rule} rule")
        axes[0, column].set_ylabel("mean absolute error")
        axes[0, column].set_ylim(bottom=0)
        axes[1, column].set_ylabel("bias (predicted - real)")
        axes[1, column].axhline(0.0, color="0.5", lw=0.8)
        alpha_axis(axes[1, column], float(alphas.min()), float(alphas.max()))
        axes[1, column].set_xlabel(ALPHA_LABEL)
    handles = [Line2D([], [], color=colors[m], lw=2, label=m) for m in errors]
    handles += [
        Line2D([], [], color="black", marker="o", ms=3, label="F1"),
        Line2D([], [], color="black", ls=":", label="recall"),
    ]
    axes[0, 0].legend(handles=handles, fontsize=8)
    return figure
