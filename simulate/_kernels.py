"""Numba kernels of the CART decision tree used by :mod:`simulate.numba_tree`.

Every function here is ``@njit(cache=True)``: it takes arrays and scalars only, writes its results
into arrays the caller allocated, and neither validates its inputs nor draws random numbers.

Data layout shared by the kernels
---------------------------------
- ``x_by_feature``: float32, shape ``(n_features, n_samples)``, the training features in the
  precision scikit-learn's tree works in (it casts ``X`` to float32).
- ``y``: uint8, shape ``(n_samples,)``, labels 0/1.
- ``order``: int32, shape ``(n_features, n_samples)``, row ``f`` holds the sample indices sorted
  by feature ``f``. A node owns a segment ``[start, end)`` of every row, each kept sorted by its
  feature as the tree splits (stable partition), so no node ever sorts.
- A fitted tree is five flat arrays indexed by node id (preorder, left child first, as
  scikit-learn numbers its nodes): ``feature`` (int32, ``NO_NODE`` at a leaf), ``threshold``
  (float64), ``left`` and ``right`` (int32 child ids, ``NO_NODE`` at a leaf) and ``value`` (uint8,
  the class the node predicts). The multi-tree kernels hold one such row per weight.
"""

import numpy as np
from numba import njit

#: Marks "no feature" / "no child" in the node arrays.
NO_NODE = -1
#: Threshold stored at a leaf (scikit-learn's ``TREE_UNDEFINED``).
UNDEFINED_THRESHOLD = -2.0
#: Feature values closer than this are one value (scikit-learn's ``FEATURE_THRESHOLD``, float32).
FEATURE_THRESHOLD = np.float32(1e-7)
#: Labels of the two classes.
NEGATIVE = 0
POSITIVE = 1
#: Fewest samples a node needs to be split (scikit-learn's default ``min_samples_split``).
MIN_SAMPLES_SPLIT = 2
#: Worst proxy improvement, the starting point of the best-split search.
NO_IMPROVEMENT = -np.inf
#: Midpoint of two neighbouring feature values: ``HALF * a + HALF * b`` (overflow-free).
HALF = 0.5
#: Entries of a confusion-count row.
TP, FP, FN, TN = 0, 1, 2, 3


@njit(cache=True, inline="always")
def _gini_proxy(n0_left, n1_left, n0, n1, alpha):
    """Scikit-learn's proxy impurity improvement of a split, for weighted Gini.

    ``-w_right * gini_right - w_left * gini_left``, with class weights 1 (negatives) and
    ``alpha`` (positives); ``n0_left``, ``n1_left`` are the class counts left of the cut and
    ``n0``, ``n1`` the node's. Larger is better. Weighted sums are formed from counts, not
    accumulated sample by sample.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    w0_left = np.float64(n0_left)
    w1_left = n1_left * alpha
    w0_right = np.float64(n0 - n0_left)
    w1_right = (n1 - n1_left) * alpha
    w_left = w0_left + w1_left
    w_right = w0_right + w1_right
    gini_left = 1.0 - (w0_left * w0_left + w1_left * w1_left) / (w_left * w_left)
    gini_right = 1.0 - (w0_right * w0_right + w1_right * w1_right) / (w_right * w_right)
    return -w_right * gini_right - w_left * gini_left


@njit(cache=True)
def _count_positives(order, y, start, end):
    """Number of positive samples in the segment ``[start, end)`` of ``order[0]``.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    n1 = 0
    for p in range(start, end):
        n1 += y[order[0, p]]
    return n1


@njit(cache=True)
def _is_leaf(n, n1, depth, max_depth, min_samples_leaf):
    """Whether a node of ``n`` samples, ``n1`` positive, at ``depth`` must stay a leaf.

    Scikit-learn's conditions: the depth limit, too few samples to split or to leave
    ``min_samples_leaf`` on both sides, or a pure node (impurity zero).

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    return (
        depth >= max_depth
        or n < MIN_SAMPLES_SPLIT
        or n < 2 * min_samples_leaf
        or n1 == 0
        or n1 == n
    )


@njit(cache=True)
def _threshold_at(x_by_feature, order, feature, pos):
    """Scikit-learn's threshold between sorted positions ``pos - 1`` and ``pos`` of ``feature``.

    The midpoint of two float32 values, computed in float64, is exact and lies strictly between
    them, so the lower value is never needed as a fallback.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    below = np.float64(x_by_feature[feature, order[feature, pos - 1]])
    above = np.float64(x_by_feature[feature, order[feature, pos]])
    return HALF * below + HALF * above


