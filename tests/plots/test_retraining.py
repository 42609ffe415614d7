import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from plots import plot_retraining
from simulate.analysis.prediction import PREDICTED_SCORES, UNCHANGED
from tests.plots.helpers import line, lines

MODELS = ("logreg", "hgb")
DATA = (("digits:8", 0.06), ("breast_cancer", 0.09))
ALPHAS = (1.0, 2.0, 5.0, 20.0, 99.0)


def _errors() -> pd.DataFrame:
    """A study table whose means are distinct numbers, so each line can be traced back."""
    rows = []
    for m, model in enumerate(MODELS):
        for d, (dataset, beta) in enumerate(DATA):
            for predictor in ("threshold", UNCHANGED):
                for a, alpha in enumerate(ALPHAS):
                    row = {"model": model, "data": f"{dataset} at {beta:g}"}
                    row |= {"predictor": predictor, "alpha": alpha, "predicted": 7}
                    for s, name in enumerate(PREDICTED_SCORES):
                        base = 0.1 * m + 0.05 * d + 0.01 * a + 0.2 * s
                        row[f"{name}_real"] = base
                        row[f"{name}_predicted"] = base + (0.3 if predictor == UNCHANGED else 0.02)
                    rows.append(row)
    return pd.DataFrame(rows)


def test_one_panel_per_model_and_score_with_real_and_predicted_lines():
    errors = _errors()
    fig = plot_retraining(errors)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == len(MODELS) * len(PREDICTED_SCORES)
    shown = errors[errors["predictor"] == "threshold"]
    labels = [f"{dataset} at {beta:g}" for dataset, beta in DATA]
    for index, ax in enumerate(fig.axes):
        model = MODELS[index // len(PREDICTED_SCORES)]
        name = PREDICTED_SCORES[index % len(PREDICTED_SCORES)]
        assert model in ax.get_title()
        assert [item.get_gid() for item in lines(ax, "real:")] == [f"real:{x}" for x in labels]
        for label in labels:
            cell = shown[(shown["model"] == model) & (shown["data"] == label)]
            real, predicted = line(ax, f"real:{label}"), line(ax, f"predicted:{label}")
            np.testing.assert_allclose(real.get_xdata(), ALPHAS)
            np.testing.assert_allclose(real.get_ydata(), cell[f"{name}_real"])
            np.testing.assert_allclose(predicted.get_ydata(), cell[f"{name}_predicted"])
            assert predicted.get_linestyle() == "--"
        assert ax.get_xscale() == "log"
    assert "threshold" in fig.get_suptitle()
    assert "7 splits" in fig.get_suptitle()


def test_another_predictor_is_drawn_when_asked():
    ax = plot_retraining(_errors(), predictor=UNCHANGED).axes[0]
    np.testing.assert_allclose(line(ax, "predicted:digits:8 at 0.06").get_ydata()[0], 0.3)


def test_missing_columns_or_predictor_are_named():
    with pytest.raises(ValueError, match="lacks the columns 'f1_real'"):
        plot_retraining(_errors().drop(columns="f1_real"))
    with pytest.raises(ValueError, match=r"predictor 'hull-slope'.* has no rows"):
        plot_retraining(_errors(), predictor="hull-slope")


def test_the_error_falls_with_the_validation_positives_per_predictor():
    from plots import plot_error_by_positives

    rows = []
    for model in MODELS:
        for positives in (25.0, 250.0, 2500.0):
            for predictor in ("threshold", "no-change"):
                for alpha in (1.0, 5.0, 20.0):
                    error = (0.5 if predictor == "no-change" else 1.0) / np.sqrt(positives)
                    rows.append(
                        {
                            "model": model,
                            "data": f"at {positives:g}",
                            "val_positives": positives,
                            "predictor": predictor,
                            "alpha": alpha,
                            "f1_mae": 0.0 if alpha == 1.0 else error * alpha,
                        }
                    )
    errors = pd.DataFrame(rows)
    fig = plot_error_by_positives(errors)
    assert len(fig.axes) == len(MODELS)
    threshold = line(fig.axes[0], "threshold")
    np.testing.assert_allclose(threshold.get_xdata(), [25.0, 250.0, 2500.0])
    np.testing.assert_allclose(threshold.get_ydata(), 12.5 / np.sqrt([25.0, 250.0, 2500.0]))
    assert fig.axes[0].get_xscale() == "log"
    with pytest.raises(ValueError, match="no weight but 1"):
        plot_error_by_positives(errors[errors["alpha"] == 1.0])
    with pytest.raises(ValueError, match="lacks the columns 'f1_mae'"):
        plot_error_by_positives(errors.drop(columns="f1_mae"))
