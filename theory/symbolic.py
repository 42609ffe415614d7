"""The post's superellipse results, the rules' stationarity conditions, the cost optimum and the
binormal curve's steepness, derived by sympy, and their numeric twins.

Every closed form here is found by sympy (differentiation and ``solve``), never typed in as an
answer; the numeric modules are tested against these expressions. Each derivation is one
function, cached, and returns an expression in the positive symbols :data:`ALPHA`, :data:`BETA`
and :data:`P` (printed ``alpha``, ``beta``, ``p``). The ``*_function`` twins turn the
expressions into NumPy callables with :func:`sympy.lambdify`, built once per process.

sympy has no assumption ``beta < 1``. Where a derivation needs it (to know that ``1 - beta`` or
``1 - x**p`` is positive, so that powers denest), it is written in the odds
``w = (1 - beta) / beta`` of a negative, a positive symbol, by substituting
``beta = 1 / (1 + w)``; the result is mapped back to ``beta`` at the end.

Derivations on a general curve ``z(x)`` (:func:`rule_quantity`, :func:`cost_optimal_alpha`)
differentiate along an undefined function ``z(x)`` and then name its value :data:`Z` and its
steepness ``-dz/dx`` :data:`STEEPNESS`.

A model that moves less than its loss says behaves as if its weight were ``alpha**k``
(:data:`MOVEMENT`, printed ``k``). The ``moved_*`` derivations put that effective weight into the
same objectives and show what follows: a score stationary at ``alpha*`` for ``k = 1`` is
stationary at ``alpha***(1/k)`` (:func:`moved_score_derivatives`, on any operating point and any
score), the best scores stay (every effective weight is still reached), the inverse-proportion
weight acts as ``((1-beta)/beta)**k`` and so loses what it gained, and a threshold or a resampled
training set that is equivalent to a weight is equivalent to its ``k``-th power.

This module imports sympy at import time; nothing in the numeric package imports it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
import sympy
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ALPHA",
    "ALPHA_OBSERVED",
    "BEST_F1",
    "BETA",
    "COST_FN",
    "COST_FP",
    "CUTOFF",
    "GAMMA",
    "MOVEMENT",
    "OPTIMAL_WEIGHT",
    "POSITIVE_FRACTION",
    "SCORE_CURVATURE",
    "SCORE_SLOPE",
    "SEPARATION",
    "SPREAD",
    "STEEPNESS",
    "THRESHOLD",
    "P",
    "X",
    "Z",
    "balanced_accuracy_optimal_alpha",
    "bayes_point_superellipse",
    "binormal_log_steepness",
    "binormal_slope_thresholds",
    "calibrated_threshold",
    "cost_optimal_alpha",
    "cost_optimal_steepness",
    "expected_balanced_accuracy",
    "expected_balanced_accuracy_function",
    "expected_f1",
    "expected_f1_function",
    "f1_alpha_derivative",
    "f1_alpha_derivative_function",
    "focal_curvature",
    "moved_balanced_accuracy_gain_over_inverse",
    "moved_balanced_accuracy_optimal_alpha",
    "moved_balanced_accuracy_positive_fraction",
    "moved_bayes_f1_optimal_alpha",
    "moved_bayes_point_superellipse",
    "moved_expected_balanced_accuracy",
    "moved_expected_balanced_accuracy_function",
    "moved_expected_f1",
    "moved_expected_f1_function",
    "moved_f1_alpha_derivative",
    "moved_f1_alpha_derivative_function",
    "moved_resampling_weight",
    "moved_rule_weight",
    "moved_score_derivatives",
    "moved_stationary_point",
    "moved_threshold",
    "resampling_weight",
    "rule_quantity",
    "rule_quantity_function",
    "stationary_point",
]

#: Weight of the positives, their prevalence, the superellipse's shape and the recall.
ALPHA, BETA, P, X = sympy.symbols("alpha beta p x", positive=True)
#: Threshold of the observed model on its calibrated probabilities, and its weight.
THRESHOLD = sympy.Symbol("t0", positive=True)
ALPHA_OBSERVED = sympy.Symbol("alpha0", positive=True)
#: Specificity, where a derivation treats it as a variable of its own.
Z = sympy.Symbol("z", positive=True)
#: Steepness ``-dz/dx`` of a curve at the point ``(x, z)``.
STEEPNESS = sympy.Symbol("m", positive=True)
#: The focal rule's parameter.
GAMMA = sympy.Symbol("gamma", nonnegative=True)
#: Prices of a false negative and of a false positive.
COST_FN, COST_FP = sympy.symbols("c_fn c_fp", positive=True)
#: The movement exponent: a model that moves as if its weight were ``alpha**k``.
MOVEMENT = sympy.Symbol("k", positive=True)
#: A weight at which a score of the model that moves as its loss says (``k = 1``) is stationary.
OPTIMAL_WEIGHT = sympy.Symbol("alpha_star", positive=True)
#: The first and second derivatives in ``alpha`` of a score at :data:`OPTIMAL_WEIGHT`, for
#: ``k = 1``.
SCORE_SLOPE, SCORE_CURVATURE = sympy.symbols("dS d2S", real=True)
#: The positives' fraction of a resampled training set.
POSITIVE_FRACTION = sympy.Symbol("q", positive=True)
#: The best expected F1 along a curve.
BEST_F1 = sympy.Symbol("F", positive=True)
#: The rules' objectives ``alpha*beta*f(x) + (1-beta)*f(z)``, by the ``f`` of each.
_TRANSFORMS: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "bce": sympy.log,
    "bayes": lambda u: u,
    "focal": lambda u: (1 - u) ** GAMMA * sympy.log(u),
}
#: Odds ``(1 - beta) / beta`` of a negative; positive exactly when ``0 < beta < 1``.
_ODDS = sympy.Symbol("w", positive=True)
#: Weight ratio ``alpha * beta / (1 - beta)``, the positives' total weight over the negatives'.
_RATIO = sympy.Symbol("r", positive=True)

NumericFunction = Callable[[ArrayLike, ArrayLike, ArrayLike], NDArray[np.float64]]


def _superellipse(x: sympy.Expr) -> sympy.Expr:
    """Specificity ``z = (1 - x**p)**(1/p)`` on the post's curve at recall ``x``."""
    return (1 - x**P) ** (1 / P)


