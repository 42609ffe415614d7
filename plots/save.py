"""Saving a figure: atomically, and the same bytes from one save to the next."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from params.validation import check_option
from plots._style import DPI
from plots.simulation import plot_empirical_scores
from simulate.runs.folder import FIGURE_FILE, atomic_path

__all__ = ["FORMATS", "save_figure", "save_run_figure"]

#: File formats a figure is saved in.
FORMATS: tuple[str, ...] = ("png", "svg", "pdf")
#: Metadata that would make two saves of one figure differ (creation dates), left out.
_NO_DATES: dict[str, dict[str, None]] = {
    "png": {},
    "svg": {"Date": None},
    "pdf": {"CreationDate": None},
}
#: Settings, held only while saving, that make SVG element ids the same from one save to the next.
_REPRODUCIBLE = {"svg.hashsalt": "classweights"}


def save_figure(figure: Figure, target: str | os.PathLike[str], *, format: str = "png") -> None:
    """Write ``figure`` to ``target`` in ``format`` at :data:`~plots._style.DPI`.

    The file appears complete or not at all (:func:`simulate.runs.folder.atomic_path`), and two
    saves of one figure give the same bytes (no creation dates, fixed SVG ids).

    Raises
    ------
    ValueError
        If ``format`` is not one of :data:`FORMATS`.
    OSError
        If ``target`` cannot be written.
    """
    check_option(format, "format", "save_figure", FORMATS)
    with atomic_path(target) as temporary, mpl.rc_context(_REPRODUCIBLE):
        figure.savefig(temporary, format=format, dpi=DPI, metadata=_NO_DATES[format])


def save_run_figure(summary: pd.DataFrame, beta: float, directory: str | os.PathLike[str]) -> Path:
    """Draw a run's own figure, its simulated F1 against alpha, into the run's folder.

    ``python -m simulate`` draws it when a run finishes; ``python -m plots --run`` draws it
    again, so a run that lost its figure gets it back.

    Parameters
    ----------
    summary : DataFrame
        The run's per-cell table (:func:`plot_empirical_scores`).
    beta : float
        The run's prevalence.
    directory : path
        The run folder.

    Returns
    -------
    Path
        The file written, ``f1_vs_alpha.png`` in ``directory``.

    Raises
    ------
    OSError
        If the file cannot be written; its ``filename`` is the file.
    """
    target = Path(directory) / FIGURE_FILE
    save_figure(plot_empirical_scores(summary, beta=beta), target)
    return target
