import numpy as np
import pandas as pd
import pytest
from scipy import special

import theory
from simulate.analysis.movement import effective_weights, movement_exponent, movement_exponents
from simulate.data.splits import noisy_prevalence

BETA = 0.01
ALPHAS = np.logspace(0.0, 2.5, 15)


def moved_summary(
    k: float, d: float = 2.0, *, offset: float = 1.0, beta: float = BETA, **keys: object
) -> pd.DataFrame:
    """Mean points of a model that moves along ``Binormal(d)`` as if weighted
    ``offset * alpha**k`` (bayes rule)."""
    x, z = theory.operating_point(offset * ALPHAS**k, beta, theory.Binormal(d), rule="bayes")
    return pd.DataFrame({**keys, "alpha": ALPHAS, "recall_mean": x, "specificity_mean": z})


@pytest.mark.parametrize("k", [0.0, 0.3, 0.7, 1.0, 1.3, -0.2])
@pytest.mark.parametrize("d", [1.5, 2.0, 3.5])
def test_recovers_a_known_exponent_whatever_the_alpha_1_model(k, d):
    summary = moved_summary(k, d, offset=3.0, class_sep=1.0)
    row = movement_exponents(summary, BETA).iloc[0]
    assert row["k"] == pytest.approx(k, abs=1e-6)
    assert row["alpha_eff_at_1"] == pytest.approx(3.0, rel=1e-6)
    assert row["n_weights"] == len(ALPHAS)
    if k != 0.0:
        assert row["r2"] == pytest.approx(1.0)
    assert row["k_se"] == pytest.approx(0.0, abs=1e-6)


def test_recovers_k_from_noisy_mean_points_within_its_standard_error():
    rng = np.random.default_rng(0)
    rows = []
    for rep in range(200):
        summary = moved_summary(0.6, 2.0, class_sep=float(rep))
        # 2,500 positives and 250,000 negatives per cell: the binomial noise of the means
        summary["recall_mean"] = rng.binomial(2500, summary["recall_mean"]) / 2500
        summary["specificity_mean"] = rng.binomial(250_000, summary["specificity_mean"]) / 250_000
        rows.append(summary)
    table = movement_exponents(pd.concat(rows), BETA)
    z = (table["k"] - 0.6) / table["k_se"]
    assert abs(table["k"].mean() - 0.6) < 0.01
    assert 0.6 < z.std() < 1.6  # the standard error is of the right size


def test_a_spread_of_models_about_their_mean_attenuates_k_by_one_over_one_plus_its_variance():
    # Every dataset's model moves with k = 1, its threshold off the rule's by N(0, sigma**2)
    # in the negatives' standard deviations; the cell means average the datasets' rates.
    d, sigma = 2.5, 0.6
    rng = np.random.default_rng(1)
    jitter = rng.normal(0.0, sigma, 20_000)
    ratio = theory.weight_ratio(ALPHAS, BETA)
    t = d / 2.0 - np.log(ratio) / d
    x = special.ndtr(d - (t[:, None] + jitter)).mean(axis=1)
    z = special.ndtr(t[:, None] + jitter).mean(axis=1)
    summary = pd.DataFrame({"alpha": ALPHAS, "recall_mean": x, "specificity_mean": z})
    row = movement_exponents(summary, BETA).iloc[0]
    assert row["k"] == pytest.approx(1.0 / (1.0 + sigma**2), abs=0.01)


def test_one_row_per_condition_with_its_keys_in_sorted_order():
    summary = pd.concat(
        [
            moved_summary(0.5, flip_y=0.0, class_sep=2.0),
            moved_summary(1.0, flip_y=0.0, class_sep=1.0),
            moved_summary(0.2, flip_y=0.05, class_sep=1.0, beta=noisy_prevalence(BETA, 0.05)),
        ]
    )
    table = movement_exponents(summary, BETA)
    assert list(table.columns) == [
        "flip_y",
        "class_sep",
        "k",
        "k_se",
        "r2",
        "n_weights",
        "alpha_eff_at_1",
    ]
    assert table[["flip_y", "class_sep"]].values.tolist() == [[0.0, 1.0], [0.0, 2.0], [0.05, 1.0]]
    np.testing.assert_allclose(table["k"], [1.0, 0.5, 0.2], atol=1e-6)
    # with label noise the rule reads the noisy labels' prevalence: the model at alpha = 1 is at 1
    np.testing.assert_allclose(table["alpha_eff_at_1"], 1.0, rtol=1e-6)


def test_a_table_without_cell_keys_is_one_condition():
    table = movement_exponents(moved_summary(0.4), BETA)
    assert list(table.columns) == ["k", "k_se", "r2", "n_weights", "alpha_eff_at_1"]
    assert table["k"].iloc[0] == pytest.approx(0.4, abs=1e-6)


