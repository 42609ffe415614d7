import numpy as np
from matplotlib.figure import Figure

from plots import plot_balanced_validation
from tests.plots.helpers import line
from theory.studies import BALANCED_D, binormal_f1, choose_thresholds


def test_figure_marks_both_thresholds_on_the_deployment_curve():
    fig = plot_balanced_validation()
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    chosen = choose_thresholds()
    t, f1 = line(ax, "f1-deployment").get_data()
    np.testing.assert_allclose(f1, binormal_f1(t, BALANCED_D, 0.01))
    t, f1 = line(ax, "f1-balanced").get_data()
    np.testing.assert_allclose(f1, binormal_f1(t, BALANCED_D, 0.5))
    for name in ("balanced", "deployment"):
        threshold = getattr(chosen, name)
        np.testing.assert_allclose(line(ax, f"threshold-{name}").get_xdata(), threshold)
        np.testing.assert_allclose(
            line(ax, f"chosen-{name}").get_data(), [[threshold], [getattr(chosen, f"f1_{name}")]]
        )
    np.testing.assert_allclose(line(ax, "optimum").get_data(), [[chosen.best], [chosen.f1_best]])
    assert "1%" in ax.get_title()
