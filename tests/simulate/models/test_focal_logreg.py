"""Tests of simulate.models.logreg's focal-loss fit (``logistic_path(..., gamma=gamma)``).

The oracle is an independent numpy implementation of the same objective,
``0.5 * ||w||^2 + C * sum_i [-s_i * y_i * (1-p_i)**gamma * log(p_i) - (1-y_i) * p_i**gamma *
log(1-p_i)]``, written from probabilities rather than margins, minimised by scipy's BFGS; the
per-sample derivatives are checked against mpmath at 400 digits.
"""

import functools

import mpmath
import numpy as np
import pytest
from scipy.optimize import minimize

from simulate.models import _logreg_kernels as kernels
from simulate.models.logreg import logistic_path, positive_probability

#: The focusing parameters compared with scipy (Lin et al.'s range).
GAMMAS = (0.5, 1.0, 2.0, 5.0)
#: Weights from below 1 to far above the inverse prevalence.
ALPHAS = (0.1, 1.0, 10.0, 100.0)
#: The margin below which a sample's focal loss is concave, by gamma (the logreg module's table).
CONCAVE_BELOW = {0.5: -4.018, 1.0: -3.098, 2.0: -2.790, 5.0: -2.939, 20.0: -3.773, 100.0: -5.105}
#: Objectives agree with scipy's to this, relative.
OBJECTIVE_RTOL = 1e-9
#: Coefficients agree with scipy's to this (absolute; scipy's BFGS stops near 1e-8).
COEF_ATOL = 1e-6
#: scipy's solution is a minimum to this (largest gradient entry; BFGS may stop on "precision
#: loss" short of its gtol, where the objective's rounding hides further decrease).
REFERENCE_GRADIENT = 1e-6
#: Central-difference gradient of the objective at a solution, relative to the objective.
FD_GRADIENT_RTOL = 1e-8
#: Fits of one weight reached by different routes agree to this (absolute).
ROUTE_ATOL = 1e-9
#: Margins at which the per-sample derivatives are checked, the ends included.
MARGINS = (-700.0, -30.0, -5.0, -2.9, -1.0, -1e-3, 0.0, 1e-3, 0.7, 3.0, 30.0, 700.0)


@functools.cache
def _problem(seed: int, n_samples: int = 200, n_features: int = 3):
    """Gaussian features and noisy labels, about a quarter positive."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    y = (X[:, 0] + rng.normal(size=n_samples) > 1.0).astype(np.float64)
    return X, y


def _objective(theta, X, y, alpha, gamma, C=1.0):
    """The focal objective at ``theta = (w, b)``, from the probabilities, with numpy."""
    w, b = theta[:-1], theta[-1]
    z = X @ w + b
    log_p, log_q = -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)
    p, q = np.exp(log_p), np.exp(log_q)
    loss = -alpha * y * q**gamma * log_p - (1.0 - y) * p**gamma * log_q
    return 0.5 * w @ w + C * loss.sum()


def _gradient(theta, X, y, alpha, gamma, C=1.0):
    """The objective's gradient, differentiated in ``p``: ``d/dz = p * q * d/dp``."""
    w, b = theta[:-1], theta[-1]
    z = X @ w + b
    log_p, log_q = -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)
    p, q = np.exp(log_p), np.exp(log_q)
    positive = q**gamma * (gamma * p * log_p - q)
    negative = p**gamma * (p - gamma * q * log_q)
    residual = alpha * y * positive + (1.0 - y) * negative
    return np.append(w + C * X.T @ residual, C * residual.sum())


def _central_gradient(theta, args, step=1e-5):
    """Central differences of :func:`_objective`."""
    out = np.empty_like(theta)
    for j in range(theta.size):
        shift = np.zeros_like(theta)
        shift[j] = step
        out[j] = (_objective(theta + shift, *args) - _objective(theta - shift, *args)) / (2 * step)
    return out


def _solutions(path):
    return np.column_stack([path.coef, path.intercept])


