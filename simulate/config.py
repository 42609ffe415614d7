"""The settings of one sweep, each declared once: type, allowed values, default and help.

:class:`SweepConfig` validates itself from these declarations, and ``python -m simulate`` and
``python -m simulate.fidelity`` build their flags from them (:func:`params.settings.add_arguments`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from params.settings import setting, validate_fields
from params.validation import Interval, ParameterError
from simulate.engine import ENGINES

__all__ = ["DEFAULT_ALPHAS", "DEFAULT_SEPS", "MIN_TEST_POSITIVES", "SweepConfig"]

#: A sweep must expect at least this many positives in each test split.
MIN_TEST_POSITIVES = 5.0
#: Largest seed: numpy's SeedSequence takes any, scikit-learn's random_state 32 bits.
MAX_SEED = 2**32 - 1

_POSITIVE = Interval(0.0, np.inf)
_AT_LEAST_ONE = Interval(1, np.inf, "left")
_AT_LEAST_TWO = Interval(2, np.inf, "left")
_UNIT_OPEN = Interval(0.0, 1.0)


@dataclass(frozen=True)
class SweepConfig:
    """Everything that determines a sweep's numbers (the number of workers does not).

    Each dataset is ``make_classification(n_samples, n_features, n_informative, n_redundant=0,
    weights=(1 - beta,), n_clusters_per_class=2, class_sep, flip_y)``, split into train and test
    sets once, and fitted by a decision tree at every weight in ``alphas`` (weight 1 on negatives,
    ``alpha`` on positives).

    Parameters
    ----------
    beta : float, default 0.01
        Prevalence of the positive class, in (0, 1).
    alphas : tuple of float, default 15 log-spaced weights from 1 to 316.227766
        Weights of the positive class, each > 0; stored sorted and without duplicates. The
        default is the post's ``np.logspace(0, 2.5, 15)`` written as ``1:316.227766:15``.
    seps : tuple of float, default the post's 15 values from 0.05 to 3
        ``class_sep`` values, each > 0; stored sorted and without duplicates.
    reps : int, default 250
        Datasets per ``class_sep``.
    n_samples, n_features, n_informative : int, default 10000, 10, 5
        Size of each dataset; ``2 <= n_informative <= n_features`` (make_classification needs two
        informative features for two classes of two clusters each).
    flip_y : float, default 0.0
        Fraction of labels flipped at random, in [0, 1).
    test_size : float, default 0.25
        Fraction of each dataset held out for scoring, in (0, 1).
    seed : int, default 0
        Fixes every random draw of the sweep, in [0, 2**32 - 1].
    engine : {"numba", "sklearn"}, default "numba"
        The tree implementation (:data:`simulate.engine.ENGINES`).
    max_depth : int or None, default None
        Depth limit of the trees; None grows them until every leaf is pure.
    min_samples_leaf : int, default 1
        Smallest number of training samples in a leaf.

    Raises
    ------
    ParameterError
        A :class:`ValueError` naming the first bad setting, its value and what is allowed; also
        when ``n_informative > n_features``.
    ValueError
        When the test split would expect fewer than :data:`MIN_TEST_POSITIVES` positives.
    """

    beta: float = setting(
        0.01, float, "prevalence of the positive class, in (0, 1)", interval=_UNIT_OPEN
    )
    alphas: tuple[float, ...] = setting(
        "1:316.227766:15",
        float,
        "weights of the positive class: LO:HI[:N] (N log-spaced, default N 15) or a comma list",
        interval=_POSITIVE,
        spacing="log",
    )
    seps: tuple[float, ...] = setting(
        "0.05,0.26,0.47,0.68,0.89,1.1,1.31,1.52,1.74,1.95,2.16,2.37,2.58,2.79,3",
        float,
        "class_sep values: LO:HI[:N] (N linearly spaced, default N 15) or a comma list",
        interval=_POSITIVE,
        spacing="linear",
    )
    reps: int = setting(250, int, "datasets per class_sep", interval=_AT_LEAST_ONE)
    n_samples: int = setting(
        10_000, int, "samples per dataset, train and test together", interval=_AT_LEAST_ONE
    )
    n_features: int = setting(10, int, "features per dataset, at least 2", interval=_AT_LEAST_TWO)
    n_informative: int = setting(
        5, int, "informative features, 2 to n-features", interval=_AT_LEAST_TWO
    )
    flip_y: float = setting(
        0.0,
        float,
        "fraction of labels flipped at random, in [0, 1)",
        interval=Interval(0.0, 1.0, "left"),
    )
    test_size: float = setting(0.25, float, "held-out fraction, in (0, 1)", interval=_UNIT_OPEN)
    seed: int = setting(
        0,
        int,
        "fixes every random draw; the same seed gives the same numbers for any --n-jobs",
        interval=Interval(0, MAX_SEED, "both"),
    )
    engine: str = setting("numba", str, "decision-tree implementation", choices=tuple(ENGINES))
    max_depth: int | None = setting(
        None,
        int,
        "depth limit of the trees",
        interval=_AT_LEAST_ONE,
        optional=True,
        none_means="grown until leaves are pure",
    )
    min_samples_leaf: int = setting(
        1, int, "smallest number of training samples in a leaf", interval=_AT_LEAST_ONE
    )

    def __post_init__(self) -> None:
        validate_fields(self)
        if self.n_informative > self.n_features:
            allowed = f"an int in the range {Interval(2, self.n_features, 'both')}"
            raise ParameterError("n_informative", "SweepConfig", allowed, self.n_informative)
        expected = self.n_samples * self.test_size * self.beta
        if expected < MIN_TEST_POSITIVES:
            raise ValueError(
                f"The settings of SweepConfig leave {expected:g} expected positives in each test "
                f"split (n_samples * test_size * beta = {self.n_samples} * {self.test_size:g} * "
                f"{self.beta:g}); at least {MIN_TEST_POSITIVES:g} are needed: raise n_samples, "
                "test_size or beta."
            )

    @property
    def n_fits(self) -> int:
        """Number of trees the sweep fits: seps x reps x alphas."""
        return len(self.seps) * self.reps * len(self.alphas)

    def to_dict(self) -> dict[str, Any]:
        """The settings as JSON-ready values (tuples become lists)."""
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in dataclasses.asdict(self).items()
        }

    @classmethod
    def from_dict(cls, settings: dict[str, Any]) -> SweepConfig:
        """Inverse of :meth:`to_dict`; keys the class does not declare are ignored."""
        known = {field.name for field in dataclasses.fields(cls)}
        return cls(**{name: value for name, value in settings.items() if name in known})


#: The post's weights, as :class:`SweepConfig` and every command default to.
DEFAULT_ALPHAS: tuple[float, ...] = SweepConfig.__dataclass_fields__["alphas"].default
#: The post's class separations, ``linspace(0.05, 3, 15)`` rounded to 2 decimals.
DEFAULT_SEPS: tuple[float, ...] = SweepConfig.__dataclass_fields__["seps"].default
