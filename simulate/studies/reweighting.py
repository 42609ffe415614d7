"""Does a weight deployed without retraining predict as well as retraining at that weight?

:func:`theory.reweighted` deploys a model trained at weight 1 as if retrained at ``alpha``: the
same model at the equivalent threshold. This study checks it against real retraining. For each
data set (:data:`DATASETS`: scikit-learn's ``breast_cancer`` and ``digits:8`` with their
positives subsampled to :data:`REAL_BETA`, as the simulator's real sources are, and
make_classification at ``class_sep`` 1 and each prevalence of ``betas``) and each seeded split
(:func:`simulate.data.splits.make_dataset`, a share :data:`TEST_SIZE` held out for testing; a
share :data:`VAL_SIZE` of the rest held out for validation), each model (:data:`MODELS`) is
fitted at weight 1 on the remaining rows and at every ``alpha`` (``sample_weight`` ``alpha`` on
the positives), and the test split is predicted by

- ``retrained``: the model fitted at ``alpha``, read by its own ``predict``;
- ``reweighted``: ``theory.reweighted(model, alpha)``, the weight-1 model at the equivalent
  threshold of a model whose logit a weight shifts by ``log(alpha)``;
- ``reweighted-k``: the same with ``movement=k``, the exponent :func:`theory.fit_movement`
  measures on the validation split from the one retrain at :data:`K_ALPHA`; where that retrain
  did not move the model towards the positives (``k <= 0``), or the model has one score only
  (``k`` NaN), the weight-1 model unchanged, the limit of the shift as ``k`` falls to 0;
- ``unchanged``: the weight-1 model as it is, how far retraining really moves.

:func:`reweighting_fits` gives each split's test F1, recall and specificity of each;
:func:`reweighting_errors` their means and the differences from ``retrained`` per model, data
set and weight, and :func:`mean_errors` the mean absolute F1 difference over any grouping.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from threadpoolctl import threadpool_limits
from tqdm.auto import tqdm

import theory
from params.settings import setting, validate_fields
from params.validation import Interval
from simulate.config import (
    ALPHA_RANGE,
    MAX_SAMPLES,
    MAX_SEED,
    MIN_SPLIT_POSITIVES,
    SweepConfig,
)
from simulate.data.splits import Dataset, dataset_seeds, hold_out_validation, make_dataset
from simulate.models.registry import HGB_PARAMS, LOGREG_PARAMS, MLP_PARAMS

__all__ = [
    "DATASETS",
    "K_ALPHA",
    "MODELS",
    "PREDICTORS",
    "REAL_BETA",
    "ReweightingConfig",
    "mean_errors",
    "reweighting_errors",
    "reweighting_fits",
]

#: The models compared, by the names of :data:`simulate.models.registry.MODELS` (the tree is
#: ``tree-proba`` with :data:`TREE_LEAF` samples per leaf, read by its probabilities).
MODELS: tuple[str, ...] = ("logreg", "hgb", "mlp", "tree-proba")
#: The data sets: scikit-learn's shipped ones and make_classification (one per prevalence).
DATASETS: tuple[str, ...] = ("breast_cancer", "digits:8", "make_classification")
#: The prevalence the shipped data sets' positives are subsampled to (the retraining study's
#: higher one).
REAL_BETA = 0.09
#: The separation of the make_classification data sets.
CLASS_SEP = 1.0
#: Shares of each data set held out for testing, and of the rest for validation.
TEST_SIZE = 0.4
VAL_SIZE = 0.25
#: The weight of the one retrain that measures the movement exponent ``k``.
K_ALPHA = 5.0
#: Least samples per leaf of the tree.
TREE_LEAF = 100
#: The reference, and the predictions compared with it.
REFERENCE = "retrained"
PREDICTORS: tuple[str, ...] = ("reweighted", "reweighted-k", "unchanged")
#: The test scores reported.
SCORES: tuple[str, ...] = ("f1", "recall", "specificity")


@dataclass(frozen=True)
class ReweightingConfig:
    """The study's settings.

    Parameters
    ----------
    models : tuple of str, default ("logreg", "hgb", "mlp", "tree-proba")
        The models compared (:data:`MODELS`).
    datasets : tuple of str, default ("breast_cancer", "digits:8", "make_classification")
        The data sets (:data:`DATASETS`).
    betas : tuple of float, default (0.01, 0.05, 0.2)
        The prevalences of the make_classification data sets, one data set each, in (0, 0.5].
    alphas : tuple of float, default (2, 5, 20, 99)
        The weights of the positives compared.
    reps : int, default 10
        Seeded splits per data set.
    n_samples : int, default 10000
        Rows of each make_classification data set.
    seed : int, default 0
        Fixes every draw: the data, the splits and the models' own seeds.

    Raises
    ------
    ParameterError
        A :class:`ValueError` naming the bad setting, its value and what is allowed.
    """

    models: tuple[str, ...] = setting(
        ",".join(MODELS), str, "models compared", many=True, choices=MODELS
    )
    datasets: tuple[str, ...] = setting(
        ",".join(DATASETS),
        str,
        f"data sets; the shipped ones at prevalence {REAL_BETA:g}",
        many=True,
        choices=DATASETS,
    )
    betas: tuple[float, ...] = setting(
        "0.01,0.05,0.2",
        float,
        "prevalences of the make_classification data sets, each in (0, 0.5] (the positives are "
        "the rarer class): a comma list",
        many=True,
        interval=Interval(0.0, 0.5, "right"),
    )
    alphas: tuple[float, ...] = setting(
        "2,5,20,99",
        float,
        f"weights of the positives compared, each in {ALPHA_RANGE}: a comma list",
        many=True,
        interval=ALPHA_RANGE,
    )
    reps: int = setting(10, int, "seeded splits per data set", interval=Interval(1, 1000, "both"))
    n_samples: int = setting(
        10_000,
        int,
        "rows of each make_classification data set",
        interval=Interval(100, MAX_SAMPLES, "both"),
    )
    seed: int = setting(0, int, "fixes every random draw", interval=Interval(0, MAX_SEED, "both"))

    def __post_init__(self) -> None:
        validate_fields(self)
        positives = self.n_samples * min(self.betas) * (1.0 - TEST_SIZE) * VAL_SIZE
        if "make_classification" in self.datasets and positives < MIN_SPLIT_POSITIVES:
            raise ValueError(
                f"The settings n_samples={self.n_samples} and betas (the smallest "
                f"{min(self.betas):g}) of ReweightingConfig expect {positives:g} positives in a "
                f"validation split of make_classification; at least {MIN_SPLIT_POSITIVES:g} are "
                "needed: raise n_samples or the smallest beta."
            )


class _Source(NamedTuple):
    """One data set of the study: its label, its source for ``make_dataset`` and prevalence."""

    label: str
    source: float | str
    beta: float


def _sources(config: ReweightingConfig) -> list[_Source]:
    sources = []
    for name in config.datasets:
        if name == "make_classification":
            sources += [
                _Source(f"{name} {100 * beta:g}%", CLASS_SEP, beta) for beta in config.betas
            ]
        else:
            sources.append(_Source(name, name, REAL_BETA))
    return sources


def _estimator(model: str, random_state: int) -> Any:
    """An unfitted estimator of ``model``, standardising its features where the sweep does."""
    if model == "logreg":
        return make_pipeline(StandardScaler(), LogisticRegression(**LOGREG_PARAMS))
    if model == "hgb":
        return HistGradientBoostingClassifier(**HGB_PARAMS, random_state=random_state)
    if model == "mlp":
        return make_pipeline(
            StandardScaler(), MLPClassifier(**MLP_PARAMS, random_state=random_state)
        )
    return DecisionTreeClassifier(min_samples_leaf=TREE_LEAF, random_state=random_state)


def _fit(estimator: Any, data: Dataset, alpha: float) -> Any:
    """A clone of ``estimator`` fitted with weight ``alpha`` on the positives (the last step's
    ``sample_weight``, for a pipeline)."""
    weight = np.where(data.y_train == 1, alpha, 1.0)
    name = f"{estimator.steps[-1][0]}__sample_weight" if isinstance(estimator, Pipeline) else None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)  # the network's cap, as in sweeps
        return clone(estimator).fit(data.X_train, data.y_train, **{name or "sample_weight": weight})


def _scores(y_true: np.ndarray, y_pred: np.ndarray) -> dict[str, float]:
    every = theory.confusion_scores(*theory.confusion_counts(y_true, y_pred))
    return {score: float(every[score]) for score in SCORES}


def _split(
    model: str, estimator: Any, data: Dataset, alphas: tuple[float, ...]
) -> list[dict[str, Any]]:
    """Every weight's test scores of each prediction, and ``k``, for one model and split."""
    base = _fit(estimator, data, 1.0)
    fitted = {1.0: base}
    for alpha in sorted({*alphas, K_ALPHA} - {1.0}):
        fitted[alpha] = _fit(estimator, data, alpha)
    scores = base.predict_proba(data.X_val)[:, 1]
    k = np.nan  # a model with one score (a tree of one leaf) has no threshold to move
    if np.unique(scores).size > 1:
        retrained = fitted[K_ALPHA].predict_proba(data.X_val)[:, 1]
        k = theory.fit_movement(data.y_val, scores, retrained, alpha=K_ALPHA, bootstrap=0).k
    unchanged = base.predict(data.X_test)
    rows = []
    for alpha in alphas:
        predictions = {
            REFERENCE: fitted[alpha].predict(data.X_test),
            "reweighted": theory.reweighted(base, alpha).predict(data.X_test),
            "reweighted-k": theory.reweighted(base, alpha, movement=k).predict(data.X_test)
            if k > 0
            else unchanged,
            "unchanged": unchanged,
        }
        row: dict[str, Any] = {"model": model, "alpha": alpha, "k": k}
        for name, predicted in predictions.items():
            test = _scores(data.y_test, predicted)
            row |= {f"{score}_{name}": test[score] for score in SCORES}
        rows.append(row)
    return rows


