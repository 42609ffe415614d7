import dataclasses
import json
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import theory
from simulate import load_run, run_sweep
from simulate.analysis.summary import per_cell
from simulate.runs.backends import ParallelConfig
from simulate.runs.folder import RunFolder
from simulate.sweep import FIT_COLUMNS, plan_chunks, run_chunk, tidy_fits


def test_rows_columns_and_scores(small_config, small_sweep):
    fits = small_sweep.fits
    assert list(fits.columns) == ["class_sep", *FIT_COLUMNS]
    assert len(fits) == small_config.n_fits
    cells = fits.groupby(["class_sep", "alpha"]).size()
    assert set(cells) == {small_config.reps}
    n_test = round(small_config.n_samples * small_config.test_size)
    assert (fits[["tp", "fp", "fn", "tn"]].sum(axis=1) == n_test).all()
    expected = theory.confusion_scores(fits.tp, fits.fp, fits.fn, fits.tn)
    for name in ("recall", "specificity", "precision", "f1", "balanced_accuracy"):
        np.testing.assert_allclose(fits[name], expected[name])


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["sklearn", "numba"])
def test_same_seed_same_numbers_for_any_workers_and_chunking(small_config, engine):
    small_config = dataclasses.replace(small_config, engine=engine)
    serial = run_sweep(small_config, n_jobs=1, progress=False).fits
    parallel = run_sweep(small_config, n_jobs=2, progress=False).fits
    pd.testing.assert_frame_equal(serial, parallel)
    rechunked = {
        chunk: run_chunk(small_config, chunk) for chunk in plan_chunks(small_config, max_reps=1)
    }
    pd.testing.assert_frame_equal(serial, tidy_fits(small_config, rechunked))
    other_seed = run_sweep(small_config, n_jobs=1, progress=False, seed=1).fits
    assert not other_seed[["tp", "fp"]].equals(serial[["tp", "fp"]])


def test_keyword_settings(small_config):
    run = run_sweep(small_config, n_jobs=1, progress=False, reps=1, alphas=[1.0])
    assert len(run.fits) == len(small_config.seps)
    assert run.run["config"]["reps"] == 1


def test_the_result_is_what_the_folder_holds(small_config, small_sweep, tmp_path):
    computed = run_sweep(small_config, n_jobs=1, progress=False, out=tmp_path)
    pd.testing.assert_frame_equal(computed.fits, small_sweep.fits)
    pd.testing.assert_frame_equal(computed.summary, per_cell(small_sweep.fits))
    saved = load_run(tmp_path)
    pd.testing.assert_frame_equal(saved.fits, computed.fits)
    pd.testing.assert_frame_equal(saved.summary, computed.summary)
    assert saved.run == computed.run


def test_writes_a_finished_run(small_config, tmp_path):
    fits = run_sweep(small_config, n_jobs=1, progress=False, out=tmp_path).fits
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "fits.parquet",
        "run.json",
        "summary.csv",
    ]
    run = load_run(tmp_path)
    pd.testing.assert_frame_equal(run.fits, fits)
    assert run.run["config"]["reps"] == small_config.reps
    assert run.run["fits_per_second"] > 0
    assert len(run.summary) == len(small_config.seps) * len(small_config.alphas)


def test_refuses_to_overwrite_without_force(small_config, tmp_path):
    run_sweep(small_config, n_jobs=1, progress=False, out=tmp_path)
    with pytest.raises(ValueError, match="holds a finished run"):
        run_sweep(small_config, n_jobs=1, progress=False, out=tmp_path)
    run_sweep(small_config, n_jobs=1, progress=False, out=tmp_path, force=True, seed=3)
    assert load_run(tmp_path).run["config"]["seed"] == 3


def test_resume_skips_finished_chunks_and_checks_config(small_config, tmp_path, monkeypatch):
    import simulate.sweep as sweep

    calls = []
    real = sweep.run_chunk

    def failing_after_two(config, chunk):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(chunk)
        return real(config, chunk)

    config = small_config.__class__(**{**small_config.to_dict(), "reps": 2})
    monkeypatch.setattr(sweep, "MAX_CHUNK_REPS", 1)
    monkeypatch.setattr(sweep, "run_chunk", failing_after_two)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(config, n_jobs=1, progress=False, out=tmp_path)
    assert not (tmp_path / "fits.parquet").exists()
    assert len(list((tmp_path / "parts").glob("*.npz"))) == 2
    with pytest.raises(ValueError, match="holds an unfinished run"):
        run_sweep(config, n_jobs=1, progress=False, out=tmp_path)
    with pytest.raises(ValueError, match="different configuration"):
        run_sweep(config, n_jobs=1, progress=False, out=tmp_path, resume=True, seed=9)
    monkeypatch.setattr(sweep, "run_chunk", real)
    calls.clear()
    resumed = run_sweep(config, n_jobs=1, progress=False, out=tmp_path, resume=True)
    pd.testing.assert_frame_equal(resumed.fits, run_sweep(config, n_jobs=1, progress=False).fits)


