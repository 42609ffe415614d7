"""The models a sweep fits at every weight: one dataset and a grid of weights in, test counts out.

Each model fits one classifier per weight ``alpha`` (weight 1 on negatives, ``alpha`` on positives,
as ``sample_weight``, or as ``scale_pos_weight`` for XGBoost and LightGBM) and counts its
predictions on the test split. The probabilistic ones (:data:`PROBABILISTIC`) are fitted on the
training split less its validation split (:func:`simulate.data.splits.hold_out_validation`) and
also return the ``alpha = 1`` model's probability of the positive class on the validation split:
what :func:`theory.what_if_scores` needs to predict every other weight.

- ``tree``: a decision tree, fully grown unless ``max_depth`` or ``min_samples_leaf`` say
  otherwise (:data:`simulate.models.tree.ENGINES`), fitted on the whole training split as in the
  post;
- ``logreg``: scikit-learn's ``LogisticRegression()`` (L2 penalty, ``C = 1``) on standardised
  features; the ``numba`` engine solves the whole weight path by warm-started Newton steps
  (:func:`simulate.models.logreg.logistic_path`), the ``sklearn`` engine fits the estimator itself.
  With ``loss="focal"`` the numba engine minimises the focal loss with parameter ``gamma`` in
  place of the cross-entropy (scikit-learn has no focal loss);
- ``hgb``: scikit-learn's ``HistGradientBoostingClassifier`` with :data:`HGB_PARAMS`;
- ``xgboost``, ``lightgbm``: XGBoost's ``XGBClassifier`` and LightGBM's ``LGBMClassifier``
  (:mod:`simulate.models.boosters`, optional), weighted by their own ``scale_pos_weight = alpha``
  rather than by ``sample_weight``;
- ``mlp``: scikit-learn's ``MLPClassifier`` with :data:`MLP_PARAMS` on standardised features;
- ``tree-proba``: the decision tree read by its probabilities (hence the name: ``tree``, scored
  by ``predict_proba`` rather than by its predictions' counts): scikit-learn's
  ``DecisionTreeClassifier`` with the sweep's ``max_depth`` and ``min_samples_leaf`` (``engine``
  is not used). Its score is the share of positives in a row's leaf, weighted (at ``alpha = 1``
  the plain share), and an impure leaf's weighted majority is the bayes rule's threshold on that
  share: a tree weighted ``alpha`` predicts positive in a leaf whose share exceeds
  ``1 / (1 + alpha)``, so while retraining keeps the splits, the weight moves the tree as the
  theory's equivalent threshold says. A fully grown tree's leaves are pure, so its scores are 0
  or 1 (save for rows with equal features and different labels) and no threshold moves it: with
  ``min_samples_leaf = 1`` and no ``max_depth`` the sweep runs, but its predictions have no
  usable scores to read. Limit the leaves (the retraining study grows them to at least 20 and
  100 samples).

The models of :data:`FOCAL_MODELS` take a training loss (:mod:`simulate.models.losses`): the
cross-entropy, or the focal loss with its ``gamma``: ``logreg``'s numba engine minimises it
along its path, and ``mlp`` on the focal loss is :mod:`simulate.models.network`'s network (the
same as scikit-learn's at ``gamma = 0``, up to rounding).

Each worker runs its models on one thread (:func:`threadpoolctl.threadpool_limits`), so workers
do not oversubscribe the cores and the numbers do not depend on the machine's thread count.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray
from sklearn.base import ClassifierMixin, clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.tree import DecisionTreeClassifier

from simulate.data.resample import RESAMPLING, fraction_of_weight, resample
from simulate.data.splits import Dataset
from simulate.models._scaling_kernels import column_moments, standardise
from simulate.models.boosters import WEIGHT_PARAM, booster
from simulate.models.losses import BCE, FOCAL
from simulate.models.tree import ENGINES
from theory.rules import DEFAULT_GAMMA
from theory.scores import confusion_counts

__all__ = [
    "FOCAL_MODELS",
    "HGB_PARAMS",
    "MLP_PARAMS",
    "MODELS",
    "PROBABILISTIC",
    "TREES",
    "Fitted",
    "ModelOptions",
    "fit_model",
]

#: ``HistGradientBoostingClassifier``'s settings, written out: scikit-learn's defaults, except
#: that early stopping is off (scikit-learn turns it on above 10,000 training rows, which would
#: make the model depend on the dataset's size and hold out yet another split).
HGB_PARAMS: dict[str, Any] = {
    "learning_rate": 0.1,
    "max_iter": 100,
    "max_leaf_nodes": 31,
    "max_depth": None,
    "min_samples_leaf": 20,
    "l2_regularization": 0.0,
    "max_bins": 255,
    "early_stopping": False,
}
#: ``MLPClassifier``'s settings: one hidden layer of 16 ReLU units, L2 penalty 1e-4, trained by
#: full-batch L-BFGS for at most 200 iterations. Full-batch training minimises the weighted
#: cross-entropy (plus the penalty) itself, as the theory assumes, and is deterministic given the
#: initial weights (drawn from the model's seed); the iteration cap is reached on most fits and is
#: part of the model (the warning saying so is silenced).
MLP_PARAMS: dict[str, Any] = {
    "hidden_layer_sizes": (16,),
    "activation": "relu",
    "solver": "lbfgs",
    "alpha": 1e-4,
    "max_iter": 200,
}
#: The float64 machine epsilon, in the error bound of a constant feature's variance.
_EPS = float(np.finfo(np.float64).eps)
#: ``LogisticRegression``'s settings: scikit-learn's defaults (L2 penalty, ``C = 1``, lbfgs).
LOGREG_PARAMS: dict[str, Any] = {"C": 1.0}


class ModelOptions(NamedTuple):
    """A model's own settings, as the sweep gives them (see
    :class:`~simulate.config.SweepConfig`); each model reads those it has."""

    engine: str = "numba"
    """The implementation of ``tree`` and ``logreg``: ``"numba"`` or ``"sklearn"``."""
    max_depth: int | None = None
    """The depth limit of the trees (:data:`TREES`; None: grown until pure)."""
    min_samples_leaf: int = 1
    """The least samples per leaf of the trees (:data:`TREES`)."""
    loss: str = BCE
    """The training loss of :data:`FOCAL_MODELS`: ``"bce"`` or ``"focal"``."""
    gamma: float | None = None
    """The focal loss's parameter (None: :data:`theory.rules.DEFAULT_GAMMA`); not used with
    ``"bce"``."""


class Fitted(NamedTuple):
    """What a model returns for one dataset."""

    counts: NDArray[np.int64]
    """Test confusion counts tp, fp, fn, tn, shape ``(len(alphas), 4)``."""
    validation_scores: NDArray[np.float64] | None = None
    """The ``alpha = 1`` model's probability of the positive class on the validation split
    (probabilistic models), else None."""
    test_scores: NDArray[np.float64] | None = None
    """The same model's probability of the positive class on the test split, else None."""
    validation_counts: NDArray[np.int64] | None = None
    """Validation confusion counts of each weight's model, shape ``(len(alphas), 4)``, else
    None."""


