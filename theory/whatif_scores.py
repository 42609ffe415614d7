"""What a new weight, a resampled training set or a new threshold will do, from a model's scores.

A practitioner has a model trained with weight ``alpha_observed`` and its scores on a validation
set. The scores give the model's whole tradeoff curve (:class:`~theory.empirical.EmpiricalCurve`).
The model sits where ``threshold`` cuts its scores; retraining with weight ``alpha`` moves it along
the curve so that the rule's stationarity quantity scales by ``alpha / alpha_observed``, as
:func:`theory.what_if` does from a single point.

For calibrated probabilities under the bayes rule no curve is needed (``smooth="threshold"``, the
default there): a model whose weight shifts its logit by ``log(alpha)`` (logistic regression;
King and Zeng's prior correction, Elkan's threshold) retrained at ``alpha`` predicts as the
current model does at the threshold ``t'`` with ``odds(t') = odds(t) * alpha_observed / alpha``,
so the prediction is the validation rows' own recall and specificity at ``t'`` (positive where
``score >= t'``: a row whose score equals ``t'`` is positive, and a ``t'`` between two scores
gives the rates of the next score above it). The table's ``threshold`` column is that ``t'``.

For other scores (logits of an uncalibrated model, margins), for the bce and focal rules, or when
asked, a curve is used: the exact hull or a smoother fitted to the ROC. The observed point's
stationarity quantity comes from the threshold's odds (probabilities) or the curve's slope, and
the rule moves along the curve; the predicted rates are then shifted by the difference between
the observed point and the curve's own point at ``alpha_observed``, so that every prediction
passes through the observed model (clipped to [0, 1]).

A model that moves less than its loss says behaves as if its weight were ``alpha**k``:
``movement=k`` scales ``alpha / alpha_observed`` to that power everywhere (1, the theory's
assumption, by default).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from params.validation import (
    MAX_BOOTSTRAP,
    NON_NEGATIVE,
    POSITIVE,
    UNIT_OPEN,
    Interval,
    ParameterError,
    check_array,
    check_float,
    check_int,
    check_option,
)
from theory.empirical import (
    DEFAULT_SMOOTH,
    SMOOTHERS,
    EmpiricalCurve,
    Ranking,
    check_scores,
    rank,
    reported_quantity,
)
from theory.movement import Movement, equivalent_threshold
from theory.rules import BETA_RANGE, Rule, rule_named
from theory.scores import (
    _SCORES,
    LOWER_IS_BETTER,
    ScoreFunction,
    _fbeta,
    best_on_hull,
    check_costs,
    check_fbeta,
    confusion_scores,
    expected_confusion,
    fbeta_name,
    refuse_costs,
    score_function,
)
from theory.whatif import equivalent_weight

__all__ = [
    "AUTO",
    "DEFAULT_METRICS",
    "THRESHOLD_ESTIMATOR",
    "WhatIfArrays",
    "WhatIfRows",
    "WhatIfScores",
    "what_if_scores",
]

Array = NDArray[np.float64]

#: Metrics whose best weight and best threshold are reported unless others are asked for.
DEFAULT_METRICS: tuple[str, ...] = ("f1", "balanced_accuracy")
#: Scores in the table, besides the F-beta scores asked for.
_TABLE_SCORES = ("recall", "specificity", "precision", "f1", "balanced_accuracy", "mcc", "hter")
#: The table's scores a test sample's counts are drawn from (``n_test``).
_SAMPLED = frozenset({"recall", "specificity"})
#: Points of the recall grid searched for a smoothed curve's best point, before refining.
_GRID_POINTS = 2001
#: Tasks the bootstrap's replicates are split into: few, so that the rows travel to each worker
#: a few times only; enough to keep every core busy.
_BATCHES = 16
#: Quantiles of the bootstrap's 95% intervals.
_INTERVAL = (2.5, 97.5)
#: The estimator that reads the rates off the scores at the equivalent threshold.
THRESHOLD_ESTIMATOR = "threshold"
#: ``smooth``'s default: :data:`THRESHOLD_ESTIMATOR` for probabilities under the bayes rule,
#: else the curve :data:`theory.empirical.DEFAULT_SMOOTH`.
AUTO = "auto"


class WhatIfScores(NamedTuple):
    """What :func:`what_if_scores` predicts."""

    table: pd.DataFrame
    """One row per new weight: ``alpha`` (and ``positive_fraction`` when given), the predicted
    scores at the deployment prevalence, and ``threshold``, the threshold on the current model's
    scores that reaches the same operating point without retraining; with a bootstrap, each
    column ``c`` has ``c_low`` and ``c_high``, its 95% interval."""
    best: pd.DataFrame
    """One row per metric: the best weight ``alpha`` (on the exact hull every weight above
    ``alpha_min`` and up to ``alpha_max`` reaches the same vertex, and ``alpha`` is the largest
    of them), the metric there
    (``score_at_alpha``), its equivalent threshold and its gain over the current model
    (``gain_at_alpha``); the best threshold (``threshold``, a scan of every distinct score), the
    metric there and its gain; with a bootstrap, ``_low``/``_high`` intervals of each."""
    observed: pd.Series
    """The current model at ``threshold``: recall, specificity and every score at the
    deployment prevalence."""
    estimator: str
    """How the weights were carried to rates: ``"threshold"``, a smoother's name, or
    ``"hull"`` (``smooth``, with ``"auto"`` resolved)."""


class WhatIfArrays(NamedTuple):
    """What :meth:`WhatIfRows.predict` predicts: :class:`WhatIfScores`'s numbers as arrays."""

    alpha: Array
    """The new weights (from ``positive_fraction`` when it was given)."""
    positive_fraction: Array | None
    """The positive fractions asked for, or None."""
    table: dict[str, Array]
    """Per new weight: the columns asked for, in :attr:`WhatIfScores.table`'s order, then with a
    bootstrap ``c_low`` and ``c_high`` of each column ``c``."""
    best: dict[str, dict[str, float]]
    """Per metric: :attr:`WhatIfScores.best`'s columns (without the intervals)."""
    best_intervals: dict[str, Array]
    """With a bootstrap: ``c_low`` and ``c_high`` of the best weight's and best threshold's
    columns ``c``, one value per metric; else empty."""
    observed: dict[str, float]
    """The current model: its threshold, and the columns asked for at it."""
    estimator: str
    """How the weights were carried to rates (:attr:`WhatIfScores.estimator`)."""