def reweighting_fits(config: ReweightingConfig, *, progress: bool = False) -> pd.DataFrame:
    """Each split's test scores of every prediction (see the module's notes).

    Every model sees the same splits; each runs on one thread.

    Parameters
    ----------
    config : ReweightingConfig
        What to run.
    progress : bool, default False
        Draw a progress bar on stderr.

    Returns
    -------
    DataFrame
        One row per (data set, split, model, alpha): ``dataset``, ``rep``, ``model``,
        ``alpha``, ``k`` (measured at :data:`K_ALPHA`), ``test_positives`` and per score
        (:data:`SCORES`) and prediction (``retrained`` and :data:`PREDICTORS`) a column
        ``<score>_<prediction>``.

    Raises
    ------
    ValueError
        Where a data set cannot reach its prevalence (a ``beta`` above a shipped data set's own
        share of positives).
    """
    sources = _sources(config)
    rows = []
    splits = list(itertools.product(enumerate(sources), range(config.reps)))
    with (
        threadpool_limits(limits=1),
        tqdm(total=len(splits), unit="split", disable=not progress, desc="reweighting") as bar,
    ):
        for (index, source), rep in splits:
            seeds = dataset_seeds(config.seed, index, rep)
            data = make_dataset(
                source.source,
                seeds,
                beta=source.beta,
                n_samples=config.n_samples,
                n_features=SweepConfig.n_features,
                n_informative=SweepConfig.n_informative,
                test_size=TEST_SIZE,
            )
            data = hold_out_validation(data, VAL_SIZE, seeds.validation)
            for model in config.models:
                estimator = _estimator(model, seeds.model)
                for row in _split(model, estimator, data, config.alphas):
                    rows.append(
                        {
                            "dataset": source.label,
                            "rep": rep,
                            **row,
                            "test_positives": int(data.y_test.sum()),
                        }
                    )
            bar.update()
    front = ["dataset", "rep", "model", "alpha", "k", "test_positives"]
    table = pd.DataFrame(rows)
    return table[front + [c for c in table.columns if c not in front]]


