import numpy as np
import pandas as pd
import pytest

import theory
from simulate.summary import fit_separations, per_cell, per_separation


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
