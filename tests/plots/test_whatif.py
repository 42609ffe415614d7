import numpy as np
import pytest

import theory
from plots import plot_what_if_scores
from tests.plots.helpers import line, lines


def _scores(n=600, seed=0):
    rng = np.random.default_rng(seed)
    positive = rng.random(n) < 0.1
    return positive, 1.0 / (1.0 + np.exp(-(rng.normal(size=n) + 2.0 * positive - 2.5)))


@pytest.mark.parametrize("smooth", [None, "asymmetric"])
def test_curve_points_and_scores_are_the_theorys(smooth):
    positive, score = _scores()
    asked = [2.0, 5.0, 20.0]
    figure = plot_what_if_scores(positive, score, alpha=asked, beta=0.02, smooth=smooth)
    curve_axes, score_axes, threshold_axes = figure.axes
    expected = theory.what_if_scores(positive, score, asked, beta=0.02, smooth=smooth)
    predicted = line(curve_axes, "predicted")
    np.testing.assert_allclose(predicted.get_xdata(), expected.table["recall"])
    np.testing.assert_allclose(predicted.get_ydata(), expected.table["specificity"])
    hull = theory.EmpiricalCurve.from_scores(positive, score, smooth=None).hull
    np.testing.assert_array_equal(line(curve_axes, "hull").get_xdata(), hull.recall)
    assert len(lines(curve_axes, "smoothed")) == (smooth is not None)
    for name in ("f1", "balanced_accuracy"):
        marks = line(score_axes, f"{name}-asked")
        np.testing.assert_allclose(marks.get_ydata(), expected.table[name])
    assert line(threshold_axes, "threshold") is not None
