"""``python -m simulate.retraining``: does :func:`theory.what_if_scores` predict retraining?

A practitioner has a model trained without a weight and its scores on a validation split, and
asks what retraining with weight ``alpha`` on the positives would do. This study answers the
question twice on data sets shipped with scikit-learn: once by prediction, from the validation
scores alone, and once by really retraining, and it measures the difference on a test split.

For each data set and each resampled split:

1. the positives are subsampled to the data set's positive fraction (all negatives are kept),
   and the rows are split, stratified, into train, validation (:attr:`RetrainingConfig.
   validation_size`) and test (:attr:`RetrainingConfig.test_size`) sets;
2. each model is trained at ``alpha = 1`` and scores the validation rows
   (``predict_proba[:, 1]``);
3. :func:`theory.what_if_scores` predicts, from those scores at threshold 0.5 and at the test
   split's prevalence, the recall, specificity and F1 of the model retrained at every weight,
   once per *variant*: the curve (the exact hull or a smoother of
   :data:`theory.empirical.SMOOTHERS`) crossed with where the observed point's stationarity
   quantity comes from (the threshold's odds, ``probabilities=True``; or the curve's slope,
   ``probabilities=False``). The variants of :data:`BOOTSTRAPPED` also get 95% bootstrap
   intervals;
4. the model is retrained at every weight on the same training rows (weight ``alpha`` on the
   positives, 1 on the negatives) and scored at threshold 0.5 on the test rows: the real values.

Two baselines predict that nothing changes: :data:`UNCHANGED` from the ``alpha = 1`` model's
test values (its error is exactly how far retraining moves the model on the test split), and
:data:`OBSERVED` from its validation values, what a practitioner who predicts no change knows
(its error adds the validation split's noise, as every prediction's does). ``alpha = 1`` is
always in the table: there a prediction's error is the floor set by the finite validation and
test splits.

Every random draw of a (data set, split) comes from ``SeedSequence(seed, spawn_key=(data set
index, split))``, so the same seed gives the same numbers for any number of workers.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.base import BaseEstimator
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

import theory
from params.settings import setting, validate_fields
from params.tables import format_table
from params.validation import Interval, ParameterError
from simulate.config import MAX_SEED
from simulate.data.sources import Rows, shipped_rows, subsample_positives
from simulate.runs.backends import ParallelConfig, Workers
from theory.empirical import DEFAULT_SMOOTH, SMOOTHERS

__all__ = [
    "BOOTSTRAPPED",
    "DEFAULT_VARIANT",
    "FIGURE_FILE",
    "LOGISTIC_MAX_ITER",
    "MIN_SPLIT_POSITIVES",
    "MODELS",
    "OBSERVED",
    "SCORES",
    "SPLITS_FILE",
    "SUMMARY_FILE",
    "THRESHOLD",
    "UNCHANGED",
    "VARIANTS",
    "DatasetSpec",
    "RetrainingConfig",
    "SplitRows",
    "compare_variants",
    "format_comparison",
    "format_summary",
    "load_dataset",
    "measured_scores",
    "parse_dataset",
    "split_rows",
    "summarise_retraining",
    "validate_retraining",
]

#: The threshold the models use, on their predicted probability of the positive class.
THRESHOLD = 0.5
#: Scores predicted and measured.
SCORES: tuple[str, ...] = ("recall", "specificity", "f1")
#: Iterations allowed to the logistic regression's solver: enough to converge at every weight.
LOGISTIC_MAX_ITER = 10_000


def _logistic(alpha: float) -> BaseEstimator:
    return make_pipeline(
        StandardScaler(),
        LogisticRegression(class_weight={0: 1.0, 1: alpha}, max_iter=LOGISTIC_MAX_ITER),
    )


def _boosting(alpha: float) -> BaseEstimator:
    return HistGradientBoostingClassifier(class_weight={0: 1.0, 1: alpha})


#: Model name -> the unfitted model with weight ``alpha`` on the positives and 1 on the
#: negatives (``class_weight``, the same as ``sample_weight`` alpha on the positives):
#: ``"logistic"`` is ``LogisticRegression`` after a ``StandardScaler``, ``"boosting"``
#: ``HistGradientBoostingClassifier``, both with scikit-learn's defaults otherwise.
MODELS: dict[str, Callable[[float], BaseEstimator]] = {
    "logistic": _logistic,
    "boosting": _boosting,
}

#: Where the observed point's stationarity quantity comes from: the threshold's odds
#: (``probabilities=True``) or the curve's slope there (``probabilities=False``).
_SOURCES = {"odds": True, "slope": False}


def _variant(smooth: str | None, source: str) -> str:
    return f"{smooth or 'hull'}/{source}"


#: The predictions compared: ``"<curve>/<source>"``, the curve ``hull`` (the exact ROC hull) or a
#: smoother's name, the source ``odds`` or ``slope``.
VARIANTS: tuple[str, ...] = tuple(
    _variant(smooth, source) for source in _SOURCES for smooth in (None, *SMOOTHERS)
)
#: The prediction :func:`theory.what_if_scores` makes by default on probability scores.
DEFAULT_VARIANT = _variant(DEFAULT_SMOOTH, "odds")
#: The variants that get bootstrap intervals (the others would cost too much time).
BOOTSTRAPPED: tuple[str, ...] = tuple(dict.fromkeys((DEFAULT_VARIANT, _variant(None, "odds"))))
#: The baseline that predicts no change from the ``alpha = 1`` model's test values.
UNCHANGED = "unchanged"
#: The baseline that predicts no change from the ``alpha = 1`` model's validation values
#: (recall and specificity at the threshold, F1 at the test split's prevalence).
OBSERVED = "observed"

#: Files the command writes into its output folder.
SPLITS_FILE = "splits.parquet"
SUMMARY_FILE = "summary.csv"
RUN_FILE = "run.json"
FIGURE_FILE = "predicted_vs_real.png"

_AT_LEAST_ONE = Interval(1, np.inf, "left")
_UNIT_OPEN = Interval(0.0, 1.0)
#: Fewest positives each validation and test split must expect.
MIN_SPLIT_POSITIVES = 5.0


class DatasetSpec(NamedTuple):
    """A data set of the study, as ``--datasets`` names it."""

    name: str
    """``"digits"`` or ``"breast_cancer"``."""
    digit: int | None
    """For digits: the positive digit (one against the rest)."""
    positive_fraction: float | None
    """The positives are subsampled to this fraction of the rows; None keeps them all."""


_DATASET_FORM = (
    "a non-empty list of 'digits:D' (D in 0-9) or 'breast_cancer', each optionally followed "
    "by '@F' (subsample the positives to a fraction F below the natural one)"
)


def parse_dataset(text: str) -> DatasetSpec:
    """The data set a ``--datasets`` item names: ``digits:8``, ``digits:8@0.05``,
    ``breast_cancer@0.1``.

    Raises
    ------
    ParameterError
        If ``text`` is not of that form, or asks for a positive fraction not below the data
        set's own.
    """
    name, _, fraction_text = text.partition("@")
    name, _, digit_text = name.partition(":")
    digit = None
    if name == "digits" and digit_text.isdigit() and int(digit_text) <= 9:
        digit = int(digit_text)
    elif name != "breast_cancer" or digit_text:
        raise ParameterError("datasets", "RetrainingConfig", _DATASET_FORM, text)
    fraction = None
    if fraction_text:
        try:
            fraction = float(fraction_text)
        except ValueError:
            raise ParameterError("datasets", "RetrainingConfig", _DATASET_FORM, text) from None
        natural = float(np.mean(shipped_rows(name, digit)[1]))
        if not 0.0 < fraction < natural:
            raise ParameterError(
                "datasets",
                "RetrainingConfig",
                f"a positive fraction in the range (0, {natural:.4g}) for {name}",
                text,
            )
    return DatasetSpec(name, digit, fraction)


def load_dataset(
    spec: DatasetSpec, seed: np.random.SeedSequence | int
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """The rows of a data set, with its positives subsampled as ``spec`` says.

    Parameters
    ----------
    spec : DatasetSpec
        The data set (:func:`parse_dataset`).
    seed : SeedSequence or int
        Seeds the subsample (without replacement) of the positives; every negative is kept.

    Returns
    -------
    X : ndarray of float, shape (n_rows, n_features)
    y : ndarray of int, shape (n_rows,)
        1 for the positives (the digit, or a malignant tumour), 0 otherwise.
    """
    X, y = shipped_rows(spec.name, spec.digit)
    if spec.positive_fraction is None:
        return X, y
    return subsample_positives(Rows(X, y), spec.positive_fraction, np.random.default_rng(seed))


@dataclass(frozen=True)
class RetrainingConfig:
    """Everything that determines the study's numbers (the number of workers does not).

    Parameters
    ----------
    datasets : tuple of str, default ("digits:8", "digits:8@0.05", "breast_cancer@0.1")
        Data sets (:func:`parse_dataset`): digit 8 against the rest at its natural 10% of
        positives and subsampled to 5%, and the breast-cancer data with its malignant
        tumours subsampled to 10%. Digit 8 is the hardest digit to tell from the rest, so
        weights move its models the most; digit 0 is all but separable, and every weight
        would leave its recall at 1.
    models : tuple of str, default ("logistic", "boosting")
        Models of :data:`MODELS`.
    splits : int, default 50
        Resampled splits per data set (each with its own subsample of the positives).
    alphas : tuple of float, default (2, 5, 20, 99)
        Weights of the positives to predict and retrain at; ``1`` is always added.
    bootstrap : int, default 200
        Bootstrap resamples of the validation rows behind the intervals of the
        :data:`BOOTSTRAPPED` variants; 0 for none.
    validation_size, test_size : float, default 0.3, 0.3
        Fractions of the rows in the validation and test splits (the rest trains).
    seed : int, default 0
        Fixes every random draw, in [0, 2**32 - 1].

    Raises
    ------
    ParameterError
        A :class:`ValueError` naming the first bad setting, its value and what is allowed.
    ValueError
        When a data set's validation or test split would expect fewer than
        :data:`MIN_SPLIT_POSITIVES` positives.
    """

    datasets: tuple[str, ...] = setting(
        "digits:8,digits:8@0.05,breast_cancer@0.1",
        str,
        "data sets: digits:D (digit D against the rest) or breast_cancer, each optionally "
        "@F (positives subsampled to fraction F)",
        many=True,
        metavar="DATASETS",
    )
    models: tuple[str, ...] = setting(
        "logistic,boosting", str, "models", many=True, choices=tuple(MODELS)
    )
    splits: int = setting(50, int, "resampled splits per data set", interval=_AT_LEAST_ONE)
    alphas: tuple[float, ...] = setting(
        "2,5,20,99",
        float,
        "weights of the positives to predict and retrain at (1 is always added): "
        "LO:HI[:N] (N log-spaced) or a comma list",
        interval=Interval(0.0, np.inf),
        spacing="log",
    )
    bootstrap: int = setting(
        200,
        int,
        f"bootstrap resamples of the validation rows for the intervals of "
        f"{', '.join(BOOTSTRAPPED)}; 0: none",
        interval=Interval(0, np.inf, "left"),
    )
    validation_size: float = setting(
        0.3, float, "fraction of the rows in the validation split", interval=_UNIT_OPEN
    )
    test_size: float = setting(
        0.3, float, "fraction of the rows in the test split", interval=_UNIT_OPEN
    )
    seed: int = setting(
        0,
        int,
        "fixes every random draw; the same seed gives the same numbers for any --n-jobs",
        interval=Interval(0, MAX_SEED, "both"),
    )

    def __post_init__(self) -> None:
        validate_fields(self)
        owner = type(self).__name__
        if self.validation_size + self.test_size >= 1.0:
            allowed = f"a float in the range (0, {1.0 - self.validation_size:g}) (training rows)"
            raise ParameterError("test_size", owner, allowed, self.test_size)
        object.__setattr__(self, "alphas", tuple(sorted({1.0, *self.alphas})))
        for spec in self.specs:
            positives = float(np.sum(load_dataset(spec, 0)[1]))
            expected = min(self.validation_size, self.test_size) * positives
            if expected < MIN_SPLIT_POSITIVES:
                raise ValueError(
                    f"The settings of {owner} leave {expected:.3g} expected positives in a "
                    f"validation or test split of {spec.name}; at least "
                    f"{MIN_SPLIT_POSITIVES:g} are needed: raise validation_size or test_size."
                )

    @property
    def specs(self) -> tuple[DatasetSpec, ...]:
        """The data sets, parsed."""
        return tuple(parse_dataset(text) for text in self.datasets)

    def to_dict(self) -> dict[str, Any]:
        """The settings as JSON-ready values (tuples become lists)."""
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in dataclasses.asdict(self).items()
        }


class SplitRows(NamedTuple):
    """One split of a data set: its train, validation and test rows."""

    X_train: NDArray[np.float64]
    X_validation: NDArray[np.float64]
    X_test: NDArray[np.float64]
    y_train: NDArray[np.int64]
    y_validation: NDArray[np.int64]
    y_test: NDArray[np.int64]
    bootstrap_seed: int
    """Seeds the bootstrap of the predictions on this split's validation rows."""