def test_the_bce_rule_and_other_families_recover_k_on_their_own_curve():
    curve = theory.Superellipse(4.0)
    x, z = theory.operating_point(2.0 * ALPHAS**0.7, BETA, curve, rule="bce")
    summary = pd.DataFrame({"alpha": ALPHAS, "recall_mean": x, "specificity_mean": z})
    row = movement_exponents(summary, BETA, family="superellipse", rule="bce").iloc[0]
    assert row["k"] == pytest.approx(0.7, abs=1e-3)


def test_a_mean_rate_of_0_or_1_is_censored_and_left_out():
    summary = moved_summary(0.8, class_sep=1.0)
    summary.loc[[0, 1], "recall_mean"] = 0.0
    summary.loc[14, "recall_mean"] = 1.0
    summary.loc[13, "specificity_mean"] = 1.0
    weights = effective_weights(summary, BETA)
    assert weights["kept"].tolist() == [False, False, *[True] * 11, False, False]
    assert weights.loc[~weights["kept"], "alpha_eff"].isna().all()
    row = movement_exponents(summary, BETA).iloc[0]
    assert row["n_weights"] == 11
    assert row["k"] == pytest.approx(0.8, abs=1e-6)


def test_every_point_censored_or_a_flat_curve_gives_nan():
    censored = moved_summary(1.0, class_sep=1.0).assign(specificity_mean=1.0)
    row = movement_exponents(censored, BETA).iloc[0]
    assert np.isnan(row["k"]) and row["n_weights"] == 0
    # on the chance line (fitted d = 0) every point has the bayes rule's slope 1: no weight
    chance = pd.DataFrame({"alpha": ALPHAS, "recall_mean": np.linspace(0.1, 0.9, 15)}).assign(
        specificity_mean=lambda t: 1.0 - t["recall_mean"]
    )
    row = movement_exponents(chance, BETA).iloc[0]
    assert np.isnan(row["k"]) and row["n_weights"] == 0
    # the bce rule still places points on it (its quantity, x / z, changes with the recall)
    assert np.isfinite(movement_exponents(chance, BETA, rule="bce")["k"].iloc[0])


def test_two_weights_give_k_without_a_standard_error_and_one_gives_nothing():
    two = movement_exponent([1.0, 10.0], [1.0, 10.0**0.5])
    assert two.k == pytest.approx(0.5) and np.isnan(two.k_se) and two.n_weights == 2
    one = movement_exponent([1.0, 10.0], [2.0, np.nan])
    assert np.isnan(one.k) and one.n_weights == 1
    same = movement_exponent([3.0, 3.0, 3.0], [1.0, 2.0, 3.0])
    assert np.isnan(same.k)
    flat = movement_exponent([1.0, 10.0, 100.0], [2.0, 2.0, 2.0])
    assert flat.k == 0.0 and np.isnan(flat.r2) and flat.k_se == 0.0


@pytest.mark.parametrize(
    ("summary", "kwargs", "match"),
    [
        (pd.DataFrame({"alpha": [1.0]}), {}, "the columns 'recall_mean', 'specificity_mean'"),
        (moved_summary(1.0).iloc[:0], {}, "a table with rows"),
        (moved_summary(1.0), {"beta": 1.5}, "'beta' parameter"),
        (moved_summary(1.0), {"family": "circle"}, "'family' parameter"),
        (moved_summary(1.0), {"rule": "hinge"}, "'rule' parameter"),
        (moved_summary(1.0).assign(alpha=0.0), {}, "weights 'alpha' > 0"),
        (moved_summary(1.0).assign(recall_mean=1.5), {}, r"mean rates in \[0, 1\]"),
        ([1, 2], {}, "a per-cell DataFrame"),
    ],
)
def test_bad_input_is_one_value_error_naming_it(summary, kwargs, match):
    with pytest.raises(ValueError, match=match):
        movement_exponents(summary, kwargs.pop("beta", BETA), **kwargs)


def test_movement_exponent_refuses_arrays_of_different_lengths_and_bad_weights():
    with pytest.raises(ValueError, match="one value per weight"):
        movement_exponent([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="'alpha' parameter"):
        movement_exponent([0.0, 2.0], [1.0, 2.0])


def test_a_real_sweep_gives_one_row_per_class_sep(small_sweep, small_config):
    table = movement_exponents(small_sweep.summary, small_config.beta)
    assert list(table["class_sep"]) == list(small_config.seps)
    assert table["n_weights"].between(0, len(small_config.alphas)).all()
