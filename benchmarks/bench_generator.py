"""What a faster data generator would gain: the draw alone, and whole sweeps, side by side.

The sweep draws each ``make_classification`` dataset with ``simulate.data.splits._classification``:
``make_classification``'s own draws from ``numpy.random.RandomState`` (the legacy generator, whose
normals come from the polar method), bit for bit, so that every committed number matches the
post's loop. The candidate draws the same distribution, by the same recipe, from
``numpy.random.default_rng`` (PCG64; normals by the ziggurat method): the clusters' hypercube
vertices, the standard-normal informative features multiplied by a uniform(-1, 1) covariance
factor and shifted to their vertex, the standard-normal useless features, then the rows' shuffle
and the features'. It would change every dataset, so every number the toolkit has committed.

The benchmark prints, in one process and one run:

1. the draw of one dataset (10,000 rows, 10 features of which 5 informative, beta 0.01), each
   generator timed alternately over the same seeds;
2. whole sweeps (``run_sweep``, ``n_jobs=1``, the cells of bench_sweep.py) per model, with the
   sweep's draw and with the candidate patched in, alternately for ``--rounds`` pairs, and the
   saving as a share of the sweep's time (the candidate draws other datasets, so the fits' own
   cost varies with it too);
3. whether the candidate draws the same distribution: two-sample Kolmogorov-Smirnov tests, over
   ``--datasets`` datasets from each generator at each class_sep, of per-dataset statistics
   (the distance between the class means, the positives' and negatives' mean squared norm,
   the largest eigenvalue of the positives' covariance), each generator on its own seeds (the
   rows of one dataset share its covariance factors, so they are not pooled: the test would take
   them for independent).

Run: ``python benchmarks/bench_generator.py [--models logreg,tree] [--reps 20] [--rounds 3]
[--datasets 300]``
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from collections.abc import Callable
from importlib import metadata
from unittest import mock

import numpy as np
from _machine import cpu_model
from numpy.typing import NDArray
from scipy.stats import ks_2samp

from params.post import ALPHAS, BETA
from simulate import SweepConfig, run_sweep
from simulate.data import splits

SEPS = (0.05, 0.78, 1.52, 2.26, 3.0)
ROWS, FEATURES, INFORMATIVE = 10_000, 10, 5
Draw = Callable[..., tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.intp]]]


def pcg64_classification(
    class_sep: float,
    seed: int,
    *,
    beta: float,
    n_samples: int,
    n_features: int,
    n_informative: int,
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.intp]]:
    """The distribution of ``_classification`` (same signature and returns) drawn from
    ``numpy.random.default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    per_cluster = [int(n_samples * (1.0 - beta if k % 2 == 0 else beta) / 2) for k in range(4)]
    for k in range(n_samples - sum(per_cluster)):
        per_cluster[k % 4] += 1
    codes = rng.choice(2**n_informative, size=4, replace=False)
    bits = (codes[:, None] >> np.arange(n_informative - 1, -1, -1)) & 1
    vertices = bits * (2.0 * class_sep) - class_sep
    X = np.empty((n_samples, n_features))
    y = np.empty(n_samples, dtype=int)
    X[:, :n_informative] = rng.standard_normal((n_samples, n_informative))
    stop = 0
    for k, vertex in enumerate(vertices):
        start, stop = stop, stop + per_cluster[k]
        y[start:stop] = k % 2
        cluster = X[start:stop, :n_informative]
        cluster[...] = cluster @ (2.0 * rng.random((n_informative, n_informative)) - 1.0)
        cluster += vertex
    X[:, n_informative:] = rng.standard_normal((n_samples, n_features - n_informative))
    order = rng.permutation(n_samples)
    return X[:, rng.permutation(n_features)], y, order


def _draw(draw: Draw, class_sep: float, seed: int):
    return draw(
        class_sep, seed, beta=BETA, n_samples=ROWS, n_features=FEATURES, n_informative=INFORMATIVE
    )


def time_draws(n: int) -> tuple[float, float]:
    """Milliseconds per dataset of the sweep's draw and the candidate, alternately."""
    spent = {"sweep": 0.0, "candidate": 0.0}
    for seed in range(n):
        for name, draw in (("sweep", splits._classification), ("candidate", pcg64_classification)):
            started = time.perf_counter()
            _draw(draw, SEPS[seed % len(SEPS)], seed)
            spent[name] += time.perf_counter() - started
    return spent["sweep"] / n * 1e3, spent["candidate"] / n * 1e3


