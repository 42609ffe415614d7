"""Run a sweep: chunks of datasets in parallel, progress, tidy rows, and the run on disk."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import sys
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple

import joblib
import numpy as np
import pandas as pd
from numpy.typing import NDArray
from tqdm.auto import tqdm

import theory
from simulate import store
from simulate.config import SweepConfig
from simulate.data import dataset_seeds, make_dataset
from simulate.engine import ENGINES
from simulate.summary import per_cell
from params.validation import check_option

__all__ = ["Chunk", "backend_names", "plan_chunks", "run_chunk", "run_sweep", "tidy_fits"]

#: Most datasets in one chunk; small enough for a smooth progress bar and cheap resumes.
MAX_CHUNK_REPS = 20
#: Least time between two refreshes of the progress bar (a log file gets one line per refresh).
_PROGRESS_SECONDS = 1.0
#: joblib backend used unless another is asked for.
DEFAULT_BACKEND = "loky"
#: Columns of the per-fit table, in order.
FIT_COLUMNS: tuple[str, ...] = (
    "class_sep",
    "alpha",
    "rep",
    "tp",
    "fp",
    "fn",
    "tn",
    "recall",
    "specificity",
    "precision",
    "f1",
    "balanced_accuracy",
)
_VERSIONED_PACKAGES = ("numpy", "scipy", "scikit-learn", "numba", "pandas", "joblib")


class Chunk(NamedTuple):
    """Datasets ``rep_start`` to ``rep_stop - 1`` of the ``sep_index``-th class separation."""

    sep_index: int
    rep_start: int
    rep_stop: int

    @property
    def name(self) -> str:
        """File-name-safe identifier, e.g. ``sep003-rep000020-000040``."""
        return f"sep{self.sep_index:03d}-rep{self.rep_start:06d}-{self.rep_stop:06d}"


def plan_chunks(config: SweepConfig, max_reps: int | None = None) -> list[Chunk]:
    """Split the sweep's datasets into chunks of at most ``max_reps`` repetitions.

    ``max_reps`` defaults to :data:`MAX_CHUNK_REPS`.
    """
    max_reps = max_reps or MAX_CHUNK_REPS
    return [
        Chunk(sep_index, start, min(start + max_reps, config.reps))
        for sep_index in range(len(config.seps))
        for start in range(0, config.reps, max_reps)
    ]


def run_chunk(config: SweepConfig, chunk: Chunk) -> NDArray[np.int64]:
    """Fit every dataset of ``chunk`` at every weight.

    Returns
    -------
    ndarray of int64, shape (rep_stop - rep_start, len(alphas), 4)
        Test confusion counts tp, fp, fn, tn.
    """
    engine = ENGINES[config.engine]
    alphas = np.asarray(config.alphas)
    class_sep = config.seps[chunk.sep_index]
    counts = np.empty((chunk.rep_stop - chunk.rep_start, len(alphas), 4), dtype=np.int64)
    for i, rep in enumerate(range(chunk.rep_start, chunk.rep_stop)):
        seeds = dataset_seeds(config.seed, chunk.sep_index, rep)
        data = make_dataset(config, class_sep, seeds)
        counts[i] = engine(
            data,
            alphas,
            max_depth=config.max_depth,
            min_samples_leaf=config.min_samples_leaf,
            random_state=seeds.model,
        )
    return counts


def tidy_fits(config: SweepConfig, counts: dict[Chunk, NDArray[np.int64]]) -> pd.DataFrame:
    """One row per fit, sorted by class_sep, rep and alpha, with scores from the counts.

    Scores come from :func:`theory.confusion_scores`, the one definition the theory uses too.
    """
    frames = []
    alphas = np.asarray(config.alphas)
    for chunk, block in sorted(counts.items()):
        n_reps, n_alphas, _ = block.shape
        reps = np.arange(chunk.rep_start, chunk.rep_stop)
        frames.append(
            pd.DataFrame(
                {
                    "class_sep": config.seps[chunk.sep_index],
                    "alpha": np.tile(alphas, n_reps),
                    "rep": np.repeat(reps, n_alphas),
                    **dict(zip(("tp", "fp", "fn", "tn"), block.reshape(-1, 4).T, strict=True)),
                }
            )
        )
    fits = pd.concat(frames, ignore_index=True)
    scores = theory.confusion_scores(*(fits[c].to_numpy() for c in ("tp", "fp", "fn", "tn")))
    for name in FIT_COLUMNS[7:]:
        fits[name] = scores[name]
    return fits[list(FIT_COLUMNS)]


def run_sweep(
    config: SweepConfig | None = None,
    *,
    n_jobs: int | None = None,
    out: str | os.PathLike[str] | None = None,
    progress: bool = True,
    resume: bool = False,
    force: bool = False,
    backend: str = DEFAULT_BACKEND,
    scheduler: str | None = None,
    **settings: Any,
) -> pd.DataFrame:
    """Run a sweep and return its per-fit table.

    Parameters
    ----------
    config : SweepConfig, optional
        The sweep's settings. Instead (or on top of it), pass any :class:`SweepConfig` field as
        a keyword: ``run_sweep(beta=0.01, alphas=[1, 10, 100], reps=5)``.
    n_jobs : int, optional
        Worker processes (joblib); None or -1 uses every core. The numbers do not depend on it.
    out : path, optional
        Directory to write the run to (``fits.parquet``, ``summary.csv``, ``run.json``). Chunks
        are saved as they finish, so an interrupted run can continue with ``resume=True``.
    progress : bool, default True
        Show a progress bar on stderr.
    resume : bool, default False
        Continue the unfinished run in ``out``, skipping its finished chunks. Refused if its
        configuration differs.
    force : bool, default False
        Overwrite a finished run in ``out``.
    backend : str, default "loky"
        A joblib backend (:func:`backend_names`): ``"loky"`` (processes), ``"threading"``,
        ``"multiprocessing"``, ``"sequential"``, or ``"dask"`` to run on a dask.distributed
        cluster (needs ``scheduler`` and the ``dask`` extra).
    scheduler : str, optional
        Address of the dask scheduler, e.g. ``"tcp://127.0.0.1:8786"``; only with ``"dask"``.

    Returns
    -------
    DataFrame
        One row per fit: class_sep, alpha, rep, tp, fp, fn, tn, recall, specificity, precision,
        f1, balanced_accuracy.

    Raises
    ------
    ValueError
        For bad settings, ``n_jobs == 0``, an unknown backend, a missing or stray
        ``scheduler``, or an ``out`` that holds a finished run (without ``force``), another run's
        chunks, or cannot be written.
    """
    config = dataclasses.replace(config or SweepConfig(), **settings)
    n_jobs = _check_n_jobs(n_jobs)
    _check_backend(backend, scheduler)
    chunks = plan_chunks(config)
    started = time.perf_counter()
    parts = _prepare_out(Path(out), config, resume=resume, force=force) if out else None
    counts = _finished_chunks(parts, chunks)
    todo = [chunk for chunk in chunks if chunk not in counts]
    per_dataset = len(config.alphas)
    with tqdm(
        total=config.n_fits,
        initial=sum(len(block) for block in counts.values()) * per_dataset,
        unit="fit",
        disable=not progress,
        file=sys.stderr,
        mininterval=_PROGRESS_SECONDS,
        desc=f"sweep ({config.engine})",
    ) as bar:
        for chunk, block in _run_parallel(config, todo, n_jobs, backend, scheduler):
            if parts is not None:
                store.write_part(parts, chunk.name, block)
            counts[chunk] = block
            bar.update(block.shape[0] * per_dataset)
    fits = tidy_fits(config, counts)
    elapsed = time.perf_counter() - started
    if out:
        _write_run(Path(out), config, fits, elapsed=elapsed, n_jobs=n_jobs, backend=backend)
    return fits


def _check_n_jobs(n_jobs: int | None) -> int:
    if n_jobs is None:
        return -1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int | np.integer) or n_jobs == 0:
        raise ValueError(
            "The 'n_jobs' parameter of run_sweep must be a non-zero int (-1 for every core) or "
            f"None. Got {n_jobs!r} instead."
        )
    return int(n_jobs)


def backend_names() -> tuple[str, ...]:
    """Backends ``run_sweep`` accepts: joblib's registered ones and ``"dask"``."""
    from joblib.parallel import BACKENDS

    return tuple(sorted({*BACKENDS, "dask"}))


