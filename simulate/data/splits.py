"""The datasets of a sweep and the seeds behind them."""

from __future__ import annotations

import ctypes
import threading
from functools import cache
from math import ceil
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from sklearn.datasets import make_classification
from sklearn.model_selection import train_test_split
from sklearn.utils.random import sample_without_replacement

from simulate.data._normal_kernels import STATE_WORDS as _STATE_WORDS
from simulate.data._normal_kernels import fill_normals
from simulate.data.sources import load_rows, subsample_positives

__all__ = [
    "Dataset",
    "DatasetSeeds",
    "add_label_noise",
    "dataset_seeds",
    "hold_out_validation",
    "make_dataset",
    "noisy_prevalence",
    "split_rows",
]


#: make_classification's classes, clusters per class, and clusters (hypercube vertices).
_CLASSES, _CLUSTERS = 2, 2
_VERTICES = _CLASSES * _CLUSTERS
#: The most bits make_classification draws a vertex in at once (more are drawn bit by bit).
_HYPERCUBE_BITS = 30
#: The seed of the stream the normals kernel is checked on (:func:`_kernel_is_numpys`).
_CHECK_SEED = 20_24


class DatasetSeeds(NamedTuple):
    """Independent seeds for the draws behind one dataset and its fits."""

    data: int
    split: int
    model: int
    validation: int
    resample: int
    noise: int
    bootstrap: int


class Dataset(NamedTuple):
    """One train/test split, and a validation split held out of training if there is one;
    labels are 0 (negative) and 1 (positive)."""

    X_train: NDArray[np.float64]
    X_test: NDArray[np.float64]
    y_train: NDArray[np.int64]
    y_test: NDArray[np.int64]
    X_val: NDArray[np.float64] | None = None
    y_val: NDArray[np.int64] | None = None


def dataset_seeds(seed: int, source: int, rep: int) -> DatasetSeeds:
    """Seeds of dataset ``rep`` of the sweep's ``source``-th source (class separation or data
    set; :attr:`SweepConfig.sources`).

    They depend on ``(seed, source, rep)`` alone (not on the label noise), through
    :class:`numpy.random.SeedSequence`, never on which worker runs the dataset or in which
    order, so a sweep's numbers do not depend on its number of workers or its chunking.
    """
    sequence = np.random.SeedSequence(entropy=seed, spawn_key=(source, rep))
    return DatasetSeeds(*(int(s) for s in sequence.generate_state(len(DatasetSeeds._fields))))


def make_dataset(
    source: float | str,
    seeds: DatasetSeeds,
    *,
    beta: float,
    n_samples: int,
    n_features: int,
    n_informative: int,
    test_size: float,
    target: str | None = None,
    flip_y: float = 0.0,
    val_size: float | None = None,
) -> Dataset:
    """Draw and split one dataset (the settings are :class:`~simulate.config.SweepConfig`'s,
    whose :meth:`~simulate.config.SweepConfig.data_settings` gives them; not validated here).

    ``source`` is a ``class_sep`` of make_classification (``n_samples`` rows, ``n_features``
    features of which ``n_informative`` informative, a share ``beta`` positive) or the name of a
    real data set (:mod:`simulate.data.sources`; ``target`` names a table's label column), whose
    positives are subsampled to ``beta`` and whose split is stratified. A share ``test_size`` of
    the rows is held out for testing. Label noise ``flip_y`` (:func:`add_label_noise`) is drawn on
    every row before the split; the rows and the split do not depend on it, so datasets that differ
    only in ``flip_y`` hold the same points, and a larger ``flip_y`` replaces a superset of labels.
    With ``val_size``, a validation split is held out of the training split as
    :func:`hold_out_validation` holds it out with ``seeds.validation`` (the same rows), and the
    rows of each split are gathered once.
    """
    if isinstance(source, str):
        X, y = subsample_positives(
            load_rows(source, target), beta, np.random.default_rng(seeds.data)
        )
        order, stratify = None, y
    else:
        X, y, order = _classification(
            source,
            seeds.data,
            beta=beta,
            n_samples=n_samples,
            n_features=n_features,
            n_informative=n_informative,
        )
        y, stratify = y[order], None
    train, test = split_rows(len(y), test_size, seeds.split, stratify=stratify)
    y = add_label_noise(y.astype(np.int64), flip_y, seeds.noise)
    splits = [train, test]
    if val_size is not None:
        fit, val = split_rows(train.size, val_size, seeds.validation, stratify=y[train])
        splits = [train[fit], test, train[val]]
    # each split's rows gathered once, from the rows as drawn (np.take: a fraction of the time
    # fancy indexing takes on a 2-d array, the same rows)
    X_rows = [np.take(X, rows if order is None else order[rows], axis=0) for rows in splits]
    y_rows = [y[rows] for rows in splits]
    if val_size is None:
        return Dataset(X_rows[0], X_rows[1], y_rows[0], y_rows[1])
    return Dataset(X_rows[0], X_rows[1], y_rows[0], y_rows[1], X_rows[2], y_rows[2])


