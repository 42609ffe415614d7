"""The knobs besides the weight: resampling the training split to a positive fraction.

Dropping negatives (``undersample``) or copying positives (``oversample``) until positives make up
a fraction ``q`` of the training split multiplies their share of the loss as the weight
``alpha = (q / (1 - q)) * ((1 - beta) / beta)`` does (:func:`theory.equivalent_weight`). A sweep
takes its values as weights and resamples to :func:`fraction_of_weight` of each, so the three
knobs share one axis.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["KNOBS", "RESAMPLING", "fraction_of_weight", "resample"]

#: How a sweep favours the positives at each weight.
KNOBS: tuple[str, ...] = ("weight", "undersample", "oversample")
#: The knobs that resample the training split instead of weighting it.
RESAMPLING: tuple[str, ...] = ("undersample", "oversample")


def fraction_of_weight(beta: float, alpha: ArrayLike) -> NDArray[np.float64]:
    """The positive fraction ``q`` that resampling to amounts to the weight ``alpha`` at prevalence
    ``beta``: ``alpha beta / (alpha beta + 1 - beta)``, the inverse of
    :func:`theory.equivalent_weight`."""
    alpha = np.asarray(alpha, dtype=np.float64)
    return alpha * beta / (alpha * beta + (1.0 - beta))


def resample(
    X: NDArray[np.float64],
    y: NDArray[np.int64],
    fraction: float,
    knob: str,
    rng: np.random.Generator,
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """The rows ``(X, y)`` resampled until positives make up ``fraction`` of them.

    Parameters
    ----------
    X, y : ndarray
        The training rows; labels 0 and 1.
    fraction : float
        The positive fraction ``q`` to reach, in (0, 1). Where the rows already hold at least
        that share of positives, they are returned unchanged: neither knob drops positives or
        copies negatives.
    knob : {"undersample", "oversample"}
        ``undersample`` keeps every positive and ``round(n_pos (1 - q) / q)`` negatives drawn
        without replacement, in their original order; ``oversample`` keeps every row and
        appends ``round(q n_neg / (1 - q)) - n_pos`` positives drawn with replacement.
    rng : numpy.random.Generator
        The draws.

    Returns
    -------
    X, y : ndarray
    """
    positive = np.flatnonzero(y == 1)
    negative = np.flatnonzero(y != 1)
    if knob == "undersample":
        keep = round(positive.size * (1.0 - fraction) / fraction)
        if keep >= negative.size:
            return X, y
        kept = np.sort(np.concatenate([positive, rng.choice(negative, keep, replace=False)]))
        return X[kept], y[kept]
    if knob == "oversample":
        extra = round(fraction * negative.size / (1.0 - fraction)) - positive.size
        if extra <= 0:
            return X, y
        copies = rng.choice(positive, extra, replace=True)
        return np.concatenate([X, X[copies]]), np.concatenate([y, y[copies]])
    raise ValueError(f"Unknown resampling knob {knob!r}; expected one of {RESAMPLING}.")