def _check_backend(backend: str, scheduler: str | None) -> None:
    check_option(backend, "backend", "run_sweep", backend_names())
    if backend == "dask" and not scheduler:
        raise ValueError(
            "The 'scheduler' parameter of run_sweep must be a dask scheduler address "
            "(e.g. 'tcp://127.0.0.1:8786') when backend is 'dask'. Got None instead."
        )
    if backend != "dask" and scheduler:
        raise ValueError(
            "The 'scheduler' parameter of run_sweep must be None unless backend is 'dask'. "
            f"Got {scheduler!r} instead."
        )


def _run_parallel(
    config: SweepConfig, chunks: list[Chunk], n_jobs: int, backend: str, scheduler: str | None
) -> Iterator[tuple[Chunk, NDArray[np.int64]]]:
    if not chunks:
        return
    if n_jobs == 1 and backend != "dask":
        for chunk in chunks:
            yield chunk, run_chunk(config, chunk)
        return
    with contextlib.ExitStack() as stack:
        if backend == "dask":
            stack.enter_context(_dask_client(scheduler))
        stack.enter_context(joblib.parallel_config(backend=backend, n_jobs=n_jobs))
        parallel = joblib.Parallel(return_as="generator_unordered")
        yield from parallel(joblib.delayed(_run_labelled)(config, chunk) for chunk in chunks)