def split_rows(config: RetrainingConfig, dataset_index: int, split: int) -> SplitRows:
    """The rows of split ``split`` of the ``dataset_index``-th data set, stratified.

    Its draws (the subsample of the positives, the two stratified splits, the bootstrap) are
    seeded by ``SeedSequence(config.seed, spawn_key=(dataset_index, split))`` alone.
    """
    sequence = np.random.SeedSequence(config.seed, spawn_key=(dataset_index, split))
    subsample, test, validation, bootstrap = (int(s) for s in sequence.generate_state(4))
    X, y = load_dataset(config.specs[dataset_index], subsample)
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=config.test_size, stratify=y, random_state=test
    )
    X_train, X_validation, y_train, y_validation = train_test_split(
        X_rest,
        y_rest,
        test_size=config.validation_size / (1.0 - config.test_size),
        stratify=y_rest,
        random_state=validation,
    )
    return SplitRows(X_train, X_validation, X_test, y_train, y_validation, y_test, bootstrap)


def measured_scores(y_true: NDArray[np.int64], positive: NDArray[np.bool_]) -> dict[str, float]:
    """Recall, specificity and F1 (:data:`SCORES`) of the predictions ``positive``."""
    truth = np.asarray(y_true) == 1
    counts = (positive & truth, positive & ~truth, ~positive & truth, ~positive & ~truth)
    scores = theory.confusion_scores(*(np.sum(c) for c in counts))
    return {name: float(scores[name]) for name in SCORES}


