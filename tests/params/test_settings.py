"""Settings declared as dataclass fields: validation, flags and messages from one declaration."""

import argparse
import re
from dataclasses import dataclass

import numpy as np
import pytest

from params.settings import (
    add_arguments,
    declared,
    setting,
    settings_from_arguments,
    validate_fields,
)
from params.validation import Interval, ParameterError


@dataclass(frozen=True)
class Toy:
    rate: float = setting(0.5, float, "a rate", interval=Interval(0.0, 1.0))
    count: int = setting(3, int, "a count", interval=Interval(1, np.inf, "left"))
    weights: tuple[float, ...] = setting(
        "1:100:3", float, "weights", interval=Interval(0.0, np.inf), spacing="log", max_length=5
    )
    kind: str = setting("a", str, "a kind", choices=("a", "b"))
    limit: int | None = setting(
        None, int, "a limit", interval=Interval(1, 9, "both"), optional=True, none_means="none"
    )
    address: str | None = setting(None, str, "an address", optional=True, metavar="ADDRESS")
    parts: tuple[str, ...] = setting("x,y", str, "parts", many=True, choices=("x", "y", "z"))
    tags: tuple[str, ...] = setting("a", str, "tags", many=True)

    def __post_init__(self) -> None:
        validate_fields(self)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="toy", exit_on_error=False)
    add_arguments(parser, Toy, declared(Toy), defaults={"count": 7})
    return parser


def test_a_grid_default_is_its_text_parsed():
    assert Toy().weights == pytest.approx((1.0, 10.0, 100.0))
    assert Toy(weights=[5, 1, 5]).weights == (1.0, 5.0)


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("rate", 1.5, r"a float in the range \(0, 1\)"),
        ("rate", "0.5", r"a float in the range \(0, 1\)"),
        ("count", 2.0, r"an int in the range \[1, inf\)"),
        ("count", True, r"an int in the range \[1, inf\)"),
        ("limit", 10**400, r"an int in the range \[1, 9\] or None"),
        ("weights", [], r"a non-empty list of at most 5 floats in the range \(0, inf\)"),
        ("weights", [1.0, -1.0], r"a non-empty list of at most 5 floats in the range \(0, inf\)"),
        ("weights", range(1, 7), r"a non-empty list of at most 5 floats"),
        ("weights", [10**400], r"a non-empty list of at most 5 floats"),
        ("kind", "c", r"one of 'a', 'b'"),
        ("limit", 10, r"an int in the range \[1, 9\] or None"),
        ("address", "", r"a non-empty str or None"),
        ("parts", "x", r"a non-empty list of names from 'x', 'y', 'z'. Got 'x'"),
        ("parts", [], r"a non-empty list of names from 'x', 'y', 'z'. Got \[\]"),
        ("parts", ["x", "w"], r"a non-empty list of names from 'x', 'y', 'z'. Got 'w'"),
        ("tags", ["a", ""], r"a non-empty list of non-empty str. Got ''"),
        ("tags", [1], r"a non-empty list of non-empty str. Got 1"),
    ],
)
def test_a_bad_value_names_the_setting_and_what_is_allowed(name, value, allowed):
    with pytest.raises(ParameterError, match=rf"^The '{name}' parameter of Toy must be {allowed}"):
        Toy(**{name: value})


def test_a_list_keeps_its_order_without_duplicates():
    assert Toy().parts == ("x", "y")
    assert Toy(parts=["z", "x", "z"]).parts == ("z", "x")
    assert Toy(tags=("b", "a")).tags == ("b", "a")


def test_flags_come_from_the_declaration():
    parser = _parser()
    args = parser.parse_args([])
    assert Toy(**settings_from_arguments(Toy, args)) == Toy(count=7)
    args = parser.parse_args(["--weights", "3,1", "--limit", "4", "--address", "x:1"])
    assert Toy(**settings_from_arguments(Toy, args)) == Toy(
        count=7, weights=(1.0, 3.0), limit=4, address="x:1"
    )
    args = parser.parse_args(["--parts", "z, x", "--tags", "b,b,c"])
    assert Toy(**settings_from_arguments(Toy, args)) == Toy(
        count=7, parts=("z", "x"), tags=("b", "c")
    )
    help_text = " ".join(parser.format_help().split())
    assert "ADDRESS" in help_text
    assert "a limit; None: none" in help_text
    assert "parts, comma list of x, y, z" in help_text


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--rate", "2"], "must be a float in the range (0, 1). Got '2' instead."),
        (["--count", "0"], "must be an int in the range [1, inf). Got '0' instead."),
        (["--weights", "1,0"], "must be a float in the range (0, inf). Got '0' instead."),
        (["--limit", "10"], "must be an int in the range [1, 9]. Got '10' instead."),
        (["--parts", "x,w"], "must be a non-empty list of names from 'x', 'y', 'z'. Got 'x,w'"),
        (["--tags", "a,,b"], "must be a non-empty list of non-empty str. Got 'a,,b' instead."),
        (["--limit", "9" * 400], "must be an int in the range [1, 9]. Got '999"),
        (["--weights", "1:2:100000000"], "must be an int in the range [2, 5]. Got '100000000'"),
    ],
)
def test_a_bad_flag_is_worded_like_the_api(flags, message):
    with pytest.raises(argparse.ArgumentError, match=re.escape(message)):
        _parser().parse_args(flags)


def test_flag_message_of_an_api_error():
    with pytest.raises(ParameterError) as error:
        Toy(rate=2.0)
    assert error.value.flag_message() == (
        "argument --rate: must be a float in the range (0, 1). Got 2.0 instead."
    )


@dataclass(frozen=True)
class Numbers:
    ps: tuple[float, ...] = setting(
        "5,2", float, "shapes", interval=Interval(1.0, 10.0, "both"), many=True
    )
    counts: tuple[int, ...] = setting(
        "1", int, "counts", interval=Interval(1, 9, "both"), many=True
    )

    def __post_init__(self) -> None:
        validate_fields(self)


def test_a_list_of_numbers_keeps_its_order_without_duplicates():
    assert Numbers().ps == (5.0, 2.0)
    assert Numbers(ps=[3, 1, 3]).ps == (3.0, 1.0)
    parser = argparse.ArgumentParser(exit_on_error=False)
    add_arguments(parser, Numbers, declared(Numbers))
    args = parser.parse_args(["--ps", "10,1.5,10", "--counts", "4,2"])
    assert settings_from_arguments(Numbers, args) == {"ps": (10.0, 1.5), "counts": (4, 2)}
    assert parser.parse_args([]).ps == (5.0, 2.0)
    with pytest.raises(argparse.ArgumentError, match=re.escape("Got '11' instead.")):
        parser.parse_args(["--ps", "2,11"])


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("ps", [], r"a non-empty list of floats in the range \[1, 10\]. Got \[\]"),
        ("ps", [2.0, 0.5], r"a non-empty list of floats in the range \[1, 10\]. Got 0.5"),
        ("ps", "2", r"a non-empty list of floats"),
        ("counts", [2.5], r"a non-empty list of ints in the range \[1, 9\]. Got 2.5"),
    ],
)
def test_a_bad_list_of_numbers_names_the_bad_item(name, value, allowed):
    with pytest.raises(ParameterError, match=rf"'{name}' parameter of Numbers must be {allowed}"):
        Numbers(**{name: value})
