"""Numba kernels of the CART decision tree used by :mod:`simulate.models.numba_tree`.

Every function here is ``@njit(cache=True)``: it takes arrays and scalars only, writes its results
into arrays the caller allocated, and neither validates its inputs nor draws random numbers.

Data layout shared by the kernels
---------------------------------
- ``x_by_feature``: float32, shape ``(n_features, n_samples)``, the training features in the
  precision scikit-learn's tree works in (it casts ``X`` to float32).
- ``y``: uint8, shape ``(n_samples,)``, labels 0/1.
- ``order``: int32, shape ``(n_features, n_samples)``, row ``f`` holds the sample indices sorted
  by feature ``f``. A node owns a segment ``[start, end)`` of every row, each kept sorted by its
  feature as the tree splits (stable partition), so no node scans unsorted values. The shared
  kernel lays out only the rows of nodes it will split, and builds a small child's rows by
  sorting its samples' positions in ``order``.
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
#: The shared kernel packs into each int32 entry of its sample order, besides the sample index
#: (low bits), the sample's label and whether its value may tie with the one sorted before it.
LABEL_SHIFT = 30
LABEL_BIT = 1 << LABEL_SHIFT
TIE_FLAG = 1 << 29
INDEX_MASK = (1 << 29) - 1
#: The shared kernel lays a child out by sorting its samples' ranks, instead of partitioning the
#: parent's rows, when the child holds at most ``1 / SORT_RATIO`` of the parent's samples.
SORT_RATIO = 48
#: :func:`sort_features` sorts float32 bits ``RADIX_BITS`` at a time, in ``RADIX`` buckets.
RADIX_BITS = 11
RADIX = 1 << RADIX_BITS
DIGIT_MASK = RADIX - 1
#: Masks of a float32's sign bit and of all its bits.
SIGN_BIT = 1 << 31
ALL_BITS = (1 << 32) - 1
#: Entries of a confusion-count row.
TP, FP, FN, TN = 0, 1, 2, 3


@njit(cache=True)
def _sort_keys(values, keys):
    """Write each float32 value's bits as an unsigned key that sorts in the value's order.

    Positive values get their sign bit set, negative ones all bits flipped; ``-0.0`` sorts just
    before ``0.0``, which it equals, so the order is still one of the values sorted.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    bits = values.view(np.uint32)
    for i in range(bits.shape[0]):
        b = np.int64(bits[i])
        keys[i] = b ^ (ALL_BITS if b & SIGN_BIT else SIGN_BIT)