def _run_split(config: RetrainingConfig, task: tuple[int, int]) -> pd.DataFrame:
    """Every row of one (data set, split): each model, variant and weight.

    It runs on one thread: the boosted trees' OpenMP threads slow down many times over when
    another process holds a core, and the workers are the parallelism.
    """
    with threadpool_limits(limits=1):
        return _split_table(config, *task)


def _split_table(config: RetrainingConfig, dataset_index: int, split: int) -> pd.DataFrame:
    rows = split_rows(config, dataset_index, split)
    frames = []
    for model in config.models:
        real = {}
        for alpha in config.alphas:
            fitted = MODELS[model](alpha).fit(rows.X_train, rows.y_train)
            if alpha == 1.0:
                validation_scores = fitted.predict_proba(rows.X_validation)[:, 1]
            positive = fitted.predict_proba(rows.X_test)[:, 1] >= THRESHOLD
            real[alpha] = measured_scores(rows.y_test, positive)
        real_frame = pd.DataFrame([real[alpha] for alpha in config.alphas])
        predicted = _predictions(config, rows, validation_scores)
        predicted[UNCHANGED] = pd.DataFrame([real[1.0]] * len(config.alphas))
        for variant, table in predicted.items():
            frame = pd.DataFrame({"model": model, "variant": variant, "alpha": config.alphas})
            for name in SCORES:
                frame[f"{name}_predicted"] = _column(table, name)
                frame[f"{name}_real"] = real_frame[name]
                frame[f"{name}_low"] = _column(table, f"{name}_low")
                frame[f"{name}_high"] = _column(table, f"{name}_high")
            frame["threshold"] = _column(table, "threshold")
            frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    table.insert(0, "dataset", config.datasets[dataset_index])
    table.insert(1, "split", split)
    return table


