from pathlib import Path

import numpy as np
import pytest

from params.validation import (
    Interval,
    ParameterError,
    check_array,
    check_int,
    check_option,
    check_path,
)


def test_message_shape():
    message = (
        r"^The 'beta' parameter of operating_point must be a float in the range \(0, 1\)\. "
        r"Got 1\.5 instead\.$"
    )
    with pytest.raises(ValueError, match=message):
        check_array([0.5, 1.5], "beta", "operating_point", Interval(0, 1))


@pytest.mark.parametrize(
    ("closed", "inside", "outside"),
    [("neither", 0.5, 0.0), ("left", 0.0, 1.0), ("right", 1.0, 0.0), ("both", 1.0, np.nan)],
)
def test_interval_closure(closed, inside, outside):
    interval = Interval(0.0, 1.0, closed)
    assert interval.contains(np.float64(inside))
    assert not interval.contains(np.float64(outside))


def test_check_int_and_option():
    assert check_int(3, "reps", "f", Interval(1, np.inf, "left")) == 3
    for bad in (0, 2.5, True, "3"):
        with pytest.raises(ValueError, match="'reps' parameter of f must be an int"):
            check_int(bad, "reps", "f", Interval(1, np.inf, "left"))
    with pytest.raises(ValueError, match=r"one of 'bce', 'bayes'\. Got 'x' instead"):
        check_option("x", "rule", "f", ("bce", "bayes"))


def test_non_numeric():
    with pytest.raises(ValueError, match="Got 'abc' instead"):
        check_array("abc", "alpha", "f", Interval(0, np.inf))


def test_a_reason_follows_the_value():
    error = ParameterError("scheduler", "f", "a reachable address", "tcp://x:1", "timed out")
    assert str(error).endswith("Got 'tcp://x:1' instead: timed out.")
    assert error.flag_message() == (
        "argument --scheduler: must be a reachable address. Got 'tcp://x:1' instead: timed out."
    )


def test_check_path():
    assert check_path("runs/a", "out", "f") == Path("runs/a")
    assert check_path(Path("b"), "out", "f") == Path("b")
    for bad in ("", 3, b"runs", "a\x00b", "\ud800", None):
        with pytest.raises(ValueError, match="'out' parameter of f must be a non-empty str"):
            check_path(bad, "out", "f")
