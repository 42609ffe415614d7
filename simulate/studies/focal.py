"""The focal loss trained for real: does the theory's focal rule say where the models land?

The theory's focal rule (:func:`theory.rules.focal_rule`) makes striking claims: with
``gamma > 0`` a weight puts the classifier at a lower recall than the cross-entropy does, the best
weight for F1 can fall far below 1 (about 5e-4 at ``gamma = 2`` on the post's curve of p = 2),
and no ``gamma`` reaches a better F1 than the cross-entropy at its own best weight. The study
trains the models on the focal loss (``--loss focal``, :mod:`simulate.models.losses`): one sweep
per model and ``gamma`` over the post's class_seps, at weights from 1e-4 to 316 (below 1 too,
where the rule puts the best weight).

Per model, ``gamma`` and class_sep, :func:`focal_table` sets what the sweep measured beside what
the rule says on the equal-variance binormal fitted to the same sweep's mean operating points
(the curve the model traces, whatever its loss): the recall at ``alpha = 1``, the best weight for
F1 and the F1 there, and the best F1 over the weights against the cross-entropy's (the sweep at
``gamma = 0``, and the bce rule on the same curve). :func:`focal_rule_fit` is the rule fit of the
other models (:func:`simulate.analysis.summary.theory_gap`) with the focal rule beside the bce
and bayes rules.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

import theory
from params.argtypes import grid
from params.settings import setting, validate_fields
from params.validation import POSITIVE
from simulate.analysis.summary import fit_separations, pooled_rmse, theory_gap
from simulate.config import SweepConfig
from simulate.models.losses import FOCAL, GAMMA_RANGE
from simulate.models.registry import FOCAL_MODELS
from simulate.runs.folder import RunData

__all__ = [
    "FOCAL_ALPHAS",
    "FOCAL_ALPHAS_TEXT",
    "SWEEP_DEFAULTS",
    "FocalConfig",
    "focal_rule_fit",
    "focal_summary",
    "focal_sweeps",
    "focal_table",
]

#: The study's weights as the command line writes them: 1e-4 to 10**2.5 (about 316, the post's
#: largest) in quarter decades, 1 among them.
FOCAL_ALPHAS_TEXT = "1e-4:316.22776601683796:27"
#: :data:`FOCAL_ALPHAS_TEXT` parsed.
FOCAL_ALPHAS: tuple[float, ...] = tuple(grid(POSITIVE, spacing="log")(FOCAL_ALPHAS_TEXT))
#: The sweep settings whose study defaults differ from a sweep's.
SWEEP_DEFAULTS: dict[str, Any] = {"alphas": FOCAL_ALPHAS}
#: The curve family the rules are read on.
FAMILY = "binormal"
#: The rules the rule fit compares (the focal rule with each sweep's gamma).
RULES: tuple[str, ...] = ("bce", "bayes", "focal")


@dataclass(frozen=True)
class FocalConfig:
    """The study's own settings: which sweeps it runs (every other setting is a sweep's).

    Parameters
    ----------
    models : tuple of str, default ("logreg", "mlp")
        The models trained on the focal loss (:data:`simulate.models.registry.FOCAL_MODELS`).
    gammas : tuple of float, default (0, 1, 2, 5)
        The focal loss's parameters, one sweep per model and value; 0 is the cross-entropy,
        the baseline every other value is compared with.

    Raises
    ------
    ParameterError
        A :class:`ValueError` naming the bad setting, its value and what is allowed.
    """

    models: tuple[str, ...] = setting(
        "logreg,mlp", str, "models trained on the focal loss", many=True, choices=FOCAL_MODELS
    )
    gammas: tuple[float, ...] = setting(
        "0,1,2,5",
        float,
        "the focal loss's gamma, one sweep per model and value (0: the cross-entropy)",
        many=True,
        interval=GAMMA_RANGE,
    )

    def __post_init__(self) -> None:
        validate_fields(self)


def focal_sweeps(config: FocalConfig, **sweep_settings: Any) -> dict[str, SweepConfig]:
    """The study's sweeps, one per model and gamma, by label (``"logreg-gamma2"``).

    ``sweep_settings`` are :class:`~simulate.config.SweepConfig` settings on top of
    :data:`SWEEP_DEFAULTS`; the weight 1 is always among the alphas.

    Raises
    ------
    ValueError
        For a bad setting, or ``model``, ``loss`` or ``gamma`` given (the study sets them).
    """
    for name in ("model", "loss", "gamma"):
        if name in sweep_settings:
            raise ValueError(
                f"The setting {name} is the focal study's own (--models, --gammas): "
                "not a sweep setting here."
            )
    settings = {**SWEEP_DEFAULTS, **sweep_settings}
    settings["alphas"] = tuple(sorted({1.0, *settings["alphas"]}))
    return {
        f"{model}-gamma{gamma:g}": SweepConfig(model=model, loss=FOCAL, gamma=gamma, **settings)
        for model, gamma in itertools.product(config.models, config.gammas)
    }


def focal_table(runs: Mapping[str, RunData]) -> pd.DataFrame:
    """Per model, gamma and class_sep: where the trained models land, beside the focal rule.

    Parameters
    ----------
    runs : mapping of str to RunData
        The study's sweeps (:func:`focal_sweeps`, run by
        :func:`simulate.studies.sweeps.run_sweeps`), or any focal-loss sweeps.

    Returns
    -------
    DataFrame
        One row per (model, gamma, class_sep), in the order of ``runs`` then class_sep:
        ``model``, ``gamma``, ``class_sep``, ``d`` (the binormal fitted to the sweep's mean
        operating points); the simulated ``recall_at_1``, ``f1_at_1``, ``best_alpha`` (the weight
        of the highest mean F1), ``best_f1`` and ``best_f1_bce`` (the same model's best at
        ``gamma = 0``, NaN without that sweep); and the rule's ``theory_recall_at_1``,
        ``theory_best_alpha``, ``theory_best_f1`` and ``theory_best_f1_bce`` (the bce rule's
        best on the same curve), ``theory_best_at_edge`` (the rule's best weight is at an end
        of its search).
    """
    rows = []
    for config, summary in _summaries(runs):
        curves = fit_separations(summary, family=FAMILY)
        for class_sep, cell in summary.groupby("class_sep", sort=True):
            curve = curves[float(class_sep)]
            cell = cell.sort_values("alpha")
            best = cell.loc[cell["f1_mean"].idxmax()]
            at_one = cell[cell["alpha"] == 1.0].iloc[0]
            beta = config.beta
            focal = theory.optimize_alpha(beta, curve, rule="focal", gamma=config.gamma)
            bce = theory.optimize_alpha(beta, curve, rule="bce")
            recall, _ = theory.operating_point(1.0, beta, curve, rule="focal", gamma=config.gamma)
            rows.append(
                {
                    "model": config.model,
                    "gamma": config.gamma,
                    "class_sep": float(class_sep),
                    "d": float(curve.d),
                    "recall_at_1": at_one["recall_mean"],
                    "f1_at_1": at_one["f1_mean"],
                    "best_alpha": best["alpha"],
                    "best_f1": best["f1_mean"],
                    "theory_recall_at_1": float(recall),
                    "theory_best_alpha": float(focal.alpha),
                    "theory_best_f1": float(focal.score),
                    "theory_best_f1_bce": float(bce.score),
                    "theory_best_at_edge": bool(focal.at_edge),
                }
            )
    table = pd.DataFrame(rows)
    baseline = table[table["gamma"] == 0.0].set_index(["model", "class_sep"])["best_f1"]
    keys = pd.MultiIndex.from_frame(table[["model", "class_sep"]])
    table.insert(8, "best_f1_bce", baseline.reindex(keys).to_numpy())
    return table


def focal_summary(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`focal_table` per model and gamma: the median over class_seps of each quantity,
    and ``beats_bce``, the share of class_seps whose best F1 exceeds the cross-entropy's."""
    medians = [
        "recall_at_1",
        "theory_recall_at_1",
        "best_alpha",
        "theory_best_alpha",
        "best_f1",
        "best_f1_bce",
        "theory_best_f1",
        "theory_best_f1_bce",
    ]
    groups = table.groupby(["model", "gamma"], sort=False)
    summary = groups[medians].median()
    summary["beats_bce"] = groups.apply(
        lambda rows: float(np.mean(rows["best_f1"] > rows["best_f1_bce"])), include_groups=False
    )
    return summary.reset_index()


