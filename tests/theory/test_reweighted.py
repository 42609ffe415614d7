"""A fitted model deployed as if retrained at a new weight: scikit-learn's
FixedThresholdClassifier at the equivalent threshold, which retraining logistic regression
confirms."""

import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import FixedThresholdClassifier, train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

import theory
from theory.movement import Movement, equivalent_threshold


@pytest.fixture(scope="module")
def data():
    """Held-out rows of a make_classification set with 5% positives, and their halves."""
    X, y = make_classification(
        n_samples=20_000,
        n_features=10,
        n_informative=5,
        n_redundant=0,
        weights=(0.95,),
        class_sep=1.0,
        random_state=0,
    )
    return train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)


@pytest.fixture(scope="module")
def model(data):
    """Logistic regression fitted at weight 1."""
    X_train, _, y_train, _ = data
    return LogisticRegression().fit(X_train, y_train)


def _odds(p):
    return p / (1 - p)


@pytest.mark.parametrize(
    ("alpha", "alpha_observed", "k", "threshold"),
    [(5.0, 1.0, 1.0, 0.5), (20.0, 2.0, 0.5, 0.3), (0.25, 1.0, 0.8, 0.7), (3.0, 3.0, 0.4, 0.2)],
)
def test_the_threshold_is_the_bayes_rules_shift(model, data, alpha, alpha_observed, k, threshold):
    wrapped = theory.reweighted(
        model, alpha, alpha_observed=alpha_observed, movement=k, threshold=threshold
    )
    assert isinstance(wrapped, FixedThresholdClassifier)
    assert wrapped.response_method == "predict_proba"
    expected = _odds(threshold) * (alpha_observed / alpha) ** k
    assert _odds(wrapped.threshold) == pytest.approx(expected, rel=1e-12)
    # One concept, one answer: what_if_scores's equivalent threshold on the same inputs.
    _, X_test, _, y_test = data
    table = theory.what_if_scores(
        y_test,
        model.predict_proba(X_test)[:, 1],
        alpha,
        alpha_observed=alpha_observed,
        movement=k,
        threshold=threshold,
    ).table
    assert wrapped.threshold == table["threshold"].iloc[0]


def test_the_shift_returns_the_threshold_at_the_observed_weight_and_saturates():
    t = np.array([0.1, 0.5, 0.9])
    assert np.array_equal(equivalent_threshold(t, 3.0, 3.0, 0.7), t)
    np.testing.assert_array_equal(equivalent_threshold(0.5, [1e300, 1e-300], 1.0, 2.0), [0.0, 1.0])


def test_a_measured_movement_gives_its_k(model):
    measured = Movement(k=0.4, low=0.3, high=0.5, threshold=0.4, positive_share=0.1)
    assert (
        theory.reweighted(model, 9.0, movement=measured).threshold
        == theory.reweighted(model, 9.0, movement=0.4).threshold
    )


@pytest.mark.parametrize("threshold", [0.5, 0.2])
def test_at_the_observed_weight_it_predicts_as_the_estimator(model, data, threshold):
    _, X_test, _, _ = data
    wrapped = theory.reweighted(model, 3.0, alpha_observed=3.0, threshold=threshold)
    assert wrapped.threshold == threshold
    own = FixedThresholdClassifier(model, threshold=threshold, response_method="predict_proba")
    np.testing.assert_array_equal(wrapped.predict(X_test), own.predict(X_test))
    if threshold == 0.5:
        np.testing.assert_array_equal(wrapped.predict(X_test), model.predict(X_test))


def _agreement(a, b):
    """The share of rows predicted alike, and of the rows either predicts positive, both do."""
    either = (a == 1) | (b == 1)
    return float(np.mean(a == b)), float(np.sum((a == 1) & (b == 1)) / np.sum(either))


@pytest.mark.parametrize("alpha", [5.0, 20.0])
def test_it_predicts_as_logistic_regression_retrained_at_the_weight(model, data, alpha):
    """Measured: 99.4% of held-out rows alike at alpha 5 (91.5% of the positives), 97.6% at
    alpha 20 (86.5%); the shift the wrong way shares 34% and 7% of the positives."""
    X_train, X_test, y_train, _ = data
    retrained = LogisticRegression(class_weight={0: 1.0, 1: alpha}).fit(X_train, y_train)
    expected = retrained.predict(X_test)
    rows, positives = _agreement(theory.reweighted(model, alpha).predict(X_test), expected)
    assert rows > 0.97
    assert positives > 0.8, positives
    # The bound is one a wrong shift fails.
    wrong = theory.reweighted(model, 1.0 / alpha).predict(X_test)
    assert _agreement(wrong, expected)[1] < 0.5


