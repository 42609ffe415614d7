"""Tests of simulate.models.network: the focal-loss network, scikit-learn's ``mlp`` at gamma 0.

How close the network is to ``MLPClassifier``
---------------------------------------------
Both start from the same weights and hand L-BFGS the same settings, and their objectives and
gradients agree to about 1e-16 relative (:func:`test_initial_weights_and_objective_are_sklearns`),
so the first iterates agree to rounding (:func:`test_short_fit_follows_sklearn`). L-BFGS on this
non-convex objective amplifies the rounding: on one dataset followed iterate by iterate, the
weights' difference grew about tenfold every ten iterations, from 1e-17 to 0.3 at 190.

Measured with scikit-learn 1.9.1 and scipy 1.17.1 on the datasets of
:func:`test_predictions_agree_with_sklearn` (seeds 0-9, prevalence 0.01 to 0.2, 2,000
standardised training rows of 10 features, 2,000 test rows, weights 1 and 10: 20 fits), the test
predictions agree on 99.84 % of points on average, 99.30 % on the worst fit; the largest weight
difference is 6e-3 on the median fit, 0.23 at worst (below 1e-6 on 2 fits). That is
scikit-learn's own sensitivity: refitted on the same features times ``1 + 1e-15``,
``MLPClassifier`` agrees with itself on 99.83 % on average and 98.85 % at worst, its weights
apart by up to 0.30. With scikit-learn's arithmetic copied operation by operation (the clipped
log-loss, ``p - y``, its order of products) the hidden layer's weights came out identical to the
bit on all 20 fits; the network keeps the log-sigmoid form, which the focal loss needs.
"""

import functools
import warnings

import numpy as np
import pytest
import scipy.optimize
from scipy.special import expit
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from simulate.models import network as nw
from simulate.models.network import Network, fit_network, network_path, network_proba
from simulate.models.registry import MLP_PARAMS

#: Focal exponents tested.
GAMMAS = (0.0, 0.5, 1.0, 2.0, 5.0)
#: Logits from far below to far above 0, past where ``exp`` overflows.
LOGITS = np.array([-1e3, -700.0, -300.0, -36.0, -5.0, -0.3, 0.0, 0.3, 5.0, 36.0, 300.0, 700.0])
#: Relative tolerance of a derivative against central differences.
FD_RTOL = 1e-6
#: Objective and gradient agree with scikit-learn's to this (relative: rounding).
SKLEARN_RTOL = 1e-12
#: Iterations after which the fits still agree to :data:`SHORT_FIT_ATOL`.
SHORT_FIT_ITER = 25
SHORT_FIT_ATOL = 1e-8
#: Share of test predictions that must equal ``MLPClassifier``'s, averaged over the datasets.
MIN_AGREEMENT = 0.99


@functools.cache
def _dataset(seed: int, prevalence: float, n_samples: int = 400, n_features: int = 5):
    """Standardised training and test halves of make_classification data."""
    X, y = make_classification(
        n_samples=2 * n_samples,
        n_features=n_features,
        n_informative=min(5, n_features),
        n_redundant=0,
        weights=(1.0 - prevalence,),
        flip_y=0.02,
        random_state=seed,
    )
    scaler = StandardScaler().fit(X[:n_samples])
    return (
        scaler.transform(X[:n_samples]),
        y[:n_samples],
        scaler.transform(X[n_samples:]),
        y[n_samples:],
    )


def _weights(y, alpha):
    return np.where(y == 1, alpha, 1.0)


def _packed(network: Network) -> np.ndarray:
    """The network's weights in scikit-learn's order: weights, then intercepts."""
    return np.concatenate(
        [
            network.hidden_coef.ravel(),
            network.output_coef,
            network.hidden_intercept,
            [network.output_intercept],
        ]
    )


def _sklearn_packed(model: MLPClassifier) -> np.ndarray:
    return np.concatenate([a.ravel() for a in model.coefs_ + model.intercepts_])


