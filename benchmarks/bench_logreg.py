"""Speed of the numba logistic-regression path against scikit-learn on one dataset's weights.

For each dataset (make_classification as in the experiment, split 75/25, features standardised
on the training split) both engines fit one L2 logistic regression per weight on the training
split, for the experiment's 15 weights from 1 to 316:

- ``sklearn``: a loop of ``LogisticRegression().fit(X, y, sample_weight=...)``, one per weight;
- ``numba path``: :func:`simulate.models.logreg.logistic_path`, all weights in one warm-started
  path.

The engines run side by side on each dataset, so the ratio compares like with like on a shared
machine. Both run on one thread (threadpoolctl limits BLAS and OpenMP; the numba kernels are
single-threaded), as a sweep's worker does. Data generation and standardisation are excluded.
The JIT is warmed up on a tiny input first, and that compile (or cache load) time is reported
separately. The numba path is exact to rounding while scikit-learn's default stops at
``tol=1e-4``; the largest coefficient difference and the share of equal test predictions are
printed too.

Run: ``python benchmarks/bench_logreg.py [--reps N] [--n-samples N] [--n-features N]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import numba
import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _machine import cpu_model

from params.post import ALPHAS, BETA, SEPS
from simulate.models.logreg import LogisticPath, logistic_path, predict_labels

#: 5 class_sep values over the span of the post's (the weights and prevalence are the post's
#: ALPHAS and BETA).
CLASS_SEPS = np.linspace(SEPS[0], SEPS[-1], 5)
#: Informative features, as in the experiment's defaults.
N_INFORMATIVE = 5


def _datasets(reps: int, n_samples: int, n_features: int) -> Iterator[tuple[np.ndarray, ...]]:
    """Standardised train/test splits: ``reps`` per class_sep, seeded from one SeedSequence."""
    seeds = np.random.SeedSequence(0).spawn(len(CLASS_SEPS) * reps)
    for index, seed in enumerate(seeds):
        data_seed, split_seed = (int(s) for s in seed.generate_state(2))
        X, y = make_classification(
            n_samples=n_samples,
            n_features=n_features,
            n_informative=min(N_INFORMATIVE, n_features),
            n_redundant=0,
            n_clusters_per_class=2,
            weights=(1.0 - BETA,),
            class_sep=float(CLASS_SEPS[index // reps]),
            random_state=data_seed,
        )
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.25, random_state=split_seed, stratify=y
        )
        scaler = StandardScaler().fit(X_train)
        yield scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def _sklearn_path(X: np.ndarray, y: np.ndarray, alphas: np.ndarray) -> LogisticPath:
    """scikit-learn's default LogisticRegression fitted at each weight, as a LogisticPath."""
    fits = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for alpha in alphas:
            model = LogisticRegression().fit(X, y, sample_weight=np.where(y == 1, alpha, 1.0))
            fits.append(model)
    return LogisticPath(
        alphas=alphas,
        coef=np.vstack([fit.coef_ for fit in fits]),
        intercept=np.concatenate([fit.intercept_ for fit in fits]),
        n_iter=np.array([fit.n_iter_[0] for fit in fits], dtype=np.int64),
        converged=np.ones(len(fits), dtype=bool),
    )


def _warm_up() -> float:
    """Seconds the numba path takes on a tiny input (JIT compile or cache load)."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = (X[:, 0] > 0.5).astype(np.int64)
    start = time.perf_counter()
    logistic_path(X, y, ALPHAS[:2])
    return time.perf_counter() - start


def main() -> None:
    """Time both engines on the same datasets and print time per dataset and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=4, help="datasets per class_sep")
    parser.add_argument("--n-samples", type=int, default=6000, help="samples per dataset")
    parser.add_argument("--n-features", type=int, default=10, help="features per dataset")
    args = parser.parse_args()

    with threadpool_limits(limits=1):
        compile_seconds = _warm_up()
        engines = {"sklearn": _sklearn_path, "numba path": logistic_path}
        seconds = dict.fromkeys(engines, 0.0)
        iterations = dict.fromkeys(engines, 0)
        largest_difference = 0.0
        agree = total = n_datasets = 0
        for X_train, X_test, y_train, _ in _datasets(args.reps, args.n_samples, args.n_features):
            paths = {}
            for name, engine in engines.items():
                start = time.perf_counter()
                paths[name] = engine(X_train, y_train, ALPHAS)
                seconds[name] += time.perf_counter() - start
                iterations[name] += int(paths[name].n_iter.sum())
            ours, theirs = paths["numba path"], paths["sklearn"]
            difference = np.abs(
                np.column_stack([ours.coef - theirs.coef, ours.intercept - theirs.intercept])
            )
            largest_difference = max(largest_difference, float(difference.max()))
            equal = predict_labels(X_test, ours) == predict_labels(X_test, theirs)
            agree += int(equal.sum())
            total += equal.size
            n_datasets += 1

    n_fits = n_datasets * len(ALPHAS)
    print("bench_logreg: one dataset's 15 weighted L2 logistic regressions")
    print(f"command:   python {' '.join(sys.argv)}")
    print(
        f"versions:  python {platform.python_version()}, numpy {np.__version__}, "
        f"numba {numba.__version__}, scikit-learn {sklearn.__version__}"
    )
    print(f"CPU:       {cpu_model()} ({os.cpu_count()} logical cores visible), 1 thread per engine")
    print(
        f"datasets:  {n_datasets} ({args.reps} per class_sep in {np.round(CLASS_SEPS, 3)}), "
        f"n_samples={args.n_samples} (75% to train), n_features={args.n_features}, "
        f"beta={BETA}; {len(ALPHAS)} weights each: {n_fits} fits per engine"
    )
    print(f"warm-up (compile or cache load), numba path: {compile_seconds:.2f} s")
    print()
    print(f"{'engine':<12}{'seconds':>10}{'ms/dataset':>12}{'iter/fit':>10}{'speed-up':>10}")
    for name, value in seconds.items():
        ratio = seconds["sklearn"] / value
        per_dataset = 1e3 * value / n_datasets
        per_fit = iterations[name] / n_fits
        print(f"{name:<12}{value:>10.3f}{per_dataset:>12.2f}{per_fit:>10.1f}{ratio:>9.1f}x")
    print("(iter/fit: lbfgs iterations for sklearn, Newton iterations for the numba path)")
    print(
        f"\nlargest |coefficient or intercept difference| from the default estimator: "
        f"{largest_difference:.2g} (its tol=1e-4 stop)"
    )
    print(f"test predictions equal to the default estimator's: {agree} of {total}")


if __name__ == "__main__":
    main()
