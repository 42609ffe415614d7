"""Simulate the post's experiment: decision trees over a grid of class weights and separations.

- :class:`SweepConfig`: one sweep's settings, validated;
- :func:`run_sweep`: run it (in parallel, reproducibly) and get one row per fit;
- :func:`load_run`: read a saved run back;
- :data:`ENGINES`: the tree implementations, ``"numba"`` and ``"sklearn"``.
"""

from simulate.config import SweepConfig
from simulate.engine import ENGINES
from simulate.store import RunData, load_run
from simulate.sweep import run_sweep

__all__ = ["ENGINES", "RunData", "SweepConfig", "load_run", "run_sweep"]
