"""What choosing the threshold by F1 on a balanced validation set costs where positives are rare.

The numbers come from :func:`theory.studies.choose_thresholds` and
:func:`theory.studies.binormal_f1`, whose module says what the study asks.
"""

from __future__ import annotations

from matplotlib.figure import Figure

from params.post import BETA
from plots._style import OPTIMUM_MARKER, new_figure
from theory.studies import (
    BALANCED_D,
    BALANCED_ROWS,
    BALANCED_SEED,
    BALANCED_THRESHOLDS,
    binormal_f1,
    choose_thresholds,
)

__all__ = ["plot_balanced_validation"]

#: Colours of the two choices.
_BALANCED_COLOR = "tab:red"
_DEPLOYMENT_COLOR = "tab:blue"


def plot_balanced_validation(
    *,
    d: float = BALANCED_D,
    rows: int = BALANCED_ROWS,
    seed: int = BALANCED_SEED,
    beta: float = BETA,
) -> Figure:
    """True F1 at the deployment prevalence against the threshold, and two thresholds chosen on
    a balanced validation set: by F1 at 50% and by F1 at ``beta``.

    Parameters
    ----------
    d, rows, seed, beta
        As :func:`theory.studies.choose_thresholds`, which computes the thresholds drawn.

    Returns
    -------
    Figure
        One axes: the true F1 at ``beta`` (``gid`` ``"f1-deployment"``) and at 50%
        (``"f1-balanced"``) against the threshold; a vertical line and a dot at each chosen
        threshold's F1 at ``beta`` (``"threshold-balanced"``, ``"chosen-balanced"``,
        ``"threshold-deployment"``, ``"chosen-deployment"``); the best threshold at ``beta``
        (``"optimum"``).
    """
    chosen = choose_thresholds(d=d, rows=rows, seed=seed, beta=beta)
    fig = new_figure()
    ax = fig.add_subplot()
    grid = BALANCED_THRESHOLDS
    ax.plot(
        grid,
        binormal_f1(grid, d, beta),
        color="black",
        lw=1.8,
        label=f"true F1 at {beta:.0%} positives (deployment)",
        gid="f1-deployment",
    )
    ax.plot(
        grid,
        binormal_f1(grid, d, 0.5),
        color="0.55",
        lw=1.4,
        ls="--",
        label="true F1 at 50% positives (the validation set's)",
        gid="f1-balanced",
    )
    for name, color, threshold, f1, at in (
        ("balanced", _BALANCED_COLOR, chosen.balanced, chosen.f1_balanced, 0.5),
        ("deployment", _DEPLOYMENT_COLOR, chosen.deployment, chosen.f1_deployment, beta),
    ):
        ax.axvline(threshold, color=color, ls=":", lw=1.4, gid=f"threshold-{name}")
        ax.plot(
            [threshold],
            [f1],
            ls="none",
            marker="o",
            ms=7,
            color=color,
            label=f"chosen by F1 at {at:.0%}: t = {threshold:.2f}, F1 at {beta:.0%} = {f1:.3f}",
            gid=f"chosen-{name}",
        )
    ax.plot(
        [chosen.best],
        [chosen.f1_best],
        **OPTIMUM_MARKER,
        ms=7,
        label=f"best at {beta:.0%}: t = {chosen.best:.2f}, F1 = {chosen.f1_best:.3f}",
        gid="optimum",
    )
    ax.set_xlim(grid[0], grid[-1])
    ax.set_ylim(0.0, 1.0)
    ax.set_xlabel(f"threshold t on the score (negatives N(0, 1), positives N({d:g}, 1))")
    ax.set_ylabel("F1")
    ax.set_title(f"F1 at {beta:.0%} positives of thresholds chosen on {rows} balanced rows")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    return fig
