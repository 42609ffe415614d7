"""A one-hidden-layer network trained with the weighted focal loss, scikit-learn's ``mlp`` at
``gamma = 0``.

The sweep's ``mlp`` model is scikit-learn's ``MLPClassifier`` with
:data:`~simulate.models.registry.MLP_PARAMS`: 16 ReLU units, a logistic output, an L2 penalty
``1e-4`` on the weights, full-batch L-BFGS for at most 200 iterations. This module re-implements
that network so that its loss can change: the weighted binary cross-entropy becomes the weighted
focal loss, and at ``gamma = 0`` the fit is scikit-learn's (same initial weights, objective and
optimizer calls; see ``tests/simulate/models/test_network.py`` for how close).

The objective
-------------
For weights ``s_i = alpha`` where ``y_i == 1`` and ``1`` elsewhere, ``S = sum_i s_i``, output
logit ``z_i`` and probability ``p_i = expit(z_i)``, the fit minimises::

    F = 1 / S * sum_i s_i * l(y_i, z_i) + alpha_l2 / (2 * S) * (||W1||^2 + ||w2||^2),
    l(1, z) = -(1 - p)**gamma * log(p),    l(0, z) = -p**gamma * log(1 - p),

over the hidden layer's weights ``W1`` (``n_features x hidden``) and intercepts ``b1``, and the
output's weights ``w2`` and intercept ``b2``; the intercepts are not penalised. At ``gamma = 0``
this is scikit-learn 1.9's objective with ``sample_weight=s``: in
``sklearn/neural_network/_multilayer_perceptron.py``, ``BaseMultilayerPerceptron._backprop``
takes the weighted mean of the log-loss (``binary_log_loss`` of ``_base.py``,
``np.average(..., weights=sample_weight)``, a division by ``S``) and adds
``0.5 * alpha * sum(W**2) / sw_sum`` with ``sw_sum = sample_weight.sum()`` (``n_samples``
unweighted); ``_compute_loss_grad`` divides the gradients by the same ``sw_sum``. One
difference: scikit-learn clips ``p`` to ``[eps, 1 - eps]`` in the loss's value (not in its
gradient), so a point predicted wrongly with ``|z| > 36`` costs it ``-log(eps) = 36`` rather
than ``|z|``. Here the loss is written in log-sigmoid form, exact for any finite ``z``; the two
objectives differ only at such points, which change L-BFGS's line search, not the gradient.

With the signed margin ``u = z`` for a negative and ``u = -z`` for a positive, both losses read
``l = expit(u)**gamma * softplus(u)``, and::

    dl/du = expit(u)**gamma * (gamma * expit(-u) * softplus(u) + expit(u)),

``dl/dz = dl/du`` for a negative and ``-dl/du`` for a positive (at ``gamma = 0``, ``p - y``).
Everything comes from ``e = exp(-|u|)`` in ``(0, 1]``: ``softplus(+-u) = max(+-u, 0) +
log1p(e)``, ``expit`` of ``u`` and ``-u`` are ``1 / (1 + e)`` and ``e / (1 + e)`` (by the sign of
``u``), and ``expit(u)**gamma = exp(-gamma * softplus(-u))``; so loss and derivative are finite,
without warnings, for any finite ``z``.
The derivative is backpropagated through the ReLU units (derivative 0 where a unit's output is 0,
as in scikit-learn).

The solver
----------
As scikit-learn's ``_fit_lbfgs``: the parameters packed as ``[W1.ravel(), w2, b1, b2]`` (all
weights, then all intercepts), minimised by ``scipy.optimize.minimize(method="L-BFGS-B",
jac=True)`` with ``maxiter=max_iter``, ``maxfun=15000`` and ``gtol=1e-4`` (its ``max_fun`` and
``tol``), scipy's other options at their defaults. The initial weights are scikit-learn's
``_init_coef``: for each layer in turn, its weights then its intercepts drawn uniformly from
``[-b, b]`` with ``b = sqrt(6 / (fan_in + fan_out))`` by ``np.random.RandomState(random_state)``
(the factor 6 is the ReLU network's, for the output layer too: scikit-learn picks it by the hidden
activation). So with the same seed both start from the same point, and at ``gamma = 0`` they take
the same steps up to rounding (which L-BFGS may amplify over many iterations).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import NamedTuple

import numpy as np
import scipy.optimize
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from params.validation import (
    AT_LEAST_ONE,
    NON_NEGATIVE,
    POSITIVE,
    Interval,
    ParameterError,
    check_array,
    check_float,
    check_int,
)
from simulate.models.checks import check_features, check_labels

__all__ = ["Network", "fit_network", "network_path", "network_proba"]

#: Hidden units, as :data:`~simulate.models.registry.MLP_PARAMS`.
HIDDEN_UNITS = 16
#: L2 penalty on the weights, as ``MLPClassifier(alpha=1e-4)``.
ALPHA_L2 = 1e-4
#: Most L-BFGS iterations, as ``MLPClassifier(max_iter=200)``.
MAX_ITER = 200
#: Most objective evaluations, as ``MLPClassifier(max_fun=15000)``.
MAX_FUN = 15_000
#: L-BFGS's projected-gradient tolerance, as ``MLPClassifier(tol=1e-4)``.
GTOL = 1e-4
#: Glorot's bound factor for a ReLU network: ``b = sqrt(GLOROT_FACTOR / (fan_in + fan_out))``.
GLOROT_FACTOR = 6.0

#: Allowed ranges of the checked arguments.
_SEEDS = Interval(0, 2**32 - 1, "both")


class Network(NamedTuple):
    """A fitted network: ``p = expit(relu(X @ hidden_coef + hidden_intercept) @ output_coef +
    output_intercept)``.

    Attributes
    ----------
    hidden_coef : ndarray of float64, shape (n_features, hidden)
        The hidden layer's weights (scikit-learn's ``coefs_[0]``).
    hidden_intercept : ndarray of float64, shape (hidden,)
        The hidden layer's intercepts (``intercepts_[0]``).
    output_coef : ndarray of float64, shape (hidden,)
        The output's weights (``coefs_[1].ravel()``).
    output_intercept : float
        The output's intercept (``intercepts_[1][0]``).
    alpha : float
        The positive-class weight it was fitted with.
    gamma : float
        The focal exponent it was fitted with.
    n_iter : int
        L-BFGS iterations taken (scikit-learn's ``n_iter_``).
    loss : float
        The objective at the returned weights (``loss_`` at ``gamma = 0``, but for the clipping
        noted in the module's docstring).
    converged : bool
        Whether L-BFGS stopped on its tolerances rather than on ``max_iter`` or a failed line
        search (scikit-learn warns in the latter cases).
    """

    hidden_coef: NDArray[np.float64]
    hidden_intercept: NDArray[np.float64]
    output_coef: NDArray[np.float64]
    output_intercept: float
    alpha: float
    gamma: float
    n_iter: int
    loss: float
    converged: bool


def _focal_terms(
    z: NDArray[np.float64], positive: NDArray[np.bool_], gamma: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Each sample's unweighted focal loss and its derivative in the logit ``z``.

    Parameters
    ----------
    z : ndarray of float64, shape (n_samples,)
        Output logits.
    positive : ndarray of bool, shape (n_samples,)
        True for a positive.
    gamma : float
        The focal exponent, at least 0.

    Returns
    -------
    loss, dloss_dz : ndarray of float64, shape (n_samples,)
        ``expit(u)**gamma * softplus(u)`` and its derivative in ``z``, ``u`` the signed margin
        (``z``, ``-z`` for a positive): see the module's docstring.
    """
    u = np.where(positive, -z, z)
    small = np.exp(-np.abs(u))
    log_term = np.log1p(small)
    softplus = np.maximum(u, 0.0) + log_term
    softplus_neg = np.maximum(-u, 0.0) + log_term
    large = 1.0 / (1.0 + small)
    sigmoid = np.where(u >= 0.0, large, small * large)
    sigmoid_neg = np.where(u >= 0.0, small * large, large)
    focus = np.exp(-gamma * softplus_neg)
    loss = focus * softplus
    dloss_du = focus * (gamma * sigmoid_neg * softplus + sigmoid)
    return loss, np.where(positive, -dloss_du, dloss_du)


class _Layout(NamedTuple):
    """Where each layer's parameters sit in the packed vector (scikit-learn's order)."""

    n_features: int
    hidden: int

    @property
    def size(self) -> int:
        return (self.n_features + 2) * self.hidden + 1

    def unpack(
        self, theta: NDArray[np.float64]
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float]:
        """``(W1, w2, b1, b2)``, views of ``theta``."""
        d, h = self.n_features, self.hidden
        return (
            theta[: d * h].reshape(d, h),
            theta[d * h : (d + 1) * h],
            theta[(d + 1) * h : (d + 2) * h],
            theta[-1],
        )


def _initial_parameters(layout: _Layout, random_state: int) -> NDArray[np.float64]:
    """scikit-learn's Glorot-uniform initial weights, packed: each layer's weights then its
    intercepts drawn from ``RandomState(random_state)``, as ``_init_coef`` does."""
    rng = np.random.RandomState(random_state)
    units = (layout.n_features, layout.hidden, 1)
    coefs, intercepts = [], []
    for fan_in, fan_out in pairwise(units):
        bound = np.sqrt(GLOROT_FACTOR / (fan_in + fan_out))
        coefs.append(rng.uniform(-bound, bound, (fan_in, fan_out)).ravel())
        intercepts.append(rng.uniform(-bound, bound, fan_out))
    return np.concatenate(coefs + intercepts)


def _objective(
    theta: NDArray[np.float64],
    layout: _Layout,
    X: NDArray[np.float64],
    positive: NDArray[np.bool_],
    weights: NDArray[np.float64],
    gamma: float,
    alpha_l2: float,
) -> tuple[float, NDArray[np.float64]]:
    """The objective ``F`` of the module's docstring at ``theta``, and its gradient (packed)."""
    W1, w2, b1, b2 = layout.unpack(theta)
    weight_sum = weights.sum()
    hidden = np.maximum(X @ W1 + b1, 0.0)
    z = hidden @ w2 + b2
    loss, dloss_dz = _focal_terms(z, positive, gamma)
    penalty = np.dot(W1.ravel(), W1.ravel()) + np.dot(w2, w2)
    value = (weights @ loss + 0.5 * alpha_l2 * penalty) / weight_sum
    delta = weights * dloss_dz
    delta_hidden = np.outer(delta, w2) * (hidden > 0.0)
    gradient = np.empty_like(theta)
    gW1, gw2, gb1, _ = layout.unpack(gradient)
    gW1[:] = (X.T @ delta_hidden + alpha_l2 * W1) / weight_sum
    gw2[:] = (hidden.T @ delta + alpha_l2 * w2) / weight_sum
    gb1[:] = delta_hidden.sum(axis=0) / weight_sum
    gradient[-1] = delta.sum() / weight_sum
    return float(value), gradient


def _fit_from(
    theta0: NDArray[np.float64],
    layout: _Layout,
    X: NDArray[np.float64],
    positive: NDArray[np.bool_],
    alpha: float,
    gamma: float,
    alpha_l2: float,
    max_iter: int,
) -> Network:
    """Minimise the objective at weight ``alpha`` by L-BFGS from ``theta0``; arguments checked."""
    weights = np.where(positive, alpha, 1.0)
    args = (layout, X, positive, weights, gamma, alpha_l2)
    if max_iter == 0:
        theta, n_iter, converged = theta0.copy(), 0, False
        loss = _objective(theta, *args)[0]
    else:
        result = scipy.optimize.minimize(
            _objective,
            theta0,
            args=args,
            method="L-BFGS-B",
            jac=True,
            options={"maxiter": max_iter, "maxfun": MAX_FUN, "gtol": GTOL},
        )
        theta, loss = result.x, float(result.fun)
        n_iter, converged = min(int(result.nit), max_iter), bool(result.status == 0)
    W1, w2, b1, b2 = layout.unpack(theta)
    return Network(
        hidden_coef=W1.copy(),
        hidden_intercept=b1.copy(),
        output_coef=w2.copy(),
        output_intercept=float(b2),
        alpha=alpha,
        gamma=gamma,
        n_iter=n_iter,
        loss=loss,
        converged=converged,
    )


def _check_training(
    X: ArrayLike,
    y: ArrayLike,
    gamma: float,
    random_state: int,
    max_iter: int,
    hidden: int,
    alpha_l2: float,
    owner: str,
) -> tuple[NDArray[np.float64], NDArray[np.bool_], float, int, int, int, float]:
    """The arguments shared by :func:`fit_network` and :func:`network_path`, checked."""
    features = check_features(X, owner)
    positive = check_labels(y, features.shape[0], owner)
    return (
        features,
        positive,
        check_float(gamma, "gamma", owner, NON_NEGATIVE),
        check_int(random_state, "random_state", owner, _SEEDS),
        check_int(max_iter, "max_iter", owner, NON_NEGATIVE),
        check_int(hidden, "hidden", owner, AT_LEAST_ONE),
        check_float(alpha_l2, "alpha_l2", owner, NON_NEGATIVE),
    )


def fit_network(
    X: ArrayLike,
    y: ArrayLike,
    *,
    alpha: float = 1.0,
    gamma: float = 0.0,
    random_state: int = 0,
    max_iter: int = MAX_ITER,
    hidden: int = HIDDEN_UNITS,
    alpha_l2: float = ALPHA_L2,
) -> Network:
    """Fit the network with the weighted focal loss by L-BFGS (see the module's docstring).

    At ``gamma = 0`` this is ``MLPClassifier(**MLP_PARAMS, random_state=random_state).fit(X, y,
    sample_weight=s)`` with ``s = alpha`` on the positives and 1 on the negatives.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Training features, finite (the caller standardises them).
    y : array_like of 0/1, shape (n_samples,)
        Training labels; both classes must be present.
    alpha : float, default 1.0
        Weight of the positives (the negatives weigh 1), finite and positive.
    gamma : float, default 0.0
        The focal exponent, finite and at least 0; 0 is the weighted cross-entropy.
    random_state : int, default 0
        Seed of the initial weights, in ``[0, 2**32 - 1]`` (scikit-learn's ``random_state``).
    max_iter : int, default :data:`MAX_ITER`
        Most L-BFGS iterations; 0 returns the initial weights.
    hidden : int, default :data:`HIDDEN_UNITS`
        Hidden ReLU units.
    alpha_l2 : float, default :data:`ALPHA_L2`
        L2 penalty on the weights (scikit-learn's ``alpha``), finite and at least 0.

    Returns
    -------
    Network
        The fitted weights, iterations taken and final objective.

    Raises
    ------
    ValueError
        If ``X`` holds a non-finite value or is not 2-D, ``y`` is not 0/1 labels of both classes
        matching ``X``'s rows, or another argument is out of range; the message names the
        argument and the bad value (:class:`~params.validation.ParameterError`).
    """
    owner = "fit_network"
    features, positive, gamma, random_state, max_iter, hidden, alpha_l2 = _check_training(
        X, y, gamma, random_state, max_iter, hidden, alpha_l2, owner
    )
    alpha = check_float(alpha, "alpha", owner, POSITIVE)
    layout = _Layout(features.shape[1], hidden)
    theta0 = _initial_parameters(layout, random_state)
    return _fit_from(theta0, layout, features, positive, alpha, gamma, alpha_l2, max_iter)


def network_path(
    X: ArrayLike,
    y: ArrayLike,
    alphas: Iterable[float] | ArrayLike,
    *,
    gamma: float = 0.0,
    random_state: int = 0,
    max_iter: int = MAX_ITER,
    hidden: int = HIDDEN_UNITS,
    alpha_l2: float = ALPHA_L2,
) -> list[Network]:
    """Fit the network at each positive-class weight, each from the same initial weights.

    As the sweep's clone per weight of ``MLPClassifier`` (no warm start): element ``i`` equals
    ``fit_network(X, y, alpha=alphas[i], ...)``; the checks and the initial draw are made once.

    Parameters
    ----------
    X, y, gamma, random_state, max_iter, hidden, alpha_l2
        As :func:`fit_network`.
    alphas : array_like, shape (n_alphas,)
        Positive-class weights, finite and positive.

    Returns
    -------
    list of Network
        One fitted network per weight, in the order of ``alphas``.

    Raises
    ------
    ValueError
        As :func:`fit_network`, or if ``alphas`` is not a 1-D array of positive weights.
    """
    owner = "network_path"
    features, positive, gamma, random_state, max_iter, hidden, alpha_l2 = _check_training(
        X, y, gamma, random_state, max_iter, hidden, alpha_l2, owner
    )
    weights = np.atleast_1d(check_array(alphas, "alphas", owner, POSITIVE))
    if weights.ndim != 1:
        raise ParameterError("alphas", owner, "a 1-D array of weights", f"shape {weights.shape}")
    layout = _Layout(features.shape[1], hidden)
    theta0 = _initial_parameters(layout, random_state)
    return [
        _fit_from(theta0, layout, features, positive, alpha, gamma, alpha_l2, max_iter)
        for alpha in weights.tolist()
    ]


def network_proba(network: Network, X: ArrayLike) -> NDArray[np.float64]:
    """The network's probability of the positive class.

    As column 1 of ``MLPClassifier.predict_proba``; its ``predict`` says positive where this
    exceeds 0.5.

    Parameters
    ----------
    network : Network
        A fitted network.
    X : array_like, shape (n_samples, n_features)
        Features, standardised as the training features were.

    Returns
    -------
    ndarray of float64, shape (n_samples,)
    """
    features = check_features(X, "network_proba")
    n_features = network.hidden_coef.shape[0]
    if features.shape[1] != n_features:
        raise ParameterError(
            "X",
            "network_proba",
            f"an array with the network's {n_features} features",
            f"{features.shape[1]} features",
        )
    hidden = np.maximum(features @ network.hidden_coef + network.hidden_intercept, 0.0)
    return expit(hidden @ network.output_coef + network.output_intercept)
