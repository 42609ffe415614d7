"""Numba kernels of the registry's standardisation (:func:`simulate.models.registry._standardised`).

Each sums row by row, in the rows' order, as numpy sums a C-ordered array of several columns
over its rows (``X.sum(axis=0)``), so that the results are numpy's to the bit: the same
additions in the same order. (numpy sums a single column, or columns contiguous in memory,
pairwise instead; the registry keeps numpy for those.) Neither validates its inputs.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def column_moments(X):
    """Per column of ``X`` (rows x columns): the sum, and the sum of the deviations from
    ``sum / rows`` and of their squares: ``X.sum(axis=0)``, ``D.sum(axis=0)`` and
    ``(D**2).sum(axis=0)`` with ``D = X - X.sum(axis=0) / rows``, in two passes."""
    n, f = X.shape
    total = np.zeros(f)
    for i in range(n):
        for j in range(f):
            total[j] += X[i, j]
    shift = total / n
    deviations = np.zeros(f)
    squares = np.zeros(f)
    for i in range(n):
        for j in range(f):
            d = X[i, j] - shift[j]
            deviations[j] += d
            squares[j] += d * d
    return total, deviations, squares


@njit(cache=True)
def standardise(X, mean, scale):
    """``(X - mean) / scale`` in a new C-ordered array, in one pass."""
    n, f = X.shape
    out = np.empty((n, f))
    for i in range(n):
        for j in range(f):
            out[i, j] = (X[i, j] - mean[j]) / scale[j]
    return out
