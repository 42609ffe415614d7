"""predict_weights from the validation rows checked and ranked once (theory's WhatIfRows) against
what_if_scores's tables read per predictor, as the sweep predicted before: equal to the bit."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import theory
from simulate.analysis.prediction import (
    MIN_MOVEMENT,
    PREDICTED_SCORES,
    PREDICTORS,
    THRESHOLD,
    predict_weights,
)

ALPHAS = np.array([0.5, 1.0, 2.0, 5.2, 30.0, 316.0])
FRACTIONS = np.array([0.01, 0.2, 0.6])


def by_what_if_scores(
    y_val,
    scores,
    alphas,
    beta,
    *,
    predictors=tuple(PREDICTORS),
    fractions=None,
    bootstrap=0,
    n_test=None,
    movement=np.nan,
    seed=0,
):
    """The prediction read off one what_if_scores table per predictor: predict_weights as the
    sweep computed it before the predictors shared the rows (which raised a KeyError where every
    bootstrap resample lost a class: the interval is NaN there)."""
    names = predictors
    ends = 3 if bootstrap else 1
    predicted = np.full((len(names), len(alphas), len(PREDICTED_SCORES), ends), np.nan)
    knob = {"alpha": alphas} if fractions is None else {"positive_fraction": fractions}
    for i, name in enumerate(names):
        predictor = PREDICTORS[name]
        exponent = 1.0
        if predictor is not None and predictor.measured:
            if np.isnan(movement):
                continue
            exponent = max(movement, MIN_MOVEMENT)
        try:
            result = theory.what_if_scores(
                y_val,
                scores,
                **knob,
                beta=beta,
                threshold=THRESHOLD,
                rule="bayes" if predictor is None else predictor.rule,
                smooth=None if predictor is None else predictor.smooth,
                probabilities=None if predictor is None else predictor.probabilities,
                movement=exponent,
                metrics=(),
                bootstrap=0 if predictor is None else bootstrap,
                n_test=n_test if predictor is not None and bootstrap else None,
                seed=seed,
            )
        except ValueError:
            continue
        if predictor is None:
            predicted[i, :, :, 0] = result.observed[list(PREDICTED_SCORES)].to_numpy(float)
            continue
        for j, score in enumerate(PREDICTED_SCORES):
            predicted[i, :, j, 0] = result.table[score].to_numpy()
            if f"{score}_low" in result.table:  # not where every resample lost a class
                predicted[i, :, j, 1] = result.table[f"{score}_low"].to_numpy()
                predicted[i, :, j, 2] = result.table[f"{score}_high"].to_numpy()
    return predicted


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_rows=st.integers(20, 300),
    prevalence=st.sampled_from([0.02, 0.1, 0.4]),
    separation=st.floats(0.0, 4.0),
    rounded=st.booleans(),
    bootstrap=st.sampled_from([0, 0, 6]),
    with_n_test=st.booleans(),
    movement=st.sampled_from([np.nan, 0.7, -0.1]),
    resampled=st.booleans(),
)
def test_every_predictor_is_what_if_scores_to_the_bit(
    seed, n_rows, prevalence, separation, rounded, bootstrap, with_n_test, movement, resampled
):
    rng = np.random.default_rng(seed)
    y = (rng.random(n_rows) < prevalence).astype(np.int64)
    y[:2] = (1, 0)
    logit = rng.normal(size=n_rows) + separation * y - rng.uniform(0.0, 4.0)
    scores = 1.0 / (1.0 + np.exp(-logit))
    if rounded:  # ties, and a threshold no row reaches when the scores are low
        scores = np.round(scores, 2)
    beta = float(rng.uniform(0.005, 0.3))
    options = {
        "fractions": FRACTIONS if resampled else None,
        "bootstrap": bootstrap,
        "n_test": (int(rng.integers(1, 40)), int(rng.integers(40, 2000))) if with_n_test else None,
        "movement": movement,
        "seed": seed % 1000,
    }
    grid = FRACTIONS if resampled else ALPHAS
    expected = by_what_if_scores(y, scores, grid, beta, **options)
    predicted = predict_weights(y, scores, grid, beta, predictors=tuple(PREDICTORS), **options)
    np.testing.assert_array_equal(predicted, expected)
