"""``python -m simulate.rulefit RUN [RUN ...]``: the command line of
:mod:`simulate.studies.comparison`'s rule fit and movement exponents."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import numpy as np
import pandas as pd

from params.argtypes import path
from params.commands import run_command
from params.tables import format_table
from simulate.analysis.summary import CELL_KEYS, cell_keys
from simulate.runs.folder import atomic_path
from simulate.studies.comparison import movement_medians, movement_tables, pooled, rule_fit
from theory.fit import FAMILIES


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m simulate.rulefit``."""
    parser = argparse.ArgumentParser(
        prog="python -m simulate.rulefit",
        description=(
            "Which rule describes which model: for each run (one model each) and condition "
            "(class_sep; flip_y and class_sep with label noise; the data set on real data), fit "
            "each curve family to the mean operating points and print the RMSE between each "
            "rule's expected F1 on it and the simulated mean F1 over the run's weights; then "
            "the movement exponent k per model and condition (the model moves as if weighted "
            "alpha**k: the slope of log(effective weight) against log(alpha), the effective "
            "weight placing the mean recall on the binormal fitted to the mean points under "
            "the bayes rule)."
        ),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("runs", nargs="+", type=path, metavar="RUN", help="finished run folders")
    parser.add_argument(
        "--family",
        choices=tuple(FAMILIES),
        default="binormal",
        help="the family of the per-condition table",
    )
    parser.add_argument(
        "--out", type=path, default=None, help="write the whole table (every family) as CSV"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (see :func:`params.commands.run_command`)."""
    return run_command(build_parser(), _run, argv)


def _run(args: argparse.Namespace) -> int:
    """Fit the rules to the runs ``args`` name, write the table to ``--out`` and print it."""
    table = rule_fit(args.runs)
    if args.out is not None:
        with atomic_path(args.out) as temporary:
            table.to_csv(temporary, index=False)
    summary = pooled(table).pivot_table(
        index="model", columns=["family", "rule"], values="rmse", sort=False
    )
    header = ("model", *(f"{family} {rule}" for family, rule in summary.columns))
    rows = [
        (model, *(f"{value:.4f}" for value in values))
        for model, values in zip(summary.index, summary.to_numpy(), strict=True)
    ]
    print("RMSE of each rule's F1 against the simulated mean F1, pooled over each run's conditions")
    print(format_table(header, rows))
    keys = cell_keys(table)
    print(f"\nper condition ({', '.join(keys)}), on the fitted {args.family} curve")
    print(
        format_table(
            ("model", *keys, "RMSE bce", "RMSE bayes", "closer"),
            _per_condition(table[table["family"] == args.family], keys),
        )
    )
    print_movement(movement_tables(args.runs))
    return 0


def _per_condition(table: pd.DataFrame, keys: list[str]) -> list[tuple[str, ...]]:
    """Per model and condition, the RMSE of each rule and the closer one; a key the model's
    run does not have is ``-``."""
    rows = []
    for model, group in table.groupby("model", sort=False):
        own = [key for key in keys if group[key].notna().any()]
        wide = group.pivot(index=own, columns="rule", values="rmse").reset_index()
        for row in wide.to_dict("records"):
            closer = "bce" if row["bce"] <= row["bayes"] else "bayes"
            values = (_value(row[key]) if key in own else "-" for key in keys)
            rows.append((model, *values, f"{row['bce']:.4f}", f"{row['bayes']:.4f}", closer))
    return rows


def _value(value: object) -> str:
    """A cell key's value as text: ``0.5``, ``breast_cancer``."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def print_movement(tables: dict[str, pd.DataFrame]) -> None:
    """Print the median ``k`` per model, then ``k`` per model and condition."""
    medians = movement_medians(tables)
    print(
        "\nmovement exponent k per model and condition (moves as if weighted alpha**k; from the "
        "mean operating points, binormal, bayes rule)"
    )
    print(
        format_table(
            ("model", "conditions", "median k", "range", "median se", "median r2"),
            [
                (
                    row.model,
                    str(row.conditions),
                    _number(row.k_median),
                    f"{_number(row.k_low)} to {_number(row.k_high)}",
                    _number(row.k_se_median, 3),
                    _number(row.r2_median),
                )
                for row in medians.itertuples()
            ],
        )
    )
    keys = [key for key in CELL_KEYS if any(key in table.columns for table in tables.values())]
    conditions = sorted(
        {_condition(row, keys) for table in tables.values() for row in _rows(table)}
    )
    rows = []
    for model, table in tables.items():
        k = {_condition(row, keys): row["k"] for row in _rows(table)}
        rows.append((model, *(_number(k.get(condition, np.nan)) for condition in conditions)))
    header = f"k at {', '.join(keys)}"
    print(format_table((header, *(_label(condition) for condition in conditions)), rows))


def _rows(table: pd.DataFrame) -> list[dict]:
    return table.to_dict("records")


def _condition(row: dict, keys: list[str]) -> tuple:
    """A condition's values of the cell keys, sortable (a missing key sorts first)."""
    return tuple((key in row, row.get(key, "")) for key in keys)


def _label(condition: tuple) -> str:
    """A condition as text, ``-`` for a key its run does not have."""
    return ", ".join(_value(value) if present else "-" for present, value in condition)


def _number(value: float, digits: int = 2) -> str:
    """``value`` to ``digits`` decimals, or ``-`` for NaN."""
    return "-" if np.isnan(value) else f"{value:.{digits}f}"


if __name__ == "__main__":
    sys.exit(main())
