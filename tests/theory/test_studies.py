"""The theory's studies: each is the theory asked over a grid, and says what the post says."""

import numpy as np
import pytest
from scipy import special, stats
from sklearn.metrics import f1_score

import theory
from theory.studies import (
    BALANCED_D,
    BALANCED_ROWS,
    BALANCED_SEED,
    SPREAD_BETA,
    SPREAD_D,
    binormal_f1,
    binormal_roc_points,
    binormal_spread_optima,
    choose_thresholds,
    cost_optimal_weights,
    focal_sweep,
    optimal_alpha_grid,
    skipped_chord,
)

# --- the focal loss as a rule ------------------------------------------------------------------

FOCAL_GAMMA = [0.0, 1.0, 2.5]
FOCAL_P = (2.0, 11.0)


@pytest.fixture(scope="module")
def sweep():
    return focal_sweep(FOCAL_GAMMA, FOCAL_P)


@pytest.mark.slow
def test_gamma_zero_is_the_bce_rule(sweep):
    first = sweep[sweep["gamma"] == 0.0]
    np.testing.assert_allclose(first["recall_at_1"], 0.01 ** (1 / np.array(FOCAL_P)), rtol=1e-12)
    bce = theory.optimize_alpha(0.01, np.array(FOCAL_P), metric="f1", rule="bce")
    np.testing.assert_allclose(first["alpha_f1"], bce.alpha, rtol=1e-6)
    np.testing.assert_allclose(first["f1_at_1"], bce.score_at_one, rtol=1e-12)


@pytest.mark.slow
def test_every_gamma_reaches_the_curves_best_and_only_the_weight_moves(sweep):
    # On a fixed curve every rule moves along it: the best score over all weights is the
    # curve's own, whatever gamma; the weight that reaches it falls with gamma.
    np.testing.assert_allclose(sweep["f1_best"], sweep["f1_curve_best"], rtol=1e-9)
    np.testing.assert_allclose(sweep["ba_best"], sweep["ba_curve_best"], rtol=1e-12)
    np.testing.assert_allclose(sweep["alpha_ba"], 99.0, rtol=1e-6)
    assert not sweep["alpha_f1_at_edge"].any()
    for _, rows in sweep.groupby("p"):
        assert (np.diff(rows["alpha_f1"]) < 0).all()
        assert (np.diff(rows["recall_at_1"]) > 0).all()
        # At (1-beta)/beta every gamma lands on the balanced point x = z = 2**(-1/p).
        np.testing.assert_allclose(rows["recall_at_inverse"], 2 ** (-1 / rows["p"]), rtol=1e-9)


@pytest.mark.slow
def test_the_sweep_is_the_theory(sweep):
    row = sweep[(sweep["p"] == 11.0) & (sweep["gamma"] == 1.0)].iloc[0]
    x, _ = theory.operating_point(1.0, 0.01, 11.0, rule="focal", gamma=1.0)
    assert row["recall_at_1"] == pytest.approx(float(x), rel=1e-12)
    best = theory.optimize_alpha(0.01, 11.0, metric="f1", rule="focal", gamma=1.0)
    assert row["alpha_f1"] == pytest.approx(float(best.alpha), rel=1e-7)


# --- error costs -------------------------------------------------------------------------------

COST_RATIOS = [1.0, 99.0, 500.0]
COST_CURVES = {"p = 2": theory.Superellipse(2.0), "d = 1.5": theory.Binormal(1.5)}


@pytest.fixture(scope="module")
def costs():
    return cost_optimal_weights(COST_RATIOS, COST_CURVES)


@pytest.mark.slow
def test_the_bayes_rule_weights_by_the_cost_ratio_on_every_curve(costs):
    bayes = costs[costs["rule"] == "bayes"]
    np.testing.assert_allclose(bayes["alpha"], bayes["ratio"], rtol=1e-6)


@pytest.mark.slow
def test_the_bce_rule_on_the_superellipse(costs):
    # alpha = (c_fn/c_fp)**(p/(p-1)) * (beta/(1-beta))**(1/(p-1)): below the ratio up to
    # (1-beta)/beta, where every rule lands on the balanced point, and above it beyond.
    rows = costs[(costs["rule"] == "bce") & (costs["curve"] == "p = 2")]
    ratio = rows["ratio"].to_numpy()
    np.testing.assert_allclose(rows["alpha"], ratio**2 * 0.01 / 0.99, rtol=1e-6)
    at_inverse = costs[(costs["ratio"] == 99.0) & (costs["curve"] == "p = 2")]
    np.testing.assert_allclose(at_inverse["alpha"], 99.0, rtol=1e-6)


