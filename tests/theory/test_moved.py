"""A model that moves as if weighted ``alpha**k``: its points, scores, optimum and table."""

import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import theory
from theory.cli import main, optimum_table
from theory.curves import AsymmetricSuperellipse, Binormal, Superellipse
from theory.operating import expected_score, expected_scores, operating_point
from theory.optimum import optimal_alpha, optimize_alpha
from theory.rules import effective_weight, rule_named, weight_acting_as, weight_ratio

MOVEMENTS = (0.3, 0.7, 1.4)
BETAS = np.array([0.001, 0.01, 0.1, 0.3])[:, None]
CURVES = {
    "superellipse": Superellipse(np.array([1.5, 2.0, 11.0, 40.0])),
    "binormal": Binormal(np.array([0.5, 1.0, 2.5])),
}
SYMMETRIC = CURVES
MEMBERS = {
    "asymmetric": AsymmetricSuperellipse(3.0, 1.5),
    "binormal-unequal": Binormal(1.0, 2.0),
    **{f"superellipse-{p:g}": Superellipse(p) for p in (2.0, 11.0)},
}
METRICS = ("f1", "balanced_accuracy", "mcc", "f2", "hter")
ALPHAS = np.logspace(-2, 4, 13)[:, None, None]
#: Every function that takes ``movement``, with arguments that are fine otherwise.
TAKERS = {
    "operating_point": lambda k: operating_point(2.0, 0.01, 2.0, movement=k),
    "expected_score": lambda k: expected_score(2.0, 0.01, 2.0, movement=k),
    "expected_scores": lambda k: expected_scores(2.0, 0.01, 2.0, movement=k),
    "optimal_alpha": lambda k: optimal_alpha(0.01, 2.0, movement=k),
    "optimize_alpha": lambda k: optimize_alpha(0.01, 2.0, movement=k),
}


def _fields(best):
    return {name: np.asarray(value) for name, value in vars(best).items()}


# k = 1 is the theory as it was.


@pytest.mark.parametrize("rule", ["bce", "bayes", "focal"])
@pytest.mark.parametrize("name", CURVES)
def test_movement_one_is_the_theory_bit_for_bit(name, rule):
    curve = CURVES[name]
    chosen = rule_named(rule, "test")
    # The rule at the ratio alpha*beta/(1-beta), computed here without any movement.
    direct = chosen.point(curve, ALPHAS * BETAS / (1.0 - BETAS))
    for moved in (operating_point(ALPHAS, BETAS, curve, rule=rule, movement=1.0),):
        for got, expected in zip(moved, direct, strict=True):
            assert np.array_equal(got, expected)
    plain = expected_scores(ALPHAS, BETAS, curve, rule=rule)
    moved = expected_scores(ALPHAS, BETAS, curve, rule=rule, movement=1.0)
    assert all(np.array_equal(plain[n], moved[n], equal_nan=True) for n in plain)


@pytest.mark.parametrize("metric", ["f1", "balanced_accuracy"])
@pytest.mark.parametrize("rule", ["bce", "bayes"])
def test_movement_one_keeps_the_optimum_and_its_documented_numbers(rule, metric):
    curve = Superellipse(np.array([2.0, 11.0, 40.0]))
    plain, moved = (
        _fields(optimize_alpha(BETAS, curve, metric=metric, rule=rule, **k))
        for k in ({}, {"movement": 1.0})
    )
    assert all(np.array_equal(plain[n], moved[n]) for n in plain)
    # The numbers of docs/theory.md and the doctests, at k = 1.
    assert float(optimal_alpha(0.01, 2.0)) == pytest.approx(2.0101, abs=5e-5)
    assert float(optimal_alpha(0.01, 11.0)) == pytest.approx(1.10, abs=5e-3)
    assert float(expected_score(1.0, 0.01, 2.0)) == pytest.approx(0.1253, abs=5e-5)


