"""Speed of the theory package: expected scores on a grid, and optimal weights for many problems.

Run from the repository root::

    python benchmarks/bench_theory.py [--repeat 3] [--seed 0]

It times, at beta = 0.01,

- ``expected_scores`` on a 1000 x 1000 grid of (alpha, p), alpha in logspace(0, 2.5) and p in
  logspace(0.3, 1.6) (the post's figure, dense), for both rules, and the same grid for the binormal
  family with d in linspace(0.1, 4);
- ``optimal_alpha`` for 10,000 random (beta, p) pairs, beta log-uniform in [1e-3, 0.5] and p
  log-uniform in [2, 40], for both rules and for F1 and balanced accuracy, and the same for the
  binormal family with d uniform in [0.1, 4].

Every case is warmed up once on a 2 x 2 input, then the best wall time of ``--repeat`` runs is
printed with the machine and the versions. The package is plain NumPy (no JIT), so there is no
compilation to time separately. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable

import numpy as np
import scipy
from _machine import cpu_model

from params.post import BETA
from theory import Binormal, Superellipse, expected_scores, optimal_alpha

GRID_SIZE = 1000
PAIRS = 10_000
RULES = ("bce", "bayes")
METRICS = ("f1", "balanced_accuracy")


def best_time(
    function: Callable[..., object], *args: object, repeat: int, **kwargs: object
) -> float:
    """Smallest wall time, in seconds, of ``repeat`` calls of ``function(*args, **kwargs)``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (default: 3)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random pairs")
    args = parser.parse_args()

    alpha = np.logspace(0, 2.5, GRID_SIZE)[:, None]
    grids = {
        "superellipse": np.logspace(0.3, 1.6, GRID_SIZE),
        "binormal": Binormal(np.linspace(0.1, 4.0, GRID_SIZE)),
    }
    rng = np.random.default_rng(args.seed)
    betas = np.exp(rng.uniform(np.log(1e-3), np.log(0.5), PAIRS))
    problems = {
        "superellipse": Superellipse(10 ** rng.uniform(0.3, 1.6, PAIRS)),
        "binormal": Binormal(rng.uniform(0.1, 4.0, PAIRS)),
    }
    tiny = {"superellipse": Superellipse([2.0, 5.0]), "binormal": Binormal([0.5, 2.0])}

    print("theory benchmark")
    print(f"command:  python {' '.join(sys.argv)}")
    print(f"python:   {platform.python_version()} ({platform.python_implementation()})")
    print(f"numpy:    {np.__version__}, scipy {scipy.__version__}")
    print(f"cpu:      {cpu_model()}, {os.cpu_count()} logical cores")
    print(
        f"timing:   best of {args.repeat} wall-clock runs after one warm-up call on a 2 x 2 input"
    )
    print()
    print(f"expected_scores, {GRID_SIZE} x {GRID_SIZE} grid, beta = {BETA}")
    print("  alpha in logspace(0, 2.5) x superellipse p in logspace(0.3, 1.6)")
    print("                            x binormal d in linspace(0.1, 4)")
    for family, curve in grids.items():
        for rule in RULES:
            expected_scores(alpha[:2], BETA, tiny[family], rule=rule)
            seconds = best_time(expected_scores, alpha, BETA, curve, rule=rule, repeat=args.repeat)
            print(f"  {family:<13} {rule:<6} {seconds:8.3f} s")
    print()
    print(f"optimal_alpha, {PAIRS:,} random pairs, beta log-uniform in [0.001, 0.5]")
    print("  x superellipse p log-uniform in [2, 40], or binormal d uniform in [0.1, 4]")
    for family, curve in problems.items():
        for rule in RULES:
            for metric in METRICS:
                optimal_alpha(betas[:2], tiny[family], metric=metric, rule=rule)
                seconds = best_time(
                    optimal_alpha, betas, curve, metric=metric, rule=rule, repeat=args.repeat
                )
                print(f"  {family:<13} {rule:<6} {metric:<18} {seconds:8.3f} s")


if __name__ == "__main__":
    main()
