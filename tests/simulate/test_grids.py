"""Label noise and real data sets as grid dimensions of a sweep: through the API and the CLI."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer

from simulate import SweepConfig, load_run, run_sweep
from simulate.analysis.summary import per_separation, weighting_vs_thresholding
from simulate.commands.sweep import main
from simulate.models.registry import MODELS

ROOT = Path(__file__).resolve().parents[2]
SCORES = ["tp", "fp", "fn", "tn", "f1"]
#: Two real data sets at a prevalence both can reach.
REAL = {"dataset": ("breast_cancer", "digits:8"), "beta": 0.09, "alphas": (1.0, 4.0, 10.0)}


def test_the_default_sweep_reproduces_the_reference_run():
    reference = load_run(ROOT / "results" / "reference").fits
    run = run_sweep(reps=3, n_jobs=1, progress=False)
    expected = reference[reference["rep"] < 3].reset_index(drop=True)
    pd.testing.assert_frame_equal(run.fits, expected)


def test_label_noise_is_a_grid_dimension_on_the_same_datasets(small_config):
    noisy = run_sweep(small_config, flip_y=(0.0, 0.1), n_jobs=1, progress=False).fits
    clean = run_sweep(small_config, n_jobs=1, progress=False).fits
    assert list(noisy.columns[:2]) == ["flip_y", "class_sep"]
    assert len(noisy) == 2 * len(clean)
    at_zero = noisy[noisy["flip_y"] == 0.0].drop(columns="flip_y").reset_index(drop=True)
    pd.testing.assert_frame_equal(at_zero, clean)  # noise 0 in a grid is the noiseless sweep
    at_tenth = noisy[noisy["flip_y"] == 0.1]
    positives = (at_tenth["tp"] + at_tenth["fn"]).to_numpy()
    assert not np.array_equal(positives, (clean["tp"] + clean["fn"]).to_numpy())
    summary = per_separation(noisy, small_config.beta)
    assert list(summary[["flip_y", "class_sep"]].itertuples(index=False, name=None)) == [
        (0.0, 0.5),
        (0.0, 2.0),
        (0.1, 0.5),
        (0.1, 2.0),
    ]


def test_a_noisy_sweep_does_not_depend_on_workers_or_chunks(small_config, monkeypatch):
    config = SweepConfig(**{**small_config.__dict__, "flip_y": (0.0, 0.05)})
    one = run_sweep(config, n_jobs=1, progress=False).fits
    monkeypatch.setattr("simulate.sweep.MAX_CHUNK_REPS", 1)
    two = run_sweep(config, n_jobs=2, progress=False).fits
    pd.testing.assert_frame_equal(one, two)


def test_a_real_data_sweep(tmp_path):
    run = run_sweep(**REAL, reps=4, out=tmp_path / "run", n_jobs=2, progress=False)
    fits = run.fits
    assert list(fits.columns[:3]) == ["dataset", "alpha", "rep"]
    assert list(dict.fromkeys(fits["dataset"])) == ["breast_cancer", "digits:8"]
    # every negative, and positives subsampled to beta; a quarter of the rows tested
    sizes = fits.groupby("dataset")[["tp", "fp", "fn", "tn"]].sum().sum(axis=1) / 12
    assert sizes["breast_cancer"] == np.ceil(0.25 * (357 + round(0.09 / 0.91 * 357)))
    assert sizes["digits:8"] == np.ceil(0.25 * (1623 + round(0.09 / 0.91 * 1623)))
    again = load_run(tmp_path / "run")  # verified against the per-data-set test sizes
    pd.testing.assert_frame_equal(again.fits, fits)
    assert set(run.summary["dataset"]) == {"breast_cancer", "digits:8"}


def test_a_table_sweeps_as_the_data_set_it_holds(tmp_path):
    bunch = load_breast_cancer(as_frame=True)
    table = bunch.frame.drop(columns="target").assign(malignant=bunch.target == 0)
    path = tmp_path / "cancer.parquet"
    table.to_parquet(path)
    settings = {**REAL, "reps": 3, "n_jobs": 1, "progress": False}
    shipped = run_sweep(**{**settings, "dataset": ("breast_cancer",)}).fits
    own = run_sweep(**{**settings, "dataset": (str(path),), "target": "malignant"}).fits
    pd.testing.assert_frame_equal(own.drop(columns="dataset"), shipped.drop(columns="dataset"))


def test_a_probabilistic_model_on_real_data_with_noise():
    run = run_sweep(**REAL, model="logreg", flip_y=(0.0, 0.05), reps=3, progress=False, n_jobs=1)
    assert list(run.fits.columns[:2]) == ["flip_y", "dataset"]
    validation = run.validation.groupby(["flip_y", "dataset"]).size()
    assert validation[(0.0, "breast_cancer")] == validation[(0.05, "breast_cancer")]
    assert validation[(0.0, "breast_cancer")] != validation[(0.0, "digits:8")]
    contest = weighting_vs_thresholding(run.fits)
    assert len(contest) == 5 and contest.iloc[-1]["dataset"] == "all"
    assert contest["datasets"].iloc[:4].tolist() == [3, 3, 3, 3]


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--dataset", "iris"], "argument --dataset: must be a non-empty list of"),
        (["--dataset", "breast_cancer"], "keeps 4 positives, 1 in each test split"),
        (["--dataset", "breast_cancer", "--beta", "0.5"], "cannot reach beta = 0.5"),
        (["--dataset", "breast_cancer,make_classification"], "cannot share a sweep"),
        (["--dataset", "digits:3", "--seps", "1"], "seps=(1.0,) of SweepConfig applies to"),
        (["--dataset", "x.csv"], "The table x.csv needs --target"),
        (["--dataset", "missing.csv", "--target", "y"], "missing.csv cannot be read"),
        (["--target", "y"], "target='y' of SweepConfig applies to a .csv or .parquet"),
        (["--flip-y", "1"], "argument --flip-y: must be a float in the range [0, 1)"),
    ],
)
def test_bad_data_settings_exit_2_with_one_line(flags, message, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*flags, "--out", str(tmp_path / "run")])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert message in error
    assert not (tmp_path / "run").exists()


def test_a_table_without_its_column_exits_2(tmp_path, capsys):
    path = tmp_path / "table.csv"
    pd.DataFrame({"x": [1.0, 2.0], "y": [0, 1]}).to_csv(path, index=False)
    with pytest.raises(SystemExit) as exit_info:
        main(["--dataset", str(path), "--target", "label", "--out", str(tmp_path / "run")])
    assert exit_info.value.code == 2
    assert "has no column 'label' for --target" in capsys.readouterr().err


def test_the_command_runs_real_data_with_noise(tmp_path, capsys):
    out = tmp_path / "run"
    flags = ["--dataset", "breast_cancer,digits:8", "--beta", "0.09", "--alphas", "1,4,10"]
    flags += ["--flip-y", "0,0.05", "--reps", "3", "--n-jobs", "1", "--out", str(out)]
    assert main(flags) == 0
    printed = capsys.readouterr().out
    header = printed.splitlines()[0].split()
    assert header[:2] == ["flip_y", "dataset"]
    assert sum(line.split()[:2] == ["0.05", "digits:8"] for line in printed.splitlines()) == 1
    noise_header = next(line for line in printed.splitlines() if "positives in test" in line)
    assert noise_header.split()[0] == "flip_y"
    assert (out / "f1_vs_alpha.png").exists()
    assert load_run(out).run["config"]["flip_y"] == [0.0, 0.05]


def test_an_interrupted_real_data_sweep_with_noise_resumes(tmp_path, monkeypatch):
    import simulate.sweep as sweep

    real = sweep.run_chunk
    calls = []

    def failing_after_three(config, chunk):
        if len(calls) == 3:
            raise KeyboardInterrupt
        calls.append(chunk)
        return real(config, chunk)

    settings = {**REAL, "flip_y": (0.0, 0.05), "reps": 2, "n_jobs": 1, "progress": False}
    monkeypatch.setattr(sweep, "MAX_CHUNK_REPS", 1)
    monkeypatch.setattr(sweep, "run_chunk", failing_after_three)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(**settings, out=tmp_path)
    assert len(list((tmp_path / "parts").glob("*.npz"))) == 3
    monkeypatch.setattr(sweep, "run_chunk", real)
    resumed = run_sweep(**settings, out=tmp_path, resume=True)
    pd.testing.assert_frame_equal(resumed.fits, run_sweep(**settings).fits)


@pytest.mark.parametrize("model", list(MODELS))
def test_every_model_sweeps_real_data_with_noise(model):
    run = run_sweep(
        dataset=("breast_cancer",),
        beta=0.1,
        alphas=(1.0, 9.0),
        flip_y=(0.0, 0.05),
        reps=1,
        model=model,
        n_jobs=1,
        progress=False,
    )
    assert list(run.fits.columns[:2]) == ["flip_y", "dataset"]
    assert len(run.fits) == 4
    assert run.fits["f1"].between(0.0, 1.0).all()
    assert (run.validation is None) == (model == "tree")


@pytest.mark.parametrize("knob", ["undersample", "oversample"])
def test_resampling_knobs_on_real_data_with_noise(knob):
    settings = {**REAL, "flip_y": (0.0, 0.05), "reps": 2, "n_jobs": 1, "progress": False}
    run = run_sweep(**settings, model="logreg", knob=knob)
    assert list(run.fits.columns[:2]) == ["flip_y", "dataset"]
    assert "positive_fraction" in run.fits.columns
    at_one = run.fits[run.fits["alpha"] == 1.0].reset_index(drop=True)
    weighted = run_sweep(**settings, model="logreg").fits
    weighted = weighted[weighted["alpha"] == 1.0].reset_index(drop=True)
    # at alpha = 1 resampling keeps the training split as it is: the weighted sweep's fit
    pd.testing.assert_series_equal(at_one["f1"], weighted["f1"])
