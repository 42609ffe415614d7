"""``python -m simulate.retraining``: the command line of :mod:`simulate.studies.retraining`."""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from params.argtypes import path
from params.settings import add_arguments, settings_from_arguments
from params.validation import ParameterError
from plots import plot_retraining, save_figure
from simulate.runs.backends import ParallelConfig
from simulate.runs.folder import atomic_path, package_versions, write_json, write_parquet
from simulate.studies.retraining import (
    DEFAULT_VARIANT,
    FIGURE_FILE,
    RUN_FILE,
    SPLITS_FILE,
    SUMMARY_FILE,
    RetrainingConfig,
    compare_variants,
    format_comparison,
    format_summary,
    summarise_retraining,
    validate_retraining,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m simulate.retraining``."""
    parser = argparse.ArgumentParser(
        prog="python -m simulate.retraining",
        description=(
            "Train each model at weight 1 on data sets shipped with scikit-learn, predict from "
            "its validation scores (theory.what_if_scores) what retraining at each weight does, "
            "retrain, and report the error of the predicted recall, specificity and F1 on the "
            f"test split. Writes {SPLITS_FILE} (one row per split, model, variant and weight), "
            f"{SUMMARY_FILE}, {RUN_FILE} and {FIGURE_FILE} into --out."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    add_arguments(parser, RetrainingConfig, ("splits", "alphas", "datasets", "models"))
    add_arguments(parser, RetrainingConfig, ("bootstrap", "validation_size", "test_size", "seed"))
    add_arguments(parser, ParallelConfig, ("n_jobs",))
    parser.add_argument(
        "--out", type=path, default=Path("results", "retraining"), help="output folder"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar and no tables")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the study and write its files; returns the exit status (2 for bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = RetrainingConfig(**settings_from_arguments(RetrainingConfig, args))
        ParallelConfig(n_jobs=args.n_jobs)
        args.out.mkdir(parents=True, exist_ok=True)
    except ParameterError as error:
        parser.error(error.flag_message())
    except ValueError as error:
        parser.error(str(error))
    except OSError as error:
        parser.error(f"The output folder {str(args.out)!r} cannot be created: {error}")
    started = time.perf_counter()
    table = validate_retraining(config, n_jobs=args.n_jobs, progress=not args.quiet)
    elapsed = time.perf_counter() - started
    summary = summarise_retraining(table)
    record = {
        "config": config.to_dict(),
        "n_jobs": args.n_jobs,
        "cpu_count": os.cpu_count(),
        "elapsed_seconds": round(elapsed, 3),
        "versions": package_versions(),
    }
    write_parquet(args.out / SPLITS_FILE, table, record)
    with atomic_path(args.out / SUMMARY_FILE) as temporary:
        summary.to_csv(temporary, index=False)
    write_json(args.out / RUN_FILE, record)
    save_figure(plot_retraining(summary), args.out / FIGURE_FILE)
    if not args.quiet:
        print(f"prediction {DEFAULT_VARIANT} against retraining (test split, threshold 0.5)")
        print(format_summary(summary))
        print("\nmean over the data sets and the weights other than 1, per variant")
        print(format_comparison(compare_variants(summary)))
        print(f"\n{len(table)} rows in {elapsed:.1f} s; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
