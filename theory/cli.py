"""``python -m theory``: optimal weights, and what-if questions, from the command line.

Every flag of a setting is built from its declaration (:class:`TableSettings`,
:class:`WhatIfSettings`, see :mod:`params.settings`); only the flags about files and the output
are the command's own.
"""

from __future__ import annotations

import argparse
import functools
import inspect
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from params.argtypes import path
from params.commands import error_prefix, run_command
from params.post import BETA
from params.settings import add_arguments, declared, setting
from params.tables import JSON_HELP, format_json, format_table
from params.validation import (
    MAX_BOOTSTRAP,
    POSITIVE,
    UNIT_OPEN,
    Interval,
    ParameterError,
    flag_name,
    shown,
)
from theory.curves import FAMILIES, MAX_EXPONENT, Superellipse
from theory.empirical import DEFAULT_SMOOTH, SMOOTHERS, check_scores
from theory.movement import Movement, fit_movement
from theory.optimum import SEARCH_RANGE, optimize_alpha
from theory.rules import BETA_RANGE, DEFAULT_GAMMA, GAMMA_RANGE, RULE_NAMES, RULES
from theory.scores import DEFAULT_COST, FBETA_RANGE, SCORE_NAMES, refuse_costs, score_function
from theory.whatif import equivalent_weight, what_if
from theory.whatif_scores import AUTO, THRESHOLD_ESTIMATOR, what_if_scores

__all__ = [
    "MAX_BOOTSTRAP",
    "TableSettings",
    "WhatIfSettings",
    "build_parser",
    "commands_of",
    "format_optimum_table",
    "main",
    "optimum_table",
    "read_scores",
]

_TABLE_COLUMNS = (
    ("beta", "beta", "{:.4g}"),
    ("p", "p", "{:.4g}"),
    ("rule", "rule", "{}"),
    ("metric", "metric", "{}"),
    ("alpha_opt", "alpha*", "{:.4g}"),
    ("score_opt", "score*", "{:.4f}"),
    ("score_at_1", "at 1", "{:.4f}"),
    ("score_at_inverse", "at (1-b)/b", "{:.4f}"),
    ("gain_over_1", "gain vs 1", "{:+.4f}"),
    ("gain_over_inverse", "gain vs inv", "{:+.4f}"),
)
#: The record keys of a plateau's ends, printed ``lo..hi`` in place of the optimal weight.
_PLATEAU_ENDS = ("plateau_start", "plateau_stop")
_WHAT_IF_SCORES = ("recall", "specificity", "precision", "f1", "balanced_accuracy", "mcc")
#: Scores printed per weight by ``what-if --scores`` (``--json`` gives every score).
_SCORES_PRINTED = ("recall", "specificity", "precision", "f1", "balanced_accuracy")
#: The defaults of what-if's settings: the API's.
_POINT_DEFAULTS = inspect.signature(what_if).parameters
_SCORES_DEFAULTS = inspect.signature(what_if_scores).parameters
#: The defaults of the table's settings that the API has: the optimum's.
_TABLE_DEFAULTS = inspect.signature(optimize_alpha).parameters
#: The value of ``--smooth`` that keeps the ROC's exact hull.
_EXACT_HULL = "none"
#: The flags of ``what-if`` that only a scores file uses.
_SCORED_ONLY = (
    "plot",
    "bootstrap",
    "smooth",
    "movement",
    "retrained",
    "retrained_alpha",
    "n_test",
    "threshold",
)
_HELP_FORMAT = argparse.ArgumentDefaultsHelpFormatter


