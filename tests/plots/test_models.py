import numpy as np
import pandas as pd
import pytest

from plots.models import model_colors, plot_prediction_error, plot_rule_fit
from simulate.models.registry import PROBABILISTIC
from simulate.studies.comparison import find_runs, prediction_errors, rule_fit


def test_rule_fit_draws_a_line_per_model_and_rule_and_a_bar_per_family_and_rule(small_model_runs):
    table = rule_fit(find_runs(small_model_runs))
    figure = plot_rule_fit(table)
    left, right = figure.axes
    assert len(left.get_lines()) == 2 * 2  # models x rules
    families = table["family"].nunique()
    assert len(right.patches) == 2 * families * 2  # models x families x rules
    heights = sorted(patch.get_height() for patch in right.patches)
    pooled = table.groupby(["model", "family", "rule"])["rmse"].apply(
        lambda rmse: np.sqrt(np.mean(rmse**2))
    )
    np.testing.assert_allclose(heights, sorted(pooled))


def test_rule_fit_needs_the_family_it_draws(small_model_runs):
    table = rule_fit(find_runs(small_model_runs), families=("superellipse",))
    with pytest.raises(ValueError, match="no rows of the family 'binormal'"):
        plot_rule_fit(table)


def test_prediction_error_draws_each_probabilistic_model(small_model_runs):
    errors = prediction_errors(find_runs(small_model_runs))
    assert list(errors) == ["logreg"]
    figure = plot_prediction_error(errors)
    assert len(figure.axes) == 4
    top_left = figure.axes[0]
    f1_line = top_left.get_lines()[0]
    expected = errors["logreg"].query("predictor == 'bce'").sort_values("alpha")["f1_mae"]
    np.testing.assert_allclose(f1_line.get_ydata(), expected)


def test_prediction_error_needs_a_model():
    with pytest.raises(ValueError, match="at least one"):
        plot_prediction_error({})
    with pytest.raises(ValueError, match="lacks the columns 'f1_mae'"):
        plot_prediction_error({"x": pd.DataFrame({"predictor": ["bce"], "alpha": [1.0]})})


def test_every_probabilistic_model_keeps_its_colour_in_every_figure():
    tree_labels = [
        "tree, fully grown",
        "tree, min_samples_leaf 5",
        "tree, min_samples_leaf 20",
        "tree, min_samples_leaf 100",
    ]
    alone = model_colors(list(PROBABILISTIC))
    beside_trees = model_colors([*tree_labels, *reversed(PROBABILISTIC)])
    assert {model: beside_trees[model] for model in PROBABILISTIC} == alone
    assert alone["xgboost"] != alone["lightgbm"]
    assert len(set(beside_trees.values())) == len(beside_trees)