def _dask_client(scheduler: str) -> contextlib.AbstractContextManager:
    try:
        from distributed import Client
    except ImportError:
        raise ValueError(
            "The 'dask' backend needs dask.distributed: pip install '.[dask]'."
        ) from None
    try:
        return Client(scheduler, timeout="10s")
    except OSError as error:
        raise ValueError(f"Cannot reach the dask scheduler at {scheduler!r}: {error}") from None


def _run_labelled(config: SweepConfig, chunk: Chunk) -> tuple[Chunk, NDArray[np.int64]]:
    return chunk, run_chunk(config, chunk)


def _prepare_out(out: Path, config: SweepConfig, *, resume: bool, force: bool) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise ValueError(f"The output directory {str(out)!r} cannot be written: {error}") from None
    parts = out / store.PARTS_DIR
    store.remove_stale_temporaries(out)
    if (out / store.RUN_FILE).exists():
        if not force:
            raise ValueError(
                f"The output directory {str(out)!r} holds a finished run; pass force=True "
                "(--force) to overwrite it."
            )
        for name in (store.RUN_FILE, store.FITS_FILE, store.SUMMARY_FILE):
            (out / name).unlink(missing_ok=True)
    stored = parts / store.PARTS_CONFIG
    if parts.exists() and not force:
        if not resume:
            raise ValueError(
                f"The output directory {str(out)!r} holds an unfinished run; pass resume=True "
                "(--resume) to continue it or force=True (--force) to start over."
            )
        if not stored.is_file() or SweepConfig.from_dict(store.read_json(stored)) != config:
            raise ValueError(
                f"Cannot resume the run in {str(out)!r}: it was started with a different "
                "configuration. Use the same settings, or force=True (--force) to start over."
            )
        return parts
    if parts.exists():
        shutil.rmtree(parts)
    store.make_parts_dir(parts, config.to_dict())
    return parts


def _finished_chunks(parts: Path | None, chunks: list[Chunk]) -> dict[Chunk, NDArray[np.int64]]:
    if parts is None:
        return {}
    saved = store.read_parts(parts)
    return {chunk: saved[chunk.name] for chunk in chunks if chunk.name in saved}


def _write_run(
    out: Path,
    config: SweepConfig,
    fits: pd.DataFrame,
    *,
    elapsed: float,
    n_jobs: int,
    backend: str,
) -> None:
    record = {
        "config": config.to_dict(),
        "seed": config.seed,
        "n_fits": len(fits),
        "n_jobs": n_jobs,
        "backend": backend,
        "cpu_count": os.cpu_count(),
        "elapsed_seconds": round(elapsed, 3),
        "fits_per_second": round(len(fits) / elapsed, 2) if elapsed > 0 else None,
        "versions": {"python": sys.version.split()[0], **_versions()},
    }
    store.write_fits(out / store.FITS_FILE, fits, record)
    with store.atomic_path(out / store.SUMMARY_FILE) as temporary:
        per_cell(fits).to_csv(temporary, index=False)
    store.write_json(out / store.RUN_FILE, record)
    shutil.rmtree(out / store.PARTS_DIR, ignore_errors=True)


def _versions() -> dict[str, str]:
    versions = {}
    for package in _VERSIONED_PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions
