"""Speed of ``theory.what_if_scores`` on a million scores: the prediction, and its bootstrap.

Run from the repository root::

    python benchmarks/bench_whatif.py [--rows 1000000] [--weights 100] [--bootstrap 200]

The scores are a binormal model's calibrated probabilities (negatives N(0, 1), positives
N(1.5, 1), 5% positives). It times ``what_if_scores`` at ``--weights`` log-spaced weights from 1 to
316, with the default estimator (the equivalent threshold), the binormal curve and the exact hull,
and then with ``--bootstrap`` resamples of the default on one process and on every core (joblib).
Each case is warmed up on 1,000 rows first; the best wall time of ``--repeat`` runs is printed with
the machine. This is a script, not a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time

import joblib
import numpy as np
from _machine import cpu_model

from theory import what_if_scores
from theory.empirical import DEFAULT_SMOOTH
from theory.whatif_scores import THRESHOLD_ESTIMATOR

PREVALENCE = 0.05
SEPARATION = 1.5


def calibrated_scores(rows: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Labels and calibrated probabilities of a binormal model."""
    rng = np.random.default_rng(seed)
    positive = rng.random(rows) < PREVALENCE
    scores = rng.normal(size=rows) + SEPARATION * positive
    log_odds = SEPARATION * scores - SEPARATION**2 / 2 + np.log(PREVALENCE / (1 - PREVALENCE))
    return positive, 1.0 / (1.0 + np.exp(-log_odds))


def best_time(repeat: int, *args: object, **kwargs: object) -> float:
    """Smallest wall time, in seconds, of ``repeat`` calls of ``what_if_scores``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        what_if_scores(*args, **kwargs)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="scores (default: 10**6)")
    parser.add_argument("--weights", type=int, default=100, help="new weights (default: 100)")
    parser.add_argument("--bootstrap", type=int, default=200, help="resamples (default: 200)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per case (default: 3)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the scores")
    args = parser.parse_args()

    positive, scores = calibrated_scores(args.rows, args.seed)
    alphas = np.logspace(0.0, 2.5, args.weights)
    small = calibrated_scores(1_000, args.seed + 1)
    cores = joblib.cpu_count()

    print("what_if_scores benchmark")
    print(f"command:  python {' '.join(sys.argv)}")
    print(f"python:   {platform.python_version()}, numpy {np.__version__}")
    print(f"cpu:      {cpu_model()}, {os.cpu_count()} logical cores")
    print(f"timing:   best of {args.repeat} wall-clock runs after a warm-up on 1,000 rows")
    print(
        f"data:     {args.rows:,} calibrated scores, {PREVALENCE:.0%} positive; "
        f"{args.weights} weights"
    )
    print()
    for smooth in (THRESHOLD_ESTIMATOR, DEFAULT_SMOOTH, None):
        what_if_scores(*small, alphas, smooth=smooth)
        seconds = best_time(args.repeat, positive, scores, alphas, smooth=smooth)
        print(f"  prediction, {smooth or 'exact hull':<18}            {seconds:8.2f} s")
    for n_jobs in (1, -1):
        what_if_scores(*small, alphas, bootstrap=4, n_jobs=n_jobs)
        seconds = best_time(1, positive, scores, alphas, bootstrap=args.bootstrap, n_jobs=n_jobs)
        used = 1 if n_jobs == 1 else cores
        print(
            f"  bootstrap {args.bootstrap}, {THRESHOLD_ESTIMATOR}, {used} process(es)    "
            f"{seconds:8.2f} s"
        )


if __name__ == "__main__":
    main()
