"""The optional boosting models xgboost and lightgbm: the libraries' own classifiers, weighted by
their own ``scale_pos_weight``, and one line when a library is missing."""

import dataclasses
import sys

import lightgbm
import numpy as np
import pytest
import xgboost

from params.validation import ParameterError
from simulate import SweepConfig, load_run
from simulate.commands.sweep import main
from simulate.config import ALPHA_RANGE
from simulate.data.splits import dataset_seeds, hold_out_validation, make_dataset
from simulate.models.boosters import BOOSTERS, LGBM_PARAMS, XGB_PARAMS, booster
from simulate.models.registry import PROBABILISTIC, fit_model
from tests.simulate.models.test_registry import SMALL

ALPHAS = np.array([0.5, 3.0, 20.0])  # 1 is not among them: the models fit it for the scores
MODELS = tuple(BOOSTERS)


def _classifier(model: str, seed: int, **settings):
    """The library's classifier with the sweep's hyper-parameters, built here directly."""
    if model == "xgboost":
        return xgboost.XGBClassifier(**{**XGB_PARAMS, **settings}, n_jobs=1, random_state=seed)
    return lightgbm.LGBMClassifier(
        **{**LGBM_PARAMS, **settings}, n_jobs=1, random_state=seed, verbose=-1
    )


def _data(config: SweepConfig, rep: int):
    seeds = dataset_seeds(config.seed, 0, rep)
    data = make_dataset(config.seps[0], seeds, **config.data_settings())
    return hold_out_validation(data, config.val_size, seeds.validation), seeds.model


def _counts(y_true, y_pred):
    positive, predicted = y_true == 1, y_pred == 1
    return [
        (positive & predicted).sum(),
        (~positive & predicted).sum(),
        (positive & ~predicted).sum(),
        (~positive & ~predicted).sum(),
    ]


def test_the_boosters_are_probabilistic_one_threaded_and_seeded():
    assert set(MODELS) == {"xgboost", "lightgbm"}
    assert set(MODELS) <= set(PROBABILISTIC)
    for model, params in (("xgboost", XGB_PARAMS), ("lightgbm", LGBM_PARAMS)):
        settings = booster(model, 7).get_params()
        assert {name: settings[name] for name in params} == params
        assert (settings["n_jobs"], settings["random_state"]) == (1, 7)


@pytest.mark.parametrize("model", MODELS)
def test_each_booster_is_the_library_classifier_weighted_by_scale_pos_weight(small_config, model):
    config = dataclasses.replace(small_config, model=model)
    for rep in range(2):
        data, seed = _data(config, rep)
        fitted = fit_model(data, ALPHAS, model, **config.model_settings(), random_state=seed)
        counts, validation_counts = [], []
        for alpha in ALPHAS:
            fit = _classifier(model, seed, scale_pos_weight=alpha).fit(data.X_train, data.y_train)
            counts.append(_counts(data.y_test, fit.predict(data.X_test)))
            validation_counts.append(_counts(data.y_val, fit.predict(data.X_val)))
            probability = fit.predict_proba(data.X_test)[:, 1]
            np.testing.assert_array_equal(fit.predict(data.X_test), probability > 0.5)
        one = _classifier(model, seed, scale_pos_weight=1.0).fit(data.X_train, data.y_train)
        np.testing.assert_array_equal(fitted.counts, counts)
        np.testing.assert_array_equal(fitted.validation_counts, validation_counts)
        np.testing.assert_array_equal(fitted.validation_scores, one.predict_proba(data.X_val)[:, 1])
        np.testing.assert_array_equal(fitted.test_scores, one.predict_proba(data.X_test)[:, 1])
        assert (fitted.counts[:, 0] + fitted.counts[:, 1]).any()  # some positive predictions


#: What makes ``scale_pos_weight`` and ``sample_weight`` fit the same model: the boosting's
#: starting score fixed (and XGBoost's bins placed without the weights: one per distinct value).
FIXED_START = {
    "xgboost": {"base_score": 0.5, "max_bin": 100_000},
    "lightgbm": {"boost_from_average": False},
}


