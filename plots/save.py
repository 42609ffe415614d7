"""Saving a figure: atomically, and the same bytes from one save to the next."""

from __future__ import annotations

import os

import matplotlib as mpl
from matplotlib.figure import Figure

from plots._style import DPI
from simulate.run_folder import atomic_path

__all__ = ["FORMATS", "save_figure"]

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

    The file appears complete or not at all (:func:`simulate.run_folder.atomic_path`), and two
    saves of one figure give the same bytes (no creation dates, fixed SVG ids).

    Raises
    ------
    OSError
        If ``target`` cannot be written.
    """
    with atomic_path(target) as temporary, mpl.rc_context(_REPRODUCIBLE):
        figure.savefig(temporary, format=format, dpi=DPI, metadata=_NO_DATES[format])
