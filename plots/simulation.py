"""Figures 4, 5 and 7, and the test of the post's hunch: a run's per-cell summary, alone and
beside the theory.

Each function takes the per-cell table of a run (``summary.csv``, see
:func:`simulate.analysis.summary.per_cell`): columns ``class_sep``, ``alpha``, ``count`` and
``<score>_mean``, ``<score>_se`` for recall, specificity, precision, f1 and balanced_accuracy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

import theory
from plots._style import (
    ALPHA_LABEL,
    CHANCE_COLOR,
    OPTIMUM_MARKER,
    RULE_STYLES,
    SCORE_LABELS,
    Z95,
    add_separation_colorbar,
    alpha_axis,
    mark_inverse_weight,
    new_figure,
    require_columns,
    separation_color,
)
from simulate.analysis.summary import fit_separations, pooled_rmse, theory_gap

__all__ = [
    "DEFAULT_PANELS",
    "pick_separations",
    "plot_empirical_scores",
    "plot_operating_points",
    "plot_theory_gap",
    "plot_theory_vs_simulation",
]

#: Panels of :func:`plot_theory_vs_simulation` when no class_sep values are given.
DEFAULT_PANELS = 6
#: Points of each theory line across the run's weights.
_THEORY_POINTS = 200
#: Points along each fitted curve.
_CURVE_POINTS = 400
#: Room left below the lowest specificity in the zoomed operating-point panel.
_ZOOM_MARGIN = 0.15
#: Panels per row of :func:`plot_theory_vs_simulation` by number of panels (3 otherwise).
_PANEL_COLUMNS = {1: 1, 2: 2, 4: 2}
_RULES = ("bce", "bayes")
_RATE_COLUMNS = ("recall_mean", "specificity_mean")
#: Families fitted by :func:`plot_theory_gap`: the post's curve, and the asymmetric one it guessed.
_GAP_FAMILIES = ("superellipse", "asymmetric")
_GAP_COLORS = {"bce": "tab:blue", "bayes": "tab:orange"}
_GAP_STYLES = {"superellipse": "-", "asymmetric": "--"}


def plot_empirical_scores(
    summary: pd.DataFrame,
    *,
    beta: float | None = None,
    score: str = "f1",
) -> Figure:
    """Simulated mean ``score`` against alpha, one line per class_sep, with 95% bands.

    The post's empirical figure, and the figure ``python -m simulate`` saves with each run. A
    run on real data sets has one line per data set; a run with label noise, one panel per
    ``flip_y``.

    Parameters
    ----------
    summary : DataFrame
        A run's per-cell table.
    beta : float, optional
        The run's prevalence; marks the inverse-proportion weight ``(1 - beta) / beta``.
    score : str, default "f1"
        Which score to draw (``<score>_mean`` and ``<score>_se`` must be columns).

    Returns
    -------
    Figure
        One axes (per ``flip_y``) with a line (and a band) per class_sep, in increasing
        class_sep, and a colour bar for class_sep; or a line per data set and a legend.

    Raises
    ------
    ValueError
        If the summary lacks a needed column or has no rows.
    """
    line_key = "dataset" if "dataset" in summary.columns else "class_sep"
    require_columns(
        summary, (line_key, "alpha", f"{score}_mean", f"{score}_se"), "plot_empirical_scores"
    )
    noise = np.unique(summary["flip_y"]) if "flip_y" in summary.columns else [None]
    fig = new_figure((6.4 * len(noise), 4.8))
    axes = (
        [fig.add_subplot()] if len(noise) == 1 else list(fig.subplots(1, len(noise), sharey=True))
    )
    seps = summary["class_sep"].to_numpy() if line_key == "class_sep" else None
    names = list(dict.fromkeys(summary[line_key])) if seps is None else None
    for ax, flip_y in zip(axes, noise, strict=True):
        panel = summary if flip_y is None else summary[summary["flip_y"] == flip_y]
        for value, cell in panel.groupby(line_key, sort=True):
            color = separation_color(value, seps) if seps is not None else f"C{names.index(value)}"
            mean, half = cell[f"{score}_mean"], Z95 * cell[f"{score}_se"]
            label = f"{value:g}" if seps is not None else value
            ax.plot(cell["alpha"], mean, color=color, lw=1.6, label=label)
            ax.fill_between(cell["alpha"], mean - half, mean + half, color=color, alpha=0.2, lw=0)
        ax.set_xscale("log")
        ax.set_xlabel(ALPHA_LABEL)
        if flip_y is not None:
            ax.set_title(f"flip_y = {flip_y:g}")
    if seps is not None:
        add_separation_colorbar(fig, axes if len(axes) > 1 else axes[0], seps)
    else:
        axes[-1].legend(title="data set", fontsize="small")
    name = SCORE_LABELS.get(score, score)
    for ax in axes:
        ax.grid(True, which="major", alpha=0.3)
        alpha_axis(ax, float(summary["alpha"].min()), float(summary["alpha"].max()))
        if beta is not None:
            mark_inverse_weight(ax, beta, label_y=0.94)
        low, high = ax.get_ylim()
        ax.set_ylim(max(low, 0.0), min(high, 1.0))
    axes[0].set_ylabel(f"mean {name} on the test split")
    title = f"Simulated {name} against α{_run_note(summary, beta)}"
    if len(axes) == 1:
        axes[0].set_title(title if noise[0] is None else f"{title}, flip_y = {noise[0]:g}")
    else:
        fig.suptitle(title)
    return fig


def plot_theory_vs_simulation(
    summary: pd.DataFrame,
    *,
    beta: float,
    seps: Sequence[float] | None = None,
    score: str = "f1",
    family: str = "superellipse",
) -> Figure:
    """Per class_sep: the simulated score against alpha beside the theory under both rules.

    For each chosen class_sep the curve of ``family`` is fitted (:func:`theory.fit_curve`) to
    the simulated mean (recall, specificity) points across alpha; the theory's expected score
    on that curve is drawn for the ``"bce"`` rule (solid) and the ``"bayes"`` rule (dashed). The
    simulated best weight (star) and each rule's best weight (open circle) are marked.

    Parameters
    ----------
    summary : DataFrame
        A run's per-cell table.
    beta : float
        The run's prevalence.
    seps : sequence of float, optional
        The class_sep values to show, one panel each; by default :data:`DEFAULT_PANELS` values
        spread evenly over the run's (see :func:`pick_separations`).
    score : str, default "f1"
        The score to compare.
    family : {"superellipse", "asymmetric", "binormal"}, default "superellipse"
        The curve family fitted to each class_sep's operating points.

    Returns
    -------
    Figure
        One axes per class_sep, in increasing class_sep. Each holds lines with ``gid``
        ``"simulated"``, ``"theory-bce"``, ``"theory-bayes"``, ``"best-simulated"`` and
        ``"best-bce"``, ``"best-bayes"`` (the last two empty when the best weight lies outside
        the run's weights).

    Raises
    ------
    ValueError
        If the summary lacks a needed column or has no rows, or a class_sep is not in it.
    """
    owner = "plot_theory_vs_simulation"
    require_columns(
        summary,
        ("class_sep", "alpha", f"{score}_mean", f"{score}_se", *_RATE_COLUMNS),
        owner,
    )
    all_seps = np.unique(summary["class_sep"].to_numpy(dtype=np.float64))
    chosen = pick_separations(all_seps) if seps is None else np.asarray(seps, dtype=np.float64)
    unknown = [s for s in chosen if not np.any(np.isclose(all_seps, s))]
    if unknown:
        raise ValueError(
            f"The 'seps' parameter of {owner} must hold class_sep values of the summary "
            f"({', '.join(f'{s:g}' for s in all_seps)}). Got {unknown[0]:g} instead."
        )
    curves = fit_separations(summary, family=family)
    low, high = float(summary["alpha"].min()), float(summary["alpha"].max())
    alpha = np.logspace(np.log10(low), np.log10(high), _THEORY_POINTS)
    columns = _PANEL_COLUMNS.get(len(chosen), 3)
    rows = -(-len(chosen) // columns)
    fig = new_figure((3.5 * columns + 0.4, 3.0 * rows + 1.0))
    axes = fig.subplots(rows, columns, sharex=True, squeeze=False).ravel()
    name = SCORE_LABELS.get(score, score)
    for ax, class_sep in zip(axes, chosen, strict=False):
        key = all_seps[np.argmin(np.abs(all_seps - class_sep))]
        cell = summary[np.isclose(summary["class_sep"], key)].sort_values("alpha")
        color = separation_color(key, all_seps)
        mean = cell[f"{score}_mean"].to_numpy()
        half = Z95 * cell[f"{score}_se"].to_numpy()
        ax.fill_between(cell["alpha"], mean - half, mean + half, color=color, alpha=0.25, lw=0)
        ax.plot(cell["alpha"], mean, color=color, lw=1.8, marker=".", ms=6, gid="simulated")
        best = int(np.argmax(mean))
        ax.plot(
            cell["alpha"].iloc[best],
            mean[best],
            ls="none",
            marker="*",
            ms=13,
            mfc=color,
            mec="black",
            mew=0.8,
            zorder=4,
            gid="best-simulated",
        )
        curve = curves[key]
        for rule in _RULES:
            expected = theory.expected_score(alpha, beta, curve, metric=score, rule=rule)
            ax.plot(alpha, expected, **RULE_STYLES[rule], gid=f"theory-{rule}")
            optimum = theory.optimize_alpha(beta, curve, metric=score, rule=rule)
            inside = low <= float(optimum.alpha) <= high
            ax.plot(
                [float(optimum.alpha)] if inside else [],
                [float(optimum.score)] if inside else [],
                **OPTIMUM_MARKER,
                ms=6,
                zorder=4,
                gid=f"best-{rule}",
            )
        mark_inverse_weight(ax, beta, label_y=0.02)
        alpha_axis(ax, low, high)
        ax.set_title(f"class_sep = {key:g}, fitted {_curve_label(curve)}")
        ax.grid(True, which="major", alpha=0.3)
    for ax in axes[len(chosen) :]:
        ax.set_visible(False)
    for ax in axes[: len(chosen)][::columns]:
        ax.set_ylabel(name)
    for ax in axes[: len(chosen)][-columns:]:
        ax.set_xlabel("class weight α")
        ax.xaxis.set_tick_params(labelbottom=True)
    fig.legend(
        handles=_comparison_legend(),
        loc="outside lower center",
        ncols=5,
        frameon=False,
    )
    fig.suptitle(
        f"Simulated {name} (band: 95% of the mean) beside the theory on each class_sep's "
        f"fitted {family}, β = {beta:g}"
    )
    return fig


def plot_operating_points(
    summary: pd.DataFrame,
    *,
    beta: float | None = None,
    family: str = "superellipse",
    rule: str = "bce",
) -> Figure:
    """Simulated mean (recall, specificity) across alpha for each class_sep, with fitted curves.

    The left panel shows the whole unit square with the chance line; the right one zooms on the
    band of specificities the simulated points occupy. Each class_sep's points are joined in
    order of alpha, from an open circle (the smallest alpha) to a filled square (the largest).
    With ``beta``, the left panel also marks (cross) where the theory puts the largest alpha on
    each fitted curve, to compare with how far the simulated points actually move.

    Parameters
    ----------
    summary : DataFrame
        A run's per-cell table.
    beta : float, optional
        The run's prevalence; needed for the theory's crosses.
    family : {"superellipse", "asymmetric", "binormal"}, default "superellipse"
        The curve family fitted to each class_sep's points (:func:`theory.fit_curve`).
    rule : {"bce", "bayes"}, default "bce"
        The rule that places the theory's crosses.

    Returns
    -------
    Figure
        Two axes (whole square, zoom) and a colour bar for class_sep. In each of the two, per
        class_sep, a line with ``gid`` ``"points-<class_sep>"`` (x-data the mean recalls, y-data
        the mean specificities, in increasing alpha) and one with ``gid`` ``"fit-<class_sep>"``
        (the fitted curve); with ``beta``, the whole-square axes also holds a line with ``gid``
        ``"theory"``: the theory's operating points at the largest alpha, in increasing class_sep.

    Raises
    ------
    ValueError
        If the summary lacks a needed column or has no rows.
    """
    require_columns(summary, ("class_sep", "alpha", *_RATE_COLUMNS), "plot_operating_points")
    curves = fit_separations(summary, family=family)
    seps = np.array(sorted(curves))
    fig = new_figure((11.0, 5.4))
    whole, zoom = fig.subplots(1, 2, width_ratios=(1.0, 1.45))
    x = np.linspace(0.0, 1.0, _CURVE_POINTS)
    whole.plot(x, 1.0 - x, color=CHANCE_COLOR, lw=1.6, ls="--")
    for class_sep in seps:
        cell = summary[np.isclose(summary["class_sep"], class_sep)].sort_values("alpha")
        color = separation_color(class_sep, seps)
        recall, specificity = cell["recall_mean"].to_numpy(), cell["specificity_mean"].to_numpy()
        fitted = curves[class_sep].specificity(x)
        for ax in (whole, zoom):
            ax.plot(x, fitted, color=color, lw=1.0, alpha=0.8, gid=f"fit-{class_sep:g}")
            ax.plot(
                recall,
                specificity,
                color=color,
                lw=0.8,
                marker=".",
                ms=4,
                gid=f"points-{class_sep:g}",
            )
            ax.plot(
                recall[0],
                specificity[0],
                ls="none",
                marker="o",
                ms=6,
                mfc="white",
                mec=color,
                mew=1.3,
            )
            ax.plot(recall[-1], specificity[-1], ls="none", marker="s", ms=5, color=color)
    largest = float(summary["alpha"].max())
    if beta is not None:
        points = [theory.operating_point(largest, beta, curves[s], rule=rule) for s in seps]
        whole.plot(
            *np.array(points, dtype=np.float64).T,
            ls="none",
            marker="X",
            ms=7,
            mfc="white",
            mec="black",
            mew=0.9,
            zorder=4,
            gid="theory",
        )
    lowest = float(summary["specificity_mean"].min())
    bottom = max(0.0, lowest - _ZOOM_MARGIN * (1.0 - lowest))
    whole.set(xlim=(0, 1), ylim=(0, 1), aspect="equal", title="the whole square")
    zoom.set(xlim=(0, 1), ylim=(bottom, 1.0), title=f"zoom on z ≥ {bottom:.3g}")
    for ax in (whole, zoom):
        ax.set_xlabel("recall x")
        ax.grid(True, alpha=0.3)
    whole.set_ylabel("specificity z")
    zoom.set_ylabel("specificity z")
    whole.legend(
        handles=_operating_legend(summary, family, beta, rule), loc="lower left", fontsize="small"
    )
    add_separation_colorbar(fig, [whole, zoom], seps)
    fig.suptitle(
        f"Simulated mean operating points (x, z) across α, one path per class_sep, "
        f"with the fitted {family}s"
    )
    return fig


def plot_theory_gap(
    summary: pd.DataFrame, *, beta: float, class_sep: float | None = None
) -> Figure:
    """Whether an asymmetric curve explains the gap between the theory and the simulation.

    The post guessed that its simulated F1 differs from its theory because the real tradeoff
    curve is not symmetric. Each class_sep's mean operating points are fitted with the
    symmetric superellipse and with the asymmetric one (p and q free), and both rules are
    recomputed on each (:func:`simulate.analysis.summary.theory_gap`).

    Parameters
    ----------
    summary : DataFrame
        A run's per-cell table.
    beta : float
        The run's prevalence.
    class_sep : float, optional
        The separation of the first panel; by default the run's middle one.

    Returns
    -------
    Figure
        Three axes. (a) F1 against alpha at ``class_sep``: the simulated means (``gid``
        ``"simulated"``) and each rule on each fitted curve (``"theory-<family>-<rule>"``). (b)
        Per class_sep, the RMSE of each rule on each fitted curve against the simulated mean F1
        (``"rmse-<family>-<rule>"``; the legend gives the RMSE over every class_sep). (c) Per
        class_sep, how far the recall moves from the smallest to the largest weight: simulated
        (``"move-simulated"``) and as each rule says on each fitted curve
        (``"move-<family>-<rule>"``).

    Raises
    ------
    ValueError
        If the summary lacks a needed column or has no rows, or ``class_sep`` is not in it.
    """
    owner = "plot_theory_gap"
    require_columns(summary, ("class_sep", "alpha", "f1_mean", "f1_se", *_RATE_COLUMNS), owner)
    seps = np.unique(summary["class_sep"].to_numpy(dtype=np.float64))
    chosen = float(seps[len(seps) // 2]) if class_sep is None else float(class_sep)
    if not np.any(np.isclose(seps, chosen)):
        raise ValueError(
            f"The 'class_sep' parameter of {owner} must be a class_sep of the summary "
            f"({', '.join(f'{s:g}' for s in seps)}). Got {chosen:g} instead."
        )
    gap = theory_gap(summary, beta, families=_GAP_FAMILIES, rules=_RULES)
    pooled = pooled_rmse(gap).set_index(["family", "rule"])["rmse"]
    low, high = float(summary["alpha"].min()), float(summary["alpha"].max())
    alpha = np.logspace(np.log10(low), np.log10(high), _THEORY_POINTS)
    fig = new_figure((15.0, 5.0))
    scores_ax, rmse_ax, move_ax = fig.subplots(1, 3)
    cell = summary[np.isclose(summary["class_sep"], chosen)].sort_values("alpha")
    mean, half = cell["f1_mean"].to_numpy(), Z95 * cell["f1_se"].to_numpy()
    scores_ax.fill_between(cell["alpha"], mean - half, mean + half, color="0.6", alpha=0.3, lw=0)
    scores_ax.plot(cell["alpha"], mean, color="black", marker=".", lw=1.6, gid="simulated")
    simulated = gap[(gap["family"] == _GAP_FAMILIES[0]) & (gap["rule"] == _RULES[0])]
    move_ax.plot(
        simulated["class_sep"],
        simulated["recall_high_simulated"] - simulated["recall_low_simulated"],
        color="black",
        marker="o",
        lw=1.6,
        gid="move-simulated",
    )
    for family in _GAP_FAMILIES:
        curve = fit_separations(cell, family=family)[float(cell["class_sep"].iloc[0])]
        for rule in _RULES:
            style = {"color": _GAP_COLORS[rule], "ls": _GAP_STYLES[family], "lw": 1.6}
            key = f"{family}-{rule}"
            expected = theory.expected_score(alpha, beta, curve, metric="f1", rule=rule)
            scores_ax.plot(alpha, expected, **style, gid=f"theory-{key}")
            rows = gap[(gap["family"] == family) & (gap["rule"] == rule)]
            rmse_ax.plot(
                rows["class_sep"],
                rows["rmse"],
                **style,
                marker=".",
                label=f"{rule} on the {family} (all: {pooled[family, rule]:.3f})",
                gid=f"rmse-{key}",
            )
            move_ax.plot(
                rows["class_sep"], rows["recall_high"] - rows["recall_low"], **style,
                marker=".", gid=f"move-{key}",
            )  # fmt: skip
    alpha_axis(scores_ax, low, high)
    mark_inverse_weight(scores_ax, beta, label_y=0.02)
    scores_ax.set(xlabel=ALPHA_LABEL, ylabel="F1", title=f"(a) F1 at class_sep = {chosen:g}")
    rmse_ax.set(
        xlabel="class_sep", ylabel="RMSE of the theory's F1", title="(b) theory against simulation"
    )
    move_ax.axhline(0.0, color="0.5", lw=0.9)
    move_ax.set(
        xlabel="class_sep",
        ylabel=f"recall at α = {high:.3g} minus recall at α = {low:.3g}",
        title="(c) how far the recall moves",
    )
    for ax in (scores_ax, rmse_ax, move_ax):
        ax.grid(True, which="major", alpha=0.3)
    rmse_ax.legend(fontsize="small")
    move_ax.legend(
        handles=[Line2D([], [], color="black", marker="o", lw=1.6, label="simulated trees")],
        fontsize="small",
        loc="center right",
    )
    fig.suptitle(
        "The post's hunch: the symmetric (solid) and the asymmetric (dashed) superellipse fitted "
        f"to each class_sep's operating points, β = {beta:g}"
    )
    return fig


def _operating_legend(
    summary: pd.DataFrame, family: str, beta: float | None, rule: str
) -> list[Line2D]:
    low, high = float(summary["alpha"].min()), float(summary["alpha"].max())
    handles = [
        Line2D([], [], color=CHANCE_COLOR, lw=1.6, ls="--", label="chance line"),
        Line2D([], [], color="0.3", lw=1.0, label=f"fitted {family}"),
        Line2D(
            [], [], ls="none", marker="o", mfc="white", mec="0.3", label=f"simulated, α = {low:.3g}"
        ),
        Line2D([], [], ls="none", marker="s", color="0.3", label=f"simulated, α = {high:.3g}"),
    ]
    if beta is not None:
        handles.append(
            Line2D(
                [],
                [],
                ls="none",
                marker="X",
                mfc="white",
                mec="black",
                label=f"theory ({rule} rule), α = {high:.3g}",
            )
        )
    return handles


def pick_separations(seps: Sequence[float], count: int = DEFAULT_PANELS) -> np.ndarray:
    """About ``count`` values spread evenly (by rank) over the sorted distinct ``seps``."""
    values = np.unique(np.asarray(seps, dtype=np.float64))
    picks = np.unique(np.round(np.linspace(0, len(values) - 1, min(count, len(values)))))
    return values[picks.astype(int)]


def _curve_label(curve: object) -> str:
    if isinstance(curve, theory.Binormal):
        return f"d = {_short(curve.d)}"
    if isinstance(curve, theory.Superellipse):
        return f"p = {_short(curve.p)}"
    return f"p = {_short(curve.p)}, q = {_short(curve.q)}"


def _short(value: object) -> str:
    """Three significant digits, or a whole number from 100 on (no exponent notation)."""
    value = float(value)
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _comparison_legend() -> list[Line2D]:
    return [
        Line2D([], [], color="0.4", lw=1.8, marker=".", label="simulated mean"),
        Line2D([], [], **RULE_STYLES["bce"], label="theory, bce rule"),
        Line2D([], [], **RULE_STYLES["bayes"], label="theory, bayes rule"),
        Line2D(
            [], [], ls="none", marker="*", ms=11, mfc="0.6", mec="black", label="best α, simulated"
        ),
        Line2D([], [], ls="none", marker="o", mfc="white", mec="black", label="best α, theory"),
    ]


def _run_note(summary: pd.DataFrame, beta: float | None) -> str:
    parts = []
    if "count" in summary.columns:
        low, high = int(summary["count"].min()), int(summary["count"].max())
        parts.append(
            f"{low} datasets per cell" if low == high else f"{low}-{high} datasets per cell"
        )
    if beta is not None:
        parts.append(f"β = {beta:g}")
    parts.append("bands: 95% of the mean")
    return " (" + ", ".join(parts) + ")"