class _Settings(NamedTuple):
    owner: str
    alphas: Array
    fractions: Array | None
    alpha_observed: float
    threshold: float
    beta: float | None
    rule: Rule
    smooth: str | None
    probabilities: bool
    movement: float
    movement_draws: tuple[float, ...]
    test_counts: tuple[int, int] | None
    metrics: tuple[str, ...]
    fbeta: tuple[float, ...]
    costs: dict[str, float]
    columns: frozenset[str] | None
    computed: frozenset[str] | None
    bootstrap: int
    seed: int
    n_jobs: int


def what_if_scores(
    y_true: ArrayLike,
    y_score: ArrayLike,
    alpha: ArrayLike | None = None,
    *,
    beta: float | None = None,
    alpha_observed: float = 1.0,
    threshold: float = 0.5,
    rule: str = "bayes",
    gamma: float | None = None,
    smooth: str | None = AUTO,
    movement: float | Movement = 1.0,
    positive_fraction: ArrayLike | None = None,
    probabilities: bool | None = None,
    pos_label: object = None,
    metrics: Sequence[str] = DEFAULT_METRICS,
    fbeta: float | Iterable[float] = 2.0,
    cost_fn: float | None = None,
    cost_fp: float | None = None,
    bootstrap: int = 0,
    n_test: int | tuple[int, int] | None = None,
    seed: int = 0,
    n_jobs: int = 1,
) -> WhatIfScores:
    """Predict what retraining with new weights (or resampling) does to a model, from its scores.

    Parameters
    ----------
    y_true, y_score : array_like
        The model's validation rows: labels (0/1, booleans, or two values with ``pos_label``)
        and scores (any real numbers; larger means more positive).
    alpha : array_like, optional
        New weights of the positive class, > 0. Give this or ``positive_fraction``.
    beta : float, optional
        Prevalence where the model will be used, in :data:`~theory.rules.BETA_RANGE` ((0, 1)
        from the smallest normal float on); default that of ``y_true``. Recall and
        specificity do not depend on it; precision, F1 and MCC are computed at it.
    alpha_observed : float, default 1.0
        The weight the current model was trained with.
    threshold : float, default 0.5
        The threshold the current model uses (positive where ``score >= threshold``).
    rule : {"bayes", "bce", "focal"}, default "bayes"
        How a weight picks the operating point; ``"bayes"`` because a model one has is, near
        enough, a calibrated model thresholded at its threshold.
    gamma : float, optional
        The focal rule's parameter (default 2); only with ``rule="focal"``.
    smooth : str or None, default "auto"
        How a weight is carried to rates: ``"threshold"``, the validation rows' rates at the
        equivalent threshold (probabilities under the bayes rule only); a curve fitted to the
        ROC (:data:`theory.empirical.SMOOTHERS`); or None for the exact hull. ``"auto"``:
        ``"threshold"`` where it applies, else :data:`theory.empirical.DEFAULT_SMOOTH`. At
        ``alpha = alpha_observed`` every choice returns the observed model (see the module's
        notes).
    movement : float or Movement, default 1.0
        The exponent ``k`` > 0 of a model that moves as if weighted ``alpha**k``; 1 is the
        theory's model. A :class:`~theory.movement.Movement` (:func:`theory.fit_movement`, one
        retrain at a second weight) gives its ``k``, and with a bootstrap each replicate draws
        ``k`` from its bootstrap, so the intervals carry the uncertainty of the measured ``k``.
    positive_fraction : array_like, optional
        Instead of ``alpha``: resample the training set to these positive fractions ``q``,
        which act as ``alpha = alpha_observed * (q / (1 - q)) * ((1 - prior) / prior)`` with
        ``prior`` the prevalence of ``y_true`` (taken as the training set's).
    probabilities : bool, optional
        Whether the scores are calibrated probabilities (of a model trained at the prevalence
        of ``y_true``); then the threshold's odds give the observed point's quantity. Default:
        when every score and the threshold lie in [0, 1].
    pos_label : optional
        The positive label, unless the labels are 0/1 or booleans.
    metrics : sequence of str, default ("f1", "balanced_accuracy")
        Scores whose best weight and best threshold are reported (``"hter"`` and ``"cost"``
        are minimised).
    fbeta : float or iterable of float, default 2.0
        F-beta scores to add to the table.
    cost_fn, cost_fp : float, optional
        With ``"cost"`` among the metrics only: the prices of a false negative and a false
        positive, each > 0 and 1 unless given.
    bootstrap : int, default 0
        Resample the rows this many times, at most :data:`~params.validation.MAX_BOOTSTRAP`
        (100,000), and add 95% intervals: of the expected scores, or with ``n_test``
        predictive intervals of the scores a test sample will show.
    n_test : int or (int, int), optional
        The deployment sample the scores will be counted on: its rows (positives
        ``round(beta * n_test)``, at least one of each class) or its (positives, negatives).
        With a bootstrap, each replicate's rates are drawn as that sample's confusion counts
        (binomial), so the intervals hold the sample's own noise beside the validation rows';
        needs ``bootstrap``.
    seed : int, default 0
        Seeds the bootstrap; the same seed gives the same intervals for any ``n_jobs``.
    n_jobs : int, default 1
        Processes for the bootstrap (joblib; -1 for every core).

    Returns
    -------
    WhatIfScores
        ``.table`` (per weight), ``.best`` (per metric) and ``.observed``.

    Raises
    ------
    ValueError
        Naming the bad argument.
    """
    owner = "what_if_scores"
    positive, scores = check_scores(y_true, y_score, pos_label, owner)
    rows = WhatIfRows._of(positive, scores)
    settings = _settings(
        owner,
        rows,
        alpha,
        beta=beta,
        alpha_observed=alpha_observed,
        threshold=threshold,
        rule=rule,
        gamma=gamma,
        smooth=smooth,
        movement=movement,
        positive_fraction=positive_fraction,
        probabilities=probabilities,
        metrics=metrics,
        fbeta=fbeta,
        cost_fn=cost_fn,
        cost_fp=cost_fp,
        bootstrap=bootstrap,
        n_test=n_test,
        seed=seed,
        n_jobs=n_jobs,
    )
    (predicted,) = rows._predicted([settings])
    if isinstance(predicted, ValueError):
        raise predicted
    return _frames(predicted)


