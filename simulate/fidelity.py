"""``python -m simulate.fidelity``: does the numba engine score like scikit-learn's tree?

Both engines fit the very same datasets (a sweep's seeds fix its data, not its engine), so the
comparison is paired: per (class_sep, alpha) cell, the mean of the per-dataset F1 differences and
its standard error give a t statistic, mapped to the standard-normal score with the same tail
probability. Under agreement the scores are standard normal, so their sum of squares is
chi-square with one degree of freedom per cell (cells whose differences are all zero count as 0).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from simulate.config import DEFAULT_SEPS, SweepConfig
from simulate.sweep import run_sweep
from theory._argtypes import bounded, grid, n_jobs
from theory._validation import Interval

__all__ = ["Fidelity", "compare_engines", "main"]


#: Fewest datasets per cell the command accepts: a t statistic from fewer is too erratic.
MIN_REPS = 5


class Fidelity(NamedTuple):
    """Agreement of two engines over a sweep's cells."""

    cells: pd.DataFrame
    """Per cell: class_sep, alpha, f1 of each engine, mean difference, its standard error, z."""
    chi_square: float
    """Sum of the cells' squared z-scores."""
    dof: int
    """Number of cells."""
    p_value: float
    """Chance of a chi-square at least this large if the engines agree."""
    mean_z: float
    """Mean z-score: near 0 unless one engine scores systematically higher."""
    identical_fraction: float
    """Fraction of fits whose confusion counts are identical."""


def compare_engines(reference: pd.DataFrame, candidate: pd.DataFrame) -> Fidelity:
    """Paired comparison of two sweeps' per-fit tables made with the same settings and seed.

    Parameters
    ----------
    reference, candidate : DataFrame
        Per-fit tables (class_sep, alpha, rep, tp, fp, fn, tn, f1) of the same sweep run by two
        engines.

    Returns
    -------
    Fidelity

    Raises
    ------
    ValueError
        If the tables do not hold the same fits.
    """
    keys = ["class_sep", "alpha", "rep"]
    merged = reference.merge(candidate, on=keys, suffixes=("_reference", "_candidate"))
    if len(merged) != len(reference) or len(merged) != len(candidate):
        raise ValueError("The two sweeps do not hold the same (class_sep, alpha, rep) fits.")
    merged["difference"] = merged["f1_candidate"] - merged["f1_reference"]
    counts = ["tp", "fp", "fn", "tn"]
    identical = np.all(
        merged[[f"{c}_reference" for c in counts]].to_numpy()
        == merged[[f"{c}_candidate" for c in counts]].to_numpy(),
        axis=1,
    )
    grouped = merged.groupby(["class_sep", "alpha"], sort=True)
    cells = grouped.agg(
        f1_reference=("f1_reference", "mean"),
        f1_candidate=("f1_candidate", "mean"),
        difference=("difference", "mean"),
        sd=("difference", "std"),
        n=("difference", "size"),
    ).reset_index()
    cells["se"] = cells.pop("sd").fillna(0.0) / np.sqrt(cells["n"])
    z = _paired_z(cells["difference"].to_numpy(), cells["se"].to_numpy(), cells["n"].to_numpy())
    cells["z"] = z
    chi_square = float(np.sum(z**2))
    dof = len(cells)
    return Fidelity(
        cells=cells,
        chi_square=chi_square,
        dof=dof,
        p_value=float(stats.chi2.sf(chi_square, dof)),
        mean_z=float(np.mean(z)),
        identical_fraction=float(np.mean(identical)),
    )


def _paired_z(difference: np.ndarray, se: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Standard-normal score of each cell's paired t statistic (t with n - 1 degrees of freedom).

    A cell whose differences are all equal has no spread: its score is 0 if they are all zero and
    infinite otherwise (a systematic difference).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        t = difference / se
        tail = stats.t.sf(np.abs(t), np.maximum(n - 1, 1))
        z = np.sign(t) * stats.norm.isf(tail)
    degenerate = np.where(difference == 0, 0.0, np.copysign(np.inf, difference))
    return np.where(se > 0, z, degenerate)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m simulate.fidelity``."""
    parser = argparse.ArgumentParser(
        prog="python -m simulate.fidelity",
        description="Run the same sweep with the numba and the sklearn engines and compare mean "
        "F1 per (class_sep, alpha) cell: a paired chi-square over cells and the mean z-score.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    positive = Interval(0.0, np.inf)
    at_least_one = Interval(1, np.inf, "left")
    parser.add_argument(
        "--beta",
        type=bounded(Interval(0.0, 1.0)),
        default=0.01,
        help="prevalence of the positive class, in (0, 1)",
    )
    parser.add_argument(
        "--alphas",
        type=grid(positive, spacing="log"),
        default="1:316.227766:15",
        help="weights, LO:HI[:N] log-spaced or a comma list",
    )
    parser.add_argument(
        "--seps",
        type=grid(positive, spacing="linear"),
        default=",".join(f"{s:g}" for s in DEFAULT_SEPS),
        help="class_sep values, LO:HI[:N] linearly spaced or a comma list",
    )
    parser.add_argument(
        "--reps",
        type=bounded(Interval(MIN_REPS, np.inf, "left"), int),
        default=10,
        help="datasets per class_sep, each fitted by both engines",
    )
    parser.add_argument(
        "--n-samples", type=bounded(at_least_one, int), default=10_000, help="samples per dataset"
    )
    parser.add_argument(
        "--seed",
        type=bounded(Interval(0, 2**32 - 1, "both"), int),
        default=0,
        help="fixes every random draw",
    )
    parser.add_argument(
        "--n-jobs", type=n_jobs, default=-1, help="worker processes; -1 uses every core"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print its per-cell z-scores and summary."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        config = SweepConfig(
            beta=args.beta,
            alphas=args.alphas,
            seps=args.seps,
            reps=args.reps,
            n_samples=args.n_samples,
            seed=args.seed,
        )
        runs = {
            engine: run_sweep(config, engine=engine, n_jobs=args.n_jobs, progress=not args.quiet)
            for engine in ("sklearn", "numba")
        }
    except ValueError as error:
        parser.error(str(error))
    result = compare_engines(runs["sklearn"], runs["numba"])
    z = result.cells.pivot(index="class_sep", columns="alpha", values="z")
    z.columns = [f"{a:.3g}" for a in z.columns]
    print("z-score of mean F1 (numba - sklearn) per cell; rows class_sep, columns alpha")
    print(z.round(2).to_string())
    print(
        f"\ncells {result.dof}, fits per engine {len(runs['numba'])}, "
        f"identical confusion counts {result.identical_fraction:.1%}\n"
        f"chi-square {result.chi_square:.1f} on {result.dof} dof (p = {result.p_value:.3f}), "
        f"mean z {result.mean_z:+.3f}, "
        f"mean |F1 difference| {result.cells['difference'].abs().mean():.4f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
