from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from params.validation import (
    UNIT_OPEN,
    Interval,
    ParameterError,
    check_array,
    check_float,
    check_int,
    check_option,
    check_path,
    shown,
)


def test_message_shape():
    message = (
        r"^The 'beta' parameter of operating_point must be a float in the range \(0, 1\)\. "
        r"Got 1\.5 instead\.$"
    )
    with pytest.raises(ValueError, match=message):
        check_array([0.5, 1.5], "beta", "operating_point", Interval(0, 1))


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(
        st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=0, max_size=200
    ),
    closed=st.sampled_from(["neither", "left", "right", "both"]),
)
def test_check_array_refuses_exactly_the_values_outside_naming_the_first(values, closed):
    # arrays of every size, small ones compared value by value, large ones by their ends
    interval = Interval(-1.0, 1.0, closed)
    array = np.asarray(values, dtype=np.float64)
    inside = np.array([bool(interval.contains(v)) for v in array], dtype=bool)
    if inside.all():
        np.testing.assert_array_equal(check_array(array, "x", "f", interval), array)
        return
    with pytest.raises(ParameterError) as error:
        check_array(array, "x", "f", interval)
    got = float(array[~inside][0])
    assert error.value.got == got or (np.isnan(got) and np.isnan(error.value.got))


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


@pytest.mark.parametrize(
    ("got", "said"),
    [
        (np.float64("nan"), "nan"),
        (np.float64(0.5), "0.5"),
        (np.int64(7), "7"),
        (np.array(2.5), "2.5"),
        ([np.float64(1.5), np.inf], "[1.5, inf]"),
        ((0.4, 0.6), "(0.4, 0.6)"),
        (np.arange(1000.0), "[0.0, 1.0, 2.0, 3.0, 4.0, ...] (1000 values)"),
        (list(range(10)), "[0, 1, 2, 3, 4, ...] (10 values)"),
        (np.zeros((3, 4)), "[0.0, 0.0, 0.0, 0.0, 0.0, ...] (12 values, shape (3, 4))"),
        (pd.Series(np.arange(8)), "[0, 1, 2, 3, 4, ...] (8 values)"),
        ("abc", "'abc'"),
        (None, "None"),
    ],
)
def test_messages_show_plain_numbers_and_abbreviate_long_arrays(got, said):
    assert shown(got) == said
    assert str(ParameterError("x", "f", "a number", got)).endswith(f"Got {said} instead.")


def test_a_long_value_that_is_not_numbers_is_abbreviated():
    with pytest.raises(ValueError) as error:
        check_array(["a"] * 10_000, "alpha", "f", Interval(0, np.inf))
    assert str(error.value).endswith("Got ['a', 'a', 'a', 'a', 'a', ...] (10000 values) instead.")


@pytest.mark.parametrize(
    ("bad", "said"),
    [
        ([0.01, 0.02], r"\[0\.01, 0\.02\]"),
        ([0.5, 1.5], r"\[0\.5, 1\.5\]"),
        ([[1], [2, 3]], r"\[\[1\], \[2, 3\]\]"),
        (1.5, r"1\.5"),
        ("x", "'x'"),
    ],
)
def test_check_float_takes_one_number(bad, said):
    assert check_float(np.float64(0.25), "beta", "f", UNIT_OPEN) == 0.25
    assert type(check_float(np.array(0.25), "beta", "f", UNIT_OPEN)) is float
    message = r"^The 'beta' parameter of f must be a float in the range \(0, 1\)\. Got "
    with pytest.raises(ValueError, match=message + said + r" instead\.$"):
        check_float(bad, "beta", "f", UNIT_OPEN)
