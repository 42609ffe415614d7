"""The figures of the label-noise, threshold-tuning and real-data studies."""

import numpy as np
import pandas as pd
import pytest

from plots.datasets import plot_datasets
from plots.noise import plot_label_noise
from plots.thresholding import plot_thresholding
from tests.plots.helpers import lines


def _separations(gains: list[float]) -> pd.DataFrame:
    """A per_separation table over two noise levels and two class_seps."""
    return pd.DataFrame(
        {
            "flip_y": [0.0, 0.0, 0.05, 0.05],
            "class_sep": [0.5, 2.0, 0.5, 2.0],
            "alpha_best": [3.0, 1.0, 10.0, 5.0],
            "alpha_best_low": [1.0, 1.0, 5.0, 2.0],
            "alpha_best_high": [5.0, 2.0, 20.0, 9.0],
            "f1_at_1": [0.2, 0.8, 0.1, 0.5],
            "f1_best": np.array([0.2, 0.8, 0.1, 0.5]) + gains,
        }
    )


def test_label_noise_draws_the_best_weight_and_its_gain_per_noise_level():
    figure = plot_label_noise({"tree": _separations([0.01, 0.0, 0.05, 0.02])})
    top, bottom = figure.axes
    assert top.get_title() == "tree" and top.get_yscale() == "log"
    best = [line.get_ydata() for line in lines(top, "best-")]
    np.testing.assert_allclose(best, [[3.0, 1.0], [10.0, 5.0]])
    gains = [line.get_ydata() for line in lines(bottom, "gain-")]
    np.testing.assert_allclose(gains, [[0.01, 0.0], [0.05, 0.02]], atol=1e-12)
    labels = [text.get_text() for text in top.get_legend().get_texts()]
    assert labels == ["flip_y = 0", "flip_y = 0.05"]


def _contest(difference: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "class_sep": [0.5, 2.0, "all"],
            "f1_at_1": [0.1, 0.7, 0.4],
            "f1_weighted": [0.2, 0.8, 0.5],
            "f1_tuned": [0.2 - difference, 0.8 - difference, 0.5 - difference],
            "difference": [difference] * 3,
            "difference_se": [0.01] * 3,
        }
    )


def test_thresholding_draws_both_scores_and_their_difference_per_model():
    figure = plot_thresholding({"logreg": _contest(-0.02), "mlp": _contest(0.01)})
    scores, difference = figure.axes
    assert len(scores.get_lines()) == 6  # weighted, tuned, alpha = 1 per model
    np.testing.assert_allclose(scores.get_lines()[1].get_ydata(), [0.22, 0.82])
    drawn = [line.get_ydata() for line in lines(difference, "difference-")]
    np.testing.assert_allclose(drawn, [[-0.02, -0.02], [0.01, 0.01]])


def test_datasets_draws_one_panel_per_data_set_and_a_line_per_model():
    summary = pd.DataFrame(
        {
            "dataset": ["breast_cancer"] * 2 + ["digits:8"] * 2,
            "alpha": [1.0, 10.0] * 2,
            "f1_mean": [0.8, 0.7, 0.6, 0.65],
            "f1_se": [0.01] * 4,
        }
    )
    figure = plot_datasets({"tree": summary, "logreg": summary.assign(f1_mean=0.5)}, beta=0.09)
    cancer, digits = figure.axes
    assert [cancer.get_title(), digits.get_title()] == ["breast_cancer", "digits:8"]
    tree_line, tree_best = digits.get_lines()[:2]
    np.testing.assert_allclose(tree_line.get_ydata(), [0.6, 0.65])
    assert tree_best.get_xdata()[0] == 10.0  # the star at the best weight


@pytest.mark.parametrize(
    ("plot", "broken", "message"),
    [
        (plot_label_noise, {}, "at least one"),
        (plot_label_noise, {"tree": _separations([0] * 4).drop(columns="f1_best")}, "f1_best"),
        (plot_thresholding, {}, "at least one"),
        (plot_thresholding, {"mlp": _contest(0.0).drop(columns="f1_tuned")}, "f1_tuned"),
        (plot_datasets, {}, "at least one"),
        (plot_datasets, {"tree": pd.DataFrame({"alpha": [1.0]})}, "'dataset'"),
    ],
)
def test_nothing_or_too_little_to_draw_is_refused(plot, broken, message):
    with pytest.raises(ValueError, match=message):
        plot(broken)
