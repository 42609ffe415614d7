import numpy as np
import pytest
from matplotlib.figure import Figure

import theory
from plots import optimal_alpha_grid, plot_optimal_alpha_map

BETA = np.logspace(-3, np.log10(0.5), 9)
P = np.logspace(np.log10(1.5), 2, 7)


def test_grid_is_the_theory_rows_p_columns_beta():
    grid = optimal_alpha_grid(BETA, P, rule="bayes")
    assert grid.shape == (len(P), len(BETA))
    for i, j in [(0, 0), (3, 4), (6, 8)]:
        expected = theory.optimal_alpha(BETA[j], P[i], metric="f1", rule="bayes")
        assert grid[i, j] == pytest.approx(float(expected), rel=1e-9)


def test_balanced_accuracy_grid_is_the_inverse_weight():
    grid = optimal_alpha_grid(BETA, P, metric="balanced_accuracy")
    np.testing.assert_allclose(grid, np.broadcast_to((1 - BETA) / BETA, grid.shape), rtol=1e-6)


def test_post_numbers_best_f1_weight_under_the_bce_rule():
    grid = optimal_alpha_grid([0.01], [2.0, 11.0, 40.0])
    np.testing.assert_allclose(grid[:, 0], [2.0, 1.1, 1.03], atol=0.03)


def test_one_log_panel_per_rule_with_inverse_weights_on_top():
    fig = plot_optimal_alpha_map(beta=BETA, p=P)
    assert isinstance(fig, Figure)
    bce, bayes, colorbar = fig.axes
    assert "best weight α*" in colorbar.get_ylabel()
    for ax, rule in ((bce, "bce"), (bayes, "bayes")):
        assert rule in ax.get_title()
        assert (ax.get_xscale(), ax.get_yscale()) == ("log", "log")
        assert "β" in ax.get_xlabel()
        (top,) = ax.child_axes
        assert "(1−β)/β" in top.get_xlabel()
        positions = top.get_xticks()
        labels = [float(t.get_text()) for t in top.get_xticklabels()]
        assert 100.0 in labels
        np.testing.assert_allclose(labels, (1 - positions) / positions)
        (marked,) = [line for line in ax.get_lines() if line.get_linestyle() == "--"]
        np.testing.assert_allclose(marked.get_xdata(), 0.01)
    assert bce.get_ylabel() == "curve quality p"


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="'rule' parameter"):
        plot_optimal_alpha_map(beta=BETA, p=P, rules=("bce", "nonsense"))