def reweighting_errors(fits: pd.DataFrame) -> pd.DataFrame:
    """Per model, data set and weight: the mean test scores and their differences from
    retraining.

    Parameters
    ----------
    fits : DataFrame
        :func:`reweighting_fits`'s table.

    Returns
    -------
    DataFrame
        One row per (model, dataset, alpha), in the order of ``fits``: ``splits``, ``k`` (the
        median measured exponent) and ``k_splits`` (splits where it is > 0), the mean
        ``<score>_<prediction>`` of every score and prediction, and per prediction of
        :data:`PREDICTORS` and score ``<score>_<prediction>_bias`` (the mean difference
        prediction minus retrained) and ``<score>_<prediction>_mae`` (the mean absolute one).
    """
    keys = ["model", "dataset", "alpha"]
    table = fits[keys].copy()
    table["k_splits"] = fits["k"] > 0
    for score in SCORES:
        for name in (REFERENCE, *PREDICTORS):
            table[f"{score}_{name}"] = fits[f"{score}_{name}"]
        for name in PREDICTORS:
            difference = fits[f"{score}_{name}"] - fits[f"{score}_{REFERENCE}"]
            table[f"{score}_{name}_bias"] = difference
            table[f"{score}_{name}_mae"] = difference.abs()
    table["k"] = fits["k"]
    grouped = table.groupby(keys, sort=False)
    means = grouped.mean()
    means.insert(0, "splits", grouped.size())
    means["k"] = grouped["k"].median()  # robust to the odd split whose retrain barely moved
    means["k_splits"] = grouped["k_splits"].sum().astype(int)
    front = ["splits", "k", "k_splits"]
    means = means[front + [c for c in means.columns if c not in front]]
    return means.reset_index()


def mean_errors(errors: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """The mean absolute F1 difference from retraining of each prediction, and its mean recall
    difference (prediction minus retrained: positive where it moves further than retraining),
    averaged over the rows of :func:`reweighting_errors` in each group of ``by`` (each data set
    and weight counts once), with the median of their ``k``.

    Returns
    -------
    DataFrame
        ``by``, ``k``, per prediction of :data:`PREDICTORS` a column ``<prediction>`` (the F1
        difference) and ``<prediction>_recall`` (the recall bias), in the order of ``errors``.
    """
    columns = {f"f1_{name}_mae": name for name in PREDICTORS}
    columns |= {f"recall_{name}_bias": f"{name}_recall" for name in PREDICTORS}
    grouped = errors.groupby(by, sort=False)
    table = grouped[list(columns)].mean().rename(columns=columns)
    table.insert(0, "k", grouped["k"].median())
    return table.reset_index()
