"""``python -m plots``: every figure, rebuilt from the theory and a saved run.

The command reads a run directory (``summary.csv`` and ``run.json``, verified against the
checksums the run recorded, see :mod:`simulate.runs.folder`), builds each figure of
:data:`FIGURES` and writes it to the output folder, atomically, then draws the run's own figure
(``f1_vs_alpha.png``) into the run directory again. Bad input (a missing, unfinished or damaged
run directory, an unknown format, a folder that cannot be written) ends with a one-line message
and exit status 2.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from params.argtypes import path
from params.commands import error_prefix, run_command
from plots.costs import plot_cost_weights
from plots.datasets import plot_datasets
from plots.focal import plot_focal_loss
from plots.knobs import plot_knobs
from plots.models import plot_prediction_error, plot_rule_fit
from plots.movement import plot_movement
from plots.noise import plot_label_noise
from plots.optimum_map import plot_optimal_alpha_map
from plots.save import FORMATS, save_figure, save_run_figure
from plots.scores import plot_theoretic_scores
from plots.simulation import (
    plot_empirical_scores,
    plot_operating_points,
    plot_theory_gap,
    plot_theory_vs_simulation,
)
from plots.spread import plot_binormal_spread
from plots.thresholding import plot_thresholding
from plots.tradeoff import plot_tradeoff_curves
from plots.validation import plot_balanced_validation
from simulate.analysis.summary import SUMMARY_SCORES, cell_keys
from simulate.runs.folder import FIGURE_FILE, RUN_FILE, SUMMARY_FILE, load_run
from simulate.studies.comparison import (
    contest_tables,
    find_runs,
    knob_summaries,
    movement_tables,
    prediction_errors,
    rule_fit,
    run_prevalence,
    run_summaries,
    separation_tables,
)

__all__ = ["DEFAULT_OUT", "DEFAULT_RUN", "FIGURES", "FORMATS", "RunSummary", "build_parser", "main"]

#: Where the reference run lives.
DEFAULT_RUN = Path("results", "reference")
#: Where the figures go.
DEFAULT_OUT = Path("results", "figures")
#: Where the models study's runs live, one folder per model.
DEFAULT_MODELS = Path("results", "models")
#: Where the knobs study's runs live, one folder per (model, knob).
DEFAULT_KNOBS = Path("results", "knobs")
#: Where the label-noise study's runs live, one folder per model.
DEFAULT_NOISE = Path("results", "noise")
#: Where the real-data study's runs live, one folder per model.
DEFAULT_DATASETS = Path("results", "datasets")
_RATE_SCORES = frozenset(SUMMARY_SCORES)


class RunSummary(NamedTuple):
    """What the figures need: a run's per-cell table and its prevalence, and the run folders of
    the models, knobs, label-noise and real-data studies."""

    summary: pd.DataFrame
    beta: float
    model_runs: tuple[Path, ...] = ()
    knob_runs: tuple[Path, ...] = ()
    noise_runs: tuple[Path, ...] = ()
    dataset_runs: tuple[Path, ...] = ()


#: File stem -> function of the run that builds the figure, in the order the files are written.
FIGURES: dict[str, Callable[[RunSummary], Figure]] = {
    "tradeoff_viz": lambda run: plot_tradeoff_curves(),
    "theoretic_scores": lambda run: plot_theoretic_scores("f1"),
    "theoretic_scores_balanced_accuracy": lambda run: plot_theoretic_scores("balanced_accuracy"),
    "empirical_scores": lambda run: plot_empirical_scores(run.summary, beta=run.beta),
    "theory_vs_simulation": lambda run: plot_theory_vs_simulation(run.summary, beta=run.beta),
    "optimal_alpha_map": lambda run: plot_optimal_alpha_map(),
    "operating_points": lambda run: plot_operating_points(run.summary, beta=run.beta),
    "balanced_validation": lambda run: plot_balanced_validation(),
    "focal_loss": lambda run: plot_focal_loss(),
    "cost_weights": lambda run: plot_cost_weights(),
    "binormal_spread": lambda run: plot_binormal_spread(),
    "theory_gap": lambda run: plot_theory_gap(run.summary, beta=run.beta),
    "rule_fit": lambda run: plot_rule_fit(rule_fit(run.model_runs)),
    "prediction_error": lambda run: plot_prediction_error(prediction_errors(run.model_runs)),
    "movement": lambda run: plot_movement(movement_tables(run.model_runs)),
    "knobs": lambda run: plot_knobs(knob_summaries(run.knob_runs)),
    "thresholding": lambda run: plot_thresholding(contest_tables(run.model_runs)),
    "label_noise": lambda run: plot_label_noise(separation_tables(run.noise_runs)),
    "datasets": lambda run: plot_datasets(
        run_summaries(run.dataset_runs), beta=run_prevalence(run.dataset_runs)
    ),
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m plots``; every flag's default is in its help."""
    parser = argparse.ArgumentParser(
        prog="python -m plots",
        description=(
            "Draw every figure of the study: the theory's (tradeoff curves, expected F1 and "
            "balanced accuracy against the class weight, the best weight over prevalence and "
            "curve quality, a threshold chosen on a balanced validation set, the focal loss, the "
            "least-cost weight, the binormal with unequal variances) and a saved run's "
            "(simulated F1, the theory beside it, the operating points, the theory on symmetric "
            "and asymmetric fits) and the models study's (which rule describes which model, the "
            "theory's prediction error per model, how far each model moves; the knobs compared; "
            "weighting against threshold tuning; label noise; real data sets), and write them as "
            f"{', '.join(f'{n}.<format>' for n in FIGURES)}"
            f"; draw the run's own {FIGURE_FILE} into the run directory again."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--run",
        type=path,
        default=DEFAULT_RUN,
        help=f"run directory holding {SUMMARY_FILE} and {RUN_FILE} (python -m simulate --out)",
    )
    parser.add_argument(
        "--models",
        type=path,
        default=DEFAULT_MODELS,
        help="folder of the models study's runs, one per model (python -m simulate --model)",
    )
    parser.add_argument(
        "--knobs",
        type=path,
        default=DEFAULT_KNOBS,
        help="folder of the knobs study's runs, one per model and knob (python -m simulate --knob)",
    )
    parser.add_argument(
        "--noise",
        type=path,
        default=DEFAULT_NOISE,
        help="folder of the label-noise study's runs, one per model (python -m simulate --flip-y)",
    )
    parser.add_argument(
        "--datasets",
        type=path,
        default=DEFAULT_DATASETS,
        help="folder of the real-data study's runs, one per model (python -m simulate --dataset)",
    )
    parser.add_argument("--out", type=path, default=DEFAULT_OUT, help="folder for the figures")
    parser.add_argument("--format", choices=FORMATS, default="png", help="file format")
    parser.add_argument("--quiet", action="store_true", help="do not list the written files")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see :func:`params.commands.run_command`)."""
    return run_command(build_parser(), _run, argv)


def _run(args: argparse.Namespace) -> int:
    """Draw every figure from the runs ``args`` name into ``args.out``, and the run's own."""
    run = read_run(args.run)._replace(
        model_runs=tuple(find_runs(args.models, keys=("class_sep",))),
        knob_runs=tuple(find_runs(args.knobs, keys=("class_sep",))),
        noise_runs=tuple(find_runs(args.noise, keys=("flip_y", "class_sep"))),
        dataset_runs=tuple(find_runs(args.datasets, keys=("dataset",))),
    )
    with error_prefix(f"The output folder {str(args.out)!r} cannot be created"):
        args.out.mkdir(parents=True, exist_ok=True)
    figures = FIGURES if cell_keys(run.summary) == ["class_sep"] else {}
    if not figures and not args.quiet:
        print(f"{args.run} is a run on real data or with label noise: drawing its own figure only")
    for name, build in figures.items():
        with error_prefix(f"Cannot draw {name} from {str(args.run)!r}"):
            figure = build(run)
        target = args.out / f"{name}.{args.format}"
        with error_prefix(f"Cannot write {str(target)!r}"):
            save_figure(figure, target, format=args.format)
        if not args.quiet:
            print(f"wrote {target}")
    with error_prefix(f"Cannot write {str(args.run / FIGURE_FILE)!r}"):
        target = save_run_figure(run.summary, run.beta, args.run)
    if not args.quiet:
        print(f"wrote {target}")
    return 0


