import numpy as np
import pytest
from matplotlib.figure import Figure

from plots import plot_optimal_alpha_map

BETA = np.logspace(-3, np.log10(0.5), 9)
P = np.logspace(np.log10(1.5), 2, 7)


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