def test_effective_weight_and_its_inverse():
    alpha = np.logspace(-3, 6, 10)
    assert np.array_equal(effective_weight(alpha, 1.0), alpha)
    assert np.array_equal(weight_acting_as(alpha, 1.0), alpha)
    k = np.array([0.5, 1.0, 2.0])[:, None]
    assert effective_weight(alpha, k) == pytest.approx(alpha**k, rel=1e-15)
    assert weight_acting_as(effective_weight(alpha, k), k) == pytest.approx(
        np.broadcast_to(alpha, (3, 10)), rel=1e-13
    )
    assert weight_ratio(alpha, 0.2, movement=0.5) == pytest.approx(np.sqrt(alpha) / 4, rel=1e-15)
    assert theory.effective_weight is effective_weight
    assert theory.weight_acting_as is weight_acting_as


# At alpha, a model that moves k is the theory's model at alpha**k.


@pytest.mark.parametrize("k", MOVEMENTS)
@pytest.mark.parametrize("rule", ["bce", "bayes", "focal"])
@pytest.mark.parametrize("name", [*CURVES, *MEMBERS])
def test_moved_scores_are_the_scores_at_alpha_to_the_k(name, rule, k):
    curve = {**CURVES, **MEMBERS}[name]
    moved = expected_scores(ALPHAS, BETAS, curve, rule=rule, movement=k)
    at_power = expected_scores(ALPHAS**k, BETAS, curve, rule=rule)
    for score in moved:
        assert moved[score] == pytest.approx(at_power[score], rel=1e-12, nan_ok=True)
    x, z = operating_point(ALPHAS, BETAS, curve, rule=rule, movement=k)
    x_power, z_power = operating_point(ALPHAS**k, BETAS, curve, rule=rule)
    assert x == pytest.approx(x_power, rel=1e-12)
    assert z == pytest.approx(z_power, rel=1e-12)
    f1 = expected_score(ALPHAS, BETAS, curve, rule=rule, movement=k)
    assert f1 == pytest.approx(at_power["f1"], rel=1e-12)


def test_movement_broadcasts_with_alpha():
    k = np.array([0.5, 1.0, 2.0])[:, None]
    alpha = np.array([2.0, 10.0, 99.0])
    scores = expected_score(alpha, 0.01, 11.0, movement=k, metric="recall")
    assert scores.shape == (3, 3)
    assert scores[1] == pytest.approx(expected_score(alpha, 0.01, 11.0, metric="recall"))
    assert scores[2] == pytest.approx(expected_score(alpha**2, 0.01, 11.0, metric="recall"))


# The optimum: the k = 1 weight to the power 1/k, with the same score.


@pytest.mark.parametrize("k", MOVEMENTS)
@pytest.mark.parametrize("metric", METRICS)
@pytest.mark.parametrize("rule", ["bce", "bayes"])
@pytest.mark.parametrize("name", CURVES)
def test_moved_optimum_is_the_optimum_to_the_power_one_over_k(name, rule, metric, k):
    curve = CURVES[name]
    plain = optimize_alpha(BETAS, curve, metric=metric, rule=rule)
    moved = optimize_alpha(BETAS, curve, metric=metric, rule=rule, movement=k)
    assert moved.alpha == pytest.approx(plain.alpha ** (1.0 / k), rel=1e-12)
    assert np.array_equal(
        optimal_alpha(BETAS, curve, metric=metric, rule=rule, movement=k), moved.alpha
    )
    assert moved.plateau_start == pytest.approx(plain.plateau_start ** (1.0 / k), rel=1e-12)
    assert moved.plateau_stop == pytest.approx(plain.plateau_stop ** (1.0 / k), rel=1e-12)
    for same in ("score", "score_at_one", "at_edge", "flat", "plateau"):
        assert np.array_equal(getattr(moved, same), getattr(plain, same))
    assert np.array_equal(moved.gain_over_one, plain.gain_over_one)
    # The score is the moved model's, at the weight reported.
    at_alpha = expected_score(moved.alpha, BETAS, curve, metric=metric, rule=rule, movement=k)
    assert at_alpha == pytest.approx(moved.score, rel=1e-9, abs=1e-12)
    # The inverse-proportion weight acts as its power k.
    inverse = (1.0 - BETAS) / BETAS
    at_inverse = expected_score(inverse**k, BETAS, curve, metric=metric, rule=rule)
    assert moved.score_at_inverse == pytest.approx(at_inverse, rel=1e-12, abs=1e-15)
    assert moved.gain_over_inverse == pytest.approx(moved.score - at_inverse, abs=1e-12)


