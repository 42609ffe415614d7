"""Fits per second per core of each model, and what a full grid costs on two cores.

For each model, ``simulate.run_sweep`` runs in one process (``n_jobs=1``) on the post's 15 alphas
at 3 class_seps (0.05, 1.52, 3) with ``--reps`` datasets each, after a warm-up run (imports, JIT).
It prints the fits per second on that core and, from it, the projected time of the post's 15 x 15
grid at 100 repetitions on two cores (a projection: twice the one-core rate, which the sweep's
independent chunks reach on an otherwise idle machine). With ``--quick-start`` it also times, on
two workers, the quick-start-sized command at each model's default repetitions: ``run_sweep(beta=
0.01, alphas=1:250 (15 values), model=M)``, 15 class_seps x 15 alphas x ``DEFAULT_REPS[M]``.

Run: ``python benchmarks/bench_models.py [--models hgb,mlp] [--reps 1] [--quick-start]``; the
boosting libraries beside ``hgb``: ``--models hgb,xgboost,lightgbm`` (their versions are printed).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from importlib import metadata

import numpy as np
from _machine import cpu_model

from params.post import ALPHAS, BETA
from simulate import SweepConfig, run_sweep
from simulate.config import DEFAULT_REPS
from simulate.models.boosters import BOOSTERS, library

SEPS = (0.05, 1.52, 3.0)
QUICK_START_ALPHAS = tuple(np.logspace(0, np.log10(250), 15))
#: The grid the projection is for: the post's 15 class_seps x 15 alphas x 100 repetitions.
FULL_GRID_FITS = 15 * 15 * 100


def fits_per_second(model: str, reps: int) -> float:
    """One-process throughput of ``model`` on SEPS x ALPHAS x ``reps``."""
    config = SweepConfig(alphas=ALPHAS, seps=SEPS, reps=reps, model=model)
    run_sweep(config, n_jobs=1, progress=False, seps=(1.0,), reps=1, seed=99)  # warm-up
    started = time.perf_counter()
    fits = run_sweep(config, n_jobs=1, progress=False).fits
    return len(fits) / (time.perf_counter() - started)


def quick_start_seconds(model: str) -> tuple[float, int]:
    """Wall time of the quick-start-sized command on two workers, and its number of fits."""
    config = SweepConfig(beta=BETA, alphas=QUICK_START_ALPHAS, model=model)
    started = time.perf_counter()
    run_sweep(config, n_jobs=2, progress=False)
    return time.perf_counter() - started, config.n_fits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="hgb,mlp", help="comma list of models")
    parser.add_argument("--reps", type=int, default=1, help="datasets per class_sep")
    parser.add_argument(
        "--quick-start", action="store_true", help="also time the quick-start-sized command"
    )
    args = parser.parse_args()
    models = args.models.split(",")
    print(f"command: python {' '.join(sys.argv)}")
    versions = ", ".join(
        [f"{p} {metadata.version(p)}" for p in ("numpy", "scikit-learn", "numba", "threadpoolctl")]
        + [f"{m} {library(m, 'bench_models').__version__}" for m in models if m in BOOSTERS]
    )
    print(f"python {platform.python_version()}, {versions}")
    print(
        f"cpu: {cpu_model()}; one process, one thread; cells: {len(SEPS)} class_seps x "
        f"{len(ALPHAS)} alphas x {args.reps} reps"
    )
    for model in models:
        rate = fits_per_second(model, args.reps)
        projected = FULL_GRID_FITS / (2 * rate)
        print(
            f"{model:8s}: {rate:8.2f} fits/s per core; 15 x 15 x 100 grid on two cores: "
            f"{projected / 60:7.1f} min (projected)"
        )
    if args.quick_start:
        for model in models:
            seconds, n_fits = quick_start_seconds(model)
            print(
                f"{model:8s}: quick-start-sized command, reps {DEFAULT_REPS[model]} "
                f"({n_fits} fits), two workers: {seconds:6.1f} s"
            )


if __name__ == "__main__":
    main()
