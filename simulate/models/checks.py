"""The checks a model's own solver makes of its training data: features and 0/1 labels."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from params.validation import Interval, ParameterError, check_array

__all__ = ["check_features", "check_labels"]

#: Any finite number.
_FINITE = Interval(-np.inf, np.inf, "neither")


def check_features(X: ArrayLike, owner: str, name: str = "X") -> NDArray[np.float64]:
    """``X`` as a C-ordered float64 array of shape ``(n_samples, n_features)``, all finite.

    Raises
    ------
    ParameterError
        Naming ``name`` and ``owner``, for a non-finite entry or another shape.
    """
    features = np.ascontiguousarray(check_array(X, name, owner, _FINITE))
    if features.ndim != 2 or features.shape[0] == 0 or features.shape[1] == 0:
        raise ParameterError(
            name, owner, "a non-empty 2-D array (n_samples, n_features)", f"shape {features.shape}"
        )
    return features


def check_labels(y: ArrayLike, n_samples: int, owner: str) -> NDArray[np.bool_]:
    """Where ``y`` is positive: ``y`` must hold ``n_samples`` labels 0 and 1, both classes.

    Raises
    ------
    ParameterError
        Naming ``y`` and ``owner``, for another shape, another label or a missing class.
    """
    allowed = f"a 1-D array of {n_samples} labels 0 and 1 holding both classes"
    labels = np.asarray(y)
    if labels.shape != (n_samples,):
        raise ParameterError("y", owner, allowed, f"shape {labels.shape}")
    bad = (labels != 0) & (labels != 1)
    if np.any(bad):
        raise ParameterError("y", owner, allowed, labels[bad][0].item())
    positive = labels == 1
    for label, present in ((0, ~positive), (1, positive)):
        if not np.any(present):
            raise ParameterError(
                "y", owner, allowed, f"only class {1 - label}", reason=f"no label {label}"
            )
    return positive