@njit(cache=True)
def _radix_pass(keys, index, shift, keys_out, index_out, offsets):
    """Stable counting sort of ``keys`` (carrying ``index``) by their digit at ``shift``.

    ``offsets`` (int64, ``RADIX`` entries) is scratch.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    offsets[:] = 0
    for i in range(keys.shape[0]):
        offsets[(keys[i] >> shift) & DIGIT_MASK] += 1
    position = 0
    for d in range(RADIX):
        count = offsets[d]
        offsets[d] = position
        position += count
    for i in range(keys.shape[0]):
        key = keys[i]
        digit = (key >> shift) & DIGIT_MASK
        keys_out[offsets[digit]] = key
        index_out[offsets[digit]] = index[i]
        offsets[digit] += 1


@njit(cache=True)
def sort_features(x_by_feature, order):
    """Write into row ``f`` of ``order`` the sample indices sorted by feature ``f``.

    A least-significant-digit radix sort of each row's float32 bits, ``RADIX_BITS`` per pass; ties
    keep the order of the samples' indices.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    n_samples = x_by_feature.shape[1]
    keys = np.empty(n_samples, dtype=np.uint32)
    index = np.empty(n_samples, dtype=np.int32)
    keys_out = np.empty(n_samples, dtype=np.uint32)
    index_out = np.empty(n_samples, dtype=np.int32)
    offsets = np.empty(RADIX, dtype=np.int64)
    for f in range(x_by_feature.shape[0]):
        _sort_keys(x_by_feature[f], keys)
        for i in range(n_samples):
            index[i] = i
        for shift in range(0, 32, RADIX_BITS):
            _radix_pass(keys, index, shift, keys_out, index_out, offsets)
            keys, keys_out = keys_out, keys
            index, index_out = index_out, index
        order[f] = index


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
    below = np.float64(x_by_feature[feature, order[feature, pos - 1] & INDEX_MASK])
    above = np.float64(x_by_feature[feature, order[feature, pos] & INDEX_MASK])
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
        goes_left[order[feature, p] & INDEX_MASK] = 0
    for p in range(start, start + n_left):
        goes_left[order[feature, p] & INDEX_MASK] = 1
    for f in range(order.shape[0]):
        if f == feature:
            continue
        row = order[f]
        # Unsigned write positions spare numba's negative-index check on every write.
        n_l = np.uint64(start)
        n_r = np.uint64(0)
        for sample in row[start:end]:
            # Branch-free: the sample is written to both sides, and only its side's count moves.
            is_left = goes_left[sample & INDEX_MASK]
            row[n_l] = sample
            buffer[n_r] = sample
            n_l += is_left
            n_r += np.uint8(1) - is_left
        row[n_l:end] = buffer[:n_r]


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
    stack = np.empty((n_samples + 1, 5), dtype=np.int64)
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
def predict_trees(feature, threshold, right, value, x_test, out):
    """Predicted class of every test row under every tree: ``out[a, i]`` for tree ``a``, row ``i``.

    ``x_test`` is float32 of shape ``(n_test, n_features)``; a row goes left where its value is
    ``<= threshold``, as in scikit-learn. Node ids are in preorder, so a node's left child is the
    next node and only ``right`` is needed; choosing the next node without a branch saves the
    mispredictions of an unpredictable walk.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    for i in range(x_test.shape[0]):
        for a in range(feature.shape[0]):
            node = 0
            split_feature = feature[a, 0]
            while split_feature != NO_NODE:
                right_child = right[a, node]
                goes_left = x_test[i, split_feature] <= threshold[a, node]
                node = node + 1 if goes_left else right_child
                split_feature = feature[a, node]
            out[a, i] = value[a, node]


@njit(cache=True)
def count_outcomes(y_true, predicted, out):
    """Confusion counts of each row of ``predicted`` against ``y_true``.

    ``out[a]`` receives tp, fp, fn, tn of row ``a``, as
    :func:`theory.scores.confusion_counts` (same argument order) computes them.

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


@njit(cache=True)
def _is_tie(row, values, p):
    """Whether the cut before sorted position ``p`` of ``row`` is invalid (a tie).

    Only an entry carrying the tie flag can lie within ``FEATURE_THRESHOLD`` of the entry sorted
    before it in the node.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    packed = row[p]
    return (packed & TIE_FLAG) != 0 and (
        values[packed & INDEX_MASK] <= values[row[p - 1] & INDEX_MASK] + FEATURE_THRESHOLD
    )


@njit(cache=True)
def _candidate_cuts(x_by_feature, order, f, start, end, min_samples_leaf, cand_pos, cand_n1_left):
    """The cuts of feature ``f`` in node ``[start, end)`` that can be its best; return their number.

    A valid cut whose two neighbouring runs of equal values hold a single class, the same on both
    sides, can be skipped: moving a cut through samples of one class changes the Gini proxy along a
    strictly convex curve, so it peaks at the ends of the stretch, never inside it. Kept are the
    first and last valid cuts that leave ``min_samples_leaf`` samples on both sides (the ends of the
    allowed range) and, between them, the cuts with a class change between the previous and the
    next valid cut: a valid cut at a class change, and the valid cuts on either side of a class
    change inside a run of ties. Only entries where the class changes or the tie flag is set are
    looked at closely. Writes positions to ``cand_pos`` and positives left of each cut to
    ``cand_n1_left``, in ascending order.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    row = order[f]
    values = x_by_feature[f]
    first = start + min_samples_leaf
    last = end - min_samples_leaf
    while first <= last and _is_tie(row, values, first):
        first += 1
    if first > last:
        return 0
    while _is_tie(row, values, last):
        last -= 1
    n1_left = 0
    for p in range(start, first):
        n1_left += row[p] >> LABEL_SHIFT
    cand_pos[0] = first
    cand_n1_left[0] = n1_left
    n_cand = 1
    previous = row[first]
    p = first
    # Iterating over the entries, not indexing them, spares numba's negative-index check.
    for packed in row[first + 1 : last]:
        p += 1
        n1_left += previous >> LABEL_SHIFT
        change = (packed ^ previous) & LABEL_BIT
        previous = packed
        if not change:
            continue
        if not _is_tie(row, values, p):
            if p > cand_pos[n_cand - 1]:
                cand_pos[n_cand] = p
                cand_n1_left[n_cand] = n1_left
                n_cand += 1
            continue
        below = p - 1
        below_n1_left = n1_left - (row[below] >> LABEL_SHIFT)
        while _is_tie(row, values, below):
            below -= 1
            below_n1_left -= row[below] >> LABEL_SHIFT
        if below > cand_pos[n_cand - 1]:
            cand_pos[n_cand] = below
            cand_n1_left[n_cand] = below_n1_left
            n_cand += 1
        above = p + 1
        above_n1_left = n1_left + (packed >> LABEL_SHIFT)
        while _is_tie(row, values, above):
            above_n1_left += row[above] >> LABEL_SHIFT
            above += 1
        if above < last and above > cand_pos[n_cand - 1]:
            cand_pos[n_cand] = above
            cand_n1_left[n_cand] = above_n1_left
            n_cand += 1
    if last > first:
        cand_pos[n_cand] = last
        cand_n1_left[n_cand] = n1_left + (previous >> LABEL_SHIFT)
        n_cand += 1
    return n_cand


