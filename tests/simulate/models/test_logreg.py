"""Tests of simulate.models.logreg: scikit-learn's ``LogisticRegression()`` reproduced, weight by
weight.

How far scikit-learn's default estimator is from the exact minimiser
---------------------------------------------------------------------
The default ``LogisticRegression()`` (lbfgs, ``tol=1e-4``, ``max_iter=100``) stops when the
largest gradient entry of the objective divided by ``C * sum(sample_weight)`` is below 1e-4: an
approximate minimiser. Measured with scikit-learn 1.9.1 on the 27 datasets of
:data:`DATASETS` and :data:`MORE_DATASETS` (seeds 0-8, prevalence 0.01, 0.03 and 0.1; 2,250
training rows, 10 features), the largest absolute difference between its coefficients or
intercept and :func:`logistic_path`'s was, by weight:

====================  =======  =======  =======  =======  =======
alpha                 1e-2     1        10       316      1e4
====================  =======  =======  =======  =======  =======
default (tol 1e-4)    0.30     0.016    2.3e-3   7.2e-3   1.0
tol 1e-10             1.2e-6   3.8e-7   1.4e-7   3.2e-7   4.1e-6
====================  =======  =======  =======  =======  =======

So the 1e-4 comparison is with ``LogisticRegression(tol=1e-10, max_iter=10_000)``. What remains
is that estimator's own error: its scaled gradient is 7e-10 to 4e-8, and
:func:`logistic_path`'s is at most 6e-17 (:func:`test_gradient_vanishes_and_objective_is_lowest`).

Test-split predictions (750 rows per dataset, same 27 datasets): on the experiment's 15 weights
from 1 to 316, 43 of 303,750 (0.014 %) differ from the default estimator's. At the weights
above, 0, 0, 1, 11 and 131 of 20,250 differ: at ``alpha = 1e4`` the default's early stop moves
0.65 % of the predictions. None differ from the tight estimator's.
"""

import functools
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from simulate.models import _logreg_kernels as kernels
from simulate.models.logreg import (
    LogisticPath,
    decision_scores,
    logistic_path,
    positive_probability,
    predict_labels,
    predictions,
)

#: Weights from far below 1 to far above the inverse prevalence.
WIDE_ALPHAS = (1e-2, 1.0, 10.0, 316.0, 1e4)
#: The experiment's weights.
EXPERIMENT_ALPHAS = np.geomspace(1.0, 316.23, 15)
#: The ends of the supported range.
EXTREME_ALPHAS = (1e-4, 1e7)
#: (seed, prevalence) of the datasets compared with scikit-learn; more in the slow tier.
DATASETS = ((0, 0.01), (1, 0.03), (2, 0.1))
MORE_DATASETS = tuple(
    pytest.param(seed, prevalence, marks=pytest.mark.slow)
    for seed in range(3, 9)
    for prevalence in (0.01, 0.03, 0.1)
)
#: Coefficients and intercept agree with scikit-learn's to this (absolute).
COEF_ATOL = 1e-4
#: Share of test predictions that must equal the default estimator's.
MIN_AGREEMENT = 0.999
#: Largest gradient entry of the objective divided by ``C * sum(s)`` at a solution.
GRADIENT_TOL = 1e-12
#: Fits of one weight reached by different routes agree to this (absolute).
ROUTE_ATOL = 1e-9
#: The objective may exceed another solution's by this many of its own ulps (rounding).
OBJECTIVE_ULPS = 1e3
#: scikit-learn run to near its own precision.
TIGHT = {"tol": 1e-10, "max_iter": 10_000}


@functools.cache
def _dataset(seed: int, prevalence: float, n_samples: int = 3000, n_features: int = 10):
    """A standardised 75/25 train/test split of make_classification data."""
    X, y = make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=min(5, n_features),
        n_redundant=0,
        weights=(1.0 - prevalence,),
        random_state=seed,
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, random_state=seed, stratify=y
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def _weights(y, alpha):
    return np.where(y == 1, alpha, 1.0)


