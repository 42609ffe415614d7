"""One place for argument checks, so every error reads the same.

Every public function of the toolkit, and every command line built on it, checks its arguments
with these helpers. A failed check raises :class:`ParameterError`, a :class:`ValueError` with a
message of one shape::

    The 'beta' parameter of operating_point must be a float in the range (0, 1). Got 1.5 instead.

The error keeps the parameter's name, what is allowed and the value received, so that a command
line can say the same of its flag (:meth:`ParameterError.flag_message`) and exit with status 2.
Values are shown as :func:`shown` writes them: plain numbers (``nan``, ``0.5``), and a long array
as its first values and its length.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "AT_LEAST_ONE",
    "MAX_BOOTSTRAP",
    "NON_NEGATIVE",
    "POSITIVE",
    "UNIT_OPEN",
    "Interval",
    "ParameterError",
    "check_array",
    "check_float",
    "check_int",
    "check_option",
    "check_path",
    "flag_name",
    "shown",
]

_BRACKETS = {"neither": "()", "left": "[)", "right": "(]", "both": "[]"}
#: Values of an array a message shows before ``...`` and the array's length.
_SHOWN_VALUES = 5
#: Sizes above which an array is checked by its least and greatest values alone (two passes
#: without temporaries, where comparing each value takes four).
_SCANNED_BY_ENDS = 64


@dataclass(frozen=True)
class Interval:
    """A range of allowed real values.

    Parameters
    ----------
    low, high : float
        Bounds; ``-inf`` or ``inf`` for none.
    closed : {"neither", "left", "right", "both"}
        Which bounds belong to the range.
    """

    low: float
    high: float
    closed: str = "neither"

    def contains(self, values: NDArray[np.float64] | float) -> NDArray[np.bool_] | bool:
        """Elementwise membership; NaN is never a member.

        A Python int is compared exactly, however large (no conversion to float).
        """
        left_ok = values >= self.low if self.closed in ("left", "both") else values > self.low
        right_ok = values <= self.high if self.closed in ("right", "both") else values < self.high
        return left_ok & right_ok

    def __str__(self) -> str:
        opening, closing = _BRACKETS[self.closed]
        return f"{opening}{_fmt(self.low)}, {_fmt(self.high)}{closing}"


#: The positive reals, (0, inf).
POSITIVE = Interval(0.0, np.inf)
#: The non-negative reals, [0, inf).
NON_NEGATIVE = Interval(0.0, np.inf, "left")
#: One and above, [1, inf): a count of iterations or of units.
AT_LEAST_ONE = Interval(1.0, np.inf, "left")
#: The open unit interval (0, 1): a prevalence, a rate, a fraction of the rows.
UNIT_OPEN = Interval(0.0, 1.0)
#: Most bootstrap resamples any function or command takes.
MAX_BOOTSTRAP = 100_000


def _fmt(value: float) -> str:
    if np.isinf(value):
        return "inf" if value > 0 else "-inf"
    if float(value).is_integer() and abs(value) < 2**63:
        return str(int(value))
    return f"{value:g}"


def shown(value: object) -> str:
    """``value`` as a message shows it: numbers plain (``nan``, ``0.5``, where ``repr`` writes
    ``np.float64(nan)``), strings quoted, and an array or list longer than a few values as its
    first values and its length, ``[0.1, 0.2, 0.3, 0.4, 0.5, ...] (1000 values)``; a pandas
    Series or any other array-like as its array."""
    if isinstance(value, np.generic):
        return repr(value.item())
    if hasattr(value, "__array__") and not isinstance(value, np.ndarray):
        return shown(np.asarray(value))
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return repr(value.item())
    if isinstance(value, np.ndarray | list | tuple):
        items = value.ravel().tolist() if isinstance(value, np.ndarray) else list(value)
        opening, closing = ("(", ")") if isinstance(value, tuple) else ("[", "]")
        if len(items) <= _SHOWN_VALUES:
            return opening + ", ".join(shown(item) for item in items) + closing
        first = ", ".join(shown(item) for item in items[:_SHOWN_VALUES])
        size = f"{len(items)} values"
        if isinstance(value, np.ndarray) and value.ndim > 1:
            size += f", shape {value.shape}"
        return f"{opening}{first}, ...{closing} ({size})"
    return repr(value)


def flag_name(name: str) -> str:
    """The command-line flag of a parameter: ``n_jobs`` is ``--n-jobs``."""
    return "--" + name.replace("_", "-")


class ParameterError(ValueError):
    """A parameter's value is not allowed.

    Parameters
    ----------
    name : str
        The parameter.
    owner : str
        The function or class it belongs to.
    allowed : str
        What it may be, e.g. ``"a float in the range (0, 1)"``.
    got : object
        The value received.
    reason : str, optional
        Why the value was found wanting, when its form alone does not say (appended).
    """

    def __init__(
        self, name: str, owner: str, allowed: str, got: object, reason: str | None = None
    ) -> None:
        self.name, self.owner, self.allowed, self.got = name, owner, allowed, got
        self.reason = reason
        super().__init__(f"The {name!r} parameter of {owner} must be {self._complaint()}")

    def _complaint(self) -> str:
        because = f": {self.reason}" if self.reason else ""
        return f"{self.allowed}. Got {shown(self.got)} instead{because}."

    def flag_message(self) -> str:
        """The same complaint about the parameter's command-line flag, as argparse words it."""
        return f"argument {flag_name(self.name)}: must be {self._complaint()}"


