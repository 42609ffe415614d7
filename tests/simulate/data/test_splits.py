import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

from simulate import SweepConfig
from simulate.data import splits
from simulate.data.sources import load_rows, subsample_positives
from simulate.data.splits import (
    Dataset,
    _classification,
    _legacy_stream,
    add_label_noise,
    dataset_seeds,
    hold_out_validation,
    make_dataset,
    noisy_prevalence,
    split_rows,
)


def test_seeds_depend_only_on_their_key():
    assert dataset_seeds(0, 1, 2) == dataset_seeds(0, 1, 2)
    seeds = {dataset_seeds(s, i, r) for s in (0, 1) for i in range(3) for r in range(3)}
    assert len(seeds) == 18


def test_dataset_shape_and_prevalence(small_config):
    data = make_dataset(1.0, dataset_seeds(0, 0, 0), **small_config.data_settings())
    n_test = round(small_config.n_samples * small_config.test_size)
    assert data.X_test.shape == (n_test, small_config.n_features)
    assert data.X_train.shape == (small_config.n_samples - n_test, small_config.n_features)
    positives = np.concatenate([data.y_train, data.y_test]).sum()
    assert positives == round(small_config.n_samples * small_config.beta)
    again = make_dataset(1.0, dataset_seeds(0, 0, 0), **small_config.data_settings())
    np.testing.assert_array_equal(data.X_train, again.X_train)


def test_label_noise_replaces_about_the_fraction_asked_and_nests():
    y = np.zeros(200_000, dtype=np.int64)
    noisy = {f: add_label_noise(y, f, seed=7) for f in (0.0, 0.01, 0.05)}
    assert noisy[0.0] is y
    # a replaced label is drawn uniformly from {0, 1}: about half of the replaced ones change
    assert noisy[0.05].mean() == pytest.approx(0.025, abs=0.002) == noisy_prevalence(0.0, 0.05)
    mixed = add_label_noise((np.arange(200_000) % 10 == 0).astype(np.int64), 0.05, seed=3)
    assert mixed.mean() == pytest.approx(noisy_prevalence(0.1, 0.05), abs=0.002)
    assert noisy[0.01].mean() == pytest.approx(0.005, abs=0.001)
    assert np.all(noisy[0.05][noisy[0.01] == 1] == 1)  # the same draws, at a larger fraction


def test_datasets_that_differ_in_noise_hold_the_same_points(small_config):
    seeds = dataset_seeds(0, 0, 0)
    clean = make_dataset(1.0, seeds, **small_config.data_settings())
    noisy = make_dataset(1.0, seeds, flip_y=0.2, **small_config.data_settings())
    np.testing.assert_array_equal(clean.X_train, noisy.X_train)
    np.testing.assert_array_equal(clean.X_test, noisy.X_test)
    changed = np.mean(clean.y_train != noisy.y_train)
    assert 0.05 < changed < 0.15  # 0.2 replaced, about half of them changed


def test_a_real_dataset_is_subsampled_and_split_stratified():
    config = SweepConfig(dataset=("breast_cancer",), beta=0.1)
    data = make_dataset("breast_cancer", dataset_seeds(0, 0, 0), **config.data_settings())
    y = np.concatenate([data.y_train, data.y_test])
    assert (y == 0).sum() == 357  # every benign tumour
    assert y.sum() == round(0.1 / 0.9 * 357)
    assert data.y_test.sum() == round(data.y_test.size * y.mean())  # stratified


def _either(split):
    """The split's rows, or the error it raises."""
    try:
        return [np.asarray(rows) for rows in split()]
    except ValueError as error:
        return str(error)


