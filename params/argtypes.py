"""``argparse`` types shared by the command lines: numbers, lists and ranges, checked on parsing.

Each factory returns a callable for ``add_argument(type=...)``. A bad value raises
:class:`argparse.ArgumentTypeError`, which argparse reports as a one-line
``argument --flag: must be ... Got ... instead.`` message with exit status 2.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from pathlib import Path

import numpy as np

from params.validation import Interval, ParameterError, check_path

__all__ = ["bounded", "grid", "n_jobs", "number_list", "path"]


def _number(text: str, kind: type, interval: Interval) -> float | int:
    noun = "an int" if kind is int else "a float"
    message = f"must be {noun} in the range {interval}. Got {text!r} instead."
    try:
        value = kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(message) from None
    if (kind is float and not math.isfinite(value)) or not interval.contains(value):
        raise argparse.ArgumentTypeError(message)
    return value


def bounded(interval: Interval, kind: type = float) -> Callable[[str], float | int]:
    """One number of type ``kind`` in ``interval``."""

    def parse(text: str) -> float | int:
        return _number(text.strip(), kind, interval)

    return parse


def number_list(interval: Interval, kind: type = float) -> Callable[[str], list[float | int]]:
    """A comma-separated list of numbers in ``interval``, e.g. ``2,5,20``; a repeated value is
    kept once, where it first appears."""

    def parse(text: str) -> list[float | int]:
        items = [item.strip() for item in text.split(",")]
        if not all(items):
            raise argparse.ArgumentTypeError(
                f"must be a comma-separated list of numbers. Got {text!r} instead."
            )
        return list(dict.fromkeys(_number(item, kind, interval) for item in items))

    return parse


def grid(
    interval: Interval, *, spacing: str, default_count: int = 15, max_count: float = np.inf
) -> Callable[[str], list[float]]:
    """Either ``LO:HI[:N]`` (``N`` points, log- or linearly spaced) or a comma-separated list.

    Parameters
    ----------
    interval : Interval
        Range every value must lie in.
    spacing : {"log", "linear"}
        How a ``LO:HI[:N]`` range is filled.
    default_count : int, default 15
        ``N`` when it is left out.
    max_count : int, optional
        Largest ``N`` (checked before the grid is made); no limit by default.
    """
    form = f"LO:HI[:N] with LO < HI (N >= 2 points, {spacing}-spaced) or a comma-separated list"

    def parse(text: str) -> list[float]:
        if ":" not in text:
            return number_list(interval)(text)
        parts = text.split(":")
        if len(parts) not in (2, 3):
            raise argparse.ArgumentTypeError(f"must be {form}. Got {text!r} instead.")
        low = _number(parts[0].strip(), float, interval)
        high = _number(parts[1].strip(), float, interval)
        count = default_count
        if len(parts) == 3:
            counts = Interval(2, max_count, "both" if np.isfinite(max_count) else "left")
            count = _number(parts[2].strip(), int, counts)
        if not low < high:
            raise argparse.ArgumentTypeError(f"must be {form}. Got {text!r} instead.")
        if spacing == "log":
            return [float(v) for v in np.geomspace(low, high, count)]
        return [float(v) for v in np.linspace(low, high, count)]

    return parse


def n_jobs(text: str) -> int:
    """A worker count: any non-zero int, -1 meaning every core (joblib's convention)."""
    value = _number(text.strip(), int, Interval(-np.inf, np.inf))
    if value == 0:
        raise argparse.ArgumentTypeError(
            f"must be a non-zero int (-1 for every core). Got {text!r} instead."
        )
    return int(value)


def path(text: str) -> Path:
    """A file-system path: not empty, no NUL, encodable (:func:`params.validation.check_path`)."""
    try:
        return check_path(text, "path", "a flag")
    except ParameterError as error:
        message = f"must be {error.allowed}. Got {text!r} instead."
        raise argparse.ArgumentTypeError(message) from None
