import numpy as np
import pytest
from matplotlib.figure import Figure

from plots import plot_focal_loss
from tests.plots.helpers import line
from theory.studies import focal_sweep

#: The sweep over gamma behind this figure takes seconds: the slow tier.
pytestmark = pytest.mark.slow

GAMMA = [0.0, 1.0, 2.5]
P = (2.0, 11.0)


@pytest.fixture(scope="module")
def sweep():
    return focal_sweep(GAMMA, P)


def test_four_panels_against_gamma(sweep):
    fig = plot_focal_loss(GAMMA, P)
    assert isinstance(fig, Figure)
    recall_ax, alpha_ax, f1_ax, ba_ax = fig.axes
    assert alpha_ax.get_yscale() == "log"
    for p in P:
        rows = sweep[sweep["p"] == p]
        drawn = line(recall_ax, f"recall-1-p={p:g}")
        np.testing.assert_allclose(drawn.get_xdata(), GAMMA)
        np.testing.assert_allclose(drawn.get_ydata(), rows["recall_at_1"])
        np.testing.assert_allclose(
            line(alpha_ax, f"alpha-f1-p={p:g}").get_ydata(), rows["alpha_f1"]
        )
        np.testing.assert_allclose(line(f1_ax, f"f1-1-p={p:g}").get_ydata(), rows["f1_at_1"])
        np.testing.assert_allclose(line(ba_ax, f"ba-best-p={p:g}").get_ydata(), rows["ba_best"])
    assert "γ" in ba_ax.get_xlabel()
