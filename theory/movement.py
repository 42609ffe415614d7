"""How far a model really moves when retrained at a new weight: the movement exponent ``k``.

The theory's model of a weight (:mod:`theory.whatif_scores`) is a calibrated model whose weight
shifts its logit by ``log(alpha)``: retrained at ``alpha`` it decides as the current model does at
the threshold ``t'`` with ``odds(t') = odds(t) * alpha_observed / alpha``. A model that can
already fit its training rows moves less, as if its weight were ``alpha**k``:
``odds(t') = odds(t) * (alpha_observed / alpha)**k``.

One retrain at a second weight measures ``k``: the retrained model, thresholded at ``t``,
predicts some share of the validation rows positive; the threshold ``t*`` on the current model's
scores that predicts the same share positive is where the retrained model sits, and
``k = log(odds(t) / odds(t*)) / log(alpha / alpha_observed)``. Matching the share predicted
positive uses every row (a retrained model that only shifts its logits predicts exactly the rows
above ``t*``), and needs no curve. :func:`equivalent_threshold` is the shift itself, the one
place it is computed.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from params.validation import (
    MAX_BOOTSTRAP,
    NON_NEGATIVE,
    POSITIVE,
    UNIT_OPEN,
    Interval,
    ParameterError,
    check_float,
    check_int,
)
from theory.empirical import check_score_values, check_scores
from theory.rules import effective_weight

__all__ = ["Movement", "equivalent_threshold", "fit_movement", "movement_at_count"]

#: Quantiles of the bootstrap's 95% interval.
_INTERVAL = (2.5, 97.5)
#: Scores are kept this far inside (0, 1) before taking their logits.
_EPS = 1e-12


class Movement(NamedTuple):
    """What :func:`fit_movement` measures."""

    k: float
    """The movement exponent: the retrained model moved as if weighted ``alpha**k``."""
    low: float
    """The lower end of the bootstrap's 95% interval of ``k`` (NaN without a bootstrap)."""
    high: float
    """The upper end of that interval."""
    threshold: float
    """``t*``: the threshold on the current scores that predicts as many rows positive as the
    retrained model does at ``threshold``."""
    positive_share: float
    """The share of the validation rows the retrained model predicts positive."""
    draws: tuple[float, ...] = ()
    """The bootstrap's values of ``k`` (empty without a bootstrap): what
    :func:`theory.what_if_scores` draws ``k`` from when given this :class:`Movement`."""


def equivalent_threshold(
    threshold: ArrayLike,
    alpha: ArrayLike,
    alpha_observed: ArrayLike = 1.0,
    movement: ArrayLike = 1.0,
) -> NDArray[np.float64]:
    """The threshold ``t'`` at which the current model decides as if retrained at ``alpha``.

    ``odds(t') = odds(t) * (alpha_observed / alpha)**k``, the bayes rule's shift of a
    calibrated model whose weight moves its logit by ``k * log(alpha)`` (see the module's
    notes). ``threshold`` itself, bit for bit, where the weight is the observed one; a weight
    beyond float64 gives 0 (or 1). Vectorised; not validated.

    Parameters
    ----------
    threshold : array_like
        The current model's threshold ``t``, in (0, 1).
    alpha : array_like
        The new weights of the positive class, > 0.
    alpha_observed : array_like, default 1.0
        The current model's weight.
    movement : array_like, default 1.0
        The movement exponent ``k`` > 0.

    Returns
    -------
    ndarray of float64
        ``t'``, broadcast over the arguments.
    """
    t = np.asarray(threshold, dtype=np.float64)
    alpha = np.asarray(alpha, dtype=np.float64)
    ratio = effective_weight(alpha / np.asarray(alpha_observed, np.float64), movement)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return np.where(ratio == 1.0, t, t / (t + (1.0 - t) * ratio))


