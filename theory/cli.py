"""``python -m theory``: optimal weights, and what-if questions, from the command line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence

import numpy as np

from params.argtypes import bounded, number_list
from params.tables import format_table
from params.validation import Interval
from theory.curves import FAMILIES, MAX_EXPONENT, Superellipse
from theory.optimum import SEARCH_RANGE, optimize_alpha
from theory.rules import RULES
from theory.scores import SCORE_NAMES, score_function
from theory.whatif import equivalent_weight, what_if

__all__ = ["build_parser", "format_optimum_table", "main", "optimum_table"]

_UNIT_OPEN = Interval(0.0, 1.0)
_POSITIVE = Interval(0.0, np.inf)
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
_WHAT_IF_SCORES = ("recall", "specificity", "precision", "f1", "balanced_accuracy", "mcc")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m theory``, with its ``table`` and ``what-if`` commands."""
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
        "edge of that range, a '~' a score that is the same at every weight (alpha arbitrary).",
    )
    table.add_argument(
        "--beta",
        type=number_list(_UNIT_OPEN),
        default=[0.01],
        help="prevalence of the positive class, comma list in (0, 1) (default: 0.01)",
    )
    table.add_argument(
        "--p",
        type=number_list(Interval(1.0, MAX_EXPONENT, "both")),
        default=[2.0, 5.0, 11.0, 20.0, 40.0],
        help="superellipse shape p in [1, 1e6], comma list; larger is a better classifier "
        "(default: 2,5,11,20,40)",
    )
    table.add_argument(
        "--rule",
        type=_choices(RULES),
        default=list(RULES),
        help=f"rules, comma list of {', '.join(RULES)} (default: all)",
    )
    table.add_argument(
        "--metric",
        type=_choices(SCORE_NAMES, allow_fbeta=True),
        default=["f1", "balanced_accuracy"],
        help="scores to optimise, comma list of "
        f"{', '.join(SCORE_NAMES)} or f<b> such as f2 (default: f1,balanced_accuracy)",
    )
    table.add_argument("--json", action="store_true", help="print JSON records instead")

    whatif = commands.add_parser(
        "what-if",
        help="what a new weight does to a model observed at (recall, specificity)",
        description="Fit a curve through a model's observed recall and specificity, move along "
        "it as the new weight dictates, and print the expected scores. Resampling to a positive "
        "fraction q acts as alpha = (q/(1-q)) * ((1-beta)/beta).",
    )
    whatif.add_argument(
        "--recall", type=bounded(_UNIT_OPEN), required=True, help="observed recall in (0, 1)"
    )
    whatif.add_argument(
        "--specificity",
        type=bounded(_UNIT_OPEN),
        required=True,
        help="observed specificity in (0, 1)",
    )
    whatif.add_argument(
        "--beta", type=bounded(_UNIT_OPEN), required=True, help="positive prevalence in (0, 1)"
    )
    new_weight = whatif.add_mutually_exclusive_group(required=True)
    new_weight.add_argument(
        "--alpha",
        type=number_list(_POSITIVE),
        help="new weight(s) of the positive class, comma list of numbers > 0",
    )
    new_weight.add_argument(
        "--positive-fraction",
        type=number_list(_UNIT_OPEN),
        help="instead of --alpha: resample the training set to these positive fractions q in "
        "(0, 1), which act as alpha = (q/(1-q)) * ((1-beta)/beta)",
    )
    whatif.add_argument(
        "--alpha-observed",
        type=bounded(_POSITIVE),
        default=1.0,
        help="weight the observed model was trained with (default: 1)",
    )
    whatif.add_argument(
        "--family",
        choices=list(FAMILIES),
        default="binormal",
        help="curve family fitted through the point (default: binormal)",
    )
    whatif.add_argument(
        "--rule",
        choices=list(RULES),
        default="bayes",
        help="how the weight picks the point; bayes treats the model as calibrated and thresholded "
        "at 1/2 (default: bayes)",
    )
    whatif.add_argument("--json", action="store_true", help="print JSON records instead")
    return parser


