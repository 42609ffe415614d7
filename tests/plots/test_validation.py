import numpy as np
import pytest
from matplotlib.figure import Figure
from scipy import stats
from sklearn.metrics import f1_score

from plots import choose_thresholds, plot_balanced_validation
from plots.validation import BALANCED_D, BALANCED_ROWS, BALANCED_SEED, binormal_f1
from tests.plots.helpers import line


def test_binormal_f1_is_the_closed_form():
    t, d, beta = np.array([0.0, 1.5, 3.0]), 2.5, 0.01
    recall, false_positive = stats.norm.sf(t - d), stats.norm.sf(t)
    precision = beta * recall / (beta * recall + (1 - beta) * false_positive)
    expected = 2 * precision * recall / (precision + recall)
    np.testing.assert_allclose(binormal_f1(t, d, beta), expected, rtol=1e-12)


def _sample():
    rng = np.random.default_rng(BALANCED_SEED)
    half = BALANCED_ROWS // 2
    scores = np.concatenate((rng.normal(0, 1, half), rng.normal(BALANCED_D, 1, half)))
    return np.repeat([0, 1], half), scores


@pytest.mark.parametrize("beta", [0.5, 0.01])
def test_each_chosen_threshold_is_a_scan_of_the_sample_at_its_prevalence(beta):
    # F1 with the positives weighted beta and the negatives 1 - beta is F1 at prevalence beta
    # on a balanced sample; the chosen threshold must reach the best over every distinct score.
    y, scores = _sample()
    weights = np.where(y == 1, beta, 1 - beta)
    thresholds = np.unique(scores)
    predicted = scores[None, :] >= thresholds[:, None]
    true_positive = (predicted & (y == 1)) @ weights
    false_positive = (predicted & (y == 0)) @ weights
    false_negative = (~predicted & (y == 1)) @ weights
    scan = 2 * true_positive / (2 * true_positive + false_positive + false_negative)
    best = thresholds[np.argmax(scan)]
    chosen = choose_thresholds(beta=0.01)
    threshold = chosen.balanced if beta == 0.5 else chosen.deployment

    def f1_at(t: float) -> float:
        return f1_score(y, scores >= t, sample_weight=weights)

    assert f1_at(threshold) == pytest.approx(f1_at(best), rel=1e-9)
    assert f1_at(best) == pytest.approx(scan.max(), rel=1e-9)


def test_choosing_at_the_deployment_prevalence_is_near_the_true_optimum():
    chosen = choose_thresholds()
    assert chosen.f1_best == pytest.approx(binormal_f1(chosen.best, BALANCED_D, 0.01))
    assert chosen.f1_deployment <= chosen.f1_best
    assert chosen.f1_balanced <= chosen.f1_best
    assert chosen.balanced < chosen.deployment


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