class WhatIfRows:
    """A model's scored validation rows, checked and ranked once, for many what-if predictions.

    :meth:`predict` computes what :func:`what_if_scores` reports, as arrays: what_if_scores is
    one such prediction put in tables. The rows' curves are built once per smoother and shared
    by every prediction. :meth:`predict_all` makes several predictions at once, and they share
    the bootstrap's resamples too (resample ``i`` of a ``seed`` holds the same rows in every
    prediction): each resample and its curves are built once, used by every prediction that
    draws it, and dropped.

    Parameters
    ----------
    y_true, y_score : array_like
        The model's validation rows: labels and scores, as :func:`what_if_scores` takes them.
    pos_label : optional
        The positive label, unless the labels are 0/1 or booleans.

    Raises
    ------
    ValueError
        For rows :func:`what_if_scores` refuses, naming the argument.
    """

    def __init__(self, y_true: ArrayLike, y_score: ArrayLike, *, pos_label: object = None) -> None:
        positive, scores = check_scores(y_true, y_score, pos_label, "WhatIfRows")
        self._start(positive, scores)

    @classmethod
    def _of(cls, positive: NDArray[np.bool_], scores: Array) -> WhatIfRows:
        """The rows of labels and scores already checked (:func:`check_scores`)."""
        rows = cls.__new__(cls)
        rows._start(positive, scores)
        return rows

    def _start(self, positive: NDArray[np.bool_], scores: Array) -> None:
        self.scores = scores
        self.ranking = rank(positive, scores)
        self.prior = float(positive.mean())
        self.in_unit = bool(np.all((scores >= 0) & (scores <= 1)))
        self._curves = _Curves(self.ranking, None)

    def predict(
        self, alpha: ArrayLike | None = None, *, columns: Sequence[str] | None = None, **options
    ) -> WhatIfArrays:
        """What :func:`what_if_scores` predicts from these rows, as arrays.

        Parameters
        ----------
        alpha : array_like, optional
            The new weights, as :func:`what_if_scores`'s (or ``positive_fraction`` instead).
        columns : sequence of str, optional
            The table's columns to compute: of its scores (``"recall"``, ``"specificity"``,
            ``"precision"``, ``"f1"``, the F-beta scores of ``fbeta``, ``"balanced_accuracy"``,
            ``"mcc"``, ``"hter"``) and ``"threshold"``; the observed point's are its scores
            among them. Default: every one. A column's numbers do not depend on the others
            asked for.
        **options
            :func:`what_if_scores`'s keyword arguments but ``pos_label``.

        Returns
        -------
        WhatIfArrays

        Raises
        ------
        ValueError
            Naming the bad argument, as :func:`what_if_scores` does.
        """
        settings = _settings("WhatIfRows.predict", self, alpha, columns=columns, **options)
        (predicted,) = self._predicted([settings])
        if isinstance(predicted, ValueError):
            raise predicted
        return predicted

    def predict_all(self, requests: Sequence[Mapping[str, Any]]) -> list[WhatIfArrays | ValueError]:
        """Several predictions at once, sharing the bootstrap's resamples.

        Parameters
        ----------
        requests : sequence of mapping
            Each prediction's keyword arguments, as :meth:`predict` takes them (``alpha`` or
            ``positive_fraction``, ``columns``, and :func:`what_if_scores`'s options).

        Returns
        -------
        list of WhatIfArrays or ValueError
            Each prediction, in order, the same as :meth:`predict` makes it alone; or the error
            :meth:`predict` would raise for it (a bad argument, a threshold at an end of the
            curve), so that one refused prediction does not stop the others.
        """
        checked: list[_Settings | ValueError] = []
        for request in requests:
            try:
                checked.append(_settings("WhatIfRows.predict_all", self, **request))
            except ValueError as error:
                checked.append(error)
        return self._predicted(checked)

    def _predicted(
        self, checked: Sequence[_Settings | ValueError]
    ) -> list[WhatIfArrays | ValueError]:
        """The predictions of checked settings (errors passed through): each estimate, then the
        bootstrap's replicates, resample by resample for the predictions on one thread."""
        results: list[WhatIfArrays | ValueError | None] = list(checked)
        estimates = {}
        for j, settings in enumerate(checked):
            if isinstance(settings, ValueError):
                continue
            estimates[j] = _replicate(self._curves, settings)
            if estimates[j] is None:
                results[j] = ParameterError(
                    "threshold",
                    settings.owner,
                    "a threshold inside the curve (not at either end)",
                    settings.threshold,
                )
        made = [j for j, estimate in estimates.items() if estimate is not None]
        replicates: dict[int, list[dict[str, Any] | None]] = {j: [] for j in made}
        shared: dict[int, list[int]] = {}  # by seed, the predictions that share its resamples
        for j in made:
            settings = checked[j]
            if settings.bootstrap and settings.n_jobs == 1:
                shared.setdefault(settings.seed, []).append(j)
            elif settings.bootstrap:
                replicates[j] = _in_processes(self.ranking, settings)
        for seed, members in shared.items():
            count = max(checked[j].bootstrap for j in members)
            for i, child in enumerate(np.random.SeedSequence(seed).spawn(count)):
                resample = _resample(self.ranking, child)
                for j in members:
                    if i < checked[j].bootstrap:
                        replicates[j].append(_replicate_resample(resample, checked[j]))
        for j in made:
            results[j] = _arrays(estimates[j], replicates[j], checked[j])
        return results