def focal_rule_fit(runs: Mapping[str, RunData]) -> pd.DataFrame:
    """Each rule's RMSE against the simulated mean F1 over the weights, per model and gamma,
    pooled over class_sep, on the fitted binormal (the focal rule with the sweep's gamma).

    Returns
    -------
    DataFrame
        ``model``, ``gamma``, ``rule`` and ``rmse``, in the order of ``runs`` and
        :data:`RULES`.
    """
    frames = []
    for config, summary in _summaries(runs):
        gap = theory_gap(summary, config.beta, families=(FAMILY,), rules=RULES, gamma=config.gamma)
        pooled = pooled_rmse(gap).drop(columns="family")
        frames.append(pooled.assign(model=config.model, gamma=config.gamma))
    return pd.concat(frames, ignore_index=True)[["model", "gamma", "rule", "rmse"]]


def _summaries(runs: Mapping[str, RunData]) -> list[tuple[SweepConfig, pd.DataFrame]]:
    """Each run's settings and per-cell summary, refused unless it is a focal-loss sweep over
    class_seps alone."""
    found = []
    for label, run in runs.items():
        config = SweepConfig.from_dict(run.run["config"])
        if config.loss != FOCAL or config.real_data or len(config.flip_y) > 1:
            raise ValueError(
                f"The run {label!r} is not a focal-loss sweep over class_seps "
                f"(loss {config.loss!r}); the focal study reads only those."
            )
        found.append((config, run.summary))
    return found
