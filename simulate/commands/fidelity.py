"""``python -m simulate.fidelity``: the command line of :mod:`simulate.studies.fidelity`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from params.commands import run_command
from params.settings import add_arguments, settings_from_arguments
from simulate.analysis.summary import cell_keys
from simulate.commands._studies import unless_quiet
from simulate.config import GRID_SETTINGS, SweepConfig
from simulate.runs.backends import ParallelConfig
from simulate.studies.fidelity import DEFAULT_REPS, MIN_REPS, run_fidelity

#: The sweep settings the command takes.
FIDELITY_SETTINGS = (*GRID_SETTINGS, "reps", "n_samples", "seed")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m simulate.fidelity``."""
    parser = argparse.ArgumentParser(
        prog="python -m simulate.fidelity",
        description="Run the same sweep with the numba and the sklearn engines and compare mean "
        "F1 per (class_sep, alpha) cell: a paired chi-square over cells and the mean z-score. "
        f"At least {MIN_REPS} datasets per class_sep.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    add_arguments(parser, SweepConfig, FIDELITY_SETTINGS, defaults={"reps": DEFAULT_REPS})
    add_arguments(parser, ParallelConfig, ("n_jobs",))
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print its per-cell z-scores and summary; returns the exit status
    (see :func:`params.commands.run_command`)."""
    return run_command(build_parser(), _run, argv, kept=_kept, progress=unless_quiet)


def _run(args: argparse.Namespace) -> int:
    """Compare the engines on the sweep ``args`` describe and print the comparison."""
    result = run_fidelity(
        **settings_from_arguments(SweepConfig, args),
        n_jobs=args.n_jobs,
        progress=not args.quiet,
    )
    keys = cell_keys(result.cells)
    z = result.cells.pivot(index=keys, columns="alpha", values="z")
    z.columns = [f"{a:.3g}" for a in z.columns]
    print(f"z-score of mean F1 (numba - sklearn) per cell; rows {', '.join(keys)}, columns alpha")
    print(z.round(2).to_string())
    print(
        f"\ncells {len(result.cells)}, fits per engine {int(result.cells['n'].sum())}, "
        f"identical confusion counts {result.identical_fraction:.1%}\n"
        f"per cell: chi-square {result.chi_square:.1f} on {result.dof} dof "
        f"(p = {result.p_value:.3f}; cells of one class_sep share datasets, so indicative), "
        f"mean z {result.mean_z:+.3f}, "
        f"mean |F1 difference| {result.cells['difference'].abs().mean():.4f}\n"
        f"per class_sep (difference averaged over alphas, independent): chi-square "
        f"{result.separation_chi_square:.1f} on {result.separation_dof} dof "
        f"(p = {result.separation_p_value:.3f})"
    )
    return 0


def _kept(args: argparse.Namespace) -> str:
    """What a stopped comparison leaves behind."""
    return "the comparison writes no files: run it again"


if __name__ == "__main__":
    sys.exit(main())