@pytest.mark.parametrize("k", MOVEMENTS)
@pytest.mark.parametrize("rule", ["bce", "bayes"])
@pytest.mark.parametrize("name", SYMMETRIC)
def test_balanced_accuracy_wants_the_inverse_weight_to_the_power_one_over_k(name, rule, k):
    best = optimize_alpha(BETAS, SYMMETRIC[name], metric="balanced_accuracy", rule=rule, movement=k)
    inverse = (1.0 - BETAS) / BETAS
    assert best.alpha == pytest.approx(np.broadcast_to(inverse ** (1.0 / k), best.alpha.shape))
    # The inverse weight itself now falls short, wherever the weight matters.
    assert np.all(best.gain_over_inverse > 0.0)


@pytest.mark.parametrize("k", MOVEMENTS)
@pytest.mark.parametrize("metric", ["f1", "balanced_accuracy", "mcc"])
@pytest.mark.parametrize("rule", ["bce", "bayes"])
@pytest.mark.parametrize("curve", [Superellipse(11.0), Binormal(1.5)], ids=repr)
def test_moved_optimum_zeroes_a_finite_difference(curve, rule, metric, k):
    beta = 0.02
    alpha = float(optimal_alpha(beta, curve, metric=metric, rule=rule, movement=k))

    def score(log_alpha):
        return float(
            expected_score(np.exp(log_alpha), beta, curve, metric=metric, rule=rule, movement=k)
        )

    step = 1e-4
    at = np.log(alpha)
    before, best, after = score(at - step), score(at), score(at + step)
    assert best >= max(before, after) - 1e-15
    assert abs(after - before) / (2 * step) < 1e-6
    # k = 1 would put this weight elsewhere: the moved model's own optimum is the one found.
    if k != 1.0:
        unmoved = float(expected_score(alpha, beta, curve, metric=metric, rule=rule))
        assert unmoved < best - 1e-9 or metric == "balanced_accuracy"


def test_plateau_ends_move_with_the_weight():
    # F1 on the chance line under bayes: every weight from (1 - beta) / beta on ties.
    plain = optimize_alpha(0.01, 1.0, rule="bayes")
    moved = optimize_alpha(0.01, 1.0, rule="bayes", movement=0.5)
    assert plain.plateau and moved.plateau
    assert float(moved.plateau_start) == pytest.approx(float(plain.plateau_start) ** 2, rel=1e-9)
    assert float(moved.plateau_stop) == pytest.approx(float(plain.plateau_stop) ** 2, rel=1e-9)


@pytest.mark.parametrize("rule", ["bce", "bayes"])
def test_exact_hull_optimum_and_plateau_move_with_the_weight(rule):
    rng = np.random.default_rng(3)
    labels = rng.random(3000) < 0.08
    scores = rng.normal(size=3000) + 1.5 * labels
    hull = theory.EmpiricalCurve.from_scores(labels, scores, smooth=None)
    plain = optimize_alpha(BETAS, hull, rule=rule)
    moved = optimize_alpha(BETAS, hull, rule=rule, movement=0.6)
    assert moved.alpha == pytest.approx(plain.alpha ** (1 / 0.6), rel=1e-12)
    assert moved.plateau_start == pytest.approx(plain.plateau_start ** (1 / 0.6), rel=1e-12)
    assert moved.plateau_stop == pytest.approx(plain.plateau_stop ** (1 / 0.6), rel=1e-12)
    assert np.array_equal(moved.score, plain.score)


def test_movement_broadcasts_in_the_optimum():
    k = np.array([0.5, 1.0, 2.0])[:, None]
    best = optimize_alpha(np.array([0.01, 0.1]), 11.0, movement=k)
    for name, value in vars(best).items():
        assert np.shape(value) == (3, 2), name
    plain = optimize_alpha(np.array([0.01, 0.1]), 11.0)
    assert best.alpha == pytest.approx(plain.alpha ** (1.0 / k), rel=1e-12)
    assert best.score[0] == pytest.approx(plain.score)


