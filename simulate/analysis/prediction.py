"""The theory's prediction, per dataset, of what every weight does to a probabilistic model.

From the ``alpha = 1`` model's probabilities on the validation split, :func:`theory.what_if_scores`
predicts the recall, specificity and F1 the model retrained at each weight will have; the sweep
stores these beside the real fits (columns :func:`predicted_columns`), and
:func:`simulate.analysis.summary.prediction_error` measures how far apart they are.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

import theory

__all__ = ["PREDICTED_SCORES", "PREDICTION_RULES", "predict_weights", "predicted_columns"]

#: The rules each prediction is made under: the post's (bce) and a calibrated model's (bayes).
PREDICTION_RULES: tuple[str, ...] = ("bce", "bayes")
#: The scores predicted.
PREDICTED_SCORES: tuple[str, ...] = ("recall", "specificity", "f1")


def predicted_columns() -> list[str]:
    """Names of the prediction columns, in the order of :func:`predict_weights`'s axes:
    ``predicted_<score>_<rule>`` for each rule, then each score."""
    return [f"predicted_{score}_{rule}" for rule in PREDICTION_RULES for score in PREDICTED_SCORES]


def predict_weights(
    y_val: NDArray[np.int64],
    validation_scores: NDArray[np.float64],
    alphas: NDArray[np.float64],
    beta: float,
    fractions: NDArray[np.float64] | None = None,
) -> NDArray[np.float64]:
    """Predict recall, specificity and F1 at each weight under each rule.

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
    fractions : ndarray, optional
        For a resampled training split: the positive fraction behind each weight, predicted as
        resampling (``what_if_scores(positive_fraction=...)``, which reads the weight off the
        validation split's prevalence) rather than as the weight.

    Returns
    -------
    ndarray, shape (len(PREDICTION_RULES), len(alphas), len(PREDICTED_SCORES))
        NaN for a rule that cannot place the ``alpha = 1`` model on the validation curve (the
        bce rule reads the observed point's elasticity, which is 0 where the model predicts no
        validation row positive).
    """
    predicted = np.full((len(PREDICTION_RULES), len(alphas), len(PREDICTED_SCORES)), np.nan)
    for i, rule in enumerate(PREDICTION_RULES):
        try:
            knob = {"alpha": alphas} if fractions is None else {"positive_fraction": fractions}
            table = theory.what_if_scores(
                y_val, validation_scores, **knob, beta=beta, rule=rule, metrics=()
            ).table
        except ValueError:
            continue
        predicted[i] = np.column_stack([table[score].to_numpy() for score in PREDICTED_SCORES])
    return predicted
