"""Scaling of a sweep on a dask.distributed cluster: one worker against two.

Starts a ``LocalCluster`` on 127.0.0.1 with one single-threaded worker process, runs a sweep on
it through ``--backend dask``, then does the same with two workers, and prints fits per second and
the speed-up. Needs the ``dask`` extra.

Run: ``python benchmarks/bench_dask.py [--reps 80]``
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from distributed import LocalCluster

from simulate import SweepConfig, run_sweep


def fits_per_second(config: SweepConfig, workers: int) -> float:
    """Run ``config`` on a fresh local cluster of ``workers`` processes; fits per second."""
    with LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        address = cluster.scheduler_address
        run_sweep(config, backend="dask", scheduler=address, progress=False, reps=1, seed=1)
        started = time.perf_counter()
        fits = run_sweep(config, backend="dask", scheduler=address, progress=False).fits
        return len(fits) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=80, help="datasets per class_sep")
    args = parser.parse_args()
    config = SweepConfig(seps=(0.5, 1.5, 2.5), reps=args.reps)
    print(f"command: python {' '.join(sys.argv)}")
    print(f"{config.n_fits} fits per run (3 class_seps x 15 alphas), {os.cpu_count()} cores")
    rates = {workers: fits_per_second(config, workers) for workers in (1, 2)}
    for workers, rate in rates.items():
        print(f"{workers} worker(s): {rate:8.1f} fits/s")
    print(f"speed-up: {rates[2] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