@njit(cache=True)
def _pack_order(x_by_feature, y, order, packed, rank):
    """Write ``order`` with each entry's label and tie flag packed in, and each sample's rank.

    ``packed[f, p]`` is ``order[f, p]`` with the label and tie flag added; ``rank[f, i]`` is the
    position of sample ``i`` in ``order[f]``. The tie flag marks a sample whose value lies within
    ``FEATURE_THRESHOLD`` of the value sorted just before it. Without the flag, the cut before the
    sample is valid in every node, because any sample sorted before it in a node has a value at
    most that of its predecessor.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    for f in range(order.shape[0]):
        values = x_by_feature[f]
        for p in range(order.shape[1]):
            sample = order[f, p]
            entry = sample | (np.int32(y[sample]) << LABEL_SHIFT)
            if p > 0 and values[sample] <= values[order[f, p - 1]] + FEATURE_THRESHOLD:
                entry |= TIE_FLAG
            packed[f, p] = entry
            rank[f, sample] = p


@njit(cache=True)
def _compact(row, begin, end, child_start, marked, unmarked):
    """Move one child's entries of ``row[begin:end]`` to its side, keeping their order.

    ``marked`` (uint8, one entry per sample) is 1 on the smaller child's samples and 0 elsewhere;
    the child kept is the marked one if ``unmarked`` is 0, the other one if it is 1. The child
    starts at ``begin`` (filled forwards) or ends at ``end`` (filled backwards), so no entry is
    overwritten before it is read. The other side's range is left with stale entries.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    # Unsigned, the write position needs no negative-index check.
    kept = np.uint8(unmarked)
    if child_start == begin:
        w = np.uint64(begin)
        for entry in row[begin:end]:
            row[w] = entry
            w += marked[entry & INDEX_MASK] ^ kept
    else:
        w = np.uint64(end - 1)
        for entry in row[begin:end][::-1]:
            row[w] = entry
            w -= marked[entry & INDEX_MASK] ^ kept


@njit(cache=True)
def _sort_child(work, packed, rank, child_start, size, split_feature, keys):
    """Lay out a child's rows by sorting its samples' ranks in every feature but the split one.

    The child's samples are read from row ``split_feature``, where they already sit in
    ``[child_start, child_start + size)``; sorting by rank keeps the order the stable partition
    would give. ``keys`` (int32, at least ``size`` long) is scratch.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    for f in range(work.shape[0]):
        if f == split_feature:
            continue
        for i in range(size):
            keys[i] = rank[f, work[split_feature, child_start + i] & INDEX_MASK]
        child_keys = keys[:size]
        child_keys.sort()
        for i in range(size):
            work[f, child_start + i] = packed[f, child_keys[i]]


@njit(cache=True)
def _lay_out_children(
    work,
    packed,
    rank,
    begin,
    n,
    n_left,
    split_feature,
    leaf_left,
    leaf_right,
    marked,
    keys,
    goes_left,
    buffer,
):
    """Give each child that will be split its own sorted rows; leaves need none.

    The smaller child's samples are flagged in ``marked`` (uint8, all 0 on entry and on return). A
    larger child that will be split is compacted in
    place; a smaller one is laid out by :func:`_sort_child` if it holds at most ``1 / SORT_RATIO``
    of the samples, else compacted too, or, when both children will be split, the rows are fully
    partitioned by :func:`_partition`.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    if leaf_left and leaf_right:
        return
    end = begin + n
    small_is_left = 2 * n_left <= n
    if small_is_left:
        small_start, small_size, small_leaf, big_leaf = begin, n_left, leaf_left, leaf_right
    else:
        small_start, small_size, small_leaf, big_leaf = (
            begin + n_left,
            n - n_left,
            leaf_right,
            leaf_left,
        )
    sortable = small_size * SORT_RATIO <= n
    if not (small_leaf or big_leaf or sortable):
        _partition(work, begin, end, n_left, split_feature, goes_left, buffer)
        return
    if not (big_leaf and sortable):
        for p in range(small_start, small_start + small_size):
            marked[work[split_feature, p] & INDEX_MASK] = 1
        big_start = begin + small_size if small_is_left else begin
        for f in range(work.shape[0]):
            if f == split_feature:
                continue
            if not big_leaf:
                _compact(work[f], begin, end, big_start, marked, 1)
            else:
                _compact(work[f], begin, end, small_start, marked, 0)
        for p in range(small_start, small_start + small_size):
            marked[work[split_feature, p] & INDEX_MASK] = 0
    if sortable and not small_leaf:
        _sort_child(work, packed, rank, small_start, small_size, split_feature, keys)


