"""The post's superellipse results, derived by sympy, and their numeric twins.

Every closed form here is found by sympy (differentiation and ``solve``), never typed in as an
answer; the numeric modules are tested against these expressions. Each derivation is one
function, cached, and returns an expression in the positive symbols :data:`ALPHA`, :data:`BETA`
and :data:`P` (printed ``alpha``, ``beta``, ``p``). The ``*_function`` twins turn the
expressions into NumPy callables with :func:`sympy.lambdify`, built once per process.

sympy has no assumption ``beta < 1``. Where a derivation needs it (to know that ``1 - beta`` or
``1 - x**p`` is positive, so that powers denest), it is written in the odds
``w = (1 - beta) / beta`` of a negative, a positive symbol, by substituting
``beta = 1 / (1 + w)``; the result is mapped back to ``beta`` at the end.

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
    "BETA",
    "THRESHOLD",
    "P",
    "X",
    "balanced_accuracy_optimal_alpha",
    "bayes_point_superellipse",
    "calibrated_threshold",
    "expected_balanced_accuracy",
    "expected_balanced_accuracy_function",
    "expected_f1",
    "expected_f1_function",
    "f1_alpha_derivative",
    "f1_alpha_derivative_function",
    "stationary_point",
]

#: Weight of the positives, their prevalence, the superellipse's shape and the recall.
ALPHA, BETA, P, X = sympy.symbols("alpha beta p x", positive=True)
#: Threshold of the observed model on its calibrated probabilities, and its weight.
THRESHOLD = sympy.Symbol("t0", positive=True)
ALPHA_OBSERVED = sympy.Symbol("alpha0", positive=True)
#: Specificity, where a derivation treats it as a variable of its own.
_Z = sympy.Symbol("z", positive=True)
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
def _bce_point_in_odds() -> tuple[sympy.Expr, sympy.Expr]:
    """Recall and specificity of :func:`stationary_point`, in ``(alpha, w, p)``."""
    x = _in_odds(stationary_point())
    return x, sympy.simplify(_superellipse(x))


@functools.cache
def _expected_f1_in_odds() -> sympy.Expr:
    """E[F1] at the point of :func:`_bce_point_in_odds`, in ``(alpha, w, p)``."""
    tp, fp, fn, _ = _expected_confusion(*_bce_point_in_odds())
    return _in_odds(2 * tp / (2 * tp + fp + fn))


@functools.cache
def _expected_balanced_accuracy_in_odds() -> sympy.Expr:
    """E[BA] at the point of :func:`_bce_point_in_odds`, in ``(alpha, w, p)``."""
    tp, fp, fn, tn = _expected_confusion(*_bce_point_in_odds())
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
    return _in_beta(_expected_f1_in_odds())


@functools.cache
def expected_balanced_accuracy() -> sympy.Expr:
    """Expected balanced accuracy ``(x + z) / 2`` at the operating point of the BCE rule.

    Returns
    -------
    sympy.Expr
        E[BA] in ``alpha``, ``beta`` and ``p``.
    """
    return _in_beta(_expected_balanced_accuracy_in_odds())


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
    return _in_beta(sympy.factor(sympy.diff(_expected_f1_in_odds(), ALPHA)))


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
    derivative = sympy.diff(_expected_balanced_accuracy_in_odds(), ALPHA)
    return _in_beta(_only_solution(sympy.solve(derivative, ALPHA), ALPHA))


@functools.cache
def bayes_point_superellipse() -> tuple[sympy.Expr, sympy.Expr]:
    """Operating point of the bayes rule on the superellipse, for ``p > 1``.

    The rule maximises ``alpha*beta*x + (1-beta)*z`` along ``z = (1 - x**p)**(1/p)``; divided by
    ``1 - beta`` that is ``r*x + z`` with the weight ratio ``r = alpha*beta / (1-beta)``, so at the
    optimum the steepness ``-dz/dx`` equals ``r``. sympy differentiates, writes the condition in
    ``x`` and ``z`` (``1 - x**p = z**p``), solves it for ``x`` (a multiple ``k * z`` of ``z``,
    with ``k = r**(1/(p-1))``) and then the curve ``x**p + z**p = 1`` for ``z``; the positive
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
    objective = _RATIO * X + _superellipse(X)
    stationarity = sympy.diff(objective, X).subs(1 - X**P, _Z**P)
    x_of_z = _only_solution(sympy.solve(stationarity, X), X)
    z = _only_solution(sympy.solve(sympy.Eq(x_of_z**P + _Z**P, 1), _Z), _Z)
    ratio = ALPHA * BETA / (1 - BETA)
    return x_of_z.subs(_Z, z).subs(_RATIO, ratio), z.subs(_RATIO, ratio)


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
