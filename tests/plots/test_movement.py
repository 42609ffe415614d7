import numpy as np
import pandas as pd
import pytest

from plots.movement import plot_movement
from simulate.studies.comparison import find_runs, movement_tables
from tests.plots.helpers import line, lines


def test_one_line_per_model_with_k_against_class_sep_and_the_theory_dashed(small_model_runs):
    tables = movement_tables(find_runs(small_model_runs))
    assert list(tables) == ["tree, fully grown", "logreg"]
    (ax,) = plot_movement(tables).axes
    drawn = lines(ax, "k-")
    assert [item.get_gid() for item in drawn] == ["k-tree, fully grown", "k-logreg"]
    for item, table in zip(drawn, tables.values(), strict=True):
        rows = table.sort_values("class_sep")
        np.testing.assert_allclose(item.get_xdata(), rows["class_sep"])
        np.testing.assert_allclose(item.get_ydata(), rows["k"])
    theory = line(ax, "theory")
    assert theory.get_linestyle() == "--"
    np.testing.assert_allclose(theory.get_ydata(), 1.0)
    np.testing.assert_allclose(line(ax, "still").get_ydata(), 0.0)


def test_a_band_per_model_and_nan_exponents_are_gaps():
    table = pd.DataFrame(
        {"class_sep": [1.0, 0.5, 2.0], "k": [0.8, np.nan, 0.9], "k_se": [0.05, np.nan, np.nan]}
    )
    (ax,) = plot_movement({"logreg": table}).axes
    np.testing.assert_allclose(line(ax, "k-logreg").get_ydata(), [np.nan, 0.8, 0.9])
    assert len(ax.collections) == 1


def test_needs_a_model_and_its_columns():
    with pytest.raises(ValueError, match="at least one"):
        plot_movement({})
    with pytest.raises(ValueError, match="lacks the columns 'k_se'"):
        plot_movement({"x": pd.DataFrame({"class_sep": [1.0], "k": [0.5]})})
