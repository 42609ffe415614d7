"""How a class weight ``alpha`` picks a point on the tradeoff curve: the rules, by name.

Every rule maximises ``alpha*beta*f(x) + (1-beta)*f(z)`` over the curve for an increasing,
concave ``f`` (its :attr:`Rule.transform`). At the optimum a *stationarity quantity* of the curve,
``f'(z) * (-dz/dx) / f'(x)``, equals the weight ratio ``r = alpha * beta / (1 - beta)``:

- ``"bce"`` (the post's derivation), ``f = log``: the weighted binary cross-entropy with each
  prediction replaced by its expectation. Quantity: the elasticity ``x * (-dz/dx) / z``.
- ``"bayes"`` (decision theory), ``f(u) = u``: the point a calibrated model trained with weighted
  BCE reaches when thresholded at 1/2. Quantity: the slope ``-dz/dx``.
- ``"focal"`` (the focal loss of Lin et al., 2017), ``f(u) = (1-u)**gamma * log(u)`` with a
  parameter ``gamma >= 0``: the expected weighted focal loss. Quantity: the elasticity times
  ``h(z) / h(x)``, where ``h(u) = u f'(u) = (1-u)**gamma * (1 + gamma * w(u))`` and
  ``w(u) = -u log(u) / (1-u)``. At ``gamma = 0``, ``h = 1`` and the rule is ``"bce"``.

Along a concave curve each quantity increases with the recall, so a weight picks one point:
``-dz/dx`` grows, ``f'(z)`` grows as ``z`` falls and ``f'(x)`` falls as ``x`` rises, because
each ``f`` is concave. For the focal ``f`` that needs a line:
``-f''(u) (1-u)**(2-gamma) = t**2 + 2 gamma t - gamma (1 - gamma) log(1 + t)`` with
``t = (1-u)/u > 0`` (:func:`theory.symbolic.focal_curvature`), and ``log(1 + t) <= t`` makes it at
least ``t**2 + gamma (1 + gamma) t > 0`` for every ``gamma >= 0``.

On a curve that is not concave (the binormal with unequal variances, ``Binormal(d, s)``) the
slope ``-dz/dx`` can take a value twice: the ``"bayes"`` rule's point is then the global maximum
of its linear objective, which the curve's ``point_at_slope`` gives (a corner where the curve's
hook leaves no interior point as good). The ``"bce"`` rule's stays unique: its objective is
strictly concave in the binormal's threshold.

:data:`RULES` holds the rules without a parameter; :func:`rule_named` is the one place a name (and
``gamma``) becomes a :class:`Rule`. :mod:`theory.operating` applies a rule to a weight.

A weight reaches a rule through :func:`weight_ratio` only. For a model that moves less than its
loss says (the movement exponent ``k``) the rule sees the effective weight ``alpha**k``
(:func:`effective_weight`), and so every point, score and optimum follows; the weight that acts
as an effective one is its power ``1/k`` (:func:`weight_acting_as`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

from params.validation import Interval, ParameterError, check_array, check_option
from theory._solve import bisect_increasing
from theory.curves import Curve, GivesComplements, Rates

__all__ = [
    "DEFAULT_GAMMA",
    "RULES",
    "RULE_NAMES",
    "AppliesRules",
    "Rule",
    "effective_weight",
    "focal_rule",
    "rule_named",
    "weight_acting_as",
    "weight_ratio",
]

Array = NDArray[np.float64]

ALPHA_RANGE = Interval(0.0, np.inf)
#: Prevalences every function and command takes: (0, 1) from the smallest normal float64 on
#: (about 2.2e-308), where the inverse-proportion weight ``(1 - beta) / beta`` and the weight
#: ratio are finite; below, they overflow.
BETA_RANGE = Interval(float(np.finfo(np.float64).tiny), 1.0, "left")
GAMMA_RANGE = Interval(0.0, np.inf, "left")
#: The focal rule's ``gamma`` unless another is given (Lin et al.'s choice).
DEFAULT_GAMMA = 2.0
#: Logit range of the recall searched by the focal rule's solver; exp(-60) ~ 1e-26.
_LOGIT_BOUND = 60.0
#: Decades per unit of gamma by which the focal rule's weights can fall below the bce rule's
#: for the same point: its factor h(z)/h(x) shrinks like ((1-z)/(1-x))**gamma, and at rare
#: positives the points worth reaching have 1 - z near 1e-3 of 1 - x or more.
_FOCAL_DECADES = 4.0


@dataclass(frozen=True)
class Rule:
    """How a weight picks a point: the objective, its stationarity quantity and the inverse.

    Call :meth:`quantity_at`, :meth:`rates`, :meth:`point` and :meth:`recall_at`: they defer to
    a curve that applies rules itself (:class:`AppliesRules`, such as an exact empirical hull)
    and use ``quantity`` and ``locate`` on any other curve.

    Attributes
    ----------
    name : str
        The name :func:`rule_named` knows it by.
    objective : str
        What the rule maximises, in words.
    transform : callable
        ``f``, elementwise: the rule maximises ``alpha*beta*f(x) + (1-beta)*f(z)``.
    quantity : callable
        ``(curve, x) -> q``, the stationarity quantity at recall ``x`` of a
        :class:`~theory.curves.Curve`.
    locate : callable
        ``(curve, q) -> Rates``, the recall and specificity at which the quantity equals ``q``
        and their complements (:class:`~theory.curves.Rates`), each computed by the curve from
        its own parameter where it can (the families' ``rates_at_slope`` and
        ``rates_at_elasticity``), so that none loses its precision to another's rounding; on a
        curve without them, from its ``point_at_*`` and by subtraction.
    from_steepness : callable
        ``(m, x, z) -> q``, the quantity at a point ``(x, z)`` where ``-dz/dx = m``:
        ``m * f'(z) / f'(x)``.
    gamma : float or None
        The focal rule's parameter; None for the other rules.
    weight_scale : float
        How much smaller than the other rules' the weights this rule needs to reach a point
        can be (1 for bce and bayes); :func:`theory.optimize_alpha` searches that much lower.
    """

    name: str
    objective: str
    transform: Callable[[Array], Array]
    quantity: Callable[[Curve, Array], Array]
    locate: Callable[[Curve, Array], tuple[Array, Array]]
    from_steepness: Callable[[Array, Array, Array], Array]
    gamma: float | None = None
    weight_scale: float = 1.0

    def quantity_at(self, curve: Curve, x: ArrayLike) -> Array:
        """The stationarity quantity at recall ``x`` on ``curve``."""
        if _implements(type(curve), AppliesRules):
            return curve.rule_quantity(self, x)
        return self.quantity(curve, np.asarray(x, np.float64))

    def rates(self, curve: Curve, quantity: ArrayLike) -> Rates:
        """Recall, specificity, and their complements, where the quantity on ``curve`` equals
        ``quantity``."""
        if _implements(type(curve), AppliesRules):
            x = curve.x_at_rule(self, quantity)
            return Rates.by_subtraction(x, curve.specificity(x))
        return self.locate(curve, np.asarray(quantity, np.float64))

    def point(self, curve: Curve, quantity: ArrayLike) -> tuple[Array, Array]:
        """Recall and specificity where the quantity on ``curve`` equals ``quantity``."""
        x, z, _, _ = self.rates(curve, quantity)
        return x, z

    def recall_at(self, curve: Curve, quantity: ArrayLike) -> Array:
        """The recall at which the quantity on ``curve`` equals ``quantity``."""
        return self.point(curve, quantity)[0]


@runtime_checkable
class AppliesRules(Protocol):
    """A curve that applies a rule itself instead of through ``quantity`` and ``locate``.

    An exact hull is one: a rule can only pick one of its vertices
    (:class:`theory.empirical.EmpiricalCurve`).
    """

    def rule_quantity(self, rule: Rule, x: ArrayLike, /) -> Array:
        """``rule``'s quantity at recall ``x``, one that ``x_at_rule`` maps back to ``x``."""
        ...

    def x_at_rule(self, rule: Rule, quantity: ArrayLike, /) -> Array:
        """The recall ``rule`` picks where its quantity is ``quantity``."""
        ...


