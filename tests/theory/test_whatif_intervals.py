"""Predictive intervals: the test sample's noise and the measured k's uncertainty, on top of the
validation rows'."""

import numpy as np
import pytest

import theory
from theory.movement import Movement
from theory.whatif_scores import what_if_scores


def _calibrated(n, rng, prevalence=0.1, separation=1.5):
    """Labels and calibrated probabilities of a binormal model."""
    positive = rng.random(n) < prevalence
    score = rng.normal(size=n) + separation * positive
    logit = separation * score - separation**2 / 2 + np.log(prevalence / (1 - prevalence))
    return positive, 1 / (1 + np.exp(-logit))


@pytest.mark.slow
def test_predictive_intervals_hold_the_test_samples_recall():
    """At the model's own weight, the test split's recall lies in the 95% predictive interval
    about 95% of the time; the validation bootstrap alone covers far less."""
    rng = np.random.default_rng(0)
    n_val, n_test, reps = 1000, 1000, 80
    covered = {"predictive": 0, "bootstrap": 0}
    for rep in range(reps):
        y_val, p_val = _calibrated(n_val, rng)
        y_test, p_test = _calibrated(n_test, rng)
        real = np.mean(p_test[y_test] >= 0.5)
        counts = (int(y_test.sum()), int((~y_test).sum()))
        for kind, extra in (("predictive", {"n_test": counts}), ("bootstrap", {})):
            row = what_if_scores(
                y_val, p_val, [1.0], bootstrap=200, seed=rep, metrics=(), **extra
            ).table.iloc[0]
            covered[kind] += row["recall_low"] <= real <= row["recall_high"]
    assert 0.88 <= covered["predictive"] / reps <= 1.0
    assert covered["bootstrap"] < covered["predictive"]


def test_a_larger_test_sample_narrows_the_interval_and_counts_or_rows_agree():
    rng = np.random.default_rng(1)
    y, p = _calibrated(2000, rng)
    widths = []
    for n_test in (200, 2000, 200_000):
        table = what_if_scores(y, p, [1.0, 5.0], bootstrap=100, n_test=n_test, metrics=()).table
        widths.append(float((table["recall_high"] - table["recall_low"]).iloc[1]))
    assert widths[0] > widths[1] > widths[2]
    plain = what_if_scores(y, p, [1.0, 5.0], bootstrap=100, metrics=()).table
    assert widths[2] == pytest.approx(
        float((plain["recall_high"] - plain["recall_low"]).iloc[1]), abs=0.01
    )
    by_rows = what_if_scores(y, p, [5.0], beta=0.1, bootstrap=50, n_test=1000, metrics=())
    by_counts = what_if_scores(y, p, [5.0], beta=0.1, bootstrap=50, n_test=(100, 900), metrics=())
    assert by_rows.table.equals(by_counts.table)


def test_a_measured_k_widens_the_interval_away_from_the_models_own_weight():
    rng = np.random.default_rng(2)
    y, p = _calibrated(3000, rng)
    spread = Movement(0.7, 0.4, 1.0, 0.3, 0.2, draws=tuple(np.linspace(0.4, 1.0, 25)))
    fixed = what_if_scores(y, p, [1.0, 20.0], movement=0.7, bootstrap=100, metrics=()).table
    drawn = what_if_scores(y, p, [1.0, 20.0], movement=spread, bootstrap=100, metrics=()).table
    assert drawn["recall"].tolist() == fixed["recall"].tolist()  # the estimate uses k itself
    width = drawn["recall_high"] - drawn["recall_low"]
    assert width.iloc[1] > (fixed["recall_high"] - fixed["recall_low"]).iloc[1]
    assert width.iloc[0] == (fixed["recall_high"] - fixed["recall_low"]).iloc[0]


@pytest.mark.parametrize(
    ("arguments", "match"),
    [
        ({"n_test": 100}, "'n_test' parameter of what_if_scores"),  # no bootstrap
        ({"n_test": 1, "bootstrap": 10}, "'n_test'"),
        ({"n_test": (0, 50), "bootstrap": 10}, "'n_test'"),
        ({"n_test": (3, 4, 5), "bootstrap": 10}, "'n_test'"),
        ({"n_test": 10.5, "bootstrap": 10}, "'n_test'"),
        ({"movement": Movement(0.5, 0, 1, 0.5, 0.1, draws=(0.5, -1.0)), "bootstrap": 10},
         "'movement'"),
    ],
)  # fmt: skip
def test_bad_predictive_settings_are_named(arguments, match):
    rng = np.random.default_rng(3)
    y, p = _calibrated(300, rng)
    with pytest.raises(ValueError, match=match):
        theory.what_if_scores(y, p, [2.0], **arguments)
