import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from plots import plot_retraining
from simulate.studies.retraining import DEFAULT_VARIANT, SCORES, UNCHANGED
from tests.plots.helpers import line, lines

MODELS = ("logistic", "boosting")
DATASETS = ("digits:8", "breast_cancer@0.1")
ALPHAS = (1.0, 2.0, 5.0, 20.0, 99.0)


def _summary() -> pd.DataFrame:
    """A study summary whose means are distinct numbers, so each line can be traced back."""
    rows = []
    for m, model in enumerate(MODELS):
        for d, dataset in enumerate(DATASETS):
            for variant in (DEFAULT_VARIANT, UNCHANGED):
                for a, alpha in enumerate(ALPHAS):
                    row = {"model": model, "dataset": dataset, "variant": variant}
                    row |= {"alpha": alpha, "n": 7}
                    for s, name in enumerate(SCORES):
                        base = 0.1 * m + 0.05 * d + 0.01 * a + 0.2 * s
                        row[f"{name}_real"] = base
                        row[f"{name}_predicted"] = base + (0.3 if variant == UNCHANGED else 0.02)
                    rows.append(row)
    return pd.DataFrame(rows)


def test_one_panel_per_model_and_score_with_real_and_predicted_lines():
    summary = _summary()
    fig = plot_retraining(summary)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == len(MODELS) * len(SCORES)
    default = summary[summary["variant"] == DEFAULT_VARIANT]
    for index, ax in enumerate(fig.axes):
        model, name = MODELS[index // len(SCORES)], SCORES[index % len(SCORES)]
        assert model in ax.get_title()
        assert [item.get_gid() for item in lines(ax, "real:")] == [f"real:{d}" for d in DATASETS]
        for dataset in DATASETS:
            cell = default[(default["model"] == model) & (default["dataset"] == dataset)]
            real, predicted = line(ax, f"real:{dataset}"), line(ax, f"predicted:{dataset}")
            np.testing.assert_allclose(real.get_xdata(), ALPHAS)
            np.testing.assert_allclose(real.get_ydata(), cell[f"{name}_real"])
            np.testing.assert_allclose(predicted.get_ydata(), cell[f"{name}_predicted"])
            assert predicted.get_linestyle() == "--"
        assert ax.get_xscale() == "log"
    assert DEFAULT_VARIANT in fig.get_suptitle()
    assert "7 splits" in fig.get_suptitle()


def test_another_variant_is_drawn_when_asked():
    ax = plot_retraining(_summary(), variant=UNCHANGED).axes[0]
    np.testing.assert_allclose(line(ax, "predicted:digits:8").get_ydata()[0], 0.3)


def test_missing_columns_or_variant_are_named():
    with pytest.raises(ValueError, match="lacks the columns 'f1_real'"):
        plot_retraining(_summary().drop(columns="f1_real"))
    with pytest.raises(ValueError, match=r"variant 'hull/slope'.* has no rows"):
        plot_retraining(_summary(), variant="hull/slope")
