"""``python -m simulate.rulefit RUN [RUN ...]``: which rule describes which model, and how far
each moves?

For each run (one model each) and condition (class_sep; with label noise, flip_y and class_sep;
on real data, the data set: the run's :func:`~simulate.analysis.summary.cell_keys`), each curve
family is fitted to the simulated mean operating points, and each rule's expected F1 on that
curve is compared with the simulated mean F1 over the run's weights
(:func:`simulate.analysis.summary.theory_gap`). The command prints the RMSE per model and rule,
pooled over the conditions, and per condition for one family, and can write the whole table as
CSV. It also prints the movement exponent ``k`` per model and condition
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
    CELL_KEYS,
    cell_keys,
    per_separation,
    pooled_rmse,
    prediction_error,
    theory_gap,
    weighting_vs_thresholding,
)
from simulate.config import SweepConfig
from simulate.models.registry import MODELS
from simulate.runs.folder import RUN_FILE, RunData, load_run
from theory.fit import FAMILIES

__all__ = [
    "RULES",
    "contest_tables",
    "find_runs",
    "knob_summaries",
    "load_study_run",
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


def find_runs(directory: str | Path, *, keys: Sequence[str] | None = None) -> list[Path]:
    """The finished runs directly inside ``directory``, trees first (fully grown, then by
    growing leaf size), then the other models in the order of
    :data:`simulate.models.registry.MODELS`.

    Parameters
    ----------
    directory : path
        A study's folder of runs, one per model (and knob).
    keys : sequence of str, optional
        The cell keys (:func:`simulate.analysis.summary.cell_keys`) every run must have, for a
        study that reads its runs' conditions as these: ``("class_sep",)``, ``("flip_y",
        "class_sep")``, ``("dataset",)``. Default: any.

    Raises
    ------
    ValueError
        If ``directory`` does not exist, is not a folder or holds no finished run, or a run
        cannot be read or has other cell keys than ``keys``.
    """
    directory = Path(directory)
    if not directory.exists():
        raise ValueError(f"The folder of model runs {str(directory)!r} does not exist.")
    if not directory.is_dir():
        raise ValueError(f"{str(directory)!r} is a file, not a folder of model runs.")
    runs = [run.parent for run in directory.glob(f"*/{RUN_FILE}")]
    if not runs:
        raise ValueError(f"The folder {str(directory)!r} holds no finished run.")
    order = {}
    for run_path in runs:
        data, config = load_study_run(run_path)
        conditions = cell_keys(data.summary)
        if keys is not None and conditions != list(keys):
            raise ValueError(
                f"The run {str(run_path)!r} is swept over {', '.join(conditions)}; the runs of "
                f"{str(directory)!r} must be swept over {', '.join(keys)} only."
            )
        depth = config.max_depth or 0
        order[run_path] = (
            list(MODELS).index(config.model),
            depth,
            config.min_samples_leaf,
            run_path.name,
        )
    return sorted(runs, key=order.__getitem__)


def load_study_run(directory: str | Path) -> tuple[RunData, SweepConfig]:
    """A finished run (:func:`simulate.load_run`) and its settings, checked for what the
    studies read: the cell keys that say each row's condition.

    Raises
    ------
    ValueError
        If the folder is not a finished run, its settings are not a sweep's, or its summary
        has no cell key (:data:`simulate.analysis.summary.CELL_KEYS`); the message names the
        folder.
    """
    run = load_run(directory)
    where = f"The run directory {str(directory)!r}"
    try:
        config = SweepConfig.from_dict(run.run["config"])
    except ValueError as error:
        raise ValueError(f"{where} cannot be read: its settings are refused: {error}") from None
    if not cell_keys(run.summary):
        raise ValueError(
            f"{where} cannot be read: its summary has none of the columns "
            f"{', '.join(CELL_KEYS)} that say each row's condition."
        )
    return run, config


def prediction_errors(runs: Sequence[str | Path]) -> dict[str, pd.DataFrame]:
    """:func:`simulate.analysis.summary.prediction_error` of each run that holds predictions (a
    probabilistic model's), keyed by :func:`model_label`."""
    errors = {}
    for run_path in runs:
        run, config = load_study_run(run_path)
        if run.fits is None:
            continue
        error = prediction_error(run.fits)
        if not error.empty:
            errors[model_label(config)] = error
    return errors


def run_summaries(runs: Sequence[str | Path]) -> dict[str, pd.DataFrame]:
    """Each run's per-cell summary (:func:`simulate.analysis.summary.per_cell`), keyed by
    :func:`model_label`."""
    summaries = {}
    for run_path in runs:
        run, config = load_study_run(run_path)
        summaries[model_label(config)] = run.summary
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
        run, config = load_study_run(run_path)
        tables[model_label(config)] = per_separation(run.fits, config.beta, seed=config.seed)
    return tables


def contest_tables(runs: Sequence[str | Path]) -> dict[str, pd.DataFrame]:
    """:func:`simulate.analysis.summary.weighting_vs_thresholding` of each run that has its columns
    (a probabilistic model's), keyed by :func:`model_label`."""
    tables = {}
    for run_path in runs:
        run, config = load_study_run(run_path)
        table = weighting_vs_thresholding(run.fits)
        if not table.empty:
            tables[model_label(config)] = table
    return tables


def knob_summaries(runs: Sequence[str | Path]) -> dict[tuple[str, str], pd.DataFrame]:
    """Each run's per-cell summary keyed by (:func:`model_label`, knob), for runs that differ in
    how they favour the positives (:mod:`simulate.data.resample`)."""
    summaries = {}
    for run_path in runs:
        run, config = load_study_run(run_path)
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
        run, config = load_study_run(run_path)
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
    """The RMSE between each rule's F1 and the simulated F1, per run, family and condition.

    Parameters
    ----------
    runs : sequence of path
        Finished run folders (:func:`simulate.load_run`), one model each.
    families : sequence of str, default every family of :data:`theory.fit.FAMILIES`
        Curve families fitted to each condition's mean operating points.

    Returns
    -------
    DataFrame
        :func:`simulate.analysis.summary.theory_gap`'s rows with the run's ``model`` (its
        :func:`run_label`: the model, and the knob of a run that resamples) and ``run`` (the
        folder) in front; a condition is a row's cell keys (``class_sep``; ``flip_y``;
        ``dataset``), empty where another run has a key this run does not.

    Raises
    ------
    ValueError
        If a folder is not a finished run, or two runs have the same model label.
    """
    frames = []
    for run_path in runs:
        run, config = load_study_run(run_path)
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
