"""Vectorised root finding shared by the curve families and the optimiser."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

#: Bisection steps; enough to shrink any bracket used here below 1e-12 of its width.
BISECTION_STEPS = 64


def bisect_increasing(
    function: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    low: NDArray[np.float64] | float,
    high: NDArray[np.float64] | float,
    *,
    steps: int = BISECTION_STEPS,
) -> NDArray[np.float64]:
    """Elementwise root of an increasing ``function`` between ``low`` and ``high``.

    Every element is bisected at once, ``steps`` times. Where ``function`` has no sign change in
    the bracket the result converges to the end nearer the root (``low`` if ``function`` is
    positive throughout, ``high`` if negative), which is the right answer for a quantity that
    saturates at the end of its range.

    Parameters
    ----------
    function : callable
        Maps an array of arguments to an array of the same shape, increasing in each element.
    low, high : float or ndarray
        Bracket ends; they broadcast with each other.
    steps : int
        Number of halvings.

    Returns
    -------
    ndarray
        Midpoints of the final brackets.
    """
    low, high = np.broadcast_arrays(np.asarray(low, np.float64), np.asarray(high, np.float64))
    low, high = low.copy(), high.copy()
    for _ in range(steps):
        middle = 0.5 * (low + high)
        below = function(middle) < 0
        low = np.where(below, middle, low)
        high = np.where(below, high, middle)
    return 0.5 * (low + high)
