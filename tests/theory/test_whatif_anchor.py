"""A prediction for the weight the model already has is the model itself, whatever the inputs."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from theory.empirical import SMOOTHERS
from theory.whatif_scores import AUTO, THRESHOLD_ESTIMATOR, what_if_scores

#: The scores each prediction must return for the observed model.
SCORES = ("recall", "specificity", "precision", "f1", "f2", "balanced_accuracy", "mcc", "hter")


@st.composite
def validation_rows(draw):
    """Labels with both classes and scores: probabilities (with ties) or margins."""
    n = draw(st.integers(30, 300))
    seed = draw(st.integers(0, 2**32 - 1))
    probabilities = draw(st.booleans())
    rng = np.random.default_rng(seed)
    prevalence = draw(st.floats(0.05, 0.5))
    positive = rng.random(n) < prevalence
    assume(1 <= positive.sum() <= n - 1)
    margin = rng.normal(size=n) + draw(st.floats(0.0, 3.0)) * positive
    if draw(st.booleans()):
        margin = np.round(margin, 1)  # ties among the scores
    scores = 1.0 / (1.0 + np.exp(-margin)) if probabilities else margin
    threshold = float(rng.choice(scores)) if draw(st.booleans()) else float(np.median(scores))
    if probabilities:
        threshold = float(np.clip(threshold, 0.01, 0.99))
    return positive, scores, threshold, probabilities


@given(
    rows=validation_rows(),
    smooth=st.sampled_from((AUTO, THRESHOLD_ESTIMATOR, None, *SMOOTHERS)),
    rule=st.sampled_from(("bayes", "bce", "focal")),
    alpha_observed=st.floats(0.1, 50.0),
    by_fraction=st.booleans(),
)
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_observed_weight_returns_the_observed_model(
    rows, smooth, rule, alpha_observed, by_fraction
):
    positive, scores, threshold, probabilities = rows
    assume(smooth != THRESHOLD_ESTIMATOR or (probabilities and rule == "bayes"))
    knob = (
        {"positive_fraction": [positive.mean(), 0.5 * positive.mean()]}
        if by_fraction
        else {"alpha": [alpha_observed, 3.0 * alpha_observed]}
    )
    try:
        result = what_if_scores(
            positive,
            scores,
            **knob,
            alpha_observed=alpha_observed,
            threshold=threshold,
            rule=rule,
            smooth=smooth,
            probabilities=probabilities,
            metrics=(),
        )
    except ValueError as error:  # a curve with no slope at an observed point at its end
        assume("threshold" not in str(error))
        raise
    first = result.table.iloc[0]
    for name in SCORES:
        assert first[name] == result.observed[name] or (
            np.isnan(first[name]) and np.isnan(result.observed[name])
        ), name


def test_the_threshold_estimator_is_for_probabilities_under_the_bayes_rule():
    positive = np.arange(40) % 4 == 0
    scores = np.linspace(-2, 2, 40) + positive
    with pytest.raises(ValueError, match="'smooth' parameter of what_if_scores"):
        what_if_scores(positive, scores, [2.0], threshold=0.0, smooth=THRESHOLD_ESTIMATOR)
    probabilities = 1.0 / (1.0 + np.exp(-scores))
    with pytest.raises(ValueError, match="rule='bayes'"):
        what_if_scores(positive, probabilities, [2.0], rule="bce", smooth=THRESHOLD_ESTIMATOR)
    assert what_if_scores(positive, probabilities, [2.0]).estimator == THRESHOLD_ESTIMATOR
    assert what_if_scores(positive, scores, [2.0], threshold=0.0).estimator == "binormal"


def test_the_issues_example_returns_the_model_at_its_own_weight():
    rng = np.random.default_rng(3)
    y = (rng.random(4000) < 0.08).astype(int)
    s = 1.0 / (1.0 + np.exp(-(rng.normal(-3, 1.2, 4000) + 2.4 * y)))
    for smooth in (AUTO, None, "binormal"):
        result = what_if_scores(y, s, [1.0, 2.0], smooth=smooth)
        assert result.table.loc[0, "recall"] == result.observed["recall"]
        assert result.table.loc[0, "specificity"] == result.observed["specificity"]
    assert result.observed["recall"] == pytest.approx(0.289, abs=5e-4)