def _in_odds(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with ``beta = 1 / (1 + w)`` substituted, simplified."""
    return sympy.simplify(expr.subs(BETA, 1 / (1 + _ODDS)))


def _in_beta(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with the odds ``w = (1 - beta) / beta`` substituted back, simplified."""
    return sympy.simplify(expr.subs(_ODDS, (1 - BETA) / BETA))


def _only_solution(solutions: Sequence[sympy.Expr], unknown: sympy.Symbol) -> sympy.Expr:
    """The single element of what :func:`sympy.solve` returned for ``unknown``.

    Raises
    ------
    RuntimeError
        If sympy found no solution or several.
    """
    if len(solutions) != 1:
        raise RuntimeError(f"Expected one solution for {unknown}, sympy found {list(solutions)}.")
    return solutions[0]


def _expected_confusion(x: sympy.Expr, z: sympy.Expr) -> tuple[sympy.Expr, ...]:
    """Expected ``tp, fp, fn, tn`` fractions at recall ``x`` and specificity ``z``."""
    return BETA * x, (1 - BETA) * (1 - z), BETA * (1 - x), (1 - BETA) * z


@functools.cache
def stationary_point() -> sympy.Expr:
    """Recall at which the expected weighted BCE is stationary on the superellipse.

    sympy differentiates the post's objective
    ``alpha*beta*log(x) + (1-beta)/p * log(1 - x**p)`` (that is, ``(1-beta) * log(z)``) in ``x``
    and solves for the root.

    Returns
    -------
    sympy.Expr
        Recall ``x`` in ``alpha``, ``beta`` and ``p``.

    Raises
    ------
    RuntimeError
        If sympy does not find exactly one root.
    """
    objective = ALPHA * BETA * sympy.log(X) + (1 - BETA) / P * sympy.log(1 - X**P)
    return _only_solution(sympy.solve(sympy.diff(objective, X), X), X)


@functools.cache
def _bce_point_in_odds(point: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr]:
    """Recall and specificity of a superellipse point ``point`` (recall in ``alpha``, ``beta``,
    ``p``, and ``k`` if it has it), in ``(alpha, w, p[, k])``."""
    x = _in_odds(point)
    return x, sympy.simplify(_superellipse(x))


@functools.cache
def _expected_f1_in_odds(point: sympy.Expr) -> sympy.Expr:
    """E[F1] at the point of :func:`_bce_point_in_odds`, in ``(alpha, w, p[, k])``."""
    tp, fp, fn, _ = _expected_confusion(*_bce_point_in_odds(point))
    return _in_odds(2 * tp / (2 * tp + fp + fn))


@functools.cache
def _expected_balanced_accuracy_in_odds(point: sympy.Expr) -> sympy.Expr:
    """E[BA] at the point of :func:`_bce_point_in_odds`, in ``(alpha, w, p[, k])``."""
    tp, fp, fn, tn = _expected_confusion(*_bce_point_in_odds(point))
    return _in_odds((tp / (tp + fn) + tn / (tn + fp)) / 2)


@functools.cache
def expected_f1() -> sympy.Expr:
    """Expected F1 at the operating point of :func:`stationary_point`.

    F1 is ``2 TP / (2 TP + FP + FN)`` of the expected confusion fractions, at recall ``x`` from
    :func:`stationary_point` and specificity ``z = (1 - x**p)**(1/p)``; it reduces to the post's
    ``2*beta*x / (beta*x + beta*z + 1 - z)``.

    Returns
    -------
    sympy.Expr
        E[F1] in ``alpha``, ``beta`` and ``p``.
    """
    return _in_beta(_expected_f1_in_odds(stationary_point()))


@functools.cache
def expected_balanced_accuracy() -> sympy.Expr:
    """Expected balanced accuracy ``(x + z) / 2`` at the operating point of the BCE rule.

    Returns
    -------
    sympy.Expr
        E[BA] in ``alpha``, ``beta`` and ``p``.
    """
    return _in_beta(_expected_balanced_accuracy_in_odds(stationary_point()))


@functools.cache
def f1_alpha_derivative() -> sympy.Expr:
    """Derivative of :func:`expected_f1` in ``alpha``.

    The derivative is taken at fixed odds ``w`` (so at fixed ``beta``) and factored, which is
    both faster and more compact than :func:`sympy.simplify` here.

    Returns
    -------
    sympy.Expr
        ``d E[F1] / d alpha`` in ``alpha``, ``beta`` and ``p``.
    """
    return _in_beta(sympy.factor(sympy.diff(_expected_f1_in_odds(stationary_point()), ALPHA)))


@functools.cache
def balanced_accuracy_optimal_alpha() -> sympy.Expr:
    """Weight at which the expected balanced accuracy is stationary.

    sympy solves ``d E[BA] / d alpha = 0`` for ``alpha`` in the odds form, where the powers
    denest, and the root is mapped back to ``beta``.

    Returns
    -------
    sympy.Expr
        The stationary ``alpha`` in ``beta`` (``p`` drops out).

    Raises
    ------
    RuntimeError
        If sympy does not find exactly one root.
    """
    derivative = sympy.diff(_expected_balanced_accuracy_in_odds(stationary_point()), ALPHA)
    return _in_beta(_only_solution(sympy.solve(derivative, ALPHA), ALPHA))


@functools.cache
def bayes_point_superellipse() -> tuple[sympy.Expr, sympy.Expr]:
    """Operating point of the bayes rule on the superellipse, for ``p > 1``.

    The rule maximises ``alpha*beta*x + (1-beta)*z`` along ``z = (1 - x**p)**(1/p)``; divided by
    ``1 - beta`` that is ``r*x + z`` with the weight ratio ``r = alpha*beta / (1-beta)``, so at the
    optimum the steepness ``-dz/dx`` equals ``r``. sympy differentiates, writes the condition in
    ``x`` and ``z`` (``1 - x**p = z**p``), solves it for ``x`` (a multiple ``c * z`` of ``z``,
    with ``c = r**(1/(p-1))``) and then the curve ``x**p + z**p = 1`` for ``z``; the positive
    symbol ``r`` is replaced by its value at the end.

    Returns
    -------
    x, z : sympy.Expr
        Recall and specificity in ``alpha``, ``beta`` and ``p``.

    Raises
    ------
    RuntimeError
        If sympy does not find exactly one root at either step.
    """
    x, z = _bayes_point_in_ratio()
    ratio = ALPHA * BETA / (1 - BETA)
    return x.subs(_RATIO, ratio), z.subs(_RATIO, ratio)


@functools.cache
def _bayes_point_in_ratio() -> tuple[sympy.Expr, sympy.Expr]:
    """The bayes point on the superellipse in the weight ratio ``r`` (see
    :func:`bayes_point_superellipse`)."""
    objective = _RATIO * X + _superellipse(X)
    stationarity = sympy.diff(objective, X).subs(1 - X**P, Z**P)
    x_of_z = _only_solution(sympy.solve(stationarity, X), X)
    z = _only_solution(sympy.solve(sympy.Eq(x_of_z**P + Z**P, 1), Z), Z)
    return x_of_z.subs(Z, z), z


#: The binormal curve's separation and spread, and its threshold on the scores
#: (:class:`theory.curves.Binormal`).
SEPARATION, SPREAD = sympy.symbols("d s", positive=True)
CUTOFF = sympy.Symbol("t", real=True)


def _normal_cdf(v: sympy.Expr) -> sympy.Expr:
    """``Phi(v)``, the standard normal distribution function."""
    return (1 + sympy.erf(v / sympy.sqrt(2))) / 2


@functools.cache
def binormal_log_steepness() -> sympy.Expr:
    """``log(-dz/dx)`` along the binormal curve at threshold ``t``.

    Negatives score ``N(0, 1)``, positives ``N(d, s**2)``: ``x = Phi((d - t)/s)``,
    ``z = Phi(t)``. sympy differentiates both in ``t``, takes the ratio and its log, and expands
    it into a quadratic in ``t``, ``log(s) + (d - t)**2 / (2 s**2) - t**2 / 2``.

    Returns
    -------
    sympy.Expr
        In :data:`CUTOFF`, :data:`SEPARATION` and :data:`SPREAD` (printed ``t``, ``d``, ``s``).
    """
    x = _normal_cdf((SEPARATION - CUTOFF) / SPREAD)
    z = _normal_cdf(CUTOFF)
    steepness = sympy.simplify(-sympy.diff(z, CUTOFF) / sympy.diff(x, CUTOFF))
    return sympy.expand(sympy.expand_log(sympy.log(steepness), force=True))


@functools.cache
def binormal_slope_thresholds() -> list[sympy.Expr]:
    """The thresholds at which the binormal curve's steepness ``-dz/dx`` is ``m``.

    sympy solves :func:`binormal_log_steepness` ``= log(m)`` for ``t``: two roots where
    ``s != 1`` (the quadratic of :meth:`theory.curves.Binormal.stationary_thresholds`), which
    the tests compare with that method's.

    Returns
    -------
    list of sympy.Expr
        The roots in :data:`SEPARATION`, :data:`SPREAD` and :data:`STEEPNESS`, as sympy orders
        them.
    """
    equation = sympy.Eq(binormal_log_steepness(), sympy.log(STEEPNESS))
    return sympy.solve(equation, CUTOFF)


def _numeric(expr: sympy.Expr) -> NumericFunction:
    """A NumPy function ``(alpha, beta, p) -> ndarray`` evaluating ``expr``."""
    compiled = sympy.lambdify((ALPHA, BETA, P), expr, "numpy")

    def evaluate(alpha: ArrayLike, beta: ArrayLike, p: ArrayLike) -> NDArray[np.float64]:
        arguments = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (alpha, beta, p)))
        return np.asarray(compiled(*arguments), np.float64)

    evaluate.__doc__ = f"Evaluate ``{expr}`` elementwise; the arguments broadcast."
    return evaluate