def _choices(options: Sequence[str], *, allow_fbeta: bool = False) -> Callable[[str], list[str]]:
    """A comma list of ``options`` (and, with ``allow_fbeta``, any score :func:`score_function`
    knows, such as ``f2``)."""

    def known(name: str) -> bool:
        if name in options:
            return True
        if not allow_fbeta:
            return False
        try:
            score_function(name, "python -m theory table")
        except ValueError:
            return False
        return True

    def parse(text: str) -> list[str]:
        names = [name.strip() for name in text.split(",")]
        for name in names:
            if not known(name):
                raise argparse.ArgumentTypeError(
                    f"must be a comma list of {', '.join(options)}"
                    f"{' or f<b>' if allow_fbeta else ''}. Got {name!r} instead."
                )
        return names

    return parse


def optimum_table(
    betas: Sequence[float], ps: Sequence[float], rules: Sequence[str], metrics: Sequence[str]
) -> list[dict[str, object]]:
    """One record per (beta, p, rule, metric) with the optimum and its gains."""
    beta_grid, p_grid = np.meshgrid(np.asarray(betas), np.asarray(ps), indexing="ij")
    records = []
    for rule in rules:
        for metric in metrics:
            best = optimize_alpha(beta_grid, Superellipse(p_grid), metric=metric, rule=rule)
            for index in np.ndindex(beta_grid.shape):
                records.append(
                    {
                        "beta": float(beta_grid[index]),
                        "p": float(p_grid[index]),
                        "rule": rule,
                        "metric": metric,
                        "alpha_opt": float(best.alpha[index]),
                        "at_edge": bool(best.at_edge[index]),
                        "flat": bool(best.flat[index]),
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
        row = [fmt.format(_tidy(record[key])) for key, _, fmt in _TABLE_COLUMNS]
        if record["flat"]:
            row[4] += "~"
        elif record["at_edge"]:
            row[4] += "*"
        rows.append(row)
    return format_table(header, rows)


def _tidy(value: object) -> object:
    """Round floats to the printed precision so that -1e-12 prints as 0, not -0."""
    return round(value, 4) + 0.0 if isinstance(value, float) else value


def _run_what_if(args: argparse.Namespace) -> str:
    if args.positive_fraction is not None:
        alphas = equivalent_weight(args.beta, np.asarray(args.positive_fraction))
    else:
        alphas = np.asarray(args.alpha)
    scores = what_if(
        args.recall,
        args.specificity,
        beta=args.beta,
        alpha=alphas,
        alpha_observed=args.alpha_observed,
        family=args.family,
        rule=args.rule,
    )
    records = [
        {"alpha": float(alpha), **{name: float(scores[name][i]) for name in _WHAT_IF_SCORES}}
        for i, alpha in enumerate(alphas)
    ]
    if args.json:
        return json.dumps(records, indent=2)
    header = ["alpha", *_WHAT_IF_SCORES]
    rows = [[f"{r['alpha']:.4g}", *(f"{r[n]:.4f}" for n in _WHAT_IF_SCORES)] for r in records]
    title = (
        f"# {args.family} curve through (recall={args.recall:g}, "
        f"specificity={args.specificity:g}) observed at alpha={args.alpha_observed:g}; "
        f"rule {args.rule}; beta={args.beta:g}"
    )
    return f"{title}\n{format_table(header, rows)}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input, via argparse)."""
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in ("table", "what-if", "-h", "--help"):
        argv = ["table", *argv]
    args = parser.parse_args(argv)
    try:
        if args.command == "what-if":
            output = _run_what_if(args)
        else:
            records = optimum_table(args.beta, args.p, args.rule, args.metric)
            output = json.dumps(records, indent=2) if args.json else format_optimum_table(records)
    except ValueError as error:
        parser.error(str(error))
    print(output)
    return 0