def _focal_gamma(options: ModelOptions) -> float:
    """The focal loss's ``gamma`` the options ask for; 0 (the cross-entropy) for ``"bce"``."""
    if options.loss != FOCAL:
        return 0.0
    return DEFAULT_GAMMA if options.gamma is None else options.gamma


def _tree(
    data: Dataset, alphas: NDArray[np.float64], options: ModelOptions, random_state: int
) -> Fitted:
    counts = ENGINES[options.engine](
        data,
        alphas,
        max_depth=options.max_depth,
        min_samples_leaf=options.min_samples_leaf,
        random_state=random_state,
    )
    return Fitted(counts)


def _standardised(data: Dataset) -> Dataset:
    """The splits with features standardised on the fitting part's mean and scale
    (:func:`_mean_and_scale`, scikit-learn's ``StandardScaler``'s to the bit)."""
    mean, scale = _mean_and_scale(data.X_train)
    return data._replace(
        X_train=standardise(data.X_train, mean, scale),
        X_test=standardise(data.X_test, mean, scale),
        X_val=standardise(data.X_val, mean, scale),
    )


def _mean_and_scale(X: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``StandardScaler().fit(X)``'s ``mean_`` and ``scale_`` of finite features, bit for bit.

    The same operations in the same order as scikit-learn's first ``partial_fit``: the mean
    from the column sums, the variance by the corrected two-pass algorithm (the squared
    deviations from the mean, less the square of their sum over the rows), and a scale of 1
    for a column its error bound cannot tell from constant. The sums over the rows are a
    kernel's (:func:`~simulate.models._scaling_kernels.column_moments`, a quarter of numpy's
    time) for C-ordered rows of several columns, which numpy sums row by row too; numpy's
    otherwise (a single column, or columns contiguous in memory, it sums pairwise).
    """
    n = float(X.shape[0])
    if X.shape[1] > 1 and X.flags.c_contiguous:
        total, correction, squares = column_moments(X)
    else:
        total = X.sum(axis=0)
        deviation = X - total / n
        correction = deviation.sum(axis=0)
        deviation **= 2
        squares = deviation.sum(axis=0)
    mean = (0.0 + total) / n
    variance = (squares - correction**2 / n) / n
    constant = variance <= n * _EPS * variance + (n * mean * _EPS) ** 2
    scale = np.sqrt(variance)
    scale[constant] = 1.0
    return mean, scale


def _with_one(
    alphas: NDArray[np.float64],
) -> tuple[NDArray[np.float64], int, NDArray[np.bool_]]:
    """The weights with 1 among them (sorted, distinct), the index of 1, and which of them
    are among ``alphas`` (``np.isin(path, alphas)``: all but a 1 added)."""
    path = np.union1d(alphas, [1.0])
    one = int(np.searchsorted(path, 1.0))
    kept = np.ones(path.size, dtype=bool)
    kept[one] = bool(np.any(alphas == 1.0))
    return path, one, kept


def _estimator_path(
    estimator: ClassifierMixin,
    data: Dataset,
    alphas: NDArray[np.float64],
    weight_param: str | None = None,
) -> Fitted:
    """Fit a clone of ``estimator`` at each weight (and at 1, for the validation scores): weight
    ``alpha`` on the positives as ``sample_weight``, or as the estimator's parameter
    ``weight_param`` when given."""
    path, one, kept = _with_one(alphas)
    positive = data.y_train == 1
    counts = np.empty((len(path), 4), dtype=np.int64)
    validation_counts = np.empty((len(path), 4), dtype=np.int64)
    for i, alpha in enumerate(path.tolist()):
        model = clone(estimator)
        if weight_param is None:
            model.fit(data.X_train, data.y_train, sample_weight=np.where(positive, alpha, 1.0))
        else:
            model.set_params(**{weight_param: alpha}).fit(data.X_train, data.y_train)
        counts[i] = confusion_counts(data.y_test, model.predict(data.X_test))
        validation_counts[i] = confusion_counts(data.y_val, model.predict(data.X_val))
        if i == one:
            validation_scores = model.predict_proba(data.X_val)[:, 1]
            test_scores = model.predict_proba(data.X_test)[:, 1]
    return Fitted(counts[kept], validation_scores, test_scores, validation_counts[kept])


def _logreg(
    data: Dataset, alphas: NDArray[np.float64], options: ModelOptions, random_state: int
) -> Fitted:
    data = _standardised(data)
    gamma = _focal_gamma(options)
    if options.engine == "sklearn":
        if options.loss != BCE:
            raise ValueError(
                f"logreg's sklearn engine has no {options.loss} loss: use engine='numba'."
            )
        return _estimator_path(LogisticRegression(**LOGREG_PARAMS), data, alphas)
    from simulate.models.logreg import logistic_path, predictions

    path, one, kept = _with_one(alphas)
    solution = logistic_path(data.X_train, data.y_train, path, C=LOGREG_PARAMS["C"], gamma=gamma)
    test_labels, test_scores = predictions(data.X_test, solution, one)
    validation_labels, validation_scores = predictions(data.X_val, solution, one)
    return Fitted(
        confusion_counts(data.y_test, test_labels)[kept],
        validation_scores,
        test_scores,
        confusion_counts(data.y_val, validation_labels)[kept],
    )


def _hgb(
    data: Dataset, alphas: NDArray[np.float64], options: ModelOptions, random_state: int
) -> Fitted:
    estimator = HistGradientBoostingClassifier(**HGB_PARAMS, random_state=random_state)
    return _estimator_path(estimator, data, alphas)


def _booster(
    model: str,
    data: Dataset,
    alphas: NDArray[np.float64],
    options: ModelOptions,
    random_state: int,
) -> Fitted:
    """The boosting model ``model`` of :data:`simulate.models.boosters.BOOSTERS`, weighted by
    its ``scale_pos_weight``."""
    return _estimator_path(booster(model, random_state), data, alphas, WEIGHT_PARAM)


def _mlp(
    data: Dataset, alphas: NDArray[np.float64], options: ModelOptions, random_state: int
) -> Fitted:
    if options.loss != BCE:
        return _network(_standardised(data), alphas, _focal_gamma(options), random_state)
    estimator = MLPClassifier(**MLP_PARAMS, random_state=random_state)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return _estimator_path(estimator, _standardised(data), alphas)


def _network(data: Dataset, alphas: NDArray[np.float64], gamma: float, random_state: int) -> Fitted:
    """``mlp`` on the focal loss: :func:`simulate.models.network.network_path`, the network of
    :data:`MLP_PARAMS` re-implemented so that its loss can change (scikit-learn's at
    ``gamma = 0``), each weight fitted from the same initial weights as a clone would be."""
    from simulate.models.network import network_path, network_proba

    path, one, kept = _with_one(alphas)
    networks = network_path(
        data.X_train, data.y_train, path, gamma=gamma, random_state=random_state
    )
    counts = np.empty((len(path), 4), dtype=np.int64)
    validation_counts = np.empty((len(path), 4), dtype=np.int64)
    for i, network in enumerate(networks):
        counts[i] = confusion_counts(data.y_test, network_proba(network, data.X_test) > 0.5)
        validation = network_proba(network, data.X_val)
        validation_counts[i] = confusion_counts(data.y_val, validation > 0.5)
        if i == one:
            validation_scores = validation
            test_scores = network_proba(network, data.X_test)
    return Fitted(counts[kept], validation_scores, test_scores, validation_counts[kept])


def _tree_proba(
    data: Dataset, alphas: NDArray[np.float64], options: ModelOptions, random_state: int
) -> Fitted:
    """The decision tree, fitted on the training split less its validation split and scored by
    ``predict_proba``: see the module's notes."""
    estimator = DecisionTreeClassifier(
        max_depth=options.max_depth,
        min_samples_leaf=options.min_samples_leaf,
        random_state=random_state,
    )
    return _estimator_path(estimator, data, alphas)


