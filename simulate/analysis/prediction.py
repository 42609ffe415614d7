"""The theory's prediction, per dataset, of what every weight does to a probabilistic model.

From the ``alpha = 1`` model's probabilities on the validation split, a *predictor* predicts the
recall, specificity and F1 the model retrained at each weight will have. The sweep stores each
predictor's values beside the real fits (columns :func:`predicted_columns`), and
:func:`simulate.analysis.summary.prediction_error` measures how far apart they are.

The predictors (:data:`PREDICTORS`, chosen by :attr:`simulate.config.SweepConfig.predictors`),
each anchored at the ``alpha = 1`` model (its prediction for weight 1 is that model):

- ``threshold``: the theory's own estimator for a calibrated model, the validation rows' rates
  at the threshold whose odds are 0.5's divided by the weight (``smooth="threshold"``);
- ``threshold-k``: the same for a model that moves as if weighted ``alpha**k``, with ``k``
  measured from the model retrained at :func:`calibration_weight` (the share of validation rows
  it predicts positive, :func:`theory.movement.movement_at_count`); its prediction at that
  weight is in-sample;
- ``bce``, ``bayes``: that rule on the equal-variance binormal fitted to the validation ROC, the
  observed point's stationarity quantity read off the threshold's odds;
- ``hull``, ``superellipse``, ``asymmetric``: the bayes rule from the threshold's odds on the
  exact ROC hull or on that fitted family;
- ``hull-slope``, ``binormal-slope``, ``superellipse-slope``, ``asymmetric-slope``: the bayes
  rule from the curve's slope at the observed point instead of the threshold's odds;
- ``no-change``: the ``alpha = 1`` model's own validation recall and specificity at every
  weight (F1 at the prevalence predicted for): what predicting that nothing changes knows.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

import theory
from theory.movement import movement_at_count
from theory.whatif_scores import WhatIfRows

__all__ = [
    "CALIBRATION_ALPHA",
    "DEFAULT_PREDICTORS",
    "NO_CHANGE",
    "PREDICTED_SCORES",
    "PREDICTORS",
    "UNCHANGED",
    "Predictor",
    "calibration_weight",
    "measured_movement",
    "predict_weights",
    "predicted_columns",
]

#: The scores predicted.
PREDICTED_SCORES: tuple[str, ...] = ("recall", "specificity", "f1")
#: The threshold the models use, on their probability of the positive class.
THRESHOLD = 0.5
#: The name of the predictor that predicts no change.
NO_CHANGE = "no-change"
#: The name of the baseline that knows the ``alpha = 1`` model's test values (what no
#: practitioner knows before deploying): its error is how far retraining moves the model
#: (:func:`simulate.analysis.summary.with_unchanged`).
UNCHANGED = "unchanged"


class Predictor(NamedTuple):
    """How :func:`theory.what_if_scores` is asked (None: its default)."""

    rule: str
    """``"bayes"`` or ``"bce"``."""
    smooth: str | None = theory.empirical.DEFAULT_SMOOTH
    """The curve: a smoother of :data:`theory.empirical.SMOOTHERS`, None for the hull, or
    ``"threshold"`` for none."""
    probabilities: bool | None = None
    """True: the observed point's quantity from the threshold's odds; False: from the curve's
    slope; None: what_if_scores decides (odds for scores in [0, 1])."""
    measured: bool = False
    """Whether ``k`` is measured from the retrain at :func:`calibration_weight`."""


#: Each predictor by name; :data:`NO_CHANGE` is computed from the validation point directly.
PREDICTORS: dict[str, Predictor | None] = {
    "threshold": Predictor("bayes", "threshold", True),
    "threshold-k": Predictor("bayes", "threshold", True, measured=True),
    "bce": Predictor("bce"),
    "bayes": Predictor("bayes"),
    "hull": Predictor("bayes", None, True),
    "superellipse": Predictor("bayes", "superellipse", True),
    "asymmetric": Predictor("bayes", "asymmetric", True),
    "hull-slope": Predictor("bayes", None, False),
    "binormal-slope": Predictor("bayes", "binormal", False),
    "superellipse-slope": Predictor("bayes", "superellipse", False),
    "asymmetric-slope": Predictor("bayes", "asymmetric", False),
    NO_CHANGE: None,
}
#: The weight whose retrain measures ``k`` for a ``measured`` predictor: the grid's weight
#: nearest to it on a log scale, other than 1.
CALIBRATION_ALPHA = 5.0
#: Smallest ``k`` predicted with: a model that did not move, or moved the other way, is
#: predicted not to move (as near as the theory's rules allow).
MIN_MOVEMENT = 1e-6
#: The predictors a sweep stores unless told otherwise.
DEFAULT_PREDICTORS: tuple[str, ...] = ("bce", "bayes")


def calibration_weight(alphas: NDArray[np.float64]) -> int | None:
    """Index of the weight whose retrain measures ``k``: of ``alphas`` other than 1, the one
    nearest :data:`CALIBRATION_ALPHA` on a log scale; None if there is none."""
    alphas = np.asarray(alphas, np.float64)
    others = np.flatnonzero(alphas != 1.0)
    if others.size == 0:
        return None
    distance = np.abs(np.log(alphas[others] / CALIBRATION_ALPHA))
    return int(others[np.argmin(distance)])


def measured_movement(
    validation_scores: NDArray[np.float64],
    alphas: NDArray[np.float64],
    validation_counts: NDArray[np.int64],
) -> float:
    """The movement exponent ``k`` one split's retrain measures: how many validation rows the
    model retrained at :func:`calibration_weight` predicts positive (tp + fp of its
    ``validation_counts`` row), read as a threshold on the ``alpha = 1`` model's
    ``validation_scores`` (:func:`theory.movement.movement_at_count`); NaN without a weight
    other than 1."""
    index = calibration_weight(alphas)
    if index is None:
        return float("nan")
    tp, fp, _, _ = validation_counts[index]
    return movement_at_count(validation_scores, int(tp + fp), alpha=float(alphas[index])).k


def predicted_columns(predictors: tuple[str, ...], *, intervals: bool = False) -> list[str]:
    """Names of the prediction columns, in the order of :func:`predict_weights`'s axes:
    ``predicted_<score>_<predictor>`` for each predictor, then each score; with ``intervals``,
    each followed by its ``_low`` and ``_high`` bounds."""
    names = [f"predicted_{score}_{name}" for name in predictors for score in PREDICTED_SCORES]
    if not intervals:
        return names
    return [f"{name}{end}" for name in names for end in ("", "_low", "_high")]


def predict_weights(
    y_val: NDArray[np.int64],
    validation_scores: NDArray[np.float64],
    alphas: NDArray[np.float64],
    beta: float,
    *,
    predictors: tuple[str, ...] = DEFAULT_PREDICTORS,
    fractions: NDArray[np.float64] | None = None,
    bootstrap: int = 0,
    n_test: tuple[int, int] | None = None,
    movement: float = float("nan"),
    seed: int = 0,
) -> NDArray[np.float64]:
    """Predict recall, specificity and F1 at each weight with each predictor.

    Each predictor's numbers are :func:`theory.what_if_scores`'s (its table's columns, its
    observed point for :data:`NO_CHANGE`), computed from the validation rows checked and ranked
    once (:class:`theory.whatif_scores.WhatIfRows`), all predictors at once: they share the
    rows' curves and the bootstrap's resamples.

    Parameters
    ----------
    y_val : ndarray
        Labels of the validation split (0/1).
    validation_scores : ndarray
        The ``alpha = 1`` model's probability of the positive class on it (threshold 0.5).
    alphas : ndarray
        The weights to predict.
    beta : float
        Prevalence F1 is computed at (the test split's).
    predictors : tuple of str, default :data:`DEFAULT_PREDICTORS`
        Names of :data:`PREDICTORS`.
    fractions : ndarray, optional
        For a resampled training split: the positive fraction behind each weight, predicted as
        resampling (``what_if_scores(positive_fraction=...)``, which reads the weight off the
        validation split's prevalence) rather than as the weight.
    bootstrap : int, default 0
        Resamples of the validation rows behind each prediction's 95% interval; 0 for none.
    n_test : (int, int), optional
        The test split's positives and negatives: with a bootstrap, the intervals are
        predictive, holding that split's own noise too (``what_if_scores(n_test=...)``).
    movement : float, optional
        The movement exponent ``k`` measured from a retrain (:func:`measured_movement`): what a
        ``measured`` predictor predicts with, at least :data:`MIN_MOVEMENT` (NaN predictions
        without it).
    seed : int, default 0
        Seeds the bootstrap.

    Returns
    -------
    ndarray, shape (len(predictors), len(alphas), len(PREDICTED_SCORES), 3 if bootstrap else 1)
        The prediction (and, with ``bootstrap``, its interval's low and high ends) in the last
        axis. NaN for a predictor that cannot place the ``alpha = 1`` model on the validation
        curve: the bce rule reads the observed point's elasticity and a slope predictor its
        slope, neither of which exists where the model predicts no validation row positive (or
        every one).
    """
    ends = 3 if bootstrap else 1
    predicted = np.full((len(predictors), len(alphas), len(PREDICTED_SCORES), ends), np.nan)
    knob = {"alpha": alphas} if fractions is None else {"positive_fraction": fractions}
    try:  # the rows checked and ranked once, their curves shared by the predictors
        rows = WhatIfRows(y_val, validation_scores)
    except ValueError:
        return predicted
    requests = {}
    for i, name in enumerate(predictors):
        predictor = PREDICTORS[name]
        exponent = 1.0
        if predictor is not None and predictor.measured:
            if np.isnan(movement):
                continue
            exponent = max(movement, MIN_MOVEMENT)
        requests[i] = {
            **knob,
            "beta": beta,
            "threshold": THRESHOLD,
            "rule": "bayes" if predictor is None else predictor.rule,
            "smooth": None if predictor is None else predictor.smooth,
            "probabilities": None if predictor is None else predictor.probabilities,
            "movement": exponent,
            "metrics": (),
            "bootstrap": 0 if predictor is None else bootstrap,
            "n_test": n_test if predictor is not None and bootstrap else None,
            "seed": seed,
            "columns": PREDICTED_SCORES,
        }
    # one pass over the bootstrap's resamples for every predictor
    for i, result in zip(requests, rows.predict_all(list(requests.values())), strict=True):
        if isinstance(result, ValueError):
            continue
        if PREDICTORS[predictors[i]] is None:  # the observed point; its F1 is at ``beta``
            predicted[i, :, :, 0] = [result.observed[score] for score in PREDICTED_SCORES]
            continue
        table = result.table
        for j, score in enumerate(PREDICTED_SCORES):
            predicted[i, :, j, 0] = table[score]
            if f"{score}_low" in table:  # a bootstrap with a resample that kept both classes
                predicted[i, :, j, 1] = table[f"{score}_low"]
                predicted[i, :, j, 2] = table[f"{score}_high"]
    return predicted
