"""``python -m simulate``: the post's experiment as a command."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from simulate import store
from simulate.config import DEFAULT_SEPS, ENGINE_NAMES, SweepConfig
from simulate.figure import plot_score_vs_alpha
from simulate.summary import per_cell, per_separation
from simulate.sweep import DEFAULT_BACKEND, backend_names, run_sweep
from params.argtypes import bounded, grid, n_jobs
from params.tables import format_table
from params.validation import Interval

__all__ = ["add_grid_arguments", "build_parser", "format_separation_table", "main"]

_DEFAULTS = SweepConfig()
_POSITIVE = Interval(0.0, np.inf)
_AT_LEAST_ONE = Interval(1, np.inf, "left")
_FIGURE_FILE = "f1_vs_alpha.png"


def add_grid_arguments(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    """Add the sweep grid's flags, ``--beta``, ``--alphas`` and ``--seps``, with their defaults.

    Shared by ``python -m simulate`` and ``python -m simulate.fidelity``.
    """
    parser.add_argument(
        "--beta",
        type=bounded(Interval(0.0, 1.0)),
        default=_DEFAULTS.beta,
        help="prevalence of the positive class, in (0, 1)",
    )
    parser.add_argument(
        "--alphas",
        type=grid(_POSITIVE, spacing="log"),
        default="1:316.227766:15",
        help="weights of the positive class: LO:HI[:N] (N log-spaced, default N 15) or a "
        "comma list",
    )
    parser.add_argument(
        "--seps",
        type=grid(_POSITIVE, spacing="linear"),
        default=",".join(f"{s:g}" for s in DEFAULT_SEPS),
        help="class_sep values: LO:HI[:N] (N linearly spaced, default N 15) or a comma list",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m simulate``; every flag's default is in its help."""
    parser = argparse.ArgumentParser(
        prog="python -m simulate",
        description=(
            "Train decision trees on make_classification data over a grid of class weights alpha "
            "and class separations, score each on a held-out split, and compare the best weight "
            "for F1 with the theory's. Each (class_sep, repetition) dataset is generated once and "
            "fitted at every alpha."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    sweep = parser.add_argument_group("the sweep")
    add_grid_arguments(sweep)
    sweep.add_argument(
        "--reps",
        type=bounded(_AT_LEAST_ONE, int),
        default=_DEFAULTS.reps,
        help="datasets per class_sep",
    )
    data = parser.add_argument_group("the data (make_classification) and its split")
    data.add_argument(
        "--n-samples",
        type=bounded(_AT_LEAST_ONE, int),
        default=_DEFAULTS.n_samples,
        help="samples per dataset, train and test together",
    )
    data.add_argument(
        "--n-features",
        type=bounded(Interval(2, np.inf, "left"), int),
        default=_DEFAULTS.n_features,
        help="features per dataset, at least 2",
    )
    data.add_argument(
        "--n-informative",
        type=bounded(Interval(2, np.inf, "left"), int),
        default=_DEFAULTS.n_informative,
        help="informative features, 2 to n-features",
    )
    data.add_argument(
        "--flip-y",
        type=bounded(Interval(0.0, 1.0, "left")),
        default=_DEFAULTS.flip_y,
        help="fraction of labels flipped at random, in [0, 1)",
    )
    data.add_argument(
        "--test-size",
        type=bounded(Interval(0.0, 1.0)),
        default=_DEFAULTS.test_size,
        help="held-out fraction, in (0, 1)",
    )
    data.add_argument(
        "--seed",
        type=bounded(Interval(0, 2**32 - 1, "both"), int),
        default=_DEFAULTS.seed,
        help="fixes every random draw; the same seed gives the same numbers for any --n-jobs",
    )
    model = parser.add_argument_group("the model")
    model.add_argument(
        "--engine",
        choices=ENGINE_NAMES,
        default=_DEFAULTS.engine,
        help="decision-tree implementation",
    )
    model.add_argument(
        "--max-depth",
        type=bounded(_AT_LEAST_ONE, int),
        default=None,
        help="depth limit of the trees (default: none, grown until leaves are pure)",
    )
    model.add_argument(
        "--min-samples-leaf",
        type=bounded(_AT_LEAST_ONE, int),
        default=_DEFAULTS.min_samples_leaf,
        help="smallest number of training samples in a leaf",
    )
    run = parser.add_argument_group("running")
    run.add_argument(
        "--n-jobs",
        type=n_jobs,
        default=-1,
        help="worker processes; -1 uses every core",
    )
    run.add_argument(
        "--backend",
        choices=backend_names(),
        default=DEFAULT_BACKEND,
        help="joblib backend; 'dask' runs on a dask.distributed cluster (needs --scheduler)",
    )
    run.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="dask scheduler address, e.g. tcp://127.0.0.1:8786 (only with --backend dask)",
    )
    run.add_argument(
        "--out",
        type=Path,
        default=None,
        help="run directory (default: a new time-stamped folder under results/runs/)",
    )
    run.add_argument("--force", action="store_true", help="overwrite a finished run in --out")
    run.add_argument(
        "--resume",
        action="store_true",
        help="continue the interrupted run in --out from its finished chunks",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar and no table")
    run.add_argument("--no-plots", action="store_true", help="do not draw the F1 figure")
    return parser


def format_separation_table(table: pd.DataFrame) -> str:
    """Plain-text rendering of :func:`simulate.summary.per_separation`."""
    header = (
        "class_sep",
        "best alpha [95% CI]",
        "F1 at 1",
        "F1 best",
        "F1 at (1-b)/b",
        "p fit",
        "theory bce",
        "theory bayes",
    )
    rows = [
        (
            f"{row.class_sep:g}",
            f"{row.alpha_best:.3g} [{row.alpha_best_low:.3g}, {row.alpha_best_high:.3g}]",
            f"{row.f1_at_1:.4f}",
            f"{row.f1_best:.4f}",
            f"{row.f1_at_inverse:.4f}",
            f"{row.p_fit:.3g}",
            f"{row.alpha_bce:.3g}",
            f"{row.alpha_bayes:.3g}",
        )
        for row in table.itertuples()
    ]
    return format_table(header, rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (2 for bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = {
        name: getattr(args, name)
        for name in (
            "beta",
            "alphas",
            "seps",
            "reps",
            "n_samples",
            "n_features",
            "n_informative",
            "flip_y",
            "test_size",
            "seed",
            "engine",
            "max_depth",
            "min_samples_leaf",
        )
    }
    out = args.out or Path("results", "runs", time.strftime("%Y%m%d-%H%M%S"))
    try:
        config = SweepConfig(**settings)
        fits = run_sweep(
            config,
            n_jobs=args.n_jobs,
            out=out,
            progress=not args.quiet,
            resume=args.resume,
            force=args.force,
            backend=args.backend,
            scheduler=args.scheduler,
        )
    except ValueError as error:
        parser.error(_as_flags(str(error)))
    except KeyboardInterrupt:
        print(
            f"\ninterrupted; finished chunks are kept in {out}; rerun with --resume",
            file=sys.stderr,
        )
        return 130
    if not args.no_plots:
        figure = plot_score_vs_alpha(per_cell(fits), beta=config.beta)
        with store.atomic_path(out / _FIGURE_FILE) as temporary:
            figure.savefig(temporary, format="png")
    if not args.quiet:
        record = store.read_json(out / store.RUN_FILE)
        print(format_separation_table(per_separation(fits, config.beta, seed=config.seed)))
        print(
            f"{record['n_fits']} fits in {record['elapsed_seconds']:.1f} s "
            f"({record['fits_per_second']:.0f} fits/s, engine {config.engine}); wrote {out}"
        )
    return 0


def _as_flags(message: str) -> str:
    """Name command-line flags instead of API parameters in a validation message."""
    for name in (*SweepConfig.__dataclass_fields__, "n_jobs", "scheduler", "backend"):
        message = message.replace(f"'{name}' parameter", f"'--{name.replace('_', '-')}' flag")
    return message
