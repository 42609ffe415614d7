"""How far each model moves when its weight changes: the movement exponent ``k`` per class_sep.

:func:`plot_movement` takes, per model, the table of
:func:`simulate.studies.comparison.movement_tables` (``k`` from a sweep's mean operating
points, :func:`simulate.analysis.movement.movement_exponents`) and draws ``k`` against class_sep,
one line per model, with ``k = 1`` (the theory's model) dashed and ``k = 0`` (a model the weight
does not move) solid grey (``movement``).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure

from plots._style import Z95, new_figure, require_columns
from plots.models import model_colors

__all__ = ["plot_movement"]


def plot_movement(tables: Mapping[str, pd.DataFrame]) -> Figure:
    """The movement exponent ``k`` against class_sep, one line per model.

    Parameters
    ----------
    tables : mapping of str to DataFrame
        Per model, :func:`simulate.analysis.movement.movement_exponents` of its sweep:
        class_sep, k, k_se.

    Returns
    -------
    Figure
        One panel: ``k`` against class_sep per model (lines with ``gid`` ``"k-<model>"``, their
        95% band from ``k_se`` shaded), a dashed line at ``k = 1`` (``gid`` ``"theory"``) and a
        grey one at ``k = 0`` (``"still"``).

    Raises
    ------
    ValueError
        If there is no table, or one lacks a column or has no rows.
    """
    if not tables:
        raise ValueError("No model's movement exponents to draw: give at least one.")
    for model, table in tables.items():
        require_columns(table, ("class_sep", "k", "k_se"), f"plot_movement ({model})")
    colors = model_colors(list(tables))
    figure = new_figure((9.0, 5.5))
    ax = figure.subplots()
    ax.axhline(
        1.0, color="black", ls="--", lw=1.2, gid="theory", label="k = 1: moves as the theory says"
    )
    ax.axhline(0.0, color="0.5", lw=0.8, gid="still", label="k = 0: the weight does not move it")
    for model, table in tables.items():
        rows = table.sort_values("class_sep")
        ax.plot(
            rows["class_sep"],
            rows["k"],
            color=colors[model],
            marker="o",
            ms=3,
            gid=f"k-{model}",
            label=model,
        )
        half = Z95 * rows["k_se"].fillna(0.0)
        ax.fill_between(
            rows["class_sep"],
            rows["k"] - half,
            rows["k"] + half,
            color=colors[model],
            alpha=0.15,
            lw=0,
        )
    ax.grid(True, which="major", alpha=0.3)
    ax.set_xlabel("class_sep")
    ax.set_ylabel("movement exponent k: moves as if weighted α**k (band: 95%)")
    ax.set_title("How far each model moves: k from the mean operating points (binormal, bayes)")
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5))
    return figure