@functools.cache
def expected_f1_function() -> NumericFunction:
    """:func:`expected_f1` as a NumPy function of ``(alpha, beta, p)``.

    The function broadcasts its arguments and returns an ndarray.
    """
    return _numeric(expected_f1())


@functools.cache
def expected_balanced_accuracy_function() -> NumericFunction:
    """:func:`expected_balanced_accuracy` as a NumPy function of ``(alpha, beta, p)``.

    The function broadcasts its arguments and returns an ndarray.
    """
    return _numeric(expected_balanced_accuracy())


@functools.cache
def f1_alpha_derivative_function() -> NumericFunction:
    """:func:`f1_alpha_derivative` as a NumPy function of ``(alpha, beta, p)``.

    The function broadcasts its arguments and returns an ndarray.
    """
    return _numeric(f1_alpha_derivative())


@functools.cache
def calibrated_threshold() -> sympy.Expr:
    """The threshold at which a calibrated model reaches the point retraining at ``alpha`` would.

    A model whose scores are calibrated probabilities at prior ``pi`` predicts positive at
    threshold ``t0`` where the likelihood ratio of its scores is at least
    ``odds(t0) / odds(pi)``: that is the ROC's slope there, and its steepness ``-dz/dx`` is the
    inverse. The bayes rule scales the steepness by ``alpha / alpha0`` when the model trained
    with weight ``alpha0`` is retrained with ``alpha``; sympy solves for the odds of the
    threshold that gives the new steepness on the same scores and maps them to a probability.
    The prior drops out: the threshold's odds scale by ``alpha0 / alpha``.

    Returns
    -------
    sympy.Expr
        The threshold in ``t0`` (:data:`THRESHOLD`), ``alpha0`` (:data:`ALPHA_OBSERVED`) and
        ``alpha`` (:data:`ALPHA`).

    Raises
    ------
    RuntimeError
        If sympy does not find exactly one root.
    """
    odds, prior_odds = sympy.symbols("o o_pi", positive=True)
    observed_odds = THRESHOLD / (1 - THRESHOLD)
    steepness = prior_odds / odds
    observed = steepness.subs(odds, observed_odds)
    new_odds = _only_solution(
        sympy.solve(sympy.Eq(steepness, observed * ALPHA / ALPHA_OBSERVED), odds), odds
    )
    return sympy.simplify(new_odds / (1 + new_odds))