@functools.cache
def _implements(kind: type, protocol: type) -> bool:
    """Whether the class ``kind`` has the methods of the runtime ``protocol``: the protocol's
    ``isinstance`` check (some 25 us a call), made once per class. A curve's methods are its
    class's (as every family defines them); methods set on an instance alone are not seen."""
    return issubclass(kind, protocol)


def _locate_elasticity(curve: Curve, q: Array) -> Rates:
    """The bce rule's point: where the elasticity is ``q``."""
    if _implements(type(curve), GivesComplements):
        return curve.rates_at_elasticity(q)
    return Rates.by_subtraction(*curve.point_at_elasticity(q))


def _locate_slope(curve: Curve, q: Array) -> Rates:
    """The bayes rule's point: where ``-dz/dx`` is ``q`` (on a curve that is not concave, the
    point the curve's ``point_at_slope`` picks, the global maximum of ``q*x + z``)."""
    if _implements(type(curve), GivesComplements):
        return curve.rates_at_slope(q)
    return Rates.by_subtraction(*curve.point_at_slope(q))


RULES: dict[str, Rule] = {
    "bce": Rule(
        name="bce",
        objective="alpha*beta*log(x) + (1-beta)*log(z)  (expected weighted BCE)",
        transform=np.log,
        quantity=lambda curve, x: curve.elasticity(x),
        locate=_locate_elasticity,
        from_steepness=lambda m, x, z: m * x / z,
    ),
    "bayes": Rule(
        name="bayes",
        objective="alpha*beta*x + (1-beta)*z  (weighted accuracy; calibrated model at 1/2)",
        transform=lambda u: u,
        quantity=lambda curve, x: -curve.slope(x),
        locate=_locate_slope,
        from_steepness=lambda m, x, z: m,
    ),
}

