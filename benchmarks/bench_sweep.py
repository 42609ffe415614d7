"""Throughput of a whole sweep against the post's plain loop, side by side in one process.

The plain loop is the post's experiment as it was written: for every fit, fresh data from
``make_classification``, ``train_test_split``, the model's scikit-learn estimator ``fit`` with
sample weights, ``predict`` and ``f1_score``. For ``--model tree`` the estimator is
``DecisionTreeClassifier()``; for ``--model logreg`` it is ``LogisticRegression()`` under the
sweep's protocol (a stratified 20% of the training split held out, features standardised on the
rest). The sweep is ``simulate.run_sweep`` in one process (``n_jobs=1``): one dataset per
(class_sep, repetition), fitted at every alpha by the chosen engine; for logreg it also predicts
every weight from the validation scores (the loop does not). Both run on the same cells (5
class_seps spread over 0.05..3, the post's 15 alphas) and on one thread: the sweep limits the
native thread pools itself, and the loop runs under ``threadpool_limits(limits=1)`` (left free,
OpenBLAS's threads slowed the loop's small products by up to a third here, and unevenly). Each
reports fits per second, and the ratio is what docs/benchmarks.md quotes.

Run: ``python benchmarks/bench_sweep.py [--model tree] [--loop-reps 2] [--sweep-reps 40]
[--engine numba]``
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from importlib import metadata

import numpy as np
from _machine import cpu_model
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from params.post import ALPHAS, BETA
from simulate import SweepConfig, run_sweep

SEPS = (0.05, 0.78, 1.52, 2.26, 3.0)


def _tree_fit(X_train, y_train, X_test, alpha):
    tree = DecisionTreeClassifier()
    tree.fit(X_train, y_train, sample_weight=np.where(y_train == 1, alpha, 1.0))
    return tree.predict(X_test)


def _logreg_fit(X_train, y_train, X_test, alpha):
    X_fit, _, y_fit, _ = train_test_split(X_train, y_train, test_size=0.2, stratify=y_train)
    scaler = StandardScaler().fit(X_fit)
    model = LogisticRegression()
    model.fit(scaler.transform(X_fit), y_fit, sample_weight=np.where(y_fit == 1, alpha, 1.0))
    return model.predict(scaler.transform(X_test))


#: One fit of the plain loop per model: train, predict the test split.
PLAIN_FITS = {"tree": _tree_fit, "logreg": _logreg_fit}


def plain_loop(reps: int, model: str = "tree", seed: int = 0) -> float:
    """The post's loop over SEPS x ALPHAS x reps; returns fits per second."""
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    fits = 0
    for class_sep in SEPS:
        for alpha in ALPHAS:
            for _ in range(reps):
                X, y = make_classification(
                    n_samples=10_000,
                    n_features=10,
                    n_informative=5,
                    n_redundant=0,
                    weights=(1 - BETA,),
                    n_clusters_per_class=2,
                    class_sep=class_sep,
                    flip_y=0,
                    random_state=int(rng.integers(2**31)),
                )
                X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25)
                f1_score(y_test, PLAIN_FITS[model](X_train, y_train, X_test, alpha))
                fits += 1
    return fits / (time.perf_counter() - started)


def sweep(reps: int, engine: str, model: str = "tree") -> float:
    """``run_sweep`` on the same cells in one process; returns fits per second."""
    config = SweepConfig(beta=BETA, alphas=ALPHAS, seps=SEPS, reps=reps, engine=engine, model=model)
    run_sweep(config, n_jobs=1, progress=False, reps=1, seed=99)  # warm-up: JIT, imports
    started = time.perf_counter()
    fits = run_sweep(config, n_jobs=1, progress=False).fits
    return len(fits) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--loop-reps", type=int, default=2, help="plain-loop fits per cell")
    parser.add_argument("--sweep-reps", type=int, default=40, help="sweep datasets per class_sep")
    parser.add_argument("--engine", default="numba", choices=("numba", "sklearn"))
    parser.add_argument("--model", default="tree", choices=tuple(PLAIN_FITS))
    args = parser.parse_args()
    print(f"command: python {' '.join(sys.argv)}")
    versions = ", ".join(f"{p} {metadata.version(p)}" for p in ("numpy", "scikit-learn", "numba"))
    print(f"python {platform.python_version()}, {versions}")
    cells = f"{len(SEPS)} class_seps x {len(ALPHAS)} alphas"
    print(f"cpu: {cpu_model()}; one process, one thread; cells: {cells}")
    print(f"model: {args.model}")
    with threadpool_limits(limits=1):
        loop = plain_loop(args.loop_reps, args.model)
    print(f"plain loop (post)     : {loop:9.1f} fits/s  ({args.loop_reps} fits per cell)")
    swept = sweep(args.sweep_reps, args.engine, args.model)
    print(f"run_sweep ({args.engine:7s})  : {swept:9.1f} fits/s  ({args.sweep_reps} reps per cell)")
    print(f"ratio                 : {swept / loop:9.1f}x")


if __name__ == "__main__":
    main()
