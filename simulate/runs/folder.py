"""A run folder, from its creation to its finished files and back: the one module that writes it.

A finished run folder holds

- ``fits.parquet``: one row per fit, with the run's record (below) as JSON in the file's metadata;
- ``summary.csv``: per (class_sep, alpha) cell (per flip_y too, or per data set in place of
  class_sep), the count, mean and standard error of each score;
- ``validation.parquet`` (probabilistic models only): the ``alpha = 1`` model's scores on each
  dataset's validation split, with their labels;
- ``run.json``: the record: configuration, seed, package versions, elapsed time, fits per second,
  and for each of the two tables its size in bytes, sha256 checksum, rows and columns, with the
  test-split size the confusion counts sum to (per data set, for real data), and the sha256 of the
  record itself (``record_sha256``);
- ``f1_vs_alpha.png``: the run's figure, drawn by :mod:`plots` unless it was not asked for.

While a run is in progress, ``parts/`` holds ``config.json`` and one ``.npz`` file per finished
chunk (its arrays: the counts, and what else the model returns; and what the chunk is), so that
an interrupted run can be resumed; it is removed once the finished files are written.

What keeps a folder sound:

- **One writer.** :meth:`RunFolder.start` takes an OS lock (``flock``) on ``.run.lock`` in the
  folder and holds it until :meth:`RunFolder.close`; a second run in the same folder is refused.
  The OS drops the lock of a process that dies, so a stale lock never blocks.
- **Chunks carry their configuration and identity.** Each chunk file holds the fingerprint (a
  sha256 of the canonical JSON) of the settings it was computed with, and its identity (a sweep's:
  the cell keys and repetitions it holds). A resumed run takes only chunks with its own
  fingerprint and the identity their name stands for; a chunk file that is foreign, another
  chunk's, empty, truncated, unreadable or not a file at all (a folder, say) is removed and
  recomputed, and any other file is ignored.
- **Complete or absent.** Every file is written under a temporary name in its target folder,
  flushed to disk (``fsync``) and renamed into place. Only a regular file (or a symbolic link,
  which is replaced, not followed) is ever replaced: a folder, device or fifo in the way is
  refused.
- **Verified when read.** :func:`load_run` checks ``run.json`` against its own checksum, each
  table against the size and checksum in ``run.json``, its shape, and that the counts are
  non-negative integers summing to the test size.
- **Nothing that blocks.** A run that fails or is interrupted before its first chunk leaves no
  ``parts/`` behind; one with finished chunks keeps them for ``resume``. An OSError while writing
  names the file it was writing.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
import zipfile
from collections.abc import Iterator, Mapping
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from numpy.typing import NDArray

__all__ = [
    "COUNT_COLUMNS",
    "FIGURE_FILE",
    "FITS_FILE",
    "RUN_FILE",
    "SUMMARY_FILE",
    "VALIDATION_FILE",
    "ChunkSpec",
    "FolderState",
    "RunData",
    "RunFolder",
    "SavedChunks",
    "atomic_path",
    "load_run",
    "package_versions",
    "write_json",
    "write_parquet",
]

FITS_FILE = "fits.parquet"
SUMMARY_FILE = "summary.csv"
RUN_FILE = "run.json"
VALIDATION_FILE = "validation.parquet"
FIGURE_FILE = "f1_vs_alpha.png"
#: The confusion counts of a fit, as the per-fit table names them.
COUNT_COLUMNS: tuple[str, ...] = ("tp", "fp", "fn", "tn")
_PARTS_DIR = "parts"
_PARTS_CONFIG = "config.json"
#: Packages whose versions a run's record names.
_VERSIONED_PACKAGES = ("numpy", "scipy", "scikit-learn", "numba", "pandas", "joblib")
_LOCK_FILE = ".run.lock"
_CHUNK_SUFFIX = ".npz"
_METADATA_KEY = b"classweights.run"
#: The key of ``run.json`` that holds the sha256 of the rest of the record.
_RECORD_CHECKSUM = "record_sha256"
#: What reading a damaged chunk file raises: unreadable, empty, truncated (not a zip), bad CRC,
#: a member missing, or a bare ``.npy`` array in place of the archive.
_UNREADABLE = (OSError, ValueError, EOFError, KeyError, TypeError, zipfile.BadZipFile)
_HASH_BLOCK = 1 << 20
#: Largest dictionary page a parquet column keeps before it is written plain instead.
_DICTIONARY_PAGE_BYTES = 1 << 16


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Permissions of written files: what ``open`` would give under the process's umask.
_FILE_MODE = 0o666 & ~_current_umask()


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, fsync: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` if the block succeeds.

    A reader never sees a half-written ``target``: on an exception (or a kill) the temporary
    file is removed (or left under its temporary name) and ``target`` is untouched. Only a
    regular file is replaced; a symbolic link is replaced by the file (what it points to is left
    as it was).

    Parameters
    ----------
    target : path
        The file to write.
    fsync : bool, default False
        Flush the file to disk before the rename that publishes it, and the folder after, so
        that ``target`` is complete even after a power cut.

    Raises
    ------
    OSError
        If writing fails (a full disk, say), or ``target`` is neither missing, a regular file
        nor a symbolic link (a folder, a device, a fifo: :class:`FileExistsError`); its
        ``filename`` is ``target``.
    """
    target = Path(target)
    _check_replaceable(target)
    try:
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise _naming(error, target) from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        if fsync:
            _fsync(temporary)
        os.chmod(temporary, _FILE_MODE)
        _check_replaceable(target)
        os.replace(temporary, target)
        if fsync:
            _fsync(target.parent)
    except OSError as error:
        raise _naming(error, target) from None
    finally:
        temporary.unlink(missing_ok=True)


