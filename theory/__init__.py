"""Where a class weight puts a classifier on its tradeoff curve, and what that does to its scores.

The public API, all vectorised over its numeric arguments:

- :func:`operating_point`, :func:`expected_score` and :func:`expected_scores`: the point a
  weight ``alpha`` reaches on a curve under a rule, and the expected scores there;
- :func:`optimal_alpha` and :func:`optimize_alpha`: the best weight for a score, and its gains
  over no weight and over the inverse-proportion weight, flagged where it sits at the edge of
  the search or on a plateau of equally good weights;
- :func:`fit_curve`: the member of a family closest to observed operating points;
- :func:`what_if` and :func:`equivalent_weight`: what reweighting or resampling does to a
  model one already has, from one observed point;
- :func:`fit_movement`: how far a model really moves (the exponent ``k`` of ``alpha**k``), from
  one retrain at a second weight; the operating point, the expected scores, the optimum and
  :func:`what_if_scores` take it as ``movement=k``, and :func:`effective_weight` and
  :func:`weight_acting_as` convert between ``alpha`` and ``alpha**k``;
- :class:`EmpiricalCurve` and :func:`what_if_scores`: the same from the model's scores on a
  validation set (its whole ROC), with the threshold that does the same without retraining;
- :func:`reweighted`: a fitted scikit-learn classifier deployed as if retrained at a new weight
  (a ``FixedThresholdClassifier`` at that threshold);
- the :class:`Curve` protocol, and the families :class:`Superellipse`,
  :class:`AsymmetricSuperellipse`, :class:`Binormal` (with a spread ``s`` of the positives'
  scores, whose ROC is not concave unless ``s = 1``) (:data:`FAMILIES`); rules ``"bce"``,
  ``"bayes"`` (:data:`RULES`) and ``"focal"`` with its ``gamma`` (:func:`rule_named` builds any
  of them);
- :func:`confusion_counts` and :func:`confusion_scores`: the confusion counts of 0/1 predictions,
  and every score from confusion counts or rates, the one definition the simulator shares;
- :mod:`theory.studies`: the numbers behind the theory's figures and tables (the focal rule,
  error costs, the binormal with unequal variances, the best weight over prevalence and curve
  quality, a threshold chosen on a balanced validation set);
- :mod:`theory.symbolic`: the sympy derivations the numeric code is checked against.

Vocabulary
----------
- An observed operating point is ``recall`` and ``specificity`` in every signature; ``x`` and
  ``z`` name the same rates in formulas and docstrings.
- ``curve`` is always a curve object (anything with the methods of :class:`Curve`), or a bare
  number ``p >= 1`` for the post's superellipse; ``family`` is always a family name of
  :data:`FAMILIES` (or, where a curve is fitted through a point, a callable
  ``(recall, specificity) -> curve``).
- ``rule`` defaults to ``"bce"``, the post's derivation, everywhere except :func:`what_if` and
  :func:`what_if_scores`, where it defaults to ``"bayes"``: a model one already has is, near
  enough, a calibrated model thresholded at its threshold. ``gamma`` goes with ``rule="focal"``
  only, and ``cost_fn``, ``cost_fp`` with the ``"cost"`` metric only: given elsewhere they
  would be ignored, so they are refused.
- The first few arguments are positional; the rest (``rule``, ``metric``, ``family``, ...) are
  keyword-only.
"""

from theory.curves import FAMILIES, AsymmetricSuperellipse, Binormal, Curve, Superellipse
from theory.empirical import EmpiricalCurve
from theory.fit import fit_curve
from theory.movement import Movement, fit_movement
from theory.operating import expected_score, expected_scores, operating_point
from theory.optimum import (
    SEARCH_RANGE,
    Optimum,
    inverse_proportion_weight,
    optimal_alpha,
    optimize_alpha,
)
from theory.reweighted import reweighted
from theory.rules import (
    RULE_NAMES,
    RULES,
    effective_weight,
    rule_named,
    weight_acting_as,
    weight_ratio,
)
from theory.scores import SCORE_NAMES, confusion_counts, confusion_scores, expected_confusion
from theory.whatif import equivalent_weight, what_if
from theory.whatif_scores import WhatIfScores, what_if_scores

__all__ = [
    "FAMILIES",
    "RULES",
    "RULE_NAMES",
    "SCORE_NAMES",
    "SEARCH_RANGE",
    "AsymmetricSuperellipse",
    "Binormal",
    "Curve",
    "EmpiricalCurve",
    "Movement",
    "Optimum",
    "Superellipse",
    "WhatIfScores",
    "confusion_counts",
    "confusion_scores",
    "effective_weight",
    "equivalent_weight",
    "expected_confusion",
    "expected_score",
    "expected_scores",
    "fit_curve",
    "fit_movement",
    "inverse_proportion_weight",
    "operating_point",
    "optimal_alpha",
    "optimize_alpha",
    "reweighted",
    "rule_named",
    "weight_acting_as",
    "weight_ratio",
    "what_if",
    "what_if_scores",
]