def _column(table: pd.DataFrame, name: str) -> NDArray[np.float64]:
    """A column of a predicted table, or NaN where the prediction has none."""
    if name in table:
        return table[name].to_numpy(dtype=np.float64)
    return np.full(len(table), np.nan)


def _predictions(
    config: RetrainingConfig, rows: SplitRows, scores: NDArray[np.float64]
) -> dict[str, pd.DataFrame]:
    """Every variant's predicted table, one row per weight, and :data:`OBSERVED`'s.

    A slope variant is NaN where :func:`theory.what_if_scores` finds no slope to read at the
    observed point (it sits at an end of the curve, e.g. at validation recall 1).
    """
    tables = {}
    for variant in VARIANTS:
        curve, source = variant.split("/")
        try:
            predicted = theory.what_if_scores(
                rows.y_validation,
                scores,
                alpha=config.alphas,
                beta=float(np.mean(rows.y_test)),
                threshold=THRESHOLD,
                smooth=None if curve == "hull" else curve,
                probabilities=_SOURCES[source],
                metrics=(),
                bootstrap=config.bootstrap if variant in BOOTSTRAPPED else 0,
                seed=rows.bootstrap_seed,
            )
        except ParameterError as error:
            if source != "slope" or error.name != "threshold":
                raise
            tables[variant] = pd.DataFrame(index=range(len(config.alphas)))
            continue
        tables[variant] = predicted.table
        observed = predicted.observed  # the same in every prediction
    tables[OBSERVED] = pd.DataFrame([observed[list(SCORES)]] * len(config.alphas))
    return tables