def _check_replaceable(target: Path) -> None:
    """Raise :class:`FileExistsError` naming ``target`` if something other than a regular file
    or a symbolic link is there (a folder, a device, a fifo, a socket)."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise _naming(error, target) from None
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise FileExistsError(
            errno.EEXIST,
            f"Not a regular file but {_file_kind(mode)}; only a regular file is replaced",
            str(target),
        )


def _file_kind(mode: int) -> str:
    """What a ``stat`` mode is, in words: ``"a folder"``, ``"a character device"``..."""
    kinds = {
        stat.S_ISDIR: "a folder",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISFIFO: "a fifo",
        stat.S_ISSOCK: "a socket",
    }
    return next((kind for is_type, kind in kinds.items() if is_type(mode)), "a special file")


def _fsync(path: Path) -> None:
    """Flush a file's, or a folder's, contents to disk."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _naming(error: OSError, path: Path) -> OSError:
    """``error`` about ``path``: same errno and reason, with ``path`` as its file name."""
    return OSError(error.errno, error.strerror or str(error), str(path))


def _canonical(payload: Mapping[str, Any]) -> str:
    """The canonical JSON of ``payload``: sorted keys, no spaces."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"))


def _fingerprint(payload: Mapping[str, Any]) -> str:
    """sha256 of the canonical JSON of ``payload`` (a run's settings, or its record)."""
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()


def _remove(path: Path) -> None:
    """Delete ``path``, a folder with what it holds; a symbolic link, not what it points to."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    except OSError as error:
        raise _naming(error, path) from None


class RunData(NamedTuple):
    """A run: what :func:`simulate.run_sweep` computed, or :func:`load_run` read back."""

    fits: pd.DataFrame | None
    """One row per fit; None when a saved run kept only its summary."""
    summary: pd.DataFrame
    """One row per cell: (class_sep, alpha), or with the run's other cell keys
    (:func:`simulate.analysis.summary.per_cell`)."""
    run: dict[str, Any]
    """The record: configuration, versions, timing (``run.json``)."""
    validation: pd.DataFrame | None = None
    """A probabilistic model's validation scores at ``alpha = 1``: one row per validation
    point (the cell keys, rep, label, score); None for trees."""


class ChunkSpec(NamedTuple):
    """What one chunk of a run holds, to tell its file from any other's."""

    identity: dict[str, Any]
    """JSON-ready values that say which data the chunk holds (a sweep's: its cell keys and
    repetitions); saved in the chunk file (:meth:`RunFolder.save_chunk`)."""
    shapes: dict[str, tuple[int, ...]]
    """The shape of each of its arrays, one of them ``"counts"``."""


class SavedChunks(NamedTuple):
    """What :meth:`RunFolder.finished_chunks` found."""

    counts: dict[str, dict[str, NDArray]]
    """The arrays of every usable chunk (``"counts"`` and the model's others), by chunk name."""
    rejected: list[str]
    """Chunk files that are damaged or hold another configuration's or another chunk's counts;
    removed, to be recomputed."""


class FolderState(NamedTuple):
    """How far the run in a folder got (:meth:`RunFolder.state`)."""

    finished: bool
    """The folder holds a finished run (its ``run.json``)."""
    chunks: int
    """Chunk files kept for a resume."""


class RunFolder:
    """The folder of one run; create it with :meth:`start`, which makes this process its writer.

    Use the started folder as a context manager (or call :meth:`close`) to release it.

    Parameters
    ----------
    path : path
        The run directory.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._parts = self.path / _PARTS_DIR
        self._lock: int | None = None
        self._created = False
        self.fingerprint: str | None = None

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
            the same. Its fingerprint marks every chunk saved.
        resume : bool, default False
            Keep the chunks an interrupted run with the same settings left in ``path``.
        force : bool, default False
            Discard a finished run, or the chunks of an unfinished one, found in ``path`` (this
            wins over ``resume``; :func:`simulate.run_sweep` refuses the pair).

        Returns
        -------
        RunFolder
            Locked by this process until :meth:`close`.

        Raises
        ------
        ValueError
            If ``path`` cannot be written, is in use by another run, holds a finished run
            (without ``force``), holds an unfinished run (without ``resume`` or ``force``), or
            holds one with other settings (with ``resume``).
        """
        folder = cls(path)
        where = str(folder.path)
        folder._created = not folder.path.exists()
        try:
            folder.path.mkdir(parents=True, exist_ok=True)
            folder._lock = _lock(folder.path / _LOCK_FILE)
        except OSError as error:
            raise ValueError(f"The output directory {where!r} cannot be written: {error}") from None
        if folder._lock is None:
            raise ValueError(f"The output directory {where!r} is in use by another run.")
        folder.fingerprint = _fingerprint(config)
        try:
            folder._prepare(config, resume=resume, force=force)
        except BaseException:
            folder.close()
            raise
        return folder

    def _prepare(self, config: dict[str, Any], *, resume: bool, force: bool) -> None:
        where = str(self.path)
        self._remove_stale_temporaries()
        if (self.path / RUN_FILE).exists():
            if not force:
                raise ValueError(
                    f"The output directory {where!r} holds a finished run; pass force=True "
                    "(--force) to overwrite it."
                )
            for name in (RUN_FILE, FITS_FILE, SUMMARY_FILE, FIGURE_FILE):
                (self.path / name).unlink(missing_ok=True)
        if self._chunk_files() and not force:
            if not resume:
                raise ValueError(
                    f"The output directory {where!r} holds an unfinished run; pass resume=True "
                    "(--resume) to continue it or force=True (--force) to start over."
                )
            if self._stored_config() != json.loads(json.dumps(config)):
                raise ValueError(
                    f"Cannot resume the run in {where!r}: it was started with a different "
                    "configuration. Use the same settings, or force=True (--force) to start over."
                )
            return
        shutil.rmtree(self._parts, ignore_errors=True)
        self._make_parts(config)

    def __enter__(self) -> RunFolder:
        return self

    def __exit__(self, *exception: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the folder: drop a ``parts/`` that holds no chunk, then the lock.

        A folder that :meth:`start` created and that is left empty is removed too. Closing
        twice does nothing.
        """
        if self._lock is None:
            return
        if not self._chunk_files():
            shutil.rmtree(self._parts, ignore_errors=True)
        (self.path / _LOCK_FILE).unlink(missing_ok=True)
        os.close(self._lock)
        self._lock = None
        if self._created:
            with contextlib.suppress(OSError):
                self.path.rmdir()

    def state(self) -> FolderState:
        """How far the run in this folder got: finished, or how many chunks it keeps."""
        return FolderState(
            finished=(self.path / RUN_FILE).is_file(), chunks=len(self._chunk_files())
        )

    def finished_chunks(self, specs: Mapping[str, ChunkSpec]) -> SavedChunks:
        """The saved chunks among ``specs`` that this run can use; the others are removed.

        Parameters
        ----------
        specs : mapping of str to ChunkSpec
            The run's chunk names, and for each its identity and the shapes of its arrays.

        Returns
        -------
        SavedChunks
            The arrays of each chunk saved with this run's fingerprint, the chunk's identity and
            the expected arrays and shapes, and the names of the chunk files that are not
            (damaged, another run's or another chunk's, or not a file), which are removed so
            that the chunks can be saved again.

        Raises
        ------
        OSError
            If a chunk file that cannot be used cannot be removed; its ``filename`` names it.
        """
        counts, rejected = {}, []
        for name, spec in specs.items():
            path = self._chunk_path(name)
            if not os.path.lexists(path):
                continue
            arrays = self._read_chunk(path, spec.identity)
            if arrays is None or {key: a.shape for key, a in arrays.items()} != dict(spec.shapes):
                rejected.append(path.name)
                _remove(path)
            else:
                counts[name] = arrays
        return SavedChunks(counts=counts, rejected=rejected)

    def save_chunk(
        self, name: str, identity: Mapping[str, Any], arrays: Mapping[str, NDArray]
    ) -> None:
        """Save one finished chunk's arrays (``"counts"`` among them) with this run's
        fingerprint and the chunk's ``identity`` (:attr:`ChunkSpec.identity`), atomically and
        durably.

        Raises
        ------
        OSError
            If the chunk file cannot be written; its ``filename`` is the chunk file.
        """
        path = self._chunk_path(name)
        with atomic_path(path, fsync=True) as temporary, temporary.open("wb") as out:
            np.savez(
                out,
                **arrays,
                fingerprint=np.array(self.fingerprint),
                identity=np.array(_canonical(identity)),
            )

    def finish(self, run: RunData) -> dict[str, Any]:
        """Write the finished files of ``run`` and drop the chunks.

        ``run.json`` is written last: a folder that has it is finished.

        Returns
        -------
        dict
            The record written to ``run.json``: ``run.run`` with ``files`` (per table: bytes,
            sha256, rows, columns), ``n_test`` (the test-split size the counts sum to; per
            data set, for a run on real data sets) and ``record_sha256`` (the sha256 of the
            canonical JSON of the rest of the record).

        Raises
        ------
        OSError
            If a file cannot be written; its ``filename`` is that file. The chunks are kept.
        """
        files = {}
        record = dict(run.run)
        if run.fits is not None:
            write_parquet(self.path / FITS_FILE, run.fits, run.run)
            files[FITS_FILE] = _describe(self.path / FITS_FILE, run.fits)
            record["n_test"] = _test_sizes(run.fits)
        if run.validation is not None:
            write_parquet(self.path / VALIDATION_FILE, run.validation, run.run)
            files[VALIDATION_FILE] = _describe(self.path / VALIDATION_FILE, run.validation)
        with atomic_path(self.path / SUMMARY_FILE, fsync=True) as temporary:
            run.summary.to_csv(temporary, index=False)
        files[SUMMARY_FILE] = _describe(self.path / SUMMARY_FILE, run.summary)
        record["files"] = files
        record[_RECORD_CHECKSUM] = _fingerprint(record)
        write_json(self.path / RUN_FILE, record)
        shutil.rmtree(self._parts, ignore_errors=True)
        return record

    def _chunk_path(self, name: str) -> Path:
        return self._parts / f"{name}{_CHUNK_SUFFIX}"

    def _chunk_files(self) -> list[Path]:
        return list(self._parts.glob(f"*{_CHUNK_SUFFIX}"))

    def _read_chunk(self, path: Path, identity: Mapping[str, Any]) -> dict[str, NDArray] | None:
        """A chunk file's arrays if it is a file holding this run's fingerprint, ``identity``
        and int64 counts, else None."""
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as saved:
                arrays = {key: saved[key] for key in saved.files}
        except _UNREADABLE:
            return None
        fingerprint = arrays.pop("fingerprint", None)
        saved_identity = arrays.pop("identity", None)
        counts = arrays.get("counts")
        if fingerprint is None or str(fingerprint) != self.fingerprint:
            return None
        if saved_identity is None or str(saved_identity) != _canonical(identity):
            return None
        if counts is None or counts.dtype != np.int64:
            return None
        return arrays

    def _stored_config(self) -> dict[str, Any] | None:
        try:
            return json.loads((self._parts / _PARTS_CONFIG).read_text())
        except (OSError, ValueError):
            return None

    def _make_parts(self, config: dict[str, Any]) -> None:
        """Create ``parts/`` holding ``config.json``, atomically: it never exists without it."""
        try:
            temporary = Path(
                tempfile.mkdtemp(dir=self.path, prefix=f".{_PARTS_DIR}.", suffix=".tmp")
            )
        except OSError as error:
            raise _naming(error, self._parts) from None
        try:
            write_json(temporary / _PARTS_CONFIG, config)
            os.replace(temporary, self._parts)
        except OSError as error:
            raise _naming(error, self._parts) from None
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


def _lock(path: Path) -> int | None:
    """Hold an exclusive ``flock`` on ``path`` (created if missing); None if another holds it.

    The holder removes the file when it lets go, so a process that opened the file before
    then may have locked a file no longer in place: it tries again on the new one.
    """
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, _FILE_MODE)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            return None
        with contextlib.suppress(FileNotFoundError):
            if os.path.samestat(os.fstat(handle), os.stat(path)):
                return handle
        os.close(handle)


def _describe(path: Path, table: pd.DataFrame) -> dict[str, Any]:
    """What ``run.json`` records of a written table: bytes, sha256, rows and columns."""
    return {
        "bytes": path.stat().st_size,
        "sha256": _sha256(path),
        "rows": len(table),
        "columns": [str(column) for column in table.columns],
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(_HASH_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def load_run(directory: str | os.PathLike[str]) -> RunData:
    """Read a finished run directory back, verified.

    Parameters
    ----------
    directory : path
        A run directory written by :func:`simulate.run_sweep` (or the command).

    Returns
    -------
    RunData
        ``.fits`` (per-fit DataFrame, if ``fits.parquet`` is present, else None), ``.summary``
        (per-cell DataFrame), ``.run`` (the ``run.json`` record) and ``.validation`` (if
        ``validation.parquet`` is present and ``run.json`` records it, else None; a folder may
        drop this large file and stay readable).

    Raises
    ------
    ValueError
        If the directory is missing, a file or unfinished, ``run.json`` differs from the checksum it
        records of itself (``record_sha256``; a record written before it had one is checked
        against the copy ``fits.parquet`` carries), or a file cannot be read, differs from the
        size, checksum or shape ``run.json`` records, or holds counts that are not non-negative
        integers summing to the test size; the message names the file and what is wrong.
    """
    directory = Path(directory)
    where = f"The run directory {str(directory)!r}"
    if not directory.is_dir():
        what = "is a file, not a run folder" if directory.exists() else "does not exist"
        raise ValueError(f"{where} {what}.")
    for required in (RUN_FILE, SUMMARY_FILE):
        if not (directory / required).is_file():
            raise ValueError(f"{where} has no {required}: it is not a finished run.")
    try:
        run = json.loads((directory / RUN_FILE).read_text())
    except (OSError, ValueError) as error:
        raise ValueError(f"{where} is corrupt: {RUN_FILE} cannot be read: {error}") from None
    if not isinstance(run, dict) or not isinstance(run.get("config"), dict):
        raise ValueError(f"{where} is corrupt: {RUN_FILE} has no config.")
    files = run.get("files")
    if not isinstance(files, dict) or not isinstance(files.get(SUMMARY_FILE), dict):
        raise ValueError(
            f"{where} cannot be verified: {RUN_FILE} records no size and checksum of its files."
        )
    fits_path = directory / FITS_FILE
    has_fits = fits_path.is_file()
    if has_fits and not isinstance(files.get(FITS_FILE), dict):
        raise ValueError(
            f"{where} cannot be verified: {RUN_FILE} records no checksum of {FITS_FILE}."
        )
    sealed = _RECORD_CHECKSUM in run
    if not sealed and not has_fits:
        raise ValueError(
            f"{where} cannot be verified: {RUN_FILE} records no checksum of itself "
            f"({_RECORD_CHECKSUM}) and there is no {FITS_FILE} to check it against."
        )
    try:
        if sealed:
            _verify_record(run)
        _verify_bytes(directory / SUMMARY_FILE, files[SUMMARY_FILE])
        summary = pd.read_csv(directory / SUMMARY_FILE)
        _verify_shape(SUMMARY_FILE, summary, files[SUMMARY_FILE])
        fits = None
        if has_fits:
            _verify_bytes(fits_path, files[FITS_FILE])
            if not sealed:
                _verify_record_copy(run, fits_path)
            fits = pd.read_parquet(fits_path)
            _verify_shape(FITS_FILE, fits, files[FITS_FILE])
            _verify_counts(fits, run.get("n_test"))
        validation = None
        if (directory / VALIDATION_FILE).is_file() and isinstance(files.get(VALIDATION_FILE), dict):
            _verify_bytes(directory / VALIDATION_FILE, files[VALIDATION_FILE])
            validation = pd.read_parquet(directory / VALIDATION_FILE)
            _verify_shape(VALIDATION_FILE, validation, files[VALIDATION_FILE])
    except (OSError, ValueError, pa.ArrowException) as error:
        raise ValueError(f"{where} is corrupt: {error}") from None
    return RunData(fits=fits, summary=summary, run=run, validation=validation)


def _verify_record(run: dict[str, Any]) -> None:
    """Check ``run.json``'s record against the sha256 it records of the rest of itself."""
    rest = {key: value for key, value in run.items() if key != _RECORD_CHECKSUM}
    if run[_RECORD_CHECKSUM] != _fingerprint(rest):
        raise ValueError(
            f"{RUN_FILE} does not match the sha256 checksum it records of itself "
            f"({_RECORD_CHECKSUM}): it was changed after the run wrote it."
        )


def _verify_record_copy(run: dict[str, Any], fits_path: Path) -> None:
    """Check a record written before ``run.json`` had its own checksum against the copy in the
    metadata of ``fits_path`` (whose checksum is verified): all but ``files`` and ``n_test``."""
    copy = (pq.read_schema(fits_path).metadata or {}).get(_METADATA_KEY)
    written = {key: value for key, value in run.items() if key not in ("files", "n_test")}
    if copy is None or _canonical(json.loads(copy)) != _canonical(written):
        raise ValueError(
            f"{RUN_FILE} does not match the record {FITS_FILE} carries: it was changed after "
            "the run wrote it."
        )


def _verify_bytes(path: Path, recorded: dict[str, Any]) -> None:
    """Check a file's size and sha256 against what ``run.json`` records of it."""
    size = path.stat().st_size
    if size != recorded.get("bytes"):
        raise ValueError(
            f"{path.name} has {size} bytes where {RUN_FILE} records {recorded.get('bytes')}."
        )
    if _sha256(path) != recorded.get("sha256"):
        raise ValueError(f"{path.name} does not match the sha256 checksum {RUN_FILE} records.")


def _verify_shape(name: str, table: pd.DataFrame, recorded: dict[str, Any]) -> None:
    """Check a table's rows and columns against what ``run.json`` records of it."""
    columns = [str(column) for column in table.columns]
    if len(table) != recorded.get("rows") or columns != recorded.get("columns"):
        raise ValueError(
            f"{name} has {len(table)} rows and columns {columns} where {RUN_FILE} records "
            f"{recorded.get('rows')} rows and columns {recorded.get('columns')}."
        )


def _test_sizes(fits: pd.DataFrame) -> int | dict[str, int]:
    """The test-split size the fits' counts sum to, or per data set where there are several."""
    sizes = fits[list(COUNT_COLUMNS)].sum(axis=1)
    if "dataset" not in fits.columns:
        return int(sizes.iloc[0])
    return {str(name): int(size) for name, size in sizes.groupby(fits["dataset"]).first().items()}


def _verify_counts(fits: pd.DataFrame, n_test: object) -> None:
    """Check that every fit's confusion counts are non-negative integers summing to ``n_test``
    (to ``n_test[dataset]``, for a run on real data sets)."""
    missing = [column for column in COUNT_COLUMNS if column not in fits.columns]
    if missing:
        raise ValueError(f"{FITS_FILE} lacks the count columns {missing}.")
    counts = fits[list(COUNT_COLUMNS)]
    if not all(pd.api.types.is_integer_dtype(dtype) for dtype in counts.dtypes):
        raise ValueError(f"{FITS_FILE} holds counts that are not integers.")
    if (counts < 0).any().any():
        raise ValueError(f"{FITS_FILE} holds negative counts.")
    if isinstance(n_test, dict) and "dataset" in fits.columns:
        expected = fits["dataset"].map(n_test)
        if expected.isna().any() or (counts.sum(axis=1) != expected).any():
            raise ValueError(
                f"{FITS_FILE} holds counts that do not sum to the test sizes {n_test}."
            )
        return
    if isinstance(n_test, bool) or not isinstance(n_test, int):
        raise ValueError(f"{RUN_FILE} records no test-split size 'n_test'.")
    if (counts.sum(axis=1) != n_test).any():
        raise ValueError(f"{FITS_FILE} holds counts that do not sum to the test size {n_test}.")


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
    """``payload`` as indented JSON in ``target``, atomically and flushed to disk."""
    with atomic_path(target, fsync=True) as temporary:
        temporary.write_text(json.dumps(payload, indent=2) + "\n")


def write_parquet(
    target: str | os.PathLike[str], frame: pd.DataFrame, record: dict[str, Any]
) -> None:
    """``frame`` as parquet with ``record`` (JSON) in its schema's metadata, atomically and
    flushed to disk; zstd-compressed, with a column's dictionary given up past 64 KiB (a column
    of distinct numbers, such as the validation scores, is then written plain at once: a
    sweep's 300,000 validation rows in a third of the time of the defaults, and smaller)."""
    table = pa.Table.from_pandas(frame, preserve_index=False)
    merged = {**(table.schema.metadata or {}), _METADATA_KEY: json.dumps(record).encode()}
    with atomic_path(target, fsync=True) as temporary:
        pq.write_table(
            table.replace_schema_metadata(merged),
            temporary,
            compression="zstd",
            dictionary_pagesize_limit=_DICTIONARY_PAGE_BYTES,
        )
