import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.figure import Figure

import theory
from params.post import THEORY_P
from plots import plot_tradeoff_curves
from plots._style import CHANCE_COLOR, p_color
from tests.plots.helpers import line


def test_one_line_per_p_after_the_red_chance_line():
    fig = plot_tradeoff_curves(beta=None)
    assert isinstance(fig, Figure)
    ax, colorbar = fig.axes
    assert colorbar.get_ylabel() == "curve quality p"
    chance, *curves = ax.lines
    assert chance.get_gid() == "chance"
    assert [c.get_gid() for c in curves] == [f"p={p:g}" for p in THEORY_P]
    x, z = chance.get_data()
    np.testing.assert_allclose(z, 1.0 - x)
    assert mpl.colors.same_color(chance.get_color(), CHANCE_COLOR)
    for curve, p in zip(curves, THEORY_P, strict=True):
        x, z = curve.get_data()
        np.testing.assert_allclose(z, theory.Superellipse(p).specificity(x))
        assert mpl.colors.same_color(curve.get_color(), p_color(p))


def test_markers_sit_where_the_rule_puts_the_two_weights():
    p = np.array([2.0, 5.0])
    ax = plot_tradeoff_curves(p, beta=0.01, rule="bce").axes[0]
    assert len(ax.lines) == 1 + len(p) + 2
    at_one, at_inverse = line(ax, "alpha=1"), line(ax, "alpha=inverse")
    np.testing.assert_allclose(at_one.get_data(), theory.operating_point(1.0, 0.01, p))
    np.testing.assert_allclose(at_inverse.get_data(), theory.operating_point(99.0, 0.01, p))
    # The bce rule puts the inverse-proportion weight where x = z on a symmetric curve.
    x, z = at_inverse.get_data()
    np.testing.assert_allclose(x, z)


def test_axes_carry_symbols_and_a_title():
    ax = plot_tradeoff_curves([3.0]).axes[0]
    assert "recall x" in ax.get_xlabel()
    assert "specificity z" in ax.get_ylabel()
    assert "Tradeoff curves" in ax.get_title()
    assert ax.get_xlim() == (0.0, 1.0)


def test_draws_into_a_given_axes_without_a_colour_bar():
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_tradeoff_curves([2.0], beta=None, ax=ax) is fig
    assert fig.axes == [ax]


def test_rejects_p_below_one():
    with pytest.raises(ValueError, match="'p' parameter"):
        plot_tradeoff_curves([0.5])