@pytest.mark.slow
def test_every_rule_reaches_the_same_least_cost_unless_its_weight_is_out_of_range(costs):
    inside = costs[~costs["at_edge"]]
    spread = inside.groupby(["curve", "ratio"])["cost"].agg(np.ptp)
    assert (spread < 1e-12).all()
    # The focal rule needs more than the largest weight searched at 500 on the superellipse.
    assert costs[costs["at_edge"]]["rule"].eq("focal").all()


# --- the binormal curve with unequal variances -------------------------------------------------

SPREADS = (0.5, 1.0, 2.0)
SPREAD_ALPHAS = np.logspace(-2, 3, 121)


def test_the_optima_are_the_theorys_with_their_flags():
    table = binormal_spread_optima(SPREADS)
    assert list(table["s"]) == [0.5, 0.5, 1.0, 1.0, 2.0, 2.0]
    assert list(table["rule"]) == ["bayes", "bce"] * 3
    for row in table.itertuples():
        best = theory.optimize_alpha(
            SPREAD_BETA, theory.Binormal(SPREAD_D, row.s), metric="f1", rule=row.rule
        )
        assert row.alpha == pytest.approx(float(best.alpha), rel=1e-12)
        assert row.f1 == pytest.approx(float(best.score), rel=1e-12)
        assert (row.at_edge, row.flat, row.plateau) == (best.at_edge, best.flat, best.plateau)
        assert row.plateau_start == pytest.approx(float(best.plateau_start), rel=1e-12)
    # At 30% positives F1 is best in the corner (1, 0) of the s = 2 curve: the bayes rule gets
    # there past its jump over the hook, at every weight from 3.29 on (a plateau); the bce rule,
    # which follows the hook, only in the limit (at the edge of the search).
    wide = table[(table["s"] == 2.0)].set_index("rule")
    assert wide.loc["bayes", "plateau"] and not wide.loc["bayes", "at_edge"]
    assert wide.loc["bayes", "plateau_start"] == pytest.approx(3.29, rel=1e-2)
    assert wide.loc["bce", "at_edge"] and not wide.loc["bce", "plateau"]
    assert wide.loc["bayes", "f1"] == pytest.approx(2 * SPREAD_BETA / (1 + SPREAD_BETA))
    assert not table[table["s"] != 2.0]["plateau"].any()