# Refusals.


@pytest.mark.parametrize("bad", [0, -1.0, np.inf, np.nan, [1.0, 0.0]])
@pytest.mark.parametrize("owner", TAKERS)
def test_bad_movement_is_refused_with_the_one_message(owner, bad):
    first = float(np.atleast_1d(bad)[-1 if np.ndim(bad) else 0])
    message = (
        f"The 'movement' parameter of {owner} must be a float in the range (0, inf). "
        f"Got {first!r} instead."
    )
    with pytest.raises(ValueError) as error:
        TAKERS[owner](bad)
    assert str(error.value) == message


@pytest.mark.parametrize("owner", TAKERS)
def test_movement_that_is_not_a_number_is_refused(owner):
    with pytest.raises(ValueError, match=f"The 'movement' parameter of {owner} must be a float"):
        TAKERS[owner]("fast")


# A property: any curve, rule, prevalence, weight and exponent.

curves = st.one_of(
    st.floats(1.0, 60.0).map(Superellipse),
    st.tuples(st.floats(1.0, 30.0), st.floats(1.0, 30.0)).map(
        lambda pq: AsymmetricSuperellipse(*pq)
    ),
    st.floats(0.0, 6.0).map(Binormal),
)


@given(
    curves,
    st.sampled_from(["bce", "bayes"]),
    st.floats(1e-3, 0.9),
    st.floats(-2.0, 3.0),
    st.floats(0.1, 3.0),
)
def test_a_moved_model_at_alpha_is_the_model_at_alpha_to_the_k(curve, rule, beta, log_a, k):
    alpha = 10.0**log_a
    moved = expected_scores(alpha, beta, curve, rule=rule, movement=k)
    at_power = expected_scores(alpha**k, beta, curve, rule=rule)
    for score in ("recall", "specificity", "precision", "f1", "balanced_accuracy"):
        assert moved[score] == pytest.approx(at_power[score], rel=1e-12, abs=1e-300, nan_ok=True)


# The table.


def test_table_with_movement_reports_the_moved_optimum(capsys):
    plain = optimum_table([0.01], [11.0], ["bce", "bayes"], ["f1", "balanced_accuracy"])
    moved = optimum_table(
        [0.01], [11.0], ["bce", "bayes"], ["f1", "balanced_accuracy"], movement=0.7
    )
    for before, after in zip(plain, moved, strict=True):
        assert "movement" not in before and after["movement"] == 0.7
        assert after["alpha_opt"] == pytest.approx(before["alpha_opt"] ** (1 / 0.7), rel=1e-12)
        assert after["score_opt"] == before["score_opt"]
        assert after["gain_over_1"] == before["gain_over_1"]
    flags = ["--beta", "0.01", "--p", "11", "--rule", "bce", "--metric", "f1"]
    assert main(["table", *flags, "--movement", "0.7", "--json"]) == 0
    [record] = json.loads(capsys.readouterr().out)
    assert record["alpha_opt"] == pytest.approx(moved[0]["alpha_opt"])
    assert main(["table", *flags, "--movement", "0.7"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("# movement k = 0.7")
    assert f"{moved[0]['alpha_opt']:.4g}" in printed
    assert main(["table", *flags]) == 0
    assert "movement" not in capsys.readouterr().out


@pytest.mark.parametrize("bad", ["0", "-1", "inf", "fast"])
def test_table_refuses_a_bad_movement_in_one_line(capsys, bad):
    with pytest.raises(SystemExit) as raised:
        main(["table", "--movement", bad])
    assert raised.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [error] = [line for line in captured.err.splitlines() if "error:" in line]
    assert error.endswith(
        f"argument --movement: must be a float in the range (0, inf). Got {bad!r} instead. "
        "(see python -m theory table --help)"
    )


def test_the_worked_number_of_the_theory_page():
    # docs/theory.md, "A model that moves less".
    assert float(optimal_alpha(0.01, 11.0, movement=0.7)) == pytest.approx(1.147, abs=5e-4)
    assert float(optimal_alpha(0.01, 11.0)) == pytest.approx(1.101, abs=5e-4)
