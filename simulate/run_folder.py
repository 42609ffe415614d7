"""A run folder, from its creation to its finished files and back: the one module that writes it.

A finished run folder holds

- ``fits.parquet``: one row per fit, with the run's record (below) as JSON in the file's metadata;
- ``summary.csv``: per (class_sep, alpha) cell, the count, mean and standard error of each score;
- ``run.json``: the record: configuration, seed, package versions, elapsed time, fits per second;
- ``f1_vs_alpha.png``: the run's figure, drawn by :mod:`plots` unless it was not asked for.

While a run is in progress, ``parts/`` holds ``config.json`` and one ``.npy`` file per finished
chunk, so that an interrupted run can be resumed; it is removed once the finished files are
written. Every file is written under a temporary name in its target folder and renamed into
place, so it is either complete or absent.

:meth:`RunFolder.start` creates (or refuses, overwrites or resumes) a folder,
:meth:`RunFolder.finished_chunks` and :meth:`RunFolder.save_chunk` keep the chunks,
:meth:`RunFolder.finish` writes the finished files, and :func:`load_run` reads them back.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.typing import NDArray

__all__ = [
    "FIGURE_FILE",
    "FITS_FILE",
    "RUN_FILE",
    "SUMMARY_FILE",
    "RunData",
    "RunFolder",
    "atomic_path",
    "load_run",
    "package_versions",
    "write_json",
    "write_parquet",
]

FITS_FILE = "fits.parquet"
SUMMARY_FILE = "summary.csv"
RUN_FILE = "run.json"
FIGURE_FILE = "f1_vs_alpha.png"
_PARTS_DIR = "parts"
_PARTS_CONFIG = "config.json"
_METADATA_KEY = b"classweights.run"
#: Packages whose versions a run's record names.
_VERSIONED_PACKAGES = ("numpy", "scipy", "scikit-learn", "numba", "pandas", "joblib")


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Permissions of written files: what ``open`` would give under the process's umask.
_FILE_MODE = 0o666 & ~_current_umask()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` if the block succeeds.

    A reader never sees a half-written ``target``: on an exception (or a kill) the temporary
    file is removed (or left under its temporary name) and ``target`` is untouched.
    """
    target = Path(target)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    os.close(handle)
    temporary = Path(temporary)
    try:
        yield temporary
        os.chmod(temporary, _FILE_MODE)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


class RunData(NamedTuple):
    """A run: what :func:`simulate.run_sweep` computed, or :func:`load_run` read back."""

    fits: pd.DataFrame | None
    """One row per fit; None when a saved run kept only its summary."""
    summary: pd.DataFrame
    """One row per (class_sep, alpha) cell (:func:`simulate.summary.per_cell`)."""
    run: dict[str, Any]
    """The record: configuration, versions, timing (``run.json``)."""