#: Every name ``rule=`` accepts: the rules of :data:`RULES`, and ``"focal"``, which takes
#: ``gamma`` (see :func:`focal_rule`).
RULE_NAMES: tuple[str, ...] = (*RULES, "focal")


def rule_named(rule: str, owner: str, *, gamma: ArrayLike | None = None) -> Rule:
    """The rule called ``rule``, built for ``gamma`` if it is ``"focal"``.

    Parameters
    ----------
    rule : str
        One of :data:`RULE_NAMES`.
    owner : str
        The function whose arguments these are, named in an error message.
    gamma : float, optional
        The focal rule's parameter, a single number >= 0; default :data:`DEFAULT_GAMMA`. Only
        with ``rule="focal"``: the other rules have no parameter, and one given to them would be
        ignored silently.

    Raises
    ------
    ValueError
        For an unknown rule, a ``gamma`` outside [0, inf) or not a single number, or a ``gamma``
        given with another rule than ``"focal"``.
    """
    name = check_option(rule, "rule", owner, RULE_NAMES)
    if name != "focal":
        if gamma is not None:
            raise ParameterError("gamma", owner, "None unless rule is 'focal'", gamma)
        return RULES[name]
    if gamma is None:
        return focal_rule(DEFAULT_GAMMA)
    value = check_array(gamma, "gamma", owner, GAMMA_RANGE)
    if value.ndim:
        raise ParameterError("gamma", owner, f"a single float in the range {GAMMA_RANGE}", gamma)
    return focal_rule(float(value))


