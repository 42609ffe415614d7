import numpy as np
import pytest
from matplotlib.figure import Figure
from scipy import special

import theory
from plots import binormal_spread_optima, plot_binormal_spread
from plots.spread import SPREAD_BETA, SPREAD_D, SPREAD_WEIGHTS, skipped_chord
from tests.plots.helpers import line

S = (0.5, 1.0, 2.0)
ALPHAS = np.logspace(-2, 3, 121)


@pytest.fixture(scope="module")
def figure():
    return plot_binormal_spread(S, alphas=ALPHAS)


def test_the_optima_are_the_theorys_with_their_flags():
    table = binormal_spread_optima(S)
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


def test_two_panels_of_the_theory(figure):
    assert isinstance(figure, Figure)
    roc_ax, f1_ax = figure.axes
    assert f1_ax.get_xscale() == "log"
    for s in S:
        label = f"s={s:g}"
        curve = theory.Binormal(SPREAD_D, s)
        drawn = line(roc_ax, f"roc-{label}")
        x, z = drawn.get_xdata(), drawn.get_ydata()
        inside = (x > 1e-9) & (x < 1 - 1e-6)  # where z(x) is resolved from x
        np.testing.assert_allclose(z[inside], curve.specificity(x[inside]), rtol=1e-9, atol=1e-12)
        assert (x[0], z[0], x[-1], z[-1]) == (0.0, 1.0, 1.0, 0.0)
        for rule in ("bayes", "bce"):
            px, pz = theory.operating_point(SPREAD_WEIGHTS, SPREAD_BETA, curve, rule=rule)
            np.testing.assert_array_equal(line(roc_ax, f"{rule}-{label}").get_xdata(), px)
            np.testing.assert_array_equal(line(roc_ax, f"{rule}-{label}").get_ydata(), pz)
            f1 = theory.expected_score(ALPHAS, SPREAD_BETA, curve, metric="f1", rule=rule)
            np.testing.assert_array_equal(line(f1_ax, f"f1-{rule}-{label}").get_ydata(), f1)
    assert {item.get_gid() for item in roc_ax.get_lines()} >= {"chord-s=0.5", "chord-s=2"}
    assert "chord-s=1" not in {item.get_gid() for item in roc_ax.get_lines()}


def test_only_the_plateau_is_shaded(figure):
    _, f1_ax = figure.axes
    shaded = {patch.get_gid(): patch for patch in f1_ax.patches if patch.get_gid()}
    assert set(shaded) == {"plateau-bayes-s=2"}
    best = theory.optimize_alpha(
        SPREAD_BETA, theory.Binormal(SPREAD_D, 2.0), metric="f1", rule="bayes"
    )
    span = shaded["plateau-bayes-s=2"]
    assert span.get_x() == pytest.approx(float(best.plateau_start), rel=1e-12)
    assert span.get_x() + span.get_width() == pytest.approx(ALPHAS[-1], rel=1e-12)


def test_the_bayes_point_jumps_and_the_score_with_it():
    # s = 0.5: F1 is 0 (the corner (0, 1)) up to the jump, then at once above 0.5.
    curve = theory.Binormal(SPREAD_D, 0.5)
    f1 = theory.expected_score(ALPHAS, SPREAD_BETA, curve, metric="f1", rule="bayes")
    jump = int(np.argmax(np.diff(f1)))
    assert f1[jump] == 0.0 and f1[jump + 1] > 0.5
    x, _ = theory.operating_point(ALPHAS[jump + 1], SPREAD_BETA, curve, rule="bayes")
    t = float(curve.threshold(x))
    assert special.ndtr(t) < 1.0
