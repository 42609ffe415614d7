"""``python -m simulate.focal``: the command line of :mod:`simulate.studies.focal`.

It runs one sweep per model and gamma into ``--out``, writes the per-class_sep table
(``focal.csv``) and the rule fit (``rule_fit.csv``) there with the figure ``focal.png``, and
prints, per model and gamma, the medians over class_seps beside the theory's focal rule and each
rule's RMSE against the simulated F1.
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
from simulate.commands._studies import (
    add_sweeps_arguments,
    check_sweeps_arguments,
    kept_sweeps,
    unless_quiet,
)
from simulate.config import SweepConfig
from simulate.runs.backends import ParallelConfig
from simulate.runs.folder import atomic_path
from simulate.studies.focal import (
    FOCAL_ALPHAS_TEXT,
    FocalConfig,
    focal_rule_fit,
    focal_summary,
    focal_sweeps,
    focal_table,
)
from simulate.studies.sweeps import run_sweeps

__all__ = [
    "FIGURE_FILE",
    "RULE_FIT_FILE",
    "TABLE_FILE",
    "build_parser",
    "format_rule_fit",
    "format_summary",
    "main",
]

#: The study's files, written beside its sweeps.
TABLE_FILE = "focal.csv"
RULE_FIT_FILE = "rule_fit.csv"
FIGURE_FILE = "focal.png"
#: The sweep settings the command takes (the study sets ``model``, ``loss`` and ``gamma``).
SWEEP_SETTINGS = (
    "beta",
    "alphas",
    "seps",
    "reps",
    "n_samples",
    "n_features",
    "n_informative",
    "test_size",
    "val_size",
    "seed",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m simulate.focal``."""
    parser = argparse.ArgumentParser(
        prog="python -m simulate.focal",
        description=(
            "The focal loss trained for real: for each model and gamma, sweep the post's "
            "class_seps at weights from 1e-4 to 316, training on the focal loss, and set where "
            "the models land (recall at alpha = 1, the best weight for F1, the best F1 against "
            "the cross-entropy's) beside the theory's focal rule on the binormal fitted to each "
            f"sweep. Writes one run folder per sweep, {TABLE_FILE}, {RULE_FIT_FILE} and "
            f"{FIGURE_FILE} into --out."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    add_arguments(parser, FocalConfig, ("models", "gammas"))
    shown = {"alphas": FOCAL_ALPHAS_TEXT}
    add_arguments(parser, SweepConfig, SWEEP_SETTINGS, defaults=shown)
    add_arguments(parser, ParallelConfig, ("n_jobs",))
    parser.add_argument("--out", type=path, default=Path("results", "focal"), help="output folder")
    add_sweeps_arguments(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the study and write its files; returns the exit status (see
    :func:`params.commands.run_command`)."""
    return run_command(build_parser(), _run, argv, kept=kept_sweeps, progress=unless_quiet)


def _run(args: argparse.Namespace) -> int:
    config = FocalConfig(**settings_from_arguments(FocalConfig, args))
    sweeps = focal_sweeps(config, **settings_from_arguments(SweepConfig, args))
    ParallelConfig(n_jobs=args.n_jobs)
    check_sweeps_arguments(args)
    runs = run_sweeps(
        sweeps,
        args.out,
        n_jobs=args.n_jobs,
        progress=not args.quiet,
        resume=args.resume,
        force=args.force,
    )
    table, rule_fit = focal_table(runs), focal_rule_fit(runs)
    for frame, name in ((table, TABLE_FILE), (rule_fit, RULE_FIT_FILE)):
        target = args.out / name
        with error_prefix(f"Cannot write {str(target)!r}"), atomic_path(target) as temporary:
            frame.to_csv(temporary, index=False)
    from plots import plot_focal_trained, save_figure  # draws only here

    save_figure(plot_focal_trained(table), args.out / FIGURE_FILE)
    if not args.quiet:
        print("the focal loss trained: medians over class_sep, simulated beside the focal rule")
        print(format_summary(focal_summary(table)))
        print("\neach rule's RMSE against the simulated F1 (binormal fitted per class_sep)")
        print(format_rule_fit(rule_fit))
        print(f"\nwrote {args.out}")
    return 0


def format_summary(summary: pd.DataFrame) -> str:
    """Plain-text table of :func:`~simulate.studies.focal.focal_summary`."""
    header = [
        "model", "gamma", "recall at 1", "rule", "best alpha", "rule", "best F1", "bce's",
        "rule", "bce rule", "beats bce",
    ]  # fmt: skip
    rows = [
        [
            row["model"],
            f"{row['gamma']:g}",
            f"{row['recall_at_1']:.3f}",
            f"{row['theory_recall_at_1']:.3f}",
            f"{row['best_alpha']:.3g}",
            f"{row['theory_best_alpha']:.3g}",
            f"{row['best_f1']:.3f}",
            f"{row['best_f1_bce']:.3f}",
            f"{row['theory_best_f1']:.3f}",
            f"{row['theory_best_f1_bce']:.3f}",
            f"{row['beats_bce']:.0%}",
        ]
        for _, row in summary.iterrows()
    ]
    return format_table(header, rows)


def format_rule_fit(rule_fit: pd.DataFrame) -> str:
    """Plain-text table of :func:`~simulate.studies.focal.focal_rule_fit`, one column per
    rule."""
    wide = rule_fit.pivot_table(index=["model", "gamma"], columns="rule", values="rmse", sort=False)
    rules = list(rule_fit["rule"].unique())
    rows = [
        [model, f"{gamma:g}", *(f"{wide.loc[(model, gamma), rule]:.3f}" for rule in rules)]
        for model, gamma in wide.index
    ]
    return format_table(["model", "gamma", *rules], rows)


if __name__ == "__main__":
    sys.exit(main())
