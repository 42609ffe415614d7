"""Figures of the study, each a function that takes data and returns a matplotlib Figure.

Theory (no run needed; the post's setting beta = 0.01 by default):

- :func:`plot_tradeoff_curves`: the superellipses ``z = (1 - x**p)**(1/p)``, the chance line in
  red, and where ``alpha = 1`` and the inverse-proportion weight land on each (``tradeoff_viz``);
- :func:`plot_theoretic_scores`: an expected score against ``alpha`` for 15 values of p, each
  curve's best weight and the inverse-proportion weight marked (``theoretic_scores`` for F1,
  ``theoretic_scores_balanced_accuracy``);
- :func:`plot_optimal_alpha_map`: the best weight for F1 over prevalence and curve quality, for
  both rules, beside the inverse-proportion weight (``optimal_alpha_map``);
- :func:`plot_balanced_validation`: what choosing the threshold by F1 on a balanced validation
  set costs at 1% positives, against choosing it at 1% (``balanced_validation``).
- :func:`plot_focal_loss`: the focal rule's gamma against the recall a weight reaches, the best
  weight for F1 and the best F1 and balanced accuracy (``focal_loss``; numbers from
  :func:`theory.studies.focal_sweep`);
- :func:`plot_cost_weights`: the weight of least expected cost against the price ratio
  ``c_fn / c_fp``, per rule and curve (``cost_weights``; numbers from
  :func:`theory.studies.cost_optimal_weights`).
- :func:`plot_binormal_spread`: binormal curves with unequal variances, the hook the bayes rule
  jumps over, and F1 against the weight under both rules with its plateaus shaded
  (``binormal_spread``; numbers from :func:`theory.studies.binormal_spread_optima`).

A run's per-cell summary (``summary.csv``, see :func:`simulate.analysis.summary.per_cell`):

- :func:`plot_empirical_scores`: simulated mean F1 against ``alpha``, one line per class_sep,
  with 95% bands (``empirical_scores``, and each run's own ``f1_vs_alpha.png``);
- :func:`plot_theory_vs_simulation`: per class_sep, simulated F1 beside the theory under both
  rules on the curve fitted to its operating points, optima marked (``theory_vs_simulation``);
- :func:`plot_operating_points`: simulated mean (recall, specificity) across ``alpha`` with the
  fitted curves (``operating_points``);
- :func:`plot_theory_gap`: the post's hunch tested: both rules on the symmetric and the
  asymmetric superellipse fitted to each class_sep, their RMSE against the simulated F1 and how
  far each says the recall moves, beside how far it does (``theory_gap``; numbers from
  :func:`simulate.analysis.summary.theory_gap`).

The retraining study's summary (``python -m simulate.retraining``):

- :func:`plot_error_by_positives`: each predictor's error against the validation positives;
- :func:`plot_retraining`: mean predicted and real recall, specificity and F1 against the weight
  a model is retrained with, per model and data set (``predicted_vs_real.png`` of the study).

The focal study's table (``python -m simulate.focal``):

- :func:`plot_focal_trained`: per model, against gamma, the trained models' recall at
  ``alpha = 1``, best weight for F1 and best F1 over the cross-entropy's, beside the focal
  rule's (``focal.png`` of the study).

A model one has (its scores on validation rows):

- :func:`plot_what_if_scores`: its curve with the point each new weight lands on, beside the
  predicted F1 and balanced accuracy and the equivalent thresholds
  (``python -m theory what-if --scores FILE --plot FIG``).

Colours are shared: p always by :data:`P_COLORMAP` under :data:`P_NORM`, class_sep by
:data:`SEPARATION_COLORMAP`. No function draws through pyplot or writes a file;
:func:`save_figure` writes one, :func:`save_run_figure` a run's own figure into its folder, and
``python -m plots`` (:mod:`plots.cli`) writes them all to ``results/figures``.
"""

from plots._style import P_COLORMAP, P_NORM, SEPARATION_COLORMAP
from plots.costs import plot_cost_weights
from plots.focal import plot_focal_loss
from plots.focal_trained import plot_focal_trained
from plots.optimum_map import plot_optimal_alpha_map
from plots.retraining import plot_error_by_positives, plot_retraining
from plots.save import save_figure, save_run_figure
from plots.scores import plot_theoretic_scores
from plots.simulation import (
    pick_separations,
    plot_empirical_scores,
    plot_operating_points,
    plot_theory_gap,
    plot_theory_vs_simulation,
)
from plots.spread import plot_binormal_spread
from plots.tradeoff import plot_tradeoff_curves
from plots.validation import plot_balanced_validation
from plots.whatif import plot_what_if_scores

__all__ = [
    "P_COLORMAP",
    "P_NORM",
    "SEPARATION_COLORMAP",
    "pick_separations",
    "plot_balanced_validation",
    "plot_binormal_spread",
    "plot_cost_weights",
    "plot_empirical_scores",
    "plot_error_by_positives",
    "plot_focal_loss",
    "plot_focal_trained",
    "plot_operating_points",
    "plot_optimal_alpha_map",
    "plot_retraining",
    "plot_theoretic_scores",
    "plot_theory_gap",
    "plot_theory_vs_simulation",
    "plot_tradeoff_curves",
    "plot_what_if_scores",
    "save_figure",
    "save_run_figure",
]
