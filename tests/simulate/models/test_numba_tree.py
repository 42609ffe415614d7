"""Tests of simulate.models.numba_tree: scikit-learn's tree reproduced, and its two kernels
agreeing."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.tree import DecisionTreeClassifier

from simulate.config import SweepConfig
from simulate.data.splits import dataset_seeds, make_dataset
from simulate.models._tree_kernels import sort_features
from simulate.models.numba_tree import KERNELS, fit_trees, numba_counts, numba_predict

#: Weights whose sums of copies are exact in float64, so scikit-learn's sample-by-sample sums and
#: this module's ``count * weight`` agree to the bit.
EXACT_ALPHAS = (1.0, 2.5, 8.0, 0.25)
#: The experiment's weights (1 to about 316).
EXPERIMENT_ALPHAS = np.geomspace(1.0, 316.23, 15)
#: scikit-learn's marker for "no feature" at a leaf.
SKLEARN_LEAF_FEATURE = -2
TREE_SETTINGS = (
    {},
    {"max_depth": 3},
    {"min_samples_leaf": 7},
    {"max_depth": 4, "min_samples_leaf": 3},
)


def _sklearn_tree(X, y, alpha, random_state=0, **tree_settings):
    """scikit-learn's fitted tree at weight ``alpha`` on the positives."""
    tree = DecisionTreeClassifier(random_state=random_state, **tree_settings)
    return tree.fit(X, y, sample_weight=np.where(y == 1, alpha, 1.0))


def _assert_same_tree(sk_tree, trees, a):
    """Tree ``a`` of ``trees`` has scikit-learn's nodes, splits, children and predictions."""
    reference = sk_tree.tree_
    n = trees.n_nodes[a]
    assert n == reference.node_count
    feature = trees.feature[a, :n]
    np.testing.assert_array_equal(
        np.where(feature < 0, SKLEARN_LEAF_FEATURE, feature), reference.feature
    )
    internal = feature >= 0
    np.testing.assert_array_equal(trees.threshold[a, :n][internal], reference.threshold[internal])
    np.testing.assert_array_equal(trees.left[a, :n], reference.children_left)
    np.testing.assert_array_equal(trees.right[a, :n], reference.children_right)
    leaves = ~internal
    np.testing.assert_array_equal(
        trees.value[a, :n][leaves], np.argmax(reference.value[leaves, 0], axis=1)
    )