def _fail(name: str, owner: str, allowed: str, got: object) -> None:
    raise ParameterError(name, owner, allowed, got)


def _a_float_in(interval: Interval) -> str:
    """What a float parameter may be, in a message (formatted only for a message)."""
    return f"a float in the range {interval}"


def _an_int_in(interval: Interval) -> str:
    """What an int parameter may be, in a message."""
    return f"an int in the range {interval}"


def check_array(value: ArrayLike, name: str, owner: str, interval: Interval) -> NDArray[np.float64]:
    """Return ``value`` as a float array after checking every element lies in ``interval``.

    Parameters
    ----------
    value : array_like
        Scalar or array of reals.
    name, owner : str
        The parameter's name and the function (or command-line flag) it belongs to; both appear in
        the error message.
    interval : Interval
        The allowed range.

    Returns
    -------
    ndarray of float64
        ``value`` converted, same shape.

    Raises
    ------
    ValueError
        If ``value`` is not numeric or an element lies outside ``interval``; the message names the
        first offending element.
    """
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(name, owner, _a_float_in(interval), value)
    if array.size > _SCANNED_BY_ENDS:  # the range is an interval: its ends decide (NaN fails)
        inside = interval.contains(array.min()) and interval.contains(array.max())
    else:
        inside = interval.contains(array).all()
    if not inside:
        bad = ~interval.contains(array)
        _fail(name, owner, _a_float_in(interval), float(array[bad].flat[0]))
    return array


def check_float(value: object, name: str, owner: str, interval: Interval) -> float:
    """Return ``value`` as a ``float`` after checking it is one real number in ``interval``.

    Raises
    ------
    ValueError
        If ``value`` is not a single number (a list or an array of several is refused) or lies
        outside ``interval``.
    """
    if type(value) is float and interval.contains(value):  # the common case, without numpy
        return value
    try:
        several = np.ndim(value) != 0
    except ValueError:  # a ragged list
        several = True
    if several:
        _fail(name, owner, _a_float_in(interval), value)
    return float(check_array(value, name, owner, interval))


def check_int(value: object, name: str, owner: str, interval: Interval) -> int:
    """Return ``value`` as an ``int`` after checking it is an integer in ``interval``.

    Raises
    ------
    ValueError
        If ``value`` is not an integer (bools are refused) or lies outside ``interval``.
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        _fail(name, owner, _an_int_in(interval), value)
    if not interval.contains(int(value)):
        _fail(name, owner, _an_int_in(interval), int(value))
    return int(value)


def check_option(value: object, name: str, owner: str, options: Iterable[str]) -> str:
    """Return ``value`` after checking it is one of ``options``.

    Raises
    ------
    ValueError
        If ``value`` is not one of ``options``; the message lists them.
    """
    options = tuple(options)
    if value not in options:
        allowed = "one of " + ", ".join(repr(option) for option in options)
        _fail(name, owner, allowed, value)
    return str(value)


def check_path(value: object, name: str, owner: str) -> Path:
    """Return ``value`` as a :class:`~pathlib.Path` after checking it can name a file.

    Raises
    ------
    ValueError
        If ``value`` is not a str or :class:`os.PathLike` of str, is empty, holds a NUL character
        or cannot be encoded in the file system's encoding.
    """
    allowed = "a non-empty str or os.PathLike path in the file system's encoding"
    try:
        text = os.fspath(value)
    except TypeError:
        _fail(name, owner, allowed, value)
    if not isinstance(text, str) or not text or "\x00" in text:
        _fail(name, owner, allowed, value)
    try:
        os.fsencode(text)
    except UnicodeEncodeError:
        _fail(name, owner, allowed, value)
    return Path(text)
