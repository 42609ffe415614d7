import numpy as np
import pytest
from matplotlib.figure import Figure

import theory
from plots import focal_sweep, plot_focal_loss
from tests.plots.helpers import line

#: The sweep over gamma behind these figures takes seconds: the slow tier.
pytestmark = pytest.mark.slow

GAMMA = [0.0, 1.0, 2.5]
P = (2.0, 11.0)


@pytest.fixture(scope="module")
def sweep():
    return focal_sweep(GAMMA, P)


def test_gamma_zero_is_the_bce_rule(sweep):
    first = sweep[sweep["gamma"] == 0.0]
    np.testing.assert_allclose(first["recall_at_1"], 0.01 ** (1 / np.array(P)), rtol=1e-12)
    bce = theory.optimize_alpha(0.01, np.array(P), metric="f1", rule="bce")
    np.testing.assert_allclose(first["alpha_f1"], bce.alpha, rtol=1e-6)
    np.testing.assert_allclose(first["f1_at_1"], bce.score_at_one, rtol=1e-12)


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


def test_the_sweep_is_the_theory(sweep):
    row = sweep[(sweep["p"] == 11.0) & (sweep["gamma"] == 1.0)].iloc[0]
    x, _ = theory.operating_point(1.0, 0.01, 11.0, rule="focal", gamma=1.0)
    assert row["recall_at_1"] == pytest.approx(float(x), rel=1e-12)
    best = theory.optimize_alpha(0.01, 11.0, metric="f1", rule="focal", gamma=1.0)
    assert row["alpha_f1"] == pytest.approx(float(best.alpha), rel=1e-7)


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
