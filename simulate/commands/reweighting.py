"""``python -m simulate.reweighting``: the command line of :mod:`simulate.studies.reweighting`.

It runs the study and prints the mean absolute test F1 difference from retraining of each
prediction (``theory.reweighted``, the same with the measured ``k``, and the model unchanged)
and its mean recall difference: per model, per model and weight, and per model and data set.
It writes no files.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import pandas as pd

from params.commands import run_command
from params.settings import add_arguments, settings_from_arguments
from params.tables import format_table
from simulate.commands._studies import unless_quiet
from simulate.studies.reweighting import (
    K_ALPHA,
    PREDICTORS,
    ReweightingConfig,
    mean_errors,
    reweighting_errors,
    reweighting_fits,
)

__all__ = ["build_parser", "format_errors", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m simulate.reweighting``."""
    parser = argparse.ArgumentParser(
        prog="python -m simulate.reweighting",
        description=(
            "A weight deployed without retraining against retraining: each model is trained "
            "at weight 1 and at every alpha on seeded splits of each data set, and the test F1 "
            "of theory.reweighted (the weight-1 model at the equivalent threshold; with the k "
            f"measured from the retrain at {K_ALPHA:g}) is compared with the retrained model's. "
            "Prints the mean absolute F1 difference and the mean recall difference per model, per "
            "model and alpha, and per model and data set."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    add_arguments(
        parser,
        ReweightingConfig,
        ("models", "datasets", "betas", "alphas", "reps", "n_samples", "seed"),
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the study and print its tables; returns the exit status (see
    :func:`params.commands.run_command`)."""
    return run_command(build_parser(), _run, argv, kept=_kept, progress=unless_quiet)


def _run(args: argparse.Namespace) -> int:
    config = ReweightingConfig(**settings_from_arguments(ReweightingConfig, args))
    errors = reweighting_errors(reweighting_fits(config, progress=not args.quiet))
    print(
        f"mean |test F1 - retrained test F1| and mean test recall - retrained test recall, over "
        f"{config.reps} splits; k, the median over splits (and over data sets and weights)"
    )
    for by in (["model"], ["model", "alpha"], ["model", "dataset"]):
        print()
        print(format_errors(mean_errors(errors, by)))
    return 0


def format_errors(table: pd.DataFrame) -> str:
    """Plain-text table of :func:`~simulate.studies.reweighting.mean_errors`."""
    shown = ("k", *PREDICTORS, *(f"{name}_recall" for name in PREDICTORS))
    keys = [column for column in table.columns if column not in shown]
    rows = [
        [f"{row[key]:g}" if key == "alpha" else str(row[key]) for key in keys]
        + [f"{row['k']:.2f}"]
        + [f"{row[name]:.3f}" for name in PREDICTORS]
        + [f"{row[f'{name}_recall']:+.3f}" for name in PREDICTORS]
        for _, row in table.iterrows()
    ]
    header = [*keys, "k", *(f"F1 {name}" for name in PREDICTORS)]
    return format_table(header + [f"recall {name}" for name in PREDICTORS], rows)


def _kept(args: argparse.Namespace) -> str:
    """What a stopped study leaves behind."""
    return "the study writes no files: run it again"


if __name__ == "__main__":
    sys.exit(main())
