"""Run a sweep: chunks of datasets in parallel, progress, tidy rows, and a record of the run."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import time
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import sklearn
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController
from tqdm.auto import tqdm

import theory
from params.validation import ParameterError, check_path
from simulate.analysis.prediction import (
    PREDICTED_SCORES,
    measured_movement,
    predict_weights,
    predicted_columns,
)
from simulate.analysis.summary import per_cell
from simulate.analysis.thresholding import tuned_threshold
from simulate.config import SweepConfig
from simulate.data.resample import RESAMPLING, fraction_of_weight
from simulate.data.splits import dataset_seeds, make_dataset
from simulate.models.registry import PROBABILISTIC, fit_model
from simulate.runs.backends import DEFAULT_BACKEND, ParallelConfig, Workers
from simulate.runs.folder import (
    COUNT_COLUMNS,
    ChunkSpec,
    RunData,
    RunFolder,
    SavedChunks,
    package_versions,
)
from theory.scores import confusion_counts

__all__ = [
    "FIT_COLUMNS",
    "VALIDATION_COUNT_COLUMNS",
    "Chunk",
    "plan_chunks",
    "run_chunk",
    "run_sweep",
    "split_sizes",
    "tidy_fits",
    "tidy_validation",
]

#: Most datasets in one chunk; small enough for a smooth progress bar and cheap resumes.
MAX_CHUNK_REPS = 20
#: Least time between two refreshes of the progress bar (a log file gets one line per refresh).
_PROGRESS_SECONDS = 1.0
#: Columns of the per-fit table after the sweep's cell keys (:attr:`SweepConfig.cell_keys`:
#: ``class_sep`` or ``dataset``, after ``flip_y`` if the labels are noisy), in order.
FIT_COLUMNS: tuple[str, ...] = (
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

#: A probabilistic model's confusion counts on the validation split, per fit.
VALIDATION_COUNT_COLUMNS: tuple[str, ...] = tuple(f"val_{name}" for name in COUNT_COLUMNS)


class Chunk(NamedTuple):
    """Datasets ``rep_start`` to ``rep_stop - 1`` of the ``source``-th source
    (:attr:`SweepConfig.sources`) at the ``flip``-th label noise; chunks sort as the fits do."""

    flip: int
    source: int
    rep_start: int
    rep_stop: int

    @property
    def name(self) -> str:
        """File-name-safe identifier, e.g. ``flip000-data003-rep000020-000040``."""
        return (
            f"flip{self.flip:03d}-data{self.source:03d}-rep{self.rep_start:06d}-{self.rep_stop:06d}"
        )

    def shapes(self, config: SweepConfig) -> dict[str, tuple[int, ...]]:
        """Shape of each of the chunk's arrays (:func:`run_chunk`)."""
        reps, alphas = self.rep_stop - self.rep_start, len(config.alphas)
        shapes = {"counts": (reps, alphas, len(COUNT_COLUMNS))}
        if config.model in PROBABILISTIC:
            n_val = split_sizes(config, config.sources[self.source])["validation"]
            ends = 3 if config.bootstrap else 1
            shapes["predicted"] = (
                reps,
                len(config.predictors),
                alphas,
                len(PREDICTED_SCORES),
                ends,
            )
            shapes["validation_labels"] = (reps, n_val)
            shapes["validation_scores"] = (reps, n_val)
            shapes["validation_counts"] = (reps, alphas, len(COUNT_COLUMNS))
            shapes["tuned_counts"] = (reps, len(COUNT_COLUMNS))
            shapes["tuned_threshold"] = (reps,)
            shapes["movement"] = (reps,)
        return shapes

    def keys(self, config: SweepConfig) -> dict[str, float | str]:
        """The chunk's values of the sweep's :attr:`SweepConfig.cell_keys`."""
        source_key = "dataset" if config.real_data else "class_sep"
        values = {"flip_y": config.flip_y[self.flip], source_key: config.sources[self.source]}
        return {key: values[key] for key in config.cell_keys}

    def spec(self, config: SweepConfig) -> ChunkSpec:
        """What the chunk's file must hold: its cell keys and repetitions (its identity), and
        the shapes of its arrays."""
        identity = {**self.keys(config), "reps": [self.rep_start, self.rep_stop]}
        return ChunkSpec(identity=identity, shapes=self.shapes(config))