def test_fit_does_not_refit_and_clone_keeps_the_fitted_model(model, data):
    X_train, X_test, y_train, _ = data
    coef = model.coef_.copy()
    wrapped = theory.reweighted(model, 5.0)
    before = wrapped.predict(X_test)
    assert wrapped.fit(X_train, 1 - y_train) is wrapped
    np.testing.assert_array_equal(model.coef_, coef)
    np.testing.assert_array_equal(wrapped.predict(X_test), before)
    copy = clone(wrapped)
    assert copy is not wrapped
    np.testing.assert_array_equal(copy.predict(X_test), before)
    params = wrapped.get_params()
    assert params["threshold"] == wrapped.threshold
    assert params["estimator__estimator"] is model
    assert params["response_method"] == "predict_proba"
    copy.set_params(threshold=0.5)
    np.testing.assert_array_equal(copy.predict(X_test), model.predict(X_test))


def test_it_works_in_and_around_pipelines(data):
    X_train, X_test, y_train, _ = data
    scaler = StandardScaler().fit(X_train)
    fitted = LogisticRegression().fit(scaler.transform(X_train), y_train)
    expected = theory.reweighted(fitted, 5.0).predict(scaler.transform(X_test))
    # Around a fitted pipeline.
    pipeline = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)
    np.testing.assert_array_equal(theory.reweighted(pipeline, 5.0).predict(X_test), expected)
    # As a pipeline's last step, after a frozen transformer: fitting the pipeline, or a clone
    # of it, on any labels changes nothing.
    frozen = FrozenEstimator(scaler)
    steps = Pipeline([("scale", frozen), ("model", theory.reweighted(fitted, 5.0))])
    np.testing.assert_array_equal(steps.fit(X_train, y_train).predict(X_test), expected)
    again = clone(steps).fit(X_train, 1 - y_train)
    np.testing.assert_array_equal(again.predict(X_test), expected)
    assert steps.get_params()["model__threshold"] == pytest.approx(1 / 6)


@pytest.mark.parametrize(
    ("arguments", "named", "allowed"),
    [
        ({"alpha": 0.0}, "alpha", "(0, inf)"),
        ({"alpha": np.inf}, "alpha", "(0, inf)"),
        ({"alpha": np.nan}, "alpha", "(0, inf)"),
        ({"alpha": [2.0, 5.0]}, "alpha", "a single float"),
        ({"alpha": "five"}, "alpha", "(0, inf)"),
        ({"alpha_observed": -1.0}, "alpha_observed", "(0, inf)"),
        ({"movement": 0.0}, "movement", "(0, inf)"),
        ({"movement": np.inf}, "movement", "(0, inf)"),
        ({"movement": Movement(-0.2, np.nan, np.nan, 0.6, 0.1)}, "movement", "(0, inf)"),
        ({"threshold": 0.0}, "threshold", "(0, 1)"),
        ({"threshold": 1.0}, "threshold", "(0, 1)"),
    ],
)
def test_bad_numbers_are_refused_by_name(model, arguments, named, allowed):
    with pytest.raises(ValueError, match=f"'{named}' parameter of reweighted") as error:
        theory.reweighted(model, **{"alpha": 5.0, **arguments})
    assert allowed in str(error.value)


class _ScoresOnly:
    def predict_proba(self, X):
        return np.full((len(X), 2), 0.5)


def test_an_estimator_that_cannot_be_reweighted_is_refused(data):
    X_train, _, y_train, _ = data
    three = np.arange(y_train.size) % 3
    cases = [
        (LogisticRegression(), "it is not fitted"),
        (SVC().fit(X_train[:200], y_train[:200]), "it has no predict_proba"),
        (_ScoresOnly(), "it is not a scikit-learn estimator"),
        (LogisticRegression().fit(X_train, three), "not two classes"),
    ]
    for estimator, reason in cases:
        message = "'estimator' parameter of reweighted must be a fitted binary classifier"
        with pytest.raises(ValueError, match=re.escape(message)) as error:
            theory.reweighted(estimator, 5.0)
        assert reason in str(error.value)
