import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from simulate import SweepConfig, load_run, run_sweep
from simulate.config import DEFAULT_REPS
from simulate.data.splits import dataset_seeds, hold_out_validation, make_dataset
from simulate.models.registry import HGB_PARAMS, MLP_PARAMS, PROBABILISTIC, fit_model
from simulate.sweep import plan_chunks, run_chunk, split_sizes, tidy_fits, tidy_validation

ALPHAS = np.array([0.5, 3.0, 20.0])  # 1 is not among them: the models fit it for the scores


def _split(config: SweepConfig, rep: int = 0):
    seeds = dataset_seeds(config.seed, 0, rep)
    data = make_dataset(config.seps[0], seeds, **config.data_settings())
    return hold_out_validation(data, config.val_size, seeds.validation), seeds


def _counts(y_true, y_pred):
    tn, fp, fn, tp = confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel()
    return [tp, fp, fn, tn]


@pytest.mark.parametrize("model", PROBABILISTIC)
def test_split_sizes_are_the_real_ones(small_config, model):
    config = dataclasses.replace(small_config, model=model)
    data, _ = _split(config)
    sizes = split_sizes(config)
    assert len(data.y_test) == sizes["test"]
    assert len(data.y_train) == sizes["fitting"]
    assert len(data.y_val) == sizes["validation"]
    assert sizes["fitting"] + sizes["validation"] == sizes["training"]


def test_the_validation_split_is_stratified_and_disjoint(small_config):
    config = dataclasses.replace(small_config, model="hgb", n_samples=4000)
    data, _ = _split(config)
    whole = make_dataset(config.seps[0], dataset_seeds(config.seed, 0, 0), **config.data_settings())
    assert len(data.y_train) + len(data.y_val) == len(whole.y_train)
    assert abs(data.y_val.mean() - whole.y_train.mean()) < 1 / len(data.y_val)
    rows = {tuple(row) for row in data.X_train}
    assert not any(tuple(row) in rows for row in data.X_val)


def _reference(estimator, seed, data, standardise):
    """Each weight's counts and the alpha = 1 model's validation scores, fitted here directly."""
    X_fit, X_test, X_val = data.X_train, data.X_test, data.X_val
    if standardise:
        scaler = StandardScaler().fit(X_fit)
        X_fit, X_test, X_val = (scaler.transform(X) for X in (X_fit, X_test, X_val))
    counts, validation_counts = [], []
    for alpha in ALPHAS:
        weight = np.where(data.y_train == 1, alpha, 1.0)
        model = estimator(seed).fit(X_fit, data.y_train, sample_weight=weight)
        counts.append(_counts(data.y_test, model.predict(X_test)))
        validation_counts.append(_counts(data.y_val, model.predict(X_val)))
    one = estimator(seed).fit(X_fit, data.y_train)
    scores = one.predict_proba(X_val)[:, 1], one.predict_proba(X_test)[:, 1]
    return np.array(counts), np.array(validation_counts), *scores


def _logreg(seed):
    return LogisticRegression()


def _hgb(seed):
    return HistGradientBoostingClassifier(**HGB_PARAMS, random_state=seed)


def _mlp(seed):
    return MLPClassifier(**MLP_PARAMS, random_state=seed)