def split_sizes(config: SweepConfig, source: float | str | None = None) -> dict[str, int]:
    """Rows in each split of a dataset drawn from ``source`` (default: the first source):
    ``test``, ``training`` and, for a probabilistic model, ``fitting`` and ``validation`` (the
    training split's two parts); scikit-learn's ``train_test_split`` rounds a held-out fraction
    up."""
    n_rows = config.n_rows(config.sources[0] if source is None else source)
    test = int(np.ceil(config.test_size * n_rows))
    sizes = {"test": test, "training": n_rows - test}
    if config.model in PROBABILISTIC:
        sizes["validation"] = int(np.ceil(config.val_size * sizes["training"]))
        sizes["fitting"] = sizes["training"] - sizes["validation"]
    return sizes


def plan_chunks(config: SweepConfig, max_reps: int | None = None) -> list[Chunk]:
    """Split the sweep's datasets into chunks of at most ``max_reps`` repetitions.

    ``max_reps`` defaults to :data:`MAX_CHUNK_REPS`.
    """
    max_reps = max_reps or MAX_CHUNK_REPS
    return [
        Chunk(flip, source, start, min(start + max_reps, config.n_reps))
        for flip in range(len(config.flip_y))
        for source in range(len(config.sources))
        for start in range(0, config.n_reps, max_reps)
    ]


def run_chunk(config: SweepConfig, chunk: Chunk) -> dict[str, NDArray]:
    """Fit every dataset of ``chunk`` at every weight, on one thread.

    Returns
    -------
    dict of str to ndarray
        ``"counts"``: the test confusion counts tp, fp, fn, tn (int64, reps x alphas x 4). For a
        probabilistic model also ``"validation_labels"`` and ``"validation_scores"`` (the
        ``alpha = 1`` model's, reps x validation rows) and ``"predicted"``, the theory's
        prediction from them (:func:`simulate.analysis.prediction.predict_weights`, reps x
        predictors x alphas x scores x 1, or x 3 with the interval's ends), beside
        ``"validation_counts"`` (each weight's model on the validation split), the tuned
        threshold's ``"tuned_counts"`` and ``"tuned_threshold"``, and ``"movement"``, the
        movement exponent ``k`` each dataset's retrain measures
        (:func:`simulate.analysis.prediction.measured_movement`). Shapes as
        :meth:`Chunk.shapes`.
    """
    alphas = np.asarray(config.alphas)
    fractions = fraction_of_weight(config.beta, alphas) if config.knob in RESAMPLING else None
    source, flip_y = config.sources[chunk.source], config.flip_y[chunk.flip]
    data_settings, model_settings = config.data_settings(), config.model_settings()
    # A probabilistic model's validation split, held out of the training split as
    # hold_out_validation holds it out, its rows gathered with the others'.
    val_size = config.val_size if config.model in PROBABILISTIC else None
    arrays = {
        name: np.empty(shape, dtype=np.int64 if name.endswith("counts") else np.float64)
        for name, shape in chunk.shapes(config).items()
    }
    # One thread per worker; scikit-learn's checks of its own arguments (make_classification,
    # the splits, the scaler) are skipped: the sweep's settings are validated once, up front.
    with _one_thread(), sklearn.config_context(skip_parameter_validation=True):
        for i, rep in enumerate(range(chunk.rep_start, chunk.rep_stop)):
            seeds = dataset_seeds(config.seed, chunk.source, rep)
            data = make_dataset(source, seeds, flip_y=flip_y, val_size=val_size, **data_settings)
            fitted = fit_model(
                data,
                alphas,
                config.model,
                **model_settings,
                random_state=seeds.model,
                resample_seed=seeds.resample,
            )
            arrays["counts"][i] = fitted.counts
            if fitted.validation_scores is not None:
                arrays["validation_labels"][i] = data.y_val
                arrays["validation_scores"][i] = fitted.validation_scores
                arrays["validation_counts"][i] = fitted.validation_counts
                threshold = tuned_threshold(data.y_val, fitted.validation_scores)
                arrays["tuned_threshold"][i] = threshold
                arrays["tuned_counts"][i] = confusion_counts(
                    data.y_test, fitted.test_scores >= threshold
                )
                movement = measured_movement(
                    fitted.validation_scores, alphas, fitted.validation_counts
                )
                arrays["movement"][i] = movement
                arrays["predicted"][i] = predict_weights(
                    data.y_val,
                    fitted.validation_scores,
                    alphas,
                    float(data.y_test.mean()),
                    predictors=config.predictors,
                    fractions=fractions,
                    bootstrap=config.bootstrap,
                    n_test=(int(data.y_test.sum()), int(data.y_test.size - data.y_test.sum())),
                    movement=movement,
                    seed=seeds.bootstrap,
                )
    return arrays


