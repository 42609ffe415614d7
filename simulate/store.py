"""Runs on disk: atomic writes, chunk part files, and reading a finished run back.

A run directory holds, once finished:

- ``fits.parquet``: one row per fit, with the run's configuration as JSON in the file's metadata;
- ``summary.csv``: per (class_sep, alpha) cell, the count, mean and standard error of each score;
- ``run.json``: configuration, seed, package versions, elapsed time and fits per second.

While a run is in progress, ``parts/`` holds ``config.json`` and one file per finished chunk, so
an interrupted run can be resumed; it is removed once the finished files are written. Every file
is written under a temporary name in its target folder and renamed into place, so it is either
complete or absent.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = [
    "FITS_FILE",
    "RUN_FILE",
    "SUMMARY_FILE",
    "RunData",
    "atomic_path",
    "load_run",
    "write_fits",
    "write_json",
]

FITS_FILE = "fits.parquet"
SUMMARY_FILE = "summary.csv"
RUN_FILE = "run.json"
PARTS_DIR = "parts"
PARTS_CONFIG = "config.json"
_METADATA_KEY = b"classweights.run"


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Permissions of written files: what ``open`` would give under the process's umask.
_FILE_MODE = 0o666 & ~_current_umask()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
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


def remove_stale_temporaries(directory: Path) -> None:
    """Delete temporary files and folders that a killed writer left in ``directory``."""
    for folder in (directory, directory / PARTS_DIR):
        for stale in folder.glob(".*.tmp"):
            if stale.is_dir():
                shutil.rmtree(stale, ignore_errors=True)
            else:
                stale.unlink(missing_ok=True)


def make_parts_dir(parts: Path, config: dict[str, Any]) -> None:
    """Create ``parts/`` holding ``config.json``, atomically: the folder never exists without it.

    The folder is filled under a temporary name beside ``parts`` and renamed into place.
    """
    temporary = Path(tempfile.mkdtemp(dir=parts.parent, prefix=f".{parts.name}.", suffix=".tmp"))
    try:
        write_json(temporary / PARTS_CONFIG, config)
        os.replace(temporary, parts)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def write_json(target: Path, payload: dict[str, Any]) -> None:
    """Write ``payload`` as indented JSON, atomically."""
    with atomic_path(target) as temporary:
        temporary.write_text(json.dumps(payload, indent=2) + "\n")


def read_json(source: Path) -> dict[str, Any]:
    """Read a JSON object written by :func:`write_json`."""
    return json.loads(Path(source).read_text())


def write_fits(target: Path, fits: pd.DataFrame, metadata: dict[str, Any]) -> None:
    """Write the per-fit table as parquet with ``metadata`` (JSON) in its schema, atomically."""
    table = pa.Table.from_pandas(fits, preserve_index=False)
    merged = {**(table.schema.metadata or {}), _METADATA_KEY: json.dumps(metadata).encode()}
    with atomic_path(target) as temporary:
        pq.write_table(table.replace_schema_metadata(merged), temporary)


def write_part(parts: Path, name: str, counts: np.ndarray) -> None:
    """Save one finished chunk's counts as ``parts/<name>.npy``, atomically."""
    with atomic_path(parts / f"{name}.npy") as temporary, temporary.open("wb") as stream:
        np.save(stream, counts)


def read_parts(parts: Path) -> dict[str, np.ndarray]:
    """Counts of every finished chunk in ``parts/``, by chunk name."""
    return {path.stem: np.load(path) for path in sorted(parts.glob("*.npy"))}


class RunData(NamedTuple):
    """A finished run read back from disk."""

    fits: pd.DataFrame | None
    """One row per fit; None when the run kept only its summary."""
    summary: pd.DataFrame
    """One row per (class_sep, alpha) cell."""
    run: dict[str, Any]
    """The ``run.json`` record: configuration, versions, timing."""


def load_run(directory: str | os.PathLike[str]) -> RunData:
    """Read a finished run directory back.

    Parameters
    ----------
    directory : path
        A run directory written by :func:`simulate.run_sweep` (or the CLI).

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