def test_bad_n_jobs(small_config):
    with pytest.raises(ValueError, match=r"'n_jobs'.*Got 0 instead"):
        run_sweep(small_config, n_jobs=0, progress=False)


@pytest.mark.parametrize(
    ("backend", "scheduler", "message"),
    [
        ("spark", None, r"'backend' parameter of ParallelConfig must be one of 'dask', 'loky'"),
        ("dask", None, r"'scheduler'.*when backend is 'dask'"),
        ("loky", "tcp://127.0.0.1:1", r"'scheduler'.*must be None unless"),
    ],
)
def test_bad_backend(small_config, backend, scheduler, message):
    with pytest.raises(ValueError, match=message):
        run_sweep(small_config, backend=backend, scheduler=scheduler, progress=False)


def test_multiprocessing_is_not_offered(small_config):
    with pytest.raises(ValueError, match=r"'backend'.*Got 'multiprocessing' instead"):
        run_sweep(small_config, n_jobs=2, backend="multiprocessing", progress=False)


def test_dask_without_distributed_is_refused_by_name(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ValueError, match=r"'backend'.*Got 'dask' instead: 'dask' needs dask"):
        ParallelConfig(backend="dask", scheduler="tcp://127.0.0.1:8786")


def test_threading_backend_gives_the_same_numbers(small_config, small_sweep):
    threaded = run_sweep(small_config, n_jobs=2, backend="threading", progress=False)
    pd.testing.assert_frame_equal(small_sweep.fits, threaded.fits)


def test_resume_and_force_together_are_refused(small_config, tmp_path):
    with pytest.raises(ValueError, match=r"'resume' parameter of run_sweep must be False when"):
        run_sweep(small_config, n_jobs=1, progress=False, out=tmp_path, resume=True, force=True)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("out", ["", 3, b"runs/a", "runs/\x00", "\ud800"])
def test_a_bad_out_is_refused_by_name(small_config, out):
    with pytest.raises(ValueError, match=r"^The 'out' parameter of run_sweep must be a non-empty"):
        run_sweep(small_config, n_jobs=1, progress=False, out=out)


def test_a_crash_before_any_chunk_leaves_nothing(small_config, tmp_path, monkeypatch):
    import simulate.sweep as sweep

    def crash(config, chunk):
        raise RuntimeError("worker crashed")

    monkeypatch.setattr(sweep, "run_chunk", crash)
    with pytest.raises(RuntimeError):
        run_sweep(small_config, n_jobs=1, progress=False, out=tmp_path / "run")
    assert not (tmp_path / "run").exists()
    (tmp_path / "kept").mkdir()
    with pytest.raises(RuntimeError):
        run_sweep(small_config, n_jobs=1, progress=False, out=tmp_path / "kept")
    assert list((tmp_path / "kept").iterdir()) == []


def test_damaged_chunks_are_recomputed_and_reported_once(small_config, tmp_path, capsys):
    import simulate.sweep as sweep

    run_sweep(small_config, n_jobs=1, progress=False, out=tmp_path)
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "config.json").write_text(json.dumps(small_config.to_dict()))
    for chunk in sweep.plan_chunks(small_config):
        (parts / f"{chunk.name}.npz").write_bytes(b"")
    (tmp_path / "run.json").unlink()
    resumed = run_sweep(small_config, n_jobs=1, progress=False, out=tmp_path, resume=True)
    pd.testing.assert_frame_equal(resumed.fits, load_run(tmp_path).fits)
    assert capsys.readouterr().err.splitlines() == [
        f"2 chunk files in {tmp_path} are damaged or hold another configuration's or another "
        "chunk's counts; computing them again"
    ]


def _another_chunks_file(parts: Path) -> None:
    shutil.copy(
        parts / "flip000-data000-rep000000-000001.npz",
        parts / "flip000-data000-rep000001-000002.npz",
    )


def _a_folder(parts: Path) -> None:
    chunk = parts / "flip000-data000-rep000001-000002.npz"
    chunk.unlink()
    chunk.mkdir()


@pytest.mark.parametrize("damage", [_another_chunks_file, _a_folder])
def test_a_chunk_file_not_its_own_is_recomputed(
    damage, small_config, small_sweep, tmp_path, monkeypatch, capsys
):
    import simulate.sweep as sweep

    def stop(folder, run):
        raise KeyboardInterrupt

    monkeypatch.setattr(sweep, "MAX_CHUNK_REPS", 1)
    with monkeypatch.context() as before_finishing, pytest.raises(KeyboardInterrupt):
        before_finishing.setattr(RunFolder, "finish", stop)
        run_sweep(small_config, n_jobs=1, progress=False, out=tmp_path)
    damage(tmp_path / "parts")
    resumed = run_sweep(small_config, n_jobs=1, progress=False, out=tmp_path, resume=True)
    pd.testing.assert_frame_equal(resumed.fits, small_sweep.fits)
    pd.testing.assert_frame_equal(load_run(tmp_path).fits, small_sweep.fits)
    assert capsys.readouterr().err.splitlines() == [
        f"1 chunk files in {tmp_path} are damaged or hold another configuration's or another "
        "chunk's counts; computing them again"
    ]


