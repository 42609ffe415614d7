"""The settings of one sweep, validated once."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from params.validation import Interval, check_array, check_int, check_option

__all__ = ["DEFAULT_ALPHAS", "DEFAULT_SEPS", "ENGINE_NAMES", "MIN_TEST_POSITIVES", "SweepConfig"]

#: The post's weights: 15 log-spaced values from 1 to 10**2.5 (about 316).
DEFAULT_ALPHAS: tuple[float, ...] = tuple(float(a) for a in np.logspace(0, 2.5, 15))
#: The post's class separations, linspace(0.05, 3, 15) rounded to 2 decimals.
DEFAULT_SEPS: tuple[float, ...] = tuple(float(s) for s in np.round(np.linspace(0.05, 3, 15), 2))
#: Engines that fit a dataset at every weight; see :mod:`simulate.engine`.
ENGINE_NAMES: tuple[str, ...] = ("numba", "sklearn")
#: A sweep must expect at least this many positives in each test split.
MIN_TEST_POSITIVES = 5.0

_OWNER = "SweepConfig"
_POSITIVE = Interval(0.0, np.inf)


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
    alphas : tuple of float, default :data:`DEFAULT_ALPHAS`
        Weights of the positive class, each > 0; stored sorted and without duplicates.
    seps : tuple of float, default :data:`DEFAULT_SEPS`
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
        Fixes every random draw of the sweep.
    engine : {"numba", "sklearn"}, default "numba"
        The tree implementation.
    max_depth : int or None, default None
        Depth limit of the trees; None grows them until every leaf is pure.
    min_samples_leaf : int, default 1
        Smallest number of training samples in a leaf.

    Raises
    ------
    ValueError
        Naming the first bad setting, its value and what is allowed; also when the test split
        would expect fewer than :data:`MIN_TEST_POSITIVES` positives.
    """

    beta: float = 0.01
    alphas: tuple[float, ...] = DEFAULT_ALPHAS
    seps: tuple[float, ...] = DEFAULT_SEPS
    reps: int = 250
    n_samples: int = 10_000
    n_features: int = 10
    n_informative: int = 5
    flip_y: float = 0.0
    test_size: float = 0.25
    seed: int = 0
    engine: str = "numba"
    max_depth: int | None = None
    min_samples_leaf: int = 1

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "beta", float(check_array(self.beta, "beta", _OWNER, Interval(0.0, 1.0))))
        set_(self, "alphas", _grid(self.alphas, "alphas"))
        set_(self, "seps", _grid(self.seps, "seps"))
        at_least_one = Interval(1, np.inf, "left")
        for name in ("reps", "n_samples", "min_samples_leaf"):
            set_(self, name, check_int(getattr(self, name), name, _OWNER, at_least_one))
        at_least_two = Interval(2, np.inf, "left")
        set_(self, "n_features", check_int(self.n_features, "n_features", _OWNER, at_least_two))
        informative = Interval(2, self.n_features, "both")
        set_(
            self,
            "n_informative",
            check_int(self.n_informative, "n_informative", _OWNER, informative),
        )
        flip = Interval(0.0, 1.0, "left")
        set_(self, "flip_y", float(check_array(self.flip_y, "flip_y", _OWNER, flip)))
        unit = Interval(0.0, 1.0)
        set_(self, "test_size", float(check_array(self.test_size, "test_size", _OWNER, unit)))
        seed_range = Interval(0, 2**32 - 1, "both")
        set_(self, "seed", check_int(self.seed, "seed", _OWNER, seed_range))
        set_(self, "engine", check_option(self.engine, "engine", _OWNER, ENGINE_NAMES))
        if self.max_depth is not None:
            set_(self, "max_depth", check_int(self.max_depth, "max_depth", _OWNER, at_least_one))
        expected = self.n_samples * self.test_size * self.beta
        if expected < MIN_TEST_POSITIVES:
            raise ValueError(
                f"The settings of {_OWNER} leave {expected:g} expected positives in each test "
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
            f.name: list(value) if isinstance(value, tuple) else value
            for f in dataclasses.fields(self)
            for value in [getattr(self, f.name)]
        }

    @classmethod
    def from_dict(cls, settings: dict[str, Any]) -> SweepConfig:
        """Inverse of :meth:`to_dict`."""
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(
            **{k: tuple(v) if isinstance(v, list) else v for k, v in settings.items() if k in known}
        )


def _grid(values: object, name: str) -> tuple[float, ...]:
    array = np.atleast_1d(check_array(values, name, _OWNER, _POSITIVE))
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"The {name!r} parameter of {_OWNER} must be a non-empty 1-d sequence of floats > 0. "
            f"Got {values!r} instead."
        )
    return tuple(float(v) for v in np.unique(array))