@njit(cache=True)
def _copy_columns(work, source, destination, n):
    """Copy columns ``[source, source + n)`` of every row of ``work`` to ``destination``.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    for f in range(work.shape[0]):
        row = work[f]
        row[destination : destination + n] = row[source : source + n]


@njit(cache=True)
def _best_candidate(start, n0, n1, alpha, cand_pos, cand_n1_left, n_cand, best):
    """Best of the candidate cuts for weight ``alpha``, in :func:`_best_split_naive`'s order.

    Writes ``best[0]`` = feature, ``best[1]`` = cut position (``NO_NODE`` if none) and
    ``best[2]`` = positives left of the cut.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    best_proxy = NO_IMPROVEMENT
    best[0] = NO_NODE
    best[1] = NO_NODE
    for f in range(n_cand.shape[0]):
        for c in range(n_cand[f]):
            pos = cand_pos[f, c]
            n1_left = cand_n1_left[f, c]
            proxy = _gini_proxy(pos - start - n1_left, n1_left, n0, n1, alpha)
            if proxy > best_proxy:
                best_proxy = proxy
                best[0] = f
                best[1] = pos
                best[2] = n1_left


@njit(cache=True)
def _push(stack, top, start, end, n1, depth, group, group_size, is_left, arena):
    """Write one entry of :func:`fit_trees_shared`'s node stack at ``top``; return ``top + 1``.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    stack[top, 0] = start
    stack[top, 1] = end
    stack[top, 2] = n1
    stack[top, 3] = depth
    stack[top, 4] = group
    stack[top, 5] = group_size
    stack[top, 6] = is_left
    stack[top, 7] = arena
    return top + 1


@njit(cache=True)
def fit_trees_shared(
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
    """Grow the trees of all weights together; same trees as :func:`fit_trees_naive`.

    A node reached by the same splits under several weights holds the same samples, so the trees
    of a group of weights share each node: one scan per feature finds the candidate cuts (see
    :func:`_candidate_cuts`), then each weight picks its best. The group divides where the
    weights' best splits part; every subgroup after the first splits its own copy of the node's
    sample order, taken from a stack-like arena above the ``n_samples`` base columns (an entry's
    arena top is restored when it is popped). Only children that will be split get their rows
    laid out (see :func:`_lay_out_children`), and each child receives its positive count from the
    chosen cut. Each weight's nodes are still numbered in preorder. Arrays as in
    :func:`fit_trees_naive`.

    Notes
    -----
    jit-compiled; inputs not validated.
    """
    n_features, n_samples = order.shape
    n_alphas = alphas.shape[0]
    if n_alphas == 0:
        return
    # Along one path at most n_alphas - 1 copies are live besides the base columns.
    work = np.empty((n_features, n_samples * n_alphas), dtype=np.int32)
    packed = np.empty((n_features, n_samples), dtype=np.int32)
    rank = np.empty((n_features, n_samples), dtype=np.int32)
    _pack_order(x_by_feature, y, order, packed, rank)
    work[:, :n_samples] = packed
    goes_left = np.empty(n_samples, dtype=np.uint8)
    buffer = np.empty(n_samples, dtype=np.int32)
    keys = np.empty(n_samples, dtype=np.int32)
    marked = np.zeros(n_samples, dtype=np.uint8)
    cand_pos = np.empty((n_features, n_samples), dtype=np.int64)
    cand_n1_left = np.empty((n_features, n_samples), dtype=np.int64)
    n_cand = np.empty(n_features, dtype=np.int64)
    best = np.empty(3, dtype=np.int64)
    node_ids = np.empty(n_alphas, dtype=np.int64)
    subgroup = np.empty(n_alphas, dtype=np.int64)
    sub_feature = np.empty(n_alphas, dtype=np.int64)
    sub_pos = np.empty(n_alphas, dtype=np.int64)
    sub_n1_left = np.empty(n_alphas, dtype=np.int64)
    sub_start = np.empty(n_alphas, dtype=np.int64)
    sub_threshold = np.empty(n_alphas, dtype=np.float64)
    max_visits = n_alphas * 2 * n_samples + 1
    # Group arena: the weights sharing a node and each one's parent node id.
    members = np.empty(max_visits, dtype=np.int64)
    parents = np.empty(max_visits, dtype=np.int64)
    # Stack of (start, end, positives, depth, group offset, group size, is_left, arena top).
    stack = np.empty((max_visits, 8), dtype=np.int64)
    for a in range(n_alphas):
        members[a] = a
        parents[a] = NO_NODE
        n_nodes[a] = 0
    n1_root = 0
    for i in range(n_samples):
        n1_root += y[i]
    top = _push(stack, 0, 0, n_samples, n1_root, 0, 0, n_alphas, 0, n_samples)
    group_top = n_alphas
    while top > 0:
        top -= 1
        start, end, n1, depth, group, group_size, is_left, arena = stack[top]
        n = end - start
        for k in range(group_size):
            a = members[group + k]
            node = n_nodes[a]
            n_nodes[a] += 1
            node_ids[k] = node
            parent = parents[group + k]
            if parent != NO_NODE:
                if is_left:
                    left[a, parent] = node
                else:
                    right[a, parent] = node
            value[a, node] = POSITIVE if n1 * alphas[a] > n - n1 else NEGATIVE
            feature[a, node] = NO_NODE
            threshold[a, node] = UNDEFINED_THRESHOLD
            left[a, node] = NO_NODE
            right[a, node] = NO_NODE
        if _is_leaf(n, n1, depth, max_depth, min_samples_leaf):
            continue
        total = 0
        for f in range(n_features):
            n_cand[f] = _candidate_cuts(
                x_by_feature, work, f, start, end, min_samples_leaf, cand_pos[f], cand_n1_left[f]
            )
            total += n_cand[f]
        if total == 0:
            continue
        n_sub = 0
        for k in range(group_size):
            a = members[group + k]
            _best_candidate(start, n - n1, n1, alphas[a], cand_pos, cand_n1_left, n_cand, best)
            s = 0
            while s < n_sub and not (sub_feature[s] == best[0] and sub_pos[s] == best[1]):
                s += 1
            if s == n_sub:
                sub_feature[s] = best[0]
                sub_pos[s] = best[1]
                sub_n1_left[s] = best[2]
                sub_threshold[s] = _threshold_at(x_by_feature, work, best[0], best[1])
                n_sub += 1
            subgroup[k] = s
            feature[a, node_ids[k]] = best[0]
            threshold[a, node_ids[k]] = sub_threshold[s]
        # Every subgroup after the first gets a copy, taken before any partition.
        sub_start[0] = start
        for s in range(1, n_sub):
            sub_start[s] = arena
            _copy_columns(work, start, arena, n)
            arena += n
        for s in range(n_sub):
            n_left = sub_pos[s] - start
            n1_left = sub_n1_left[s]
            begin = sub_start[s]
            _lay_out_children(
                work,
                packed,
                rank,
                begin,
                n,
                n_left,
                sub_feature[s],
                _is_leaf(n_left, n1_left, depth + 1, max_depth, min_samples_leaf),
                _is_leaf(n - n_left, n1 - n1_left, depth + 1, max_depth, min_samples_leaf),
                marked,
                keys,
                goes_left,
                buffer,
            )
            size = 0
            for k in range(group_size):
                if subgroup[k] == s:
                    members[group_top + size] = members[group + k]
                    parents[group_top + size] = node_ids[k]
                    size += 1
            top = _push(
                stack,
                top,
                begin + n_left,
                begin + n,
                n1 - n1_left,
                depth + 1,
                group_top,
                size,
                0,
                arena,
            )
            top = _push(
                stack, top, begin, begin + n_left, n1_left, depth + 1, group_top, size, 1, arena
            )
            group_top += size