def _scipy(X, y, alpha, gamma):
    """BFGS on :func:`_objective` from zeros, to its tightest tolerance."""
    start = np.zeros(X.shape[1] + 1)
    args = (X, y, alpha, gamma)
    options = {"gtol": 1e-10, "maxiter": 10_000}
    return minimize(_objective, start, args=args, jac=_gradient, method="BFGS", options=options)


def _exact_loss(margin, gamma):
    """``(1 - u)**gamma * -log(u)`` with ``u = expit(margin)``, in mpmath."""
    u = 1 / (1 + mpmath.exp(-margin))
    return (1 - u) ** gamma * -mpmath.log(u)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gamma_zero_is_the_log_loss_fit(seed):
    X, y = _problem(seed, n_samples=500, n_features=4)
    alphas = np.geomspace(1e-2, 1e3, 6)
    bce = logistic_path(X, y, alphas)
    focal = logistic_path(X, y, alphas, gamma=0.0)
    np.testing.assert_array_equal(_solutions(focal), _solutions(bce))
    # The focal pass (gamma > 0) reaches the log-loss fit as gamma vanishes.
    near = logistic_path(X, y, alphas, gamma=1e-12)
    np.testing.assert_allclose(_solutions(near), _solutions(bce), rtol=0, atol=1e-8)


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("gamma", GAMMAS)
def test_matches_scipy_and_the_gradient_vanishes(seed, gamma):
    X, y = _problem(seed)
    path = logistic_path(X, y, ALPHAS, gamma=gamma)
    assert path.converged.all()
    for a, alpha in enumerate(ALPHAS):
        args = (X, y, alpha, gamma)
        ours = np.append(path.coef[a], path.intercept[a])
        reference = _scipy(*args)
        assert np.abs(reference.jac).max() <= REFERENCE_GRADIENT
        objective = _objective(ours, *args)
        np.testing.assert_allclose(objective, reference.fun, rtol=OBJECTIVE_RTOL)
        np.testing.assert_allclose(ours, reference.x, rtol=0, atol=COEF_ATOL)
        gradient = _central_gradient(ours, args)
        assert np.abs(gradient).max() <= FD_GRADIENT_RTOL * objective


def test_the_reference_gradient_is_the_objectives():
    X, y = _problem(3)
    theta = np.array([0.8, -0.3, 0.2, -1.1])
    for gamma in GAMMAS:
        args = (X, y, 7.0, gamma)
        np.testing.assert_allclose(
            _gradient(theta, *args), _central_gradient(theta, args), rtol=1e-7, atol=1e-7
        )


@pytest.mark.parametrize("gamma", [1.0, 2.0, 5.0])
def test_warm_start_and_order_do_not_change_the_answer(gamma):
    X, y = _problem(4, n_samples=2000, n_features=6)
    alphas = np.geomspace(1.0, 316.0, 8)
    path = logistic_path(X, y, alphas, gamma=gamma)
    cold = np.vstack([_solutions(logistic_path(X, y, [alpha], gamma=gamma)) for alpha in alphas])
    np.testing.assert_allclose(_solutions(path), cold, rtol=0, atol=ROUTE_ATOL)
    backward = logistic_path(X, y, alphas[::-1], gamma=gamma)
    np.testing.assert_allclose(_solutions(backward)[::-1], cold, rtol=0, atol=ROUTE_ATOL)


@pytest.mark.parametrize("gamma", [0.0, *GAMMAS, 20.0])
def test_per_sample_derivatives_match_mpmath(gamma):
    mpmath.mp.dps = 400  # the curvature at -700, near 1e-300, beside a loss of 700
    for margin in MARGINS:
        loss, slope, bend = kernels._focal_terms(margin, gamma)
        assert np.isfinite([loss, slope, bend]).all()
        m = mpmath.mpf(margin)
        exact = [
            _exact_loss(m, gamma),
            mpmath.diff(lambda t: _exact_loss(t, gamma), m),
            mpmath.diff(lambda t: _exact_loss(t, gamma), m, 2),
        ]
        for value, reference in zip((loss, slope, bend), exact, strict=True):
            assert value == pytest.approx(float(reference), rel=1e-11, abs=1e-300)


