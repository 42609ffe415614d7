"""The other knob a practitioner turns: the decision threshold, tuned for F1 on validation rows."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["tuned_threshold"]


def tuned_threshold(y: NDArray[np.int64], scores: NDArray[np.float64]) -> float:
    """The threshold on ``scores`` with the highest F1 on the rows ``(y, scores)``.

    A row is predicted positive where its score is at least the threshold. Of the thresholds
    that reach the best F1 the highest is taken, and it is placed halfway between that score and
    the next lower one, so that new rows between the two fall on the side the validation rows
    leave open. Where no threshold predicts a positive right (no positive row), it is ``inf``.

    Parameters
    ----------
    y : ndarray
        Labels 0 and 1.
    scores : ndarray
        Scores; larger means more positive.

    Returns
    -------
    float
    """
    order = np.argsort(-scores, kind="stable")
    ranked, positive = scores[order], y[order] == 1
    last = np.flatnonzero(np.append(ranked[1:] != ranked[:-1], True))  # end of each tied score
    tp = np.cumsum(positive)[last]
    fp = (last + 1) - tp
    f1 = 2.0 * tp / (2.0 * tp + fp + (positive.sum() - tp))
    if positive.sum() == 0 or f1.max() == 0.0:
        return float("inf")
    best = int(np.argmax(f1))  # the first maximum: the highest threshold
    if best + 1 == last.size:
        return float(ranked[last[best]])
    return float((ranked[last[best]] + ranked[last[best + 1]]) / 2.0)
