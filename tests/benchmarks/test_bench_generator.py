"""benchmarks/bench_generator.py: the candidate draws make_classification's recipe."""

from __future__ import annotations

import numpy as np
import pytest

from simulate.data.splits import _classification

SETTINGS = {"beta": 0.01, "n_samples": 10_000, "n_features": 10, "n_informative": 5}


@pytest.fixture(scope="module")
def bench(import_benchmark):
    """The benchmark's module."""
    return import_benchmark("bench_generator")


@pytest.mark.parametrize("class_sep", [0.05, 1.0, 3.0])
def test_the_candidate_draws_the_same_clusters_and_classes(bench, class_sep):
    X, y, order = bench.pcg64_classification(class_sep, 7, **SETTINGS)
    X_ref, y_ref, order_ref = _classification(class_sep, 7, **SETTINGS)
    assert X.shape == X_ref.shape and order.shape == order_ref.shape
    np.testing.assert_array_equal(y, y_ref)  # the same rows per cluster and class
    np.testing.assert_array_equal(np.sort(order), np.arange(y.size))
    assert not np.array_equal(X, X_ref)  # drawn from another generator
    # the features are shuffled; the useless ones are standard normal, the informative ones
    # centred on the vertices at +-class_sep
    useless = np.abs(X.mean(axis=0)) < 0.05
    assert useless.sum() >= 10 - 5
    again, _, _ = bench.pcg64_classification(class_sep, 7, **SETTINGS)
    np.testing.assert_array_equal(X, again)  # seeded


def test_the_candidate_places_four_distinct_vertices(bench):
    X, _, _ = bench.pcg64_classification(
        2.0, 3, beta=0.5, n_samples=4000, n_features=5, n_informative=5
    )
    centres = np.array([X[i * 1000 : (i + 1) * 1000].mean(axis=0) for i in range(4)])
    assert len({tuple(np.sign(np.round(c))) for c in centres}) == 4
    assert np.all(np.abs(np.abs(centres) - 2.0) < 0.3)  # each coordinate near +-class_sep