@pytest.mark.parametrize("gamma", list(CONCAVE_BELOW))
def test_curvature_is_negative_exactly_below_the_tabled_margin(gamma):
    margins = np.linspace(-700.0, 700.0, 140_001)
    bends = np.array([kernels._focal_terms(m, gamma)[2] for m in margins])
    negative = margins[bends < 0.0]
    assert negative.size and negative.max() < CONCAVE_BELOW[gamma] < margins[bends > 0.0].min()
    threshold = CONCAVE_BELOW[gamma]
    assert kernels._focal_terms(threshold - 1e-3, gamma)[2] < 0.0
    assert kernels._focal_terms(threshold + 1e-3, gamma)[2] > 0.0


def _pass(X, y, alpha, gamma, theta, C=1.0):
    """:func:`kernels._newton_pass` at ``theta``: objective, z, gradient and the two Hessians."""
    size = theta.size
    z, gradient = np.empty(X.shape[0]), np.empty(size)
    hessian, concave = np.empty((size, size)), np.empty((size, size))
    scratch = np.empty((size + 2, kernels.BLOCK))
    XT = np.ascontiguousarray(X.T)
    objective = kernels._newton_pass(
        XT, y, alpha, gamma, C, theta, z, gradient, hessian, concave, scratch
    )
    return objective, z, gradient, hessian, concave


def test_newton_pass_matches_numpy():
    X, y = _problem(5, n_samples=700, n_features=4)
    theta = np.array([-2.0, 1.5, 0.3, -0.7, 0.4])
    alpha, gamma, C = 7.0, 2.0, 0.3
    objective, z, gradient, hessian, concave = _pass(X, y, alpha, gamma, theta, C)
    X1 = np.column_stack([X, np.ones(X.shape[0])])
    np.testing.assert_allclose(z, X1 @ theta, rtol=1e-12)
    np.testing.assert_allclose(objective, _objective(theta, X, y, alpha, gamma, C), rtol=1e-12)
    np.testing.assert_allclose(gradient, _gradient(theta, X, y, alpha, gamma, C), rtol=1e-10)
    bends = np.array(
        [
            alpha * kernels._focal_terms(zi, gamma)[2]
            if label
            else kernels._focal_terms(-zi, gamma)[2]
            for zi, label in zip(z, y, strict=True)
        ]
    )
    assert (bends < 0).any()
    positive_part = C * X1.T @ (np.maximum(bends, 0.0)[:, None] * X1)
    positive_part[:-1, :-1] += np.eye(X.shape[1])
    np.testing.assert_allclose(hessian, positive_part, rtol=1e-11)
    np.testing.assert_allclose(
        concave, C * X1.T @ (np.minimum(bends, 0.0)[:, None] * X1), rtol=1e-11, atol=1e-14
    )
    # Their sum is the objective's Hessian: central differences of the gradient.
    step = 1e-6
    columns = [
        (
            _gradient(theta + step * e, X, y, alpha, gamma, C)
            - _gradient(theta - step * e, X, y, alpha, gamma, C)
        )
        / (2 * step)
        for e in np.eye(theta.size)
    ]
    np.testing.assert_allclose(hessian + concave, np.column_stack(columns), rtol=1e-6, atol=1e-6)


def test_extreme_margins_stay_finite():
    X, y = _problem(6, n_samples=300)
    for scale in (30.0, 700.0, 1e4):
        theta = np.array([scale, -scale, 0.0, 0.0])
        for gamma in (0.5, 2.0, 5.0):
            objective, z, gradient, hessian, concave = _pass(X, y, 3.0, gamma, theta)
            assert np.abs(z).max() > scale
            assert np.isfinite([objective, *gradient, *hessian.ravel(), *concave.ravel()]).all()
            np.testing.assert_allclose(objective, _objective(theta, X, y, 3.0, gamma), rtol=1e-12)


