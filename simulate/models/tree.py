"""Engines: one dataset and a list of weights in, test confusion counts per weight out.

Every engine has the signature of :func:`sklearn_counts`; the sweep looks them up by name in
:data:`ENGINES`. An engine fits one tree per weight, with weight 1 on negatives and ``alpha`` on
positives, and counts its predictions on the test split.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from sklearn.tree import DecisionTreeClassifier

from simulate.data.splits import Dataset
from theory.scores import confusion_counts

__all__ = ["ENGINES", "Engine", "sklearn_counts"]

#: ``(dataset, alphas, *, max_depth, min_samples_leaf, random_state) -> counts`` with counts of
#: shape ``(len(alphas), 4)``: tp, fp, fn, tn.
Engine = Callable[..., NDArray[np.int64]]


def sklearn_counts(
    data: Dataset,
    alphas: NDArray[np.float64],
    *,
    max_depth: int | None = None,
    min_samples_leaf: int = 1,
    random_state: int = 0,
) -> NDArray[np.int64]:
    """Fit scikit-learn's ``DecisionTreeClassifier`` at each weight and count test predictions.

    Parameters
    ----------
    data : Dataset
        The train/test split.
    alphas : ndarray
        Weights of the positive class.
    max_depth, min_samples_leaf
        Passed to the tree (defaults as scikit-learn's).
    random_state : int
        Seeds the tree's feature order, which decides ties between equally good splits.

    Returns
    -------
    ndarray of int64, shape (len(alphas), 4)
        tp, fp, fn, tn on the test split, one row per weight.
    """
    counts = np.empty((len(alphas), 4), dtype=np.int64)
    positive = data.y_train == 1
    for i, alpha in enumerate(alphas):
        tree = DecisionTreeClassifier(
            max_depth=max_depth, min_samples_leaf=min_samples_leaf, random_state=random_state
        )
        tree.fit(data.X_train, data.y_train, sample_weight=np.where(positive, alpha, 1.0))
        counts[i] = confusion_counts(data.y_test, tree.predict(data.X_test))
    return counts


def _numba_engine(
    data: Dataset,
    alphas: NDArray[np.float64],
    *,
    max_depth: int | None = None,
    min_samples_leaf: int = 1,
    random_state: int = 0,
) -> NDArray[np.int64]:
    """The numba tree (deterministic: ``random_state`` is not used)."""
    from simulate.models.numba_tree import numba_counts

    return numba_counts(
        data.X_train,
        data.y_train,
        data.X_test,
        data.y_test,
        alphas,
        max_depth=max_depth,
        min_samples_leaf=min_samples_leaf,
    )


ENGINES: dict[str, Engine] = {"numba": _numba_engine, "sklearn": sklearn_counts}
