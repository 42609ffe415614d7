import dataclasses

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits

from simulate import SweepConfig, load_run, run_sweep
from simulate.commands.sweep import main
from simulate.config import DEFAULT_REPS
from simulate.data.splits import dataset_seeds, hold_out_validation, make_dataset
from simulate.models.registry import (
    HGB_PARAMS,
    MLP_PARAMS,
    MODELS,
    PROBABILISTIC,
    TREES,
    fit_model,
)
from simulate.sweep import plan_chunks, run_chunk, split_sizes, tidy_fits, tidy_validation

ALPHAS = np.array([0.5, 3.0, 20.0])  # 1 is not among them: the models fit it for the scores
#: The tree options tree-proba is tested with: leaves of at least 10 samples, at most 4 deep.
TREE_OPTIONS = {"max_depth": 4, "min_samples_leaf": 10}


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


def _tree_proba(seed):
    return DecisionTreeClassifier(**TREE_OPTIONS, random_state=seed)


@pytest.mark.parametrize(
    ("model", "estimator", "standardise", "options"),
    [
        ("logreg", _logreg, True, {}),
        pytest.param("hgb", _hgb, False, {}, marks=pytest.mark.slow),
        ("mlp", _mlp, True, {}),
        ("tree-proba", _tree_proba, False, TREE_OPTIONS),
    ],
)
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_each_model_is_the_scikit_learn_estimator_it_names(
    small_config, model, estimator, standardise, options
):
    config = dataclasses.replace(small_config, model=model, engine="sklearn", **options)
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


def test_tree_proba_scores_are_its_leaves_share_of_positives(small_config):
    config = dataclasses.replace(small_config, model="tree-proba", **TREE_OPTIONS)
    data, seeds = _split(config)
    fitted = fit_model(
        data, ALPHAS, "tree-proba", **config.model_settings(), random_state=seeds.model
    )
    one = _tree_proba(seeds.model).fit(data.X_train, data.y_train)
    leaves = one.apply(data.X_train)
    share = {leaf: data.y_train[leaves == leaf].mean() for leaf in np.unique(leaves)}
    expected = np.array([share[leaf] for leaf in one.apply(data.X_val)])
    np.testing.assert_allclose(fitted.validation_scores, expected, rtol=1e-12)
    assert ((expected > 0) & (expected < 1)).any()  # impure leaves: scores a threshold can move
    # A leaf of the tree weighted alpha predicts positive where its weighted majority is positive:
    # alpha * positives > negatives, its share of positives above 1 / (1 + alpha), bayes's rule.
    for alpha in ALPHAS:
        weighted = _tree_proba(seeds.model).fit(
            data.X_train, data.y_train, sample_weight=np.where(data.y_train == 1, alpha, 1.0)
        )
        leaves = weighted.apply(data.X_train)
        positive = {
            leaf: alpha * (data.y_train[leaves == leaf] == 1).sum()
            > (data.y_train[leaves == leaf] == 0).sum()
            for leaf in np.unique(leaves)
        }
        expected = [positive[leaf] for leaf in weighted.apply(data.X_test)]
        np.testing.assert_array_equal(weighted.predict(data.X_test), expected)


def test_a_fully_grown_tree_proba_scores_0_or_1(small_config):
    config = dataclasses.replace(small_config, model="tree-proba")  # min_samples_leaf 1
    data, seeds = _split(config)
    fitted = fit_model(
        data, ALPHAS, "tree-proba", **config.model_settings(), random_state=seeds.model
    )
    assert set(np.unique(fitted.validation_scores)) <= {0.0, 1.0}


