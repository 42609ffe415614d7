"""Does the theory predict what retraining at a new weight does to a model one already has?

A practitioner has a model trained without a weight and its scores on a validation split, and
asks what retraining with weight ``alpha`` on the positives would do. The study answers twice,
on real data sets: by prediction, from the validation scores alone (each predictor of
:data:`simulate.analysis.prediction.PREDICTORS`), and by retraining; and it measures the
difference on a test split.

It is a set of sweeps (:func:`simulate.run_sweep`), one per model and prevalence, over the data
sets as a grid dimension: each repetition subsamples the data set's positives to ``beta``
(every negative kept), splits the rows, stratified, into fitting, validation and test rows,
fits the model at every weight, and stores every predictor's prediction (with bootstrap
intervals) beside the real fits. Each sweep has its own run folder, so the study is locked,
resumable and verified as any sweep is. :func:`retraining_errors` then reads, per model,
prevalence, data set, predictor and weight, the mean absolute error, the bias and the coverage
of the intervals (:func:`simulate.analysis.summary.prediction_error`), beside the baseline
:data:`~simulate.analysis.prediction.UNCHANGED` (the ``alpha = 1`` model's own test values: its
error is how far retraining really moves the model).

Every number depends on the number of validation and test positives, which the table reports
per row (``val_positives``, ``test_positives``): at ``alpha = 1`` a prediction's error is the
noise floor those sizes set.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from params.settings import setting, validate_fields
from params.validation import Interval, ParameterError
from simulate.analysis.prediction import NO_CHANGE, PREDICTED_SCORES, UNCHANGED
from simulate.analysis.summary import cell_keys, prediction_error, with_unchanged
from simulate.config import MAX_SAMPLES, SweepConfig
from simulate.models.registry import PROBABILISTIC
from simulate.runs.folder import RunData

__all__ = [
    "REGIME_EDGES",
    "SUMMARY_FILE",
    "SWEEP_DEFAULTS",
    "RetrainingConfig",
    "by_condition",
    "by_regime",
    "compare_predictors",
    "retraining_errors",
    "study_sweeps",
]

#: The study's table of errors, written beside the sweeps' folders.
SUMMARY_FILE = "summary.csv"
#: The sweep settings whose study defaults differ from a sweep's: two shipped data sets, the
#: weights a practitioner tries, 50 splits, half of the rows for fitting and a quarter each for
#: validation and test, and the predictors compared, each with a 95% bootstrap interval.
SWEEP_DEFAULTS: dict[str, Any] = {
    "dataset": ("digits:8", "breast_cancer"),
    "alphas": (1.0, 2.0, 5.0, 20.0, 99.0),
    "reps": 50,
    "test_size": 0.25,
    "val_size": 1.0 / 3.0,
    "predictors": ("threshold", "threshold-k", "bayes", "hull", "hull-slope", NO_CHANGE),
    "bootstrap": 200,
}

#: Where one regime of validation positives ends and the next begins (a condition's mean
#: positives per validation split): a few dozen, about a hundred, several hundred, thousands.
REGIME_EDGES: tuple[float, ...] = (50.0, 200.0, 1000.0)


@dataclass(frozen=True)
class RetrainingConfig:
    """The study's own settings: which sweeps it runs (every other setting is a sweep's).

    Parameters
    ----------
    models : tuple of str, default ("logreg", "hgb")
        The probabilistic models retrained (:data:`simulate.models.registry.PROBABILISTIC`).
    betas : tuple of float, default (0.06, 0.09)
        The prevalences the data sets' positives are subsampled to, each in (0, 1) and below
        every data set's own share of positives.
    sizes : tuple of int, optional
        Rows of each make_classification dataset: one sweep per size (default: the sweep's
        ``n_samples``). Real data sets have their own size.
    leaves : tuple of int, default (20, 100)
        Least samples per leaf of a tree model: one sweep per value (a fully grown tree's
        leaves are pure, so its scores say nothing a threshold could move).

    Raises
    ------
    ParameterError
        A :class:`ValueError` naming the bad setting, its value and what is allowed.
    """

    models: tuple[str, ...] = setting(
        "logreg,hgb", str, "models retrained", many=True, choices=PROBABILISTIC
    )
    betas: tuple[float, ...] = setting(
        "0.06,0.09",
        float,
        "prevalences the data sets' positives are subsampled to, each in (0, 1): a comma list",
        many=True,
        interval=Interval(0.0, 1.0),
    )
    sizes: tuple[int, ...] | None = setting(
        None,
        int,
        "rows of each make_classification dataset, one sweep per size: a comma list",
        many=True,
        interval=Interval(1, MAX_SAMPLES, "both"),
        optional=True,
        none_means="the sweep's --n-samples",
    )
    leaves: tuple[int, ...] = setting(
        "20,100",
        int,
        "least samples per leaf of a tree model, one sweep per value: a comma list",
        many=True,
        interval=Interval(1, MAX_SAMPLES, "both"),
    )

    def __post_init__(self) -> None:
        validate_fields(self)


#: The sweep settings the study sets itself, and from which of its own.
_STUDY_SETTINGS = {
    "model": "models",
    "beta": "betas",
    "n_samples": "sizes",
    "min_samples_leaf": "leaves",
}


def study_sweeps(config: RetrainingConfig, **sweep_settings: Any) -> dict[str, SweepConfig]:
    """The study's sweeps, one per model (and leaf size, for a tree), prevalence and size, by
    label (``"logreg-beta0.06"``, ``"tree-proba-leaf20-beta0.05-n10000"``).

    ``sweep_settings`` are :class:`~simulate.config.SweepConfig` settings on top of
    :data:`SWEEP_DEFAULTS`; the weight 1 is always among the alphas (the model one has).

    Raises
    ------
    ParameterError
        For a bad setting (a :class:`ValueError` naming it); ``model`` and ``beta`` are the
        study's (``models``, ``betas``), and so are ``n_samples`` (``sizes``) and
        ``min_samples_leaf`` (``leaves``).
    ValueError
        For settings a data set cannot meet (a prevalence above its own, too few positives in
        a split), naming the data set.
    """
    for name, owner in _STUDY_SETTINGS.items():
        if name in sweep_settings:
            allowed = f"not given: the study sets it from {owner}"
            raise ParameterError(name, "study_sweeps", allowed, sweep_settings[name])
    settings = {**SWEEP_DEFAULTS, **sweep_settings}
    settings["alphas"] = tuple(sorted({1.0, *settings["alphas"]}))
    sweeps = {}
    for model in config.models:
        leaves = config.leaves if model.startswith("tree") else (None,)
        for leaf, beta, size in itertools.product(leaves, config.betas, config.sizes or (None,)):
            label = model + (f"-leaf{leaf}" if leaf else "") + f"-beta{beta:g}"
            chosen = {"model": model, "beta": beta, **settings}
            if leaf is not None:
                chosen["min_samples_leaf"] = leaf
            if size is not None:
                chosen["n_samples"] = size
                label += f"-n{size}"
            sweeps[label] = SweepConfig(**chosen)
    return sweeps


def retraining_errors(runs: Mapping[str, RunData]) -> pd.DataFrame:
    """How far each prediction falls from retraining, per sweep, condition, predictor and weight.

    Parameters
    ----------
    runs : mapping of str to RunData
        The study's sweeps by label (:func:`simulate.studies.sweeps.run_sweeps`), or any
        probabilistic model's sweeps.

    Returns
    -------
    DataFrame
        One row per (sweep, condition, predictor, alpha): ``sweep`` (the label), ``model`` (a
        tree's with its leaf size, ``"tree-proba-leaf20"``), ``beta``, ``data`` (the condition
        in words: ``"digits:8 at 0.06"``, ``"class_sep 1 at 0.01, 10000 rows"``), the sweep's
        cell keys (``dataset``, or ``class_sep``; ``flip_y`` with label noise),
        ``val_positives`` and ``test_positives`` (the mean positives in a validation and a test
        split), ``movement`` (the median over the condition's splits of the movement exponent
        ``k`` each split's retrain measures, the sweep's column of that name; NaN without it),
        then :func:`simulate.analysis.summary.prediction_error`'s columns
        (``predictor`` with the baseline :data:`~simulate.analysis.prediction.UNCHANGED` last,
        ``alpha``, ``predicted``, ``failed``, and per score ``<score>_mae``, ``<score>_bias``,
        ``<score>_predicted``, ``<score>_real`` and, with intervals, ``<score>_coverage``).
    """
    frames = []
    for label, run in runs.items():
        config = SweepConfig.from_dict(run.run["config"])
        keys = cell_keys(run.fits)
        errors = prediction_error(with_unchanged(run.fits), by=keys)
        conditions = pd.MultiIndex.from_frame(errors[keys])
        positives = _split_positives(run, keys).reindex(conditions)
        leaf = config.min_samples_leaf if config.model.startswith("tree") else None
        front = {
            "sweep": label,
            "model": config.model + (f"-leaf{leaf}" if leaf else ""),
            "beta": config.beta,
            "data": [_condition(config, dict(zip(keys, c, strict=True))) for c in conditions],
        }
        tail = {
            "val_positives": positives["validation"].to_numpy(),
            "test_positives": positives["test"].to_numpy(),
            "movement": _median_movement(run.fits, keys).reindex(conditions).to_numpy(),
        }
        frames.append(
            pd.concat(
                [
                    pd.DataFrame(front),
                    errors[keys],
                    pd.DataFrame(tail),
                    errors.drop(columns=keys),
                ],
                axis=1,
            )
        )
    return pd.concat(frames, ignore_index=True)


def _condition(config: SweepConfig, keys: dict[str, Any]) -> str:
    """A sweep's condition in words: its data, prevalence, size and label noise."""
    if "dataset" in keys:
        text = f"{keys['dataset']} at {config.beta:g}"
    else:
        text = f"class_sep {keys['class_sep']:g} at {config.beta:g}, {config.n_samples} rows"
    if "flip_y" in keys:
        text += f", flip_y {keys['flip_y']:g}"
    return text


