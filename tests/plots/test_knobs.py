import numpy as np
import pandas as pd
import pytest

from plots.knobs import plot_knobs


def _summary(shift: float) -> pd.DataFrame:
    """Two class_seps at three weights; F1 and recall known per weight."""
    alphas = [1.0, 10.0, 99.0]
    return pd.DataFrame(
        {
            "class_sep": [0.5] * 3 + [2.0] * 3,
            "alpha": alphas * 2,
            "f1_mean": [0.2, 0.3, 0.1, 0.4, 0.5, 0.3],
            "recall_mean": np.array([0.1, 0.5, 0.9, 0.3, 0.7, 0.95]) - shift,
        }
    )


def test_one_line_per_knob_and_model_at_the_mean_over_class_sep():
    summaries = {
        ("tree", "weight"): _summary(0.0),
        ("tree", "undersample"): _summary(0.05),
        ("logreg", "weight"): _summary(0.0),
    }
    figure = plot_knobs(summaries)
    axes = figure.axes
    assert len(axes) == 4
    tree_f1, logreg_f1, tree_recall, _ = axes
    assert len(tree_f1.get_lines()) == 2
    assert len(logreg_f1.get_lines()) == 1
    np.testing.assert_allclose(tree_f1.get_lines()[0].get_ydata(), [0.3, 0.4, 0.2])
    np.testing.assert_allclose(tree_recall.get_lines()[1].get_ydata(), [0.15, 0.55, 0.875])
    assert [t.get_text() for t in tree_f1.get_legend().get_texts()] == ["weight", "undersample"]


def test_nothing_to_draw_is_refused():
    with pytest.raises(ValueError, match="at least one"):
        plot_knobs({})
    with pytest.raises(ValueError, match="lacks the columns 'recall_mean'"):
        plot_knobs({("tree", "weight"): _summary(0.0).drop(columns="recall_mean")})
