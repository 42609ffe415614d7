"""Speed of the numba tree against scikit-learn on the experiment's work: dataset -> counts.

For each dataset (make_classification as in the experiment, split 75/25) every engine turns the
training split into the test confusion counts of one tree per weight:

- ``sklearn``: :func:`simulate.models.tree.sklearn_counts` (fit, predict and count per weight);
- ``numba naive``: :func:`simulate.models.numba_tree.numba_counts` with the per-weight reference
  kernel;
- ``numba shared``: the same with the kernel that grows all weights' trees together.

The engines run side by side on each dataset, so the ratios compare like with like on a shared
machine. Data generation is excluded. The JIT is warmed up on a tiny input first, and that
compile (or cache load) time is reported separately.

Run: ``python benchmarks/bench_tree.py [--reps N] [--n-samples N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numba
import numpy as np
import sklearn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _machine import cpu_model

from params.post import ALPHAS, SEPS
from simulate.config import SweepConfig
from simulate.data.splits import Dataset, dataset_seeds, make_dataset
from simulate.models.numba_tree import numba_counts
from simulate.models.tree import sklearn_counts

#: 5 class_sep values over the span of the post's (the weights are the post's ALPHAS).
CLASS_SEPS = np.linspace(SEPS[0], SEPS[-1], 5)


def _numba(kernel: str) -> Callable[..., np.ndarray]:
    """numba_counts with the given kernel."""

    def run(data: Dataset, alphas: np.ndarray) -> np.ndarray:
        return numba_counts(
            data.X_train, data.y_train, data.X_test, data.y_test, alphas, kernel=kernel
        )

    return run


ENGINES: dict[str, Callable[..., np.ndarray]] = {
    "sklearn": sklearn_counts,
    "numba naive": _numba("naive"),
    "numba shared": _numba("shared"),
}


def _datasets(reps: int, n_samples: int):
    """The benchmark's train/test splits, made as the sweep makes them: ``reps`` per class_sep."""
    config = SweepConfig(n_samples=n_samples)
    for index, class_sep in enumerate(CLASS_SEPS):
        for rep in range(reps):
            yield (
                class_sep,
                make_dataset(
                    float(class_sep), dataset_seeds(0, index, rep), **config.data_settings()
                ),
            )


def _warm_up() -> dict[str, float]:
    """Seconds each numba engine takes on a tiny input (JIT compile or cache load)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] > 0.5).astype(np.int64)
    tiny = Dataset(X, X, y, y)
    seconds = {}
    for name, engine in ENGINES.items():
        if name.startswith("numba"):
            start = time.perf_counter()
            engine(tiny, ALPHAS[:2])
            seconds[name] = time.perf_counter() - start
    return seconds


def main() -> None:
    """Time every engine on the same datasets and print fits per second and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=2, help="datasets per class_sep")
    parser.add_argument("--n-samples", type=int, default=10000, help="samples per dataset")
    args = parser.parse_args()

    compile_seconds = _warm_up()
    seconds = dict.fromkeys(ENGINES, 0.0)
    agree = 0
    n_datasets = 0
    for _, data in _datasets(args.reps, args.n_samples):
        results = {}
        for name, engine in ENGINES.items():
            start = time.perf_counter()
            results[name] = engine(data, ALPHAS)
            seconds[name] += time.perf_counter() - start
        if not np.array_equal(results["numba naive"], results["numba shared"]):
            raise AssertionError("the naive and shared kernels disagree")
        agree += int(np.sum(results["numba shared"][:, :2] == results["sklearn"][:, :2]))
        n_datasets += 1

    n_fits = n_datasets * len(ALPHAS)
    print("bench_tree: dataset -> test confusion counts for each weight")
    print(f"command:   python {' '.join(sys.argv)}")
    print(
        f"versions:  python {platform.python_version()}, numpy {np.__version__}, "
        f"numba {numba.__version__}, scikit-learn {sklearn.__version__}"
    )
    print(f"CPU:       {cpu_model()} ({os.cpu_count()} logical cores visible)")
    print(
        f"datasets:  {n_datasets} ({args.reps} per class_sep in {np.round(CLASS_SEPS, 3)}), "
        f"n_samples={args.n_samples}, {len(ALPHAS)} weights each: {n_fits} fits per engine"
    )
    for name, value in compile_seconds.items():
        print(f"warm-up (compile or cache load), {name}: {value:.2f} s")
    print()
    print(f"{'engine':<14}{'seconds':>10}{'fits/s':>10}{'speed-up':>10}")
    for name, value in seconds.items():
        ratio = seconds["sklearn"] / value
        print(f"{name:<14}{value:>10.2f}{n_fits / value:>10.1f}{ratio:>9.1f}x")
    shared_over_naive = seconds["numba naive"] / seconds["numba shared"]
    print(f"\nnumba shared is {shared_over_naive:.2f}x the naive kernel's speed")
    print(
        f"tp and fp exactly equal to scikit-learn's in {agree} of {2 * n_fits} entries "
        "(tied splits move a few test points)"
    )


if __name__ == "__main__":
    main()
