"""Numba kernels of the L2 logistic-regression path used by :mod:`simulate.models.logreg`.

Every function here is ``@njit(cache=True)``: it takes arrays and scalars only, writes its results
into arrays the caller allocated (or returns scalars), and does not validate its inputs.
:func:`fit_path` fits a whole path; the others are its steps. The training loss is the weighted
log-loss when ``gamma == 0`` and the focal loss otherwise (:func:`_focal_terms`); the module
docstring of :mod:`simulate.models.logreg` derives both and the safeguards of the focal fit.

Data layout shared by the kernels
---------------------------------
- ``XT``: the training features feature-major, C-ordered float64 of shape
  ``(n_features, n_samples)``, so the loops over samples run over contiguous memory.
- ``y``: float64 0/1 labels of shape ``(n_samples,)``.
- ``theta``: ``(w, b)``, the coefficients then the intercept, of length ``n_features + 1``.

The sums over samples in :func:`_newton_pass` may be reassociated (vectorised), which changes
their rounding only.
"""

import numpy as np
from numba import njit

#: Armijo's sufficient-decrease fraction of the step's predicted decrease.
ARMIJO_FRACTION = 1e-4
#: The line search halves the step at most this many times before it gives up.
MAX_HALVINGS = 60
#: A trial point counts as downhill if the objective grows by at most this many ulps of its value:
#: near the minimum the decrease falls below the rounding of the objective.
ROUNDING_ULPS = 64.0
#: Samples per block of the Newton pass: a block's rows stay in cache while they are summed. A
#: block's ``log(1 + exp(-|z|))`` terms are summed as the log of their factors' product, each
#: factor in (1, 2], so ``2**BLOCK`` must not overflow.
BLOCK = 256
#: Machine epsilon of float64.
EPS = np.finfo(np.float64).eps
#: Labels of the two classes.
NEGATIVE = 0
POSITIVE = 1