def time_sweep(model: str, reps: int, draw: Draw) -> float:
    """Seconds of one ``run_sweep`` on the cells with ``draw`` as the dataset generator."""
    config = SweepConfig(beta=BETA, alphas=ALPHAS, seps=SEPS, reps=reps, model=model)
    with mock.patch.object(splits, "_classification", draw):
        started = time.perf_counter()
        run_sweep(config, n_jobs=1, progress=False)
        return time.perf_counter() - started


def _statistics(X: NDArray[np.float64], y: NDArray[np.int64]) -> list[float]:
    positives, negatives = X[y == 1], X[y == 0]
    return [
        float(np.linalg.norm(positives.mean(0) - negatives.mean(0))),
        float((positives**2).sum(1).mean()),
        float((negatives**2).sum(1).mean()),
        float(np.linalg.eigvalsh(np.cov(positives.T))[-1]),
    ]


STATISTICS = (
    "class-mean distance",
    "positives' mean sq. norm",
    "negatives' mean sq. norm",
    "positives' top eigenvalue",
)


def same_distribution(datasets: int) -> list[tuple[float, str, float]]:
    """Per class_sep and statistic, the KS test's p-value between the two generators."""
    rows = []
    for i, class_sep in enumerate(SEPS):
        found = []
        for draw, offset in ((splits._classification, 0), (pcg64_classification, 1)):
            seeds = range((2 * i + offset) * datasets, (2 * i + offset + 1) * datasets)
            found.append(np.array([_statistics(*_draw(draw, class_sep, s)[:2]) for s in seeds]))
        for j, statistic in enumerate(STATISTICS):
            rows.append((class_sep, statistic, ks_2samp(found[0][:, j], found[1][:, j]).pvalue))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="logreg,tree", help="comma list of sweep models")
    parser.add_argument("--reps", type=int, default=20, help="sweep datasets per class_sep")
    parser.add_argument("--draws", type=int, default=200, help="datasets timed per generator")
    parser.add_argument("--rounds", type=int, default=3, help="sweep pairs timed per model")
    parser.add_argument(
        "--datasets", type=int, default=300, help="datasets per generator and class_sep tested"
    )
    args = parser.parse_args()
    print(f"command: python {' '.join(sys.argv)}")
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("numpy", "scikit-learn", "numba"))
    print(f"python {platform.python_version()}, {versions}; cpu: {cpu_model()}; one process")
    print(f"datasets: {ROWS} rows, {FEATURES} features ({INFORMATIVE} informative), beta {BETA}")

    legacy, candidate = time_draws(args.draws)
    print(f"\n1. one draw ({args.draws} datasets each, alternately)")
    print(f"   sweep's (RandomState, make_classification's draws): {legacy:6.2f} ms")
    print(f"   candidate (default_rng, same recipe)             : {candidate:6.2f} ms")
    print(f"   ratio                                            : {legacy / candidate:6.2f}x")

    print(
        f"\n2. whole sweeps ({args.reps} reps x {len(SEPS)} class_seps x {len(ALPHAS)} alphas), "
        f"{args.rounds} rounds alternating"
    )
    print(f"   {'model':8s} {'sweep draw s':>13s} {'candidate s':>12s} {'saving':>8s}")
    for model in args.models.split(","):
        time_sweep(model, 1, splits._classification)  # warm-up: JIT, imports
        savings = []
        for _ in range(args.rounds):
            ours = time_sweep(model, args.reps, splits._classification)
            theirs = time_sweep(model, args.reps, pcg64_classification)
            savings.append(1 - theirs / ours)
            print(f"   {model:8s} {ours:13.2f} {theirs:12.2f} {savings[-1]:8.1%}")
        datasets = args.reps * len(SEPS)
        expected = (legacy - candidate) / 1e3 * datasets / ours
        print(
            f"   {model:8s} median saving {np.median(savings):.1%}; the draw's own saving "
            f"({legacy - candidate:.2f} ms x {datasets} datasets) is {expected:.1%} of the sweep's"
        )

    print(f"\n3. same distribution? KS p-values, {args.datasets} datasets per generator")
    rows = same_distribution(args.datasets)
    print(f"   {'class_sep':>9s}  " + "  ".join(f"{s[:26]:>26s}" for s in STATISTICS))
    for i, class_sep in enumerate(SEPS):
        cells = rows[i * len(STATISTICS) : (i + 1) * len(STATISTICS)]
        print(f"   {class_sep:9.2f}  " + "  ".join(f"{p:26.3f}" for _, _, p in cells))
    smallest = min(p for _, _, p in rows)
    print(f"   smallest of {len(rows)} p-values: {smallest:.3f}")


if __name__ == "__main__":
    main()