def _in_processes(ranking: Ranking, settings: _Settings) -> list[dict[str, Any] | None]:
    """The bootstrap's replicates on ``settings.n_jobs`` processes (joblib), in order."""
    from joblib import Parallel, delayed  # processes, only for a bootstrap

    children = np.random.SeedSequence(settings.seed).spawn(settings.bootstrap)
    batches = np.array_split(np.arange(len(children)), min(len(children), _BATCHES))
    results = Parallel(n_jobs=settings.n_jobs)(
        delayed(_resampled_batch)(ranking, [children[i] for i in batch], settings)
        for batch in batches
    )
    return [replicate for batch in results for replicate in batch]


def _settings(
    owner: str,
    rows: WhatIfRows,
    alpha: ArrayLike | None = None,
    *,
    beta: float | None = None,
    alpha_observed: float = 1.0,
    threshold: float = 0.5,
    rule: str = "bayes",
    gamma: float | None = None,
    smooth: str | None = AUTO,
    movement: float | Movement = 1.0,
    positive_fraction: ArrayLike | None = None,
    probabilities: bool | None = None,
    metrics: Sequence[str] = DEFAULT_METRICS,
    fbeta: float | Iterable[float] = 2.0,
    cost_fn: float | None = None,
    cost_fp: float | None = None,
    bootstrap: int = 0,
    n_test: int | tuple[int, int] | None = None,
    seed: int = 0,
    n_jobs: int = 1,
    columns: Sequence[str] | None = None,
) -> _Settings:
    """:func:`what_if_scores`'s arguments checked, for ``owner``'s messages, on checked rows."""
    threshold = check_float(threshold, "threshold", owner, Interval(-np.inf, np.inf))
    alpha_observed = check_float(alpha_observed, "alpha_observed", owner, POSITIVE)
    if (alpha is None) == (positive_fraction is None):
        raise ParameterError(
            "alpha", owner, "given, or positive_fraction instead (exactly one of them)", alpha
        )
    fractions = None
    if alpha is None:
        fractions = _grid(positive_fraction, "positive_fraction", owner, UNIT_OPEN)
        alphas = alpha_observed * equivalent_weight(rows.prior, fractions)
    else:
        alphas = _grid(alpha, "alpha", owner, POSITIVE)
    if beta is not None:
        beta = check_float(beta, "beta", owner, BETA_RANGE)
    chosen = rule_named(rule, owner, gamma=gamma)
    if smooth is not None:
        check_option(smooth, "smooth", owner, (AUTO, THRESHOLD_ESTIMATOR, *SMOOTHERS))
    movement_draws: tuple[float, ...] = ()
    if isinstance(movement, Movement):
        movement, movement_draws = movement.k, movement.draws
    movement = check_float(movement, "movement", owner, POSITIVE)
    if movement_draws:
        check_array(movement_draws, "movement", owner, POSITIVE)
    metrics = tuple(metrics)
    costs = {}
    if "cost" in metrics:
        costs = dict(zip(("cost_fn", "cost_fp"), check_costs(cost_fn, cost_fp, owner), strict=True))
    else:
        refuse_costs(cost_fn, cost_fp, owner, "'cost' is among the metrics")
    for metric in metrics:
        score_function(metric, owner, **(costs if metric == "cost" else {}))
    in_unit = rows.in_unit and 0 < threshold < 1
    if probabilities is None:
        probabilities = in_unit
    elif probabilities and not in_unit:
        raise ParameterError(
            "probabilities", owner, "False unless every score and the threshold lie in [0, 1]", True
        )
    smooth = _estimator(smooth, probabilities, chosen, owner)
    bootstrap = check_int(bootstrap, "bootstrap", owner, Interval(0, MAX_BOOTSTRAP, "both"))
    seed = check_int(seed, "seed", owner, NON_NEGATIVE)
    test_counts = _test_counts(n_test, beta if beta is not None else rows.prior, bootstrap, owner)
    fbetas = tuple(float(b) for b in check_fbeta(fbeta, owner))
    computed = None
    if columns is not None:
        allowed = (*_score_functions(fbetas), "threshold")
        for column in columns:
            check_option(column, "columns", owner, allowed)
        columns = frozenset(columns)
        # a test sample's counts are drawn from each replicate's recall and specificity
        computed = columns | (_SAMPLED if test_counts is not None else frozenset())
    predicted = np.count_nonzero(rows.scores >= threshold)
    if not probabilities and predicted in (0, rows.scores.size):
        raise ParameterError(
            "threshold",
            owner,
            "a threshold at which the model predicts some rows positive and some negative",
            threshold,
        )
    return _Settings(
        owner=owner,
        alphas=alphas,
        fractions=fractions,
        alpha_observed=alpha_observed,
        threshold=threshold,
        beta=beta,
        rule=chosen,
        smooth=smooth,
        probabilities=probabilities,
        movement=movement,
        movement_draws=tuple(float(k) for k in movement_draws),
        test_counts=test_counts,
        metrics=metrics,
        fbeta=fbetas,
        costs=costs,
        columns=columns,
        computed=computed,
        bootstrap=bootstrap,
        seed=seed,
        n_jobs=n_jobs,
    )