def _classification(
    class_sep: float,
    seed: int,
    *,
    beta: float,
    n_samples: int,
    n_features: int,
    n_informative: int,
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.intp]]:
    """scikit-learn's ``make_classification`` of a dataset (two classes of two clusters each,
    no redundant or repeated feature, a share ``beta`` positive, no label noise), without its
    checks and its copies of the rows.

    The same draws from ``numpy.random.RandomState(seed)``, in the same order, and the same
    arithmetic on the same arrays: the clusters' hypercube vertices, the informative features
    and their covariances, the useless features, the (unused) label noise, its default shift 0
    and scale 1, then the rows' shuffle and the features'. The normals are drawn by a numba
    kernel (:class:`_LegacyStream`), numpy's to the bit. Settings ``make_classification``
    refuses (fewer than two informative features, more than ``n_features``) are left to it,
    which raises.

    Returns
    -------
    X : ndarray, shape (n_samples, n_features)
        The rows in the order drawn, the features in ``make_classification``'s order.
    y : ndarray of int
        The labels in that order.
    order : ndarray of int
        The rows' shuffle: ``X[order]``, ``y[order]`` are ``make_classification``'s.
    """
    if not 2 <= n_informative <= n_features:
        make_classification(
            n_samples=n_samples,
            n_features=n_features,
            n_informative=n_informative,
            n_redundant=0,
            weights=(1.0 - beta,),
            random_state=seed,
        )
    stream = _legacy_stream(seed)
    rng = stream.rng
    negative = 1.0 - beta
    shares = (negative, 1.0 - negative)  # the weights as scikit-learn completes them
    per_cluster = [int(n_samples * shares[k % _CLASSES] / _CLUSTERS) for k in range(_VERTICES)]
    for k in range(n_samples - sum(per_cluster)):
        per_cluster[k % _VERTICES] += 1
    y = np.zeros(n_samples, dtype=int)
    vertices = _hypercube(_VERTICES, n_informative, rng).astype(float)
    vertices *= 2 * class_sep
    vertices -= class_sep
    # the informative features transformed in a contiguous array of their own (a third of the
    # time of doing it inside the rows; the same products)
    informative = np.empty((n_samples, n_informative))
    stream.fill_normals(informative)
    stop = 0
    for k, vertex in enumerate(vertices):
        start, stop = stop, stop + per_cluster[k]
        y[start:stop] = k % _CLASSES
        covariance = 2 * rng.uniform(size=(n_informative, n_informative)) - 1
        cluster = np.dot(informative[start:stop], covariance)
        cluster += vertex
        informative[start:stop] = cluster
    X = np.empty((n_samples, n_features))
    X[:, :n_informative] = informative
    n_useless = n_features - n_informative
    if n_useless > 0:
        stream.fill_normals(X[:, n_informative:])
    flipped = rng.uniform(size=n_samples) < 0.0  # make_classification draws its flip_y = 0 too
    y[flipped] = rng.randint(_CLASSES, size=flipped.sum())
    X += 0.0  # make_classification's shift and scale (which turn -0.0 into 0.0)
    X *= 1.0
    order = np.arange(n_samples)
    rng.shuffle(order)
    features = np.arange(n_features)
    rng.shuffle(features)
    return np.take(X, features, axis=1), y, order  # X[:, features], in two thirds of the time


#: Each thread's one legacy stream, reseeded for every draw (:func:`_legacy_stream`).
_LEGACY = threading.local()