@settings(max_examples=300, deadline=None)
@given(
    n_rows=st.integers(2, 300),
    positives=st.floats(0.0, 1.0),
    test_size=st.floats(0.001, 0.999),
    seed=st.integers(0, 2**32 - 1),
    stratified=st.booleans(),
)
def test_split_rows_are_train_test_splits_rows(n_rows, positives, test_size, seed, stratified):
    # the same rows in the same order as scikit-learn's, tiny classes and refusals included
    labels = np.zeros(n_rows, dtype=np.int64)
    labels[np.random.default_rng(seed).permutation(n_rows)[: round(positives * n_rows)]] = 1
    stratify = labels if stratified else None
    ours = _either(lambda: split_rows(n_rows, test_size, seed, stratify=stratify))
    theirs = _either(
        lambda: train_test_split(
            np.arange(n_rows), test_size=test_size, random_state=seed, stratify=stratify
        )
    )
    if isinstance(theirs, str):
        assert ours == theirs
        return
    for mine, reference in zip(ours, theirs, strict=True):
        assert mine.dtype == reference.dtype
        np.testing.assert_array_equal(mine, reference)


@pytest.mark.parametrize(
    ("n_rows", "n_positive", "test_size"),
    [(10_000, 100, 0.25), (7_500, 75, 0.2), (7_499, 74, 0.2), (9, 2, 0.5), (4, 2, 0.5)],
)
def test_split_rows_of_the_sweeps_sizes(n_rows, n_positive, test_size):
    labels = np.zeros(n_rows, dtype=np.int64)
    labels[np.random.default_rng(n_rows).permutation(n_rows)[:n_positive]] = 1
    for seed in range(20):
        for stratify in (None, labels):
            ours = split_rows(n_rows, test_size, seed, stratify=stratify)
            theirs = train_test_split(
                np.arange(n_rows), test_size=test_size, random_state=seed, stratify=stratify
            )
            for mine, reference in zip(ours, theirs, strict=True):
                np.testing.assert_array_equal(mine, reference)


def test_the_validation_split_is_train_test_splits(small_config):
    data = make_dataset(1.0, dataset_seeds(0, 0, 0), **small_config.data_settings())
    held = hold_out_validation(data, 0.2, seed=11)
    X_fit, X_val, y_fit, y_val = train_test_split(
        data.X_train, data.y_train, test_size=0.2, stratify=data.y_train, random_state=11
    )
    expected = Dataset(X_fit, data.X_test, y_fit, data.y_test, X_val, y_val)
    for mine, reference in zip(held, expected, strict=True):
        np.testing.assert_array_equal(mine, reference)
        assert mine.flags.c_contiguous


def test_the_test_split_is_train_test_splits(small_config):
    seeds = dataset_seeds(0, 0, 4)
    data = make_dataset(0.7, seeds, **small_config.data_settings())
    X, y = make_classification(
        n_samples=small_config.n_samples,
        n_features=small_config.n_features,
        n_informative=small_config.n_informative,
        n_redundant=0,
        n_clusters_per_class=2,
        weights=(1.0 - small_config.beta,),
        class_sep=0.7,
        flip_y=0.0,
        random_state=seeds.data,
    )
    expected = train_test_split(X, y, test_size=small_config.test_size, random_state=seeds.split)
    for mine, reference in zip(data[:4], expected, strict=True):
        np.testing.assert_array_equal(mine, reference)


def test_a_real_datasets_test_split_is_train_test_splits():
    config = SweepConfig(dataset=("breast_cancer",), beta=0.1)
    seeds = dataset_seeds(0, 0, 3)
    data = make_dataset("breast_cancer", seeds, **config.data_settings())
    X, y = subsample_positives(load_rows("breast_cancer"), 0.1, np.random.default_rng(seeds.data))
    expected = train_test_split(
        X, y, test_size=config.test_size, random_state=seeds.split, stratify=y
    )
    for mine, reference in zip(data[:4], expected, strict=True):
        np.testing.assert_array_equal(mine, reference)


@pytest.mark.parametrize("flip_y", [0.0, 0.1])
def test_a_dataset_with_its_validation_split_is_the_held_out_one(small_config, flip_y):
    seeds = dataset_seeds(0, 1, 2)
    settings_ = {**small_config.data_settings(), "flip_y": flip_y}
    held = hold_out_validation(make_dataset(1.3, seeds, **settings_), 0.2, seeds.validation)
    data = make_dataset(1.3, seeds, val_size=0.2, **settings_)
    for mine, reference in zip(data, held, strict=True):
        assert mine.dtype == reference.dtype
        np.testing.assert_array_equal(mine, reference)


