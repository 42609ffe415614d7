"""A model one already has, deployed as if retrained at a new weight, without retraining it.

For a calibrated model the theory says retraining at weight ``alpha`` acts like moving its
threshold: to ``t'`` with ``odds(t') = odds(t) * (alpha_observed / alpha)**k``
(:func:`theory.movement.equivalent_threshold`; ``k = 1`` for a model whose weight shifts its
logit by ``log(alpha)``, less for one that moves less, see :func:`theory.fit_movement`).
:func:`reweighted` gives that as a scikit-learn estimator: a
:class:`~sklearn.model_selection.FixedThresholdClassifier` at ``t'`` around the fitted model,
frozen (:class:`~sklearn.frozen.FrozenEstimator`) so that fitting the wrapper, alone or in a
pipeline, leaves the model as it is. scikit-learn is imported when :func:`reweighted` is first
called, so that importing :mod:`theory` stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from params.validation import POSITIVE, UNIT_OPEN, Interval, ParameterError, check_array
from theory.movement import Movement, equivalent_threshold

if TYPE_CHECKING:
    from sklearn.model_selection import FixedThresholdClassifier

__all__ = ["reweighted"]

#: What ``estimator`` may be, in words.
_ESTIMATOR = "a fitted binary classifier with predict_proba"


def reweighted(
    estimator: Any,
    alpha: float,
    *,
    alpha_observed: float = 1.0,
    movement: float | Movement = 1.0,
    threshold: float = 0.5,
) -> FixedThresholdClassifier:
    """A fitted classifier that predicts as if retrained with weight ``alpha`` on its positives.

    Parameters
    ----------
    estimator : fitted binary classifier
        A scikit-learn classifier (or pipeline) with ``predict_proba``, already fitted; its
        positive class is ``classes_[1]``, the column of ``predict_proba`` the weight is on.
    alpha : float
        The weight of the positive class to act as, > 0 and finite: one chosen for the
        deployment's prevalence or the costs of its errors.
    alpha_observed : float, default 1.0
        The weight ``estimator`` was trained with, > 0 and finite.
    movement : float or Movement, default 1.0
        The movement exponent ``k`` > 0: the model moves as if weighted ``alpha**k``. 1 is the
        theory's model (logistic regression); a :class:`~theory.movement.Movement` from
        :func:`theory.fit_movement` (one retrain at a second weight) gives its ``k``.
    threshold : float, default 0.5
        The threshold ``estimator`` is used at, in (0, 1).

    Returns
    -------
    sklearn.model_selection.FixedThresholdClassifier
        ``estimator``, frozen, read by ``predict_proba`` at the equivalent threshold ``t'``
        (its ``threshold``), with ``odds(t') = odds(threshold) * (alpha_observed / alpha)**k``.
        Predicts without ``fit``; ``fit`` does not refit ``estimator``; ``clone`` keeps it.

    Raises
    ------
    ValueError
        Naming the bad argument: a weight or ``k`` not > 0 and finite, a threshold outside
        (0, 1), an estimator without ``predict_proba``, not fitted, or not of two classes.

    See Also
    --------
    sklearn.model_selection.TunedThresholdClassifierCV : a threshold tuned for a metric on
        validation splits, rather than carried from a weight.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklearn.linear_model import LogisticRegression
    >>> X, y = make_classification(1000, weights=[0.95], random_state=0)
    >>> fitted = LogisticRegression().fit(X, y)
    >>> model = reweighted(fitted, 19.0)
    >>> round(model.threshold, 3)
    0.05
    >>> int(fitted.predict(X).sum()), int(model.predict(X).sum())
    (45, 110)
    """
    owner = "reweighted"
    alpha = _single(alpha, "alpha", owner, POSITIVE)
    alpha_observed = _single(alpha_observed, "alpha_observed", owner, POSITIVE)
    k = _single(movement.k if isinstance(movement, Movement) else movement, "movement", owner)
    threshold = _single(threshold, "threshold", owner, UNIT_OPEN)
    _check_estimator(estimator, owner)
    shifted = float(equivalent_threshold(threshold, alpha, alpha_observed, k))
    from sklearn.frozen import FrozenEstimator
    from sklearn.model_selection import FixedThresholdClassifier

    return FixedThresholdClassifier(
        FrozenEstimator(estimator), threshold=shifted, response_method="predict_proba"
    )


def _single(value: object, name: str, owner: str, interval: Interval = POSITIVE) -> float:
    """``value`` as a float after checking it is one number in ``interval``."""
    array = check_array(value, name, owner, interval)
    if array.ndim:
        raise ParameterError(name, owner, f"a single float in the range {interval}", value)
    return float(array)


def _check_estimator(estimator: Any, owner: str) -> None:
    """Raise unless ``estimator`` is a fitted classifier of two classes with ``predict_proba``."""
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    reason = None
    if not hasattr(estimator, "predict_proba"):
        reason = "it has no predict_proba"
    else:
        try:
            check_is_fitted(estimator)
        except NotFittedError:
            reason = "it is not fitted"
        except TypeError:
            reason = "it is not a scikit-learn estimator"
    if reason is None:
        classes = getattr(estimator, "classes_", None)
        if classes is None or np.size(classes) != 2:
            reason = f"it has classes_ {classes!r}, not two classes"
    if reason is not None:
        raise ParameterError("estimator", owner, _ESTIMATOR, estimator, reason)
