"""The retraining study: sweeps of real data sets whose predictions are compared with retraining."""

import pandas as pd
import pytest

from params.validation import ParameterError
from simulate import load_run
from simulate.analysis.prediction import NO_CHANGE, UNCHANGED
from simulate.config import SweepConfig
from simulate.studies.retraining import (
    SWEEP_DEFAULTS,
    RetrainingConfig,
    by_condition,
    by_regime,
    compare_predictors,
    retraining_errors,
    study_sweeps,
)
from simulate.studies.sweeps import run_sweeps

#: A small study: one model, the breast-cancer data at two prevalences, three splits.
SMALL = {
    "dataset": ("breast_cancer",),
    "alphas": (2.0, 10.0),
    "reps": 3,
    "predictors": ("hull", NO_CHANGE),
    "bootstrap": 20,
}


@pytest.fixture(scope="module")
def small_study(tmp_path_factory):
    out = tmp_path_factory.mktemp("retraining")
    sweeps = study_sweeps(RetrainingConfig(models=("logreg",), betas=(0.1, 0.2)), **SMALL)
    return out, sweeps, run_sweeps(sweeps, out, n_jobs=1, progress=False)


def test_one_sweep_per_model_and_prevalence_with_the_weight_one():
    sweeps = study_sweeps(RetrainingConfig(models=("logreg", "hgb"), betas=(0.06, 0.09)))
    assert list(sweeps) == ["logreg-beta0.06", "logreg-beta0.09", "hgb-beta0.06", "hgb-beta0.09"]
    config = sweeps["hgb-beta0.09"]
    assert (config.model, config.beta) == ("hgb", 0.09)
    assert config.alphas == (1.0, 2.0, 5.0, 20.0, 99.0)
    assert config.dataset == SWEEP_DEFAULTS["dataset"]
    assert study_sweeps(RetrainingConfig(), alphas=(3.0,))["logreg-beta0.06"].alphas == (1.0, 3.0)


def test_the_study_sets_model_and_beta_itself():
    with pytest.raises(ParameterError, match="'beta' parameter of study_sweeps"):
        study_sweeps(RetrainingConfig(), beta=0.1)
    with pytest.raises(ParameterError, match="'models' parameter of RetrainingConfig"):
        RetrainingConfig(models=("tree",))
    with pytest.raises(ParameterError, match="'betas' parameter of RetrainingConfig"):
        RetrainingConfig(betas=(0.1, 1.5))


def test_a_prevalence_a_data_set_cannot_reach_is_refused():
    with pytest.raises(ValueError, match="digits:8"):
        study_sweeps(RetrainingConfig(betas=(0.3,)), dataset=("digits:8",))


def test_each_sweep_has_its_own_verified_run_folder(small_study):
    out, sweeps, runs = small_study
    for label, config in sweeps.items():
        saved = load_run(out / label)
        assert SweepConfig.from_dict(saved.run["config"]) == config
        pd.testing.assert_frame_equal(saved.fits, runs[label].fits)


def test_errors_per_model_prevalence_data_set_predictor_and_weight(small_study):
    _, _, runs = small_study
    errors = retraining_errors(runs)
    assert list(errors.columns[:8]) == [
        "sweep",
        "model",
        "beta",
        "data",
        "dataset",
        "val_positives",
        "test_positives",
        "movement",
    ]
    assert set(errors["data"]) == {"breast_cancer at 0.1", "breast_cancer at 0.2"}
    assert list(pd.unique(errors["predictor"])) == ["hull", NO_CHANGE, UNCHANGED]
    assert sorted(pd.unique(errors["beta"])) == [0.1, 0.2]
    for label, run in runs.items():
        beta = float(label.removeprefix("logreg-beta"))
        rows = errors[errors["beta"] == beta].set_index(["predictor", "alpha"])
        fits = run.fits.set_index(["alpha", "rep"])
        for alpha in (1.0, 2.0, 10.0):
            real = fits.loc[alpha]
            hull = real["predicted_f1_hull"] - real["f1"]
            assert rows.loc[("hull", alpha), "f1_mae"] == pytest.approx(hull.abs().mean())
            assert rows.loc[("hull", alpha), "f1_real"] == pytest.approx(real["f1"].mean())
            unchanged = fits.loc[1.0, "recall"] - real["recall"]
            assert rows.loc[(UNCHANGED, alpha), "recall_bias"] == pytest.approx(unchanged.mean())
        assert rows.loc[(UNCHANGED, 1.0), "f1_mae"] == 0.0
        assert 0.0 <= rows.loc[("hull", 2.0), "recall_coverage"] <= 1.0
        positives = run.validation[run.validation["rep"] == 0]["label"].sum()
        assert (errors[errors["beta"] == beta]["val_positives"] == positives).all()
        test = fits.loc[(1.0, 0)]
        assert (errors[errors["beta"] == beta]["test_positives"] == test["tp"] + test["fn"]).all()