def _estimator(smooth: str | None, probabilities: bool, rule: Rule, owner: str) -> str | None:
    """``smooth`` with :data:`AUTO` resolved; :data:`THRESHOLD_ESTIMATOR` only where it holds."""
    applies = probabilities and rule.name == "bayes"
    if smooth == AUTO:
        return THRESHOLD_ESTIMATOR if applies else DEFAULT_SMOOTH
    if smooth == THRESHOLD_ESTIMATOR and not applies:
        allowed = (
            "a curve (or None) unless the scores are probabilities (probabilities=True) and "
            "rule='bayes', where the equivalent threshold is the theory's own prediction"
        )
        raise ParameterError("smooth", owner, allowed, smooth)
    return smooth


def _test_counts(
    n_test: int | tuple[int, int] | None, beta: float, bootstrap: int, owner: str
) -> tuple[int, int] | None:
    """The deployment sample's (positives, negatives), or None."""
    if n_test is None:
        return None
    allowed = "rows >= 2, or (positives, negatives) each >= 1, with bootstrap > 0"
    try:
        counts = np.atleast_1d(np.asarray(n_test))
        whole = counts.dtype.kind in "iu" or bool(np.all(counts == np.round(counts)))
    except (TypeError, ValueError):
        raise ParameterError("n_test", owner, allowed, n_test) from None
    if not whole or counts.size not in (1, 2) or not bootstrap:
        raise ParameterError("n_test", owner, allowed, n_test)
    if counts.size == 1:
        rows = int(counts[0])
        if rows < 2:
            raise ParameterError("n_test", owner, allowed, n_test)
        positives = min(max(round(beta * rows), 1), rows - 1)
        return positives, rows - positives
    positives, negatives = (int(c) for c in counts)
    if positives < 1 or negatives < 1:
        raise ParameterError("n_test", owner, allowed, n_test)
    return positives, negatives