def _sklearn(X, y, alpha, seed, **settings) -> MLPClassifier:
    """``MLPClassifier(**MLP_PARAMS)`` fitted at weight ``alpha`` on the positives."""
    model = MLPClassifier(**{**MLP_PARAMS, **settings}, random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return model.fit(X, y, sample_weight=_weights(y, alpha))


def _naive_loss(z, y, gamma):
    """The focal loss as defined, ``-(1 - p)**gamma * log(p)`` or ``-p**gamma * log(1 - p)``."""
    p = expit(z)
    return np.where(y == 1, -((1 - p) ** gamma) * np.log(p), -(p**gamma) * np.log(1 - p))


@pytest.mark.parametrize("gamma", GAMMAS)
@pytest.mark.parametrize("label", [0, 1])
def test_focal_derivative_matches_finite_differences(gamma, label):
    positive = np.full(LOGITS.shape, label == 1)
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        loss, derivative = nw._focal_terms(LOGITS, positive, gamma)
        step = 1e-6 * np.maximum(1.0, np.abs(LOGITS))
        z_above, z_below = LOGITS + step, LOGITS - step
        above = nw._focal_terms(z_above, positive, gamma)[0]
        below = nw._focal_terms(z_below, positive, gamma)[0]
    assert np.all(np.isfinite(loss)) and np.all(np.isfinite(derivative))
    assert np.all(loss >= 0.0)
    differences = (above - below) / (z_above - z_below)
    np.testing.assert_allclose(derivative, differences, rtol=FD_RTOL, atol=1e-300)
    moderate = np.abs(LOGITS) <= 5.0
    np.testing.assert_allclose(
        loss[moderate], _naive_loss(LOGITS[moderate], label, gamma), rtol=1e-12
    )


def test_focal_derivative_is_cross_entropys_at_gamma_zero():
    """``p - y``, with a positive's ``p - 1`` as ``-expit(-z)``: exact where ``1 - p`` rounds."""
    positive = np.arange(LOGITS.size) % 2 == 0
    _, derivative = nw._focal_terms(LOGITS, positive, 0.0)
    exact = np.where(positive, -expit(-LOGITS), expit(LOGITS))
    np.testing.assert_allclose(derivative, exact, rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(derivative, expit(LOGITS) - positive, rtol=0, atol=1e-15)


@pytest.mark.parametrize("gamma", [0.0, 1.0, 2.0, 5.0])
def test_objective_gradient_matches_finite_differences(gamma):
    X, y, _, _ = _dataset(0, 0.3, n_samples=60, n_features=3)
    layout = nw._Layout(3, 4)
    theta = np.random.default_rng(1).standard_normal(layout.size)
    args = (layout, X, y == 1, _weights(y, 7.0), gamma, 0.3)
    _, gradient = nw._objective(theta, *args)
    differences = np.empty_like(theta)
    for k in range(theta.size):
        step = np.zeros_like(theta)
        step[k] = 1e-6
        above = nw._objective(theta + step, *args)[0]
        below = nw._objective(theta - step, *args)[0]
        differences[k] = (above - below) / 2e-6
    np.testing.assert_allclose(gradient, differences, rtol=FD_RTOL, atol=FD_RTOL)


class _Captured(Exception):
    """Stops ``MLPClassifier.fit`` once its call to the optimizer has been recorded."""


def _optimizer_call(fit, monkeypatch):
    """The objective, start, extra arguments and settings ``fit()`` hands to
    ``scipy.optimize.minimize`` (the fit is stopped there)."""
    calls = []

    def record(fun, x0, args=(), **settings):
        calls.append((fun, x0.copy(), args, settings))
        raise _Captured

    with monkeypatch.context() as patch:
        patch.setattr(scipy.optimize, "minimize", record)
        with pytest.raises(_Captured):
            fit()
    return calls[0]


@pytest.mark.parametrize(("seed", "alpha"), [(0, 1.0), (1, 10.0), (2, 0.25)])
def test_initial_weights_and_objective_are_sklearns(seed, alpha, monkeypatch):
    X, y, _, _ = _dataset(seed, 0.1)
    model = MLPClassifier(**MLP_PARAMS, random_state=seed)
    fun, x0, args, settings = _optimizer_call(
        lambda: model.fit(X, y, sample_weight=_weights(y, alpha)), monkeypatch
    )
    _, our_x0, ours, our_settings = _optimizer_call(
        lambda: fit_network(X, y, alpha=alpha, random_state=seed), monkeypatch
    )
    np.testing.assert_array_equal(our_x0, x0)
    assert our_settings == settings
    assert settings["options"]["gtol"] == model.tol
    start = fit_network(X, y, alpha=alpha, random_state=seed, max_iter=0)
    assert start.n_iter == 0
    np.testing.assert_array_equal(_packed(start), x0)
    rng = np.random.default_rng(seed)
    for theta in (x0, x0 + 0.5 * rng.standard_normal(x0.size)):
        value, gradient = fun(theta.copy(), *args)
        expected_value, expected_gradient = nw._objective(theta, *ours)
        np.testing.assert_allclose(value, expected_value, rtol=SKLEARN_RTOL)
        np.testing.assert_allclose(
            gradient, expected_gradient, rtol=0, atol=SKLEARN_RTOL * np.abs(gradient).max()
        )


@pytest.mark.parametrize(("seed", "alpha"), [(0, 1.0), (1, 10.0)])
def test_short_fit_follows_sklearn(seed, alpha):
    X, y, _, _ = _dataset(seed, 0.1)
    model = _sklearn(X, y, alpha, seed, max_iter=SHORT_FIT_ITER)
    network = fit_network(X, y, alpha=alpha, random_state=seed, max_iter=SHORT_FIT_ITER)
    assert network.n_iter == model.n_iter_
    np.testing.assert_allclose(_packed(network), _sklearn_packed(model), atol=SHORT_FIT_ATOL)
    np.testing.assert_allclose(network.loss, model.loss_, rtol=1e-10)


@pytest.mark.slow
def test_predictions_agree_with_sklearn():
    agreement = []
    for seed, prevalence in enumerate(np.linspace(0.01, 0.2, 10)):
        X, y, X_test, _ = _dataset(seed, prevalence, n_samples=2000, n_features=10)
        for alpha in (1.0, 10.0):
            predicted = _sklearn(X, y, alpha, seed).predict(X_test)
            network = fit_network(X, y, alpha=alpha, random_state=seed)
            agreement.append(np.mean(predicted == (network_proba(network, X_test) > 0.5)))
    assert np.mean(agreement) >= MIN_AGREEMENT


def test_focal_loss_shrinks_most_on_well_classified_points():
    z = np.linspace(-6.0, 6.0, 25)
    for label in (0, 1):
        positive = np.full(z.shape, label == 1)
        cross_entropy = nw._focal_terms(z, positive, 0.0)[0]
        margin = np.where(positive, z, -z)
        previous = cross_entropy
        for gamma in GAMMAS[1:]:
            loss = nw._focal_terms(z, positive, gamma)[0]
            assert np.all(loss < previous)
            previous = loss
            kept = loss / cross_entropy
            np.testing.assert_allclose(kept, expit(-margin) ** gamma, rtol=1e-12)
            assert np.all(np.diff(kept[np.argsort(margin)]) < 0)


def test_objective_decreases_with_gamma():
    X, y, _, _ = _dataset(3, 0.2)
    layout = nw._Layout(X.shape[1], 16)
    theta = nw._initial_parameters(layout, 0)
    values = [
        nw._objective(theta, layout, X, y == 1, _weights(y, 3.0), gamma, 1e-4)[0]
        for gamma in GAMMAS
    ]
    assert np.all(np.diff(values) < 0)


def test_focal_fit_differs_from_cross_entropy_fit():
    X, y, _, _ = _dataset(0, 0.1)
    cross_entropy = fit_network(X, y, alpha=5.0, random_state=0)
    focal = fit_network(X, y, alpha=5.0, gamma=2.0, random_state=0)
    assert np.abs(network_proba(focal, X) - network_proba(cross_entropy, X)).max() > 0.05
    layout = nw._Layout(X.shape[1], 16)
    focal_objective = (layout, X, y == 1, _weights(y, 5.0), 2.0, nw.ALPHA_L2)
    assert focal.loss == pytest.approx(nw._objective(_packed(focal), *focal_objective)[0])
    assert focal.loss < nw._objective(_packed(cross_entropy), *focal_objective)[0]


def test_deterministic_given_random_state():
    X, y, _, _ = _dataset(2, 0.1)
    first = fit_network(X, y, alpha=3.0, gamma=1.0, random_state=5, max_iter=50)
    again = fit_network(X, y, alpha=3.0, gamma=1.0, random_state=5, max_iter=50)
    other = fit_network(X, y, alpha=3.0, gamma=1.0, random_state=6, max_iter=50)
    np.testing.assert_array_equal(_packed(first), _packed(again))
    assert first.loss == again.loss and first.n_iter == again.n_iter
    assert not np.allclose(_packed(first), _packed(other))


def test_path_fits_each_weight_from_the_same_start():
    X, y, _, _ = _dataset(1, 0.1)
    alphas = [10.0, 1.0, 0.5]
    path = network_path(X, y, alphas, gamma=0.5, random_state=3, max_iter=30)
    assert [network.alpha for network in path] == alphas
    for alpha, network in zip(alphas, path, strict=True):
        alone = fit_network(X, y, alpha=alpha, gamma=0.5, random_state=3, max_iter=30)
        np.testing.assert_array_equal(_packed(network), _packed(alone))
        assert network.gamma == 0.5 and network.n_iter == alone.n_iter


def test_proba_is_the_forward_pass():
    X, y, X_test, _ = _dataset(0, 0.1)
    network = fit_network(X, y, alpha=2.0, random_state=0, max_iter=20)
    hidden = np.maximum(X_test @ network.hidden_coef + network.hidden_intercept, 0.0)
    expected = expit(hidden @ network.output_coef + network.output_intercept)
    np.testing.assert_array_equal(network_proba(network, X_test), expected)


_X = np.zeros((4, 2))
_Y = np.array([0, 1, 0, 1])


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"gamma": -1.0},
            r"'gamma' parameter of fit_network must be a float in the range "
            r"\[0, inf\)\. Got -1\.0 instead",
        ),
        ({"gamma": np.nan}, r"'gamma' parameter of fit_network .* Got nan instead"),
        ({"gamma": np.inf}, r"'gamma' parameter of fit_network .* Got inf instead"),
        ({"alpha": 0.0}, r"'alpha' parameter of fit_network .* \(0, inf\)\. Got 0\.0 instead"),
        ({"max_iter": -1}, r"'max_iter' parameter of fit_network .* Got -1 instead"),
        ({"hidden": 0}, r"'hidden' parameter of fit_network .* Got 0 instead"),
        ({"random_state": -1}, r"'random_state' parameter of fit_network .* Got -1 instead"),
        ({"alpha_l2": -1e-4}, r"'alpha_l2' parameter of fit_network .* Got -0\.0001 instead"),
        ({"y": [0, 1, 2, 1]}, r"'y' parameter of fit_network .* Got 2 instead"),
        ({"y": [0, 1, 1]}, r"'y' parameter of fit_network .* Got 'shape \(3,\)' instead"),
        ({"y": [1, 1, 1, 1]}, r"'y' parameter .* Got 'only class 1' instead: no label 0"),
        ({"X": np.zeros(4)}, r"'X' parameter of fit_network .* Got 'shape \(4,\)' instead"),
        ({"X": [[0, 1], [np.nan, 0], [0, 0], [1, 1]]}, r"'X' parameter .* Got nan instead"),
    ],
)
def test_fit_refuses_bad_arguments(settings, message):
    arguments = {"X": _X, "y": _Y, **settings}
    with pytest.raises(ValueError, match=message):
        fit_network(arguments.pop("X"), arguments.pop("y"), **arguments)


def test_path_and_proba_refuse_bad_arguments():
    with pytest.raises(ValueError, match=r"'alphas' parameter of network_path .* Got -1\.0"):
        network_path(_X, _Y, [1.0, -1.0])
    with pytest.raises(ValueError, match=r"'alphas' parameter of network_path .*shape \(1, 2\)"):
        network_path(_X, _Y, [[1.0, 2.0]])
    network = fit_network(_X, _Y, max_iter=0)
    with pytest.raises(ValueError, match=r"'X' parameter of network_proba .*2 features"):
        network_proba(network, np.zeros((3, 3)))
