from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulate import load_run
from simulate.config import DEFAULT_ALPHAS, DEFAULT_SEPS, SweepConfig
from theory.rules import DEFAULT_GAMMA

#: The committed results.
RESULTS = Path(__file__).resolve().parents[2] / "results"


def test_defaults_are_the_posts_grid():
    np.testing.assert_allclose(DEFAULT_ALPHAS, np.logspace(0, 2.5, 15))
    assert DEFAULT_SEPS[0] == 0.05
    assert DEFAULT_SEPS[-1] == 3.0
    assert len(DEFAULT_SEPS) == 15
    assert SweepConfig().reps is None
    assert SweepConfig().n_reps == 250
    assert SweepConfig().n_fits == 15 * 15 * 250


def test_grids_are_sorted_and_deduplicated():
    config = SweepConfig(alphas=[10, 1, 10], seps=[2.0, 0.5])
    assert config.alphas == (1.0, 10.0)
    assert config.seps == (0.5, 2.0)


def test_round_trip_through_dict():
    config = SweepConfig(alphas=(1.0, 3.0), reps=4, max_depth=5)
    assert SweepConfig.from_dict(config.to_dict()) == config
    focal = SweepConfig(model="logreg", loss="focal", gamma=0.5, reps=3)
    assert SweepConfig.from_dict(focal.to_dict()) == focal


def test_a_record_without_a_loss_is_the_bce_sweep():
    # run.json files written before the loss was a setting hold neither loss nor gamma.
    run = load_run(RESULTS / "models" / "logreg")
    assert "loss" not in run.run["config"]
    config = SweepConfig.from_dict(run.run["config"])
    assert (config.loss, config.gamma) == ("bce", None)
    assert config.model_settings()["loss"] == "bce"
    assert config.model_description == "logreg, numba"


def test_the_focal_loss_defaults_to_gamma_2_and_is_described():
    config = SweepConfig(model="logreg", loss="focal")
    assert config.gamma == DEFAULT_GAMMA == 2.0
    assert config == SweepConfig(model="logreg", loss="focal", gamma=2.0)
    assert config.model_settings()["gamma"] == 2.0
    assert config.model_description == "logreg, numba, focal gamma 2"
    assert SweepConfig(model="mlp", loss="focal", gamma=0.5).model_description == (
        "mlp, focal gamma 0.5"
    )
    assert SweepConfig(model="logreg", loss="focal", gamma=0).gamma == 0.0


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"beta": 1.5}, r"'beta' parameter of SweepConfig must be a float in the range \(0, 1\)"),
        ({"beta": 0.0}, r"'beta'.*Got 0\.0 instead"),
        ({"alphas": (1.0, -2.0)}, r"'alphas'.*Got -2\.0 instead"),
        ({"alphas": ()}, r"'alphas'.*non-empty"),
        ({"seps": (0.0,)}, r"'seps'.*\(0, inf\)"),
        (
            {"reps": 0},
            r"'reps' parameter of SweepConfig must be an int in the range \[1, 1000000\] or None",
        ),
        ({"reps": 10**12}, r"'reps'.*\[1, 1000000\] or None\. Got 1000000000000 instead"),
        ({"alphas": (1.0, 1e200)}, r"'alphas'.*in the range \[0\.0001, 10000000\]\. Got 1e\+200"),
        ({"alphas": (1e-200, 1.0)}, r"'alphas'.*in the range \[0\.0001, 10000000\]\. Got 1e-200"),
        ({"alphas": (1e8,)}, r"'alphas'.*Got 100000000\.0 instead"),
        ({"alphas": (1e-5,)}, r"'alphas'.*Got 1e-05 instead"),
        ({"alphas": np.geomspace(1, 2, 1001)}, r"'alphas'.*a non-empty list of at most 1000"),
        ({"beta": np.array([0.05, 0.1])}, r"'beta'.*Got \[0\.05, 0\.1\] instead"),
        ({"max_depth": 2**63}, r"'max_depth'.*\[1, 2147483647\] or None\. Got 9223372036854775808"),
        ({"n_samples": 10**7}, r"'n_samples'.*\[1, 1000000\]"),
        ({"n_features": 1001}, r"'n_features'.*\[2, 1000\]"),
        ({"n_samples": 200_000, "n_features": 1000}, r"datasets of 200,000,000 values.*at most 1"),
        ({"reps": 1_000_000}, r"ask for 225,000,000 fits.*at most 20,000,000"),
        ({"test_size": 0.999}, r"0\.1 expected positives in each training split"),
        ({"test_size": 1.0}, r"'test_size'.*\(0, 1\)"),
        ({"flip_y": 1.0}, r"'flip_y'.*\[0, 1\)"),
        ({"n_informative": 11}, r"n_informative=11 and n_features=10 of SweepConfig do not go"),
        (
            {"dataset": ("breast_cancer",), "beta": 0.1, "n_features": 3},
            r"n_features=3 of SweepConfig applies to dataset='make_classification' only",
        ),
        ({"engine": "xgboost"}, r"'engine'.*one of 'numba', 'sklearn'"),
        ({"max_depth": 0}, r"'max_depth'"),
        ({"seed": -1}, r"'seed'"),
        ({"n_samples": 1000, "beta": 0.01}, r"2\.5 expected positives.*at least 5"),
        ({"loss": "squared"}, r"'loss'.*one of 'bce', 'focal'\. Got 'squared'"),
        ({"gamma": 2.0}, r"'gamma'.*None unless loss is 'focal' \(gamma applies to --loss focal"),
        ({"loss": "bce", "gamma": 0.0}, r"'gamma'.*None unless loss is 'focal'.*Got 0\.0"),
        ({"loss": "focal"}, r"'loss'.*'bce' for model='tree' \(the focal loss trains logreg and"),
        ({"loss": "focal", "model": "hgb"}, r"'loss'.*'bce' for model='hgb'"),
        (
            {"loss": "focal", "model": "logreg", "engine": "sklearn"},
            r"'loss'.*'bce' for logreg's engine='sklearn': scikit-learn has no focal loss",
        ),
        ({"loss": "focal", "model": "logreg", "gamma": -0.5}, r"'gamma'.*\[0, 100\].*Got -0\.5"),
        ({"loss": "focal", "model": "logreg", "gamma": float("nan")}, r"'gamma'.*Got nan"),
        ({"loss": "focal", "model": "logreg", "gamma": float("inf")}, r"'gamma'.*Got inf"),
        ({"loss": "focal", "model": "logreg", "gamma": "2"}, r"'gamma'.*Got '2'"),
    ],
)
def test_bad_settings(settings, message):
    with pytest.raises(ValueError, match=message):
        SweepConfig(**settings)


@given(
    beta=st.floats(-1, 2) | st.just(float("nan")),
    reps=st.integers(-3, 5),
    test_size=st.floats(-0.5, 1.5),
)
def test_validation_accepts_exactly_the_valid(beta, reps, test_size):
    valid = (
        0 < beta < 1
        and reps >= 1
        and 0 < test_size < 1
        and 10_000 * test_size * beta >= 5
        and 10_000 * (1 - test_size) * beta >= 5
    )
    try:
        SweepConfig(beta=beta, reps=reps, test_size=test_size)
    except ValueError:
        assert not valid
    else:
        assert valid
