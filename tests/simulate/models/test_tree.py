import numpy as np
from sklearn.tree import DecisionTreeClassifier

from simulate.config import ALPHA_RANGE
from simulate.data.splits import Dataset, dataset_seeds, make_dataset
from simulate.models.tree import ENGINES, sklearn_counts
from theory.scores import confusion_counts


def test_sklearn_engine_is_a_weighted_tree_per_alpha(small_config):
    seeds = dataset_seeds(0, 0, 0)
    data = make_dataset(1.0, seeds, **small_config.data_settings())
    alphas = np.array([1.0, 20.0])
    counts = sklearn_counts(data, alphas, random_state=seeds.model)
    assert counts.shape == (2, 4)
    assert np.all(counts.sum(axis=1) == len(data.y_test))
    tree = DecisionTreeClassifier(random_state=seeds.model)
    tree.fit(data.X_train, data.y_train, sample_weight=np.where(data.y_train == 1, 20.0, 1.0))
    np.testing.assert_array_equal(
        counts[1], confusion_counts(data.y_test, tree.predict(data.X_test))
    )


def test_the_engines_agree_at_both_ends_of_the_weight_range():
    # With one feature no tie between features can part the engines: their trees, and so their
    # counts, are the same wherever float64 still resolves the weighted Gini.
    rng = np.random.default_rng(0)
    alphas = np.array([ALPHA_RANGE.low, 1.0, ALPHA_RANGE.high])
    for _ in range(10):
        y = (rng.random(1000) < 0.05).astype(np.int64)
        X = rng.normal(size=(1000, 1)) + y[:, None]
        data = Dataset(X[:750], X[750:], y[:750], y[750:])
        np.testing.assert_array_equal(
            ENGINES["numba"](data, alphas), sklearn_counts(data, alphas, random_state=0)
        )