def validate_retraining(
    config: RetrainingConfig | None = None,
    *,
    n_jobs: int | None = None,
    progress: bool = False,
    **settings: Any,
) -> pd.DataFrame:
    """Predict what retraining at each weight does, retrain, and compare, split by split.

    Parameters
    ----------
    config : RetrainingConfig, optional
        The study's settings; any :class:`RetrainingConfig` field may be given as a keyword
        instead, or on top: ``validate_retraining(splits=5, models=["logistic"])``.
    n_jobs : int, optional
        Worker processes (joblib); None or -1 uses every core. The numbers do not depend on it.
    progress : bool, default False
        Show a progress bar on stderr, one step per (data set, split).

    Returns
    -------
    DataFrame
        One row per (data set, split, model, variant, weight), in that order: ``dataset``,
        ``split``, ``model``, ``variant`` (:data:`VARIANTS`, :data:`OBSERVED` and
        :data:`UNCHANGED`), ``alpha``;
        for each score of :data:`SCORES`, ``<score>_predicted``, ``<score>_real`` (on the test
        split, after retraining), ``<score>_low`` and ``<score>_high`` (the bootstrap's 95%
        interval, NaN unless the variant is in :data:`BOOTSTRAPPED`); ``threshold``, the
        threshold on the ``alpha = 1`` model's scores predicted to do what the weight does.
        A slope variant's predictions are NaN on a split whose observed validation recall is 0
        or 1.

    Raises
    ------
    ValueError
        For bad settings (a :class:`~params.validation.ParameterError` naming the setting).
    """
    config = dataclasses.replace(config or RetrainingConfig(), **settings)
    parallel = ParallelConfig(n_jobs=-1 if n_jobs is None else n_jobs)
    tasks = [(d, split) for d in range(len(config.datasets)) for split in range(config.splits)]
    results = {}
    with (
        tqdm(
            total=len(tasks), unit="split", disable=not progress, file=sys.stderr, desc="retraining"
        ) as bar,
        Workers(parallel) as workers,
    ):
        for task, frame in workers.imap_unordered(functools.partial(_run_split, config), tasks):
            results[task] = frame
            bar.update()
    return pd.concat([results[task] for task in tasks], ignore_index=True)


