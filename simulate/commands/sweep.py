"""``python -m simulate``: the post's experiment as a command.

Every flag of a sweep setting is built from its declaration (:class:`~simulate.config.SweepConfig`,
:class:`~simulate.runs.backends.ParallelConfig`); only the flags about the run folder and the output
are the command's own.

Every failure ends with one line on stderr: bad input, a folder in use and a full disk with exit
status 2; Ctrl-C (exit 130) and SIGTERM (exit 143) at any moment with what the run folder keeps
and what to run next.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from params.argtypes import path
from params.commands import run_command
from params.settings import add_arguments, settings_from_arguments
from params.tables import format_table
from simulate.analysis.summary import (
    cell_keys,
    effect_of_noise,
    per_separation,
    prediction_error,
    weighting_vs_thresholding,
)
from simulate.config import GRID_SETTINGS, SweepConfig
from simulate.runs.backends import ParallelConfig
from simulate.runs.folder import FIGURE_FILE, RunFolder
from simulate.sweep import run_sweep

__all__ = [
    "build_parser",
    "format_contest_table",
    "format_noise_table",
    "format_prediction_table",
    "format_separation_table",
    "main",
]

#: Where runs go unless --out says otherwise.
_RUNS_DIR = Path("results", "runs")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m simulate``; every flag's default is in its help."""
    parser = argparse.ArgumentParser(
        prog="python -m simulate",
        description=(
            "Train a model (decision trees by default) on make_classification data over a grid "
            "of class weights alpha and class separations (or on real data sets, --dataset; "
            "with label noise, --flip-y), score each on a held-out split, and compare the best "
            "weight for F1 with the theory's. Each (class_sep, repetition) dataset is drawn "
            "once and fitted at every alpha. For logreg, hgb and mlp the "
            "theory also predicts every weight from the alpha = 1 model's validation scores, "
            "and the command prints how far the predictions are from the real fits."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    add_arguments(parser.add_argument_group("the sweep"), SweepConfig, (*GRID_SETTINGS, "reps"))
    add_arguments(
        parser.add_argument_group("the data and its split"),
        SweepConfig,
        (
            "dataset",
            "target",
            "flip_y",
            "n_samples",
            "n_features",
            "n_informative",
            "test_size",
            "seed",
        ),
    )
    add_arguments(
        parser.add_argument_group("the model"),
        SweepConfig,
        (
            "model",
            "knob",
            "fractions",
            "val_size",
            "engine",
            "loss",
            "gamma",
            "max_depth",
            "min_samples_leaf",
        ),
    )
    add_arguments(
        parser.add_argument_group("the prediction"), SweepConfig, ("predictors", "bootstrap")
    )
    run = parser.add_argument_group("running")
    add_arguments(run, ParallelConfig, ("n_jobs", "backend", "scheduler"))
    run.add_argument(
        "--out",
        type=path,
        default=None,
        help=f"run directory (default: a new time-stamped folder under {_RUNS_DIR}/)",
    )
    start = run.add_mutually_exclusive_group()
    start.add_argument("--force", action="store_true", help="overwrite a finished run in --out")
    start.add_argument(
        "--resume",
        action="store_true",
        help="continue the interrupted run in --out from its finished chunks",
    )
    run.add_argument("--quiet", action="store_true", help="no progress bar and no table")
    run.add_argument("--no-plots", action="store_true", help="do not draw the F1 figure")
    return parser


def _key_cells(row: tuple, keys: Sequence[str]) -> tuple[str, ...]:
    """A table row's values of the cell keys, as text."""
    values = (getattr(row, key) for key in keys)
    return tuple(value if isinstance(value, str) else f"{value:g}" for value in values)


def format_separation_table(table: pd.DataFrame) -> str:
    """Plain-text rendering of :func:`simulate.analysis.summary.per_separation`."""
    keys = cell_keys(table)
    header = (
        *keys,
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
            *_key_cells(row, keys),
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


def format_noise_table(table: pd.DataFrame) -> str:
    """Plain-text rendering of :func:`simulate.analysis.summary.effect_of_noise`."""
    header = (
        "flip_y",
        "positives in test",
        "median best alpha",
        "F1 at 1",
        "F1 best",
        "gain",
        "weight > 1 best",
    )
    rows = [
        (
            f"{row.flip_y:g}",
            f"{row.prevalence:.4f}",
            f"{row.alpha_best:.3g}",
            f"{row.f1_at_1:.4f}",
            f"{row.f1_best:.4f}",
            f"{row.gain:+.4f} ± {row.gain_se:.4f}",
            f"{row.weight_helps:.0%}",
        )
        for row in table.itertuples()
    ]
    return format_table(header, rows)


def format_prediction_table(table: pd.DataFrame) -> str:
    """Plain-text rendering of :func:`simulate.analysis.summary.prediction_error`: per weight, the
    F1 error and bias and the recall error of each predictor, and the datasets each predictor
    could not predict."""
    names = list(dict.fromkeys(table["predictor"]))
    header = ("alpha", *(f"{name} {what}" for name in names for what in ("F1 MAE", "F1 bias")))
    header = (*header, *(f"{name} recall MAE" for name in names), "not predicted")
    by_name = {name: table[table["predictor"] == name].reset_index(drop=True) for name in names}
    rows = []
    for i, alpha in enumerate(by_name[names[0]]["alpha"]):
        cells = [f"{alpha:.4g}"]
        for name in names:
            row = by_name[name].iloc[i]
            cells += [f"{row.f1_mae:.4f}", f"{row.f1_bias:+.4f}"]
        cells += [f"{by_name[name].iloc[i].recall_mae:.4f}" for name in names]
        cells.append(" / ".join(str(int(by_name[name].iloc[i].failed)) for name in names))
        rows.append(tuple(cells))
    return format_table(header, rows)


def format_contest_table(table: pd.DataFrame) -> str:
    """Plain-text rendering of :func:`simulate.analysis.summary.weighting_vs_thresholding`."""
    keys = cell_keys(table)
    header = (
        *keys,
        "F1 at 1",
        "chosen alpha",
        "F1 weighted",
        "F1 tuned",
        "weighted - tuned",
        "weighted wins",
    )
    rows = [
        (
            *_key_cells(row, keys),
            f"{row.f1_at_1:.4f}",
            f"{row.alpha_chosen:.3g}",
            f"{row.f1_weighted:.4f}",
            f"{row.f1_tuned:.4f}",
            f"{row.difference:+.4f} ± {row.difference_se:.4f}",
            f"{row.weighted_wins:.0%}",
        )
        for row in table.itertuples()
    ]
    return format_table(header, rows)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see :func:`params.commands.run_command`).

    A full disk (status 2) and a stop (130 after Ctrl-C, 143 after SIGTERM) say what the run
    folder keeps and what to run next.
    """
    default_out = _RUNS_DIR / time.strftime("%Y%m%d-%H%M%S")

    def out(args: argparse.Namespace) -> Path:
        return args.out or default_out

    return run_command(
        build_parser(),
        lambda args: _run(args, out(args)),
        argv,
        kept=lambda args: _kept(out(args), args),
        progress=lambda args: not args.quiet,
    )


def _run(args: argparse.Namespace, out: Path) -> int:
    """Run the sweep into ``out``, draw its figure and print its table."""
    config = SweepConfig(**settings_from_arguments(SweepConfig, args))
    run = run_sweep(
        config,
        **settings_from_arguments(ParallelConfig, args),
        out=out,
        progress=not args.quiet,
        resume=args.resume,
        force=args.force,
    )
    if not args.no_plots:
        from plots import save_run_figure  # matplotlib loads only when a figure is drawn

        save_run_figure(run.summary, config.beta, out)
    if not args.quiet:
        separations = per_separation(run.fits, config.beta, seed=config.seed)
        print(format_separation_table(separations))
        if "flip_y" in run.fits.columns:
            print(
                "\nper noise level, over the class_seps (data sets) above: the share of positive "
                "test labels, the best weight, and the F1 it adds (mean ± standard error)"
            )
            print(format_noise_table(effect_of_noise(run.fits, separations)))
        errors = prediction_error(run.fits)
        if not errors.empty:
            print(
                "\nthe theory's prediction from the alpha = 1 model's validation scores against "
                "the real fits (test split; 'not predicted': datasets per rule where the alpha = 1 "
                "model sits at an end of its validation curve)"
            )
            print(format_prediction_table(errors))
        contest = weighting_vs_thresholding(run.fits)
        if not contest.empty:
            print(
                "\nthe weight chosen by validation F1 against the alpha = 1 model's threshold "
                "tuned for F1 on the same validation split (test F1, mean over datasets)"
            )
            print(format_contest_table(contest))
        print(
            f"{run.run['n_fits']} fits in {run.run['elapsed_seconds']:.1f} s "
            f"({run.run['fits_per_second']:.0f} fits/s, {config.model_description}); wrote {out}"
        )
    return 0


def _kept(out: Path, args: argparse.Namespace) -> str:
    """What the run folder keeps after a failure or an interruption, and what to run next."""
    state = RunFolder(out).state()
    if state.finished and not args.no_plots and not (out / FIGURE_FILE).exists():
        return f"the run in {out} is finished; python -m plots --run {out} draws its figure"
    if state.finished:
        return f"the run in {out} is finished"
    if state.chunks:
        kept = "1 finished chunk is" if state.chunks == 1 else f"{state.chunks} finished chunks are"
        return f"{kept} kept in {out}; rerun with --resume to continue"
    return "nothing was kept; run the command again to start over"