@njit(cache=True)
def _partition(order, start, end, n_left, feature, goes_left, buffer):
    """Stable partition of every row's segment ``[start, end)`` into left and right child.

    The left child is the first ``n_left`` samples of row ``feature``. Afterwards every row holds
    the left child's samples in ``[start, start + n_left)`` and the right child's in
    ``[start + n_left, end)``, each still sorted by that row's feature. ``goes_left`` (uint8, one
    entry per sample) and ``buffer`` (int32, at least ``end - start`` long) are scratch.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    for p in range(start, end):
        goes_left[order[feature, p]] = 0
    for p in range(start, start + n_left):
        goes_left[order[feature, p]] = 1
    for f in range(order.shape[0]):
        if f == feature:
            continue
        n_l = start
        n_r = 0
        for p in range(start, end):
            sample = order[f, p]
            if goes_left[sample]:
                order[f, n_l] = sample
                n_l += 1
            else:
                buffer[n_r] = sample
                n_r += 1
        for k in range(n_r):
            order[f, n_l + k] = buffer[k]


@njit(cache=True)
def _best_split_naive(x_by_feature, y, order, start, end, n1, alpha, min_samples_leaf, best):
    """Best split of node ``[start, end)`` by evaluating every cut, as scikit-learn does.

    Features are visited in their natural order and cuts from left to right; a cut replaces the best
    one only if its proxy improvement is strictly larger. A cut at sorted position ``p`` is valid
    where the feature value rises by more than ``FEATURE_THRESHOLD`` and both sides keep
    ``min_samples_leaf`` samples. Writes ``best[0]`` = feature (``NO_NODE`` if no valid cut) and
    ``best[1]`` = cut position.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    n = end - start
    n0 = n - n1
    best_proxy = NO_IMPROVEMENT
    best[0] = NO_NODE
    best[1] = NO_NODE
    lowest = start + min_samples_leaf
    highest = end - min_samples_leaf
    for f in range(order.shape[0]):
        row = order[f]
        values = x_by_feature[f]
        n1_left = 0
        previous = values[row[start]]
        for p in range(start + 1, end):
            n1_left += y[row[p - 1]]
            value = values[row[p]]
            if value > previous + FEATURE_THRESHOLD and lowest <= p <= highest:
                proxy = _gini_proxy(p - start - n1_left, n1_left, n0, n1, alpha)
                if proxy > best_proxy:
                    best_proxy = proxy
                    best[0] = f
                    best[1] = p
            previous = value


@njit(cache=True)
def fit_tree_naive(
    x_by_feature,
    y,
    order,
    alpha,
    max_depth,
    min_samples_leaf,
    feature,
    threshold,
    left,
    right,
    value,
):
    """Grow one tree depth-first for positive-class weight ``alpha``; return its node count.

    The reference kernel: every valid cut of every feature is evaluated at every node. ``order`` is
    partitioned in place (pass a copy). The node arrays must hold ``2 * n_samples - 1`` entries.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    n_samples = order.shape[1]
    goes_left = np.empty(n_samples, dtype=np.uint8)
    buffer = np.empty(n_samples, dtype=np.int32)
    best = np.empty(2, dtype=np.int64)
    # Stack of (start, end, depth, parent, is_left); preorder with the left child first.
    stack = np.empty((n_samples, 5), dtype=np.int64)
    stack[0, 0] = 0
    stack[0, 1] = n_samples
    stack[0, 2] = 0
    stack[0, 3] = NO_NODE
    stack[0, 4] = 0
    top = 1
    n_nodes = 0
    while top > 0:
        top -= 1
        start, end, depth, parent, is_left = stack[top]
        node = n_nodes
        n_nodes += 1
        if parent != NO_NODE:
            if is_left:
                left[parent] = node
            else:
                right[parent] = node
        n = end - start
        n1 = _count_positives(order, y, start, end)
        value[node] = POSITIVE if n1 * alpha > n - n1 else NEGATIVE
        feature[node] = NO_NODE
        threshold[node] = UNDEFINED_THRESHOLD
        left[node] = NO_NODE
        right[node] = NO_NODE
        if _is_leaf(n, n1, depth, max_depth, min_samples_leaf):
            continue
        _best_split_naive(x_by_feature, y, order, start, end, n1, alpha, min_samples_leaf, best)
        if best[0] == NO_NODE:
            continue
        split_feature, pos = best[0], best[1]
        feature[node] = split_feature
        threshold[node] = _threshold_at(x_by_feature, order, split_feature, pos)
        _partition(order, start, end, pos - start, split_feature, goes_left, buffer)
        for child_start, child_end, child_is_left in ((pos, end, 0), (start, pos, 1)):
            stack[top, 0] = child_start
            stack[top, 1] = child_end
            stack[top, 2] = depth + 1
            stack[top, 3] = node
            stack[top, 4] = child_is_left
            top += 1
    return n_nodes


@njit(cache=True)
def fit_trees_naive(
    x_by_feature,
    y,
    order,
    alphas,
    max_depth,
    min_samples_leaf,
    feature,
    threshold,
    left,
    right,
    value,
    n_nodes,
):
    """Grow one tree per weight in ``alphas`` with :func:`fit_tree_naive`, one after another.

    The node arrays have shape ``(len(alphas), 2 * n_samples - 1)``; ``n_nodes`` receives each
    tree's node count. ``order`` is left untouched.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    work = np.empty_like(order)
    for a in range(alphas.shape[0]):
        work[:] = order
        n_nodes[a] = fit_tree_naive(
            x_by_feature,
            y,
            work,
            alphas[a],
            max_depth,
            min_samples_leaf,
            feature[a],
            threshold[a],
            left[a],
            right[a],
            value[a],
        )


@njit(cache=True)
def predict_trees(feature, threshold, left, right, value, x_test, out):
    """Predicted class of every test row under every tree: ``out[a, i]`` for tree ``a``, row ``i``.

    ``x_test`` is float32 of shape ``(n_test, n_features)``; a row goes left where its value is
    ``<= threshold``, as in scikit-learn.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    for a in range(feature.shape[0]):
        for i in range(x_test.shape[0]):
            node = 0
            while feature[a, node] != NO_NODE:
                if x_test[i, feature[a, node]] <= threshold[a, node]:
                    node = left[a, node]
                else:
                    node = right[a, node]
            out[a, i] = value[a, node]


@njit(cache=True)
def confusion_counts(predicted, y_true, out):
    """Confusion counts of each row of ``predicted`` against ``y_true``.

    ``out[a]`` receives tp, fp, fn, tn of row ``a``.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    for a in range(predicted.shape[0]):
        out[a, :] = 0
        for i in range(predicted.shape[1]):
            if predicted[a, i]:
                out[a, TP if y_true[i] else FP] += 1
            else:
                out[a, FN if y_true[i] else TN] += 1