def summarise_retraining(table: pd.DataFrame) -> pd.DataFrame:
    """Per (model, data set, variant, weight): how far the predictions fall from the real values.

    Parameters
    ----------
    table : DataFrame
        :func:`validate_retraining`'s table (or ``splits.parquet`` read back).

    Returns
    -------
    DataFrame
        One row per group, models, data sets and variants in the order they first appear,
        weights increasing: ``n`` (splits with a prediction) and, for each score of
        :data:`SCORES`, ``<score>_predicted`` and ``<score>_real`` (means over the splits),
        ``<score>_mae`` (mean absolute error), ``<score>_bias`` (mean of predicted - real) and
        ``<score>_coverage`` (fraction of the splits whose real value lies in the bootstrap
        interval; NaN without intervals).
    """
    keys = ["model", "dataset", "variant", "alpha"]
    frame = table.copy()
    for key in keys[:3]:
        frame[key] = pd.Categorical(frame[key], categories=pd.unique(frame[key]))
    columns = {"n": frame["recall_predicted"].notna()}
    for name in SCORES:
        predicted, real = frame[f"{name}_predicted"], frame[f"{name}_real"]
        error = predicted - real
        inside = (frame[f"{name}_low"] <= real) & (real <= frame[f"{name}_high"])
        columns[f"{name}_predicted"] = predicted
        columns[f"{name}_real"] = real.where(predicted.notna())
        columns[f"{name}_mae"] = error.abs()
        columns[f"{name}_bias"] = error
        columns[f"{name}_coverage"] = inside.astype(np.float64).where(frame[f"{name}_low"].notna())
    grouped = pd.DataFrame(columns).assign(**{key: frame[key] for key in keys})
    summary = grouped.groupby(keys, observed=True, sort=True)
    result = summary.mean()
    result["n"] = summary["n"].sum().astype(np.int64)
    result = result.reset_index()
    for key in keys[:3]:
        result[key] = result[key].astype(str)
    return result[[*keys, *columns]]


def format_summary(summary: pd.DataFrame, variant: str = DEFAULT_VARIANT) -> str:
    """Plain-text table of one variant's rows of :func:`summarise_retraining`: per model, data
    set and weight, the mean absolute error, bias and coverage of each score."""
    header = ["model", "dataset", "alpha", "n"]
    header += [f"MAE {name}" for name in SCORES] + [f"bias {name}" for name in SCORES]
    header += [f"cover {name}" for name in SCORES]
    rows = [
        [row.model, row.dataset, f"{row.alpha:g}", f"{row.n}"]
        + [f"{getattr(row, f'{name}_mae'):.3f}" for name in SCORES]
        + [f"{getattr(row, f'{name}_bias'):+.3f}" for name in SCORES]
        + [_percent(getattr(row, f"{name}_coverage")) for name in SCORES]
        for row in summary[summary["variant"] == variant].itertuples()
    ]
    return format_table(header, rows)


def compare_variants(summary: pd.DataFrame) -> pd.DataFrame:
    """Per model and variant, each score's mean absolute error and bias averaged over the data
    sets and the weights other than 1 (the weights a prediction is for).

    Parameters
    ----------
    summary : DataFrame
        :func:`summarise_retraining`'s table.

    Returns
    -------
    DataFrame
        ``model``, ``variant``, ``<score>_mae`` and ``<score>_bias`` for each score of
        :data:`SCORES`; models and variants in the order of ``summary``.
    """
    moved = summary[summary["alpha"] != 1.0]
    columns = [f"{name}_{part}" for name in SCORES for part in ("mae", "bias")]
    return moved.groupby(["model", "variant"], sort=False)[columns].mean().reset_index()


def format_comparison(comparison: pd.DataFrame) -> str:
    """Plain-text table of :func:`compare_variants`."""
    header = ["model", "variant"] + [f"MAE {name}" for name in SCORES]
    header += [f"bias {name}" for name in SCORES]
    rows = [
        [row.model, row.variant]
        + [f"{getattr(row, f'{name}_mae'):.3f}" for name in SCORES]
        + [f"{getattr(row, f'{name}_bias'):+.3f}" for name in SCORES]
        for row in comparison.itertuples()
    ]
    return format_table(header, rows)


def _percent(value: float) -> str:
    return "" if np.isnan(value) else f"{value:.0%}"
