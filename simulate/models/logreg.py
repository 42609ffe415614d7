"""A numba L2 logistic regression that reproduces scikit-learn's ``LogisticRegression()``, and
trains it on the focal loss as well.

The experiment fits one model per positive-class weight ``alpha`` on each dataset: weight 1 on
the negatives, ``alpha`` on the positives. This module fits all weights of a dataset as one path,
each weight's Newton iterations warm-started from the previous weight's solution.

The objective
-------------
For weights ``s_i = alpha`` where ``y_i == 1`` and ``1`` elsewhere, the fit at ``alpha`` is the
exact minimiser of::

    f(w, b) = 0.5 * ||w||^2 + C * sum_i s_i * logloss(y_i, x_i @ w + b),
    logloss(y, z) = log(1 + exp(z)) - y * z,

with the intercept ``b`` not penalised. scikit-learn 1.9 (``LogisticRegression(penalty="l2",
C=1.0, fit_intercept=True)`` with ``sample_weight=s``, ``sklearn/linear_model/_logistic.py`` and
``_linear_loss.py``) minimises ``1 / S * sum_i s_i * logloss_i + 0.5 / (C * S) * ||w||^2``
with ``S = sum_i s_i`` (its ``l2_reg_strength = 1 / (C * sw_sum)``): that is ``f / (C * S)``,
which has the same minimiser. Its lbfgs solver stops when the largest gradient entry of
``f / (C * S)`` is below ``tol`` (1e-4 by default), an approximate minimiser; the fit here is the
minimiser to rounding, and its predictions agree with the default estimator's on nearly every
point (see ``tests/simulate/models/test_logreg.py`` for the measured differences).

The solver
----------
Newton's method on ``(w, b)``, with the objective's gradient
``(w, 0) + C * X1.T @ (s * (p - y))`` and Hessian
``diag(1, ..., 1, 0) + C * X1.T @ diag(s * p * (1 - p)) @ X1`` (``X1`` is ``X`` with a column of
ones, ``p`` the predicted probability). The Newton step solves the Hessian system by Cholesky.
One pass over the samples, in cache-sized blocks of a feature-major copy of ``X``, forms the
objective, gradient and Hessian at a point: about ``n * d**2 / 2`` multiply-adds. Each iteration
makes one such pass, at the full Newton step: if the objective there meets Armijo's
sufficient-decrease condition the step is taken and the pass has already given the next
iteration's derivatives; otherwise the step is halved until the condition holds, each trial
costing a pass over ``n`` numbers, and the pass is made at the shorter step. Log-loss,
probabilities and curvature come from ``exp(-|z|)``, so none overflows or cancels.

A weight has converged when its Newton step, the gradient measured in the Hessian's metric and
so an estimate of the coefficients' remaining error, is at most ``tol`` times the largest
coefficient (at least 1). That step is then taken: Newton's quadratic convergence leaves an error
of the order of its square, below rounding. A bound on the gradient alone would not do: the
Hessian's smallest eigenvalue, and with it the error a given gradient leaves, changes by orders
of magnitude between ``alpha = 1e-4`` and ``1e7``. At the default ``tol = 1e-10`` (about a
thousand times the step's rounding floor) the largest gradient entry of ``f / (C * S)`` at the
solution is below 1e-16.

Along the path, the first weight starts from zeros; each next one from the previous weight's
solution moved along the path's tangent: the solution's derivative with respect to
``log(alpha)``, ``-H^-1 @ d(gradient)/d(log alpha)``, from the Hessian the previous weight has
already factored, times ``log(alpha / previous alpha)``. The minimiser is unique, so the order
and the start change the iteration counts, not the answer (to rounding).

The focal loss
--------------
With ``gamma > 0`` the loss in ``f`` is the focal loss of Lin et al. (2017) in place of the
log-loss, weighted the same way and with the same penalty::

    focal(y, z) = -y * (1 - p)**gamma * log(p) - (1 - y) * p**gamma * log(1 - p),  p = expit(z).

At ``gamma = 0`` it is the log-loss, and the fit is the one above bit for bit: the kernels keep
the log-loss's own pass. Per sample, with the margin ``m`` (``z`` for a positive, ``-z`` for a
negative), ``u = expit(m)`` the probability the model gives the sample's own class, ``v = 1 - u``
and ``S = -log(u) = log(1 + exp(-m))``, the loss is ``l(m) = v**gamma * S`` and::

    l'(m)  = -v**gamma * (v + gamma * u * S),
    l''(m) = u * v**gamma * (v * (1 + 2 * gamma) + gamma * S * (gamma * u - v));

in ``z``, a positive's derivatives are ``l'(z)`` and ``l''(z)``, a negative's ``-l'(-z)`` and
``l''(-z)``. ``u``, ``v``, ``S`` and ``log(v) = -log(1 + exp(m))`` come from ``exp(-|m|)``, and
``v**gamma`` is ``exp(gamma * log(v))``, so the three are finite, without overflow or
cancellation, at every margin a fit meets (``|z|`` of 700 and far beyond). At ``gamma = 0`` they
are the log-loss's ``S``, ``-v`` and ``u * v``.

The loss falls as the margin grows (``l' < 0``), but for ``gamma > 0`` it is not convex:
``l''`` has the sign of its bracket, positive at large margins and, as ``m -> -inf``, tending to
``1 + 2 * gamma - gamma * S``, negative. The bracket changes sign once (checked on a grid of
margins from -700 to 700 for ``gamma`` from 0.01 to 100), at a margin ``m*(gamma)``, so ``l'' < 0``
exactly for the samples the model gets confidently wrong, ``m < m*(gamma)``:

=================  ======  ======  ======  ======  ======  ======
gamma              0.5     1       2       5       20      100
``m*``             -4.02   -3.10   -2.79   -2.94   -3.77   -5.10
``expit(m*)``      1.8 %   4.3 %   5.8 %   5.0 %   2.3 %   0.6 %
=================  ======  ======  ======  ======  ======  ======

``m*`` is at most -2.78 (at ``gamma`` near 2.4); it is about ``-(2 + 1 / gamma)`` for small
``gamma`` (the log-loss's convexity returns as ``gamma -> 0``) and about ``-log(gamma)`` for large.
So the Hessian ``diag(1, ..., 1, 0) + C * X1.T @ diag(s * l'') @ X1`` is indefinite at points
where the samples beyond ``m*`` outweigh the rest (from a poor start, at large ``C`` or
``gamma``), while at a minimum it is positive semi-definite, and in practice definite.

The solver safeguards Newton's method. Each iteration tries to factor the Hessian by Cholesky;
if it can, it takes the Newton step, a descent direction since the Hessian is positive definite,
with the same Armijo backtracking. If it cannot, it takes instead the step of the Hessian with
each ``l''`` replaced by its positive part ``max(l'', 0)``: positive definite, by the penalty's
identity on ``w`` and, on the unpenalised intercept, by the curvature of every sample with
``m > m*`` (if there is none to rounding, the weight stops unconverged), so its step too is a
descent direction that backtracking shortens to a decrease. The positive part rather than
``|l''|``: beyond ``m*`` the loss is nearly linear (``l''`` is of the order of
``exp(m) * |m|``), which leaving its curvature out models more closely than doubling its error;
and rather than a Levenberg shift ``H + lambda * I``, it needs no ``lambda`` to tune and no second
factorisation to find one. One pass forms both: the positive parts in the blocked sum, the
negative ones (samples beyond ``m*`` only, few) into a second matrix, their sum the Hessian; so
the safeguard costs no extra pass. Near a minimum the Hessian is positive definite and the
iteration is Newton's, quadratically convergent. A weight converges on a Newton step only (the
criterion above), so its tangent comes from the Hessian itself. The objective may have more
than one local minimum for ``gamma > 0``; on the tests' problems the warm-started path and the
fits from zeros find the same one. ``gamma`` is at most
:data:`simulate.models.losses.MAX_GAMMA`.

This module checks the arguments and lays out the arrays; the jit-compiled solver is in
:mod:`simulate.models._logreg_kernels`.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from params.validation import (
    AT_LEAST_ONE,
    POSITIVE,
    ParameterError,
    check_array,
    check_float,
    check_int,
)
from simulate.models import _logreg_kernels as _kernels
from simulate.models.checks import check_features, check_labels
from simulate.models.losses import GAMMA_RANGE

__all__ = [
    "LogisticPath",
    "decision_scores",
    "logistic_path",
    "positive_probability",
    "predict_labels",
    "predictions",
]

#: Default convergence tolerance: the largest Newton step entry relative to the coefficients.
NEWTON_TOL = 1e-10
#: Default cap on Newton iterations per weight.
MAX_NEWTON_ITER = 100

#: Allowed ranges of the checked arguments.


class LogisticPath(NamedTuple):
    """One fitted logistic regression per weight, in the order of the weights given.

    Attributes
    ----------
    alphas : ndarray of float64, shape (n_alphas,)
        The positive-class weights.
    coef : ndarray of float64, shape (n_alphas, n_features)
        Coefficients ``w`` of each weight's model.
    intercept : ndarray of float64, shape (n_alphas,)
        Intercepts ``b``.
    n_iter : ndarray of int64, shape (n_alphas,)
        Newton iterations each weight took (from the previous weight's solution).
    converged : ndarray of bool, shape (n_alphas,)
        Whether each weight met the tolerance within ``max_iter`` iterations.
    """

    alphas: NDArray[np.float64]
    coef: NDArray[np.float64]
    intercept: NDArray[np.float64]
    n_iter: NDArray[np.int64]
    converged: NDArray[np.bool_]


def logistic_path(
    X: ArrayLike,
    y: ArrayLike,
    alphas: ArrayLike,
    *,
    C: float = 1.0,
    gamma: float = 0.0,
    tol: float = NEWTON_TOL,
    max_iter: int = MAX_NEWTON_ITER,
) -> LogisticPath:
    """Fit an L2 logistic regression for each positive-class weight, warm-started along ``alphas``.

    Each fit is the exact minimiser of ``0.5 * ||w||^2 + C * sum_i s_i * logloss_i(w, b)``, with
    ``s_i = alpha`` where ``y_i == 1`` and 1 otherwise and the intercept ``b`` unpenalised: the
    estimator of scikit-learn's ``LogisticRegression(C=C)`` fitted with ``sample_weight=s`` (see
    the module docstring). The first weight starts from zeros, each next one from the previous
    weight's solution (moved along the path's tangent); the minimiser is unique, so the order
    changes only the iteration counts.

    With ``gamma > 0`` the loss is the focal loss,
    ``-y * (1 - p)**gamma * log(p) - (1 - y) * p**gamma * log(1 - p)`` with ``p = expit(z)``, in
    place of the log-loss; it is not convex, and each fit is the local minimiser that the
    safeguarded Newton iterations reach from the warm start (see the module docstring).

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Training features, finite (the caller standardises them).
    y : array_like of 0/1, shape (n_samples,)
        Training labels; both classes must be present.
    alphas : array_like, shape (n_alphas,)
        Positive-class weights, finite and positive, in the order to fit them.
    C : float, default 1.0
        Inverse regularisation strength, as in scikit-learn.
    gamma : float, default 0.0
        The focal loss's focusing parameter, in ``[0, 100]``
        (:data:`~simulate.models.losses.GAMMA_RANGE`); 0 is the log-loss.
    tol : float, default :data:`NEWTON_TOL`
        A weight has converged when its largest Newton step entry is at most ``tol`` times the
        largest coefficient magnitude (at least 1).
    max_iter : int, default :data:`MAX_NEWTON_ITER`
        Most Newton iterations per weight.

    Returns
    -------
    LogisticPath
        Coefficients, intercepts and iteration counts, one row per weight.

    Raises
    ------
    ValueError
        If ``X`` holds a non-finite value or is not 2-D, ``y`` is not 0/1 labels of both classes
        matching ``X``'s rows, a weight is not finite and positive, or ``C``, ``gamma``, ``tol``
        or ``max_iter`` is out of range; the message names the argument and the bad value.

    Warns
    -----
    RuntimeWarning
        If a weight did not meet ``tol`` within ``max_iter`` iterations (its row holds the last
        iterate and ``converged`` is False).
    """
    owner = "logistic_path"
    features = check_features(X, owner)
    labels = check_labels(y, features.shape[0], owner).astype(np.float64)
    weights = np.atleast_1d(check_array(alphas, "alphas", owner, POSITIVE))
    if weights.ndim != 1:
        raise ParameterError("alphas", owner, "a 1-D array of weights", f"shape {weights.shape}")
    C = float(check_array(C, "C", owner, POSITIVE))
    gamma = check_float(gamma, "gamma", owner, GAMMA_RANGE)
    tol = float(check_array(tol, "tol", owner, POSITIVE))
    max_iter = check_int(max_iter, "max_iter", owner, AT_LEAST_ONE)

    n_alphas, n_features = weights.shape[0], features.shape[1]
    path = LogisticPath(
        alphas=weights,
        coef=np.empty((n_alphas, n_features), dtype=np.float64),
        intercept=np.empty(n_alphas, dtype=np.float64),
        n_iter=np.empty(n_alphas, dtype=np.int64),
        converged=np.empty(n_alphas, dtype=np.bool_),
    )
    feature_major = np.ascontiguousarray(features.T)
    _kernels.fit_path(feature_major, labels, weights, gamma, C, tol, max_iter, *path[1:])
    if not np.all(path.converged):
        missed = weights[~path.converged]
        loss = f"focal loss gamma={gamma:g}, " if gamma else ""
        warnings.warn(
            f"logistic_path did not reach tol={tol:g} for alphas {missed.tolist()} "
            f"({loss}max_iter={max_iter} Newton iterations each)",
            RuntimeWarning,
            stacklevel=2,
        )
    return path


def decision_scores(X: ArrayLike, path: LogisticPath) -> NDArray[np.float64]:
    """Decision function ``X @ coef.T + intercept`` of every weight's model.

    Parameters
    ----------
    X : array_like, shape (n_samples, n_features)
        Features, standardised as the training features were.
    path : LogisticPath
        The fitted models.

    Returns
    -------
    ndarray of float64, shape (n_alphas, n_samples)
        Row ``a`` holds the log-odds of the positive class under ``path.alphas[a]``'s model.
    """
    features = check_features(X, "decision_scores")
    if features.shape[1] != path.coef.shape[1]:
        raise ParameterError(
            "X",
            "decision_scores",
            f"an array with the path's {path.coef.shape[1]} features",
            f"{features.shape[1]} features",
        )
    return path.coef @ features.T + path.intercept[:, np.newaxis]


def predict_labels(X: ArrayLike, path: LogisticPath) -> NDArray[np.uint8]:
    """0/1 predictions of every weight's model: 1 where the decision function is positive.

    As scikit-learn's ``LogisticRegression.predict``: a decision of exactly 0 is class 0.

    Returns
    -------
    ndarray of uint8, shape (n_alphas, n_samples)
    """
    return _labels(decision_scores(X, path))


def positive_probability(X: ArrayLike, path: LogisticPath) -> NDArray[np.float64]:
    """Predicted probability of the positive class, ``expit`` of the decision function.

    As column 1 of scikit-learn's ``LogisticRegression.predict_proba``; calibrated (for the
    training distribution) only at ``alpha = 1``.

    Returns
    -------
    ndarray of float64, shape (n_alphas, n_samples)
    """
    return expit(decision_scores(X, path))


def predictions(
    X: ArrayLike, path: LogisticPath, at: int
) -> tuple[NDArray[np.uint8], NDArray[np.float64]]:
    """Every weight's 0/1 predictions and the probability of the positive class under the
    model of ``path.alphas[at]``, from one decision function: ``predict_labels(X, path)`` and
    ``positive_probability(X, path)[at]``, to the bit.

    Returns
    -------
    labels : ndarray of uint8, shape (n_alphas, n_samples)
    probability : ndarray of float64, shape (n_samples,)
    """
    decision = decision_scores(X, path)
    return _labels(decision), expit(decision[at])


def _labels(decision: NDArray[np.float64]) -> NDArray[np.uint8]:
    """1 where the decision function is positive, else 0."""
    return (decision > 0).astype(np.uint8)
