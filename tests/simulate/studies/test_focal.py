"""The focal study: sweeps trained on the focal loss, set beside the theory's focal rule."""

import numpy as np
import pandas as pd
import pytest

import theory
from simulate.analysis.summary import fit_separations
from simulate.config import SweepConfig
from simulate.studies.focal import (
    FOCAL_ALPHAS,
    FocalConfig,
    focal_rule_fit,
    focal_summary,
    focal_sweeps,
    focal_table,
)
from simulate.studies.sweeps import run_sweeps

#: A small study: logistic regression at gamma 0 and 2, two class_seps, three datasets each.
SMALL = {
    "alphas": (0.01, 0.1, 1.0, 10.0, 100.0),
    "seps": (0.5, 2.0),
    "reps": 3,
    "n_samples": 3000,
    "beta": 0.05,
}


@pytest.fixture(scope="module")
def small_study(tmp_path_factory):
    sweeps = focal_sweeps(FocalConfig(models=("logreg",), gammas=(0.0, 2.0)), **SMALL)
    out = tmp_path_factory.mktemp("focal")
    return run_sweeps(sweeps, out, n_jobs=1, progress=False)


def test_one_focal_sweep_per_model_and_gamma_with_the_weight_one():
    sweeps = focal_sweeps(FocalConfig())
    assert list(sweeps) == [
        "logreg-gamma0", "logreg-gamma1", "logreg-gamma2", "logreg-gamma5",
        "mlp-gamma0", "mlp-gamma1", "mlp-gamma2", "mlp-gamma5",
    ]  # fmt: skip
    config = sweeps["mlp-gamma2"]
    assert (config.model, config.loss, config.gamma) == ("mlp", "focal", 2.0)
    assert config.alphas == FOCAL_ALPHAS
    assert FOCAL_ALPHAS[0] == pytest.approx(1e-4) and 1.0 in FOCAL_ALPHAS
    assert np.allclose(np.diff(np.log10(FOCAL_ALPHAS)), 0.25)
    assert focal_sweeps(FocalConfig(models=("logreg",), gammas=(1.0,)), alphas=(3.0,))[
        "logreg-gamma1"
    ].alphas == (1.0, 3.0)


def test_the_study_sets_model_loss_and_gamma_itself():
    for name, value in (("model", "logreg"), ("loss", "bce"), ("gamma", 1.0)):
        with pytest.raises(ValueError, match=f"The setting {name} is the focal study's own"):
            focal_sweeps(FocalConfig(), **{name: value})
    with pytest.raises(ValueError, match="'models' parameter of FocalConfig"):
        FocalConfig(models=("hgb",))
    with pytest.raises(ValueError, match="'gammas' parameter of FocalConfig"):
        FocalConfig(gammas=(-1.0,))


def test_the_table_sets_each_sweep_beside_the_focal_rule_on_its_own_curve(small_study):
    table = focal_table(small_study)
    assert len(table) == 4
    assert list(table[["gamma", "class_sep"]].itertuples(index=False, name=None)) == [
        (0.0, 0.5), (0.0, 2.0), (2.0, 0.5), (2.0, 2.0)
    ]  # fmt: skip
    run = small_study["logreg-gamma2"]
    summary = run.summary[run.summary["class_sep"] == 2.0].set_index("alpha")
    row = table[(table["gamma"] == 2.0) & (table["class_sep"] == 2.0)].iloc[0]
    assert row["recall_at_1"] == summary.loc[1.0, "recall_mean"]
    assert row["best_alpha"] == summary["f1_mean"].idxmax()
    assert row["best_f1"] == summary["f1_mean"].max()
    bce = small_study["logreg-gamma0"].summary
    assert row["best_f1_bce"] == bce[bce["class_sep"] == 2.0]["f1_mean"].max()
    curve = fit_separations(run.summary, family="binormal")[2.0]
    assert row["d"] == pytest.approx(curve.d)
    recall, _ = theory.operating_point(1.0, 0.05, curve, rule="focal", gamma=2.0)
    assert row["theory_recall_at_1"] == pytest.approx(float(recall))
    best = theory.optimize_alpha(0.05, curve, rule="focal", gamma=2.0)
    assert row["theory_best_alpha"] == pytest.approx(float(best.alpha))
    assert row["theory_best_f1_bce"] == pytest.approx(
        float(theory.optimize_alpha(0.05, curve, rule="bce").score)
    )
    at_zero = table[table["gamma"] == 0.0]
    assert (at_zero["best_f1"] == at_zero["best_f1_bce"]).all()


def test_the_summary_takes_medians_over_class_sep(small_study):
    table = focal_table(small_study)
    summary = focal_summary(table).set_index(["model", "gamma"])
    rows = table[table["gamma"] == 2.0]
    assert summary.loc[("logreg", 2.0), "best_alpha"] == rows["best_alpha"].median()
    expected = np.mean(rows["best_f1"] > rows["best_f1_bce"])
    assert summary.loc[("logreg", 2.0), "beats_bce"] == expected
    assert summary.loc[("logreg", 0.0), "beats_bce"] == 0.0


def test_the_rule_fit_has_the_focal_rule_beside_bce_and_bayes(small_study):
    fit = focal_rule_fit(small_study)
    assert list(fit.columns) == ["model", "gamma", "rule", "rmse"]
    assert list(fit["rule"].unique()) == ["bce", "bayes", "focal"]
    assert len(fit) == 6
    assert (fit["rmse"] > 0).all()
    at_zero = fit[fit["gamma"] == 0.0].set_index("rule")["rmse"]
    assert at_zero["focal"] == pytest.approx(at_zero["bce"])  # gamma 0 is the bce rule


def test_a_run_that_is_not_a_focal_sweep_is_refused(small_study):
    from simulate import run_sweep

    plain = run_sweep(SweepConfig(model="logreg", **SMALL), n_jobs=1, progress=False)
    with pytest.raises(ValueError, match="'plain' is not a focal-loss sweep"):
        focal_table({"plain": plain})
    with pytest.raises(ValueError, match="'plain' is not a focal-loss sweep"):
        focal_rule_fit({**small_study, "plain": plain})
    assert isinstance(focal_table(small_study), pd.DataFrame)