def _one_thread() -> contextlib.AbstractContextManager:
    """Every loaded native thread pool (BLAS, OpenMP) limited to one thread, until the block
    ends: ``threadpool_limits(limits=1)`` through :func:`_thread_pools`."""
    return _thread_pools(len(sys.modules)).limit(limits=1)


@lru_cache(maxsize=1)
def _thread_pools(modules: int) -> ThreadpoolController:
    """The process's native thread pools, found once per number of imported ``modules`` (a new
    native library comes with a new module): finding them reads the loaded libraries, some
    5 ms, which every chunk would otherwise pay."""
    return ThreadpoolController()


def tidy_fits(config: SweepConfig, chunks: dict[Chunk, dict[str, NDArray]]) -> pd.DataFrame:
    """One row per fit, sorted by the cell keys (:attr:`SweepConfig.cell_keys`), rep and alpha,
    with scores from the counts.

    Scores come from :func:`theory.confusion_scores`, the one definition the theory uses too.
    The columns: the cell keys, :data:`FIT_COLUMNS`, ``positive_fraction`` for a resampling
    knob, and for a probabilistic model :data:`VALIDATION_COUNT_COLUMNS`, ``val_f1``,
    ``tuned_f1``, ``tuned_threshold``, ``movement`` and the theory's predictions
    (:func:`simulate.analysis.prediction.predicted_columns`).
    """
    alphas = np.asarray(config.alphas)
    frames = [
        pd.DataFrame({**chunk.keys(config), **_fit_columns(config, chunk, arrays, alphas)})
        for chunk, arrays in sorted(chunks.items())
    ]
    return pd.concat(frames, ignore_index=True)


def _fit_columns(
    config: SweepConfig, chunk: Chunk, arrays: dict[str, NDArray], alphas: NDArray[np.float64]
) -> dict[str, NDArray]:
    """A chunk's columns of :func:`tidy_fits`, in its order, one row per fit (every column at
    once: a frame built column by column takes several times as long)."""
    block = arrays["counts"]
    n_reps, n_alphas, _ = block.shape
    counts = block.reshape(-1, 4).T
    columns = {
        "alpha": np.tile(alphas, n_reps),
        "rep": np.repeat(np.arange(chunk.rep_start, chunk.rep_stop), n_alphas),
        **dict(zip(COUNT_COLUMNS, counts, strict=True)),
    }
    scores = theory.confusion_scores(*counts)
    columns |= {name: scores[name] for name in FIT_COLUMNS[6:]}
    if config.knob in RESAMPLING:
        columns["positive_fraction"] = fraction_of_weight(config.beta, columns["alpha"])
    if "tuned_counts" in arrays:
        validation = arrays["validation_counts"].reshape(-1, len(COUNT_COLUMNS)).T
        columns |= dict(zip(VALIDATION_COUNT_COLUMNS, validation, strict=True))
        columns["val_f1"] = theory.confusion_scores(*validation)["f1"]
        tuned = np.repeat(arrays["tuned_counts"], n_alphas, axis=0).T
        columns["tuned_f1"] = theory.confusion_scores(*tuned)["f1"]
        columns["tuned_threshold"] = np.repeat(arrays["tuned_threshold"], n_alphas)
        columns["movement"] = np.repeat(arrays["movement"], n_alphas)
    if "predicted" in arrays:
        # reps x predictors x alphas x scores x ends -> (reps * alphas) rows x
        # (predictors * scores * ends) columns
        predicted = arrays["predicted"].transpose(0, 2, 1, 3, 4).reshape(n_reps * n_alphas, -1)
        columns |= dict(zip(_prediction_columns(config), predicted.T, strict=True))
    return columns