def _along_curve(expr: sympy.Expr, curve: sympy.Expr) -> sympy.Expr:
    """``expr`` with ``d curve / dx`` named ``-m`` (:data:`STEEPNESS`) and ``curve`` named ``z``."""
    return expr.subs(sympy.Derivative(curve, X), -STEEPNESS).subs(curve, Z)


@functools.cache
def rule_quantity(rule: str) -> sympy.Expr:
    """The weight ratio ``r = alpha*beta/(1-beta)`` at which ``rule`` stops at a point.

    sympy differentiates the rule's objective ``alpha*beta*f(x) + (1-beta)*f(z(x))`` along a
    curve ``z(x)``, writes the curve's value and steepness at the point as ``z`` and ``m``,
    solves the stationarity condition for ``alpha`` and turns it into the weight ratio: the
    rule's stationarity quantity, which :func:`theory.rules.rule_named` computes numerically.

    Parameters
    ----------
    rule : {"bce", "bayes", "focal"}
        The rule (``f`` is ``log``, the identity and ``(1-u)**gamma * log(u)``).

    Returns
    -------
    sympy.Expr
        The quantity in :data:`X`, :data:`Z`, :data:`STEEPNESS` and, for ``"focal"``,
        :data:`GAMMA`: ``m`` for bayes, ``m*x/z`` for bce.

    Raises
    ------
    RuntimeError
        If sympy does not find exactly one root.
    """
    transform = _TRANSFORMS[rule]
    curve = sympy.Function("z")(X)
    objective = ALPHA * BETA * transform(X) + (1 - BETA) * transform(curve)
    stationarity = _along_curve(sympy.diff(objective, X), curve)
    alpha = _only_solution(sympy.solve(stationarity, ALPHA), ALPHA)
    return sympy.factor(sympy.expand_log(sympy.simplify(alpha * BETA / (1 - BETA)), force=True))


@functools.cache
def rule_quantity_function(rule: str) -> Callable[..., NDArray[np.float64]]:
    """:func:`rule_quantity` as a NumPy function of ``(x, z, m, gamma)``; they broadcast."""
    compiled = sympy.lambdify((X, Z, STEEPNESS, GAMMA), rule_quantity(rule), "numpy")

    def evaluate(
        x: ArrayLike, z: ArrayLike, m: ArrayLike, gamma: ArrayLike = 0.0
    ) -> NDArray[np.float64]:
        arguments = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in (x, z, m, gamma)))
        return np.asarray(compiled(*arguments), np.float64)

    evaluate.__doc__ = f"Evaluate ``{rule_quantity(rule)}`` elementwise; the arguments broadcast."
    return evaluate