class RunFolder:
    """The folder of one run; create it with :meth:`start`.

    Parameters
    ----------
    path : path
        The run directory.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._parts = self.path / _PARTS_DIR

    @classmethod
    def start(
        cls,
        path: str | os.PathLike[str],
        config: dict[str, Any],
        *,
        resume: bool = False,
        force: bool = False,
    ) -> RunFolder:
        """Make ``path`` ready to receive the chunks of a run with settings ``config``.

        Parameters
        ----------
        path : path
            The run directory; created if missing.
        config : dict
            The run's settings as JSON-ready values; a resumed run must have been started with
            the same.
        resume : bool, default False
            Keep the chunks an interrupted run with the same settings left in ``path``.
        force : bool, default False
            Discard a finished run, or the chunks of an unfinished one, found in ``path``.

        Raises
        ------
        ValueError
            If ``path`` cannot be written, holds a finished run (without ``force``), holds an
            unfinished run (without ``resume`` or ``force``), or holds one with other settings
            (with ``resume``).
        """
        folder = cls(path)
        where = str(folder.path)
        try:
            folder.path.mkdir(parents=True, exist_ok=True)
            probe = folder.path / ".write-test"
            probe.touch()
            probe.unlink()
        except OSError as error:
            raise ValueError(f"The output directory {where!r} cannot be written: {error}") from None
        folder._remove_stale_temporaries()
        if (folder.path / RUN_FILE).exists():
            if not force:
                raise ValueError(
                    f"The output directory {where!r} holds a finished run; pass force=True "
                    "(--force) to overwrite it."
                )
            for name in (RUN_FILE, FITS_FILE, SUMMARY_FILE, FIGURE_FILE):
                (folder.path / name).unlink(missing_ok=True)
        if folder._parts.exists() and not force:
            if not resume:
                raise ValueError(
                    f"The output directory {where!r} holds an unfinished run; pass resume=True "
                    "(--resume) to continue it or force=True (--force) to start over."
                )
            if folder._stored_config() != json.loads(json.dumps(config)):
                raise ValueError(
                    f"Cannot resume the run in {where!r}: it was started with a different "
                    "configuration. Use the same settings, or force=True (--force) to start over."
                )
            return folder
        shutil.rmtree(folder._parts, ignore_errors=True)
        folder._make_parts(config)
        return folder

    def finished_chunks(self) -> dict[str, NDArray[np.int64]]:
        """The counts of every chunk saved so far, by chunk name."""
        return {path.stem: np.load(path) for path in sorted(self._parts.glob("*.npy"))}

    def save_chunk(self, name: str, counts: NDArray[np.int64]) -> None:
        """Save one finished chunk's counts, atomically."""
        with atomic_path(self._parts / f"{name}.npy") as temporary, temporary.open("wb") as out:
            np.save(out, counts)

    def finish(self, run: RunData) -> None:
        """Write the finished files of ``run`` and drop the chunks.

        ``run.json`` is written last: a folder that has it is finished.
        """
        write_parquet(self.path / FITS_FILE, run.fits, run.run)
        with atomic_path(self.path / SUMMARY_FILE) as temporary:
            run.summary.to_csv(temporary, index=False)
        write_json(self.path / RUN_FILE, run.run)
        shutil.rmtree(self._parts, ignore_errors=True)

    def _stored_config(self) -> dict[str, Any] | None:
        try:
            return json.loads((self._parts / _PARTS_CONFIG).read_text())
        except (OSError, ValueError):
            return None

    def _make_parts(self, config: dict[str, Any]) -> None:
        """Create ``parts/`` holding ``config.json``, atomically: it never exists without it."""
        temporary = Path(tempfile.mkdtemp(dir=self.path, prefix=f".{_PARTS_DIR}.", suffix=".tmp"))
        try:
            write_json(temporary / _PARTS_CONFIG, config)
            os.replace(temporary, self._parts)
        finally:
            shutil.rmtree(temporary, ignore_errors=True)

    def _remove_stale_temporaries(self) -> None:
        """Delete temporary files and folders that a killed writer left behind."""
        for folder in (self.path, self._parts):
            for stale in folder.glob(".*.tmp"):
                if stale.is_dir():
                    shutil.rmtree(stale, ignore_errors=True)
                else:
                    stale.unlink(missing_ok=True)


def load_run(directory: str | os.PathLike[str]) -> RunData:
    """Read a finished run directory back.

    Parameters
    ----------
    directory : path
        A run directory written by :func:`simulate.run_sweep` (or the command).

    Returns
    -------
    RunData
        ``.fits`` (per-fit DataFrame, if ``fits.parquet`` is present, else None), ``.summary``
        (per-cell DataFrame) and ``.run`` (the ``run.json`` record).

    Raises
    ------
    ValueError
        If the directory is missing, unfinished, or holds a file that cannot be read.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"The run directory {str(directory)!r} does not exist.")
    for required in (RUN_FILE, SUMMARY_FILE):
        if not (directory / required).is_file():
            raise ValueError(
                f"The run directory {str(directory)!r} has no {required}: it is not a finished run."
            )
    try:
        run = json.loads((directory / RUN_FILE).read_text())
        summary = pd.read_csv(directory / SUMMARY_FILE)
        fits_path = directory / FITS_FILE
        fits = pd.read_parquet(fits_path) if fits_path.is_file() else None
    except (OSError, ValueError, pa.ArrowException) as error:
        raise ValueError(f"The run directory {str(directory)!r} is corrupt: {error}") from None
    if not isinstance(run, dict) or "config" not in run:
        raise ValueError(
            f"The run directory {str(directory)!r} is corrupt: {RUN_FILE} has no config."
        )
    return RunData(fits=fits, summary=summary, run=run)


def package_versions() -> dict[str, str]:
    """Python's version and those of the packages a run's numbers depend on, by name."""
    versions = {"python": sys.version.split()[0]}
    for package in _VERSIONED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def write_json(target: str | os.PathLike[str], payload: dict[str, Any]) -> None:
    """``payload`` as indented JSON in ``target``, atomically."""
    with atomic_path(target) as temporary:
        temporary.write_text(json.dumps(payload, indent=2) + "\n")


def write_parquet(
    target: str | os.PathLike[str], frame: pd.DataFrame, record: dict[str, Any]
) -> None:
    """``frame`` as parquet with ``record`` (JSON) in its schema's metadata, atomically."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    merged = {**(table.schema.metadata or {}), _METADATA_KEY: json.dumps(record).encode()}
    with atomic_path(target) as temporary:
        pq.write_table(table.replace_schema_metadata(merged), temporary)