@pytest.mark.parametrize(
    ("model", "estimator", "standardise"),
    [
        ("logreg", _logreg, True),
        pytest.param("hgb", _hgb, False, marks=pytest.mark.slow),
        ("mlp", _mlp, True),
    ],
)
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_each_model_is_the_scikit_learn_estimator_it_names(
    small_config, model, estimator, standardise
):
    config = dataclasses.replace(small_config, model=model, engine="sklearn")
    data, seeds = _split(config)
    # One thread, as each of the sweep's workers runs: hgb's OpenMP threads would otherwise
    # contend for the cores.
    with threadpool_limits(limits=1):
        fitted = fit_model(
            data, ALPHAS, config.model, **config.model_settings(), random_state=seeds.model
        )
        counts, validation_counts, scores, test_scores = _reference(
            estimator, seeds.model, data, standardise
        )
    np.testing.assert_array_equal(fitted.counts, counts)
    np.testing.assert_array_equal(fitted.validation_counts, validation_counts)
    np.testing.assert_allclose(fitted.validation_scores, scores, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(fitted.test_scores, test_scores, rtol=1e-12, atol=1e-15)


def test_trees_have_no_validation_split_or_scores(small_config, small_sweep):
    assert small_sweep.validation is None
    assert "predicted_f1_bce" not in small_sweep.fits.columns
    assert "validation" not in split_sizes(small_config)


@pytest.mark.slow
@pytest.mark.parametrize("model", PROBABILISTIC)
def test_a_probabilistic_sweep_is_reproducible_and_stores_what_the_theory_needs(
    small_config, model, tmp_path
):
    config = dataclasses.replace(small_config, model=model, reps=2)
    run = run_sweep(config, n_jobs=1, progress=False, out=tmp_path)
    again = run_sweep(config, n_jobs=2, progress=False)
    pd.testing.assert_frame_equal(run.fits, again.fits)
    pd.testing.assert_frame_equal(run.validation, again.validation)
    rechunked = {chunk: run_chunk(config, chunk) for chunk in plan_chunks(config, max_reps=1)}
    pd.testing.assert_frame_equal(run.fits, tidy_fits(config, rechunked))
    pd.testing.assert_frame_equal(run.validation, tidy_validation(config, rechunked))
    saved = load_run(tmp_path)
    pd.testing.assert_frame_equal(saved.validation, run.validation)
    pd.testing.assert_frame_equal(saved.fits, run.fits)
    n_val = split_sizes(config)["validation"]
    assert len(run.validation) == len(config.seps) * 2 * n_val
    assert run.validation["score"].between(0, 1).all()
    for (class_sep, rep), group in run.validation.groupby(["class_sep", "rep"]):
        assert group["label"].sum() >= 1, (class_sep, rep)


def test_tree_settings_belong_to_trees():
    with pytest.raises(
        ValueError, match=r"min_samples_leaf=5 of SweepConfig applies to model='tree'"
    ):
        SweepConfig(model="hgb", min_samples_leaf=5)
    with pytest.raises(ValueError, match=r"'model' parameter of SweepConfig must be one of"):
        SweepConfig(model="svm")
    with pytest.raises(ValueError, match=r"'val_size' parameter of SweepConfig"):
        SweepConfig(model="logreg", val_size=0.0)


def test_the_validation_split_needs_positives():
    with pytest.raises(ValueError, match=r"expected positives in each validation split"):
        SweepConfig(model="logreg", n_samples=2000, beta=0.01)
    SweepConfig(model="tree", n_samples=2000, beta=0.01)  # trees hold no validation split out


def test_each_model_has_its_default_reps():
    assert SweepConfig().n_reps == 250
    assert SweepConfig(model="hgb").n_reps < SweepConfig(model="logreg").n_reps
    assert SweepConfig(model="hgb", reps=7).n_reps == 7
    assert SweepConfig(model="mlp").reps is None
    assert SweepConfig(model="mlp").to_dict()["reps"] == DEFAULT_REPS["mlp"]
    assert SweepConfig.from_dict(SweepConfig(model="mlp").to_dict()) == SweepConfig(
        model="mlp", reps=DEFAULT_REPS["mlp"]
    )


@pytest.mark.slow
def test_an_interrupted_probabilistic_sweep_resumes_to_the_same_numbers(
    small_config, tmp_path, monkeypatch
):
    import simulate.sweep as sweep

    config = dataclasses.replace(small_config, model="logreg", reps=2)
    real = sweep.run_chunk
    calls = []

    def failing_after_one(config, chunk):
        if calls:
            raise KeyboardInterrupt
        calls.append(chunk)
        return real(config, chunk)

    monkeypatch.setattr(sweep, "MAX_CHUNK_REPS", 1)
    monkeypatch.setattr(sweep, "run_chunk", failing_after_one)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(config, n_jobs=1, progress=False, out=tmp_path)
    assert len(list((tmp_path / "parts").glob("*.npz"))) == 1
    monkeypatch.setattr(sweep, "run_chunk", real)
    resumed = run_sweep(config, n_jobs=1, progress=False, out=tmp_path, resume=True)
    whole = run_sweep(config, n_jobs=1, progress=False)
    pd.testing.assert_frame_equal(resumed.fits, whole.fits)
    pd.testing.assert_frame_equal(resumed.validation, whole.validation)
    pd.testing.assert_frame_equal(load_run(tmp_path).validation, whole.validation)


def test_the_numba_logreg_engine_agrees_with_scikit_learn(small_config):
    # The numba path is the exact minimiser; scikit-learn's default stops at tol 1e-4, so a few
    # test points near the boundary may fall the other way (tests/simulate/models/test_logreg.py).
    config = dataclasses.replace(small_config, model="logreg", n_samples=4000, reps=4)
    chunk = plan_chunks(config)[0]
    numba = run_chunk(config, chunk)
    sklearn = run_chunk(dataclasses.replace(config, engine="sklearn"), chunk)
    moved = np.abs(numba["counts"] - sklearn["counts"])[..., :2].sum()  # tp and fp
    points = numba["counts"][..., 0].size * split_sizes(config)["test"]
    assert moved <= 1e-3 * points
    np.testing.assert_allclose(numba["validation_scores"], sklearn["validation_scores"], atol=0.01)
    np.testing.assert_array_equal(numba["validation_labels"], sklearn["validation_labels"])
