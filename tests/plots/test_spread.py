import numpy as np
import pytest
from matplotlib.figure import Figure

import theory
from plots import plot_binormal_spread
from plots.spread import SPREAD_WEIGHTS
from tests.plots.helpers import line
from theory.studies import SPREAD_BETA, SPREAD_D

S = (0.5, 1.0, 2.0)
ALPHAS = np.logspace(-2, 3, 121)


@pytest.fixture(scope="module")
def figure():
    return plot_binormal_spread(S, alphas=ALPHAS)


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
