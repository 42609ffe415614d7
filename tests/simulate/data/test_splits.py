import numpy as np
import pytest

from simulate import SweepConfig
from simulate.data.splits import add_label_noise, dataset_seeds, make_dataset, noisy_prevalence


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
