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

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from params.settings import setting, validate_fields
from params.validation import Interval, ParameterError
from simulate.analysis.prediction import NO_CHANGE, PREDICTED_SCORES
from simulate.analysis.summary import prediction_error, with_unchanged
from simulate.config import SweepConfig
from simulate.models.registry import PROBABILISTIC
from simulate.runs.folder import RUN_FILE, RunData, load_run
from simulate.sweep import run_sweep

__all__ = [
    "SUMMARY_FILE",
    "SWEEP_DEFAULTS",
    "RetrainingConfig",
    "compare_predictors",
    "retraining_errors",
    "run_retraining",
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
    "predictors": ("threshold", "bayes", "hull", "hull-slope", NO_CHANGE),
    "bootstrap": 200,
}


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

    def __post_init__(self) -> None:
        validate_fields(self)


def study_sweeps(config: RetrainingConfig, **sweep_settings: Any) -> dict[str, SweepConfig]:
    """The study's sweeps, one per model and prevalence, by label (``"logreg-beta0.06"``).

    ``sweep_settings`` are :class:`~simulate.config.SweepConfig` settings on top of
    :data:`SWEEP_DEFAULTS`; the weight 1 is always among the alphas (the model one has).

    Raises
    ------
    ParameterError
        For a bad setting (a :class:`ValueError` naming it); ``model`` and ``beta`` are the
        study's (``models``, ``betas``), not settings of its sweeps.
    ValueError
        For settings a data set cannot meet (a prevalence above its own, too few positives in
        a split), naming the data set.
    """
    for name in ("model", "beta"):
        if name in sweep_settings:
            allowed = f"not given: the study sets it from {name}s"
            raise ParameterError(name, "study_sweeps", allowed, sweep_settings[name])
    settings = {**SWEEP_DEFAULTS, **sweep_settings}
    settings["alphas"] = tuple(sorted({1.0, *settings["alphas"]}))
    return {
        f"{model}-beta{beta:g}": SweepConfig(model=model, beta=beta, **settings)
        for model in config.models
        for beta in config.betas
    }


def run_retraining(
    sweeps: Mapping[str, SweepConfig],
    out: str | Path,
    *,
    n_jobs: int | None = None,
    progress: bool = True,
    resume: bool = False,
    force: bool = False,
) -> dict[str, RunData]:
    """Run each sweep into ``out/<label>`` (:func:`simulate.run_sweep`) and return its data.

    With ``resume``, a sweep whose folder holds a finished run with the same settings is read
    back (:func:`simulate.load_run`) and an unfinished one continues; ``force`` starts every
    sweep again.

    Raises
    ------
    ValueError
        As :func:`simulate.run_sweep` does, and with ``resume`` for a finished sweep whose
        settings differ from its label's.
    OSError
        If writing fails; the finished sweeps and chunks are kept for ``resume``.
    """
    runs = {}
    for label, config in sweeps.items():
        folder = Path(out) / label
        if resume and (folder / RUN_FILE).is_file():
            runs[label] = _finished(folder, config)
            continue
        started = resume and folder.is_dir() and any(folder.iterdir())
        runs[label] = run_sweep(
            config,
            n_jobs=n_jobs,
            out=folder,
            progress=progress,
            resume=started,
            force=force,
        )
    return runs


def _finished(folder: Path, config: SweepConfig) -> RunData:
    """The finished run in ``folder``, refused if it was run with other settings."""
    run = load_run(folder)
    if SweepConfig.from_dict(run.run["config"]) != config:
        raise ValueError(
            f"The finished run in {str(folder)!r} has other settings than the study's; "
            "run with --force to start it again, or choose another --out."
        )
    return run


def retraining_errors(runs: Mapping[str, RunData]) -> pd.DataFrame:
    """How far each prediction falls from retraining, per sweep, data set, predictor and weight.

    Parameters
    ----------
    runs : mapping of str to RunData
        The study's sweeps (:func:`run_retraining`), or any probabilistic model's sweeps over
        real data sets.

    Returns
    -------
    DataFrame
        One row per (model, beta, dataset, predictor, alpha): ``model``, ``beta``, ``dataset``,
        ``val_positives`` and ``test_positives`` (the positives in each validation and test
        split), then :func:`simulate.analysis.summary.prediction_error`'s columns (``predictor``
        with the baseline :data:`~simulate.analysis.prediction.UNCHANGED` last, ``alpha``,
        ``predicted``, ``failed``, and per score ``<score>_mae``, ``<score>_bias``,
        ``<score>_predicted``, ``<score>_real`` and, with intervals, ``<score>_coverage``).
    """
    frames = []
    for run in runs.values():
        config = SweepConfig.from_dict(run.run["config"])
        errors = prediction_error(with_unchanged(run.fits), by=["dataset"])
        positives = _split_positives(run)
        errors.insert(0, "model", config.model)
        errors.insert(1, "beta", config.beta)
        errors.insert(3, "val_positives", errors["dataset"].map(positives["validation"]))
        errors.insert(4, "test_positives", errors["dataset"].map(positives["test"]))
        frames.append(errors)
    return pd.concat(frames, ignore_index=True)


def _split_positives(run: RunData) -> dict[str, dict[str, int]]:
    """Per split (validation, test) and data set: the positives the split holds (the same in
    every repetition, the splits being stratified), read off the first repetition."""
    first = run.fits["rep"] == run.fits["rep"].min()
    test = run.fits[first & (run.fits["alpha"] == run.fits["alpha"].min())]
    validation = run.validation[run.validation["rep"] == run.validation["rep"].min()]
    return {
        "validation": validation.groupby("dataset", sort=False)["label"]
        .sum()
        .astype(int)
        .to_dict(),
        "test": (test["tp"] + test["fn"]).groupby(test["dataset"], sort=False).sum().to_dict(),
    }


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
