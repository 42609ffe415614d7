"""Run a sweep: chunks of datasets in parallel, progress, tidy rows, and a record of the run."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from tqdm.auto import tqdm

import theory
from params.validation import ParameterError, check_path
from simulate.backends import DEFAULT_BACKEND, ParallelConfig, Workers
from simulate.config import SweepConfig
from simulate.data import dataset_seeds, make_dataset
from simulate.engine import ENGINES
from simulate.run_folder import COUNT_COLUMNS, RunData, RunFolder, SavedChunks, package_versions
from simulate.summary import per_cell

__all__ = ["FIT_COLUMNS", "Chunk", "plan_chunks", "run_chunk", "run_sweep", "tidy_fits"]

#: Most datasets in one chunk; small enough for a smooth progress bar and cheap resumes.
MAX_CHUNK_REPS = 20
#: Least time between two refreshes of the progress bar (a log file gets one line per refresh).
_PROGRESS_SECONDS = 1.0
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


class Chunk(NamedTuple):
    """Datasets ``rep_start`` to ``rep_stop - 1`` of the ``sep_index``-th class separation."""

    sep_index: int
    rep_start: int
    rep_stop: int

    @property
    def name(self) -> str:
        """File-name-safe identifier, e.g. ``sep003-rep000020-000040``."""
        return f"sep{self.sep_index:03d}-rep{self.rep_start:06d}-{self.rep_stop:06d}"

    def shape(self, config: SweepConfig) -> tuple[int, int, int]:
        """Shape of the chunk's counts (:func:`run_chunk`): reps, alphas, 4."""
        return (self.rep_stop - self.rep_start, len(config.alphas), len(COUNT_COLUMNS))


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
    counts = np.empty(chunk.shape(config), dtype=np.int64)
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
                    **dict(zip(COUNT_COLUMNS, block.reshape(-1, 4).T, strict=True)),
                }
            )
        )
    fits = pd.concat(frames, ignore_index=True)
    scores = theory.confusion_scores(*(fits[c].to_numpy() for c in COUNT_COLUMNS))
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
) -> RunData:
    """Run a sweep and return its per-fit table, per-cell summary and record.

    Parameters
    ----------
    config : SweepConfig, optional
        The sweep's settings. Instead (or on top of it), pass any :class:`SweepConfig` field as
        a keyword: ``run_sweep(beta=0.01, alphas=[1, 10, 100], reps=5)``.
    n_jobs : int, optional
        Worker processes (joblib); None or -1 uses every core. The numbers do not depend on it.
    out : str or os.PathLike, optional
        Directory to write the run to (:class:`~simulate.run_folder.RunFolder`); no other run
        may be writing to it. Chunks are saved as they finish, so an interrupted run can
        continue with ``resume=True``.
    progress : bool, default True
        Show a progress bar on stderr.
    resume : bool, default False
        Continue the unfinished run in ``out``, skipping its finished chunks. Refused if its
        configuration differs; chunk files that are damaged or hold other settings' counts are
        recomputed (a line on stderr says how many).
    force : bool, default False
        Overwrite a finished run in ``out``, or discard an unfinished one; not with ``resume``.
    backend : str, default "loky"
        A joblib backend or ``"dask"``; see :class:`~simulate.backends.ParallelConfig`.
    scheduler : str, optional
        Address of the dask scheduler, e.g. ``"tcp://127.0.0.1:8786"``; only with ``"dask"``.

    Returns
    -------
    RunData
        ``.fits``: one row per fit (class_sep, alpha, rep, tp, fp, fn, tn, recall, specificity,
        precision, f1, balanced_accuracy); ``.summary``: one row per (class_sep, alpha) cell
        (:func:`~simulate.summary.per_cell`); ``.run``: the record written to ``run.json``
        (configuration, versions, timing; with ``out``, also each file's size, checksum and
        shape).

    Raises
    ------
    ValueError
        Before anything is written: for bad settings (a
        :class:`~params.validation.ParameterError` naming the setting, also for an ``out`` that
        is not a usable path, ``resume`` with ``force``, or a dask scheduler that does not
        answer), or an ``out`` that is in use by another run, holds a finished run (without
        ``force``), another run's chunks, or cannot be written.
    OSError
        If writing a chunk or a finished file fails (a full disk, say); its ``filename`` names
        the file, and the chunks finished so far are kept for ``resume``.
    """
    config = dataclasses.replace(config or SweepConfig(), **settings)
    parallel = ParallelConfig(
        n_jobs=-1 if n_jobs is None else n_jobs, backend=backend, scheduler=scheduler
    )
    if resume and force:
        allowed = "False when force is True (a resumed run keeps its chunks, a forced one not)"
        raise ParameterError("resume", "run_sweep", allowed, resume)
    path = None if out is None else check_path(out, "out", "run_sweep")
    chunks = plan_chunks(config)
    started = time.perf_counter()
    with Workers(parallel) as workers, _started(path, config, resume, force) as folder:
        shapes = {chunk.name: chunk.shape(config) for chunk in chunks}
        saved = folder.finished_chunks(shapes) if folder else SavedChunks(counts={}, rejected=[])
        if saved.rejected:
            print(
                f"{len(saved.rejected)} chunk files in {folder.path} are damaged or hold another "
                "configuration's counts; computing them again",
                file=sys.stderr,
            )
        counts = {chunk: saved.counts[chunk.name] for chunk in chunks if chunk.name in saved.counts}
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
            for chunk, block in workers.imap_unordered(partial(run_chunk, config), todo):
                if folder is not None:
                    folder.save_chunk(chunk.name, block)
                counts[chunk] = block
                bar.update(block.shape[0] * per_dataset)
        fits = tidy_fits(config, counts)
        elapsed = time.perf_counter() - started
        run = RunData(fits=fits, summary=per_cell(fits), run=_record(config, parallel, elapsed))
        if folder is not None:
            run = run._replace(run=folder.finish(run))
    return run


def _started(
    path: Path | None, config: SweepConfig, resume: bool, force: bool
) -> contextlib.AbstractContextManager[RunFolder | None]:
    """The run's folder, started and locked, or nothing when the run is not saved."""
    if path is None:
        return contextlib.nullcontext()
    return RunFolder.start(path, config.to_dict(), resume=resume, force=force)


def _record(config: SweepConfig, parallel: ParallelConfig, elapsed: float) -> dict[str, Any]:
    """What ``run.json`` says of a run: its settings, where and how fast it ran, with what."""
    return {
        "config": config.to_dict(),
        "seed": config.seed,
        "n_fits": config.n_fits,
        "n_jobs": parallel.n_jobs,
        "backend": parallel.backend,
        "cpu_count": os.cpu_count(),
        "elapsed_seconds": round(elapsed, 3),
        "fits_per_second": round(config.n_fits / elapsed, 2) if elapsed > 0 else None,
        "versions": package_versions(),
    }