def _sklearn(X, y, alpha, **settings):
    """scikit-learn's LogisticRegression fitted at weight ``alpha`` on the positives."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return LogisticRegression(**settings).fit(X, y, sample_weight=_weights(y, alpha))


@functools.cache
def _sklearn_on(seed: int, prevalence: float, alpha: float, tight: bool) -> LogisticRegression:
    """:func:`_sklearn` on the training split of :func:`_dataset`, default or :data:`TIGHT`."""
    X, _, y, _ = _dataset(seed, prevalence)
    return _sklearn(X, y, alpha, **(TIGHT if tight else {}))


def _objective(X, y, alpha, coef, intercept, C=1.0):
    """``0.5 * ||w||^2 + C * sum_i s_i * logloss_i``, computed with numpy."""
    z = X @ coef + intercept
    return 0.5 * coef @ coef + C * np.sum(_weights(y, alpha) * (np.logaddexp(0.0, z) - y * z))


def _scaled_gradient(X, y, alpha, coef, intercept, C=1.0):
    """The objective's gradient divided by ``C * sum(s)`` (scikit-learn's scale), with numpy."""
    s = _weights(y, alpha)
    residual = s * (expit(X @ coef + intercept) - y)
    gradient = np.append(coef + C * X.T @ residual, C * residual.sum())
    return gradient / (C * s.sum())


def _solutions(path: LogisticPath) -> np.ndarray:
    """Coefficients and intercept side by side, shape (n_alphas, n_features + 1)."""
    return np.column_stack([path.coef, path.intercept])


@pytest.mark.parametrize(("seed", "prevalence"), DATASETS + MORE_DATASETS)
def test_matches_sklearn_to_its_precision(seed, prevalence):
    X, _, y, _ = _dataset(seed, prevalence)
    path = logistic_path(X, y, WIDE_ALPHAS)
    assert path.converged.all()
    for a, alpha in enumerate(WIDE_ALPHAS):
        reference = _sklearn_on(seed, prevalence, alpha, tight=True)
        np.testing.assert_allclose(path.coef[a], reference.coef_[0], rtol=0, atol=COEF_ATOL)
        np.testing.assert_allclose(
            path.intercept[a], reference.intercept_[0], rtol=0, atol=COEF_ATOL
        )


@pytest.mark.parametrize(
    ("datasets", "alphas"),
    [
        (DATASETS, EXPERIMENT_ALPHAS[::2]),
        pytest.param(
            DATASETS + tuple(param.values for param in MORE_DATASETS),
            EXPERIMENT_ALPHAS,
            marks=pytest.mark.slow,
        ),
    ],
)
def test_predictions_match_default_sklearn(datasets, alphas):
    agree = total = 0
    for seed, prevalence in datasets:
        X_train, X_test, y_train, _ = _dataset(seed, prevalence)
        predictions = predict_labels(X_test, logistic_path(X_train, y_train, alphas))
        for a, alpha in enumerate(alphas):
            reference = _sklearn(X_train, y_train, alpha).predict(X_test)
            agree += int(np.sum(predictions[a] == reference))
            total += reference.size
    assert agree >= MIN_AGREEMENT * total, f"{agree} of {total} predictions agree"


def test_predictions_match_tight_sklearn_at_wide_weights():
    disagree = 0
    for seed, prevalence in DATASETS:
        X_train, X_test, y_train, _ = _dataset(seed, prevalence)
        predictions = predict_labels(X_test, logistic_path(X_train, y_train, WIDE_ALPHAS))
        for a, alpha in enumerate(WIDE_ALPHAS):
            reference = _sklearn_on(seed, prevalence, alpha, tight=True).predict(X_test)
            disagree += int(np.sum(predictions[a] != reference))
    assert disagree == 0


@pytest.mark.parametrize(("seed", "prevalence"), DATASETS)
def test_gradient_vanishes_and_objective_is_lowest(seed, prevalence):
    X, _, y, _ = _dataset(seed, prevalence)
    alphas = (*WIDE_ALPHAS, *EXTREME_ALPHAS)
    path = logistic_path(X, y, alphas)
    assert path.converged.all()
    for a, alpha in enumerate(alphas):
        gradient = _scaled_gradient(X, y, alpha, path.coef[a], path.intercept[a])
        assert np.abs(gradient).max() <= GRADIENT_TOL
    for a, alpha in enumerate(WIDE_ALPHAS):
        ours = _objective(X, y, alpha, path.coef[a], path.intercept[a])
        for tight in (False, True):
            reference = _sklearn_on(seed, prevalence, alpha, tight)
            theirs = _objective(X, y, alpha, reference.coef_[0], reference.intercept_[0])
            assert ours <= theirs + OBJECTIVE_ULPS * np.spacing(theirs)


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_samples=st.integers(8, 300),
    n_features=st.integers(1, 6),
    log_alphas=st.lists(st.floats(-4.0, 7.0), min_size=1, max_size=4),
    log_C=st.floats(-2.0, 2.0),
)
def test_gradient_vanishes_on_random_problems(seed, n_samples, n_features, log_alphas, log_C):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    y = (X[:, 0] + rng.normal(size=n_samples) > 1.0).astype(np.int64)
    y[:2] = (0, 1)
    alphas = 10.0 ** np.asarray(log_alphas)
    C = 10.0**log_C
    path = logistic_path(X, y, alphas, C=C)
    assert path.converged.all()
    for a, alpha in enumerate(alphas):
        gradient = _scaled_gradient(X, y, alpha, path.coef[a], path.intercept[a], C=C)
        assert np.abs(gradient).max() <= GRADIENT_TOL


def test_warm_start_does_not_change_the_answer():
    X, _, y, _ = _dataset(0, 0.01)
    path = logistic_path(X, y, EXPERIMENT_ALPHAS)
    cold = [logistic_path(X, y, [alpha]) for alpha in EXPERIMENT_ALPHAS]
    np.testing.assert_allclose(
        _solutions(path), np.vstack([_solutions(fit) for fit in cold]), rtol=0, atol=ROUTE_ATOL
    )
    assert path.n_iter.sum() < sum(int(fit.n_iter[0]) for fit in cold)


@pytest.mark.parametrize("alphas", [WIDE_ALPHAS, (*EXTREME_ALPHAS, 1.0)])
def test_order_does_not_change_the_answer(alphas):
    X, _, y, _ = _dataset(1, 0.03)
    forward = logistic_path(X, y, alphas)
    backward = logistic_path(X, y, alphas[::-1])
    np.testing.assert_allclose(
        _solutions(forward), _solutions(backward)[::-1], rtol=0, atol=ROUTE_ATOL
    )


def test_prediction_helpers_follow_sklearn():
    X_train, X_test, y_train, _ = _dataset(2, 0.1)
    path = logistic_path(X_train, y_train, (1.0, 10.0))
    scores = decision_scores(X_test, path)
    assert scores.shape == (2, X_test.shape[0])
    model = LogisticRegression()
    model.classes_ = np.array([0, 1])
    for a in range(2):
        model.coef_, model.intercept_ = path.coef[a : a + 1], path.intercept[a : a + 1]
        np.testing.assert_allclose(scores[a], model.decision_function(X_test), rtol=1e-12)
        np.testing.assert_array_equal(predict_labels(X_test, path)[a], model.predict(X_test))
        np.testing.assert_allclose(
            positive_probability(X_test, path)[a], model.predict_proba(X_test)[:, 1], rtol=1e-12
        )


def test_predictions_are_the_labels_and_one_models_probability_to_the_bit():
    X_train, X_test, y_train, _ = _dataset(2, 0.1)
    path = logistic_path(X_train, y_train, (0.5, 1.0, 10.0))
    for at in range(3):
        labels, probability = predictions(X_test, path, at)
        np.testing.assert_array_equal(labels, predict_labels(X_test, path))
        assert labels.dtype == np.uint8
        np.testing.assert_array_equal(probability, positive_probability(X_test, path)[at])


def test_a_decision_of_zero_is_the_negative_class():
    path = LogisticPath(
        alphas=np.ones(1),
        coef=np.array([[1.0, -1.0]]),
        intercept=np.zeros(1),
        n_iter=np.ones(1, dtype=np.int64),
        converged=np.ones(1, dtype=bool),
    )
    X = np.array([[2.0, 2.0], [2.0, 1.0]])
    np.testing.assert_array_equal(predict_labels(X, path), [[0, 1]])
    np.testing.assert_array_equal(positive_probability(X, path), [[0.5, expit(1.0)]])


def test_newton_pass_matches_numpy():
    X, _, y, _ = _dataset(0, 0.1, n_samples=700, n_features=4)
    rng = np.random.default_rng(0)
    theta = rng.normal(size=X.shape[1] + 1)
    alpha, C = 7.0, 0.3
    size = theta.size
    z, gradient, hessian = np.empty(X.shape[0]), np.empty(size), np.empty((size, size))
    concave = np.full((size, size), np.nan)
    scratch = np.empty((size + 2, kernels.BLOCK))
    XT, labels = np.ascontiguousarray(X.T), y.astype(np.float64)
    objective = kernels._newton_pass(
        XT, labels, alpha, 0.0, C, theta, z, gradient, hessian, concave, scratch
    )
    coef, intercept = theta[:-1], theta[-1]
    X1 = np.column_stack([X, np.ones(X.shape[0])])
    p = expit(X1 @ theta)
    s = _weights(y, alpha)
    expected_hessian = C * X1.T @ ((s * p * (1 - p))[:, None] * X1)
    expected_hessian[:-1, :-1] += np.eye(X.shape[1])
    np.testing.assert_allclose(z, X1 @ theta, rtol=1e-12)
    np.testing.assert_allclose(objective, _objective(X, y, alpha, coef, intercept, C), rtol=1e-12)
    expected_gradient = _scaled_gradient(X, y, alpha, coef, intercept, C) * C * s.sum()
    np.testing.assert_allclose(gradient, expected_gradient, rtol=1e-11)
    np.testing.assert_allclose(hessian, expected_hessian, rtol=1e-11)
    np.testing.assert_array_equal(concave, 0.0)


def test_cholesky_solve_matches_numpy():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(6, 6))
    matrix = A @ A.T + 0.1 * np.eye(6)
    rhs = rng.normal(size=6)
    out, factor = np.empty(6), np.empty((6, 6))
    assert kernels._cholesky(matrix, factor)
    np.testing.assert_allclose(np.tril(factor), np.linalg.cholesky(matrix), rtol=1e-12)
    kernels._solve_factored(factor, rhs, out)
    np.testing.assert_allclose(out, np.linalg.solve(matrix, rhs), rtol=1e-10)
    assert not kernels._cholesky(-matrix, factor)


def test_path_tangent_matches_finite_differences():
    X, _, y, _ = _dataset(1, 0.03)
    alpha, ratio = 10.0, 1.0 + 1e-5
    theta, tangent = np.zeros(X.shape[1] + 1), np.empty(X.shape[1] + 1)
    XT, labels = np.ascontiguousarray(X.T), y.astype(np.float64)
    assert kernels._newton(XT, labels, alpha, 0.0, 1.0, 1e-10, 100, theta, tangent)[1]
    nearby = _solutions(logistic_path(X, y, [alpha * ratio]))[0]
    np.testing.assert_allclose(tangent, (nearby - theta) / np.log(ratio), rtol=1e-4, atol=1e-6)


def test_too_few_iterations_warn():
    X, _, y, _ = _dataset(0, 0.01)
    with pytest.warns(RuntimeWarning, match=r"alphas \[316.0\] \(max_iter=2 "):
        path = logistic_path(X, y, [316.0], max_iter=2)
    np.testing.assert_array_equal(path.converged, [False])
    np.testing.assert_array_equal(path.n_iter, [2])


_X = np.array([[0.0, 1.0], [1.0, 0.0], [2.0, 1.0], [1.0, 3.0]])
_Y = np.array([0, 1, 0, 1])


@pytest.mark.parametrize(
    ("X", "y", "alphas", "options", "message"),
    [
        (_X, [0, 0, 0, 0], [1.0], {}, r"'y' .* both classes\. Got 'only class 0' .*no label 1"),
        (_X, [1, 1, 1, 1], [1.0], {}, r"'y' .*Got 'only class 1'"),
        (_X, [0, 1, 2, 1], [1.0], {}, r"'y' .*labels 0 and 1.*Got 2 instead"),
        (_X, [0, 1, 0], [1.0], {}, r"'y' .*4 labels.*Got 'shape \(3,\)'"),
        (np.where(_X == 2.0, np.nan, _X), _Y, [1.0], {}, r"'X' .*Got nan"),
        (np.where(_X == 2.0, np.inf, _X), _Y, [1.0], {}, r"'X' .*Got inf"),
        (_X[:, 0], _Y, [1.0], {}, r"'X' .*2-D.*Got 'shape \(4,\)'"),
        (_X, _Y, [1.0, 0.0], {}, r"'alphas' .*\(0, inf\)\. Got 0\.0"),
        (_X, _Y, [-2.0], {}, r"'alphas' .*Got -2\.0"),
        (_X, _Y, [np.nan], {}, r"'alphas' .*Got nan"),
        (_X, _Y, [np.inf], {}, r"'alphas' .*Got inf"),
        (_X, _Y, [[1.0, 2.0]], {}, r"'alphas' .*1-D"),
        (_X, _Y, [1.0], {"C": 0.0}, r"'C' .*Got 0\.0"),
        (_X, _Y, [1.0], {"tol": -1.0}, r"'tol' .*Got -1\.0"),
        (_X, _Y, [1.0], {"max_iter": 0}, r"'max_iter' .*Got 0"),
    ],
)
def test_bad_input_is_named(X, y, alphas, options, message):
    with pytest.raises(ValueError, match=message):
        logistic_path(X, y, alphas, **options)


def test_decision_scores_checks_the_features():
    path = logistic_path(_X, _Y, [1.0])
    with pytest.raises(ValueError, match=r"'X' parameter of decision_scores .*2 features"):
        decision_scores(_X[:, :1], path)
