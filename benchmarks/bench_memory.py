"""Peak memory of a sweep as its number of repetitions grows.

Each measurement runs ``python -m simulate`` in a fresh process (one class_sep, the post's 15
alphas, ``--n-jobs 1``, writing its run to a temporary folder) and reads that process's peak
resident memory. Finished chunks stream to disk as they complete, so memory should grow only with
the per-fit table itself (about 100 bytes a fit), not with the work.

Run: ``python benchmarks/bench_memory.py [--base-reps 40] [--engine numba]``
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time

MEBIBYTE = 1024 * 1024


def peak_memory(reps: int, engine: str) -> tuple[float, float, int]:
    """Run one sweep in a child process; returns (peak MiB, seconds, fits)."""
    with tempfile.TemporaryDirectory() as out:
        command = [
            sys.executable, "-m", "simulate", "--seps", "1.5", "--reps", str(reps),
            "--engine", engine, "--n-jobs", "1", "--quiet", "--no-plots", "--out", out,
        ]  # fmt: skip
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        subprocess.run(command, check=True)
        elapsed = time.perf_counter() - started
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if peak_kib <= before:
        raise RuntimeError("peak memory of the child is hidden by an earlier, larger child")
    return peak_kib * 1024 / MEBIBYTE, elapsed, reps * 15


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-reps", type=int, default=40, help="the default repetitions")
    parser.add_argument("--engine", default="numba", choices=("numba", "sklearn"))
    args = parser.parse_args()
    print(f"command: python {' '.join(sys.argv)}")
    print("one class_sep x 15 alphas, one process each, fresh interpreter per row")
    print(f"{'reps':>8} {'fits':>9} {'seconds':>9} {'peak MiB':>9}")
    for factor in (1, 10, 100):
        reps = args.base_reps * factor
        peak, elapsed, fits = peak_memory(reps, args.engine)
        print(f"{reps:>8} {fits:>9} {elapsed:>9.1f} {peak:>9.1f}")


if __name__ == "__main__":
    main()