class _LegacyStream:
    """The stream of one ``numpy.random.RandomState``, whose standard normals are drawn by a
    numba kernel (:func:`simulate.data._normal_kernels.fill_normals`): numpy's own, to the bit,
    in two thirds of the time.

    ``rng`` is the instance, for every other draw. The kernel keeps the normal left over from a
    pair itself (the instance's own is untouched), so the stream's normals must all be drawn
    here, not by ``rng.standard_normal``.
    """

    def __init__(self) -> None:
        generator = np.random.MT19937()
        self.rng = np.random.RandomState(generator)
        # the generator's state, in place: its 624 key words and its position
        words = ctypes.c_uint32 * (_STATE_WORDS + 1)
        self._state = np.ctypeslib.as_array(words.from_address(generator.ctypes.state_address))
        self._generator = generator  # owns the state's memory
        self._cached = np.zeros(2)  # [1, value] for a normal left over by the last pair

    def seed(self, seed: int) -> None:
        """Reseed as ``numpy.random.RandomState(seed)`` starts."""
        self.rng.seed(seed)
        self._cached[:] = 0.0

    def fill_normals(self, out: NDArray[np.float64]) -> None:
        """Fill the 2-D ``out``, row by row, with the stream's next standard normals, as
        ``out[...] = rng.standard_normal(out.shape)`` would (by numpy itself where the kernel
        does not reproduce it: :func:`_kernel_is_numpys`)."""
        if _kernel_is_numpys():
            fill_normals(self._state, out, self._cached)
        else:
            out[...] = self.rng.standard_normal(out.shape)


@cache
def _kernel_is_numpys() -> bool:
    """Whether the normals kernel draws numpy's normals on this numpy (the state's layout is
    numpy's own): checked once per process on a draw across a twist, and the stream after."""
    ours, theirs = _LegacyStream(), np.random.RandomState(_CHECK_SEED)
    ours.seed(_CHECK_SEED)
    drawn = np.empty((_STATE_WORDS + 1, 3))
    fill_normals(ours._state, drawn, ours._cached)
    return bool(
        np.array_equal(drawn.ravel(), theirs.standard_normal(drawn.size))
        and np.array_equal(ours.rng.uniform(size=3), theirs.uniform(size=3))
    )


def _legacy_stream(seed: int) -> _LegacyStream:
    """The stream of ``numpy.random.RandomState(seed)``: this thread's one instance, reseeded.

    Reseeding gives the same draws as a new instance (the legacy seeding resets the whole state,
    the cached normal included) at a fiftieth of the cost: a new instance first seeds itself
    from the system's entropy, some 0.1 ms, three times a dataset. The caller must be done
    with the instance before it next asks for one on the same thread; nothing here keeps it.
    """
    stream = getattr(_LEGACY, "stream", None)
    if stream is None:
        stream = _LEGACY.stream = _LegacyStream()
    stream.seed(seed)
    return stream


def _hypercube(n_vertices: int, dimensions: int, rng: np.random.RandomState) -> NDArray:
    """``n_vertices`` distinct vertices of the unit hypercube in ``dimensions``, drawn as
    ``make_classification`` draws its clusters' (0/1 coordinates, unsigned ints)."""
    if dimensions > _HYPERCUBE_BITS:
        extra = rng.randint(2, size=(n_vertices, dimensions - _HYPERCUBE_BITS))
        return np.hstack([extra, _hypercube(n_vertices, _HYPERCUBE_BITS, rng)])
    codes = sample_without_replacement(2**dimensions, n_vertices, random_state=rng)
    bits = np.unpackbits(codes.astype(">u4", copy=False).view(">u1")).reshape((-1, 32))
    return bits[:, -dimensions:]


def noisy_prevalence(beta: float, flip_y: float) -> float:
    """The expected share of positive labels after :func:`add_label_noise`:
    ``(1 - flip_y) beta + flip_y / 2``."""
    return (1.0 - flip_y) * beta + flip_y / 2.0


def add_label_noise(y: NDArray[np.int64], flip_y: float, seed: int) -> NDArray[np.int64]:
    """make_classification's label noise: each label, with probability ``flip_y``, replaced by
    one drawn uniformly from {0, 1} (so about half of them change).

    The draws do not depend on ``flip_y``: with the same seed, the labels a smaller ``flip_y``
    replaces are replaced, by the same values, at any larger one.
    """
    if flip_y == 0.0:
        return y
    rng = np.random.default_rng(seed)
    replaced = rng.random(y.size) < flip_y
    return np.where(replaced, rng.integers(0, 2, size=y.size), y)


