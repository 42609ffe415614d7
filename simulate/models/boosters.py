"""XGBoost's and LightGBM's gradient boosting, the optional models ``xgboost`` and ``lightgbm``.

Each is weighted by its library's own knob, ``scale_pos_weight = alpha`` (what users of the
library turn), runs on one thread (``n_jobs = 1``) and is seeded by the sweep's per-dataset model
seed. Its hyper-parameters are the library's defaults, written out in :data:`XGB_PARAMS` and
:data:`LGBM_PARAMS`; both are reasonable as they are, so neither is changed to match ``hgb``
(LightGBM's already are ``hgb``'s: 100 trees of 31 leaves, learning rate 0.1, at least 20 samples
per leaf, 255 bins; XGBoost's grow 100 trees 6 deep at learning rate 0.3).

The libraries are optional (the extras ``xgboost`` and ``lightgbm``) and imported only when their
model is chosen (:func:`library`), so the toolkit works without them.

``scale_pos_weight = alpha`` minimises the same weighted loss as ``sample_weight = alpha`` on the
positives (both libraries scale each positive's gradient and hessian by it), but with the
libraries' defaults the models differ (tests/simulate/models/test_boosters.py) in where the
boosting starts: LightGBM starts from the log-odds of the share of positives weighted by the
sample weights (``boost_from_average``), which ``scale_pos_weight`` does not enter; XGBoost
estimates its ``base_score`` as that weighted share, and lands elsewhere with ``scale_pos_weight``
(0.13 against 0.023 at ``alpha = 0.5`` on 22 positives of 480). XGBoost also places its histogram
bins by a quantile sketch weighted by the sample weights. With the starting score fixed (and, for
XGBoost, a bin for every distinct value) the two give identical probabilities.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, NamedTuple

from sklearn.base import ClassifierMixin

from params.validation import ParameterError

__all__ = ["BOOSTERS", "LGBM_PARAMS", "WEIGHT_PARAM", "XGB_PARAMS", "booster", "library"]

#: The parameter of both classifiers that weights the positives: set to each ``alpha``.
WEIGHT_PARAM = "scale_pos_weight"

#: ``xgboost.XGBClassifier``'s settings: XGBoost's defaults, written out (100 trees grown depth
#: first to depth 6 on 256-bin histograms, learning rate 0.3, L2 penalty 1 on the leaf values, at
#: least a hessian of 1 per child; ``base_score`` None: estimated from the training labels).
XGB_PARAMS: dict[str, Any] = {
    "objective": "binary:logistic",
    "n_estimators": 100,
    "learning_rate": 0.3,
    "max_depth": 6,
    "max_leaves": 0,
    "grow_policy": "depthwise",
    "min_child_weight": 1.0,
    "gamma": 0.0,
    "max_delta_step": 0.0,
    "subsample": 1.0,
    "colsample_bytree": 1.0,
    "reg_lambda": 1.0,
    "reg_alpha": 0.0,
    "tree_method": "hist",
    "max_bin": 256,
    "base_score": None,
}
#: ``lightgbm.LGBMClassifier``'s settings: LightGBM's defaults, written out (100 trees of at most
#: 31 leaves grown leaf first on 255-bin histograms, learning rate 0.1, at least 20 samples per
#: leaf, no penalty; the boosting starts from the log-odds of the training labels).
LGBM_PARAMS: dict[str, Any] = {
    "objective": "binary",
    "boosting_type": "gbdt",
    "n_estimators": 100,
    "learning_rate": 0.1,
    "num_leaves": 31,
    "max_depth": -1,
    "min_child_samples": 20,
    "min_child_weight": 1e-3,
    "min_split_gain": 0.0,
    "subsample": 1.0,
    "subsample_freq": 0,
    "colsample_bytree": 1.0,
    "reg_lambda": 0.0,
    "reg_alpha": 0.0,
    "max_bin": 255,
    "boost_from_average": True,
}


class Booster(NamedTuple):
    """How the sweep builds one library's classifier."""

    classifier: str
    """The classifier's name in the library's module."""
    params: dict[str, Any]
    """Its hyper-parameters."""
    runtime: dict[str, Any]
    """How it runs: one thread, and quiet."""


#: The boosting models by name; each name is also its library's module and its extra.
BOOSTERS: dict[str, Booster] = {
    "xgboost": Booster("XGBClassifier", XGB_PARAMS, {"n_jobs": 1}),
    "lightgbm": Booster("LGBMClassifier", LGBM_PARAMS, {"n_jobs": 1, "verbose": -1}),
}


def library(model: str, owner: str) -> ModuleType:
    """The library of the boosting model ``model`` (a name of :data:`BOOSTERS`), imported.

    Raises
    ------
    ParameterError
        A :class:`ValueError` naming ``model`` of ``owner`` and the command that installs the
        library, when it is not installed.
    """
    try:
        return importlib.import_module(model)
    except ImportError:
        raise ParameterError(
            "model",
            owner,
            "a model whose library is installed",
            model,
            f'the {model} package is missing: pip install ".[{model}]"',
        ) from None


def booster(model: str, random_state: int) -> ClassifierMixin:
    """An unfitted classifier of the boosting model ``model`` (a name of :data:`BOOSTERS`), with
    its hyper-parameters, on one thread, seeded by ``random_state``; weight it by setting
    :data:`WEIGHT_PARAM`."""
    spec = BOOSTERS[model]
    classifier = getattr(library(model, "fit_model"), spec.classifier)
    return classifier(**spec.params, **spec.runtime, random_state=random_state)
