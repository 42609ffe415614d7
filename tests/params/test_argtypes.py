import argparse
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from params.argtypes import bounded, grid, number_list, path
from params.validation import Interval

POSITIVE = Interval(0.0, math.inf)
pieces = st.sampled_from(["1", "250", "0", "-3", "abc", "1e3", "nan", "inf", "", " ", "2.5", "15"])
texts = st.lists(pieces, min_size=1, max_size=4).flatmap(
    lambda parts: st.sampled_from([":", ","]).map(lambda sep: sep.join(parts))
)


@given(st.one_of(texts, st.text(max_size=12)), st.sampled_from(["log", "linear"]))
def test_grid_parses_or_refuses_cleanly(text, spacing):
    try:
        values = grid(POSITIVE, spacing=spacing)(text)
    except argparse.ArgumentTypeError as error:
        assert "Got" in str(error)
    else:
        assert values
        assert all(math.isfinite(v) and v > 0 for v in values)
        if ":" in text and len(values) > 1:
            assert values == sorted(values)


def test_grid_examples():
    assert grid(POSITIVE, spacing="log")("1:250") == pytest.approx(
        [250 ** (k / 14) for k in range(15)]
    )
    for bad in ("5:abc", "10:1", "1:250:0", "1:2:3:4", "1,,2", "0:5"):
        with pytest.raises(argparse.ArgumentTypeError, match="Got"):
            grid(POSITIVE, spacing="log")(bad)


def test_bounded_and_lists():
    assert bounded(Interval(1, math.inf, "left"), int)("3") == 3
    with pytest.raises(argparse.ArgumentTypeError, match=r"an int in the range \[1, inf\)"):
        bounded(Interval(1, math.inf, "left"), int)("2.5")
    assert number_list(POSITIVE)("1, 2") == [1.0, 2.0]
    with pytest.raises(argparse.ArgumentTypeError, match="Got 'nan'"):
        number_list(POSITIVE)("nan")


def test_path():
    assert str(path("runs/a")) == "runs/a"
    with pytest.raises(argparse.ArgumentTypeError, match=r"must be a non-empty str.*Got ''"):
        path("")