@pytest.mark.parametrize(("gamma", "C"), [(2.0, 10.0), (5.0, 1.0), (5.0, 10.0)])
def test_an_indefinite_hessian_falls_back_and_converges(gamma, C):
    X, y = _problem(0)
    start = np.array([-4.0, 0.0, 0.0, 0.0])
    _, _, _, hessian, concave = _pass(X, y, 1.0, gamma, start, C)
    assert np.linalg.eigvalsh(hessian + concave).min() < 0.0
    theta, tangent = start.copy(), np.empty(start.size)
    XT = np.ascontiguousarray(X.T)
    assert kernels._newton(XT, y, 1.0, gamma, C, 1e-10, 100, theta, tangent)[1]
    from_zeros = logistic_path(X, y, [1.0], gamma=gamma, C=C)
    np.testing.assert_allclose(theta, _solutions(from_zeros)[0], rtol=0, atol=ROUTE_ATOL)


@pytest.mark.parametrize("gamma", [0.5, 2.0])
def test_path_tangent_matches_finite_differences(gamma):
    X, y = _problem(1, n_samples=1000, n_features=4)
    alpha, ratio = 10.0, 1.0 + 1e-5
    theta, tangent = np.zeros(X.shape[1] + 1), np.empty(X.shape[1] + 1)
    XT = np.ascontiguousarray(X.T)
    assert kernels._newton(XT, y, alpha, gamma, 1.0, 1e-10, 100, theta, tangent)[1]
    nearby = _solutions(logistic_path(X, y, [alpha * ratio], gamma=gamma))[0]
    np.testing.assert_allclose(tangent, (nearby - theta) / np.log(ratio), rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize(
    ("gamma", "got"),
    [
        (-1.0, r"-1\.0"),
        (-1e-300, r"-1e-300"),
        (np.nan, "nan"),
        (np.inf, "inf"),
        (101.0, r"101\.0"),
        ([1.0, 2.0], r"\[1\.0, 2\.0\]"),
        ("two", "'two'"),
    ],
)
def test_bad_gamma_is_named(gamma, got):
    X, y = _problem(0, n_samples=20)
    message = (
        rf"'gamma' parameter of logistic_path must be a float in the range \[0, 100\]\. Got {got}"
    )
    with pytest.raises(ValueError, match=message):
        logistic_path(X, y, [1.0], gamma=gamma)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_focal_loss_shrinks_the_logits_and_keeps_the_boundary(seed):
    # Why a trained focal logistic regression stays where the cross-entropy puts it at 0.5 (the
    # focal study, docs/experiments.md): at 1% positives the focal fit's weights and intercept
    # shrink together, so its probabilities move towards 1/2, while the boundary where p = 1/2
    # hardly moves.
    from sklearn.datasets import make_classification
    from sklearn.preprocessing import StandardScaler

    X, y = make_classification(
        n_samples=20_000, n_features=10, n_informative=5, weights=[0.99], class_sep=1.31,
        flip_y=0.0, random_state=seed,
    )  # fmt: skip
    X = StandardScaler().fit_transform(X)
    bce, focal = (logistic_path(X, y, np.array([1.0]), gamma=g) for g in (0.0, 2.0))
    shrink = np.linalg.norm(bce.coef[0]) / np.linalg.norm(focal.coef[0])
    assert shrink > 2.0
    assert bce.intercept[0] / focal.intercept[0] > 2.0
    offset = [path.intercept[0] / np.linalg.norm(path.coef[0]) for path in (bce, focal)]
    assert offset[1] == pytest.approx(offset[0], rel=0.1)
    on_negatives = [positive_probability(X[y == 0], path)[0].mean() for path in (bce, focal)]
    assert on_negatives[1] > 5.0 * on_negatives[0]
