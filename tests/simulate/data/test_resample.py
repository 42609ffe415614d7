import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.preprocessing import StandardScaler

import theory
from simulate import SweepConfig, run_sweep
from simulate.config import DEFAULT_ALPHAS
from simulate.data.resample import fraction_of_weight, resample
from simulate.data.splits import dataset_seeds, hold_out_validation, make_dataset
from simulate.models.registry import fit_model
from simulate.sweep import plan_chunks, run_chunk, tidy_fits


def _rows(n: int = 1000, positives: int = 30):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(n, 3))
    y = np.zeros(n, dtype=np.int64)
    y[rng.choice(n, positives, replace=False)] = 1
    return X, y


@pytest.mark.parametrize("beta", [0.01, 0.2])
def test_fraction_of_weight_inverts_the_equivalent_weight(beta):
    alphas = np.logspace(-2, 4, 13)
    np.testing.assert_allclose(
        theory.equivalent_weight(beta, fraction_of_weight(beta, alphas)), alphas, rtol=1e-12
    )
    assert fraction_of_weight(beta, 1.0) == pytest.approx(beta)


@pytest.mark.parametrize("fraction", [0.1, 0.25, 0.5])
def test_undersampling_drops_negatives_only_until_the_fraction(fraction):
    X, y = _rows()
    X_new, y_new = resample(X, y, fraction, "undersample", np.random.default_rng(0))
    assert y_new.sum() == y.sum()
    assert abs(y_new.mean() - fraction) <= 1 / len(y_new)
    rows = [np.flatnonzero((row == X).all(axis=1))[0] for row in X_new]
    assert rows == sorted(set(rows))  # a subset, without repeats, in the original order
    assert (y[rows] == y_new).all()


@pytest.mark.parametrize("fraction", [0.1, 0.25, 0.5])
def test_oversampling_copies_positives_only_until_the_fraction(fraction):
    X, y = _rows()
    X_new, y_new = resample(X, y, fraction, "oversample", np.random.default_rng(0))
    np.testing.assert_array_equal(X_new[: len(X)], X)
    assert (y_new[len(y) :] == 1).all()
    copies = X_new[len(X) :]
    assert all(((X[y == 1] == row).all(axis=1)).any() for row in copies)
    assert abs(y_new.mean() - fraction) <= 1 / len(y_new)
    assert (len(y_new) - y_new.sum()) == (len(y) - y.sum())


@pytest.mark.parametrize("knob", ["undersample", "oversample"])
def test_a_fraction_the_rows_already_reach_changes_nothing(knob):
    X, y = _rows()
    X_new, y_new = resample(X, y, 0.02, knob, np.random.default_rng(0))
    assert X_new is X and y_new is y


def test_the_same_draws_give_the_same_rows():
    X, y = _rows()
    first = resample(X, y, 0.3, "undersample", np.random.default_rng([5, 1]))
    again = resample(X, y, 0.3, "undersample", np.random.default_rng([5, 1]))
    other = resample(X, y, 0.3, "undersample", np.random.default_rng([5, 2]))
    np.testing.assert_array_equal(first[0], again[0])
    assert not np.array_equal(first[0], other[0])


def test_fractions_become_the_weights():
    config = SweepConfig(fractions=(0.5, 0.1), knob="undersample")
    np.testing.assert_allclose(config.alphas, theory.equivalent_weight(0.01, [0.1, 0.5]))
    assert SweepConfig.from_dict(config.to_dict()).to_dict() == config.to_dict()
    assert dataclasses.replace(config, seed=3).alphas == config.alphas


def test_weights_given_twice_are_refused_naming_both():
    # alphas and fractions both say the weights: other explicit alphas are not dropped silently.
    message = r"alphas=\[1, 2\] and fractions=\[0.5\] of SweepConfig both give the weights"
    with pytest.raises(ValueError, match=message):
        SweepConfig(fractions=(0.5,), alphas=(1.0, 2.0))
    assert SweepConfig(fractions=(0.5,), alphas=(99.0,)).alphas == pytest.approx((99.0,))
    switched = dataclasses.replace(SweepConfig(alphas=(1.0, 2.0)), alphas=DEFAULT_ALPHAS)
    assert dataclasses.replace(switched, fractions=(0.5,)).alphas == pytest.approx((99.0,))


def test_resampling_needs_weights_of_at_least_one():
    with pytest.raises(ValueError, match=r"'alphas'.*at least 1 .*knob is 'oversample'"):
        SweepConfig(knob="oversample", alphas=(0.5, 2.0))
    with pytest.raises(ValueError, match=r"'fractions'.*Got 0.005 instead"):
        SweepConfig(knob="undersample", fractions=(0.005, 0.1))
    with pytest.raises(ValueError, match=r"'fractions' parameter of SweepConfig must be"):
        SweepConfig(fractions=(0.5, 1.0))
    with pytest.raises(ValueError, match=r"'knob' parameter of SweepConfig must be one of"):
        SweepConfig(knob="smote")
    SweepConfig(knob="undersample", fractions=(0.01, 0.5))  # q = beta is the weight 1


def test_a_resampled_model_is_the_estimator_fitted_on_the_resampled_rows(small_config):
    config = dataclasses.replace(small_config, model="logreg", knob="undersample")
    seeds = dataset_seeds(config.seed, 0, 0)
    data = make_dataset(config.seps[0], seeds, **config.data_settings())
    data = hold_out_validation(data, config.val_size, seeds.validation)
    alphas = np.asarray(config.alphas)
    fitted = fit_model(
        data,
        alphas,
        config.model,
        **config.model_settings(),
        random_state=seeds.model,
        resample_seed=seeds.resample,
    )
    for i, q in enumerate(fraction_of_weight(config.beta, alphas)):
        rng = np.random.default_rng([seeds.resample, i])
        X, y = resample(data.X_train, data.y_train, q, "undersample", rng)
        scaler = StandardScaler().fit(X)
        model = LogisticRegression().fit(scaler.transform(X), y)
        predicted = model.predict(scaler.transform(data.X_test))
        tn, fp, fn, tp = confusion_matrix(data.y_test, predicted, labels=[0, 1]).ravel()
        np.testing.assert_array_equal(fitted.counts[i], [tp, fp, fn, tn])
    unweighted = {**config.model_settings(), "knob": "weight"}
    unresampled = fit_model(data, np.ones(1), config.model, **unweighted, random_state=0)
    np.testing.assert_array_equal(fitted.validation_scores, unresampled.validation_scores)


@pytest.mark.slow
@pytest.mark.parametrize(("knob", "model"), [("undersample", "tree"), ("oversample", "logreg")])
def test_a_resampled_sweep_is_reproducible(small_config, knob, model):
    config = dataclasses.replace(
        small_config, knob=knob, model=model, alphas=DEFAULT_ALPHAS, fractions=(0.1, 0.3)
    )
    serial = run_sweep(config, n_jobs=1, progress=False)
    parallel = run_sweep(config, n_jobs=2, progress=False)
    pd.testing.assert_frame_equal(serial.fits, parallel.fits)
    rechunked = {chunk: run_chunk(config, chunk) for chunk in plan_chunks(config, max_reps=1)}
    pd.testing.assert_frame_equal(serial.fits, tidy_fits(config, rechunked))
    np.testing.assert_allclose(serial.fits["positive_fraction"].unique(), [0.1, 0.3])
