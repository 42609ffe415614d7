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
from simulate.analysis.summary import cell_keys
from simulate.runs.folder import atomic_path
from simulate.studies.comparison import movement_medians, movement_tables, pooled, rule_fit
from theory.fit import FAMILIES


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m simulate.rulefit``."""
    parser = argparse.ArgumentParser(
        prog="python -m simulate.rulefit",
        description=(
            "Which rule describes which model: for each run (one model each) and class_sep, fit "
            "each curve family to the mean operating points and print the RMSE between each "
            "rule's expected F1 on it and the simulated mean F1 over the run's weights; then "
            "the movement exponent k per model and class_sep (the model moves as if weighted "
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
        help="the family of the per-class_sep table",
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
    print("RMSE of each rule's F1 against the simulated mean F1, pooled over class_sep")
    print(format_table(header, rows))
    chosen = table[table["family"] == args.family]
    wide = chosen.pivot_table(
        index=["model", "class_sep"], columns="rule", values="rmse", sort=False
    )
    best = np.where(wide["bce"] <= wide["bayes"], "bce", "bayes")
    print(f"\nper class_sep, on the fitted {args.family} curve")
    print(
        format_table(
            ("model", "class_sep", "RMSE bce", "RMSE bayes", "closer"),
            [
                (model, f"{class_sep:g}", f"{row.bce:.4f}", f"{row.bayes:.4f}", rule)
                for ((model, class_sep), row), rule in zip(wide.iterrows(), best, strict=True)
            ],
        )
    )
    print_movement(movement_tables(args.runs))
    return 0


def print_movement(tables: dict[str, pd.DataFrame]) -> None:
    """Print the median ``k`` per model, then ``k`` per model and class_sep."""
    medians = movement_medians(tables)
    print(
        "\nmovement exponent k per model and class_sep (moves as if weighted alpha**k; from the "
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
    keys = list(dict.fromkeys(key for table in tables.values() for key in cell_keys(table)))
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
    return ", ".join(
        f"{value:g}" if isinstance(value, float) else str(value) for _, value in condition
    )


def _number(value: float, digits: int = 2) -> str:
    """``value`` to ``digits`` decimals, or ``-`` for NaN."""
    return "-" if np.isnan(value) else f"{value:.{digits}f}"


if __name__ == "__main__":
    sys.exit(main())
