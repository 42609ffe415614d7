"""Wall time and peak memory of a command, counting every process it starts.

A parallel sweep runs in several processes (the parent and joblib's workers), so the peak that
matters is that of their summed resident memory. This samples ``/proc`` every 0.2 s for the command
and all its descendants and reports the largest sum seen, with the wall time.

Run: ``python benchmarks/measure_run.py -- python -m simulate --reps 1000 --out results/reference``
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

SAMPLE_SECONDS = 0.2
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
MEBIBYTE = 1024 * 1024


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(status.parent.name))
    return tree


def _tree_rss(root: int) -> int:
    tree, total, stack = _children(), 0, [root]
    while stack:
        pid = stack.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES
        except (OSError, IndexError):
            continue
        stack.extend(tree.get(pid, []))
    return total


def main() -> int:
    command = sys.argv[sys.argv.index("--") + 1 :] if "--" in sys.argv else sys.argv[1:]
    if not command:
        print(__doc__)
        return 2
    started = time.perf_counter()
    process = subprocess.Popen(command)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(SAMPLE_SECONDS)
    elapsed = time.perf_counter() - started
    print(f"command: {' '.join(command)}", file=sys.stderr)
    print(
        f"wall time {elapsed:.1f} s, peak resident memory of the process tree "
        f"{peak / MEBIBYTE:.0f} MiB (sampled every {SAMPLE_SECONDS} s), exit {process.returncode}",
        file=sys.stderr,
    )
    return process.returncode


if __name__ == "__main__":
    sys.exit(main())