def fit_movement(
    y_true: ArrayLike,
    y_score: ArrayLike,
    y_score_retrained: ArrayLike,
    *,
    alpha: float,
    alpha_observed: float = 1.0,
    threshold: float = 0.5,
    pos_label: object = None,
    bootstrap: int = 200,
    seed: int = 0,
) -> Movement:
    """Measure the movement exponent ``k`` from a second model's scores on the same rows.

    Parameters
    ----------
    y_true : array_like
        The validation rows' labels (0/1, booleans, or two values with ``pos_label``).
    y_score : array_like
        The current model's probabilities of the positive class on those rows.
    y_score_retrained : array_like
        The probabilities, on the same rows in the same order, of the model retrained at
        ``alpha`` on the same training rows.
    alpha : float
        The retrained model's weight of the positive class, > 0 and not ``alpha_observed``.
    alpha_observed : float, default 1.0
        The current model's weight.
    threshold : float, default 0.5
        The threshold both models use, in (0, 1) (positive where ``score >= threshold``).
    pos_label : optional
        The positive label, unless the labels are 0/1 or booleans.
    bootstrap : int, default 200
        Resamples of the rows (the same rows for both models) behind the 95% interval of ``k``,
        at most :data:`~params.validation.MAX_BOOTSTRAP` (100,000); 0 for none.
    seed : int, default 0
        Seeds the bootstrap.

    Returns
    -------
    Movement
        ``k``, its interval, ``t*`` and the retrained model's share of rows predicted positive.
        Where the retrained model predicts every row positive (or none), ``t*`` is the lowest
        (highest) current score and ``k`` a bound.

    Raises
    ------
    ValueError
        Naming the bad argument: labels not of two classes, scores outside [0, 1] or of
        different lengths, ``alpha`` equal to ``alpha_observed``, a threshold outside (0, 1).

    Examples
    --------
    A retrained model whose logits moved by ``0.5 * log(4)`` moved as if weighted ``4**0.5``:

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = rng.random(5000) < 0.1
    >>> logit = rng.normal(-2.5, 1.5, 5000) + 2.0 * y
    >>> p, p_retrained = (1 / (1 + np.exp(-(logit + s))) for s in (0.0, 0.5 * np.log(4)))
    >>> round(fit_movement(y, p, p_retrained, alpha=4.0, bootstrap=0).k, 2)
    0.5
    """
    owner = "fit_movement"
    _, scores = check_scores(y_true, y_score, pos_label, owner)
    retrained = check_score_values(y_score_retrained, scores.size, "y_score_retrained", owner)
    for name, values in (("y_score", scores), ("y_score_retrained", retrained)):
        outside = ~((values >= 0.0) & (values <= 1.0))
        if np.any(outside):
            raise ParameterError(name, owner, "probabilities in [0, 1]", float(values[outside][0]))
    alpha = check_float(alpha, "alpha", owner, POSITIVE)
    alpha_observed = check_float(alpha_observed, "alpha_observed", owner, POSITIVE)
    if alpha == alpha_observed:
        allowed = f"a weight other than alpha_observed ({alpha_observed:g}): k needs a move"
        raise ParameterError("alpha", owner, allowed, alpha)
    threshold = check_float(threshold, "threshold", owner, UNIT_OPEN)
    bootstrap = check_int(bootstrap, "bootstrap", owner, Interval(0, MAX_BOOTSTRAP, "both"))
    seed = check_int(seed, "seed", owner, NON_NEGATIVE)
    log_ratio = np.log(alpha / alpha_observed)
    logits = _logit(scores)
    decided = retrained >= threshold
    k, t_star = _exponent(logits, int(decided.sum()), threshold, log_ratio)
    low = high = np.nan
    draws: list[float] = []
    if bootstrap:
        rng = np.random.default_rng(seed)
        n = scores.size
        draws = [
            _exponent(logits[rows], int(decided[rows].sum()), threshold, log_ratio)[0]
            for rows in (rng.integers(0, n, size=n) for _ in range(bootstrap))
        ]
        low, high = np.percentile(draws, _INTERVAL)
    return Movement(
        k=float(k),
        low=float(low),
        high=float(high),
        threshold=float(t_star),
        positive_share=float(decided.mean()),
        draws=tuple(draws),
    )


def movement_at_count(
    y_score: ArrayLike,
    positives: int,
    *,
    alpha: float,
    alpha_observed: float = 1.0,
    threshold: float = 0.5,
) -> Movement:
    """The movement exponent from how many of the rows the retrained model predicts positive.

    :func:`fit_movement` without the retrained model's own scores: all it uses of them is the
    number of rows they put at or above ``threshold``. Not validated (for loops over many
    datasets, such as a sweep's); no interval.

    Parameters
    ----------
    y_score : array_like
        The current model's probabilities on the rows.
    positives : int
        How many of those rows the model retrained at ``alpha`` predicts positive.
    alpha, alpha_observed, threshold : float
        As for :func:`fit_movement`.

    Returns
    -------
    Movement
        ``k``, ``t*`` and the retrained model's share of rows predicted positive; NaN interval.
    """
    scores = np.asarray(y_score, dtype=np.float64)
    log_ratio = np.log(alpha / alpha_observed)
    k, t_star = _exponent(_logit(scores), int(positives), threshold, log_ratio)
    return Movement(k, np.nan, np.nan, t_star, positives / scores.size)


def _logit(p: NDArray[np.float64]) -> NDArray[np.float64]:
    p = np.clip(p, _EPS, 1.0 - _EPS)
    return np.log(p) - np.log1p(-p)


def _exponent(
    logits: NDArray[np.float64], count: int, threshold: float, log_ratio: float
) -> tuple[float, float]:
    """``k`` and ``t*`` for rows with the current model's logits of which the retrained model
    predicts ``count`` positive: ``t*`` halfway, in logit, between the ``count``-th and
    ``(count+1)``-th largest current scores."""
    ordered = np.sort(logits)[::-1]
    if count == 0:
        cut = ordered[0]
    elif count == ordered.size:
        cut = ordered[-1]
    else:
        cut = 0.5 * (ordered[count - 1] + ordered[count])
    k = (_logit(np.array([threshold]))[0] - cut) / log_ratio
    return float(k), float(1.0 / (1.0 + np.exp(-cut)))
