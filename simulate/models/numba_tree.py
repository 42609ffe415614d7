"""A numba CART classifier that reproduces scikit-learn's ``DecisionTreeClassifier()``.

The experiment fits one tree per positive-class weight ``alpha`` on each dataset. This module does
that work for all weights of a dataset at once: it casts ``X`` to float32 (as scikit-learn does),
sorts every feature once, grows the trees in :mod:`simulate.models._tree_kernels` and predicts the
test split.

Fidelity to scikit-learn's best-first-by-depth builder (``sklearn/tree/_tree.pyx``,
``_splitter.pyx``, ``_partitioner.pyx``, ``_criterion.pyx``):

- weighted Gini, split chosen by scikit-learn's proxy impurity improvement over every feature, a new
  best taken only if strictly better; values within ``FEATURE_THRESHOLD`` (1e-7, float32) are one
  value; the threshold is the midpoint of two neighbouring float32 values, computed in float64;
- grown depth-first (node ids in preorder, left child first) until a node is pure, too small
  (``min_samples_split=2``, ``min_samples_leaf``), at ``max_depth``, or has no valid cut. As in
  scikit-learn, a split is taken even when it does not lower the impurity;
- a leaf predicts the class with the larger weighted count; a tie goes to class 0 (``argmax``).

Known differences, all confined to exact ties:

- scikit-learn visits features in an order drawn from its ``random_state``; when two features give
  exactly equally good splits, the first visited wins. Here features are visited in their natural
  order, so the result equals scikit-learn's for one particular feature order.
- weighted class sums are formed as ``count * weight``, while scikit-learn adds weights sample by
  sample; proxies that tie to the last bit may therefore order differently.
- scikit-learn calls a node pure when its computed impurity is at most machine epsilon; here a node
  is pure when one class count is zero. Rounding in scikit-learn's sums can, rarely, leave a pure
  node with an impurity just above epsilon, which it then splits into two pure children of the same
  class: the predictions are the same, the node count is not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from simulate.models import _tree_kernels as _kernels

__all__ = ["KERNELS", "FittedTrees", "empty_trees", "fit_trees", "numba_counts", "numba_predict"]

#: ``max_depth=None`` becomes this depth, as in scikit-learn.
UNLIMITED_DEPTH = np.iinfo(np.int32).max

#: Tree-growing kernels by name: ``"naive"`` grows each weight's tree alone and evaluates every cut
#: (the reference); ``"shared"`` grows all weights' trees together and evaluates only cuts where the
#: class changes.
KERNELS: dict[str, Callable[..., None]] = {
    "naive": _kernels.fit_trees_naive,
    "shared": _kernels.fit_trees_shared,
}


class FittedTrees(NamedTuple):
    """One fitted tree per weight, as flat node arrays of shape ``(n_alphas, max_nodes)``.

    Node ids are in preorder, left child first (scikit-learn's numbering); row ``a`` is the tree of
    ``alphas[a]`` and only its first ``n_nodes[a]`` entries are meaningful.

    Attributes
    ----------
    feature : ndarray of int32
        Feature a node splits on, -1 at a leaf.
    threshold : ndarray of float64
        A sample goes left where its feature value (as float32) is ``<= threshold``; -2 at a leaf.
    left, right : ndarray of int32
        Child node ids, -1 at a leaf.
    value : ndarray of uint8
        Class the node predicts (larger weighted count, ties to 0).
    n_nodes : ndarray of int64, shape (n_alphas,)
        Node count of each tree.
    """

    feature: NDArray[np.int32]
    threshold: NDArray[np.float64]
    left: NDArray[np.int32]
    right: NDArray[np.int32]
    value: NDArray[np.uint8]
    n_nodes: NDArray[np.int64]


def _as_float32_rows(X: ArrayLike) -> NDArray[np.float32]:
    """``X`` as a C-ordered float32 array of shape ``(n_samples, n_features)``."""
    return np.ascontiguousarray(X, dtype=np.float32)


def fit_trees(
    X_train: ArrayLike,
    y_train: ArrayLike,
    alphas: ArrayLike,
    *,
    max_depth: int | None = None,
    min_samples_leaf: int = 1,
    kernel: str = "shared",
) -> FittedTrees:
    """Fit one tree per weight: weight 1 on negatives, ``alpha`` on positives.

    Parameters
    ----------
    X_train : array_like, shape (n_samples, n_features)
        Training features; used as float32, like scikit-learn.
    y_train : array_like of 0/1, shape (n_samples,)
        Training labels.
    alphas : array_like, shape (n_alphas,)
        Positive-class weights.
    max_depth : int or None, default None
        Depth limit (None: grow until pure).
    min_samples_leaf : int, default 1
        Fewest samples a leaf may hold.
    kernel : {"shared", "naive"}, default "shared"
        Tree-growing kernel, see :data:`KERNELS`. Both give the same trees.

    Returns
    -------
    FittedTrees
        The trees' node arrays.
    """
    x_by_feature = np.ascontiguousarray(_as_float32_rows(X_train).T)
    y = np.ascontiguousarray(y_train, dtype=np.uint8)
    order = np.empty(x_by_feature.shape, dtype=np.int32)
    _kernels.sort_features(x_by_feature, order)
    weights = np.ascontiguousarray(alphas, dtype=np.float64).reshape(-1)
    depth = UNLIMITED_DEPTH if max_depth is None else int(max_depth)
    trees = empty_trees(weights.shape[0], y.shape[0])
    KERNELS[kernel](x_by_feature, y, order, weights, depth, int(min_samples_leaf), *trees)
    return trees


def empty_trees(n_alphas: int, n_samples: int) -> FittedTrees:
    """Node arrays for ``n_alphas`` trees of ``n_samples`` training rows (at most
    ``2 n_samples - 1`` nodes each), for a kernel to fill."""
    shape = (n_alphas, max(2 * n_samples - 1, 1))
    return FittedTrees(
        feature=np.empty(shape, dtype=np.int32),
        threshold=np.empty(shape, dtype=np.float64),
        left=np.empty(shape, dtype=np.int32),
        right=np.empty(shape, dtype=np.int32),
        value=np.empty(shape, dtype=np.uint8),
        n_nodes=np.empty(n_alphas, dtype=np.int64),
    )


def _predict(trees: FittedTrees, X_test: ArrayLike) -> NDArray[np.uint8]:
    """0/1 predictions of every tree on ``X_test``, shape ``(n_alphas, n_test)``."""
    x_test = _as_float32_rows(X_test)
    out = np.empty((trees.n_nodes.shape[0], x_test.shape[0]), dtype=np.uint8)
    _kernels.predict_trees(trees.feature, trees.threshold, trees.right, trees.value, x_test, out)
    return out


def numba_predict(
    X_train: ArrayLike,
    y_train: ArrayLike,
    X_test: ArrayLike,
    alphas: ArrayLike,
    *,
    max_depth: int | None = None,
    min_samples_leaf: int = 1,
    kernel: str = "shared",
) -> NDArray[np.bool_]:
    """Test predictions of the tree fitted at each weight.

    Parameters
    ----------
    X_train, y_train, alphas, max_depth, min_samples_leaf, kernel
        As in :func:`fit_trees`.
    X_test : array_like, shape (n_test, n_features)
        Test features.

    Returns
    -------
    ndarray of bool, shape (n_alphas, n_test)
        ``True`` where the tree of that weight predicts the positive class.
    """
    trees = fit_trees(
        X_train,
        y_train,
        alphas,
        max_depth=max_depth,
        min_samples_leaf=min_samples_leaf,
        kernel=kernel,
    )
    return _predict(trees, X_test).astype(bool)


def numba_counts(
    X_train: ArrayLike,
    y_train: ArrayLike,
    X_test: ArrayLike,
    y_test: ArrayLike,
    alphas: ArrayLike,
    *,
    max_depth: int | None = None,
    min_samples_leaf: int = 1,
    kernel: str = "shared",
) -> NDArray[np.int64]:
    """Test confusion counts of the tree fitted at each weight.

    The simulator's engine: the caller has validated the inputs; they are only converted here.

    Parameters
    ----------
    X_train, y_train, alphas, max_depth, min_samples_leaf, kernel
        As in :func:`fit_trees`.
    X_test : array_like, shape (n_test, n_features)
        Test features.
    y_test : array_like of 0/1, shape (n_test,)
        Test labels.

    Returns
    -------
    ndarray of int64, shape (n_alphas, 4)
        tp, fp, fn, tn of each weight's tree on the test split.
    """
    trees = fit_trees(
        X_train,
        y_train,
        alphas,
        max_depth=max_depth,
        min_samples_leaf=min_samples_leaf,
        kernel=kernel,
    )
    predicted = _predict(trees, X_test)
    counts = np.empty((predicted.shape[0], 4), dtype=np.int64)
    _kernels.count_outcomes(np.ascontiguousarray(y_test, dtype=np.uint8), predicted, counts)
    return counts
