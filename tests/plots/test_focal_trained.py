import numpy as np
import pandas as pd

from plots import plot_focal_trained
from tests.plots.helpers import line


def _table() -> pd.DataFrame:
    rows = []
    for model in ("logreg", "mlp"):
        for gamma in (0.0, 2.0):
            for class_sep in (0.5, 1.0, 2.0):
                rows.append(
                    {
                        "model": model,
                        "gamma": gamma,
                        "class_sep": class_sep,
                        "recall_at_1": 0.3 + 0.1 * class_sep - 0.05 * gamma,
                        "best_alpha": 2.0 + class_sep,
                        "best_f1": 0.5 + 0.1 * class_sep - 0.01 * gamma,
                        "best_f1_bce": 0.5 + 0.1 * class_sep,
                        "theory_recall_at_1": 0.4 + 0.05 * gamma,
                        "theory_best_alpha": 3.0 * 10.0 ** (-gamma),
                        "theory_best_f1": 0.6,
                        "theory_best_f1_bce": 0.6,
                    }
                )
    return pd.DataFrame(rows)


def test_per_model_three_panels_against_gamma():
    table = _table()
    fig = plot_focal_trained(table)
    assert len(fig.axes) == 6
    recall_ax, alpha_ax, gain_ax = fig.axes[3:]
    simulated = line(recall_ax, "mlp-recall_at_1-simulated")
    np.testing.assert_allclose(simulated.get_xdata(), [0.0, 2.0])
    np.testing.assert_allclose(simulated.get_ydata(), [0.4, 0.3])
    np.testing.assert_allclose(line(recall_ax, "mlp-recall_at_1-rule").get_ydata(), [0.4, 0.5])
    assert alpha_ax.get_yscale() == "log"
    np.testing.assert_allclose(line(alpha_ax, "mlp-best_alpha-rule").get_ydata(), [3.0, 0.03])
    np.testing.assert_allclose(line(gain_ax, "mlp-gain-simulated").get_ydata(), [0.0, -0.02])
    np.testing.assert_allclose(line(gain_ax, "mlp-gain-rule").get_ydata(), [0.0, 0.0])
    assert "γ" in gain_ax.get_xlabel()