def _grid(values: ArrayLike, name: str, owner: str, interval: Interval) -> Array:
    array = np.ravel(check_array(values, name, owner, interval))
    if array.size == 0:
        raise ParameterError(name, owner, f"at least one value in the range {interval}", values)
    return array


class _Curves:
    """The curves of one set of rows (ranked, optionally weighted): each smoother's built on
    first use, then kept."""

    def __init__(self, ranking: Ranking, weights: Array | None) -> None:
        self.ranking = ranking
        self.weights = weights
        self._built: dict[str | None, EmpiricalCurve] = {}

    def __call__(self, smooth: str | None) -> EmpiricalCurve:
        """The curve of smoother ``smooth`` (None: the exact hull)."""
        if smooth not in self._built:
            self._built[smooth] = EmpiricalCurve.from_ranking(
                self.ranking, smooth=smooth, weights=self.weights
            )
        return self._built[smooth]


class _Resample(NamedTuple):
    """One bootstrap resample: its curves, and its random stream after the rows were drawn."""

    curves: _Curves
    rng: np.random.Generator


def _resample(ranking: Ranking, seed: np.random.SeedSequence) -> _Resample | None:
    """One bootstrap resample, or None if it lost a class.

    Rows are drawn with replacement as counts per row; the counts are laid out in the
    ranking's order directly, which draws from the same rows with the same law.
    """
    rng = np.random.default_rng(seed)
    n = ranking.order.size
    weights = np.bincount(rng.integers(0, n, size=n), minlength=n).astype(np.float64)
    kept = weights[ranking.positive].sum()
    if kept == 0 or kept == n:
        return None
    return _Resample(_Curves(ranking, weights), rng)


def _resampled_batch(
    ranking: Ranking, seeds: list[np.random.SeedSequence], settings: _Settings
) -> list[dict[str, Any] | None]:
    """Bootstrap replicates of one batch, in order (one task: the rows are sent once)."""
    return [_replicate_resample(_resample(ranking, seed), settings) for seed in seeds]


def _replicate_resample(resample: _Resample | None, settings: _Settings) -> dict[str, Any] | None:
    """One bootstrap replicate, or None if the resample lost a class or its observed point.

    With a measured movement's draws, its ``k`` is drawn from the resample's stream (a copy,
    so that every prediction from the resample draws the same ``k`` as alone).
    """
    if resample is None:
        return None
    if settings.movement_draws:  # the measured k's own uncertainty
        draw = copy.deepcopy(resample.rng).choice(settings.movement_draws)
        settings = settings._replace(movement=float(draw))
    return _replicate(resample.curves, settings)


def _replicate(curves: _Curves, settings: _Settings) -> dict[str, Any] | None:
    """Every prediction from one (possibly reweighted) set of rows; None where the observed
    point has no usable quantity (it sits at an end of the curve)."""
    thresholded = settings.smooth == THRESHOLD_ESTIMATOR
    curve = curves(None if thresholded else settings.smooth)
    beta = curve.prevalence if settings.beta is None else settings.beta
    x_observed, z_observed = curve.rates_at(settings.threshold)
    observed = _scores(x_observed, z_observed, beta, settings)
    if thresholded:
        return _thresholded(curve, beta, observed, settings)
    ratio = (settings.alphas / settings.alpha_observed) ** settings.movement
    rule = settings.rule
    quantity = _observed_quantity(curve, x_observed, z_observed, settings)
    if not (np.isfinite(quantity) and quantity > 0):
        return None
    # The curve's points at every weight and, last, at alpha_observed, in one call.
    x_curve, z_curve = rule.point(curve, quantity * np.append(ratio, 1.0))
    x = np.clip(x_curve[:-1] - x_curve[-1] + x_observed, 0.0, 1.0)
    z = np.clip(z_curve[:-1] - z_curve[-1] + z_observed, 0.0, 1.0)
    table = _scores(x, z, beta, settings)
    if _wanted("threshold", settings):
        table["threshold"] = curve.threshold_at(x)
    best = {}
    for metric in settings.metrics:
        sign = -1.0 if metric in LOWER_IS_BETTER else 1.0
        score = score_function(
            metric, "what_if_scores", **(settings.costs if metric == "cost" else {})
        )

        def value(x_: Array, z_: Array, score=score, sign=sign) -> Array:
            return sign * score(*expected_confusion(x_, z_, beta))

        x_best, low, high = _best_point(curve, rule, value)

        def weight(q: float) -> float:  # the weight that moves the quantity to q
            with np.errstate(over="ignore"):  # beyond float64 for a model that barely moves
                return float(
                    settings.alpha_observed * np.float64(q / quantity) ** (1.0 / settings.movement)
                )

        scanned = curve.hull if best_on_hull(metric) else curve.roc
        roc_values = value(scanned.recall, scanned.specificity)
        at = int(np.argmax(roc_values))
        at_alpha = float(value(x_best, curve.specificity(x_best)))
        current = float(value(x_observed, z_observed))
        best[metric] = {
            "alpha": weight(float(reported_quantity(low, high))),
            "alpha_min": weight(low),
            "alpha_max": weight(high),
            "score_at_alpha": sign * at_alpha,
            "gain_at_alpha": sign * (at_alpha - current),
            "threshold_at_alpha": float(curve.threshold_at(x_best)),
            "threshold": float(scanned.threshold[at]),
            "score_at_threshold": sign * float(roc_values[at]),
            "gain_at_threshold": sign * (float(roc_values[at]) - current),
        }
    return {"table": table, "observed": observed, "best": best}


