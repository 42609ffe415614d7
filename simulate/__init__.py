"""Simulate the post's experiment: decision trees over a grid of class weights and separations.

- :class:`SweepConfig`: one sweep's settings, validated;
- :func:`run_sweep`: run it (in parallel, reproducibly) and get its per-fit table, per-cell
  summary and record (:class:`RunData`);
- :func:`load_run`: read a saved run back (the same :class:`RunData`), verified;
- :data:`ENGINES`: the tree implementations, ``"numba"`` and ``"sklearn"``.

:mod:`simulate.studies.retraining` (``python -m simulate.retraining``) is another study: whether
:func:`theory.what_if_scores` predicts what retraining a scikit-learn model at a new weight does.

The names are imported from their modules on first use, so importing the package (and starting
``python -m simulate``) loads nothing heavy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulate.config import SweepConfig
    from simulate.models.tree import ENGINES
    from simulate.runs.folder import RunData, load_run
    from simulate.sweep import run_sweep

__all__ = ["ENGINES", "RunData", "SweepConfig", "load_run", "run_sweep"]

#: The module each public name comes from.
_SOURCES = {
    "ENGINES": "simulate.models.tree",
    "RunData": "simulate.runs.folder",
    "SweepConfig": "simulate.config",
    "load_run": "simulate.runs.folder",
    "run_sweep": "simulate.sweep",
}


def __getattr__(name: str) -> Any:
    if name in _SOURCES:
        return getattr(importlib.import_module(_SOURCES[name]), name)
    raise AttributeError(f"module 'simulate' has no attribute {name!r}")
