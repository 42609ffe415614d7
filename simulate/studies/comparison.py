"""``python -m simulate.rulefit RUN [RUN ...]``: which rule describes which model, and how far
each moves?

For each run (one model each) and class_sep, each curve family is fitted to the simulated mean
operating points, and each rule's expected F1 on that curve is compared with the simulated mean
F1 over the run's weights (:func:`simulate.analysis.summary.theory_gap`). The command prints the
RMSE per model and rule, pooled over class_sep, and per class_sep for one family, and can write the
whole table as CSV. It also prints the movement exponent ``k`` per model and class_sep
(:func:`movement_tables`, :func:`movement_medians`).

The other readers here gather one table per run across the studies' folders, keyed by
:func:`model_label`, for the figures of :mod:`plots`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from simulate.analysis.movement import movement_exponents
from simulate.analysis.summary import (
    per_separation,
    pooled_rmse,
    prediction_error,
    theory_gap,
    weighting_vs_thresholding,
)
from simulate.config import SweepConfig
from simulate.models.registry import MODELS
from simulate.runs.folder import RUN_FILE, load_run
from theory.fit import FAMILIES

__all__ = [
    "RULES",
    "contest_tables",
    "find_runs",
    "knob_summaries",
    "model_label",
    "movement_medians",
    "movement_tables",
    "prediction_errors",
    "rule_fit",
    "run_label",
    "run_prevalence",
    "run_summaries",
    "separation_tables",
]

#: The rules compared.
RULES: tuple[str, ...] = ("bce", "bayes")


def model_label(config: SweepConfig) -> str:
    """A run's model in a few words: ``"logreg"``, or a tree with its limits,
    ``"tree, min_samples_leaf 20"``."""
    if config.model != "tree":
        return config.model
    limits = []
    if config.max_depth is not None:
        limits.append(f"max_depth {config.max_depth}")
    if config.min_samples_leaf != 1:
        limits.append(f"min_samples_leaf {config.min_samples_leaf}")
    return ", ".join(["tree", *limits]) if limits else "tree, fully grown"


def find_runs(directory: str | Path) -> list[Path]:
    """The finished runs directly inside ``directory``, trees first (fully grown, then by
    growing leaf size), then the other models in the order of
    :data:`simulate.models.registry.MODELS`.

    Raises
    ------
    ValueError
        If ``directory`` does not exist or holds no finished run.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"The folder of model runs {str(directory)!r} does not exist.")
    runs = [run.parent for run in directory.glob(f"*/{RUN_FILE}")]
    if not runs:
        raise ValueError(f"The folder {str(directory)!r} holds no finished run.")

    def order(run: Path) -> tuple[int, int, int, str]:
        config = SweepConfig.from_dict(load_run(run).run["config"])
        depth = config.max_depth or 0
        return list(MODELS).index(config.model), depth, config.min_samples_leaf, run.name

    return sorted(runs, key=order)


def prediction_errors(runs: Sequence[str | Path]) -> dict[str, pd.DataFrame]:
    """:func:`simulate.analysis.summary.prediction_error` of each run that holds predictions (a
    probabilistic model's), keyed by :func:`model_label`."""
    errors = {}
    for run_path in runs:
        run = load_run(run_path)
        if run.fits is None:
            continue
        error = prediction_error(run.fits)
        if not error.empty:
            errors[model_label(SweepConfig.from_dict(run.run["config"]))] = error
    return errors


def run_summaries(runs: Sequence[str | Path]) -> dict[str, pd.DataFrame]:
    """Each run's per-cell summary (:func:`simulate.analysis.summary.per_cell`), keyed by
    :func:`model_label`."""
    summaries = {}
    for run_path in runs:
        run = load_run(run_path)
        summaries[model_label(SweepConfig.from_dict(run.run["config"]))] = run.summary
    return summaries


def run_prevalence(runs: Sequence[str | Path]) -> float | None:
    """The prevalence ``beta`` the runs share (read from each run's record alone), or None if
    they differ or there is none."""
    betas = {json.loads((Path(run) / RUN_FILE).read_text())["config"]["beta"] for run in runs}
    return float(betas.pop()) if len(betas) == 1 else None


def separation_tables(runs: Sequence[str | Path]) -> dict[str, pd.DataFrame]:
    """Each run's :func:`simulate.analysis.summary.per_separation` table (the best weight per
    class_sep, flip_y or data set), keyed by :func:`model_label`."""
    tables = {}
    for run_path in runs:
        run = load_run(run_path)
        config = SweepConfig.from_dict(run.run["config"])
        tables[model_label(config)] = per_separation(run.fits, config.beta, seed=config.seed)
    return tables


