"""The datasets of a sweep and the seeds behind them."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import NDArray
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split

if TYPE_CHECKING:
    from simulate.config import SweepConfig

__all__ = ["Dataset", "DatasetSeeds", "dataset_seeds", "hold_out_validation", "make_dataset"]


class DatasetSeeds(NamedTuple):
    """Independent seeds for the draws behind one dataset and its fits."""

    data: int
    split: int
    model: int
    validation: int
    resample: int


class Dataset(NamedTuple):
    """One train/test split, and a validation split held out of training if there is one;
    labels are 0 (negative) and 1 (positive)."""

    X_train: NDArray[np.float64]
    X_test: NDArray[np.float64]
    y_train: NDArray[np.int64]
    y_test: NDArray[np.int64]
    X_val: NDArray[np.float64] | None = None
    y_val: NDArray[np.int64] | None = None


def dataset_seeds(seed: int, sep_index: int, rep: int) -> DatasetSeeds:
    """Seeds of dataset ``rep`` of the ``sep_index``-th class separation.

    They depend on ``(seed, sep_index, rep)`` alone, through :class:`numpy.random.SeedSequence`,
    never on which worker runs the dataset or in which order, so a sweep's numbers do not depend
    on its number of workers or its chunking.
    """
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(sep_index, rep))
    return DatasetSeeds(*(int(s) for s in sequence.generate_state(len(DatasetSeeds._fields))))


def make_dataset(config: SweepConfig, class_sep: float, seeds: DatasetSeeds) -> Dataset:
    """Generate and split one dataset of the sweep (see :class:`SweepConfig` for the settings)."""
    X, y = make_classification(
        n_samples=config.n_samples,
        n_features=config.n_features,
        n_informative=config.n_informative,
        n_redundant=0,
        n_clusters_per_class=2,
        weights=(1.0 - config.beta,),
        class_sep=class_sep,
        flip_y=config.flip_y,
        random_state=seeds.data,
    )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=config.test_size, random_state=seeds.split
    )
    return Dataset(X_train, X_test, y_train.astype(np.int64), y_test.astype(np.int64))


def hold_out_validation(data: Dataset, val_size: float, seed: int) -> Dataset:
    """Hold a stratified fraction ``val_size`` of the training split out as a validation split.

    The model is then fitted on the rest (``X_train``, ``y_train`` of the result); the test
    split is unchanged.
    """
    X_fit, X_val, y_fit, y_val = train_test_split(
        data.X_train, data.y_train, test_size=val_size, stratify=data.y_train, random_state=seed
    )
    return data._replace(X_train=X_fit, y_train=y_fit, X_val=X_val, y_val=y_val)