def test_sizes_and_leaves_make_sweeps_of_their_own_and_synthetic_data_has_its_class_sep(tmp_path):
    config = RetrainingConfig(models=("logreg",), betas=(0.05,), sizes=(2000, 4000))
    settings = {**SMALL, "dataset": ("make_classification",), "seps": (1.0,), "reps": 2}
    sweeps = study_sweeps(config, **settings)
    assert list(sweeps) == ["logreg-beta0.05-n2000", "logreg-beta0.05-n4000"]
    assert sweeps["logreg-beta0.05-n4000"].n_samples == 4000
    errors = retraining_errors(run_sweeps(sweeps, tmp_path, n_jobs=1, progress=False))
    assert set(errors["data"]) == {
        "class_sep 1 at 0.05, 2000 rows",
        "class_sep 1 at 0.05, 4000 rows",
    }
    assert "class_sep" in errors.columns
    four = errors[errors["sweep"] == "logreg-beta0.05-n4000"]
    assert four["test_positives"].iloc[0] == pytest.approx(4000 * 0.25 * 0.05, rel=0.3)
    with pytest.raises(ParameterError, match="'n_samples' parameter of study_sweeps"):
        study_sweeps(config, n_samples=100)


def test_the_comparison_leaves_out_the_weight_one(small_study):
    errors = retraining_errors(small_study[2])
    comparison = compare_predictors(errors).set_index(["model", "predictor"])
    moved = errors[(errors["alpha"] != 1.0) & (errors["predictor"] == "hull")]
    assert comparison.loc[("logreg", "hull"), "f1_mae"] == pytest.approx(moved["f1_mae"].mean())
    assert "f1_coverage" in comparison.columns


def test_each_condition_has_the_median_movement_of_its_splits(small_study):
    _, _, runs = small_study
    errors = retraining_errors(runs)
    for label, run in runs.items():
        beta = float(label.removeprefix("logreg-beta"))
        k = run.fits.groupby("rep")["movement"].first()
        assert k.notna().all()
        assert (errors.loc[errors["beta"] == beta, "movement"] == k.median()).all()


def test_per_condition_each_predictor_s_error_over_the_weights_moved_to(small_study):
    errors = retraining_errors(small_study[2])
    table = by_condition(errors, score="recall")
    assert list(table.columns) == [
        "model", "data", "val_positives", "movement", "hull", NO_CHANGE, UNCHANGED
    ]  # fmt: skip
    assert len(table) == 2
    row = table.set_index("data").loc["breast_cancer at 0.2"]
    own = errors[(errors["data"] == "breast_cancer at 0.2") & (errors["alpha"] != 1.0)]
    expected = own[own["predictor"] == "hull"]["recall_mae"].mean()
    assert row["hull"] == pytest.approx(expected)
    with pytest.raises(ParameterError, match="'score' parameter of by_condition"):
        by_condition(errors, score="precision")


def test_regimes_pool_the_conditions_by_their_validation_positives(small_study):
    errors = retraining_errors(small_study[2])
    positives = sorted(errors["val_positives"].unique())
    assert len(positives) == 2
    middle = (positives[0] + positives[1]) / 2
    apart = by_regime(errors, edges=(middle,))
    assert list(apart["predictor"]) == ["hull", "hull"]  # the baselines are not predictors
    assert list(apart["regime"]) == [0, 1]
    assert list(apart["conditions"]) == [1, 1]
    low = errors[(errors["val_positives"] == positives[0]) & (errors["alpha"] != 1.0)]
    hull, baseline = low[low["predictor"] == "hull"], low[low["predictor"] == NO_CHANGE]
    first = apart.iloc[0]
    assert first["mae"] == pytest.approx(hull["f1_mae"].mean())
    assert first["bias"] == pytest.approx(hull["f1_bias"].mean())
    assert first["coverage"] == pytest.approx(hull["f1_coverage"].mean())
    assert first["no_change_mae"] == pytest.approx(baseline["f1_mae"].mean())
    assert first["val_positives_min"] == first["val_positives_max"] == positives[0]
    together = by_regime(errors, predictors=("hull", NO_CHANGE), edges=(1e6,))
    assert list(together["conditions"]) == [2, 2]
    assert together["val_positives_min"].iloc[0] == positives[0]
    assert together["val_positives_max"].iloc[0] == positives[1]
    moved = errors[(errors["alpha"] != 1.0) & (errors["predictor"] == "hull")]
    assert together["mae"].iloc[0] == pytest.approx(moved["f1_mae"].mean())
    assert together["movement_min"].iloc[0] == errors["movement"].min()


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        ({"predictors": ("oracle",)}, "'predictors' parameter of by_regime"),
        ({"edges": (100.0, 50.0)}, "'edges' parameter of by_regime"),
        ({"score": "auc"}, "'score' parameter of by_regime"),
    ],
)
def test_a_bad_regime_setting_is_refused_by_name(small_study, settings, named):
    with pytest.raises(ParameterError, match=named):
        by_regime(retraining_errors(small_study[2]), **settings)