@pytest.mark.parametrize(
    ("n_samples", "n_features", "n_informative", "beta"),
    [(10_000, 10, 5, 0.01), (10_000, 10, 10, 0.5), (500, 40, 35, 0.2), (7, 3, 2, 0.9)],
)
def test_the_sweeps_draws_are_make_classifications(n_samples, n_features, n_informative, beta):
    for seed in (0, 2**32 - 1, 12345):
        _assert_the_draw_is_make_classifications(
            seed, n_samples, n_features, n_informative, beta, 1.3
        )


@settings(max_examples=150, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_samples=st.integers(4, 3_000),
    n_features=st.integers(2, 40),
    n_informative=st.integers(2, 40),
    beta=st.floats(0.001, 0.999),
    class_sep=st.floats(0.01, 5.0),
)
def test_the_draw_is_make_classifications_bit_for_bit(
    seed, n_samples, n_features, n_informative, beta, class_sep
):
    n_informative = min(n_informative, n_features)
    _assert_the_draw_is_make_classifications(
        seed, n_samples, n_features, n_informative, beta, class_sep
    )


def reference_draw(class_sep, seed, *, beta, n_samples, n_features, n_informative):
    """scikit-learn's make_classification of the sweep's recipe, as ``_classification`` returns
    a draw (its rows in their final order: the identity order)."""
    X, y = make_classification(
        n_samples=n_samples,
        n_features=n_features,
        n_informative=n_informative,
        n_redundant=0,
        n_clusters_per_class=2,
        weights=(1.0 - beta,),
        class_sep=class_sep,
        flip_y=0.0,
        random_state=seed,
    )
    return X, y, np.arange(n_samples)


def _assert_the_draw_is_make_classifications(
    seed, n_samples, n_features, n_informative, beta, class_sep
):
    settings = {
        "beta": beta,
        "n_samples": n_samples,
        "n_features": n_features,
        "n_informative": n_informative,
    }
    X, y, order = _classification(class_sep, seed, **settings)
    expected_X, expected_y, _ = reference_draw(class_sep, seed, **settings)
    np.testing.assert_array_equal(X[order].view(np.int64), expected_X.view(np.int64))
    np.testing.assert_array_equal(y[order], expected_y)
    assert y.dtype == expected_y.dtype


def test_a_draw_make_classification_refuses_raises_its_error():
    with pytest.raises(ValueError, match="n_informative"):
        _classification(1.0, 0, beta=0.1, n_samples=100, n_features=4, n_informative=1)
    with pytest.raises(ValueError, match="features must sum to less"):
        _classification(1.0, 0, beta=0.1, n_samples=100, n_features=4, n_informative=5)


def _draws(stream):
    normals = np.empty((5, 1))
    stream.fill_normals(normals)
    rng = stream.rng
    return normals.ravel(), rng.permutation(7), rng.uniform(size=3), rng.randint(2, size=4)


def _numpys_draws(rng):
    return rng.standard_normal(5), rng.permutation(7), rng.uniform(size=3), rng.randint(2, size=4)


def test_the_reseeded_legacy_stream_is_a_new_randomstates():
    used = _legacy_stream(1)
    used.fill_normals(np.empty((3, 1)))  # an odd count leaves a normal over, in the kernel
    used.rng.standard_normal(3)  # and in the instance
    for seed in (5, 2**32 - 1):
        drawn, fresh = _draws(_legacy_stream(seed)), _numpys_draws(np.random.RandomState(seed))
        for ours, theirs in zip(drawn, fresh, strict=True):
            np.testing.assert_array_equal(ours, theirs)


def test_numpys_normals_where_the_kernel_is_not_numpys(monkeypatch):
    # the fallback draws the same rows
    monkeypatch.setattr(splits, "_kernel_is_numpys", lambda: False)
    _assert_the_draw_is_make_classifications(3, 1_001, 7, 4, 0.2, 1.1)


def test_each_thread_has_its_own_legacy_stream():
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as other:
        theirs = other.submit(_legacy_stream, 3).result()
    assert theirs is not _legacy_stream(3)
