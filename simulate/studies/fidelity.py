"""``python -m simulate.fidelity``: does the numba engine score like scikit-learn's tree?

Both engines fit the very same datasets (a sweep's seeds fix its data, not its engine), so the
comparison is paired: per (class_sep, alpha) cell, the mean of the per-dataset F1 differences and
its standard error give a t statistic, mapped to the standard-normal score with the same tail
probability. Under agreement the scores are standard normal, so their sum of squares is
chi-square with one degree of freedom per cell (cells whose differences are all zero count as 0).
"""

from __future__ import annotations

import dataclasses
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from params.validation import ParameterError
from simulate.analysis.summary import cell_keys
from simulate.config import SweepConfig
from simulate.sweep import run_sweep

__all__ = ["DEFAULT_REPS", "MIN_REPS", "Fidelity", "compare_engines", "run_fidelity"]

#: Fewest datasets per cell accepted: a t statistic from fewer is too erratic.
MIN_REPS = 5
#: Datasets per class_sep unless told otherwise: enough for the test, quick to run.
DEFAULT_REPS = 10


class Fidelity(NamedTuple):
    """Agreement of two engines over a sweep's cells."""

    cells: pd.DataFrame
    """Per cell: its cell keys (class_sep; flip_y; dataset: :func:`~simulate.analysis.summary.
    cell_keys`), alpha, f1 of each engine, mean difference, its standard error, count n and z."""
    chi_square: float
    """Sum of the cells' squared z-scores."""
    dof: int
    """Number of cells, less those whose differences are all zero (they carry no information)."""
    p_value: float
    """Chance of a chi-square at least this large if the engines agree and the cells were
    independent. Cells of one class_sep share their datasets, so their scores are correlated and
    this p-value is only indicative; :attr:`separation_p_value` is the exact test."""
    mean_z: float
    """Mean z-score: near 0 unless one engine scores systematically higher."""
    identical_fraction: float
    """Fraction of fits whose confusion counts are identical."""
    separation_chi_square: float
    """Sum of squared scores, one per condition (class_sep), of each dataset's F1 difference
    averaged over the weights. Different conditions use different datasets, so these scores are
    independent (label noise levels share theirs: with a ``flip_y`` list, only indicative)."""
    separation_dof: int
    """Number of conditions with any difference."""
    separation_p_value: float
    """Chance of a separation chi-square at least this large if the engines agree."""


def compare_engines(reference: pd.DataFrame, candidate: pd.DataFrame) -> Fidelity:
    """Paired comparison of two sweeps' per-fit tables made with the same settings and seed.

    Parameters
    ----------
    reference, candidate : DataFrame
        Per-fit tables (the cell keys, class_sep or flip_y and class_sep or dataset; alpha, rep,
        tp, fp, fn, tn, f1) of the same sweep run by two engines.

    Returns
    -------
    Fidelity

    Raises
    ------
    ValueError
        If the tables do not hold the same conditions and fits.
    """
    conditions = cell_keys(reference)
    if cell_keys(candidate) != conditions:
        raise ValueError(
            f"The two sweeps have other conditions: {', '.join(conditions)} against "
            f"{', '.join(cell_keys(candidate))}."
        )
    keys = [*conditions, "alpha", "rep"]
    merged = reference.merge(candidate, on=keys, suffixes=("_reference", "_candidate"))
    if len(merged) != len(reference) or len(merged) != len(candidate):
        raise ValueError(f"The two sweeps do not hold the same ({', '.join(keys)}) fits.")
    merged["difference"] = merged["f1_candidate"] - merged["f1_reference"]
    counts = ["tp", "fp", "fn", "tn"]
    identical = np.all(
        merged[[f"{c}_reference" for c in counts]].to_numpy()
        == merged[[f"{c}_candidate" for c in counts]].to_numpy(),
        axis=1,
    )
    cells = _scores(merged, [*conditions, "alpha"])
    separations = _scores(
        merged.groupby([*conditions, "rep"], as_index=False)["difference"].mean(), conditions
    )
    chi_square, dof, p_value = _chi_square(cells)
    separation_chi_square, separation_dof, separation_p_value = _chi_square(separations)
    return Fidelity(
        cells=cells,
        chi_square=chi_square,
        dof=dof,
        p_value=p_value,
        mean_z=float(np.mean(cells["z"])),
        identical_fraction=float(np.mean(identical)),
        separation_chi_square=separation_chi_square,
        separation_dof=separation_dof,
        separation_p_value=separation_p_value,
    )


def _scores(differences: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per group of ``keys``: mean F1 of each engine (when present), mean difference, its
    standard error, count and normal score."""
    columns = {"difference": ("difference", "mean"), "sd": ("difference", "std")}
    columns["n"] = ("difference", "size")
    for engine in ("f1_reference", "f1_candidate"):
        if engine in differences:
            columns[engine] = (engine, "mean")
    table = differences.groupby(keys, sort=True).agg(**columns).reset_index()
    table["se"] = table.pop("sd").fillna(0.0) / np.sqrt(table["n"])
    table["z"] = _paired_z(
        table["difference"].to_numpy(), table["se"].to_numpy(), table["n"].to_numpy()
    )
    return table


def _chi_square(table: pd.DataFrame) -> tuple[float, int, float]:
    """Chi-square of the scores, its degrees of freedom (groups with any difference) and p."""
    informative = (table["se"] > 0) | (table["difference"] != 0)
    chi_square = float(np.sum(table["z"][informative] ** 2))
    dof = int(informative.sum())
    return chi_square, dof, float(stats.chi2.sf(chi_square, dof)) if dof else 1.0


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


def run_fidelity(
    config: SweepConfig | None = None,
    *,
    n_jobs: int | None = None,
    progress: bool = True,
    **settings: Any,
) -> Fidelity:
    """Run one sweep with each engine on the same datasets and compare them.

    Parameters
    ----------
    config : SweepConfig, optional
        The sweep (its ``engine`` is ignored); by default the post's grid at
        :data:`DEFAULT_REPS` datasets per class_sep. Any :class:`SweepConfig` field may be given
        as a keyword instead, or on top.
    n_jobs : int, optional
        Worker processes; None or -1 uses every core.
    progress : bool, default True
        Show a progress bar per engine.

    Returns
    -------
    Fidelity
        scikit-learn's tree as the reference, the numba engine as the candidate.

    Raises
    ------
    ValueError
        For bad settings, or fewer than :data:`MIN_REPS` datasets per class_sep.
    """
    config = dataclasses.replace(config or SweepConfig(reps=DEFAULT_REPS), **settings)
    if config.reps < MIN_REPS:
        allowed = f"an int in the range [{MIN_REPS}, inf)"
        raise ParameterError("reps", "run_fidelity", allowed, config.reps)
    fits = {
        engine: run_sweep(config, engine=engine, n_jobs=n_jobs, progress=progress).fits
        for engine in ("sklearn", "numba")
    }
    return compare_engines(fits["sklearn"], fits["numba"])