@njit(cache=True)
def _focal_terms(margin, gamma):
    """The focal loss of one sample and its first two derivatives in its margin.

    For the margin ``m`` (the decision ``z`` of a positive, ``-z`` of a negative), ``u =
    expit(m)`` the probability of the sample's own class and ``v = 1 - u``: the loss
    ``v**gamma * S`` with ``S = -log(u) = log(1 + exp(-m))``, its derivative
    ``-v**gamma * (v + gamma * u * S)`` and its second derivative
    ``u * v**gamma * (v * (1 + 2 * gamma) + gamma * S * (gamma * u - v))``. ``u``, ``v``, ``S``
    and ``log(v)`` come from ``exp(-|m|)``, so none overflows or cancels at any finite ``m``
    and ``v**gamma`` is ``exp(gamma * log(v))`` with ``log(v)`` finite.

    Returns
    -------
    (float, float, float)
        The loss, its derivative and its second derivative in ``m``.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    tail = np.exp(-abs(margin))
    log_factor = np.log1p(tail)
    if margin >= 0.0:
        u = 1.0 / (1.0 + tail)
        v = tail * u
        surprise = log_factor
        log_v = -margin - log_factor
    else:
        v = 1.0 / (1.0 + tail)
        u = tail * v
        surprise = log_factor - margin
        log_v = -log_factor
    focus = np.exp(gamma * log_v)
    loss = focus * surprise
    slope = -focus * (v + gamma * u * surprise)
    bend = v * (1.0 + 2.0 * gamma) + gamma * surprise * (gamma * u - v)
    return loss, slope, u * focus * bend


@njit(cache=True, fastmath={"reassoc", "contract"})
def _newton_pass(XT, y, alpha, gamma, C, theta, z, gradient, hessian, concave, scratch):
    """Objective, gradient and Hessian at ``theta``, in one pass over the samples.

    The samples go by in blocks of :data:`BLOCK`; each block's decision function, losses,
    residuals (the weighted losses' derivatives in ``z``) and curvatures (their second
    derivatives) are formed once and added into the gradient and the Hessian's lower triangle
    while the block is in cache.

    At ``gamma == 0`` the loss is the log-loss, ``max(z, 0) + log(1 + exp(-|z|))`` (``-z`` for a
    positive), with residuals ``s * (p - y)`` and curvatures ``s * p * (1 - p)``; a block sums
    the log terms as one ``log`` of their product, one ``log`` call instead of one ``log1p`` per
    sample (about 40 % of the pass). The product of at most ``BLOCK`` factors in (1, 2] neither
    overflows nor loses more than about ``BLOCK * eps`` relative, so the objective is off by at
    most some 1e-14 per block, far below what the line search compares.

    At ``gamma > 0`` the loss is the focal loss (:func:`_focal_terms`). A curvature can then be
    negative: ``hessian`` receives the Hessian of the positive parts of the curvatures, which is
    positive definite on ``w`` (the penalty's identity), and ``concave`` that of the negative
    parts, so that the Hessian is their sum. At ``gamma == 0`` ``concave`` is zero.

    Parameters
    ----------
    XT, y, alpha, gamma, C, theta
        Features, labels, positive-class weight, focusing parameter, inverse regularisation
        strength, ``(w, b)``.
    z : ndarray, shape (n_samples,)
        Receives the decision function ``X @ w + b``.
    gradient : ndarray, shape (n_features + 1,)
        Receives the objective's gradient.
    hessian : ndarray, shape (n_features + 1, n_features + 1)
        Receives the penalty's Hessian plus that of the curvatures' positive parts (both
        triangles).
    concave : ndarray, shape (n_features + 1, n_features + 1)
        Receives the Hessian of the curvatures' negative parts (both triangles).
    scratch : ndarray, shape (n_features + 3, BLOCK)
        Workspace.

    Returns
    -------
    float
        The objective ``0.5 * ||w||^2 + C * sum_i s_i * loss_i``.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    n_features, n_samples = XT.shape
    intercept = n_features
    weighted_x = scratch[:n_features]
    curvature = scratch[n_features]
    residual = scratch[n_features + 1]
    deficit = scratch[n_features + 2]
    gradient[:] = 0.0
    hessian[:] = 0.0
    concave[:] = 0.0
    loss = 0.0
    for start in range(0, n_samples, BLOCK):
        stop = min(start + BLOCK, n_samples)
        size = stop - start
        z_block = z[start:stop]
        y_block = y[start:stop]
        z_block[:] = theta[intercept]
        for j in range(n_features):
            x_j = XT[j, start:stop]
            w_j = theta[j]
            for i in range(size):
                z_block[i] += x_j[i] * w_j
        block_loss = 0.0
        n_concave = 0
        if gamma == 0.0:
            positive_product = 1.0
            negative_product = 1.0
            for i in range(size):
                zi = z_block[i]
                tail = np.exp(-abs(zi))
                inverse = 1.0 / (1.0 + tail)
                if zi >= 0.0:
                    p, q = inverse, tail * inverse
                else:
                    p, q = tail * inverse, inverse
                if y_block[i] == POSITIVE:
                    block_loss += alpha * max(-zi, 0.0)
                    positive_product *= 1.0 + tail
                    residual[i] = -alpha * q
                    curvature[i] = alpha * p * q
                else:
                    block_loss += max(zi, 0.0)
                    negative_product *= 1.0 + tail
                    residual[i] = p
                    curvature[i] = p * q
            block_loss = block_loss + alpha * np.log(positive_product) + np.log(negative_product)
        else:
            for i in range(size):
                if y_block[i] == POSITIVE:
                    sample_loss, slope, bend = _focal_terms(z_block[i], gamma)
                    block_loss += alpha * sample_loss
                    residual[i] = alpha * slope
                    bend *= alpha
                else:
                    sample_loss, slope, bend = _focal_terms(-z_block[i], gamma)
                    block_loss += sample_loss
                    residual[i] = -slope
                curvature[i] = max(bend, 0.0)
                deficit[i] = min(bend, 0.0)
                if bend < 0.0:
                    n_concave += 1
        loss += block_loss
        residual_sum = 0.0
        curvature_sum = 0.0
        for i in range(size):
            residual_sum += residual[i]
            curvature_sum += curvature[i]
        gradient[intercept] += residual_sum
        hessian[intercept, intercept] += curvature_sum
        for j in range(n_features):
            x_j = XT[j, start:stop]
            hx_j = weighted_x[j]
            gradient_sum = 0.0
            curvature_sum = 0.0
            for i in range(size):
                gradient_sum += residual[i] * x_j[i]
                hx_j[i] = curvature[i] * x_j[i]
                curvature_sum += hx_j[i]
            gradient[j] += gradient_sum
            hessian[intercept, j] += curvature_sum
        for j in range(n_features):
            hx_j = weighted_x[j]
            for k in range(j + 1):
                x_k = XT[k, start:stop]
                total = 0.0
                for i in range(size):
                    total += hx_j[i] * x_k[i]
                hessian[j, k] += total
        if n_concave > 0:
            for i in range(size):
                if deficit[i] < 0.0:
                    _add_outer(XT, start + i, deficit[i], concave)
    penalty = 0.0
    for j in range(n_features + 1):
        gradient[j] *= C
        for k in range(j + 1):
            hessian[j, k] *= C
            hessian[k, j] = hessian[j, k]
            concave[j, k] *= C
            concave[k, j] = concave[j, k]
    for j in range(n_features):
        penalty += theta[j] * theta[j]
        gradient[j] += theta[j]
        hessian[j, j] += 1.0
    return C * loss + 0.5 * penalty


@njit(cache=True)
def _add_outer(XT, i, weight, out):
    """Add ``weight * x1 @ x1.T`` to the lower triangle of ``out``, ``x1`` sample ``i`` with a
    trailing 1 (the intercept's column). jit-compiled; inputs not validated."""
    n_features = XT.shape[0]
    for j in range(n_features):
        scaled = weight * XT[j, i]
        for k in range(j + 1):
            out[j, k] += scaled * XT[k, i]
        out[n_features, j] += scaled
    out[n_features, n_features] += weight


@njit(cache=True)
def _objective_along(y, alpha, gamma, C, theta, step, z, z_step, t):
    """Objective at ``theta + t * step``, from the decision ``z`` at ``theta`` and ``z_step``.

    ``z_step`` is the decision function's change along the whole step, so a trial costs one
    pass over ``n_samples`` numbers. jit-compiled; inputs not validated.
    """
    loss = 0.0
    for i in range(y.shape[0]):
        zi = z[i] + t * z_step[i]
        if gamma != 0.0:
            if y[i] == POSITIVE:
                loss += alpha * _focal_terms(zi, gamma)[0]
            else:
                loss += _focal_terms(-zi, gamma)[0]
            continue
        tail = np.log1p(np.exp(-abs(zi)))
        if y[i] == POSITIVE:
            loss += alpha * (max(-zi, 0.0) + tail)
        else:
            loss += max(zi, 0.0) + tail
    penalty = 0.0
    for j in range(theta.shape[0] - 1):
        w_j = theta[j] + t * step[j]
        penalty += w_j * w_j
    return C * loss + 0.5 * penalty


@njit(cache=True)
def _backtrack(y, alpha, gamma, C, theta, step, slope, z, z_full):
    """Largest ``t`` in 1/2, 1/4, ... meeting Armijo's condition along ``step``; 0 if none.

    ``z`` and ``z_full`` are the decision function at ``theta`` and at ``theta + step``;
    ``z_full`` is overwritten. ``slope`` is the objective's derivative along ``step``.
    jit-compiled; inputs not validated.
    """
    for i in range(z.shape[0]):
        z_full[i] -= z[i]
    start = _objective_along(y, alpha, gamma, C, theta, step, z, z_full, 0.0)
    allowance = ROUNDING_ULPS * EPS * start
    t = 0.5
    for _ in range(MAX_HALVINGS):
        trial = _objective_along(y, alpha, gamma, C, theta, step, z, z_full, t)
        if trial <= start + ARMIJO_FRACTION * t * slope + allowance:
            return t
        t *= 0.5
    return 0.0


@njit(cache=True)
def _cholesky(matrix, factor):
    """Write the Cholesky factor of symmetric positive definite ``matrix`` into ``factor``.

    Only the lower triangle of ``factor`` is written. Returns False (``factor`` undefined) if the
    matrix is not numerically positive definite.
    jit-compiled; inputs not validated.
    """
    size = matrix.shape[0]
    for j in range(size):
        diagonal = matrix[j, j]
        for k in range(j):
            diagonal -= factor[j, k] * factor[j, k]
        if not diagonal > 0.0:
            return False
        root = np.sqrt(diagonal)
        factor[j, j] = root
        for i in range(j + 1, size):
            entry = matrix[i, j]
            for k in range(j):
                entry -= factor[i, k] * factor[j, k]
            factor[i, j] = entry / root
    return True


@njit(cache=True)
def _solve_factored(factor, rhs, out):
    """Solve ``L @ L.T @ out = rhs`` for the lower-triangular Cholesky factor ``L`` in ``factor``.

    jit-compiled; inputs not validated.
    """
    size = factor.shape[0]
    for i in range(size):
        entry = rhs[i]
        for k in range(i):
            entry -= factor[i, k] * out[k]
        out[i] = entry / factor[i, i]
    for i in range(size - 1, -1, -1):
        entry = out[i]
        for k in range(i + 1, size):
            entry -= factor[k, i] * out[k]
        out[i] = entry / factor[i, i]


@njit(cache=True)
def _log_weight_derivative(XT, y, alpha, gamma, C, z, out):
    """Derivative of the objective's gradient with respect to ``log(alpha)``, into ``out``.

    ``C * alpha * X1.T @ (y * loss'(z))``, from the decision function ``z``: only the positives,
    whose weight is ``alpha``, contribute. ``loss'(z)`` is ``p - 1`` at ``gamma == 0``, the
    focal loss's derivative (:func:`_focal_terms`) otherwise. jit-compiled; inputs not
    validated.
    """
    n_features, n_samples = XT.shape
    out[:] = 0.0
    for i in range(n_samples):
        if y[i] == POSITIVE:
            if gamma != 0.0:
                change = C * alpha * _focal_terms(z[i], gamma)[1]
            else:
                tail = np.exp(-abs(z[i]))
                q = tail / (1.0 + tail) if z[i] >= 0.0 else 1.0 / (1.0 + tail)
                change = -C * alpha * q
            for j in range(n_features):
                out[j] += change * XT[j, i]
            out[n_features] += change


@njit(cache=True)
def _newton(XT, y, alpha, gamma, C, tol, max_iter, theta, tangent):
    """Minimise the objective at weight ``alpha`` starting from ``theta``, in place.

    Each iteration factors the Hessian (the sum of :func:`_newton_pass`'s two parts) and takes
    the Newton step. If the Hessian is not positive definite, which the focal loss allows
    (``gamma > 0``), it factors instead the Hessian with the curvatures' negative parts left
    out, positive definite, and takes that quasi-Newton step. The iteration stops if a Newton
    step (never the quasi-Newton one) is within ``tol`` (and takes it), else evaluates the full
    step with one :func:`_newton_pass`, which also gives the next iteration's derivatives when
    Armijo's condition holds; otherwise it backtracks (:func:`_backtrack`) and evaluates the
    shorter step.

    On convergence ``tangent`` receives the solution's derivative with respect to
    ``log(alpha)``, ``-H^-1 @ d(gradient)/d(log alpha)``, from the last iteration's Hessian;
    otherwise the intercept-only model's, which moves the intercept alone, one for one.

    Returns
    -------
    (int, bool)
        Iterations (Hessian solves) and whether the tolerance was met.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    n_features, n_samples = XT.shape
    size = n_features + 1
    z, z_trial = np.empty(n_samples), np.empty(n_samples)
    gradient, gradient_trial = np.empty(size), np.empty(size)
    hessian, hessian_trial = np.empty((size, size)), np.empty((size, size))
    concave, concave_trial = np.empty((size, size)), np.empty((size, size))
    exact, factor = np.empty((size, size)), np.empty((size, size))
    step, trial = np.empty(size), np.empty(size)
    scratch = np.empty((n_features + 3, BLOCK))
    tangent[:] = 0.0
    tangent[n_features] = 1.0
    objective = _newton_pass(XT, y, alpha, gamma, C, theta, z, gradient, hessian, concave, scratch)
    for iteration in range(1, max_iter + 1):
        for j in range(size):
            for k in range(size):
                exact[j, k] = hessian[j, k] + concave[j, k]
        newton = _cholesky(exact, factor)
        if not newton and not _cholesky(hessian, factor):
            return iteration, False
        _solve_factored(factor, gradient, step)
        scale = 1.0
        largest_step = 0.0
        slope = 0.0
        for j in range(size):
            step[j] = -step[j]
            scale = max(scale, abs(theta[j]))
            largest_step = max(largest_step, abs(step[j]))
            slope += gradient[j] * step[j]
        if newton and largest_step <= tol * scale:
            for j in range(size):
                theta[j] += step[j]
            _log_weight_derivative(XT, y, alpha, gamma, C, z, trial)
            _solve_factored(factor, trial, tangent)
            for j in range(size):
                tangent[j] = -tangent[j]
            return iteration, True
        for j in range(size):
            trial[j] = theta[j] + step[j]
        trial_objective = _newton_pass(
            XT,
            y,
            alpha,
            gamma,
            C,
            trial,
            z_trial,
            gradient_trial,
            hessian_trial,
            concave_trial,
            scratch,
        )
        allowance = ROUNDING_ULPS * EPS * objective
        if trial_objective <= objective + ARMIJO_FRACTION * slope + allowance:
            theta[:] = trial
            objective = trial_objective
            z, z_trial = z_trial, z
            gradient, gradient_trial = gradient_trial, gradient
            hessian, hessian_trial = hessian_trial, hessian
            concave, concave_trial = concave_trial, concave
            continue
        t = _backtrack(y, alpha, gamma, C, theta, step, slope, z, z_trial)
        if t == 0.0:
            return iteration, False
        for j in range(size):
            theta[j] += t * step[j]
        objective = _newton_pass(
            XT, y, alpha, gamma, C, theta, z, gradient, hessian, concave, scratch
        )
    return max_iter, False


@njit(cache=True)
def fit_path(XT, y, alphas, gamma, C, tol, max_iter, coef, intercept, n_iter, converged):
    """Fit every weight in turn, each from the previous weight's solution.

    The first weight starts from zeros. Each next one starts from the previous solution moved
    along the path's tangent (see :func:`_newton`) by ``log(alpha / previous alpha)``, which
    saves about one Newton iteration per weight on the experiment's grid. Writes row ``a`` of
    ``coef`` and entry ``a`` of ``intercept``, ``n_iter`` and ``converged`` for ``alphas[a]``.
    ``gamma`` is the focal loss's focusing parameter, 0 for the log-loss.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    n_features = XT.shape[0]
    theta = np.zeros(n_features + 1)
    tangent = np.empty(n_features + 1)
    for a in range(alphas.shape[0]):
        if a > 0:
            distance = np.log(alphas[a] / alphas[a - 1])
            for j in range(n_features + 1):
                theta[j] += distance * tangent[j]
        n_iter[a], converged[a] = _newton(XT, y, alphas[a], gamma, C, tol, max_iter, theta, tangent)
        coef[a] = theta[:n_features]
        intercept[a] = theta[n_features]
