import numpy as np

from simulate.data import dataset_seeds, make_dataset


def test_seeds_depend_only_on_their_key():
    assert dataset_seeds(0, 1, 2) == dataset_seeds(0, 1, 2)
    seeds = {dataset_seeds(s, i, r) for s in (0, 1) for i in range(3) for r in range(3)}
    assert len(seeds) == 18


def test_dataset_shape_and_prevalence(small_config):
    data = make_dataset(small_config, 1.0, dataset_seeds(0, 0, 0))
    n_test = round(small_config.n_samples * small_config.test_size)
    assert data.X_test.shape == (n_test, small_config.n_features)
    assert data.X_train.shape == (small_config.n_samples - n_test, small_config.n_features)
    positives = np.concatenate([data.y_train, data.y_test]).sum()
    assert positives == round(small_config.n_samples * small_config.beta)
    again = make_dataset(small_config, 1.0, dataset_seeds(0, 0, 0))
    np.testing.assert_array_equal(data.X_train, again.X_train)
