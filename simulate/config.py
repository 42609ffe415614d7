"""The settings of one sweep, each declared once: type, allowed values, default and help.

:class:`SweepConfig` validates itself from these declarations, and ``python -m simulate`` and
``python -m simulate.fidelity`` build their flags from them (:func:`params.settings.add_arguments`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from params.post import ALPHAS_TEXT, BETA, SEPS_TEXT
from params.settings import setting, validate_fields
from params.validation import MAX_BOOTSTRAP, POSITIVE, UNIT_OPEN, Interval, ParameterError
from simulate.analysis.prediction import DEFAULT_PREDICTORS, PREDICTORS
from simulate.analysis.summary import CELL_KEYS
from simulate.data.resample import KNOBS, RESAMPLING
from simulate.data.sources import (
    MAKE_CLASSIFICATION,
    SOURCE_FORM,
    is_source,
    is_table,
    load_rows,
    positives_kept,
)
from simulate.models.boosters import BOOSTERS, library
from simulate.models.losses import BCE, FOCAL, GAMMA_RANGE, LOSSES
from simulate.models.registry import FOCAL_MODELS, MODELS, PROBABILISTIC, TREES
from simulate.models.tree import ENGINES
from theory.rules import DEFAULT_GAMMA
from theory.whatif import equivalent_weight

__all__ = [
    "ALPHA_RANGE",
    "DEFAULT_ALPHAS",
    "DEFAULT_REPS",
    "DEFAULT_SEPS",
    "GRID_SETTINGS",
    "MAX_FITS",
    "MIN_SPLIT_POSITIVES",
    "SweepConfig",
]

#: A sweep must expect at least this many positives in each test split and each training split.
MIN_SPLIT_POSITIVES = 5.0
#: Largest seed: numpy's SeedSequence takes any, scikit-learn's random_state 32 bits.
MAX_SEED = 2**32 - 1
#: The settings of the grid every sweep command takes.
GRID_SETTINGS = ("beta", "alphas", "seps")
#: Weights the simulator supports. Inside, the numba and sklearn engines agree (measured on 150
#: datasets of 4,000 samples at prevalences 0.01 to 0.2: the same share of identical fits and no
#: significant F1 difference from 1e-4 to 1e7). Further out, float64 rounding in the weighted
#: Gini, not the data, decides splits, so the engines part; far out, the Gini overflows.
ALPHA_RANGE = Interval(1e-4, 1e7, "both")
#: Relative difference under which given weights are the ones the fractions give (a record's
#: weights, written from the fractions, read back).
_SAME_WEIGHT = 1e-9
#: Most values in the alphas and in the seps grid.
MAX_GRID = 1000
#: Most datasets per class_sep.
MAX_REPS = 1_000_000
#: Most fits in one sweep: the parent holds about 400 bytes per fit (the per-fit table and its
#: copies; ``benchmarks/bench_memory.py``), so about 8 GB at this cap.
MAX_FITS = 20_000_000
#: Most samples in one dataset.
MAX_SAMPLES = 1_000_000
#: Most features in one dataset.
MAX_FEATURES = 1000
#: Most values (samples x features) in one dataset: 800 MB as float64 in each worker.
MAX_DATASET_VALUES = 100_000_000
#: Largest depth limit: nodes are numbered in int32, as in scikit-learn.
MAX_DEPTH = int(np.iinfo(np.int32).max)

#: Datasets per class_sep when ``reps`` is not given, per model: the post's 250 for trees; for
#: the others, as many as the quick-start-sized command (15 class_seps x 15 weights) fits in
#: about two minutes on two cores (``benchmarks/bench_models.py``; ``tree-proba``: 8 s of one
#: core per dataset at 15 x 15, with 1 or 20 samples per leaf); ``xgboost`` and ``lightgbm``, not
#: yet timed, as ``hgb``.
DEFAULT_REPS: dict[str, int] = {
    "tree": 250,
    "logreg": 100,
    "hgb": 1,
    "mlp": 6,
    "tree-proba": 30,
    "xgboost": 1,
    "lightgbm": 1,
}

_FEATURES = Interval(2, MAX_FEATURES, "both")
#: The probabilistic models, as the flags' help lists them.
_PROBABILISTIC = ", ".join(PROBABILISTIC)
#: The models that train on the focal loss, as messages list them.
_FOCAL_MODELS = " and ".join(FOCAL_MODELS)


def _listed(values: tuple[float, ...]) -> str:
    """Numbers as a short list: ``[1, 4.3589, 19]``."""
    return f"[{', '.join(f'{value:g}' for value in values)}]"


@dataclass(frozen=True)
class SweepConfig:
    """Everything that determines a sweep's numbers (the number of workers does not).

    Each dataset is ``make_classification(n_samples, n_features, n_informative, n_redundant=0,
    weights=(1 - beta,), n_clusters_per_class=2, class_sep)``, or the rows of a real data set
    with its positives subsampled to ``beta`` (:mod:`simulate.data.sources`); its labels get the
    noise ``flip_y`` and it is split into train and test sets once (stratified, for real data),
    and fitted by ``model`` at every weight in ``alphas`` (weight 1 on negatives, ``alpha`` on
    positives). A probabilistic model (:data:`~simulate.models.registry.PROBABILISTIC`: all but
    ``tree``) is fitted on the training split less a stratified validation split of ``val_size``
    (:mod:`simulate.models.registry`).

    Parameters
    ----------
    beta : float, default 0.01
        Prevalence of the positive class, in (0, 1).
    alphas : tuple of float, default 15 log-spaced weights from 1 to 316.227766
        Weights of the positive class, each in :data:`ALPHA_RANGE` (1e-4 to 1e7); stored sorted
        and without duplicates, at most :data:`MAX_GRID` of them. The default is the post's
        ``np.logspace(0, 2.5, 15)`` written as ``1:316.227766:15``.
    seps : tuple of float, default the post's 15 values from 0.05 to 3
        ``class_sep`` values, each > 0; stored sorted and without duplicates, at most
        :data:`MAX_GRID` of them.
    reps : int, optional
        Datasets per ``class_sep`` (per data set, per ``flip_y``), at most :data:`MAX_REPS`; the
        sweep fits at most :data:`MAX_FITS` models. Default (None): the model's
        :data:`DEFAULT_REPS`, 250 for ``tree``; :attr:`n_reps` is the number used.
    n_samples, n_features, n_informative : int, default 10000, 10, 5
        Size of each dataset; ``2 <= n_informative <= n_features <= MAX_FEATURES``,
        ``n_samples <= MAX_SAMPLES`` and ``n_samples * n_features <= MAX_DATASET_VALUES``
        (make_classification needs two informative features for two classes of two clusters
        each).
    flip_y : tuple of float, default (0.0,)
        Label noise, each in [0, 1): the fraction of labels replaced by a label drawn at random,
        as make_classification's ``flip_y`` (:func:`simulate.data.splits.add_label_noise`), on every
        split. A grid dimension: every source is swept at every value, on the same datasets.
    dataset : tuple of str, default ("make_classification",)
        Where the datasets come from (:mod:`simulate.data.sources`): make_classification, one
        source per ``class_sep``; or real data sets (``breast_cancer``, ``digits:D``, a .csv or
        .parquet table), one source each, which take none of make_classification's settings
        (``seps``, ``n_samples``, ``n_features``, ``n_informative``).
    target : str, optional
        The label column of a table in ``dataset``.
    test_size : float, default 0.25
        Fraction of each dataset held out for scoring, in (0, 1).
    seed : int, default 0
        Fixes every random draw of the sweep, in [0, 2**32 - 1].
    model : {"tree", "logreg", "hgb", "mlp", "tree-proba", "xgboost", "lightgbm"}, default "tree"
        What is fitted at each weight (:data:`simulate.models.registry.MODELS`); ``tree-proba``
        is the tree scored by its leaves' share of positives, a probabilistic model; ``xgboost``
        and ``lightgbm`` need their libraries (the extras of the same names).
    knob : {"weight", "undersample", "oversample"}, default "weight"
        How the positives are favoured at each weight: weighted by it, or the training split
        resampled to the positive fraction it amounts to at ``beta``
        (:mod:`simulate.data.resample`); the resampling knobs take weights of at least 1.
    fractions : tuple of float, optional
        Positive fractions ``q`` in (0, 1) to give the weights as: when given, ``alphas`` are
        ``theory.equivalent_weight(beta, fractions)``, and ``alphas`` may not be given as other
        weights (leave it at its default).
    val_size : float, default 0.2
        Fraction of each training split held out as the validation split of a probabilistic
        model, in (0, 1); ``tree`` does not use it.
    engine : {"numba", "sklearn"}, default "numba"
        The implementation of ``tree`` and ``logreg`` (:data:`simulate.models.tree.ENGINES`,
        :func:`simulate.models.logreg.logistic_path`); the other models have one implementation
        each.
    loss : {"bce", "focal"}, default "bce"
        The training loss of ``logreg`` and ``mlp``
        (:data:`~simulate.models.registry.FOCAL_MODELS`): the weighted cross-entropy, or the
        focal loss ``-alpha * y * (1-p)**gamma * log(p) - (1-y) * p**gamma * log(1-p)``
        (:mod:`simulate.models.losses`). ``logreg``'s focal fit is the numba engine's; the other
        models train on the cross-entropy only.
    gamma : float or None, default None
        The focal loss's parameter, in ``[0, 100]``, with ``loss="focal"`` only. None with
        ``"focal"`` stands for :data:`theory.rules.DEFAULT_GAMMA` (2, Lin et al.'s choice, as
        the theory's focal rule) and is stored as that number, so that the record says it;
        ``gamma=0`` trains on the cross-entropy, the same fits as ``loss="bce"``.
    max_depth : int or None, default None
        Depth limit of the trees, at most :data:`MAX_DEPTH`; None grows them until every leaf
        is pure. Trees only (``tree``, ``tree-proba``).
    min_samples_leaf : int, default 1
        Smallest number of training samples in a leaf, at most :data:`MAX_SAMPLES`. Trees only
        (``tree``, ``tree-proba``). A fully grown ``tree-proba`` (1 and no ``max_depth``) has
        pure leaves, so its scores are 0 or 1 and its predictions have nothing to read: give it
        a leaf size (the retraining study's are 20 and 100) or a depth.

    Raises
    ------
    ParameterError
        A :class:`ValueError` naming the first bad setting, its value and what is allowed;
        ``model`` when its library is not installed, with the command that installs it.
    ValueError
        When a tree setting is given to another model, ``gamma`` is given without
        ``loss="focal"``, the focal loss to a model that cannot train on it (naming the setting
        and what is allowed), ``n_informative > n_features`` (naming
        both), ``alphas`` and ``fractions`` give different weights (naming both), the test,
        training or validation split would expect fewer than :data:`MIN_SPLIT_POSITIVES`
        positives, or the sweep or one dataset would not fit in memory (:data:`MAX_FITS`,
        :data:`MAX_DATASET_VALUES`); when a real data set cannot be read, cannot reach ``beta``
        or takes a make_classification setting; the message names what is wrong.
    """

    beta: float = setting(
        BETA, float, "prevalence of the positive class, in (0, 1)", interval=UNIT_OPEN
    )
    alphas: tuple[float, ...] = setting(
        ALPHAS_TEXT,
        float,
        f"weights of the positive class, in {ALPHA_RANGE} (where the engines agree): LO:HI[:N] "
        f"(N log-spaced, default N 15) or a comma list; at most {MAX_GRID} values",
        interval=ALPHA_RANGE,
        spacing="log",
        max_length=MAX_GRID,
    )
    seps: tuple[float, ...] = setting(
        SEPS_TEXT,
        float,
        "class_sep values of make_classification: LO:HI[:N] (N linearly spaced, default N 15) "
        f"or a comma list; at most {MAX_GRID} values",
        interval=POSITIVE,
        spacing="linear",
        max_length=MAX_GRID,
    )
    reps: int | None = setting(
        None,
        int,
        f"datasets per class_sep (per data set, per flip-y), at most {MAX_REPS:,}; at most "
        f"{MAX_FITS:,} fits in all",
        interval=Interval(1, MAX_REPS, "both"),
        optional=True,
        none_means="the model's own ("
        + ", ".join(f"{reps} for {model}" for model, reps in DEFAULT_REPS.items())
        + ")",
    )
    n_samples: int = setting(
        10_000,
        int,
        f"samples per make_classification dataset, train and test together, at most "
        f"{MAX_SAMPLES:,}; n-samples x n-features at most {MAX_DATASET_VALUES:,}",
        interval=Interval(1, MAX_SAMPLES, "both"),
    )
    n_features: int = setting(
        10,
        int,
        f"features per make_classification dataset, 2 to {MAX_FEATURES}",
        interval=_FEATURES,
    )
    n_informative: int = setting(
        5, int, "informative features, 2 to n-features", interval=_FEATURES
    )
    flip_y: tuple[float, ...] = setting(
        "0",
        float,
        "label noise, in [0, 1): the fraction of labels replaced by a random one, as "
        "make_classification's flip_y (about half of them change), on every data set and split; "
        "a list is a grid dimension, on the same datasets: LO:HI[:N] (N linearly spaced) or a "
        "comma list",
        interval=Interval(0.0, 1.0, "left"),
        spacing="linear",
        max_length=MAX_GRID,
    )
    dataset: tuple[str, ...] = setting(
        MAKE_CLASSIFICATION,
        str,
        "data sets to draw from: make_classification (the post's, one per class_sep), "
        "breast_cancer, digits:D (digit D against the rest) or a .csv or .parquet table (with "
        "--target); real data sets keep every negative and subsample the positives to beta; a "
        "comma list of real data sets is a grid dimension",
        many=True,
        accepts=is_source,
        form=SOURCE_FORM,
        metavar="NAME",
    )
    target: str | None = setting(
        None,
        str,
        "the label column of a --dataset table; its less frequent value is positive",
        optional=True,
        none_means="no table",
    )
    test_size: float = setting(0.25, float, "held-out fraction, in (0, 1)", interval=UNIT_OPEN)
    seed: int = setting(
        0,
        int,
        "fixes every random draw; the same seed gives the same numbers for any --n-jobs",
        interval=Interval(0, MAX_SEED, "both"),
    )
    model: str = setting(
        "tree",
        str,
        "what is fitted at each weight (xgboost and lightgbm need their extras: pip install "
        '".[xgboost,lightgbm]")',
        choices=tuple(MODELS),
    )
    knob: str = setting(
        "weight",
        str,
        "how the positives are favoured at each alpha: weighted, or the training split resampled "
        "to the positive fraction q the weight amounts to (undersample drops negatives, "
        "oversample copies positives)",
        choices=KNOBS,
    )
    fractions: tuple[float, ...] | None = setting(
        None,
        float,
        "positive fractions q in (0, 1) instead of --alphas, not with it (the weights become "
        "(q / (1 - q)) * ((1 - beta) / beta)): LO:HI[:N] (N linearly spaced) or a comma list",
        interval=UNIT_OPEN,
        spacing="linear",
        max_length=MAX_GRID,
        optional=True,
        none_means="the weights are --alphas",
    )
    val_size: float = setting(
        0.2,
        float,
        f"fraction of each training split held out for validation ({_PROBABILISTIC}), in (0, 1)",
        interval=UNIT_OPEN,
    )
    engine: str = setting(
        "numba",
        str,
        "implementation of tree and logreg (the other models have one each)",
        choices=tuple(ENGINES),
    )
    loss: str = setting(
        BCE,
        str,
        f"training loss of {' and '.join(FOCAL_MODELS)}: the weighted cross-entropy (bce) or the "
        "focal loss (focal, with --gamma; logreg's needs --engine numba)",
        choices=LOSSES,
    )
    gamma: float | None = setting(
        None,
        float,
        f"the focal loss's gamma, in {GAMMA_RANGE}; only with --loss focal (0 trains on the "
        "cross-entropy)",
        interval=GAMMA_RANGE,
        optional=True,
        none_means=f"{DEFAULT_GAMMA:g} with --loss focal",
    )
    max_depth: int | None = setting(
        None,
        int,
        f"depth limit of the trees (tree, tree-proba), at most {MAX_DEPTH}",
        interval=Interval(1, MAX_DEPTH, "both"),
        optional=True,
        none_means="grown until leaves are pure",
    )
    min_samples_leaf: int = setting(
        1,
        int,
        f"smallest number of training samples in a leaf (tree, tree-proba), at most "
        f"{MAX_SAMPLES:,}; tree-proba's scores are 0 or 1 at 1 without --max-depth",
        interval=Interval(1, MAX_SAMPLES, "both"),
    )
    predictors: tuple[str, ...] = setting(
        ",".join(DEFAULT_PREDICTORS),
        str,
        "how each weight is predicted from the alpha = 1 model's validation scores "
        f"({_PROBABILISTIC}): a comma list",
        many=True,
        choices=tuple(PREDICTORS),
    )
    bootstrap: int = setting(
        0,
        int,
        f"bootstrap resamples of the validation rows behind each prediction's 95%% predictive "
        f"interval for the test split ({_PROBABILISTIC}), at most {MAX_BOOTSTRAP:,}; 0: none",
        interval=Interval(0, MAX_BOOTSTRAP, "both"),
    )

    def __post_init__(self) -> None:
        validate_fields(self)
        if self.model in BOOSTERS:
            library(self.model, "SweepConfig")
        self._check_loss()
        if self.model not in PROBABILISTIC and self.bootstrap:
            allowed = f"0 for model={self.model!r} (it has no validation scores to predict from)"
            raise ParameterError("bootstrap", "SweepConfig", allowed, self.bootstrap)
        if self.fractions is not None:
            self._weights_from_fractions()
        if self.knob in RESAMPLING and self.alphas[0] < 1.0 - 1e-9:  # q = beta, rounded
            allowed = (
                f"weights of at least 1 (fractions of at least beta) when knob is {self.knob!r}: "
                "resampling drops no positive and copies no negative"
            )
            name = "alphas" if self.fractions is None else "fractions"
            value = self.alphas[0] if self.fractions is None else self.fractions[0]
            raise ParameterError(name, "SweepConfig", allowed, value)
        if self.model not in TREES:
            for name, default in (("max_depth", None), ("min_samples_leaf", 1)):
                if getattr(self, name) != default:
                    raise ValueError(
                        f"The setting {name}={getattr(self, name)!r} of SweepConfig applies to "
                        f"model='tree' only (and model='tree-proba'), not to "
                        f"model={self.model!r}."
                    )
        if self.target is not None and not any(is_table(name) for name in self.dataset):
            raise ValueError(
                f"The setting target={self.target!r} of SweepConfig applies to a .csv or "
                ".parquet dataset only."
            )
        if self.real_data:
            self._check_real_data()
        else:
            self._check_synthetic_data()
        self._check_size()

    def _check_loss(self) -> None:
        """Refuse a ``gamma`` without the focal loss, and the focal loss where no model trains on
        it; store the focal loss's default ``gamma`` when none is given."""
        if self.loss != FOCAL:
            if self.gamma is not None:
                raise ParameterError(
                    "gamma",
                    "SweepConfig",
                    f"None unless loss is {FOCAL!r} (gamma applies to --loss focal only)",
                    self.gamma,
                )
            return
        if self.model not in FOCAL_MODELS:
            allowed = f"{BCE!r} for model={self.model!r} (the focal loss trains {_FOCAL_MODELS})"
            raise ParameterError("loss", "SweepConfig", allowed, self.loss)
        if self.model == "logreg" and self.engine != "numba":
            allowed = f"{BCE!r} for logreg's engine={self.engine!r}: scikit-learn has no focal loss"
            raise ParameterError("loss", "SweepConfig", allowed + "; use engine='numba'", self.loss)
        if self.gamma is None:
            object.__setattr__(self, "gamma", DEFAULT_GAMMA)

    def _weights_from_fractions(self) -> None:
        """Store the weights the fractions give as ``alphas``; refuse other explicit weights."""
        weights = equivalent_weight(self.beta, np.asarray(self.fractions))
        if not np.all(ALPHA_RANGE.contains(weights)):
            allowed = f"fractions whose weights at beta = {self.beta:g} lie in {ALPHA_RANGE}"
            raise ParameterError("fractions", "SweepConfig", allowed, self.fractions)
        derived = tuple(float(w) for w in weights)
        given = np.asarray(self.alphas)
        if self.alphas != DEFAULT_ALPHAS and not (
            given.shape == weights.shape and np.allclose(given, weights, rtol=_SAME_WEIGHT)
        ):
            raise ValueError(
                f"The settings alphas={_listed(self.alphas)} and "
                f"fractions={_listed(self.fractions)} of SweepConfig both give the weights "
                "(fractions as (q / (1 - q)) * ((1 - beta) / beta)), and differ: give one of them."
            )
        object.__setattr__(self, "alphas", derived)

    def _check_synthetic_data(self) -> None:
        """Refuse make_classification datasets with more informative features than features,
        too small for their splits or too large."""
        if self.n_informative > self.n_features:
            raise ValueError(
                f"The settings n_informative={self.n_informative} and "
                f"n_features={self.n_features} of SweepConfig do not go together: the "
                "informative features are some of the features, at most all of them."
            )
        for split, fraction, written, remedy in self._splits():
            expected = self.n_samples * fraction * self.beta
            if expected < MIN_SPLIT_POSITIVES:
                raise ValueError(
                    f"The settings of SweepConfig leave {expected:g} expected positives in each "
                    f"{split} split (n_samples * {written} * beta = {self.n_samples} * "
                    f"{fraction:g} * {self.beta:g}); at least {MIN_SPLIT_POSITIVES:g} are needed: "
                    f"{remedy}."
                )
        values = self.n_samples * self.n_features
        if values > MAX_DATASET_VALUES:
            raise ValueError(
                f"The settings of SweepConfig ask for datasets of {values:,} values (n_samples * "
                f"n_features = {self.n_samples} * {self.n_features}); at most "
                f"{MAX_DATASET_VALUES:,} fit in memory: lower n_samples or n_features."
            )

    def _check_size(self) -> None:
        """Refuse sweeps too large for memory."""
        if self.n_fits > MAX_FITS:
            raise ValueError(
                f"The settings of SweepConfig ask for {self.n_fits:,} fits (sources * flip_y * "
                f"reps * alphas = {len(self.sources)} * {len(self.flip_y)} * {self.n_reps} * "
                f"{len(self.alphas)}); at most {MAX_FITS:,} fit in memory: lower reps or "
                "shorten the grids."
            )

    def _check_real_data(self) -> None:
        """Refuse make_classification's settings, unreadable data and unreachable splits."""
        if MAKE_CLASSIFICATION in self.dataset:
            raise ValueError(
                f"The data set {MAKE_CLASSIFICATION!r} cannot share a sweep with other data sets "
                "(its grid is class_sep): sweep them separately."
            )
        fields = {field.name: field.default for field in dataclasses.fields(self)}
        for name in ("seps", "n_samples", "n_features", "n_informative"):
            if getattr(self, name) != fields[name]:
                raise ValueError(
                    f"The setting {name}={getattr(self, name)!r} of SweepConfig applies to "
                    f"dataset={MAKE_CLASSIFICATION!r} only, not to dataset={self.dataset[0]!r}."
                )
        for name in self.dataset:
            rows = load_rows(name, self.target)
            kept = positives_kept(rows, self.beta)
            if kept > rows.positives:
                most = rows.positives / (rows.positives + rows.negatives)
                raise ValueError(
                    f"The data set {name} cannot reach beta = {self.beta:g}: beside its "
                    f"{rows.negatives} negatives that takes {kept} positives and it has "
                    f"{rows.positives}; beta may be at most {most:.4g} for it."
                )
            for split, fraction, written, _ in self._splits():
                expected = kept * fraction
                if expected < MIN_SPLIT_POSITIVES:
                    raise ValueError(
                        f"The data set {name} at beta = {self.beta:g} keeps {kept} positives, "
                        f"{expected:g} in each {split} split ({kept} * {written}); at least "
                        f"{MIN_SPLIT_POSITIVES:g} are needed: raise beta or that split's share."
                    )

    @property
    def real_data(self) -> bool:
        """Whether the datasets are drawn from real data sets, not make_classification."""
        return self.dataset != (MAKE_CLASSIFICATION,)

    @property
    def sources(self) -> tuple[float | str, ...]:
        """What each dataset is drawn from: the ``class_sep`` values of make_classification, or
        the real data sets' names."""
        return self.dataset if self.real_data else self.seps

    def n_rows(self, source: float | str) -> int:
        """Rows of each dataset drawn from ``source`` (:attr:`sources`), train and test."""
        if isinstance(source, str):
            rows = load_rows(source, self.target)
            return rows.negatives + positives_kept(rows, self.beta)
        return self.n_samples

    @property
    def cell_keys(self) -> tuple[str, ...]:
        """The columns that say which condition a fit belongs to, besides ``alpha``:
        ``class_sep`` (or ``dataset`` for real data), after ``flip_y`` unless it is 0 only, in
        the order of :data:`~simulate.analysis.summary.CELL_KEYS`."""
        varied = {
            "flip_y": self.flip_y != (0.0,),
            "dataset": self.real_data,
            "class_sep": not self.real_data,
        }
        return tuple(key for key in CELL_KEYS if varied[key])

    def _splits(self) -> list[tuple[str, float, str, str]]:
        """Each split whose positives are checked: name, fraction of the samples, that fraction
        written out, and how to get more positives into it."""
        splits = [("test", self.test_size, "test_size", "raise n_samples, test_size or beta")]
        training = ("training", 1 - self.test_size, "(1 - test_size)")
        if self.model not in PROBABILISTIC:
            return [*splits, (*training, "raise n_samples or beta, or lower test_size")]
        train = 1 - self.test_size
        return [
            *splits,
            (
                "fitting",
                train * (1 - self.val_size),
                "(1 - test_size) * (1 - val_size)",
                "raise n_samples or beta, or lower test_size or val_size",
            ),
            (
                "validation",
                train * self.val_size,
                "(1 - test_size) * val_size",
                "raise n_samples, beta or val_size",
            ),
        ]

    def data_settings(self) -> dict[str, Any]:
        """The keyword arguments of :func:`simulate.data.splits.make_dataset` this sweep sets."""
        return {
            "beta": self.beta,
            "n_samples": self.n_samples,
            "n_features": self.n_features,
            "n_informative": self.n_informative,
            "test_size": self.test_size,
            "target": self.target,
        }

    def model_settings(self) -> dict[str, Any]:
        """The keyword arguments of :func:`simulate.models.registry.fit_model` this sweep sets."""
        return {
            "engine": self.engine,
            "max_depth": self.max_depth,
            "min_samples_leaf": self.min_samples_leaf,
            "loss": self.loss,
            "gamma": self.gamma,
            "knob": self.knob,
            "beta": self.beta,
        }

    @property
    def model_description(self) -> str:
        """The model and, where there is a choice, its implementation: ``"tree, numba"``; the
        other models have one implementation each (``"tree-proba"``). The focal loss follows:
        ``"logreg, numba, focal gamma 2"``."""
        parts = [self.model]
        if self.model in ("tree", "logreg"):
            parts.append(self.engine)
        if self.loss == FOCAL:
            parts.append(f"focal gamma {self.gamma:g}")
        return ", ".join(parts)

    @property
    def n_reps(self) -> int:
        """Datasets per class_sep: ``reps``, or the model's :data:`DEFAULT_REPS`."""
        return DEFAULT_REPS[self.model] if self.reps is None else self.reps

    @property
    def n_fits(self) -> int:
        """Number of models the sweep fits: sources x flip_y x reps x alphas."""
        return len(self.sources) * len(self.flip_y) * self.n_reps * len(self.alphas)

    def to_dict(self) -> dict[str, Any]:
        """The settings as JSON-ready values (tuples become lists), with the number of
        repetitions written out (:attr:`n_reps`), so that a record does not depend on
        :data:`DEFAULT_REPS`."""
        settings = {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in dataclasses.asdict(self).items()
        }
        return {**settings, "reps": self.n_reps}

    @classmethod
    def from_dict(cls, settings: dict[str, Any]) -> SweepConfig:
        """Inverse of :meth:`to_dict`; keys the class does not declare are ignored."""
        known = {field.name for field in dataclasses.fields(cls)}
        return cls(**{name: value for name, value in settings.items() if name in known})


#: The post's weights, as :class:`SweepConfig` and every command default to.
DEFAULT_ALPHAS: tuple[float, ...] = SweepConfig.__dataclass_fields__["alphas"].default
#: The post's class separations, ``linspace(0.05, 3, 15)`` rounded to 2 decimals.
DEFAULT_SEPS: tuple[float, ...] = SweepConfig.__dataclass_fields__["seps"].default
