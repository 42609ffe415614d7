"""The data a sweep draws its datasets from: make_classification, scikit-learn's shipped data
sets, or a table of the user's.

``--dataset`` names each source:

- ``make_classification``: the post's synthetic data, one source per ``class_sep``;
- ``breast_cancer``: scikit-learn's breast-cancer data, malignant tumours positive;
- ``digits:D``: scikit-learn's handwritten digits, digit ``D`` (0-9) against the rest;
- a path ending in ``.csv`` or ``.parquet``: a table with numeric feature columns (finite:
  missing and infinite values are refused) and a ``--target`` column of two values, the less
  frequent of which is positive.

Each repetition of a real source keeps every negative and subsamples the positives, without
replacement, to the sweep's prevalence ``beta`` (:func:`subsample_positives`); a ``beta`` above
the data's own share of positives cannot be reached.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from sklearn.datasets import load_breast_cancer, load_digits

__all__ = [
    "MAKE_CLASSIFICATION",
    "SHIPPED",
    "SOURCE_FORM",
    "TABLE_SUFFIXES",
    "Rows",
    "is_source",
    "is_table",
    "load_rows",
    "positives_kept",
    "shipped_rows",
    "subsample_positives",
]

#: The post's synthetic data, the default source.
MAKE_CLASSIFICATION = "make_classification"
#: Data sets shipped inside scikit-learn, by the name ``--dataset`` takes (digits with ``:D``).
SHIPPED: tuple[str, ...] = ("breast_cancer", "digits")
#: File types a user's table may have.
TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".parquet")
#: What a source may be, in words.
SOURCE_FORM = (
    f"{MAKE_CLASSIFICATION!r}, 'breast_cancer', 'digits:D' (D in 0-9) or paths to "
    f"{' or '.join(TABLE_SUFFIXES)} tables"
)


class Rows(NamedTuple):
    """A real source's rows: features and labels (1 positive, 0 negative)."""

    X: NDArray[np.float64]
    y: NDArray[np.int64]

    @property
    def positives(self) -> int:
        """Number of positive rows."""
        return int(self.y.sum())

    @property
    def negatives(self) -> int:
        """Number of negative rows."""
        return int(self.y.size - self.y.sum())


def is_source(name: str) -> bool:
    """Whether ``name`` has the form of a source (a table need not exist to have it)."""
    shipped, _, digit = name.partition(":")
    is_digit = shipped == "digits" and digit.isdigit() and int(digit) <= 9
    return name in (MAKE_CLASSIFICATION, "breast_cancer") or is_digit or is_table(name)


def is_table(source: str) -> bool:
    """Whether ``source`` names a user's table (by its file suffix)."""
    return Path(source).suffix.lower() in TABLE_SUFFIXES


@functools.cache
def shipped_rows(name: str, digit: int | None = None) -> Rows:
    """A data set shipped with scikit-learn: ``breast_cancer`` (malignant positive) or
    ``digits`` (``digit`` against the rest)."""
    if name == "digits":
        X, target = load_digits(return_X_y=True)
        return Rows(X.astype(np.float64), (target == digit).astype(np.int64))
    X, target = load_breast_cancer(return_X_y=True)
    return Rows(X.astype(np.float64), (target == 0).astype(np.int64))  # 0 is malignant


def load_rows(source: str, target: str | None = None) -> Rows:
    """The rows of a real source (see the module's notes); cached per process.

    Raises
    ------
    ValueError
        One line naming what is wrong: a name that is no source, a table that cannot be read,
        a missing target column, non-numeric, missing or infinite feature values (every model
        is refused them alike, before any fit), or a target without exactly two values.
    """
    if not is_source(source) or source == MAKE_CLASSIFICATION:
        raise ValueError(f"The data set {source!r} is not a real data set: {SOURCE_FORM}.")
    if source == "breast_cancer":
        return shipped_rows("breast_cancer")
    if not is_table(source):
        return shipped_rows("digits", int(source.partition(":")[2]))
    if target is None:
        raise ValueError(f"The table {source} needs --target, the name of its label column.")
    return _table_rows(source, target)


@functools.cache
def _table_rows(path: str, target: str) -> Rows:
    try:
        table = pd.read_parquet(path) if path.lower().endswith(".parquet") else pd.read_csv(path)
    except Exception as error:  # pandas and pyarrow raise many kinds
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ValueError(f"The table {path} cannot be read: {reason}") from None
    if target not in table.columns:
        columns = ", ".join(map(str, table.columns[:10]))
        raise ValueError(
            f"The table {path} has no column {target!r} for --target (its columns: {columns}"
            f"{', ...' if len(table.columns) > 10 else ''})."
        )
    labels = table[target]
    if labels.isna().any():
        raise ValueError(f"The target column {target!r} of {path} has missing values.")
    values, counts = np.unique(labels.to_numpy(), return_counts=True)
    if len(values) != 2:
        shown = ", ".join(map(repr, values[:5].tolist()))
        raise ValueError(
            f"The target column {target!r} of {path} must hold two values; it holds "
            f"{len(values)} ({shown}{', ...' if len(values) > 5 else ''})."
        )
    features = table.drop(columns=target)
    if features.shape[1] == 0:
        raise ValueError(f"The table {path} has no feature column besides {target!r}.")
    text = [str(c) for c in features.columns if not pd.api.types.is_numeric_dtype(features[c])]
    if text:
        raise ValueError(f"The table {path} has non-numeric feature columns: {', '.join(text)}.")
    X = features.to_numpy(dtype=np.float64, na_value=np.nan)
    finite = np.isfinite(X).all(axis=0)
    if not finite.all():
        bad = ", ".join(str(c) for c, ok in zip(features.columns, finite, strict=True) if not ok)
        raise ValueError(f"The table {path} has missing or infinite values in columns: {bad}.")
    positive = values[np.argmin(counts)] if counts[0] != counts[1] else values[1]
    y = (labels.to_numpy() == positive).astype(np.int64)
    return Rows(X, y)


def positives_kept(rows: Rows, beta: float) -> int:
    """Positives a dataset drawn from ``rows`` at prevalence ``beta`` keeps beside every
    negative: ``round(beta / (1 - beta) * negatives)``."""
    return round(beta / (1.0 - beta) * rows.negatives)


def subsample_positives(rows: Rows, beta: float, rng: np.random.Generator) -> Rows:
    """Every negative row and :func:`positives_kept` positives drawn without replacement, in
    the rows' order.

    Raises
    ------
    ValueError
        If the rows hold fewer positives than ``beta`` needs.
    """
    positives = np.flatnonzero(rows.y == 1)
    kept = positives_kept(rows, beta)
    if kept > positives.size:
        raise ValueError(f"beta = {beta:g} needs {kept} positives; the rows hold {positives.size}.")
    chosen = rng.choice(positives, size=kept, replace=False)
    taken = np.sort(np.concatenate((np.flatnonzero(rows.y == 0), chosen)))
    return Rows(rows.X[taken], rows.y[taken])
