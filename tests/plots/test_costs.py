import numpy as np
import pytest
from matplotlib.figure import Figure

import theory
from plots import cost_optimal_weights, plot_cost_weights
from tests.plots.helpers import line

#: The optima behind these figures take seconds: the slow tier.
pytestmark = pytest.mark.slow

RATIOS = [1.0, 99.0, 500.0]
CURVES = {"p = 2": theory.Superellipse(2.0), "d = 1.5": theory.Binormal(1.5)}


@pytest.fixture(scope="module")
def table():
    return cost_optimal_weights(RATIOS, CURVES)


def test_the_bayes_rule_weights_by_the_cost_ratio_on_every_curve(table):
    bayes = table[table["rule"] == "bayes"]
    np.testing.assert_allclose(bayes["alpha"], bayes["ratio"], rtol=1e-6)


def test_the_bce_rule_on_the_superellipse(table):
    # alpha = (c_fn/c_fp)**(p/(p-1)) * (beta/(1-beta))**(1/(p-1)): below the ratio up to
    # (1-beta)/beta, where every rule lands on the balanced point, and above it beyond.
    rows = table[(table["rule"] == "bce") & (table["curve"] == "p = 2")]
    ratio = rows["ratio"].to_numpy()
    np.testing.assert_allclose(rows["alpha"], ratio**2 * 0.01 / 0.99, rtol=1e-6)
    at_inverse = table[(table["ratio"] == 99.0) & (table["curve"] == "p = 2")]
    np.testing.assert_allclose(at_inverse["alpha"], 99.0, rtol=1e-6)


def test_every_rule_reaches_the_same_least_cost_unless_its_weight_is_out_of_range(table):
    inside = table[~table["at_edge"]]
    spread = inside.groupby(["curve", "ratio"])["cost"].agg(np.ptp)
    assert (spread < 1e-12).all()
    # The focal rule needs more than the largest weight searched at 500 on the superellipse.
    assert table[table["at_edge"]]["rule"].eq("focal").all()


def test_one_log_log_axes_with_a_line_per_rule_and_curve(table):
    fig = plot_cost_weights(RATIOS, CURVES)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
    drawn = line(ax, "bayes-p = 2")
    np.testing.assert_allclose(drawn.get_xdata(), RATIOS)
    np.testing.assert_allclose(drawn.get_ydata(), RATIOS, rtol=1e-6)
    kept = table[(table["rule"] == "focal") & (table["curve"] == "d = 1.5") & ~table["at_edge"]]
    np.testing.assert_allclose(line(ax, "focal-d = 1.5").get_ydata(), kept["alpha"])
    np.testing.assert_allclose(line(ax, "inverse-weight").get_xdata(), 99.0)