def read_run(directory: str | Path) -> RunSummary:
    """The per-cell table and prevalence of a finished run, checked for what the figures need.

    Parameters
    ----------
    directory : path
        A run directory written by :func:`simulate.run_sweep` (only ``summary.csv`` and
        ``run.json`` are needed).

    Returns
    -------
    RunSummary

    Raises
    ------
    ValueError
        If the directory is missing or unfinished, or ``summary.csv`` / ``run.json`` cannot be
        read, lacks a column or the prevalence, or holds values out of range; the message names
        the directory.
    """
    where = f"The run directory {str(directory)!r}"
    data = load_run(directory)
    summary = data.summary
    keys = cell_keys(summary)
    needed = [
        *(keys if "class_sep" in keys or "dataset" in keys else ["class_sep"]),
        "alpha",
        *(f"{score}_{part}" for score in SUMMARY_SCORES for part in ("mean", "se")),
    ]
    missing = [c for c in needed if c not in summary.columns]
    if missing:
        raise ValueError(
            f"{where} is corrupt: {SUMMARY_FILE} lacks the columns "
            f"{', '.join(repr(c) for c in missing)}."
        )
    values = summary[[c for c in needed if c != "dataset"]].apply(pd.to_numeric, errors="coerce")
    if len(values) == 0 or not np.isfinite(values.to_numpy(dtype=np.float64)).all():
        raise ValueError(f"{where} is corrupt: {SUMMARY_FILE} has no rows or non-numeric values.")
    means = values[[f"{score}_mean" for score in _RATE_SCORES]]
    if (values["alpha"] <= 0).any() or ((means < 0) | (means > 1)).any().any():
        raise ValueError(
            f"{where} is corrupt: {SUMMARY_FILE} has a weight <= 0 or a mean score outside [0, 1]."
        )
    beta = data.run["config"].get("beta") if isinstance(data.run["config"], dict) else None
    if isinstance(beta, bool) or not isinstance(beta, int | float) or not 0.0 < beta < 1.0:
        raise ValueError(
            f"{where} is corrupt: {RUN_FILE} has no prevalence 'beta' in (0, 1) in its config."
        )
    return RunSummary(summary=summary.assign(**values), beta=float(beta))
