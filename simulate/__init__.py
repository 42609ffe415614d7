"""Simulate the post's experiment: decision trees over a grid of class weights and separations.

- :class:`SweepConfig`: one sweep's settings, validated;
- :func:`run_sweep`: run it (in parallel, reproducibly) and get its per-fit table, per-cell
  summary and record (:class:`RunData`);
- :func:`load_run`: read a saved run back (the same :class:`RunData`);
- :data:`ENGINES`: the tree implementations, ``"numba"`` and ``"sklearn"``.

:mod:`simulate.retraining` (``python -m simulate.retraining``) is another study: whether
:func:`theory.what_if_scores` predicts what retraining a scikit-learn model at a new weight does.
"""

from simulate.config import SweepConfig
from simulate.engine import ENGINES
from simulate.run_folder import RunData, load_run
from simulate.sweep import run_sweep

__all__ = ["ENGINES", "RunData", "SweepConfig", "load_run", "run_sweep"]