@functools.cache
def focal_rule(gamma: float) -> Rule:
    """The focal rule with parameter ``gamma >= 0`` (not validated; see :func:`rule_named`).

    It maximises ``alpha*beta*phi(x) + (1-beta)*phi(z)`` with ``phi(u) = (1-u)**gamma * log(u)``.
    Its quantity is the curve's elasticity times ``h(z) / h(x)`` (see the module's notes), which
    increases with the recall on a concave curve; ``locate`` finds where it takes a value by
    bisection on ``logit(x)``. At ``gamma = 0`` the factor is exactly 1, and the quantity is the
    ``"bce"`` rule's.
    """

    def transform(u: Array) -> Array:
        with np.errstate(divide="ignore"):
            return (1.0 - u) ** gamma * np.log(u)

    def log_h(u: Array) -> Array:
        """``log(u * phi'(u)) = gamma * log(1-u) + log(1 + gamma * w(u))``; 0 at gamma = 0.

        Callers silence the 0/0 of ``w`` at ``u = 1``, where ``w`` is 1.
        """
        w = np.where(u < 1.0, -special.xlogy(u, u) / (1.0 - u), 1.0)
        return special.xlog1py(gamma, -u) + np.log1p(gamma * w)

    def quantity(curve: Curve, x: Array) -> Array:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return curve.elasticity(x) * np.exp(log_h(curve.specificity(x)) - log_h(x))

    def locate(curve: Curve, q: Array) -> Rates:
        def log_excess(s: Array) -> Array:
            x = special.expit(s)
            return np.log(curve.elasticity(x)) + log_h(curve.specificity(x)) - log_h(x) - log_q

        with np.errstate(divide="ignore", invalid="ignore"):
            log_q = np.log(q)
            s = bisect_increasing(log_excess, -_LOGIT_BOUND, _LOGIT_BOUND)
        x = special.expit(s)
        z = curve.specificity(x)
        complements = _implements(type(curve), GivesComplements)
        fpr = curve.false_positive_rate(x) if complements else 1.0 - z
        return Rates(x, z, special.expit(-s), fpr)

    def from_steepness(m: Array, x: Array, z: Array) -> Array:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return m * x / z * np.exp(log_h(z) - log_h(x))

    return Rule(
        name="focal",
        objective=f"alpha*beta*(1-x)**{gamma:g}*log(x) + (1-beta)*(1-z)**{gamma:g}*log(z)  "
        "(expected weighted focal loss)",
        transform=transform,
        quantity=quantity,
        locate=locate,
        from_steepness=from_steepness,
        gamma=gamma,
        weight_scale=10.0 ** (-_FOCAL_DECADES * gamma),
    )


def weight_ratio(alpha: ArrayLike, beta: ArrayLike, *, movement: ArrayLike = 1.0) -> Array:
    """``alpha * beta / (1 - beta)``: the positives' total weight over the negatives'.

    With ``movement=k`` (not validated), the ratio of the effective weight ``alpha**k``
    (:func:`effective_weight`): the one place a weight reaches a rule.
    """
    alpha, beta = effective_weight(alpha, movement), np.asarray(beta, np.float64)
    return alpha * beta / (1.0 - beta)


def effective_weight(alpha: ArrayLike, movement: ArrayLike = 1.0) -> Array:
    """``alpha**k``: the weight a model that moves as if weighted ``alpha**k`` acts on.

    A model that can already fit its training rows moves less than its loss says: retrained at
    ``alpha`` it behaves as the theory's model at ``alpha**k``, with the movement exponent
    ``k > 0`` (1, the theory's assumption; see :func:`theory.fit_movement`). Where ``k == 1`` the
    weight is returned as it is, bit for bit. Not validated.
    """
    alpha, movement = np.asarray(alpha, np.float64), np.asarray(movement, np.float64)
    if not np.any(movement != 1.0):
        return alpha
    with np.errstate(over="ignore", under="ignore"):
        return np.where(movement == 1.0, alpha, alpha**movement)


def weight_acting_as(effective: ArrayLike, movement: ArrayLike = 1.0) -> Array:
    """``effective**(1/k)``: the weight that acts as ``effective`` on a model that moves as if
    weighted ``alpha**k``; the inverse of :func:`effective_weight`, and ``effective`` itself,
    bit for bit, where ``k == 1``. Not validated."""
    effective, movement = np.asarray(effective, np.float64), np.asarray(movement, np.float64)
    if not np.any(movement != 1.0):
        return effective
    with np.errstate(over="ignore", under="ignore", divide="ignore"):
        return np.where(movement == 1.0, effective, effective ** (1.0 / movement))
