import numpy as np
import pandas as pd
import pytest

import theory
from simulate import run_sweep
from simulate.analysis.summary import (
    SUMMARY_SCORES,
    effect_of_noise,
    fit_separations,
    per_cell,
    per_separation,
    pooled_rmse,
    theory_gap,
)


@pytest.fixture
def fits(small_sweep):
    return small_sweep.fits


def test_per_cell_means_and_standard_errors(fits):
    table = per_cell(fits)
    cell = fits[(fits.class_sep == 2.0) & (fits.alpha == 5.0)]
    row = table[(table.class_sep == 2.0) & (table.alpha == 5.0)].iloc[0]
    assert row["count"] == len(cell)
    assert row["f1_mean"] == pytest.approx(cell.f1.mean())
    assert row["f1_se"] == pytest.approx(cell.f1.std(ddof=1) / np.sqrt(len(cell)))


def test_per_separation_agrees_with_the_theory_package(fits, small_config):
    table = per_separation(fits, small_config.beta)
    assert list(table.class_sep) == list(small_config.seps)
    for row in table.itertuples():
        group = fits[fits.class_sep == row.class_sep]
        rates = group.groupby("alpha")[["recall", "specificity"]].mean()
        curve = theory.fit_curve(rates.recall, rates.specificity)
        assert row.p_fit == pytest.approx(float(curve.p))
        assert row.alpha_bce == pytest.approx(float(theory.optimal_alpha(0.05, curve.p)))
        bayes = theory.optimal_alpha(0.05, curve.p, rule="bayes")
        assert row.alpha_bayes == pytest.approx(float(bayes))
        mean_f1 = group.groupby("alpha").f1.mean()
        assert row.alpha_best == mean_f1.idxmax()
        assert row.f1_at_1 == pytest.approx(mean_f1.loc[1.0])
        assert row.alpha_best_low <= row.alpha_best_high


def test_fit_separations_fits_each_class_sep_once(fits):
    summary = per_cell(fits)
    curves = fit_separations(summary, family="binormal")
    assert list(curves) == sorted(summary.class_sep.unique())
    for class_sep, curve in curves.items():
        cell = summary[summary.class_sep == class_sep]
        expected = theory.fit_curve(cell.recall_mean, cell.specificity_mean, family="binormal")
        assert float(curve.d) == pytest.approx(float(expected.d))


def test_inverse_weight_outside_the_grid_is_nan():
    fits = pd.DataFrame(
        {
            "class_sep": 1.0,
            "alpha": [1.0, 2.0] * 2,
            "rep": [0, 0, 1, 1],
            "recall": [0.5, 0.6, 0.5, 0.7],
            "specificity": [0.99, 0.98, 0.99, 0.97],
            "precision": [0.3, 0.3, 0.3, 0.3],
            "f1": [0.3, 0.35, 0.32, 0.31],
            "balanced_accuracy": [0.7, 0.8, 0.7, 0.8],
        }
    )
    row = per_separation(fits, 0.01).iloc[0]
    assert np.isnan(row.f1_at_inverse)
    assert row.f1_best == pytest.approx(0.33)


def _asymmetric_summary(beta, shapes, alphas):
    """A per-cell table whose means are the bce rule's on known asymmetric superellipses."""
    rows = []
    for class_sep, (p, q) in shapes.items():
        expected = theory.expected_scores(alphas, beta, theory.AsymmetricSuperellipse(p, q))
        for i, alpha in enumerate(alphas):
            rows.append(
                {
                    "class_sep": class_sep,
                    "alpha": alpha,
                    **{f"{name}_mean": float(expected[name][i]) for name in SUMMARY_SCORES},
                }
            )
    return pd.DataFrame(rows)


def test_theory_gap_finds_an_asymmetric_curve_that_the_models_move_along():
    beta, alphas = 0.02, np.logspace(0.0, 2.0, 9)
    shapes = {1.0: (3.0, 1.5), 2.0: (8.0, 2.5)}
    summary = _asymmetric_summary(beta, shapes, alphas)
    gap = theory_gap(summary, beta)
    assert list(gap[["family", "rule"]].drop_duplicates().itertuples(index=False, name=None)) == [
        ("superellipse", "bce"),
        ("superellipse", "bayes"),
        ("asymmetric", "bce"),
        ("asymmetric", "bayes"),
    ]
    exact = gap[(gap.family == "asymmetric") & (gap.rule == "bce")]
    for row in exact.itertuples():
        assert (row.p, row.q) == pytest.approx(shapes[row.class_sep], rel=1e-3)
        assert row.rmse < 1e-4
        # The models move along the curve exactly as the rule says.
        assert row.recall_low == pytest.approx(row.recall_low_simulated, abs=1e-4)
        assert row.recall_high == pytest.approx(row.recall_high_simulated, abs=1e-4)
    symmetric = gap[(gap.family == "superellipse") & (gap.rule == "bce")]
    assert (symmetric.p == symmetric.q).all()
    assert (symmetric.rmse.to_numpy() > 10 * exact.rmse.to_numpy()).all()
    cell = summary[summary.class_sep == 2.0]
    curve = theory.fit_curve(cell.recall_mean, cell.specificity_mean)
    expected = theory.expected_score(alphas, beta, curve, rule="bayes")
    row = gap[(gap.family == "superellipse") & (gap.rule == "bayes") & (gap.class_sep == 2.0)]
    rmse = np.sqrt(np.mean((cell.f1_mean.to_numpy() - expected) ** 2))
    assert float(row.rmse.iloc[0]) == pytest.approx(rmse, rel=1e-12)


def test_pooled_rmse_is_the_rmse_over_every_cell():
    beta, alphas = 0.02, np.logspace(0.0, 2.0, 9)
    summary = _asymmetric_summary(beta, {1.0: (3.0, 1.5), 2.0: (8.0, 2.5)}, alphas)
    gap = theory_gap(summary, beta, families=("superellipse",), rules=("bce",))
    pooled = pooled_rmse(gap)
    assert list(pooled.columns) == ["family", "rule", "rmse"]
    errors = []
    for class_sep, cell in summary.groupby("class_sep"):
        curve = fit_separations(summary)[class_sep]
        errors.append(cell.f1_mean.to_numpy() - theory.expected_score(alphas, beta, curve))
    assert pooled.rmse.iloc[0] == pytest.approx(np.sqrt(np.mean(np.square(errors))), rel=1e-12)


def test_effect_of_noise_reads_the_best_weight_and_gain_per_noise_level(small_config):
    fits = run_sweep(small_config, flip_y=(0.0, 0.2), n_jobs=1, progress=False).fits
    table = effect_of_noise(fits, per_separation(fits, small_config.beta))
    assert table["flip_y"].tolist() == [0.0, 0.2]
    means = fits.groupby(["flip_y", "class_sep", "alpha"])["f1"].mean().unstack("alpha")
    gains = (means.max(axis=1) - means[1.0]).groupby("flip_y").mean()
    np.testing.assert_allclose(table["gain"], gains.to_numpy())
    best = means.idxmax(axis=1).groupby("flip_y").median()
    np.testing.assert_allclose(table["alpha_best"], best.to_numpy())
    positives = (fits["tp"] + fits["fn"]) / (fits["tp"] + fits["fp"] + fits["fn"] + fits["tn"])
    np.testing.assert_allclose(table["prevalence"], positives.groupby(fits["flip_y"]).mean())
    # 20% of the labels drawn at random, half of them positive: 0.8 beta + 0.1
    assert table["prevalence"].iloc[1] == pytest.approx(0.8 * 0.05 + 0.1, abs=0.01)