def test_a_tree_proba_sweep_predicts_each_weight():
    run = run_sweep(
        model="tree-proba",
        min_samples_leaf=20,
        reps=2,
        alphas=[1, 5],
        seps=[1.0],
        n_samples=2000,
        beta=0.05,
        n_jobs=1,
        progress=False,
    )
    assert run.validation is not None
    assert run.validation["score"].between(0, 1).all()
    assert ((run.validation["score"] > 0) & (run.validation["score"] < 1)).any()
    predicted = run.fits.filter(like="predicted_")
    assert {"predicted_f1_bce", "predicted_f1_bayes"} <= set(predicted.columns)
    # NaN where the alpha = 1 model sits at an end of its validation curve (not predicted)
    assert predicted.notna().any().all()
    values = predicted.to_numpy()
    assert ((values[~np.isnan(values)] >= 0) & (values[~np.isnan(values)] <= 1)).all()
    assert run.fits["tuned_threshold"].between(0, 1).all()
    assert SweepConfig.from_dict(run.run["config"]).min_samples_leaf == 20


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
    assert TREES == ("tree", "tree-proba")
    for model in TREES:
        config = SweepConfig(model=model, max_depth=3, min_samples_leaf=5)
        assert (config.max_depth, config.min_samples_leaf) == (3, 5)
    for model in set(MODELS) - set(TREES):
        for setting in ({"min_samples_leaf": 5}, {"max_depth": 3}):
            name, value = next(iter(setting.items()))
            message = (
                rf"^The setting {name}={value} of SweepConfig applies to model='tree' only "
                rf"\(and model='tree-proba'\), not to model='{model}'\.$"
            )
            with pytest.raises(ValueError, match=message):
                SweepConfig(model=model, **setting)
    with pytest.raises(ValueError, match=r"'model' parameter of SweepConfig must be one of"):
        SweepConfig(model="svm")
    with pytest.raises(ValueError, match=r"'val_size' parameter of SweepConfig"):
        SweepConfig(model="logreg", val_size=0.0)


def test_the_validation_split_needs_positives():
    with pytest.raises(ValueError, match=r"expected positives in each validation split"):
        SweepConfig(model="logreg", n_samples=2000, beta=0.01)
    SweepConfig(model="tree", n_samples=2000, beta=0.01)  # trees hold no validation split out


def test_each_model_has_its_default_reps():
    assert set(DEFAULT_REPS) == set(MODELS)
    assert SweepConfig().n_reps == 250
    assert SweepConfig(model="hgb").n_reps < SweepConfig(model="tree-proba").n_reps
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


SMALL = [
    "--beta", "0.05", "--alphas", "1:19:3", "--seps", "0.5,2", "--reps", "2",
    "--n-samples", "800", "--n-features", "6", "--n-informative", "3",
    "--engine", "sklearn", "--n-jobs", "1",
]  # fmt: skip


def test_tree_proba_on_the_command_line(tmp_path, capsys):
    out = tmp_path / "run"
    flags = ["--model", "tree-proba", "--min-samples-leaf", "20", "--out", str(out), "--no-plots"]
    assert main([*SMALL, *flags]) == 0
    printed = capsys.readouterr().out
    assert "the theory's prediction from the alpha = 1 model's validation scores" in printed
    assert "tree-proba" in printed
    assert (out / "validation.parquet").is_file()
    assert load_run(out).run["config"]["min_samples_leaf"] == 20


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--model", "hgb", "--min-samples-leaf", "20"],
            "error: The setting min_samples_leaf=20 of SweepConfig applies to model='tree' only "
            "(and model='tree-proba'), not to model='hgb'.",
        ),
        (
            ["--model", "logreg", "--max-depth", "3"],
            "error: The setting max_depth=3 of SweepConfig applies to model='tree' only "
            "(and model='tree-proba'), not to model='logreg'.",
        ),
        (
            ["--model", "tree-proba", "--min-samples-leaf", "0"],
            "error: argument --min-samples-leaf: must be an int in the range [1, 1000000]",
        ),
        (
            ["--model", "tree-proba", "--min-samples-leaf", "20", "--val-size", "0.01"],
            "error: The settings of SweepConfig leave 0.3 expected positives in each validation "
            "split",
        ),
        (["--model", "tree_proba"], "argument --model: invalid choice: 'tree_proba'"),
    ],
)
def test_bad_tree_proba_settings_exit_2_with_one_line(flags, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*SMALL, *flags])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "Traceback" not in error
    last = error.strip().splitlines()[-1]
    assert message in last
    assert last.startswith("python -m simulate: error: ")


#: The small sweep on the numba logreg, on which the focal loss is compared with the cross-entropy.
_FOCAL_SWEEP = {"model": "logreg", "engine": "numba", "reps": 2, "n_jobs": 1, "progress": False}
_COUNTS = ["tp", "fp", "fn", "tn"]