def _is_score(name: str) -> bool:
    """Whether ``name`` is a score :func:`~theory.scores.score_function` knows, such as ``f2``."""
    try:
        score_function(name, "python -m theory table")
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class TableSettings:
    """The settings of ``python -m theory table``: the arguments of :func:`optimum_table`."""

    beta: tuple[float, ...] = setting(
        str(BETA),
        float,
        f"prevalence of the positive class, comma list in {BETA_RANGE} (below, "
        "(1-beta)/beta overflows)",
        interval=BETA_RANGE,
        many=True,
    )
    p: tuple[float, ...] = setting(
        "2,5,11,20,40",
        float,
        f"superellipse shape p in {Interval(1.0, MAX_EXPONENT, 'both')}, comma list; larger is "
        "a better classifier",
        interval=Interval(1.0, MAX_EXPONENT, "both"),
        many=True,
    )
    rule: tuple[str, ...] = setting(",".join(RULES), str, "rules", choices=RULE_NAMES, many=True)
    gamma: float | None = setting(
        None,
        float,
        "the focal rule's gamma, >= 0; only with focal among --rule",
        interval=GAMMA_RANGE,
        optional=True,
        none_means=f"{DEFAULT_GAMMA:g}",
    )
    metric: tuple[str, ...] = setting(
        "f1,balanced_accuracy",
        str,
        f"scores to optimise, comma list of {', '.join(SCORE_NAMES)} or f<b> such as f2, b in "
        f"{FBETA_RANGE}",
        many=True,
        accepts=_is_score,
        form=f"{', '.join(SCORE_NAMES)} or f<b> with b in {FBETA_RANGE}",
    )
    cost_fn: float | None = setting(
        None,
        float,
        "price of a false negative in the cost metric, > 0; only with cost among --metric",
        interval=POSITIVE,
        optional=True,
        none_means=f"{DEFAULT_COST:g}",
    )
    cost_fp: float | None = setting(
        None,
        float,
        "price of a false positive in the cost metric, > 0; only with cost among --metric",
        interval=POSITIVE,
        optional=True,
        none_means=f"{DEFAULT_COST:g}",
    )
    movement: float = setting(
        _TABLE_DEFAULTS["movement"].default,
        float,
        "the exponent k > 0 of a model that moves as if weighted alpha**k (1: the theory's "
        "model): each best alpha is the k = 1 one to the power 1/k, with the same score, and "
        "(1-beta)/beta acts as ((1-beta)/beta)**k",
        interval=POSITIVE,
    )


