import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.figure import Figure

import theory
from params.post import THEORY_ALPHAS, THEORY_P
from plots import plot_theoretic_scores
from plots._style import p_color
from tests.plots.helpers import line, lines


@pytest.mark.parametrize("rule", ["bce", "bayes"])
def test_f1_lines_are_the_theory_and_dots_its_optima(rule):
    fig = plot_theoretic_scores("f1", rule=rule)
    assert isinstance(fig, Figure)
    ax, colorbar = fig.axes
    assert colorbar.get_ylabel() == "curve quality p"
    curves = lines(ax, "p=")
    assert len(curves) == len(THEORY_P) == 15
    for curve, p in zip(curves, THEORY_P, strict=True):
        alpha, f1 = curve.get_data()
        np.testing.assert_allclose(alpha, THEORY_ALPHAS)
        np.testing.assert_allclose(f1, theory.expected_score(alpha, 0.01, p, rule=rule))
        assert mpl.colors.same_color(curve.get_color(), p_color(p))
    best = theory.optimize_alpha(0.01, THEORY_P, metric="f1", rule=rule)
    optima = line(ax, "optima")
    np.testing.assert_allclose(optima.get_xdata(), best.alpha)
    np.testing.assert_allclose(optima.get_ydata(), best.score)
    np.testing.assert_allclose(line(ax, "inverse-weight").get_xdata(), 99.0)


def test_post_numbers_best_f1_weight_barely_above_one():
    alpha = line(plot_theoretic_scores("f1").axes[0], "optima").get_xdata()
    assert alpha[0] == pytest.approx(2.0, abs=0.05)  # p = 2
    assert alpha[-1] == pytest.approx(1.03, abs=0.01)  # p ~ 40


def test_balanced_accuracy_optima_sit_on_the_inverse_weight():
    ax = plot_theoretic_scores("balanced_accuracy").axes[0]
    np.testing.assert_allclose(line(ax, "optima").get_xdata(), 99.0, rtol=1e-6)
    assert "balanced accuracy" in ax.get_ylabel()


def test_axes_are_labelled_and_log():
    ax = plot_theoretic_scores().axes[0]
    assert ax.get_xscale() == "log"
    assert "α" in ax.get_xlabel()
    assert ax.get_ylabel() == "expected F1"
    assert "β = 0.01" in ax.get_title()


def test_any_f_beta_score():
    ax = plot_theoretic_scores("f3", p=[2.0], alpha=[1.0, 10.0]).axes[0]
    (curve,) = lines(ax, "p=")
    tp, fp, fn, _ = theory.expected_confusion(*theory.operating_point([1.0, 10.0], 0.01, 2.0), 0.01)
    np.testing.assert_allclose(curve.get_ydata(), 10 * tp / (10 * tp + 9 * fn + fp))


def test_optima_outside_the_weights_are_left_out():
    ax = plot_theoretic_scores("f1", p=[2.0, 10.0], alpha=np.logspace(1, 2, 20)).axes[0]
    assert len(lines(ax, "p=")) == 2
    assert len(line(ax, "optima").get_xdata()) == 0


def test_unknown_metric_is_refused():
    with pytest.raises(ValueError, match="'metric' parameter"):
        plot_theoretic_scores("nonsense")
