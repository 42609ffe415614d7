"""The registry's scaling (``_standardised``) against scikit-learn's ``StandardScaler``, bit for
bit: the sweep's reference runs were standardised by the scaler."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.preprocessing import StandardScaler

from simulate.data.splits import Dataset
from simulate.models.registry import _mean_and_scale, _standardised


def _columns(seed: int, n_rows: int, n_columns: int) -> np.ndarray:
    """Columns of many kinds: spread and offset over many magnitudes, and constant ones (of
    any value, where the variance's rounding error decides the scale), near-constant ones and
    columns of equal values of both signs."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_rows, n_columns))
    X *= 10.0 ** rng.uniform(-12, 8, n_columns)
    X += rng.choice([0.0, 1.0, -3.5, 1e6, 1e12], n_columns) * rng.standard_normal(n_columns)
    kinds = rng.integers(0, 6, n_columns)
    X[:, kinds == 0] = rng.standard_normal() * 10.0 ** rng.integers(-5, 12)  # constant
    X[:, kinds == 1] = 0.0
    near = kinds == 2
    X[:, near] = 0.1 + 1e-17 * rng.standard_normal((n_rows, int(near.sum())))
    signs = kinds == 3
    X[:, signs] = rng.choice([-0.25, 0.25], (n_rows, int(signs.sum())))
    return X


@settings(max_examples=200, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_rows=st.integers(1, 400),
    n_columns=st.integers(1, 12),
)
def test_mean_and_scale_are_the_scalers_bit_for_bit(seed, n_rows, n_columns):
    X = _columns(seed, n_rows, n_columns)
    scaler = StandardScaler().fit(X)
    mean, scale = _mean_and_scale(X)
    np.testing.assert_array_equal(mean.view(np.int64), scaler.mean_.view(np.int64))
    np.testing.assert_array_equal(scale.view(np.int64), scaler.scale_.view(np.int64))


def test_standardised_splits_are_the_scalers_bit_for_bit():
    X = _columns(5, 9_000, 10)
    data = Dataset(X[:6_000], X[8_000:], np.zeros(6_000), np.zeros(1_000), X[6_000:8_000])
    scaled = _standardised(data)
    scaler = StandardScaler().fit(data.X_train)
    for name in ("X_train", "X_test", "X_val"):
        expected = scaler.transform(getattr(data, name))
        got = getattr(scaled, name)
        assert got.flags.c_contiguous
        np.testing.assert_array_equal(got.view(np.int64), expected.view(np.int64))


def test_columns_in_any_memory_order_get_the_scalers_numbers():
    X = np.asfortranarray(_columns(11, 3_000, 6))
    scaler = StandardScaler().fit(X)
    mean, scale = _mean_and_scale(X)
    np.testing.assert_array_equal(mean.view(np.int64), scaler.mean_.view(np.int64))
    np.testing.assert_array_equal(scale.view(np.int64), scaler.scale_.view(np.int64))