@pytest.mark.parametrize("model", MODELS)
def test_scale_pos_weight_is_sample_weight_on_the_positives_only_from_a_fixed_start(
    small_config, model
):
    # The libraries scale each positive's gradient and hessian by scale_pos_weight, as by a
    # sample weight; with their defaults the boosting starts from a score the two set apart.
    config = dataclasses.replace(small_config, model=model)
    for rep in range(3):
        data, seed = _data(config, rep)
        for alpha in ALPHAS:
            weight = np.where(data.y_train == 1, alpha, 1.0)
            for settings, same in (({}, False), (FIXED_START[model], True)):
                by_knob = _classifier(model, seed, scale_pos_weight=alpha, **settings)
                by_weight = _classifier(model, seed, **settings)
                by_knob.fit(data.X_train, data.y_train)
                by_weight.fit(data.X_train, data.y_train, sample_weight=weight)
                knob = by_knob.predict_proba(data.X_test)[:, 1]
                weighted = by_weight.predict_proba(data.X_test)[:, 1]
                if same:
                    np.testing.assert_array_equal(knob, weighted)
                else:
                    assert np.abs(knob - weighted).max() > 0.05, (rep, alpha)


@pytest.mark.parametrize("model", MODELS)
def test_a_missing_library_is_named_with_its_pip_command(small_config, model, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, model, None)  # import model raises ImportError
    complaint = (
        f"must be a model whose library is installed. Got '{model}' instead: the {model} package "
        f'is missing: pip install ".[{model}]".'
    )
    with pytest.raises(ParameterError) as error:
        SweepConfig(model=model)
    assert str(error.value) == f"The 'model' parameter of SweepConfig {complaint}"
    data, seed = _data(small_config, 0)
    with pytest.raises(ParameterError, match=r"^The 'model' parameter of fit_model must be a"):
        fit_model(data, ALPHAS, model, random_state=seed)
    with pytest.raises(SystemExit) as exit_info:
        main([*SMALL, "--model", model])
    assert exit_info.value.code == 2
    error_lines = capsys.readouterr().err.strip().splitlines()
    assert error_lines == [
        f"python -m simulate: error: argument --model: {complaint} (see python -m simulate --help)"
    ]
    assert "Traceback" not in "\n".join(error_lines)
    SweepConfig(model="hgb")  # the others do not need it


@pytest.mark.parametrize("model", MODELS)
def test_scale_pos_weight_takes_the_sweeps_range_of_weights(small_config, model, capsys):
    config = dataclasses.replace(small_config, model=model)
    data, seed = _data(config, 0)
    ends = np.array([ALPHA_RANGE.low, ALPHA_RANGE.high])
    fitted = fit_model(data, ends, model, random_state=seed)
    assert (fitted.counts.sum(axis=1) == len(data.y_test)).all()
    assert np.isfinite(fitted.validation_scores).all()
    for alpha in (ALPHA_RANGE.low / 2, ALPHA_RANGE.high * 2):
        with pytest.raises(ParameterError, match=r"^The 'alphas' parameter of SweepConfig"):
            SweepConfig(model=model, alphas=(1.0, alpha))
        flags = [*SMALL, "--model", model, "--alphas", f"1,{alpha:g}"]
        with pytest.raises(SystemExit) as exit_info:
            main(flags)
        assert exit_info.value.code == 2
        error = capsys.readouterr().err
        assert "Traceback" not in error
        last = error.strip().splitlines()[-1]
        assert last.startswith("python -m simulate: error: argument --alphas: must be ")
        assert f"{alpha:g}" in last


@pytest.mark.parametrize("model", MODELS)
def test_a_booster_on_the_command_line(tmp_path, model, capsys):
    out = tmp_path / "run"
    assert main([*SMALL, "--model", model, "--out", str(out), "--no-plots"]) == 0
    printed = capsys.readouterr().out
    assert "the theory's prediction from the alpha = 1 model's validation scores" in printed
    run = load_run(out)
    assert run.run["config"]["model"] == model
    assert run.validation["score"].between(0, 1).all()