@pytest.mark.parametrize("alphas", [(1e-4, 1.0), (1.0, 1e7)])
def test_the_numba_engine_at_the_ends_of_the_weight_range(small_config, alphas):
    config = dataclasses.replace(small_config, engine="numba", alphas=alphas, reps=2)
    fits = run_sweep(config, n_jobs=1, progress=False).fits
    counts = fits[["tp", "fp", "fn", "tn"]]
    assert (counts >= 0).all().all()
    assert (counts.sum(axis=1) == 200).all()


def test_each_dataset_stores_the_movement_its_threshold_k_prediction_uses():
    from simulate.analysis.prediction import MIN_MOVEMENT, PREDICTED_SCORES

    run = run_sweep(
        model="logreg",
        alphas=[1, 2, 5, 20],
        seps=[1.0],
        reps=3,
        n_samples=3000,
        beta=0.1,
        predictors=("threshold-k",),
        n_jobs=1,
        progress=False,
    )
    per_split = run.fits.groupby("rep")["movement"]
    assert (per_split.nunique() == 1).all()
    assert np.isfinite(run.fits["movement"]).all()
    for rep, fits in run.fits.groupby("rep"):
        validation = run.validation[run.validation["rep"] == rep]
        k = max(fits["movement"].iloc[0], MIN_MOVEMENT)
        table = theory.what_if_scores(
            validation["label"].to_numpy(),
            validation["score"].to_numpy(),
            fits["alpha"].to_numpy(),
            beta=float(
                ((fits["tp"] + fits["fn"]) / fits[["tp", "fp", "fn", "tn"]].sum(axis=1)).iloc[0]
            ),
            movement=k,
            metrics=(),
        ).table
        for score in PREDICTED_SCORES:
            np.testing.assert_allclose(
                fits[f"predicted_{score}_threshold-k"], table[score], rtol=1e-12
            )


def test_without_a_weight_other_than_one_no_movement_is_measured():
    run = run_sweep(
        model="logreg",
        alphas=[1],
        seps=[1.0],
        reps=2,
        n_samples=2000,
        beta=0.1,
        n_jobs=1,
        progress=False,
    )
    assert run.fits["movement"].isna().all()


def test_a_probabilistic_sweep_stores_each_fit_s_validation_counts():
    from simulate.sweep import VALIDATION_COUNT_COLUMNS

    run = run_sweep(
        model="logreg", alphas=[1, 9], seps=[1.0], reps=2, n_samples=2000, beta=0.1, n_jobs=1,
        progress=False,
    )  # fmt: skip
    counts = run.fits[list(VALIDATION_COUNT_COLUMNS)]
    assert (counts.sum(axis=1) == run.validation.groupby("rep").size().iloc[0]).all()
    positives = run.validation.groupby("rep")["label"].sum()
    np.testing.assert_array_equal(
        run.fits["val_tp"] + run.fits["val_fn"], positives.loc[run.fits["rep"]].to_numpy()
    )
    at_one = run.fits[run.fits["alpha"] == 1.0].set_index("rep")
    for rep, rows in run.validation.groupby("rep"):
        predicted = rows["score"].to_numpy() >= 0.5
        assert at_one.loc[rep, "val_tp"] == np.sum(predicted & (rows["label"].to_numpy() == 1))
    expected = theory.confusion_scores(*(run.fits[c] for c in VALIDATION_COUNT_COLUMNS))["f1"]
    np.testing.assert_allclose(run.fits["val_f1"], expected)


def test_a_chunk_runs_its_models_on_one_thread_and_restores_the_pools(small_config, monkeypatch):
    from threadpoolctl import threadpool_info, threadpool_limits

    import simulate.sweep

    seen = []
    fit = simulate.sweep.fit_model

    def watched(*args, **kwargs):
        seen.append({pool["filepath"]: pool["num_threads"] for pool in threadpool_info()})
        return fit(*args, **kwargs)

    monkeypatch.setattr(simulate.sweep, "fit_model", watched)
    with threadpool_limits(limits=2):
        before = {pool["filepath"]: pool["num_threads"] for pool in threadpool_info()}
        for _ in range(2):  # the second chunk reuses the pools found by the first
            run_chunk(small_config, plan_chunks(small_config)[0])
        after = {pool["filepath"]: pool["num_threads"] for pool in threadpool_info()}
    assert seen and all(set(threads.values()) == {1} for threads in seen)
    assert seen[0].keys() == before.keys() and after == before
