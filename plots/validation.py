"""What choosing the threshold by F1 on a balanced validation set costs where positives are rare.

A practitioner tunes the threshold on a balanced validation split (half positives), then deploys
the model where 1% of the cases are positive. The ROC is the same at both prevalences, but F1
is not: the threshold that maximises F1 at 50% sits far lower than the one that maximises it
at 1%, where every false positive weighs 99 times more. :func:`theory.what_if_scores` computes
scores at the deployment prevalence ``beta`` from the same balanced rows.

The model is binormal: scores ``N(0, 1)`` on the negatives and ``N(d, 1)`` on the positives, so
at threshold ``t`` its recall is ``1 - Phi(t - d)`` and its specificity ``Phi(t)``, and the
true F1 at any prevalence is known in closed form.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray
from scipy import special

import theory
from params.post import BETA
from plots._style import OPTIMUM_MARKER, new_figure

__all__ = [
    "BALANCED_D",
    "BALANCED_ROWS",
    "BALANCED_SEED",
    "ChosenThresholds",
    "binormal_f1",
    "choose_thresholds",
    "plot_balanced_validation",
]

#: Separation of the binormal model: AUC ``Phi(d / sqrt(2))`` = 0.983, a strong model whose
#: best F1 at 1% positives (0.63) is worth having; weaker models make every F1 at 1% small.
BALANCED_D = 3.0
#: Rows of the balanced validation set, half of them positive.
BALANCED_ROWS = 4000
#: Seed of the validation set's draw.
BALANCED_SEED = 0
#: Thresholds drawn, from below the negatives' mean to above the positives'.
_THRESHOLD_RANGE = (-1.0, 5.0)
_THRESHOLD_POINTS = 1201
#: Colours of the two choices.
_BALANCED_COLOR = "tab:red"
_DEPLOYMENT_COLOR = "tab:blue"


def binormal_f1(threshold: ArrayLike, d: float, beta: float) -> NDArray[np.float64]:
    """True F1 at prevalence ``beta`` of the binormal model with separation ``d`` at
    ``threshold`` (positive where the score is at least the threshold)."""
    threshold = np.asarray(threshold, np.float64)
    recall = special.ndtr(d - threshold)
    specificity = special.ndtr(threshold)
    return theory.confusion_scores(*theory.expected_confusion(recall, specificity, beta))["f1"]


class ChosenThresholds(NamedTuple):
    """The F1-best thresholds on one balanced validation set, and what they give at ``beta``."""

    balanced: float
    """F1-best threshold with F1 computed at the validation set's own prevalence, 50%."""
    deployment: float
    """F1-best threshold with F1 computed at the deployment prevalence ``beta``."""
    f1_balanced: float
    """True F1 at ``beta`` of :attr:`balanced`."""
    f1_deployment: float
    """True F1 at ``beta`` of :attr:`deployment`."""
    best: float
    """The threshold with the highest true F1 at ``beta``."""
    f1_best: float
    """That F1."""


def choose_thresholds(
    *,
    d: float = BALANCED_D,
    rows: int = BALANCED_ROWS,
    seed: int = BALANCED_SEED,
    beta: float = BETA,
) -> ChosenThresholds:
    """Draw a balanced validation set from the binormal model and choose the F1-best threshold
    at 50% and at ``beta`` (:func:`theory.what_if_scores`, ``best``), then score both exactly.

    Parameters
    ----------
    d : float, default :data:`BALANCED_D`
        Separation of the positives' scores from the negatives'.
    rows : int, default :data:`BALANCED_ROWS`
        Size of the validation set, half positives (rounded down).
    seed : int, default :data:`BALANCED_SEED`
        Seeds the draw.
    beta : float, default 0.01
        The deployment prevalence.

    Returns
    -------
    ChosenThresholds
    """
    rng = np.random.default_rng(seed)
    half = rows // 2
    y = np.repeat([0, 1], half)
    scores = np.concatenate((rng.normal(0.0, 1.0, half), rng.normal(d, 1.0, half)))

    def best_threshold(at: float | None) -> float:
        predicted = theory.what_if_scores(
            y, scores, alpha=1.0, beta=at, threshold=d / 2.0, metrics=("f1",)
        )
        return float(predicted.best.loc["f1", "threshold"])

    balanced, deployment = best_threshold(None), best_threshold(beta)
    grid = np.linspace(*_THRESHOLD_RANGE, _THRESHOLD_POINTS)
    true_f1 = binormal_f1(grid, d, beta)
    best = int(np.argmax(true_f1))
    return ChosenThresholds(
        balanced=balanced,
        deployment=deployment,
        f1_balanced=float(binormal_f1(balanced, d, beta)),
        f1_deployment=float(binormal_f1(deployment, d, beta)),
        best=float(grid[best]),
        f1_best=float(true_f1[best]),
    )


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
        As :func:`choose_thresholds`.

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
    grid = np.linspace(*_THRESHOLD_RANGE, _THRESHOLD_POINTS)
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
    ax.set_xlim(*_THRESHOLD_RANGE)
    ax.set_ylim(0.0, 1.0)
    ax.set_xlabel(f"threshold t on the score (negatives N(0, 1), positives N({d:g}, 1))")
    ax.set_ylabel("F1")
    ax.set_title(f"F1 at {beta:.0%} positives of thresholds chosen on {rows} balanced rows")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    return fig
