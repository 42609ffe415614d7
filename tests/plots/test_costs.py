import numpy as np
import pytest
from matplotlib.figure import Figure

import theory
from plots import plot_cost_weights
from tests.plots.helpers import line
from theory.studies import cost_optimal_weights

#: The optima behind this figure take seconds: the slow tier.
pytestmark = pytest.mark.slow

RATIOS = [1.0, 99.0, 500.0]
CURVES = {"p = 2": theory.Superellipse(2.0), "d = 1.5": theory.Binormal(1.5)}


@pytest.fixture(scope="module")
def table():
    return cost_optimal_weights(RATIOS, CURVES)


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