def _split_positives(run: RunData, keys: list[str]) -> pd.DataFrame:
    """Per condition (the cell keys): the mean positives in a validation and a test split."""
    at_one = run.fits[run.fits["alpha"] == run.fits["alpha"].min()]
    test = (at_one["tp"] + at_one["fn"]).groupby([at_one[k] for k in keys]).mean()
    labels = run.validation
    per_split = labels.groupby([*keys, "rep"])["label"].sum()
    validation = per_split.groupby(level=list(range(len(keys)))).mean()
    table = pd.DataFrame({"validation": validation, "test": test})
    table.index = pd.MultiIndex.from_frame(table.index.to_frame(index=False))
    return table


def _median_movement(fits: pd.DataFrame, keys: list[str]) -> pd.Series:
    """Per condition (the cell keys): the median of its splits' measured ``k`` (NaN if the fits
    do not hold it)."""
    at_one = fits[fits["alpha"] == fits["alpha"].min()]
    if "movement" not in fits.columns:
        at_one = at_one.assign(movement=float("nan"))
    median = at_one.groupby(keys)["movement"].median()
    median.index = pd.MultiIndex.from_frame(median.index.to_frame(index=False))
    return median


def by_condition(errors: pd.DataFrame, *, score: str = "f1") -> pd.DataFrame:
    """Per model and condition: the validation positives, the median ``k`` and each
    predictor's mean absolute error of ``score`` over the weights other than 1.

    Parameters
    ----------
    errors : DataFrame
        :func:`retraining_errors`'s table.
    score : {"recall", "specificity", "f1"}, default "f1"

    Returns
    -------
    DataFrame
        ``model``, ``data``, ``val_positives``, ``movement``, then one column per predictor
        (in the order of ``errors``), in the order of ``errors``' conditions.
    """
    _check_score(score, "by_condition")
    moved = errors[errors["alpha"] != 1.0]
    table = moved.drop_duplicates(["model", "data"])[
        ["model", "data", "val_positives", "movement"]
    ].reset_index(drop=True)
    conditions = pd.MultiIndex.from_frame(table[["model", "data"]])
    for name, rows in moved.groupby("predictor", sort=False):
        means = rows.groupby(["model", "data"], sort=False)[f"{score}_mae"].mean()
        table[name] = means.reindex(conditions).to_numpy()
    return table