def _prediction_columns(config: SweepConfig) -> list[str]:
    """The prediction columns of the sweep's fits, in the order of a chunk's arrays."""
    return predicted_columns(config.predictors, intervals=config.bootstrap > 0)


def tidy_validation(
    config: SweepConfig, chunks: dict[Chunk, dict[str, NDArray]]
) -> pd.DataFrame | None:
    """A probabilistic model's validation scores at ``alpha = 1``: one row per validation point
    (the cell keys, rep, label, score), sorted by the cell keys and rep; None for trees."""
    if config.model not in PROBABILISTIC:
        return None
    frames = []
    for chunk, arrays in sorted(chunks.items()):
        labels = arrays["validation_labels"]
        n_val = labels.shape[1]
        frames.append(
            pd.DataFrame(
                {
                    **chunk.keys(config),
                    "rep": np.repeat(np.arange(chunk.rep_start, chunk.rep_stop), n_val),
                    "label": labels.reshape(-1).astype(np.int8),
                    "score": arrays["validation_scores"].reshape(-1),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


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
        Directory to write the run to (:class:`~simulate.runs.folder.RunFolder`); no other run
        may be writing to it. Chunks are saved as they finish, so an interrupted run can
        continue with ``resume=True``.
    progress : bool, default True
        Show a progress bar on stderr.
    resume : bool, default False
        Continue the unfinished run in ``out``, skipping its finished chunks. Refused if its
        configuration differs; chunk files that are damaged or hold other settings' or another
        chunk's counts are recomputed (a line on stderr says how many).
    force : bool, default False
        Overwrite a finished run in ``out``, or discard an unfinished one; not with ``resume``.
    backend : str, default "loky"
        A joblib backend or ``"dask"``; see :class:`~simulate.runs.backends.ParallelConfig`.
    scheduler : str, optional
        Address of the dask scheduler, e.g. ``"tcp://127.0.0.1:8786"``; only with ``"dask"``.

    Returns
    -------
    RunData
        ``.fits``: one row per fit (the cell keys :attr:`SweepConfig.cell_keys`, by default
        class_sep; alpha, rep, tp, fp, fn, tn, recall, specificity,
        precision, f1, balanced_accuracy; for a probabilistic model also the theory's
        predictions, :func:`~simulate.analysis.prediction.predicted_columns`); ``.summary``: one row
        per (cell keys, alpha) cell (:func:`~simulate.analysis.summary.per_cell`); ``.run``: the
        record written to ``run.json`` (configuration, versions, timing; with ``out``, also each
        file's size, checksum and shape); ``.validation``: a probabilistic model's validation scores
        at ``alpha = 1`` (:func:`tidy_validation`), else None.

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
        specs = {chunk.name: chunk.spec(config) for chunk in chunks}
        saved = folder.finished_chunks(specs) if folder else SavedChunks(counts={}, rejected=[])
        if saved.rejected:
            print(
                f"{len(saved.rejected)} chunk files in {folder.path} are damaged or hold another "
                "configuration's or another chunk's counts; computing them again",
                file=sys.stderr,
            )
        done = {chunk: saved.counts[chunk.name] for chunk in chunks if chunk.name in saved.counts}
        todo = [chunk for chunk in chunks if chunk not in done]
        per_dataset = len(config.alphas)
        with tqdm(
            total=config.n_fits,
            initial=sum(len(arrays["counts"]) for arrays in done.values()) * per_dataset,
            unit="fit",
            disable=not progress,
            file=sys.stderr,
            mininterval=_PROGRESS_SECONDS,
            desc=f"sweep ({config.model_description})",
        ) as bar:
            for chunk, arrays in workers.imap_unordered(partial(run_chunk, config), todo):
                if folder is not None:
                    folder.save_chunk(chunk.name, specs[chunk.name].identity, arrays)
                done[chunk] = arrays
                bar.update(len(arrays["counts"]) * per_dataset)
        fits = tidy_fits(config, done)
        elapsed = time.perf_counter() - started
        run = RunData(
            fits=fits,
            summary=per_cell(fits),
            run=_record(config, parallel, elapsed),
            validation=tidy_validation(config, done),
        )
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