#: ``(dataset, alphas, options, random_state) -> Fitted``, by the name ``--model`` takes.
MODELS: dict[str, Callable[[Dataset, NDArray[np.float64], ModelOptions, int], Fitted]] = {
    "tree": _tree,
    "logreg": _logreg,
    "hgb": _hgb,
    "mlp": _mlp,
    "tree-proba": _tree_proba,
    "xgboost": partial(_booster, "xgboost"),
    "lightgbm": partial(_booster, "lightgbm"),
}
#: The models that hold out a validation split and return its scores.
PROBABILISTIC: tuple[str, ...] = ("logreg", "hgb", "mlp", "tree-proba", "xgboost", "lightgbm")
#: The models that take the tree's options ``max_depth`` and ``min_samples_leaf``.
TREES: tuple[str, ...] = ("tree", "tree-proba")
#: The models that take a training loss other than the cross-entropy (``loss``, ``gamma``).
FOCAL_MODELS: tuple[str, ...] = ("logreg", "mlp")


def fit_model(
    data: Dataset,
    alphas: NDArray[np.float64],
    model: str,
    *,
    engine: str = "numba",
    max_depth: int | None = None,
    min_samples_leaf: int = 1,
    loss: str = BCE,
    gamma: float | None = None,
    knob: str = "weight",
    beta: float | None = None,
    random_state: int = 0,
    resample_seed: int = 0,
) -> Fitted:
    """Fit ``model`` (a name of :data:`MODELS`) on ``data`` at every weight of ``alphas`` (see
    the module's notes); not validated here (:class:`~simulate.config.SweepConfig` validates a
    sweep's settings, and :meth:`~simulate.config.SweepConfig.model_settings` gives them).

    ``engine``, ``max_depth``, ``min_samples_leaf``, ``loss`` and ``gamma`` are the model's
    options (:class:`ModelOptions`). With a resampling ``knob`` each weight's model is fitted,
    unweighted, on the training split resampled to the weight's positive fraction at prevalence
    ``beta`` (:func:`simulate.data.resample.resample`, the draws of the ``i``-th weight seeded by
    ``(resample_seed, i)``), and a probabilistic model's validation scores come from a model
    fitted on the training split as it is.
    """
    fit = MODELS[model]
    options = ModelOptions(engine, max_depth, min_samples_leaf, loss, gamma)
    if knob not in RESAMPLING:
        return fit(data, alphas, options, random_state)
    one = np.ones(1)
    fits = [
        fit(data._replace(X_train=X, y_train=y), one, options, random_state)
        for X, y in (
            resample(
                data.X_train,
                data.y_train,
                fraction,
                knob,
                np.random.default_rng([resample_seed, i]),
            )
            for i, fraction in enumerate(fraction_of_weight(beta, alphas).tolist())
        )
    ]
    counts = np.concatenate([fitted.counts for fitted in fits])
    if model not in PROBABILISTIC:
        return Fitted(counts)
    as_it_is = fit(data, one, options, random_state)
    return Fitted(
        counts,
        as_it_is.validation_scores,
        as_it_is.test_scores,
        np.concatenate([fitted.validation_counts for fitted in fits]),
    )