def by_regime(
    errors: pd.DataFrame,
    *,
    score: str = "f1",
    predictors: tuple[str, ...] | None = None,
    edges: tuple[float, ...] = REGIME_EDGES,
) -> pd.DataFrame:
    """Per model, regime of validation positives and predictor: the range of ``k`` and the
    predictor's error, bias and coverage of ``score``, beside predicting no change.

    A condition falls in the regime whose interval between ``edges`` holds its mean validation
    positives; a regime pools its conditions' rows at the weights other than 1, each row (a
    condition and a weight, over its splits) counting once.

    Parameters
    ----------
    errors : DataFrame
        :func:`retraining_errors`'s table.
    score : {"recall", "specificity", "f1"}, default "f1"
    predictors : tuple of str, optional
        The predictors reported, each among ``errors``' predictors; default every one but the
        baselines :data:`~simulate.analysis.prediction.NO_CHANGE` and
        :data:`~simulate.analysis.prediction.UNCHANGED`.
    edges : tuple of float, default :data:`REGIME_EDGES`
        Increasing boundaries between regimes.

    Returns
    -------
    DataFrame
        One row per (model, regime, predictor), models in the order of ``errors``: ``model``,
        ``regime`` (its index, from 0), ``conditions``, ``val_positives_min`` and
        ``val_positives_max`` (of the conditions' mean positives per validation split),
        ``movement_min`` and ``movement_max`` (of the conditions' median ``k``), ``predictor``,
        ``mae``, ``bias``, ``coverage`` (NaN without intervals) and ``no_change_mae`` (the
        error of predicting no change; NaN if ``errors`` does not hold it).

    Raises
    ------
    ValueError
        For a score or predictor ``errors`` does not hold, or edges that do not increase.
    """
    _check_score(score, "by_regime")
    stored = list(errors["predictor"].unique())
    if predictors is None:
        predictors = tuple(name for name in stored if name not in (NO_CHANGE, UNCHANGED))
    for name in predictors:
        if name not in stored:
            raise ParameterError("predictors", "by_regime", f"among {stored}", name)
    if any(b <= a for a, b in itertools.pairwise(edges)):
        raise ParameterError("edges", "by_regime", "an increasing sequence", edges)
    moved = errors[errors["alpha"] != 1.0]
    moved = moved.assign(regime=np.searchsorted(np.asarray(edges), moved["val_positives"]))
    rows = []
    for model, of_model in moved.groupby("model", sort=False):
        for regime, cell in of_model.groupby("regime", sort=True):
            conditions = cell.drop_duplicates("data")
            front = {
                "model": model,
                "regime": int(regime),
                "conditions": len(conditions),
                "val_positives_min": conditions["val_positives"].min(),
                "val_positives_max": conditions["val_positives"].max(),
                "movement_min": conditions["movement"].min(),
                "movement_max": conditions["movement"].max(),
            }
            baseline = cell.loc[cell["predictor"] == NO_CHANGE, f"{score}_mae"].mean()
            for name in predictors:
                own = cell[cell["predictor"] == name]
                coverage = own.get(f"{score}_coverage", pd.Series(np.nan, index=own.index))
                rows.append(
                    {
                        **front,
                        "predictor": name,
                        "mae": own[f"{score}_mae"].mean(),
                        "bias": own[f"{score}_bias"].mean(),
                        "coverage": coverage.mean(),
                        "no_change_mae": baseline,
                    }
                )
    return pd.DataFrame(rows)


def _check_score(score: str, owner: str) -> None:
    """Refuse a score the study does not predict."""
    if score not in PREDICTED_SCORES:
        raise ParameterError("score", owner, f"one of {list(PREDICTED_SCORES)}", score)


def compare_predictors(errors: pd.DataFrame) -> pd.DataFrame:
    """Per model and predictor, each score's mean absolute error, bias and coverage averaged
    over the data sets, prevalences and weights other than 1 (the weights a prediction is for).

    Parameters
    ----------
    errors : DataFrame
        :func:`retraining_errors`'s table.

    Returns
    -------
    DataFrame
        ``model``, ``predictor`` and per score ``<score>_mae``, ``<score>_bias`` (and
        ``<score>_coverage`` where the table has it); in the order of ``errors``.
    """
    moved = errors[errors["alpha"] != 1.0]
    parts = ["mae", "bias", "coverage"]
    columns = [
        f"{score}_{part}"
        for score in PREDICTED_SCORES
        for part in parts
        if f"{score}_{part}" in moved.columns
    ]
    return moved.groupby(["model", "predictor"], sort=False)[columns].mean().reset_index()