def _thresholded(
    curve: EmpiricalCurve,
    beta: float,
    observed: dict[str, Array],
    settings: _Settings,
) -> dict[str, Any]:
    """Every prediction of the equivalent threshold: the rows' rates at ``t'``
    (:func:`~theory.movement.equivalent_threshold`), and per metric the best ROC point, whose
    weight is the one whose ``t'`` is that point's threshold."""
    t = settings.threshold
    shifted = equivalent_threshold(t, settings.alphas, settings.alpha_observed, settings.movement)
    x, z = curve.rates_at(shifted)
    table = _scores(x, z, beta, settings)
    if _wanted("threshold", settings):
        table["threshold"] = shifted
    best = {}
    if not settings.metrics:
        return {"table": table, "observed": observed, "best": best}
    roc = curve.roc
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # The weight whose equivalent threshold is each ROC point's (highest) threshold; a
        # model that barely moves (a small movement) needs weights beyond float64: inf.
        odds = roc.threshold / (1.0 - roc.threshold)
        weights = settings.alpha_observed * ((t / (1.0 - t)) / odds) ** (1.0 / settings.movement)
    weights = np.where(np.isnan(weights), np.inf, weights)
    for metric in settings.metrics:
        sign = -1.0 if metric in LOWER_IS_BETTER else 1.0
        score = score_function(
            metric, "what_if_scores", **(settings.costs if metric == "cost" else {})
        )
        values = sign * score(*expected_confusion(roc.recall, roc.specificity, beta))
        at = int(np.argmax(values))
        current = sign * float(score(*expected_confusion(*curve.rates_at(t), beta)))
        above = weights[at + 1] if at + 1 < weights.size else np.inf
        best[metric] = {
            "alpha": float(weights[at]),
            "alpha_min": float(weights[at]),
            "alpha_max": float(above),
            "score_at_alpha": sign * float(values[at]),
            "gain_at_alpha": sign * (float(values[at]) - current),
            "threshold_at_alpha": float(roc.threshold[at]),
            "threshold": float(roc.threshold[at]),
            "score_at_threshold": sign * float(values[at]),
            "gain_at_threshold": sign * (float(values[at]) - current),
        }
    return {"table": table, "observed": observed, "best": best}


def _observed_quantity(
    curve: EmpiricalCurve, x_observed: Array, z_observed: Array, settings: _Settings
) -> float:
    """The rule's stationarity quantity at the current model's point."""
    if not settings.probabilities:
        return float(settings.rule.quantity_at(curve, x_observed))
    t = settings.threshold
    prior = curve.prevalence
    steepness = ((1.0 - t) / t) * (prior / (1.0 - prior))
    with np.errstate(divide="ignore", invalid="ignore"):  # an end of the curve: not finite
        quantity = settings.rule.from_steepness(
            np.float64(steepness), np.float64(x_observed), np.float64(z_observed)
        )
    return float(quantity)


@cache
def _score_functions(fbeta: tuple[float, ...]) -> dict[str, ScoreFunction]:
    """The table's scores, in its order: :data:`_TABLE_SCORES` with the F-beta scores of
    ``fbeta`` after F1 (the definitions :func:`~theory.scores.confusion_scores` uses)."""
    fbetas = {fbeta_name(b): _fbeta(b) for b in fbeta}
    return {
        **{name: _SCORES[name] for name in _TABLE_SCORES[:4]},
        **fbetas,
        **{name: _SCORES[name] for name in _TABLE_SCORES[4:]},
    }


def _wanted(column: str, settings: _Settings) -> bool:
    """Whether ``column`` is computed."""
    return settings.computed is None or column in settings.computed


def _asked(column: str, settings: _Settings) -> bool:
    """Whether the prediction reports ``column``."""
    return settings.columns is None or column in settings.columns


def _scores(x: ArrayLike, z: ArrayLike, beta: float, settings: _Settings) -> dict[str, Array]:
    """The table's scores asked for at rates ``x``, ``z`` and prevalence ``beta``."""
    counts = expected_confusion(x, z, beta)
    return _scores_of(counts, settings.fbeta, settings.computed)


def _scores_of(
    counts: Sequence[ArrayLike], fbeta: tuple[float, ...], columns: frozenset[str] | None
) -> dict[str, Array]:
    """The table's scores asked for (``columns``; None: all) from confusion rates or counts,
    as :func:`~theory.scores.confusion_scores` computes them (and refuses them: a negative or
    non-finite count raises its error)."""
    counts = np.broadcast_arrays(*(np.asarray(c, dtype=np.float64) for c in counts))
    every = np.concatenate([c.ravel() for c in counts])
    if every.size and not 0.0 <= every.min() <= every.max() < np.inf:  # NaN fails too
        confusion_scores(*counts, fbeta=fbeta)
    return {
        name: function(*counts)
        for name, function in _score_functions(fbeta).items()
        if columns is None or name in columns
    }