@functools.cache
def focal_curvature() -> sympy.Expr:
    """``-phi''(u) * (1-u)**(2-gamma)`` for ``phi(u) = (1-u)**gamma * log(u)``, in ``t = (1-u)/u``.

    sympy differentiates twice, substitutes ``u = 1/(1+t)`` and simplifies, to
    ``t**2 + 2*gamma*t + gamma*(gamma-1)*log(1+t)``. Since ``log(1+t) <= t`` it is at least
    ``t**2 + gamma*(1+gamma)*t > 0`` for ``t > 0``, ``gamma >= 0``: ``phi`` is strictly concave
    on (0, 1), which makes the focal rule's quantity increase along a concave curve.

    Returns
    -------
    sympy.Expr
        The expression in ``t`` (a positive symbol) and :data:`GAMMA`.
    """
    u, t = sympy.symbols("u t", positive=True)
    phi = _TRANSFORMS["focal"](u)
    scaled = -sympy.diff(phi, u, 2) * (1 - u) ** (2 - GAMMA)
    return sympy.simplify(sympy.expand_log(scaled.subs(u, 1 / (1 + t)), force=True))


@functools.cache
def cost_optimal_steepness() -> sympy.Expr:
    """The steepness ``-dz/dx`` at which the expected cost is least along any curve.

    The expected cost per sample is ``c_fn*beta*(1-x) + c_fp*(1-beta)*(1-z(x))``; sympy sets its
    derivative along ``z(x)`` to zero and solves for the steepness. (It is a minimum on a
    concave curve: the second derivative is ``-c_fp*(1-beta)*z''(x) >= 0``.)

    Returns
    -------
    sympy.Expr
        ``beta*c_fn / ((1-beta)*c_fp)`` (as sympy writes it) in :data:`BETA`, :data:`COST_FN`
        and :data:`COST_FP`.
    """
    curve = sympy.Function("z")(X)
    cost = COST_FN * BETA * (1 - X) + COST_FP * (1 - BETA) * (1 - curve)
    stationarity = _along_curve(sympy.diff(cost, X), curve)
    return sympy.simplify(_only_solution(sympy.solve(stationarity, STEEPNESS), STEEPNESS))


@functools.cache
def cost_optimal_alpha(rule: str) -> sympy.Expr:
    """The weight that puts ``rule`` at the point of least expected cost, on any curve.

    sympy solves ``rule_quantity(rule) = alpha*beta/(1-beta)`` at the cost-optimal steepness
    (:func:`cost_optimal_steepness`) for ``alpha``. For ``"bayes"`` the point and the curve drop
    out: the weight is ``c_fn / c_fp`` (Elkan, 2001). For the other rules it depends on the
    point ``(x, z)`` where the cost is least: ``c_fn*x / (c_fp*z)`` for ``"bce"``.

    Returns
    -------
    sympy.Expr
        The weight in :data:`COST_FN`, :data:`COST_FP` and, except for ``"bayes"``, :data:`X`,
        :data:`Z` (and :data:`GAMMA` for ``"focal"``).

    Raises
    ------
    RuntimeError
        If sympy does not find exactly one root.
    """
    quantity = rule_quantity(rule).subs(STEEPNESS, cost_optimal_steepness())
    equation = sympy.Eq(quantity, ALPHA * BETA / (1 - BETA))
    return sympy.simplify(_only_solution(sympy.solve(equation, ALPHA), ALPHA))


# The movement exponent: a model that moves as if its weight were alpha**k.


def _positive_solution(solutions: Sequence[sympy.Expr], unknown: sympy.Symbol) -> sympy.Expr:
    """The single root among ``solutions`` that sympy knows to be positive.

    Raises
    ------
    RuntimeError
        If none of them is, or several are.
    """
    return _only_solution([root for root in solutions if root.is_positive], unknown)