def _continuous_data(seed, n_samples, n_features):
    """Continuous features (no repeated values) and noisy labels that need a deep tree."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    y = (X[:, 0] + X[:, -1] ** 2 + rng.normal(size=n_samples) > 1.5).astype(np.int64)
    return X, y


def _experiment_split(class_sep, seed, n_samples):
    """One dataset of the experiment (1% positives), split 75/25, as the sweep makes it."""
    data = make_dataset(
        class_sep, dataset_seeds(seed, 0, 0), **SweepConfig(n_samples=n_samples).data_settings()
    )
    return data.X_train, data.X_test, data.y_train, data.y_test


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("tree_settings", TREE_SETTINGS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_feature_matches_sklearn_exactly(kernel, tree_settings, seed):
    # With one feature no two features can tie, so every node must match.
    X, y = _continuous_data(seed, n_samples=300, n_features=1)
    trees = fit_trees(X, y, EXACT_ALPHAS, kernel=kernel, **tree_settings)
    for a, alpha in enumerate(EXACT_ALPHAS):
        _assert_same_tree(_sklearn_tree(X, y, alpha, **tree_settings), trees, a)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_shallow_trees_match_sklearn_exactly(kernel, seed):
    # Nodes of a depth-2 tree on 400 continuous samples are large: no two splits tie.
    X, y = _continuous_data(seed, n_samples=400, n_features=3)
    trees = fit_trees(X, y, EXACT_ALPHAS, max_depth=2, kernel=kernel)
    for a, alpha in enumerate(EXACT_ALPHAS):
        _assert_same_tree(_sklearn_tree(X, y, alpha, max_depth=2), trees, a)


@pytest.mark.parametrize("kernel", KERNELS)
def test_experiment_predictions_agree_with_sklearn(kernel):
    # Fully grown trees differ from scikit-learn's only where splits tie, which moves few points.
    agreement = []
    for class_sep in (0.05, 1.0, 3.0):
        X_train, X_test, y_train, _ = _experiment_split(class_sep, seed=7, n_samples=4000)
        alphas = EXPERIMENT_ALPHAS[::3]
        predicted = numba_predict(X_train, y_train, X_test, alphas, kernel=kernel)
        for a, alpha in enumerate(alphas):
            reference = _sklearn_tree(X_train, y_train, alpha).predict(X_test)
            agreement.append(np.mean(predicted[a] == reference))
    assert np.mean(agreement) >= 0.99


def test_tied_features_explain_the_differences():
    # Feature 1 copies feature 0, so every split on one ties with the same split on the other.
    rng = np.random.default_rng(3)
    u = rng.normal(size=200)
    X = np.column_stack([u, u])
    y = (u + rng.normal(size=200) > 1.0).astype(np.int64)
    trees = fit_trees(X, y, [1.0], max_depth=1)
    stumps = [_sklearn_tree(X, y, 1.0, random_state=r, max_depth=1) for r in range(10)]
    root_features = {stump.tree_.feature[0] for stump in stumps}
    assert root_features == {0, 1}
    assert trees.feature[0, 0] == 0
    _assert_same_tree(next(s for s in stumps if s.tree_.feature[0] == 0), trees, 0)

    # Fully grown: once feature 1 is renamed 0, every scikit-learn tree is the numba tree.
    full = fit_trees(X, y, [1.0])
    for random_state in range(3):
        reference = _sklearn_tree(X, y, 1.0, random_state=random_state).tree_
        renamed = np.where(reference.feature == 1, 0, reference.feature)
        n = full.n_nodes[0]
        assert n == reference.node_count
        np.testing.assert_array_equal(
            np.where(full.feature[0, :n] < 0, SKLEARN_LEAF_FEATURE, full.feature[0, :n]), renamed
        )
        np.testing.assert_array_equal(
            full.threshold[0, :n][renamed >= 0], reference.threshold[renamed >= 0]
        )


@pytest.mark.parametrize("tree_settings", TREE_SETTINGS)
def test_shared_kernel_equals_naive_kernel(tree_settings):
    X_train, _, y_train, _ = _experiment_split(1.0, seed=11, n_samples=3000)
    naive = fit_trees(X_train, y_train, EXPERIMENT_ALPHAS, kernel="naive", **tree_settings)
    shared = fit_trees(X_train, y_train, EXPERIMENT_ALPHAS, kernel="shared", **tree_settings)
    for field, expected in naive._asdict().items():
        if field == "n_nodes":
            np.testing.assert_array_equal(getattr(shared, field), expected)
            continue
        for a, n in enumerate(naive.n_nodes):
            np.testing.assert_array_equal(getattr(shared, field)[a, :n], expected[a, :n])


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_samples=st.integers(1, 60),
    n_features=st.integers(1, 4),
    n_levels=st.integers(1, 6),
    min_samples_leaf=st.integers(1, 4),
    alphas=st.lists(st.floats(0.1, 50.0), min_size=1, max_size=6),
)
def test_kernels_agree_with_repeated_values(
    seed, n_samples, n_features, n_levels, min_samples_leaf, alphas
):
    # Few distinct values: runs of equal values that mix both classes.
    rng = np.random.default_rng(seed)
    X = rng.integers(0, n_levels, size=(n_samples, n_features)).astype(np.float64)
    y = rng.integers(0, 2, size=n_samples)
    settings_ = {"min_samples_leaf": min_samples_leaf}
    naive = fit_trees(X, y, alphas, kernel="naive", **settings_)
    shared = fit_trees(X, y, alphas, kernel="shared", **settings_)
    np.testing.assert_array_equal(shared.n_nodes, naive.n_nodes)
    for a, n in enumerate(naive.n_nodes):
        np.testing.assert_array_equal(shared.feature[a, :n], naive.feature[a, :n])
        np.testing.assert_array_equal(shared.threshold[a, :n], naive.threshold[a, :n])
        np.testing.assert_array_equal(shared.value[a, :n], naive.value[a, :n])


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_samples=st.integers(50, 600),
    positive_rate=st.sampled_from([0.01, 0.05, 0.3]),
    decimals=st.integers(0, 2),
    max_depth=st.sampled_from([None, 2, 6]),
    min_samples_leaf=st.integers(1, 3),
)
def test_kernels_agree_on_imbalanced_tie_heavy_data(
    seed, n_samples, positive_rate, decimals, max_depth, min_samples_leaf
):
    # Few positives among many negatives, values rounded into ties: nodes peel small children off
    # large ones, so every way the shared kernel lays out a child's rows is taken.
    rng = np.random.default_rng(seed)
    y = (rng.random(n_samples) < positive_rate).astype(np.int64)
    X = np.round(rng.normal(size=(n_samples, 3)) + y[:, None], decimals)
    settings_ = {"max_depth": max_depth, "min_samples_leaf": min_samples_leaf}
    naive = fit_trees(X, y, EXPERIMENT_ALPHAS, kernel="naive", **settings_)
    shared = fit_trees(X, y, EXPERIMENT_ALPHAS, kernel="shared", **settings_)
    np.testing.assert_array_equal(shared.n_nodes, naive.n_nodes)
    for field, expected in naive._asdict().items():
        if field != "n_nodes":
            for a, n in enumerate(naive.n_nodes):
                np.testing.assert_array_equal(getattr(shared, field)[a, :n], expected[a, :n])


@pytest.mark.parametrize("seed", [0, 1])
def test_one_feature_with_repeated_values_matches_sklearn(seed):
    # Runs of equal values mixing both classes, handled as scikit-learn does.
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 12, size=(150, 1)).astype(np.float64)
    y = (rng.random(150) < 0.3 + 0.04 * X[:, 0]).astype(np.int64)
    for kernel in KERNELS:
        trees = fit_trees(X, y, EXACT_ALPHAS, kernel=kernel)
        for a, alpha in enumerate(EXACT_ALPHAS):
            _assert_same_tree(_sklearn_tree(X, y, alpha), trees, a)


@pytest.mark.parametrize("kernel", KERNELS)
def test_counts_are_the_confusion_matrix_of_the_predictions(kernel):
    X_train, X_test, y_train, y_test = _experiment_split(0.5, seed=5, n_samples=2000)
    alphas = EXPERIMENT_ALPHAS[::4]
    counts = numba_counts(X_train, y_train, X_test, y_test, alphas, kernel=kernel)
    predicted = numba_predict(X_train, y_train, X_test, alphas, kernel=kernel)
    truth = y_test == 1
    expected = np.column_stack(
        [
            (predicted & truth).sum(axis=1),
            (predicted & ~truth).sum(axis=1),
            (~predicted & truth).sum(axis=1),
            (~predicted & ~truth).sum(axis=1),
        ]
    )
    np.testing.assert_array_equal(counts, expected)
    assert counts.dtype == np.int64
    assert counts.shape == (len(alphas), 4)


def test_max_depth_and_min_samples_leaf_are_honoured():
    X_train, _, y_train, _ = _experiment_split(0.5, seed=2, n_samples=2000)
    trees = fit_trees(X_train, y_train, EXPERIMENT_ALPHAS[::5], max_depth=3, min_samples_leaf=9)
    x = np.asarray(X_train, dtype=np.float32)
    for a, n in enumerate(trees.n_nodes):
        depth = np.zeros(n, dtype=np.int64)
        members = {0: np.ones(len(y_train), dtype=bool)}
        for node in range(n):
            f = trees.feature[a, node]
            if f < 0:
                assert members[node].sum() >= 9
                continue
            goes_left = x[:, f] <= trees.threshold[a, node]
            for child, side in (
                (trees.left[a, node], goes_left),
                (trees.right[a, node], ~goes_left),
            ):
                depth[child] = depth[node] + 1
                members[child] = members[node] & side
        assert depth.max() <= 3


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        st.sampled_from([0.0, -0.0, 1.5, -1.5, 1e-8, -1e-8, 3.4e38, -3.4e38, 1e-45, 7.0]),
        min_size=1,
        max_size=60,
    ),
    noise=st.integers(0, 2**31 - 1),
)
def test_the_radix_sort_orders_each_feature_as_a_stable_argsort(values, noise):
    rng = np.random.default_rng(noise)
    tied = np.asarray(values, dtype=np.float32)
    spread = rng.normal(scale=10.0 ** rng.integers(-30, 30), size=tied.size).astype(np.float32)
    x_by_feature = np.ascontiguousarray(np.stack([tied, spread]))
    order = np.empty(x_by_feature.shape, dtype=np.int32)
    sort_features(x_by_feature, order)
    for row, indices in zip(x_by_feature, order, strict=True):
        assert sorted(indices.tolist()) == list(range(row.size))  # a permutation
        assert np.all(row[indices][1:] >= row[indices][:-1])  # of the values in order
        # equal values in index order, -0.0 before 0.0
        stable = np.lexsort((np.arange(row.size), np.signbit(row) == 0, row))
        np.testing.assert_array_equal(indices, stable)