def test_a_focal_logreg_sweep_at_gamma_zero_is_the_bce_sweep(small_config):
    bce = run_sweep(small_config, **_FOCAL_SWEEP).fits
    at_zero = run_sweep(small_config, loss="focal", gamma=0.0, **_FOCAL_SWEEP).fits
    pd.testing.assert_frame_equal(at_zero, bce)
    focal = run_sweep(small_config, loss="focal", gamma=2.0, **_FOCAL_SWEEP)
    assert not focal.fits[_COUNTS].equals(bce[_COUNTS])
    again = run_sweep(small_config, loss="focal", gamma=2.0, **{**_FOCAL_SWEEP, "n_jobs": 2})
    pd.testing.assert_frame_equal(again.fits, focal.fits)
    other_seed = run_sweep(small_config, loss="focal", gamma=2.0, seed=1, **_FOCAL_SWEEP).fits
    assert not other_seed[_COUNTS].equals(focal.fits[_COUNTS])
    config = SweepConfig.from_dict(focal.run["config"])
    assert (config.loss, config.gamma) == ("focal", 2.0)


def test_the_focal_logreg_is_the_focal_path(small_config):
    from simulate.models.logreg import logistic_path, predict_labels

    config = dataclasses.replace(small_config, model="logreg", engine="numba", loss="focal")
    data, _ = _split(config)
    fitted = fit_model(data, ALPHAS, "logreg", **config.model_settings(), random_state=0)
    scaler = StandardScaler().fit(data.X_train)
    path = logistic_path(scaler.transform(data.X_train), data.y_train, ALPHAS, gamma=2.0)
    predictions = predict_labels(scaler.transform(data.X_test), path)
    expected = [_counts(data.y_test, row) for row in predictions]
    np.testing.assert_array_equal(fitted.counts, expected)


def test_a_focal_loss_the_model_cannot_train_is_refused(small_config):
    data, _ = _split(dataclasses.replace(small_config, model="logreg"))
    with pytest.raises(ValueError, match=r"logreg's sklearn engine has no focal loss"):
        fit_model(data, ALPHAS, "logreg", engine="sklearn", loss="focal", gamma=2.0)


def test_the_focal_mlp_is_the_network_path(small_config):
    from simulate.models.network import network_path, network_proba

    config = dataclasses.replace(small_config, model="mlp", loss="focal", gamma=1.0)
    data, _ = _split(config)
    fitted = fit_model(data, ALPHAS, "mlp", **config.model_settings(), random_state=3)
    scaler = StandardScaler().fit(data.X_train)
    X_train, X_val = scaler.transform(data.X_train), scaler.transform(data.X_val)
    networks = network_path(X_train, data.y_train, ALPHAS, gamma=1.0, random_state=3)
    expected = [
        _counts(data.y_test, network_proba(net, scaler.transform(data.X_test)) > 0.5)
        for net in networks
    ]
    np.testing.assert_array_equal(fitted.counts, expected)
    (at_one,) = network_path(X_train, data.y_train, [1.0], gamma=1.0, random_state=3)
    np.testing.assert_array_equal(fitted.validation_scores, network_proba(at_one, X_val))


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--loss", "bce", "--gamma", "2"],
            "error: argument --gamma: must be None unless loss is 'focal' (gamma applies to "
            "--loss focal only). Got 2.0 instead.",
        ),
        (
            ["--model", "hgb", "--loss", "focal"],
            "error: argument --loss: must be 'bce' for model='hgb' (the focal loss trains logreg "
            "and mlp). Got 'focal' instead.",
        ),
        (
            ["--model", "logreg", "--loss", "focal"],  # SMALL's engine is sklearn
            "error: argument --loss: must be 'bce' for logreg's engine='sklearn': scikit-learn "
            "has no focal loss; use engine='numba'. Got 'focal' instead.",
        ),
        (
            ["--model", "logreg", "--engine", "numba", "--loss", "focal", "--gamma", "-1"],
            "error: argument --gamma: must be a float in the range [0, 100]. Got '-1' instead.",
        ),
        (
            ["--model", "logreg", "--engine", "numba", "--loss", "focal", "--gamma", "nan"],
            "error: argument --gamma: must be a float in the range [0, 100]. Got 'nan' instead.",
        ),
        (["--loss", "squared"], "argument --loss: invalid choice: 'squared'"),
    ],
)
def test_bad_loss_settings_exit_2_with_one_line(flags, message, capsys):
    test_bad_tree_proba_settings_exit_2_with_one_line(flags, message, capsys)