def hold_out_validation(data: Dataset, val_size: float, seed: int) -> Dataset:
    """Hold a stratified fraction ``val_size`` of the training split out as a validation split.

    The model is then fitted on the rest (``X_train``, ``y_train`` of the result); the test
    split is unchanged. The rows are those of scikit-learn's ``train_test_split(X_train,
    y_train, test_size=val_size, stratify=y_train, random_state=seed)`` (:func:`split_rows`).
    """
    fit, val = split_rows(data.y_train.size, val_size, seed, stratify=data.y_train)
    return data._replace(
        X_train=data.X_train[fit],
        y_train=data.y_train[fit],
        X_val=data.X_train[val],
        y_val=data.y_train[val],
    )


def split_rows(
    n_rows: int,
    test_size: float,
    seed: int,
    *,
    stratify: NDArray[np.int64] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The training and held-out rows, in order, that scikit-learn's ``train_test_split``
    picks for ``n_rows`` rows with ``test_size``, ``random_state=seed`` and ``stratify``.

    The same rows in the same order, computed without its checks and conversions: the shuffle
    of ``ShuffleSplit``, or with ``stratify`` (labels 0/1) that of ``StratifiedShuffleSplit``,
    drawn from the same ``numpy.random.RandomState(seed)`` in the same order. A split
    scikit-learn refuses (a class of fewer than two rows, a split too small to hold every
    class, an empty training split) is left to ``train_test_split``, which raises its error.

    Parameters
    ----------
    n_rows : int
        Rows to split.
    test_size : float
        The held-out share, in (0, 1): ``ceil(test_size * n_rows)`` rows.
    seed : int
        The ``random_state``, in [0, 2**32).
    stratify : ndarray of int, optional
        Labels (0/1) whose shares each split keeps, as scikit-learn apportions them.

    Returns
    -------
    train, test : ndarray of int
        Indices of the training rows and of the held-out rows.
    """
    n_test = ceil(test_size * n_rows)
    n_train = n_rows - n_test
    if not 0 < n_test < n_rows:
        return _refused(n_rows, test_size, seed, stratify)
    if stratify is None:
        shuffled = _legacy_stream(seed).rng.permutation(n_rows)
        return shuffled[n_test:], shuffled[:n_test]
    counts = np.bincount(stratify)
    present = np.flatnonzero(counts)
    counts = counts[present]
    if counts.min() < 2 or min(n_train, n_test) < present.size:
        return _refused(n_rows, test_size, seed, stratify)
    rng = _legacy_stream(seed).rng
    n_fit = _apportioned(counts, n_train, rng)
    n_held = _apportioned(counts - n_fit, n_test, rng)
    train, test = [], []
    for label, fit, held in zip(present.tolist(), n_fit.tolist(), n_held.tolist(), strict=True):
        rows = np.flatnonzero(stratify == label)
        shuffled = rows[rng.permutation(rows.size)]
        train.append(shuffled[:fit])
        test.append(shuffled[fit : fit + held])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def _apportioned(
    counts: NDArray[np.int64], n_draws: int, rng: np.random.RandomState
) -> NDArray[np.int64]:
    """``n_draws`` rows shared among classes of ``counts`` rows as scikit-learn's stratified
    split shares them: each class its share rounded down, then one more row to each class of the
    largest remainders (ties drawn by ``rng``, as scikit-learn draws them) until ``n_draws``."""
    share = counts / counts.sum() * n_draws
    taken = np.floor(share)
    missing = int(n_draws - taken.sum())
    remainder = share - taken
    for value in np.unique(remainder)[::-1]:
        if missing <= 0:
            break
        tied = np.flatnonzero(remainder == value)
        added = min(tied.size, missing)
        taken[rng.choice(tied, size=added, replace=False)] += 1
        missing -= added
    return taken.astype(np.int64)


def _refused(
    n_rows: int, test_size: float, seed: int, stratify: NDArray[np.int64] | None
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """``train_test_split``'s own answer (its error) for a split it refuses."""
    train, test = train_test_split(
        np.arange(n_rows), test_size=test_size, random_state=seed, stratify=stratify
    )
    return train, test