def contest_tables(runs: Sequence[str | Path]) -> dict[str, pd.DataFrame]:
    """:func:`simulate.analysis.summary.weighting_vs_thresholding` of each run that has its columns
    (a probabilistic model's), keyed by :func:`model_label`."""
    tables = {}
    for run_path in runs:
        run = load_run(run_path)
        table = weighting_vs_thresholding(run.fits)
        if not table.empty:
            tables[model_label(SweepConfig.from_dict(run.run["config"]))] = table
    return tables


def knob_summaries(runs: Sequence[str | Path]) -> dict[tuple[str, str], pd.DataFrame]:
    """Each run's per-cell summary keyed by (:func:`model_label`, knob), for runs that differ in
    how they favour the positives (:mod:`simulate.data.resample`)."""
    summaries = {}
    for run_path in runs:
        run = load_run(run_path)
        config = SweepConfig.from_dict(run.run["config"])
        summaries[(model_label(config), config.knob)] = run.summary
    return summaries


def run_label(config: SweepConfig) -> str:
    """:func:`model_label`, with the knob after a comma for a run that resamples instead of
    weighting: ``"logreg"``, ``"logreg, undersample"``."""
    label = model_label(config)
    return label if config.knob == "weight" else f"{label}, {config.knob}"


def movement_tables(
    runs: Sequence[str | Path], *, family: str = "binormal", rule: str = "bayes"
) -> dict[str, pd.DataFrame]:
    """The movement exponent ``k`` of each run per condition
    (:func:`simulate.analysis.movement.movement_exponents` of its summary, from the mean
    operating points), keyed by :func:`run_label`.

    Parameters
    ----------
    runs : sequence of path
        Finished run folders (:func:`simulate.load_run`), one model and knob each.
    family, rule : str
        The curve family fitted per condition and the rule that places the models on it.

    Returns
    -------
    dict of str to DataFrame
        Per run, one row per condition: its cell keys (class_sep; flip_y; dataset), ``k``,
        ``k_se``, ``r2``, ``n_weights`` and ``alpha_eff_at_1``.

    Raises
    ------
    ValueError
        If a folder is not a finished run, or two runs have the same label.
    """
    tables = {}
    for run_path in runs:
        run = load_run(run_path)
        config = SweepConfig.from_dict(run.run["config"])
        label = run_label(config)
        if label in tables:
            raise ValueError(f"Two runs are of the same model ({label!r}); give one run per model.")
        tables[label] = movement_exponents(run.summary, config.beta, family=family, rule=rule)
    return tables


def movement_medians(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per run of :func:`movement_tables`, ``k`` over its conditions.

    Returns
    -------
    DataFrame
        One row per run, in the order of ``tables``: ``model`` (its label), ``conditions`` (with
        a ``k``), ``k_median``, ``k_low`` and ``k_high`` (the smallest and largest ``k``),
        ``k_se_median`` and ``r2_median``.
    """
    rows = []
    for label, table in tables.items():
        measured = table[table["k"].notna()]
        rows.append(
            {
                "model": label,
                "conditions": len(measured),
                "k_median": float(measured["k"].median()),
                "k_low": float(measured["k"].min()),
                "k_high": float(measured["k"].max()),
                "k_se_median": float(measured["k_se"].median()),
                "r2_median": float(measured["r2"].median()),
            }
        )
    return pd.DataFrame(rows)


def rule_fit(
    runs: Sequence[str | Path], *, families: Sequence[str] = tuple(FAMILIES)
) -> pd.DataFrame:
    """The RMSE between each rule's F1 and the simulated F1, per run, family and class_sep.

    Parameters
    ----------
    runs : sequence of path
        Finished run folders (:func:`simulate.load_run`), one model each.
    families : sequence of str, default every family of :data:`theory.fit.FAMILIES`
        Curve families fitted to each class_sep's mean operating points.

    Returns
    -------
    DataFrame
        :func:`simulate.analysis.summary.theory_gap`'s rows with the run's ``model`` (its
        :func:`run_label`: the model, and the knob of a run that resamples) and ``run`` (the
        folder) in front.

    Raises
    ------
    ValueError
        If a folder is not a finished run, or two runs have the same model label.
    """
    frames = []
    for run_path in runs:
        run = load_run(run_path)
        config = SweepConfig.from_dict(run.run["config"])
        gap = theory_gap(run.summary, config.beta, families=families, rules=RULES)
        gap.insert(0, "run", str(run_path))
        gap.insert(0, "model", run_label(config))
        frames.append(gap)
    table = pd.concat(frames, ignore_index=True)
    labels = table.drop_duplicates("run")["model"]
    if labels.duplicated().any():
        twice = labels[labels.duplicated()].iloc[0]
        raise ValueError(f"Two runs are of the same model ({twice!r}); give one run per model.")
    return table


def pooled(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`simulate.analysis.summary.pooled_rmse` per model: columns model, family, rule,
    rmse."""
    return pd.concat(
        [
            pooled_rmse(group).assign(model=model)[["model", "family", "rule", "rmse"]]
            for model, group in table.groupby("model", sort=False)
        ],
        ignore_index=True,
    )
