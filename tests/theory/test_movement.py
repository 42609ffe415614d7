"""The movement exponent: recovered where it is known, near 1 for retrained logistic regression."""

import numpy as np
import pytest
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

import theory
from theory.movement import fit_movement


def _shifted(k, alpha, n=20_000, seed=0):
    """Labels, a model's probabilities, and a model whose logits moved by ``k * log(alpha)``."""
    rng = np.random.default_rng(seed)
    y = rng.random(n) < 0.1
    logit = rng.normal(-2.5, 1.5, n) + 2.0 * y
    return y, 1 / (1 + np.exp(-logit)), 1 / (1 + np.exp(-(logit + k * np.log(alpha))))


@pytest.mark.parametrize("k", [0.2, 0.6, 1.0])
@pytest.mark.parametrize("alpha", [0.5, 3.0, 30.0])
def test_a_known_exponent_is_recovered(k, alpha):
    y, p, retrained = _shifted(k, alpha)
    movement = fit_movement(y, p, retrained, alpha=alpha, bootstrap=0)
    assert movement.k == pytest.approx(k, abs=0.01)
    # t* is the threshold whose odds are 0.5's divided by alpha**k.
    odds = movement.threshold / (1 - movement.threshold)
    assert odds == pytest.approx(alpha**-k, rel=0.03)
    assert movement.positive_share == np.mean(retrained >= 0.5)


def test_the_observed_weight_elsewhere_and_another_threshold():
    y, p, retrained = _shifted(0.5, 9.0)
    at_three = fit_movement(y, p, retrained, alpha=27.0, alpha_observed=3.0, bootstrap=0)
    assert at_three.k == pytest.approx(0.5, abs=0.01)
    # At threshold 0.2 the same rows shift the same way.
    low = fit_movement(y, p, retrained, alpha=9.0, threshold=0.2, bootstrap=0)
    assert low.k == pytest.approx(0.5, abs=0.02)


def test_a_model_that_does_not_move_has_k_zero_and_the_interval_holds_k():
    y, p, _ = _shifted(1.0, 2.0, n=3000)
    # Zero up to the gap between two neighbouring scores, where t* is placed halfway.
    assert fit_movement(y, p, p, alpha=5.0, bootstrap=0).k == pytest.approx(0.0, abs=0.01)
    y, p, retrained = _shifted(0.7, 5.0, n=3000, seed=1)
    movement = fit_movement(y, p, retrained, alpha=5.0, bootstrap=100, seed=4)
    assert movement.low <= movement.k <= movement.high
    assert movement.high - movement.low < 0.2
    assert fit_movement(y, p, retrained, alpha=5.0, bootstrap=100, seed=4) == movement


def test_retrained_logistic_regression_moves_as_its_weight():
    """Logistic regression minimises the weighted loss itself: k is near 1 (King and Zeng)."""
    X, y = make_classification(
        n_samples=40_000, n_features=8, n_informative=5, weights=(0.9,), random_state=0
    )
    fit, val = slice(0, 30_000), slice(30_000, None)
    models = {
        alpha: LogisticRegression(class_weight={0: 1.0, 1: alpha}, max_iter=1000).fit(
            X[fit], y[fit]
        )
        for alpha in (1.0, 5.0)
    }
    p, retrained = (models[a].predict_proba(X[val])[:, 1] for a in (1.0, 5.0))
    movement = fit_movement(y[val], p, retrained, alpha=5.0, bootstrap=50)
    assert 0.9 <= movement.k <= 1.1
    # The prediction with the measured k reproduces the retrained model's share of positives.
    table = theory.what_if_scores(y[val], p, [5.0], movement=movement.k).table
    share = 0.1 * table["recall"].iloc[0] + 0.9 * (1 - table["specificity"].iloc[0])
    assert share == pytest.approx(np.mean(retrained >= 0.5), abs=0.01)


@pytest.mark.parametrize(
    ("arguments", "match"),
    [
        ({"alpha": 1.0}, "'alpha' parameter of fit_movement"),
        ({"alpha": -2.0}, "'alpha' parameter of fit_movement"),
        ({"alpha": 2.0, "threshold": 1.0}, "'threshold' parameter of fit_movement"),
        ({"alpha": 2.0, "bootstrap": -1}, "'bootstrap' parameter of fit_movement"),
        ({"alpha": 2.0, "bootstrap": 10**9}, r"'bootstrap' .* \[0, 100000\]\. Got 1000000000"),
        ({"alpha": 2.0, "bootstrap": 2.5}, r"'bootstrap' .* \[0, 100000\]\. Got 2\.5 instead"),
        ({"alpha": [2.0, 3.0]}, r"'alpha' parameter .*\. Got \[2\.0, 3\.0\] instead"),
    ],
)
def test_bad_arguments_are_named(arguments, match):
    y, p, retrained = _shifted(1.0, 2.0, n=200)
    with pytest.raises(ValueError, match=match):
        fit_movement(y, p, retrained, **arguments)


def test_scores_must_be_probabilities_of_the_same_rows():
    y, p, retrained = _shifted(1.0, 2.0, n=200)
    with pytest.raises(ValueError, match="'y_score_retrained' parameter of fit_movement"):
        fit_movement(y, p, retrained * 3, alpha=2.0)
    with pytest.raises(ValueError, match="'y_score_retrained' parameter of fit_movement"):
        fit_movement(y, p, retrained[:-1], alpha=2.0)


def test_the_count_of_positives_is_all_the_estimator_needs():
    from theory.movement import movement_at_count

    y, p, retrained = _shifted(0.6, 8.0, n=5000)
    full = fit_movement(y, p, retrained, alpha=8.0, bootstrap=0)
    counted = movement_at_count(p, int(np.sum(retrained >= 0.5)), alpha=8.0)
    assert (counted.k, counted.threshold) == (full.k, full.threshold)
