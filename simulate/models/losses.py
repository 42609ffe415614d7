"""The training losses a sweep's models can minimise, by name, and the focal loss's parameter.

- ``"bce"``: the weighted binary cross-entropy (log-loss), what every model minimises by default;
- ``"focal"``: the focal loss of Lin et al. (2017),
  ``-alpha * y * (1 - p)**gamma * log(p) - (1 - y) * p**gamma * log(1 - p)``, weighted as the
  cross-entropy is; ``gamma = 0`` is the cross-entropy. The theory's ``"focal"`` rule
  (:func:`theory.rules.focal_rule`) is the same loss's expectation.

:func:`simulate.models.logreg.logistic_path` trains a logistic regression on either; the sweep's
``loss`` and ``gamma`` settings (:class:`~simulate.config.SweepConfig`) choose one.
"""

from __future__ import annotations

from params.validation import Interval

__all__ = ["BCE", "FOCAL", "GAMMA_RANGE", "LOSSES", "MAX_GAMMA"]

#: The cross-entropy's name.
BCE = "bce"
#: The focal loss's name.
FOCAL = "focal"
#: Every training loss, the default first.
LOSSES: tuple[str, ...] = (BCE, FOCAL)
#: Largest focusing parameter ``gamma`` a fit takes. At the zero model every sample's focal
#: factor is ``2**-gamma`` (about 8e-31 here), and the loss must stay a normal float64 far above
#: its rounding for the solver to see it; the curvature's ``gamma**2`` stays far from overflow.
#: Lin et al. use 0 to 5.
MAX_GAMMA = 100.0
#: The focusing parameters a fit takes, ``[0, MAX_GAMMA]``.
GAMMA_RANGE = Interval(0.0, MAX_GAMMA, "both")