@dataclass(frozen=True)
class WhatIfSettings:
    """The settings of ``python -m theory what-if``: the arguments of
    :func:`~theory.whatif.what_if` and :func:`~theory.whatif_scores.what_if_scores`, with their
    defaults."""

    recall: float | None = setting(
        None, float, "observed recall in (0, 1)", interval=UNIT_OPEN, optional=True
    )
    specificity: float | None = setting(
        None, float, "observed specificity in (0, 1)", interval=UNIT_OPEN, optional=True
    )
    family: str | None = setting(
        None,
        str,
        "curve family fitted through the point",
        choices=tuple(FAMILIES),
        optional=True,
        none_means=_POINT_DEFAULTS["family"].default,
    )
    threshold: float = setting(
        _SCORES_DEFAULTS["threshold"].default,
        float,
        "the threshold the model uses: positive where score >= threshold",
        interval=Interval(-np.inf, np.inf),
    )
    smooth: str = setting(
        _SCORES_DEFAULTS["smooth"].default,
        str,
        f"how a weight is carried to rates: {THRESHOLD_ESTIMATOR} (the scores' own rates at "
        f"the equivalent threshold; probabilities under the bayes rule), a curve fitted to the "
        f"ROC, or {_EXACT_HULL} for its exact hull; {AUTO}: {THRESHOLD_ESTIMATOR} where it "
        f"applies, else {DEFAULT_SMOOTH}",
        choices=(AUTO, THRESHOLD_ESTIMATOR, *SMOOTHERS, _EXACT_HULL),
    )
    movement: float = setting(
        _SCORES_DEFAULTS["movement"].default,
        float,
        "the exponent k > 0 of a model that moves as if weighted alpha**k (1: the theory's model)",
        interval=POSITIVE,
    )
    n_test: int | None = setting(
        None,
        int,
        "rows of the sample the scores will be counted on: with --bootstrap, predictive "
        "intervals that hold its noise too",
        interval=Interval(2, np.inf, "left"),
        optional=True,
        none_means="intervals of the expected scores",
    )
    retrained_alpha: float | None = setting(
        None,
        float,
        "the weight > 0 the --retrained model was trained with",
        interval=POSITIVE,
        optional=True,
        none_means="no retrained model",
    )
    bootstrap: int = setting(
        _SCORES_DEFAULTS["bootstrap"].default,
        int,
        "resample the rows this many times for 95%% intervals",
        interval=Interval(0, MAX_BOOTSTRAP, "both"),
    )
    seed: int = setting(
        _SCORES_DEFAULTS["seed"].default,
        int,
        "seeds the bootstrap",
        interval=Interval(0, 2**32 - 1, "both"),
    )
    beta: float | None = setting(
        None,
        float,
        f"prevalence where the model is used, in {BETA_RANGE}; needed with --recall, default "
        "the labels' with --scores",
        interval=BETA_RANGE,
        optional=True,
    )
    alpha: tuple[float, ...] | None = setting(
        None,
        float,
        "new weight(s) of the positive class, comma list of numbers > 0",
        interval=POSITIVE,
        many=True,
        optional=True,
    )
    positive_fraction: tuple[float, ...] | None = setting(
        None,
        float,
        "instead of --alpha: resample the training set to these positive fractions q in (0, 1), "
        "which act as alpha = (q/(1-q)) * ((1-beta)/beta)",
        interval=UNIT_OPEN,
        many=True,
        optional=True,
    )
    alpha_observed: float = setting(
        _SCORES_DEFAULTS["alpha_observed"].default,
        float,
        "weight the observed model was trained with",
        interval=POSITIVE,
    )
    rule: str = setting(
        _SCORES_DEFAULTS["rule"].default,
        str,
        "how the weight picks the point; bayes treats the model as calibrated and thresholded at "
        "its threshold, focal as trained with the focal loss",
        choices=RULE_NAMES,
    )
    gamma: float | None = setting(
        None,
        float,
        "the focal rule's gamma, >= 0; only with --rule focal",
        interval=GAMMA_RANGE,
        optional=True,
        none_means=f"{DEFAULT_GAMMA:g}",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m theory``, with its ``table`` and ``what-if`` commands;
    every flag's default is in its help."""
    parser = argparse.ArgumentParser(
        prog="python -m theory",
        description=(
            "Where a class weight alpha on the rare class puts a classifier on its tradeoff curve. "
            "'table' (the default) prints the best alpha for each score on the post's superellipse "
            "curves; 'what-if' predicts what a new weight does to a model you already have."
        ),
        epilog="Each command lists its flags: python -m theory table --help, "
        "python -m theory what-if --help.",
    )
    commands = parser.add_subparsers(dest="command", metavar="{table,what-if}")

    table = commands.add_parser(
        "table",
        help="optimal alphas and the scores they give (the default command)",
        description="Optimal alpha per (beta, p, rule, metric), with gains over alpha = 1 and "
        f"over the inverse-proportion weight (1-beta)/beta. Searched over {SEARCH_RANGE}, widened "
        "to three decades either side of (1-beta)/beta; a '*' after alpha marks an optimum at the "
        "edge of that range, a '~' a score that is the same at every weight (alpha arbitrary), and "
        "a range 'lo..hi' in place of alpha a plateau: every weight in it gives the best score to "
        "1e-12 relative (--json: plateau, plateau_start, plateau_stop).",
        formatter_class=_HELP_FORMAT,
    )
    add_arguments(table, TableSettings, declared(TableSettings))
    table.add_argument("--json", action="store_true", help=JSON_HELP)

    whatif = commands.add_parser(
        "what-if",
        help="what a new weight, resampling or threshold does to a model you have",
        description="Two ways to describe the model. With --recall and --specificity: fit a "
        "curve of --family through that point, move along it as the new weight dictates, and "
        "print the expected scores. With --scores FILE (CSV or parquet: a label and a score "
        "column of the model on validation rows): use the model's whole ROC, print per weight the "
        "predicted scores at --beta and the threshold that reaches the same point without "
        "retraining, and the best weight and threshold per metric. Resampling to a positive "
        "fraction q acts as alpha = (q/(1-q)) * ((1-beta)/beta).",
        formatter_class=_HELP_FORMAT,
    )
    point = whatif.add_argument_group("a model observed at one point")
    add_arguments(point, WhatIfSettings, ("recall", "specificity", "family"))
    scored = whatif.add_argument_group("a model's scores on validation rows")
    scored.add_argument("--scores", type=path, metavar="FILE", help="CSV or parquet file")
    scored.add_argument("--label-col", default="y", help="column of the labels")
    scored.add_argument("--score-col", default="score", help="column of the scores")
    scored.add_argument(
        "--pos-label", help="the positive label, unless the labels are 0/1 or true/false"
    )
    add_arguments(
        scored, WhatIfSettings, ("threshold", "smooth", "movement", "bootstrap", "n_test", "seed")
    )
    scored.add_argument(
        "--retrained",
        type=path,
        metavar="FILE",
        help="scores of the same rows (same columns) from the model retrained at "
        "--retrained-alpha: --movement is measured from it (theory.fit_movement)",
    )
    add_arguments(scored, WhatIfSettings, ("retrained_alpha",))
    scored.add_argument(
        "--plot",
        type=path,
        metavar="FIG",
        help="draw the curve and the predictions to FIG, in the format its extension names "
        "(png without one)",
    )
    both = whatif.add_argument_group("either way")
    add_arguments(both, WhatIfSettings, ("beta",))
    new_weight = both.add_mutually_exclusive_group(required=True)
    add_arguments(new_weight, WhatIfSettings, ("alpha", "positive_fraction"))
    add_arguments(both, WhatIfSettings, ("alpha_observed", "rule", "gamma"))
    both.add_argument("--json", action="store_true", help=JSON_HELP)
    return parser


def commands_of(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The sub-command parsers of ``parser``, by name."""
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def optimum_table(
    betas: Sequence[float],
    ps: Sequence[float],
    rules: Sequence[str],
    metrics: Sequence[str],
    *,
    gamma: float | None = None,
    cost_fn: float | None = None,
    cost_fp: float | None = None,
    movement: float = 1.0,
) -> list[dict[str, object]]:
    """One record per (beta, p, rule, metric) with the optimum and its gains.

    ``gamma`` goes to the focal rule, and ``cost_fn`` and ``cost_fp`` to the cost metric; each
    is refused (a ``ValueError``) unless that rule or metric is asked for. ``movement`` is the
    exponent ``k`` of a model that moves as if weighted ``alpha**k``
    (:func:`~theory.optimum.optimize_alpha`); the records say it where it is not 1.
    """
    owner = "optimum_table"
    if gamma is not None and "focal" not in rules:
        raise ParameterError("gamma", owner, "None unless 'focal' is among the rules", gamma)
    if "cost" not in metrics:
        refuse_costs(cost_fn, cost_fp, owner, "'cost' is among the metrics")
    beta_grid, p_grid = np.meshgrid(np.asarray(betas), np.asarray(ps), indexing="ij")
    moved = {} if movement == 1.0 else {"movement": movement}
    records = []
    for rule in rules:
        rule_options = {"gamma": gamma} if rule == "focal" else {}
        for metric in metrics:
            options = rule_options | (
                {"cost_fn": cost_fn, "cost_fp": cost_fp} if metric == "cost" else {}
            )
            best = optimize_alpha(
                beta_grid, Superellipse(p_grid), metric=metric, rule=rule, **options, **moved
            )
            for index in np.ndindex(beta_grid.shape):
                records.append(
                    {
                        "beta": float(beta_grid[index]),
                        "p": float(p_grid[index]),
                        "rule": rule,
                        "metric": metric,
                        **options,
                        **moved,
                        "alpha_opt": float(best.alpha[index]),
                        "at_edge": bool(best.at_edge[index]),
                        "flat": bool(best.flat[index]),
                        "plateau": bool(best.plateau[index]),
                        "plateau_start": float(best.plateau_start[index]),
                        "plateau_stop": float(best.plateau_stop[index]),
                        "score_opt": float(best.score[index]),
                        "score_at_1": float(best.score_at_one[index]),
                        "score_at_inverse": float(best.score_at_inverse[index]),
                        "gain_over_1": float(best.gain_over_one[index]),
                        "gain_over_inverse": float(best.gain_over_inverse[index]),
                    }
                )
    return records


def format_optimum_table(records: Sequence[dict[str, object]]) -> str:
    """Aligned plain-text table of :func:`optimum_table` records."""
    header = [title for _, title, _ in _TABLE_COLUMNS]
    rows = []
    for record in records:
        row = [_cell(record[key], fmt) for key, _, fmt in _TABLE_COLUMNS]
        if record["flat"]:
            row[4] += "~"
        elif record["plateau"]:
            row[4] = "..".join(_cell(record[key], "{:.4g}") for key in _PLATEAU_ENDS)
        elif record["at_edge"]:
            row[4] += "*"
        rows.append(row)
    return format_table(header, rows)


def _priced(args: argparse.Namespace) -> str:
    """Lines that say the focal rule's gamma, the prices of the cost and the movement exponent,
    where they are used."""
    lines = []
    if "focal" in args.rule:
        lines.append(f"# focal rule: gamma = {_gamma(args):g}\n")
    if "cost" in args.metric:
        prices = [
            DEFAULT_COST if price is None else price for price in (args.cost_fn, args.cost_fp)
        ]
        lines.append(f"# cost = {prices[0]:g} * FN + {prices[1]:g} * FP per sample\n")
    if args.movement != 1.0:
        lines.append(
            f"# movement k = {args.movement:g}: a model that moves as if weighted alpha**k "
            "(alpha* is the k = 1 one to the power 1/k; (1-b)/b acts as its power k)\n"
        )
    return "".join(lines)


def _gamma(args: argparse.Namespace) -> float:
    """The focal rule's gamma the command uses."""
    return DEFAULT_GAMMA if args.gamma is None else args.gamma


def _rule_label(args: argparse.Namespace) -> str:
    """The what-if rule as its titles name it, with gamma for the focal rule."""
    return f"focal (gamma {_gamma(args):g})" if args.rule == "focal" else args.rule


def _cell(value: object, fmt: str) -> str:
    """``value`` in the column's format. Weights, prevalences and shapes show four significant
    digits whatever their size; scores and gains four decimals, rounded first so that -1e-12
    prints as 0, not -0."""
    if isinstance(value, float) and fmt.endswith("f}"):
        value = round(value, 4) + 0.0
    return fmt.format(value)


def _run_what_if(args: argparse.Namespace, parser: argparse.ArgumentParser) -> str:
    if args.scores is not None:
        given = [f"--{name}" for name in ("recall", "specificity", "family") if getattr(args, name)]
        if given:
            parser.error(f"--scores describes the model; {', '.join(given)} cannot go with it")
        return _run_what_if_scores(args)
    missing = [
        f"--{name}" for name in ("recall", "specificity", "beta") if getattr(args, name) is None
    ]
    if missing:
        parser.error(
            f"the what-if command needs --scores FILE, or --recall, --specificity and --beta "
            f"(missing {', '.join(missing)})"
        )
    scored_only = [
        flag_name(name) for name in _SCORED_ONLY if getattr(args, name) != parser.get_default(name)
    ]
    if scored_only:
        parser.error(f"{', '.join(scored_only)} needs --scores FILE")
    return _run_what_if_point(args)


def _new_weights(args: argparse.Namespace, prevalence: float) -> np.ndarray:
    if args.positive_fraction is not None:
        return args.alpha_observed * equivalent_weight(
            prevalence, np.asarray(args.positive_fraction)
        )
    return np.asarray(args.alpha)


def _run_what_if_point(args: argparse.Namespace) -> str:
    alphas = _new_weights(args, args.beta)
    family = args.family or _POINT_DEFAULTS["family"].default
    scores = what_if(
        args.recall,
        args.specificity,
        beta=args.beta,
        alpha=alphas,
        alpha_observed=args.alpha_observed,
        family=family,
        rule=args.rule,
        gamma=args.gamma,
    )
    records = [
        {"alpha": float(alpha), **{name: float(scores[name][i]) for name in _WHAT_IF_SCORES}}
        for i, alpha in enumerate(alphas)
    ]
    if args.json:
        return format_json(records)
    header = ["alpha", *_WHAT_IF_SCORES]
    rows = [[f"{r['alpha']:.4g}", *(f"{r[n]:.4f}" for n in _WHAT_IF_SCORES)] for r in records]
    title = (
        f"# {family} curve through (recall={args.recall:.10g}, "
        f"specificity={args.specificity:.10g}) observed at alpha={args.alpha_observed:g}; "
        f"rule {_rule_label(args)}; beta={args.beta:g}"
    )
    return f"{title}\n{format_table(header, rows)}"


def _interval_note(args: argparse.Namespace) -> str:
    """The header's words on the intervals, if any."""
    if not args.bootstrap:
        return ""
    if args.n_test is None:
        return "; [95% bootstrap intervals]"
    return f"; [95% predictive intervals for a sample of {args.n_test} rows]"


def _movement_note(args: argparse.Namespace, measured: Movement | None) -> str:
    """The header's words on the movement exponent, if it is not the theory's 1."""
    if measured is not None:
        return (
            f" (movement k = {measured.k:.3g} [{measured.low:.3g}, {measured.high:.3g}] from "
            f"{args.retrained} at alpha={args.retrained_alpha:g})"
        )
    return f" (movement k = {args.movement:g})" if args.movement != 1.0 else ""


def _measured_movement(
    args: argparse.Namespace, labels: np.ndarray, scores: np.ndarray
) -> Movement | None:
    """The movement exponent measured from ``--retrained``, or None without it."""
    if (args.retrained is None) != (args.retrained_alpha is None):
        raise ValueError("--retrained FILE and --retrained-alpha A go together")
    if args.retrained is None:
        return None
    if args.movement != 1.0:
        raise ValueError("--movement and --retrained cannot be given together: k is measured")
    if args.retrained_alpha == args.alpha_observed:
        raise ValueError(
            f"--retrained-alpha {args.retrained_alpha:g} is the current model's weight "
            "(--alpha-observed): the movement needs a retrain at another weight"
        )
    again, retrained = read_scores(args.retrained, args.label_col, args.score_col, args.pos_label)
    if again.shape != labels.shape or np.any(again != labels):
        raise ValueError(
            f"The file {str(args.retrained)!r} must hold the rows of {str(args.scores)!r} with "
            "the same labels in the same order."
        )
    return fit_movement(
        labels,
        scores,
        retrained,
        alpha=args.retrained_alpha,
        alpha_observed=args.alpha_observed,
        threshold=args.threshold,
        seed=args.seed,
    )


def _figure_format(target: Path) -> str:
    """The file format ``--plot`` names by its extension: png without one."""
    from plots.save import FORMATS  # matplotlib, only to draw

    kind = target.suffix.lstrip(".").lower() or "png"
    if kind not in FORMATS:
        endings = ", ".join(f".{name}" for name in FORMATS)
        allowed = f"a file name ending in {endings} (or without an extension, for png)"
        raise ParameterError("plot", "python -m theory what-if", allowed, str(target))
    return kind


def _run_what_if_scores(args: argparse.Namespace) -> str:
    figure_format = None if args.plot is None else _figure_format(args.plot)
    labels, scores = read_scores(args.scores, args.label_col, args.score_col, args.pos_label)
    smooth = None if args.smooth == _EXACT_HULL else args.smooth
    measured = _measured_movement(args, labels, scores)
    options = {
        "beta": args.beta,
        "alpha_observed": args.alpha_observed,
        "threshold": args.threshold,
        "rule": args.rule,
        "gamma": args.gamma,
        "smooth": smooth,
        "movement": args.movement if measured is None else measured,
    }
    fractions = args.positive_fraction
    result = what_if_scores(
        labels,
        scores,
        alpha=None if fractions is not None else args.alpha,
        positive_fraction=fractions,
        bootstrap=args.bootstrap,
        n_test=args.n_test,
        seed=args.seed,
        n_jobs=-1 if args.bootstrap else 1,
        **options,
    )
    prevalence = float(np.mean(labels.astype(bool)))
    if figure_format is not None:
        from plots import plot_what_if_scores, save_figure

        figure = plot_what_if_scores(labels, scores, alpha=result.table["alpha"], **options)
        with error_prefix(f"Cannot write the figure {str(args.plot)!r}"):
            save_figure(figure, args.plot, format=figure_format)
    if args.json:
        return format_json(
            {
                "estimator": result.estimator,
                "movement": (
                    {"k": args.movement}
                    if measured is None
                    else {k: v for k, v in measured._asdict().items() if k != "draws"}
                ),
                "observed": result.observed.to_dict(),
                "table": result.table.to_dict(orient="records"),
                "best": result.best.reset_index().to_dict(orient="records"),
            }
        )
    beta = prevalence if args.beta is None else args.beta
    title = (
        f"# {args.scores}: {labels.size} rows, {prevalence:.3g} positive; the model at threshold "
        f"{args.threshold:g}, trained at alpha={args.alpha_observed:g}; rule {_rule_label(args)}; "
        f"estimator {result.estimator}"
        + _movement_note(args, measured)
        + f"; scores at beta={beta:g}"
        + _interval_note(args)
    )
    observed = "# now: " + ", ".join(
        f"{name} {result.observed[name]:.4f}" for name in ("recall", "specificity", "f1")
    )
    weights = _text_table(result.table, ("alpha", *_SCORES_PRINTED, "threshold"), ("alpha",))
    best = _text_table(
        result.best.reset_index(),
        ("metric", "alpha", "score_at_alpha", "gain_at_alpha", "threshold_at_alpha",
         "threshold", "score_at_threshold", "gain_at_threshold"),
        ("metric", "gain_at_alpha", "threshold_at_alpha", "gain_at_threshold"),
    )  # fmt: skip
    return "\n".join(
        (title, observed, weights, "", "# best weight and best threshold per metric", best)
    )


def _text_table(frame: pd.DataFrame, columns: Sequence[str], plain: Sequence[str]) -> str:
    """Chosen columns as a plain-text table; a column with ``_low``/``_high`` companions (a
    bootstrap) is shown as ``value [low, high]``, except those in ``plain``."""
    rows = []
    for _, record in frame.iterrows():
        row = []
        for column in columns:
            value = record[column]
            text = value if isinstance(value, str) else f"{value:.4g}"
            if column not in plain and f"{column}_low" in frame.columns:
                text += f" [{record[f'{column}_low']:.3g}, {record[f'{column}_high']:.3g}]"
            row.append(text)
        rows.append(row)
    return format_table(list(columns), rows)


def read_scores(
    path: Path, label_col: str, score_col: str, pos_label: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """Labels and scores from a CSV or parquet file, as booleans (True = positive) and floats.

    The labels and scores are checked as :func:`~theory.what_if_scores` checks its own
    (:func:`theory.empirical.check_scores`): two classes (a missing label is a class of its
    own), finite scores of two distinct values at least. ``pos_label`` names the positive
    class as the file writes it (``2`` for the integer label 2).

    Raises
    ------
    ValueError
        Naming the file, and the missing column, empty table, non-numeric scores, labels that
        are not two classes, or a ``pos_label`` that is not among them.
    """
    where = f"The scores file {str(path)!r}"
    try:
        if path.suffix.lower() in (".parquet", ".pq"):
            table = pd.read_parquet(path)
        else:
            table = pd.read_csv(path)
    except FileNotFoundError:
        raise ValueError(f"{where} does not exist.") from None
    except (OSError, ValueError, pd.errors.ParserError, ImportError) as error:
        message = " ".join(str(error).split())
        raise ValueError(f"{where} cannot be read as {_kind(path)}: {message}") from None
    missing = [column for column in (label_col, score_col) if column not in table.columns]
    if missing:
        raise ValueError(
            f"{where} has no column {missing[0]!r} (its columns: "
            f"{', '.join(map(str, table.columns))}); name them with --label-col and --score-col."
        )
    if table.empty:
        raise ValueError(f"{where} has no rows.")
    scores = pd.to_numeric(table[score_col], errors="coerce")
    if scores.isna().any():
        row = int(np.flatnonzero(scores.isna().to_numpy())[0])
        raise ValueError(
            f"{where} has a score that is not a number in column {score_col!r} "
            f"(row {row + 1}: {table[score_col].iloc[row]!r})."
        )
    labels = table[label_col]
    if pos_label is not None:  # the label the flag's text names, if any does
        pos_label = next((label for label in labels.unique() if str(label) == pos_label), pos_label)
    owner = f"read_scores of {str(path)!r}"
    try:
        return check_scores(labels.to_numpy(), scores.to_numpy(np.float64), pos_label, owner)
    except ParameterError as error:
        if error.name == "pos_label":
            raise
        column = label_col if error.name == "y_true" else score_col
        because = f": {error.reason}" if error.reason else ""
        raise ValueError(
            f"{where} must hold {error.allowed} in column {column!r}. Got {shown(error.got)} "
            f"instead{because}."
        ) from None


def _kind(path: Path) -> str:
    return "parquet" if path.suffix.lower() in (".parquet", ".pq") else "CSV"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see :func:`params.commands.run_command`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("table", "what-if", "-h", "--help"):
        argv = ["table", *argv]
    parser = build_parser()
    return run_command(parser, functools.partial(_run, parser=parser), argv)


def _run(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Print the table or the what-if answer ``args`` ask for."""
    if args.command == "what-if":
        print(_run_what_if(args, commands_of(parser)["what-if"]))
    else:
        print(_run_table(args))
    return 0


def _run_table(args: argparse.Namespace) -> str:
    records = optimum_table(
        args.beta,
        args.p,
        args.rule,
        args.metric,
        gamma=args.gamma,
        cost_fn=args.cost_fn,
        cost_fp=args.cost_fp,
        movement=args.movement,
    )
    if args.json:
        return format_json(records)
    return _priced(args) + format_optimum_table(records)
