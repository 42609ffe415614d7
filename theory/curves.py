"""Tradeoff curves between recall ``x`` and specificity ``z``, and the families they come in.

A curve is the set of operating points ``(x, z)`` a classifier can reach; a rule (see
:mod:`theory.rules`) picks one point on it for a class weight. What the theory needs of a curve is
the :class:`Curve` protocol:

- ``specificity(x)``: ``z`` as a function of ``x``,
- ``slope(x)``: ``dz/dx``, which is negative,
- ``elasticity(x)``: ``x * (-dz/dx) / z``, the quantity the post's expected-BCE rule sets,
- ``point_at_slope(m)`` and ``point_at_elasticity(e)``: the inverses of ``-slope`` and
  ``elasticity``, as the point ``(x, z)``.

An inverse gives both rates of its point, each computed from the family's own parameter there (a
threshold, a logit), never one read off the other: near a corner one rate rounds to 1 in float64
while its partner is still well resolved, and would be lost if computed from the rounded one.
The built-in families also give ``x_at_slope`` and ``x_at_elasticity``, the recall alone, and
(:class:`GivesComplements`) the complements ``1 - x`` and ``1 - z`` of each point, computed the
same way: where a rate rounds to 1, its complement (a false-negative or false-positive rate of
1e-17, say) still decides precision or NPV, and ``1 - z`` formed from the rounded ``z`` is 0.

Any object with these methods is a curve; it need not subclass anything here. The families below
(:data:`FAMILIES`) also give ``through(recall, specificity)``: the member passing through an
observed point. Shape parameters are arrays and broadcast with the arguments, so one curve object
can stand for a whole grid of curves.

Every family but one is concave. The binormal with unequal variances (``Binormal(d, s)`` with
``s != 1``) is not: its steepness ``-dz/dx`` falls and rises again along the curve, so a slope
can be taken at two points, and :meth:`Binormal.point_at_slope` returns the one the ``"bayes"``
rule picks, the global maximum of its linear objective over the curve (a corner, where the
curve's hook leaves no interior point as good).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar, NamedTuple, Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from params.validation import UNIT_OPEN, Interval, ParameterError, check_array, check_option
from theory._solve import bisect_increasing

__all__ = [
    "FAMILIES",
    "AsymmetricSuperellipse",
    "Binormal",
    "Curve",
    "GivesComplements",
    "Rates",
    "Superellipse",
    "as_curve",
    "check_point",
    "curve_through",
]

Array = NDArray[np.float64]

#: Logit range searched when a family has no closed-form inverse; exp(-60) ~ 1e-26.
_LOGIT_BOUND = 60.0
#: Threshold range (in standard deviations of the wider score distribution) searched for the
#: binormal.
_THRESHOLD_BOUND = 40.0
#: Bisection steps that bring a binormal threshold within about 0.02 of its root (at ``s = 1``;
#: one more per factor of two that ``s`` or ``1/s`` adds) ...
_COARSE_STEPS = 12
#: ... and Newton steps that then polish it to machine precision.
_NEWTON_STEPS = 4
#: Rounding allowed below its lower bound (1 for an exponent, 0 for ``d``) in a solved shape
#: parameter, so that a point on the chance line fits.
_FIT_ROUNDING = 1e-9

#: Shape exponents allowed: beyond about 1e16 ``x**p`` underflows and the curve degenerates.
MAX_EXPONENT = 1e6
_SHAPE = Interval(1.0, MAX_EXPONENT, "both")
_SEPARATION = Interval(0.0, np.inf, "left")
_SPREAD = Interval(0.0, np.inf)
#: numpy dtype kinds read as numbers ``p`` where a curve is expected: bool, int, uint, float.
_NUMERIC_KINDS = "biuf"


def _inverse_mills(u: Array) -> Array:
    """``phi(u) / Phi(u)``, stable for very negative ``u``."""
    return np.exp(-0.5 * u**2 - 0.5 * np.log(2 * np.pi) - special.log_ndtr(u))


def _logit_parts(s: Array) -> tuple[Array, Array]:
    """``log(u)`` and ``log(1 - u)`` for ``u = expit(s)``, stable at both ends."""
    return -np.logaddexp(0.0, -s), -np.logaddexp(0.0, s)


@runtime_checkable
class Curve(Protocol):
    """What the theory needs of a tradeoff curve ``z(x)``, decreasing from ``z(0) = 1``.

    Every method takes an array and returns one of the shape it broadcasts to with the curve's own
    parameters (the two inverses return two such arrays). A new family implements these five
    methods (closed forms or numerical inverses) and is then accepted wherever a curve is, without
    subclassing anything.
    """

    def specificity(self, x: ArrayLike, /) -> Array:
        """Specificity ``z`` at recall ``x`` in [0, 1]."""
        ...

    def slope(self, x: ArrayLike, /) -> Array:
        """``dz/dx`` at recall ``x``: negative, since specificity falls as recall rises."""
        ...

    def elasticity(self, x: ArrayLike, /) -> Array:
        """``x * (-dz/dx) / z`` at recall ``x``: the quantity the ``"bce"`` rule sets."""
        ...

    def point_at_slope(self, m: ArrayLike, /) -> tuple[Array, Array]:
        """Recall and specificity where ``-dz/dx`` equals ``m > 0``: the ``"bayes"`` rule's point.

        Where no point of the curve has that slope, the end of the curve the rule favours (recall
        1 for a slope steeper than any on the curve, 0 for a flatter one).
        """
        ...

    def point_at_elasticity(self, e: ArrayLike, /) -> tuple[Array, Array]:
        """Recall and specificity where the elasticity equals ``e > 0``: the ``"bce"`` rule's
        point."""
        ...


class Rates(NamedTuple):
    """A point of a curve and its complements, each computed without rounding the others.

    ``x`` and ``z`` are recall and specificity; ``fnr = 1 - x`` and ``fpr = 1 - z`` the
    false-negative and false-positive rates, resolved even where their partner rounds to 1.
    """

    x: Array
    z: Array
    fnr: Array
    fpr: Array

    @classmethod
    def by_subtraction(cls, x: ArrayLike, z: ArrayLike) -> Rates:
        """The rates of the point ``(x, z)`` with the complements formed as ``1 - x``, ``1 - z``:
        all a curve without :class:`GivesComplements` offers."""
        x, z = np.asarray(x, np.float64), np.asarray(z, np.float64)
        return cls(x, z, 1.0 - x, 1.0 - z)


@runtime_checkable
class GivesComplements(Protocol):
    """A curve whose inverses also give the complements ``1 - x`` and ``1 - z``, each from the
    family's own parameter (every built-in family is one).

    :mod:`theory.rules` uses these where a curve has them and forms ``1 - x`` and ``1 - z``
    otherwise.
    """

    def rates_at_slope(self, m: ArrayLike, /) -> Rates:
        """The rates of ``point_at_slope(m)``."""
        ...

    def rates_at_elasticity(self, e: ArrayLike, /) -> Rates:
        """The rates of ``point_at_elasticity(e)``."""
        ...

    def false_positive_rate(self, x: ArrayLike, /) -> Array:
        """``1 - z`` at recall ``x``, computed without forming ``z``."""
        ...


class _RecallAt:
    """The point and the recall alone of a curve's inverses, from its ``rates_at_*`` methods,
    for the built-in families."""

    def point_at_slope(self, m: ArrayLike) -> tuple[Array, Array]:
        """Recall and specificity where ``-dz/dx`` equals ``m`` (see ``rates_at_slope``)."""
        x, z, _, _ = self.rates_at_slope(m)
        return x, z

    def point_at_elasticity(self, e: ArrayLike) -> tuple[Array, Array]:
        """Recall and specificity where the elasticity equals ``e`` (see
        ``rates_at_elasticity``)."""
        x, z, _, _ = self.rates_at_elasticity(e)
        return x, z

    def x_at_slope(self, m: ArrayLike) -> Array:
        """Recall where ``-dz/dx`` equals ``m`` (see ``point_at_slope``)."""
        return self.rates_at_slope(m).x

    def x_at_elasticity(self, e: ArrayLike) -> Array:
        """Recall where the elasticity equals ``e`` (see ``point_at_elasticity``)."""
        return self.rates_at_elasticity(e).x


def _complement_of_power(log_u: Array) -> Array:
    """``1 - exp(log_u)`` without cancellation, for ``log_u <= 0``."""
    return -np.expm1(log_u)


def _corner(right: Array) -> Rates:
    """The corner (1, 0) where ``right``, else (0, 1)."""
    x = np.where(right, 1.0, 0.0)
    return Rates(x, 1.0 - x, 1.0 - x, x)


def _chance_point(m: Array) -> Rates:
    """The chance line's point for slope ``m`` (its slope is 1 everywhere): the corner the rule
    favours, (1, 0) for ``m > 1`` and (0, 1) for ``m < 1``, and the middle for ``m = 1``."""
    x = np.where(m > 1.0, 1.0, np.where(m < 1.0, 0.0, 0.5))
    return Rates.by_subtraction(x, 1.0 - x)


class _PowerCurve(_RecallAt):
    """The curve ``x**p + z**q = 1``, i.e. ``z = (1 - x**p)**(1/q)``: the math its families share.

    Subclasses hold the shape parameters ``p`` and ``q`` (arrays, each at least 1) and add
    ``through`` and ``x_at_slope``, which differ between the symmetric and the general family.
    """

    p: Array
    q: Array

    def specificity(self, x: ArrayLike) -> Array:
        """``z = (1 - x**p)**(1/q)``."""
        return (1.0 - np.asarray(x, np.float64) ** self.p) ** (1.0 / self.q)

    def slope(self, x: ArrayLike) -> Array:
        """``dz/dx = -(p/q) x**(p-1) (1 - x**p)**(1/q - 1)``."""
        x = np.asarray(x, np.float64)
        with np.errstate(divide="ignore"):
            return -(self.p / self.q) * x ** (self.p - 1) * (1.0 - x**self.p) ** (1 / self.q - 1)

    def elasticity(self, x: ArrayLike) -> Array:
        """``x (-dz/dx) / z = (p/q) x**p / (1 - x**p)``."""
        u = np.asarray(x, np.float64) ** self.p
        with np.errstate(divide="ignore"):
            return (self.p / self.q) * u / (1.0 - u)

    def false_positive_rate(self, x: ArrayLike) -> Array:
        """``1 - z = 1 - (1 - x**p)**(1/q)``, without forming ``z``."""
        return _complement_of_power(np.log1p(-(np.asarray(x, np.float64) ** self.p)) / self.q)

    def rates_at_elasticity(self, e: ArrayLike) -> Rates:
        """The point where the elasticity equals ``e`` (closed form), with its complements.

        With ``r = e q / p`` it has ``log(x) = -log1p(1/r) / p`` and ``log(z) = -log1p(r) / q``;
        each rate is ``exp`` of its log and each complement ``-expm1`` of it.
        """
        r = np.asarray(e, np.float64) * self.q / self.p
        with np.errstate(divide="ignore", over="ignore"):  # r = 0 or subnormal: x = 0
            log_x = -np.log1p(1.0 / r) / self.p
        log_z = -np.log1p(r) / self.q
        return Rates(
            np.exp(log_x), np.exp(log_z), _complement_of_power(log_x), _complement_of_power(log_z)
        )


@dataclass(frozen=True, eq=False)
class AsymmetricSuperellipse(_PowerCurve):
    """The curve ``x**p + z**q = 1``, i.e. ``z = (1 - x**p)**(1/q)``, with ``p, q >= 1``.

    ``p = q`` gives the post's symmetric superellipse; ``p = q = 1`` the chance line. A larger
    ``p`` keeps specificity high as recall rises; a larger ``q`` keeps recall high as
    specificity rises.

    Parameters
    ----------
    p, q : array_like
        Shape parameters, each at least 1; they broadcast.
    """

    family: ClassVar[str] = "asymmetric"

    p: Array
    q: Array

    def __post_init__(self) -> None:
        owner = type(self).__name__
        object.__setattr__(self, "p", check_array(self.p, "p", owner, _SHAPE))
        object.__setattr__(self, "q", check_array(self.q, "q", owner, _SHAPE))

    def rates_at_slope(self, m: ArrayLike) -> Rates:
        """The point where ``-dz/dx`` equals ``m``, with its complements.

        Solved by bisection on ``s = logit(x**p)``; then ``x**p = expit(s)`` and
        ``z**q = expit(-s)``. Where the slope cannot reach ``m`` (the chance line, or a corner of
        the curve) the result is the end of the curve that the rule favours.
        """
        log_m = np.log(np.asarray(m, np.float64))
        log_ratio = np.log(self.p / self.q)

        def log_steepness_minus_target(s: Array) -> Array:
            log_u, log_1mu = _logit_parts(s)
            return log_ratio + (self.p - 1) / self.p * log_u + (1 / self.q - 1) * log_1mu - log_m

        s = bisect_increasing(log_steepness_minus_target, -_LOGIT_BOUND, _LOGIT_BOUND)
        log_u, log_1mu = _logit_parts(s)
        return Rates(
            special.expit(s) ** (1.0 / self.p),
            special.expit(-s) ** (1.0 / self.q),
            _complement_of_power(log_u / self.p),
            _complement_of_power(log_1mu / self.q),
        )

    @classmethod
    def through(
        cls,
        recall: ArrayLike,
        specificity: ArrayLike,
        *,
        p: ArrayLike | None = None,
        q: ArrayLike = 1.0,
    ) -> AsymmetricSuperellipse:
        """The member through ``(recall, specificity)`` with one shape parameter fixed.

        Give ``p`` to fix it and solve for ``q``; otherwise ``q`` (default 1) is fixed and ``p``
        solved.

        Raises
        ------
        ValueError
            For rates outside (0, 1), or if the solved parameter falls below 1.
        """
        owner = f"{cls.__name__}.through"
        x, z = check_point(recall, specificity, owner, above_chance=False)
        if p is not None:
            p = np.asarray(p, np.float64)
            solved_q = np.log1p(-(x**p)) / np.log(z)
            return cls(p=p, q=_check_fitted(solved_q, "q", x, z, owner))
        q = np.asarray(q, np.float64)
        solved_p = np.log1p(-(z**q)) / np.log(x)
        return cls(p=_check_fitted(solved_p, "p", x, z, owner), q=q)


@dataclass(frozen=True, eq=False)
class Superellipse(_PowerCurve):
    """The post's family ``x**p + z**p = 1`` with ``p >= 1``; ``p = 1`` is the chance line.

    Parameters
    ----------
    p : array_like
        Shape parameter, at least 1. Larger is a better classifier. (``q`` mirrors it, so that
        the symmetric curve reads like an :class:`AsymmetricSuperellipse` with ``q = p``.)
    """

    family: ClassVar[str] = "superellipse"

    p: Array
    q: Array = field(init=False, repr=False)

    def __post_init__(self) -> None:
        owner = type(self).__name__
        p = check_array(self.p, "p", owner, _SHAPE)
        object.__setattr__(self, "p", p)
        object.__setattr__(self, "q", p)

    def rates_at_slope(self, m: ArrayLike) -> Rates:
        """The point where ``-dz/dx = (x/z)**(p-1)`` equals ``m`` (closed form), with its
        complements.

        With ``k = m**(1/(p-1))`` the point is ``x = (k**p / (1 + k**p))**(1/p)``,
        ``z = (1 / (1 + k**p))**(1/p)``, and each complement ``1 - exp(log(.))`` is formed by
        ``expm1``. On the chance line (``p = 1``) the slope is 1 everywhere: the point is the
        corner the rule favours (:func:`_chance_point`).
        """
        m = np.asarray(m, np.float64)
        p = self.p
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            log_k_p = np.log(m) * p / (p - 1.0)
            log_x = -np.logaddexp(0.0, -log_k_p) / p
            log_z = -np.logaddexp(0.0, log_k_p) / p
        rates = Rates(
            np.exp(log_x), np.exp(log_z), _complement_of_power(log_x), _complement_of_power(log_z)
        )
        chance = _chance_point(m)
        return Rates(*(np.where(p == 1.0, c, r) for c, r in zip(chance, rates, strict=True)))

    @classmethod
    def through(cls, recall: ArrayLike, specificity: ArrayLike) -> Superellipse:
        """The member through ``(recall, specificity)``: the ``p`` solving ``x**p + z**p = 1``.

        Raises
        ------
        ValueError
            For rates outside (0, 1) or below the chance line.
        """
        x, z = check_point(recall, specificity, f"{cls.__name__}.through")
        largest = np.maximum(x, z)
        # x**p + z**p falls with p; it is <= 1 once largest**p <= 1/2.
        log_high = np.log(np.maximum(np.log(0.5) / np.log(largest), 1.0))

        def excess(log_p: Array) -> Array:
            p = np.exp(log_p)
            return 1.0 - (x**p + z**p)

        return cls(p=np.maximum(np.exp(bisect_increasing(excess, 0.0, log_high)), 1.0))


@dataclass(frozen=True, eq=False)
class Binormal(_RecallAt):
    """Binormal curve of signal detection theory.

    Negatives score ``N(0, 1)``, positives ``N(d, s**2)``; a threshold ``t`` gives recall
    ``x = Phi((d - t) / s)`` and specificity ``z = Phi(t)``. ``d = 0``, ``s = 1`` is the chance
    line.

    With equal variances (``s = 1``, the default) the curve is concave. With ``s != 1`` it is
    not (an "improper" ROC): the log steepness
    ``log(-dz/dx) = log(s) + ((d - t)**2 / s**2 - t**2) / 2`` is a quadratic in ``t``, extreme
    at ``t = d / (1 - s**2)``. For ``s < 1`` the steepness falls and rises again towards the
    corner (0, 1), where the curve dips below the chance line; for ``s > 1`` it does so towards
    (1, 0). A slope is then taken at up to two points (:meth:`stationary_thresholds`), and
    :meth:`point_at_slope` gives the ``"bayes"`` rule's point, the global maximum of
    ``m*x + z``: the stationary point that is a local maximum, or the corner where that is
    higher. The ``"bce"`` rule's objective ``m*log(x) + log(z)`` stays strictly concave in
    ``t`` (a sum of log-concave ``Phi`` of affine functions), so its point is unique.

    Parameters
    ----------
    d : array_like
        Separation of the two score distributions' means, at least 0.
    s : array_like, default 1
        Spread of the positives' scores over the negatives', > 0; it broadcasts with ``d``.
    """

    family: ClassVar[str] = "binormal"

    d: Array
    s: Array = 1.0

    def __post_init__(self) -> None:
        owner = type(self).__name__
        object.__setattr__(self, "d", check_array(self.d, "d", owner, _SEPARATION))
        object.__setattr__(self, "s", check_array(self.s, "s", owner, _SPREAD))

    def threshold(self, x: ArrayLike) -> Array:
        """The threshold ``t = d - s * Phi^-1(x)`` at which recall is ``x``."""
        return self.d - self.s * special.ndtri(np.asarray(x, np.float64))

    def specificity(self, x: ArrayLike) -> Array:
        """``z = Phi(t)`` at the threshold ``t`` of recall ``x``."""
        return special.ndtr(self.threshold(x))

    def false_positive_rate(self, x: ArrayLike) -> Array:
        """``1 - z = Phi(-t)`` at the threshold ``t`` of recall ``x``."""
        return special.ndtr(-self.threshold(x))

    def slope(self, x: ArrayLike) -> Array:
        """``dz/dx = -s phi(t) / phi((d - t) / s)``; ``-exp(d**2/2 - d t)`` at ``s = 1``."""
        return -np.exp(self._log_steepness(self.threshold(x)))

    def elasticity(self, x: ArrayLike) -> Array:
        """``x (-dz/dx) / z``."""
        return np.exp(self._log_elasticity(self.threshold(x)))

    def stationary_thresholds(self, m: ArrayLike) -> tuple[Array, Array]:
        """The thresholds where ``-dz/dx = m``: the local maximum of ``m*x + z`` and its local
        minimum.

        Setting the log steepness to ``log(m)`` gives the quadratic
        ``(1 - s**2) t**2 - 2 d t + d**2 + 2 s**2 log(s/m) = 0``
        (:func:`theory.symbolic.binormal_slope_thresholds`). With
        ``D = d**2 - 2 (1 - s**2) log(s/m)`` its roots are
        ``t_max = (d**2 + 2 s**2 log(s/m)) / (d + s sqrt(D))``, written so that it tends to the
        equal-variance root ``d/2 - log(m)/d`` as ``s -> 1`` without cancelling, and
        ``t_min = (d + s sqrt(D)) / (1 - s**2)``, which runs off to infinity there.

        Returns
        -------
        t_max, t_min : ndarray
            NaN where no point has the slope ``m`` (``D < 0``), and ``t_min`` NaN at ``s = 1``,
            where the steepness is monotone; both NaN on the chance line (``d = 0``, ``s = 1``).
        """
        m = np.asarray(m, np.float64)
        d, s = self.d, self.s

        def equal() -> Array:  # one root, and no local minimum
            return np.stack(np.broadcast_arrays(d / 2.0 - np.log(m) / d, np.nan))

        def unequal() -> Array:
            log_ratio = np.log(s) - np.log(m)
            gap = 1.0 - s**2
            root = s * np.sqrt(d**2 - 2.0 * gap * log_ratio)
            t_max = (d**2 + 2.0 * s**2 * log_ratio) / (d + root)
            return np.stack(np.broadcast_arrays(t_max, (d + root) / gap))

        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            t_max, t_min = self._by_spread(equal, unequal)
        chance = (d == 0.0) & (s == 1.0)
        if np.any(chance):
            t_max, t_min = np.where(chance, np.nan, t_max), np.where(chance, np.nan, t_min)
        return t_max, t_min

    def rates_at_slope(self, m: ArrayLike) -> Rates:
        """The ``"bayes"`` rule's point for ``m``, the global maximum of ``m*x + z`` on the
        curve, with its complements.

        At ``s = 1`` it is where ``-dz/dx = m``, at the threshold ``t = d/2 - ln(m)/d``
        (closed form). At ``s != 1`` it is the local maximum ``t_max`` of
        :meth:`stationary_thresholds` where that beats both corners (``m*x - (1 - z) >= 0``
        against (0, 1), ``z - m*(1 - x) >= 0`` against (1, 0), each formed from the rates and
        their complements), and otherwise the better corner, (1, 0) for ``m > 1``. All four
        rates come from the threshold. On the chance line (``d = 0``, ``s = 1``) the point is
        the corner the rule favours (:func:`_chance_point`).
        """
        m = np.asarray(m, np.float64)
        at_one, everywhere, _ = self._at_one
        t_max, _ = self.stationary_thresholds(m)
        rates = self.rates_at_threshold(t_max)
        if not everywhere:
            with np.errstate(invalid="ignore"):
                beats_corners = (m * rates.x - rates.fpr >= 0.0) & (rates.z - m * rates.fnr >= 0.0)
            interior = at_one | (np.isfinite(t_max) & beats_corners)
            corner = _corner(m > 1.0)
            rates = Rates(*(np.where(interior, i, k) for i, k in zip(rates, corner, strict=True)))
        chance = (self.d == 0.0) & at_one
        if np.any(chance):
            rates = Rates(
                *(np.where(chance, c, r) for c, r in zip(_chance_point(m), rates, strict=True))
            )
        return rates

    def rates_at_elasticity(self, e: ArrayLike) -> Rates:
        """The point where the elasticity equals ``e``, with its complements.

        A coarse bisection on the threshold, then Newton steps on the log elasticity (which falls
        strictly with the threshold, for every ``s``) polish the root to machine precision; the
        four rates come from that threshold.
        """
        with np.errstate(divide="ignore"):
            log_e = np.log(np.asarray(e, np.float64))

        def falling_excess(t: Array) -> Array:
            return log_e - self._log_elasticity(t)

        wider = np.maximum(self.s, 1.0)
        finer = int(np.ceil(np.log2(np.max(np.maximum(self.s, 1.0 / self.s)))))
        t = bisect_increasing(
            falling_excess,
            -_THRESHOLD_BOUND * wider,
            self.d + _THRESHOLD_BOUND * wider,
            steps=_COARSE_STEPS + finer,
        )
        for _ in range(_NEWTON_STEPS):
            with np.errstate(invalid="ignore", over="ignore"):
                step = (self._log_elasticity(t) - log_e) / self._log_elasticity_slope(t)
            t = np.where(np.isfinite(step), t - step, t)
        return self.rates_at_threshold(t)

    def rates_at_threshold(self, t: ArrayLike) -> Rates:
        """Recall ``Phi(u)``, specificity ``Phi(t)`` and their complements ``Phi(-u)``,
        ``Phi(-t)`` at threshold ``t``, with ``u = (d - t) / s``."""
        t = np.asarray(t, np.float64)
        u = (self.d - t) / self.s
        return Rates(special.ndtr(u), special.ndtr(t), special.ndtr(-u), special.ndtr(-t))

    def _log_steepness(self, t: Array) -> Array:
        """``log(-dz/dx)`` at threshold ``t``: ``d**2/2 - d t`` at ``s = 1``, else
        ``log(s) + (d - (1+s) t) (d - (1-s) t) / (2 s**2)``, factored so that infinite
        thresholds give infinite steepness, not NaN."""
        d, s = self.d, self.s

        def unequal() -> Array:
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.log(s) + (d - (1.0 + s) * t) * (d - (1.0 - s) * t) / (2.0 * s**2)

        def equal() -> Array:
            with np.errstate(invalid="ignore"):
                steepness = d**2 / 2.0 - d * t
            if not self._some_d_zero:
                return steepness
            return np.where(d == 0.0, 0.0, steepness)  # the chance line, infinite t included

        return self._by_spread(equal, unequal)

    def _log_elasticity(self, t: Array) -> Array:
        u = (self.d - t) / self.s
        return special.log_ndtr(u) - special.log_ndtr(t) + self._log_steepness(t)

    def _log_elasticity_slope(self, t: Array) -> Array:
        """Derivative of :meth:`_log_elasticity` in ``t``: ``-(t + M(t)) - (u + M(u)) / s``
        with ``u = (d - t) / s`` and ``M`` the inverse Mills ratio, each bracket positive; at
        ``s = 1`` ``-M(d - t) - M(t) - d``."""
        d, s = self.d, self.s

        def unequal() -> Array:
            u = (d - t) / s
            return -(t + _inverse_mills(t)) - (u + _inverse_mills(u)) / s

        return self._by_spread(lambda: -_inverse_mills(d - t) - _inverse_mills(t) - d, unequal)

    def _by_spread(self, equal: Callable[[], Array], unequal: Callable[[], Array]) -> Array:
        """``equal()`` where ``s = 1`` and ``unequal()`` elsewhere, each computed only if some
        element needs it (the equal-variance curve keeps its own, cheaper formulas)."""
        at_one, everywhere, somewhere = self._at_one
        if everywhere:
            value = equal()
            if at_one.ndim == 0 and isinstance(value, np.ndarray):
                return value  # nothing to broadcast it with
            return np.broadcast_to(value, np.broadcast_shapes(np.shape(value), at_one.shape))
        if not somewhere:
            return unequal()
        return np.where(at_one, equal(), unequal())

    @functools.cached_property
    def _some_d_zero(self) -> bool:
        """Whether ``d = 0`` anywhere (the chance line, at ``s = 1``): found once per curve."""
        return bool(np.any(self.d == 0.0))

    @functools.cached_property
    def _at_one(self) -> tuple[NDArray[np.bool_], bool, bool]:
        """Where ``s = 1``, and whether everywhere and somewhere: found once per curve, since
        the root finders ask at every step."""
        at_one = self.s == 1.0
        return at_one, bool(at_one.all()), bool(at_one.any())

    @classmethod
    def through(cls, recall: ArrayLike, specificity: ArrayLike, *, s: ArrayLike = 1.0) -> Binormal:
        """The member with spread ``s`` through ``(recall, specificity)``:
        ``d = s Phi^-1(x) + Phi^-1(z)``.

        Raises
        ------
        ValueError
            For rates outside (0, 1) or below the chance line, or (``s != 1``) a point that
            would need ``d < 0``.
        """
        owner = f"{cls.__name__}.through"
        x, z = check_point(recall, specificity, owner)
        s = check_array(s, "s", owner, _SPREAD)
        d, x, z, s = np.broadcast_arrays(s * special.ndtri(x) + special.ndtri(z), x, z, s)
        # Rounding may put a point on the chance line a hair below d = 0.
        below = d < -_FIT_ROUNDING
        if np.any(below):
            i = np.flatnonzero(below)[0]
            raise ValueError(
                f"{owner} found no binormal with s={s.flat[i]:g} and d >= 0 through "
                f"recall={x.flat[i]:g} and specificity={z.flat[i]:g}: it would need "
                f"d={d.flat[i]:.4g}."
            )
        return cls(d=np.maximum(d, 0.0), s=s)


#: Family name -> class; every class has ``through(recall, specificity)``.
FAMILIES: dict[str, type[Superellipse | AsymmetricSuperellipse | Binormal]] = {
    Superellipse.family: Superellipse,
    AsymmetricSuperellipse.family: AsymmetricSuperellipse,
    Binormal.family: Binormal,
}


def as_curve(curve: Curve | ArrayLike, owner: str) -> Curve:
    """``curve`` itself if it is a :class:`Curve`; numbers ``p`` as a :class:`Superellipse`.

    Raises
    ------
    ValueError
        For anything else (a string, an object lacking a method of :class:`Curve`) or a number
        below 1, naming ``owner``.
    """
    if isinstance(curve, Curve):
        return curve
    try:
        numeric = np.asarray(curve).dtype.kind in _NUMERIC_KINDS
    except (TypeError, ValueError):  # a ragged sequence, say
        numeric = False
    if not numeric:
        raise ParameterError(
            "curve",
            owner,
            "a curve (an object with the methods of theory.Curve) or a number p >= 1 "
            "(the post's superellipse)",
            curve,
        )
    return Superellipse(p=check_array(curve, "p", owner, _SHAPE))


def curve_through(
    family: str | Callable[[Array, Array], Curve],
    recall: Array,
    specificity: Array,
    owner: str,
) -> Curve:
    """The member of ``family`` through the point ``(recall, specificity)``.

    Parameters
    ----------
    family : str or callable
        A name of :data:`FAMILIES`, or a callable ``(recall, specificity) -> curve``.
    recall, specificity : ndarray
        The observed point, as :func:`check_point` returns it.
    owner : str
        The function whose ``family`` argument this is, named in the error message.

    Raises
    ------
    ValueError
        For an unknown family name, or a point the family cannot represent (its member through
        the point would need a shape parameter out of range); the message names the point.
    """
    if callable(family):
        return family(recall, specificity)
    cls = FAMILIES[check_option(family, "family", owner, FAMILIES)]
    try:
        return cls.through(recall, specificity)
    except ParameterError as error:
        point = (
            f"recall={recall.flat[0]:.10g} and specificity={specificity.flat[0]:.10g}"
            if recall.size == 1
            else "one of the points"
        )
        raise ValueError(
            f"The 'recall' and 'specificity' parameters of {owner} must be a point the {family} "
            f"family can represent. Got {point} instead: its member through it would have "
            f"{error.name}={error.got:.4g}, and {error.name} must be {error.allowed}."
        ) from None


def check_point(
    recall: ArrayLike, specificity: ArrayLike, owner: str, *, above_chance: bool = True
) -> tuple[Array, Array]:
    """An observed point ``(recall, specificity)``, checked for ``owner`` and broadcast.

    Both rates must lie in (0, 1) and, with ``above_chance``, on or above the chance line
    ``recall + specificity = 1``, as a point of a curve through it must.

    Raises
    ------
    ValueError
        Naming ``owner`` and the first offending value.
    """
    x = check_array(recall, "recall", owner, UNIT_OPEN)
    z = check_array(specificity, "specificity", owner, UNIT_OPEN)
    x, z = np.broadcast_arrays(x, z)
    below = x + z < 1.0
    if above_chance and np.any(below):
        i = np.flatnonzero(below.ravel())[0]
        raise ValueError(
            f"The 'recall' and 'specificity' parameters of {owner} must lie on or above the "
            "chance line (recall + specificity >= 1) for a curve to pass through them. Got "
            f"recall={x.ravel()[i]:g} and specificity={z.ravel()[i]:g} instead."
        )
    return x, z


def _check_fitted(value: Array, name: str, x: Array, z: Array, owner: str) -> Array:
    value, x, z = np.broadcast_arrays(value, x, z)
    bad = ~(value >= 1.0 - _FIT_ROUNDING)
    if np.any(bad):
        i = np.flatnonzero(bad)[0]
        raise ValueError(
            f"{owner} found no asymmetric superellipse with {name} >= 1 through "
            f"recall={x.flat[i]:g} and specificity={z.flat[i]:g}; fix the other shape parameter "
            "differently."
        )
    return np.maximum(value, 1.0)