def _best_point(curve: EmpiricalCurve, rule: Rule, value) -> tuple[Array, float, float]:
    """The reachable point that maximises ``value(x, z)``, and the interval of quantities
    that reach it (one quantity on a smoothed curve)."""
    if curve.fitted is None:
        candidates, boundaries = curve.candidates(rule)
        x = curve.hull.recall[candidates]
        j = int(np.argmax(value(x, curve.hull.specificity[candidates])))
        low = boundaries[j - 1] if j > 0 else 0.0
        high = boundaries[j] if j < boundaries.size else np.inf
        return x[j], float(low), float(high)
    grid = np.linspace(0.0, 1.0, _GRID_POINTS)[1:-1]
    values = value(grid, curve.specificity(grid))
    j = int(np.argmax(values))
    result = optimize.minimize_scalar(
        lambda x_: -float(value(x_, curve.specificity(x_))),
        bounds=(grid[max(j - 1, 0)], grid[min(j + 1, grid.size - 1)]),
        method="bounded",
        options={"xatol": 1e-12},
    )
    x_best = result.x if -result.fun >= values[j] else grid[j]
    q = float(rule.quantity_at(curve, x_best))
    return np.asarray(x_best), q, q


def _interval(draws: ArrayLike) -> Array:
    """The 95% interval of the draws along the first axis. Where an end falls between two
    infinite draws (an unbounded weight, a threshold above every score), it is that infinity,
    not the NaN interpolating between them gives."""
    draws = np.asarray(draws, np.float64)
    with np.errstate(invalid="ignore"):
        bounds = np.percentile(draws, _INTERVAL, axis=0)
    nearest = np.percentile(draws, _INTERVAL, axis=0, method="nearest")
    return np.where(np.isnan(bounds) & ~np.isnan(nearest), nearest, bounds)


def _sampled(
    replicates: list[dict[str, Any]],
    test_counts: tuple[int, int],
    fbeta: tuple[float, ...],
    seed: int,
) -> dict[str, list[Array]]:
    """Each replicate's scores as a test sample of ``test_counts`` (positives, negatives) shows
    them: true positives drawn Binomial(positives, recall), true negatives Binomial(negatives,
    specificity), from their own stream of ``seed``."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1,)))
    positives, negatives = test_counts
    sampled: dict[str, list[Array]] = {}
    for replicate in replicates:
        tp = rng.binomial(positives, np.clip(replicate["table"]["recall"], 0.0, 1.0))
        tn = rng.binomial(negatives, np.clip(replicate["table"]["specificity"], 0.0, 1.0))
        counts = (tp, negatives - tn, positives - tp, tn)
        every = _scores_of(counts, fbeta, frozenset(replicate["table"]))
        for name in replicate["table"]:
            if name in every:
                sampled.setdefault(name, []).append(np.asarray(every[name], np.float64))
    return sampled


def _arrays(
    estimate: dict[str, Any], replicates: list[dict[str, Any] | None], settings: _Settings
) -> WhatIfArrays:
    """The estimate and, from the bootstrap's replicates, the intervals of its columns (those
    asked for)."""
    table = {name: values for name, values in estimate["table"].items() if _asked(name, settings)}
    best_intervals = {}
    kept = [r for r in replicates if r is not None]
    if kept:
        draws = {name: [r["table"][name] for r in kept] for name in table}
        if settings.test_counts is not None:
            draws |= _sampled(kept, settings.test_counts, settings.fbeta, settings.seed)
        for name in list(table):
            table[f"{name}_low"], table[f"{name}_high"] = _interval(draws[name])
        for column in ("alpha", "score_at_alpha", "threshold", "score_at_threshold"):
            best_draws = [[r["best"][m][column] for m in settings.metrics] for r in kept]
            low, high = _interval(best_draws)
            best_intervals[f"{column}_low"], best_intervals[f"{column}_high"] = low, high
    observed = {
        "threshold": settings.threshold,
        **{k: float(v) for k, v in estimate["observed"].items() if _asked(k, settings)},
    }
    return WhatIfArrays(
        alpha=settings.alphas,
        positive_fraction=settings.fractions,
        table=table,
        best=estimate["best"],
        best_intervals=best_intervals,
        observed=observed,
        estimator=settings.smooth or "hull",
    )


def _frames(arrays: WhatIfArrays) -> WhatIfScores:
    """The prediction's arrays put in :class:`WhatIfScores`'s tables."""
    columns = {"alpha": arrays.alpha}
    if arrays.positive_fraction is not None:
        columns["positive_fraction"] = arrays.positive_fraction
    table = pd.DataFrame({**columns, **arrays.table})
    best = pd.DataFrame.from_dict(arrays.best, orient="index")
    best.index.name = "metric"
    for name, values in arrays.best_intervals.items():
        best[name] = values
    observed = pd.Series(arrays.observed)
    return WhatIfScores(table=table, best=best, observed=observed, estimator=arrays.estimator)