@pytest.mark.parametrize("s", SPREADS)
def test_the_roc_points_lie_on_the_curve_from_corner_to_corner(s):
    x, z = binormal_roc_points(SPREAD_D, s)
    assert (x[0], z[0], x[-1], z[-1]) == (0.0, 1.0, 1.0, 0.0)
    assert (np.diff(x) >= 0).all() and (np.diff(z) <= 0).all()
    inside = (x > 1e-9) & (x < 1 - 1e-6)  # where z(x) is resolved from x
    curve = theory.Binormal(SPREAD_D, s)
    np.testing.assert_allclose(z[inside], curve.specificity(x[inside]), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("s", [0.5, 2.0])
def test_the_skipped_chord_is_a_tangent_from_a_corner(s):
    curve = theory.Binormal(SPREAD_D, s)
    x, z = skipped_chord(curve)
    corner = (0.0, 1.0) if s < 1 else (1.0, 0.0)
    assert corner in set(zip(x, z, strict=True))
    # The far end is a point of the curve whose tangent passes through the corner.
    far = 1 if s < 1 else 0
    assert z[far] == pytest.approx(float(curve.specificity(x[far])), rel=1e-12)
    slope = float(curve.slope(x[far]))
    tangent_at_corner = z[far] + slope * (corner[0] - x[far])
    assert tangent_at_corner == pytest.approx(corner[1], abs=2e-3)
    assert skipped_chord(theory.Binormal(SPREAD_D, 1.0))[0].size == 0


def test_the_bayes_point_jumps_and_the_score_with_it():
    # s = 0.5: F1 is 0 (the corner (0, 1)) up to the jump, then at once above 0.5.
    curve = theory.Binormal(SPREAD_D, 0.5)
    f1 = theory.expected_score(SPREAD_ALPHAS, SPREAD_BETA, curve, metric="f1", rule="bayes")
    jump = int(np.argmax(np.diff(f1)))
    assert f1[jump] == 0.0 and f1[jump + 1] > 0.5
    x, _ = theory.operating_point(SPREAD_ALPHAS[jump + 1], SPREAD_BETA, curve, rule="bayes")
    t = float(curve.threshold(x))
    assert special.ndtr(t) < 1.0


# --- the best weight over prevalence and curve quality -----------------------------------------

MAP_BETA = np.logspace(-3, np.log10(0.5), 9)
MAP_P = np.logspace(np.log10(1.5), 2, 7)


def test_grid_is_the_theory_rows_p_columns_beta():
    grid = optimal_alpha_grid(MAP_BETA, MAP_P, rule="bayes")
    assert grid.shape == (len(MAP_P), len(MAP_BETA))
    for i, j in [(0, 0), (3, 4), (6, 8)]:
        expected = theory.optimal_alpha(MAP_BETA[j], MAP_P[i], metric="f1", rule="bayes")
        assert grid[i, j] == pytest.approx(float(expected), rel=1e-9)


def test_balanced_accuracy_grid_is_the_inverse_weight():
    grid = optimal_alpha_grid(MAP_BETA, MAP_P, metric="balanced_accuracy")
    expected = np.broadcast_to((1 - MAP_BETA) / MAP_BETA, grid.shape)
    np.testing.assert_allclose(grid, expected, rtol=1e-6)


def test_post_numbers_best_f1_weight_under_the_bce_rule():
    grid = optimal_alpha_grid([0.01], [2.0, 11.0, 40.0])
    np.testing.assert_allclose(grid[:, 0], [2.0, 1.1, 1.03], atol=0.03)


# --- a threshold chosen on a balanced validation set -------------------------------------------


def test_binormal_f1_is_the_closed_form():
    t, d, beta = np.array([0.0, 1.5, 3.0]), 2.5, 0.01
    recall, false_positive = stats.norm.sf(t - d), stats.norm.sf(t)
    precision = beta * recall / (beta * recall + (1 - beta) * false_positive)
    expected = 2 * precision * recall / (precision + recall)
    np.testing.assert_allclose(binormal_f1(t, d, beta), expected, rtol=1e-12)


def _sample():
    rng = np.random.default_rng(BALANCED_SEED)
    half = BALANCED_ROWS // 2
    scores = np.concatenate((rng.normal(0, 1, half), rng.normal(BALANCED_D, 1, half)))
    return np.repeat([0, 1], half), scores


@pytest.mark.parametrize("beta", [0.5, 0.01])
def test_each_chosen_threshold_is_a_scan_of_the_sample_at_its_prevalence(beta):
    # F1 with the positives weighted beta and the negatives 1 - beta is F1 at prevalence beta
    # on a balanced sample; the chosen threshold must reach the best over every distinct score.
    y, scores = _sample()
    weights = np.where(y == 1, beta, 1 - beta)
    thresholds = np.unique(scores)
    predicted = scores[None, :] >= thresholds[:, None]
    true_positive = (predicted & (y == 1)) @ weights
    false_positive = (predicted & (y == 0)) @ weights
    false_negative = (~predicted & (y == 1)) @ weights
    scan = 2 * true_positive / (2 * true_positive + false_positive + false_negative)
    best = thresholds[np.argmax(scan)]
    chosen = choose_thresholds(beta=0.01)
    threshold = chosen.balanced if beta == 0.5 else chosen.deployment

    def f1_at(t: float) -> float:
        return f1_score(y, scores >= t, sample_weight=weights)

    assert f1_at(threshold) == pytest.approx(f1_at(best), rel=1e-9)
    assert f1_at(best) == pytest.approx(scan.max(), rel=1e-9)


def test_choosing_at_the_deployment_prevalence_is_near_the_true_optimum():
    chosen = choose_thresholds()
    assert chosen.f1_best == pytest.approx(binormal_f1(chosen.best, BALANCED_D, 0.01))
    assert chosen.f1_deployment <= chosen.f1_best
    assert chosen.f1_balanced <= chosen.f1_best
    assert chosen.balanced < chosen.deployment
