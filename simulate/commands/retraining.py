"""``python -m simulate.retraining``: the command line of :mod:`simulate.studies.retraining`.

It runs the study's sweeps into ``--out`` (one run folder per model and prevalence), writes the
table of errors (``summary.csv``) and its figures there, and prints the table of the predictor
``--show``, the comparison of every predictor, each condition's movement exponent ``k`` and
errors, and the errors per regime of validation positives.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from params.argtypes import path
from params.commands import error_prefix, run_command
from params.settings import add_arguments, settings_from_arguments
from params.tables import format_table
from simulate.analysis.prediction import PREDICTED_SCORES, PREDICTORS, UNCHANGED
from simulate.commands._studies import (
    add_sweeps_arguments,
    check_sweeps_arguments,
    kept_sweeps,
    unless_quiet,
)
from simulate.config import SweepConfig
from simulate.runs.backends import ParallelConfig
from simulate.runs.folder import atomic_path
from simulate.studies.retraining import (
    SUMMARY_FILE,
    SWEEP_DEFAULTS,
    RetrainingConfig,
    by_condition,
    by_regime,
    compare_predictors,
    retraining_errors,
    study_sweeps,
)
from simulate.studies.sweeps import run_sweeps

__all__ = [
    "ERROR_FIGURE_FILE",
    "FIGURE_FILE",
    "build_parser",
    "format_comparison",
    "format_conditions",
    "format_errors",
    "format_regimes",
    "main",
]

#: The study's figures, written beside its table.
FIGURE_FILE = "predicted_vs_real.png"
ERROR_FIGURE_FILE = "error_by_positives.png"
#: The sweep settings the command takes (the study sets ``model`` and ``beta``).
SWEEP_SETTINGS = (
    "dataset",
    "target",
    "seps",
    "n_features",
    "n_informative",
    "alphas",
    "reps",
    "flip_y",
    "test_size",
    "val_size",
    "predictors",
    "bootstrap",
    "seed",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m simulate.retraining``."""
    parser = argparse.ArgumentParser(
        prog="python -m simulate.retraining",
        description=(
            "Does the theory predict retraining? For each model and prevalence, sweep the "
            "data sets: train at every weight, predict every weight from the alpha = 1 model's "
            "validation scores with each predictor, and compare on the test split. Writes one "
            f"run folder per sweep, {SUMMARY_FILE}, {FIGURE_FILE} and {ERROR_FIGURE_FILE} into "
            "--out."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    add_arguments(parser, RetrainingConfig, ("models", "betas", "sizes", "leaves"))
    add_arguments(parser, SweepConfig, SWEEP_SETTINGS, defaults=_shown_defaults())
    add_arguments(parser, ParallelConfig, ("n_jobs",))
    parser.add_argument(
        "--out", type=path, default=Path("results", "retraining"), help="output folder"
    )
    parser.add_argument(
        "--show",
        choices=(*PREDICTORS, UNCHANGED),
        default=None,
        help="the predictor whose table is printed and drawn, one of --predictors or "
        f"{UNCHANGED}; default the first of --predictors",
    )
    add_sweeps_arguments(parser)
    return parser


def _shown_defaults() -> dict[str, str | int | float]:
    """The study's sweep defaults as the command line writes them."""
    return {
        name: ",".join(f"{v:g}" if isinstance(v, float) else v for v in value)
        if isinstance(value, tuple)
        else value
        for name, value in SWEEP_DEFAULTS.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the study and write its files; returns the exit status (see
    :func:`params.commands.run_command`)."""
    return run_command(build_parser(), _run, argv, kept=kept_sweeps, progress=unless_quiet)


def _run(args: argparse.Namespace) -> int:
    config = RetrainingConfig(**settings_from_arguments(RetrainingConfig, args))
    sweeps = study_sweeps(config, **settings_from_arguments(SweepConfig, args))
    ParallelConfig(n_jobs=args.n_jobs)
    check_sweeps_arguments(args)
    shown = args.show or args.predictors[0]
    if shown not in (*args.predictors, UNCHANGED):
        raise ValueError(f"--show {shown} is not among --predictors ({','.join(args.predictors)})")
    runs = run_sweeps(
        sweeps,
        args.out,
        n_jobs=args.n_jobs,
        progress=not args.quiet,
        resume=args.resume,
        force=args.force,
    )
    errors = retraining_errors(runs)
    target = args.out / SUMMARY_FILE
    with error_prefix(f"Cannot write {str(target)!r}"), atomic_path(target) as temporary:
        errors.to_csv(temporary, index=False)
    from plots import plot_error_by_positives, plot_retraining, save_figure  # draws only here

    save_figure(plot_retraining(errors, predictor=shown), args.out / FIGURE_FILE)
    save_figure(plot_error_by_positives(errors), args.out / ERROR_FIGURE_FILE)
    if not args.quiet:
        print(f"prediction {shown} against retraining (test split, threshold 0.5)")
        print(format_errors(errors, shown))
        print("\nmean over the data sets, prevalences and weights other than 1, per predictor")
        print(format_comparison(compare_predictors(errors)))
        print(
            "\nF1 per condition: median k of its splits, MAE per predictor (weights other than 1)"
        )
        print(format_conditions(by_condition(errors)))
        print(
            "\nF1 per regime of validation positives (the conditions pooled, weights other than 1)"
        )
        print(format_regimes(by_regime(errors)))
        print(f"\nwrote {args.out}")
    return 0


def format_errors(errors: pd.DataFrame, predictor: str) -> str:
    """Plain-text table of one predictor's rows of
    :func:`~simulate.studies.retraining.retraining_errors`: per model, condition and weight, the
    mean positives of a validation and a test split and each score's mean absolute error, bias
    and coverage."""
    header = ["model", "data", "val pos", "test pos", "alpha", "n"]
    header += [f"MAE {name}" for name in PREDICTED_SCORES]
    header += [f"bias {name}" for name in PREDICTED_SCORES]
    header += [f"cover {name}" for name in PREDICTED_SCORES]
    rows = [
        [
            row["model"],
            row["data"],
            f"{row['val_positives']:.3g}",
            f"{row['test_positives']:.3g}",
            f"{row['alpha']:g}",
            str(row["predicted"]),
        ]
        + [f"{row[f'{name}_mae']:.3f}" for name in PREDICTED_SCORES]
        + [f"{row[f'{name}_bias']:+.3f}" for name in PREDICTED_SCORES]
        + [_percent(row.get(f"{name}_coverage", float("nan"))) for name in PREDICTED_SCORES]
        for _, row in errors[errors["predictor"] == predictor].iterrows()
    ]
    return format_table(header, rows)


def format_comparison(comparison: pd.DataFrame) -> str:
    """Plain-text table of :func:`~simulate.studies.retraining.compare_predictors`."""
    header = ["model", "predictor"] + [f"MAE {name}" for name in PREDICTED_SCORES]
    header += [f"bias {name}" for name in PREDICTED_SCORES]
    header += [f"cover {name}" for name in PREDICTED_SCORES]
    rows = [
        [row["model"], row["predictor"]]
        + [f"{row[f'{name}_mae']:.3f}" for name in PREDICTED_SCORES]
        + [f"{row[f'{name}_bias']:+.3f}" for name in PREDICTED_SCORES]
        + [_percent(row.get(f"{name}_coverage", float("nan"))) for name in PREDICTED_SCORES]
        for _, row in comparison.iterrows()
    ]
    return format_table(header, rows)


def format_conditions(conditions: pd.DataFrame) -> str:
    """Plain-text table of :func:`~simulate.studies.retraining.by_condition`."""
    predictors = list(conditions.columns[4:])
    header = ["model", "data", "val pos", "k", *predictors]
    rows = [
        [row["model"], row["data"], f"{row['val_positives']:,.0f}", _number(row["movement"])]
        + [_number(row[name], 3) for name in predictors]
        for _, row in conditions.iterrows()
    ]
    return format_table(header, rows)


def format_regimes(regimes: pd.DataFrame) -> str:
    """Plain-text table of :func:`~simulate.studies.retraining.by_regime`: per model, regime and
    predictor, the validation positives and ``k`` of its conditions (a range where they differ)
    and the predictor's MAE, bias and coverage beside predicting no change."""
    header = ["model", "val pos", "k", "predictor", "MAE", "bias", "cover", "no-change MAE"]
    rows = [
        [
            row["model"],
            _span(row["val_positives_min"], row["val_positives_max"], "{:,.0f}"),
            _span(row["movement_min"], row["movement_max"], "{:.2f}"),
            row["predictor"],
            f"{row['mae']:.3f}",
            f"{row['bias']:+.3f}",
            _percent(row["coverage"]),
            _number(row["no_change_mae"], 3),
        ]
        for _, row in regimes.iterrows()
    ]
    return format_table(header, rows)


def _span(low: float, high: float, form: str) -> str:
    """``low to high`` in ``form``, or one value where both print alike; empty for NaN."""
    if pd.isna(low):
        return ""
    low_text, high_text = form.format(low), form.format(high)
    return low_text if low_text == high_text else f"{low_text} to {high_text}"


def _number(value: float, digits: int = 2) -> str:
    return "" if pd.isna(value) else f"{value:.{digits}f}"


def _percent(value: float) -> str:
    return "" if pd.isna(value) else f"{value:.0%}"


if __name__ == "__main__":
    sys.exit(main())
