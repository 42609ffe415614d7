"""The commands' plain-text tables and JSON."""

import json

import numpy as np
import pytest

from params.tables import format_json, format_table


def _strict(text: str) -> object:
    """``text`` parsed as strict JSON, which has no Infinity or NaN."""

    def refuse(constant: str) -> None:
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_format_table_aligns_columns_right():
    assert format_table(["a", "bb"], [["10", "2"]]) == " a  bb\n10   2"


def test_json_writes_null_for_numbers_json_cannot_hold():
    value = {"inf": np.inf, "nan": np.float64("nan"), "rows": [{"high": -np.inf, "k": 0.5}]}
    assert _strict(format_json(value)) == {
        "inf": None,
        "nan": None,
        "rows": [{"high": None, "k": 0.5}],
    }


def test_json_refuses_an_object_it_has_no_form_for():
    with pytest.raises(TypeError):
        format_json({"a": object()})