def _effective(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with the weight ``alpha`` replaced by the effective weight ``alpha**k``."""
    return expr.subs(ALPHA, ALPHA**MOVEMENT)


@functools.cache
def moved_score_derivatives() -> tuple[sympy.Expr, sympy.Expr]:
    """A score's first two derivatives in ``alpha`` for a model that moves as if weighted
    ``alpha**k``, at ``alpha = alpha_star**(1/k)``.

    The operating point is an undefined function ``x(a)`` of the weight the rule sees (on a
    curve a point is its recall; any rule, any curve) and the score an undefined ``S(x)``. The
    model that moves less sits at ``x(alpha**k)``. sympy differentiates ``S(x(alpha**k))`` once
    and twice in ``alpha``, puts ``alpha = alpha_star**(1/k)``, and writes the results in the
    derivatives ``dS`` and ``d2S`` of ``S(x(a))`` at ``a = alpha_star`` (:data:`SCORE_SLOPE`,
    :data:`SCORE_CURVATURE`), eliminating the derivatives of ``S`` and ``x``:
    ``k * alpha_star**(1 - 1/k) * dS`` and
    ``k**2 * alpha_star**(2 - 2/k) * d2S + k*(k-1) * alpha_star**(1 - 2/k) * dS``.

    So every stationary weight ``alpha_star`` of the model with ``k = 1`` (``dS = 0``) is one at
    ``alpha_star**(1/k)`` of the model that moves less, where the second derivative has the
    sign of ``d2S``: a maximum stays a maximum, and its score is the same. The factor
    ``k * alpha**(k-1)`` is positive, so there are no other stationary weights.

    Returns
    -------
    first, second : sympy.Expr
        In :data:`OPTIMAL_WEIGHT`, :data:`MOVEMENT`, :data:`SCORE_SLOPE` and
        :data:`SCORE_CURVATURE`.

    Raises
    ------
    RuntimeError
        If sympy cannot write the derivatives in ``dS`` and ``d2S`` alone.
    """
    point, score = sympy.Function("x"), sympy.Function("S")
    at = point(OPTIMAL_WEIGHT)
    point_slopes = sympy.symbols("x1 x2", real=True)
    score_slopes = sympy.symbols("s1 s2", real=True)

    def named(expr: sympy.Expr) -> sympy.Expr:
        """``expr`` with the derivatives of ``x`` at ``alpha_star`` and of ``S`` there named."""
        expr = expr.doit()
        for order in (2, 1):
            expr = expr.subs(sympy.Derivative(at, (OPTIMAL_WEIGHT, order)), point_slopes[order - 1])
        for order in (2, 1):
            expr = expr.subs(sympy.Derivative(score(at), (at, order)), score_slopes[order - 1])
        return expr

    moved = score(point(ALPHA**MOVEMENT))
    at_optimum = {ALPHA: OPTIMAL_WEIGHT ** (1 / MOVEMENT)}
    derivatives = [named(sympy.diff(moved, ALPHA, n).subs(at_optimum)) for n in (1, 2)]
    unmoved = [named(sympy.diff(score(at), OPTIMAL_WEIGHT, n)) for n in (1, 2)]
    equations = [sympy.Eq(unmoved[0], SCORE_SLOPE), sympy.Eq(unmoved[1], SCORE_CURVATURE)]
    solutions = sympy.solve(equations, score_slopes, dict=True)
    if len(solutions) != 1:
        raise RuntimeError(f"Expected one way to eliminate S' and S'', sympy found {solutions}.")
    first, second = (
        sympy.collect(
            sympy.powsimp(sympy.expand(sympy.simplify(d.subs(solutions[0])))),
            [SCORE_SLOPE, SCORE_CURVATURE],
            sympy.factor,
        )
        for d in derivatives
    )
    if (first.free_symbols | second.free_symbols) & (set(point_slopes) | set(score_slopes)):
        raise RuntimeError("The moved derivatives still depend on the derivatives of S or x.")
    return first, second


@functools.cache
def moved_stationary_point() -> sympy.Expr:
    """Recall at which the expected weighted BCE is stationary on the superellipse, for a model
    that moves as if weighted ``alpha**k``.

    sympy differentiates ``alpha**k*beta*log(x) + (1-beta)/p * log(1 - x**p)`` in ``x`` and
    solves for the root: ``(alpha**k*beta / (alpha**k*beta - beta + 1))**(1/p)``, the post's
    :func:`stationary_point` at the effective weight.

    Returns
    -------
    sympy.Expr
        Recall ``x`` in ``alpha``, ``beta``, ``p`` and :data:`MOVEMENT`.

    Raises
    ------
    RuntimeError
        If sympy does not find exactly one root.
    """
    objective = ALPHA**MOVEMENT * BETA * sympy.log(X) + (1 - BETA) / P * sympy.log(1 - X**P)
    return _only_solution(sympy.solve(sympy.diff(objective, X), X), X)


@functools.cache
def moved_expected_f1() -> sympy.Expr:
    """Expected F1 at :func:`moved_stationary_point` (the BCE rule on the superellipse).

    Returns
    -------
    sympy.Expr
        E[F1] in ``alpha``, ``beta``, ``p`` and :data:`MOVEMENT`.
    """
    return _in_beta(_expected_f1_in_odds(moved_stationary_point()))


@functools.cache
def moved_expected_balanced_accuracy() -> sympy.Expr:
    """Expected balanced accuracy at :func:`moved_stationary_point`.

    Returns
    -------
    sympy.Expr
        E[BA] in ``alpha``, ``beta``, ``p`` and :data:`MOVEMENT`.
    """
    return _in_beta(_expected_balanced_accuracy_in_odds(moved_stationary_point()))


@functools.cache
def moved_f1_alpha_derivative() -> sympy.Expr:
    """Derivative of :func:`moved_expected_f1` in ``alpha``.

    sympy differentiates at fixed odds and factors, as :func:`f1_alpha_derivative` does. It is
    ``k * alpha**(k-1)`` times that derivative at ``alpha**k`` (the tests check it), so it
    changes sign at ``alpha_star**(1/k)``, where the post's F1 optimum ``alpha_star`` lies.

    Returns
    -------
    sympy.Expr
        ``d E[F1] / d alpha`` in ``alpha``, ``beta``, ``p`` and :data:`MOVEMENT`.
    """
    return _in_beta(sympy.factor(sympy.diff(_expected_f1_in_odds(moved_stationary_point()), ALPHA)))


@functools.cache
def moved_balanced_accuracy_optimal_alpha() -> sympy.Expr:
    """Weight at which :func:`moved_expected_balanced_accuracy` is stationary.

    sympy solves ``d E[BA] / d alpha = 0`` for ``alpha`` in the odds form and keeps the positive
    root: ``((1-beta)/beta)**(1/k)``, the inverse-proportion weight to the power ``1/k``.

    Returns
    -------
    sympy.Expr
        The stationary ``alpha`` in ``beta`` and :data:`MOVEMENT` (``p`` drops out).

    Raises
    ------
    RuntimeError
        If sympy does not find exactly one positive root.
    """
    derivative = sympy.diff(_expected_balanced_accuracy_in_odds(moved_stationary_point()), ALPHA)
    return _in_beta(_positive_solution(sympy.solve(derivative, ALPHA), ALPHA))


@functools.cache
def moved_balanced_accuracy_gain_over_inverse() -> sympy.Expr:
    """What the best weight gains in expected balanced accuracy over the inverse-proportion
    weight, for a model that moves as if weighted ``alpha**k`` (the BCE rule, superellipse).

    The best score is the same as for ``k = 1`` (:func:`moved_balanced_accuracy_optimal_alpha`
    reaches the effective weight ``(1-beta)/beta``), but the weight ``(1-beta)/beta`` now acts as
    ``((1-beta)/beta)**k``: sympy takes the difference of E[BA] at the two weights. It is 0 at
    ``k = 1`` and positive otherwise.

    Returns
    -------
    sympy.Expr
        The gain in ``beta``, ``p`` and :data:`MOVEMENT`.
    """
    expected = _expected_balanced_accuracy_in_odds(moved_stationary_point())
    best = _in_odds(moved_balanced_accuracy_optimal_alpha())
    return _in_beta(sympy.simplify(expected.subs(ALPHA, best) - expected.subs(ALPHA, _ODDS)))


@functools.cache
def moved_bayes_point_superellipse() -> tuple[sympy.Expr, sympy.Expr]:
    """Operating point of the bayes rule on the superellipse for a model that moves as if
    weighted ``alpha**k``, for ``p > 1``.

    The derivation of :func:`bayes_point_superellipse`, in the weight ratio the rule sees, here
    ``r = alpha**k * beta / (1-beta)``.

    Returns
    -------
    x, z : sympy.Expr
        Recall and specificity in ``alpha``, ``beta``, ``p`` and :data:`MOVEMENT`.
    """
    x, z = _bayes_point_in_ratio()
    ratio = ALPHA**MOVEMENT * BETA / (1 - BETA)
    return x.subs(_RATIO, ratio), z.subs(_RATIO, ratio)


@functools.cache
def moved_rule_weight(rule: str) -> sympy.Expr:
    """The weight at which ``rule`` stops a model that moves as if weighted ``alpha**k`` at a
    point, on any curve.

    sympy differentiates ``alpha**k*beta*f(x) + (1-beta)*f(z(x))`` along a curve ``z(x)``, as in
    :func:`rule_quantity`, and solves the stationarity condition for ``alpha``: the weight that
    reaches a point is the weight of the model with ``k = 1`` to the power ``1/k``,
    ``(rule_quantity * (1-beta)/beta)**(1/k)``.

    Parameters
    ----------
    rule : {"bce", "bayes", "focal"}
        The rule.

    Returns
    -------
    sympy.Expr
        The weight in :data:`X`, :data:`Z`, :data:`STEEPNESS`, :data:`BETA`, :data:`MOVEMENT`
        and, for ``"focal"``, :data:`GAMMA`.

    Raises
    ------
    RuntimeError
        If sympy does not find exactly one root.
    """
    transform = _TRANSFORMS[rule]
    curve = sympy.Function("z")(X)
    objective = ALPHA**MOVEMENT * BETA * transform(X) + (1 - BETA) * transform(curve)
    stationarity = _along_curve(sympy.diff(objective, X), curve)
    return _only_solution(sympy.solve(stationarity, ALPHA), ALPHA)


@functools.cache
def moved_bayes_f1_optimal_alpha() -> sympy.Expr:
    """The best weight for expected F1 under the bayes rule, on any curve, in the best F1.

    sympy sets the derivative of ``F1 = 2*beta*x / (beta*x + beta + (1-beta)*(1-z(x)))`` along
    a curve ``z(x)`` to zero and solves for the steepness ``-dz/dx`` there; it writes the point's
    specificity in its F1 (:data:`BEST_F1`, ``F``), where the recall drops out, and puts that
    steepness into :func:`moved_rule_weight` of the bayes rule: ``(2/F - 1)**(1/k)``. At
    ``k = 1`` it is the bayes rule's ``2/F1* - 1``; the best F1 itself does not depend on ``k``.

    Returns
    -------
    sympy.Expr
        The weight in :data:`BEST_F1` and :data:`MOVEMENT`.

    Raises
    ------
    RuntimeError
        If sympy does not find exactly one root at a step.
    """
    curve = sympy.Function("z")(X)
    f1 = 2 * BETA * X / (BETA * X + BETA + (1 - BETA) * (1 - curve))
    stationarity = _along_curve(sympy.diff(f1, X), curve)
    steepness = _only_solution(sympy.solve(stationarity, STEEPNESS), STEEPNESS)
    specificity = _only_solution(sympy.solve(sympy.Eq(f1.subs(curve, Z), BEST_F1), Z), Z)
    best_steepness = sympy.simplify(steepness.subs(Z, specificity))
    weight = moved_rule_weight("bayes").subs(STEEPNESS, best_steepness)
    return sympy.simplify(_in_beta(sympy.simplify(_in_odds(weight))))


@functools.cache
def moved_threshold() -> sympy.Expr:
    """The threshold at which a calibrated model reaches the point retraining at ``alpha``
    would, for a model that moves as if weighted ``alpha**k``.

    The derivation of :func:`calibrated_threshold` with the steepness scaled by
    ``(alpha / alpha0)**k``: the threshold's odds scale by ``(alpha0 / alpha)**k``.

    Returns
    -------
    sympy.Expr
        The threshold in :data:`THRESHOLD`, :data:`ALPHA_OBSERVED`, :data:`ALPHA` and
        :data:`MOVEMENT`.

    Raises
    ------
    RuntimeError
        If sympy does not find exactly one root.
    """
    odds, prior_odds = sympy.symbols("o o_pi", positive=True)
    observed_odds = THRESHOLD / (1 - THRESHOLD)
    steepness = prior_odds / odds
    observed = steepness.subs(odds, observed_odds)
    scale = (ALPHA / ALPHA_OBSERVED) ** MOVEMENT
    new_odds = _only_solution(sympy.solve(sympy.Eq(steepness, observed * scale), odds), odds)
    return sympy.simplify(new_odds / (1 + new_odds))


@functools.cache
def resampling_weight() -> sympy.Expr:
    """The class weight that resampling the training set to a positive fraction ``q`` amounts to.

    On the resampled set the loss per row is ``q*L1 + (1-q)*L0`` (``L1``, ``L0``: the mean loss
    over the positives and over the negatives); on the original set weighted ``alpha`` it is
    ``alpha*beta*L1 + (1-beta)*L0``. Both are minimised by the same model when the positives'
    share of the loss is the same, ``alpha*beta/(1-beta) = q/(1-q)``; sympy solves for ``alpha``:
    ``(q/(1-q)) * ((1-beta)/beta)`` (:func:`theory.equivalent_weight`).

    Returns
    -------
    sympy.Expr
        The weight in :data:`POSITIVE_FRACTION` and :data:`BETA`.

    Raises
    ------
    RuntimeError
        If sympy does not find exactly one root.
    """
    q = POSITIVE_FRACTION
    equation = sympy.Eq(ALPHA * BETA / (1 - BETA), q / (1 - q))
    return sympy.simplify(_only_solution(sympy.solve(equation, ALPHA), ALPHA))


@functools.cache
def moved_resampling_weight() -> sympy.Expr:
    """The effective weight of resampling to a positive fraction ``q``, for a model that moves
    as if weighted ``alpha**k``.

    Resampling goes through the same loss as the weight :func:`resampling_weight`, so the model
    moves as if weighted that weight to the power ``k``.

    Returns
    -------
    sympy.Expr
        The effective weight in :data:`POSITIVE_FRACTION`, :data:`BETA` and :data:`MOVEMENT`.
    """
    return _effective(ALPHA).subs(ALPHA, resampling_weight())


@functools.cache
def moved_balanced_accuracy_positive_fraction() -> sympy.Expr:
    """The positive fraction to resample to for the best balanced accuracy, for a model that
    moves as if weighted ``alpha**k`` (any curve symmetric about ``x = z``, either rule).

    sympy solves :func:`moved_resampling_weight` ``=`` :func:`balanced_accuracy_optimal_alpha`
    (the effective weight at which balanced accuracy is best) for ``q``, in the odds form:
    ``w**(1/k) / (w + w**(1/k))`` with ``w = (1-beta)/beta``; 1/2 at ``k = 1`` only.

    Returns
    -------
    sympy.Expr
        The fraction in :data:`BETA` and :data:`MOVEMENT`.

    Raises
    ------
    RuntimeError
        If sympy does not find exactly one root.
    """
    equation = sympy.Eq(
        _in_odds(moved_resampling_weight()), _in_odds(balanced_accuracy_optimal_alpha())
    )
    solutions = sympy.solve(equation, POSITIVE_FRACTION)
    return _in_beta(_only_solution(solutions, POSITIVE_FRACTION))


MovedFunction = Callable[[ArrayLike, ArrayLike, ArrayLike, ArrayLike], NDArray[np.float64]]


def _numeric_moved(expr: sympy.Expr) -> MovedFunction:
    """A NumPy function ``(alpha, beta, p, k) -> ndarray`` evaluating ``expr``."""
    compiled = sympy.lambdify((ALPHA, BETA, P, MOVEMENT), expr, "numpy")

    def evaluate(
        alpha: ArrayLike, beta: ArrayLike, p: ArrayLike, k: ArrayLike
    ) -> NDArray[np.float64]:
        values = (alpha, beta, p, k)
        arguments = np.broadcast_arrays(*(np.asarray(v, np.float64) for v in values))
        return np.asarray(compiled(*arguments), np.float64)

    evaluate.__doc__ = f"Evaluate ``{expr}`` elementwise; the arguments broadcast."
    return evaluate


@functools.cache
def moved_expected_f1_function() -> MovedFunction:
    """:func:`moved_expected_f1` as a NumPy function of ``(alpha, beta, p, k)``."""
    return _numeric_moved(moved_expected_f1())


@functools.cache
def moved_expected_balanced_accuracy_function() -> MovedFunction:
    """:func:`moved_expected_balanced_accuracy` as a NumPy function of ``(alpha, beta, p, k)``."""
    return _numeric_moved(moved_expected_balanced_accuracy())


@functools.cache
def moved_f1_alpha_derivative_function() -> MovedFunction:
    """:func:`moved_f1_alpha_derivative` as a NumPy function of ``(alpha, beta, p, k)``."""
    return _numeric_moved(moved_f1_alpha_derivative())
