"""``python -m theory``: the table, what-if, help and errors."""

import inspect
import json

import numpy as np
import pytest

from theory.cli import build_parser, main
from theory.curves import Superellipse
from theory.optimum import optimize_alpha
from theory.whatif import what_if

TABLE_KEYS = {
    "beta",
    "p",
    "rule",
    "metric",
    "alpha_opt",
    "at_edge",
    "flat",
    "score_opt",
    "score_at_1",
    "score_at_inverse",
    "gain_over_1",
    "gain_over_inverse",
}
WHAT_IF_KEYS = ("recall", "specificity", "precision", "f1", "balanced_accuracy", "mcc")
POINT = ["--recall", "0.6", "--specificity", "0.9", "--beta", "0.01"]
WHAT_IF_GOOD = ["what-if", *POINT, "--alpha", "2"]
WHAT_IF = [
    "what-if",
    "--recall",
    "0.6",
    "--specificity",
    "0.99",
    "--beta",
    "0.01",
    "--alpha",
    "0.5,2,99",
]


def _run(capsys, argv):
    assert main(argv) == 0
    return capsys.readouterr().out


def test_table_numbers_agree_with_optimize_alpha(capsys):
    lines = _run(capsys, ["--beta", "0.01", "--p", "2,5,20"]).splitlines()
    assert lines[0].split()[:5] == ["beta", "p", "rule", "metric", "alpha*"]
    rows = [line.split() for line in lines[1:]]
    assert len(rows) == 3 * 2 * 2  # p values x rules x metrics
    seen = set()
    for beta, p, rule, metric, alpha, score, at_one, at_inverse, *gains in rows:
        best = optimize_alpha(float(beta), Superellipse(float(p)), metric=metric, rule=rule)
        assert float(alpha) == pytest.approx(float(best.alpha), rel=1e-3)
        assert float(score) == pytest.approx(float(best.score), abs=6e-5)
        assert float(at_one) == pytest.approx(float(best.score_at_one), abs=6e-5)
        assert float(at_inverse) == pytest.approx(float(best.score_at_inverse), abs=6e-5)
        assert float(gains[0]) == pytest.approx(float(best.gain_over_one), abs=6e-5)
        assert float(gains[1]) == pytest.approx(float(best.gain_over_inverse), abs=6e-5)
        seen.add((p, rule, metric))
    assert len(seen) == 12


def test_table_is_the_default_command(capsys):
    argv = ["--beta", "0.05", "--p", "3", "--rule", "bayes", "--metric", "f1,f2"]
    assert _run(capsys, argv) == _run(capsys, ["table", *argv])


def test_table_marks_an_optimum_at_the_edge(capsys):
    lines = _run(capsys, ["--p", "1", "--rule", "bce", "--metric", "f1"]).splitlines()
    assert lines[1].split()[4] == "1e+06*"


def test_table_marks_a_flat_score(capsys):
    lines = _run(capsys, ["--p", "1", "--rule", "bce", "--metric", "balanced_accuracy"])
    assert lines.splitlines()[1].split()[4].endswith("~")


def test_table_json(capsys):
    records = json.loads(_run(capsys, ["--beta", "0.01,0.1", "--p", "2,5,20", "--json"]))
    assert len(records) == 2 * 3 * 2 * 2
    for record in records:
        assert set(record) == TABLE_KEYS
        best = optimize_alpha(
            record["beta"], record["p"], metric=record["metric"], rule=record["rule"]
        )
        # The command solves a grid at once; arrays round a little differently from scalars.
        assert record["alpha_opt"] == pytest.approx(float(best.alpha), rel=1e-7)
        assert record["score_opt"] == pytest.approx(float(best.score), rel=1e-12)
        assert record["at_edge"] is False
        assert record["flat"] is False


def test_what_if_table(capsys):
    lines = _run(capsys, WHAT_IF).splitlines()
    assert lines[0].startswith("# binormal curve through (recall=0.6, specificity=0.99)")
    assert lines[1].split() == ["alpha", *WHAT_IF_KEYS]
    scores = what_if(0.6, 0.99, beta=0.01, alpha=np.array([0.5, 2.0, 99.0]))
    for line, i in zip(lines[2:], range(3), strict=True):
        cells = [float(cell) for cell in line.split()]
        assert cells[1] == pytest.approx(scores["recall"][i], abs=6e-5)
        assert cells[4] == pytest.approx(scores["f1"][i], abs=6e-5)


def test_what_if_json(capsys):
    argv = [*WHAT_IF, "--alpha-observed", "2", "--family", "superellipse", "--rule", "bce"]
    records = json.loads(_run(capsys, [*argv, "--json"]))
    assert [record["alpha"] for record in records] == [0.5, 2.0, 99.0]
    scores = what_if(
        0.6,
        0.99,
        beta=0.01,
        alpha=np.array([0.5, 2.0, 99.0]),
        alpha_observed=2.0,
        family="superellipse",
        rule="bce",
    )
    for i, record in enumerate(records):
        assert set(record) == {"alpha", *WHAT_IF_KEYS}
        for name in WHAT_IF_KEYS:
            assert record[name] == pytest.approx(scores[name][i], rel=1e-12)
    # At the observed weight the observed point comes back.
    assert records[1]["recall"] == pytest.approx(0.6, abs=1e-9)
    assert records[1]["specificity"] == pytest.approx(0.99, abs=1e-9)


@pytest.mark.parametrize(
    ("argv", "flags"),
    [
        (["--help"], ["table", "what-if"]),
        (["table", "--help"], ["--beta", "--p", "--rule", "--metric", "--json"]),
        (
            ["what-if", "--help"],
            [
                "--recall",
                "--specificity",
                "--beta",
                "--alpha",
                "--alpha-observed",
                "--family",
                "--rule",
            ],
        ),
    ],
)
def test_help_lists_every_flag(capsys, argv, flags):
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 0
    out = capsys.readouterr().out
    for flag in flags:
        assert flag in out


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--beta", "1.5"], ["--beta", "(0, 1)", "'1.5'"]),
        (["--beta", "0.01,abc"], ["--beta", "'abc'"]),
        (["--p", "0.5"], ["--p", "[1, 1000000]", "'0.5'"]),
        (["--rule", "x"], ["--rule", "'x'"]),
        (["--metric", "nope"], ["--metric", "'nope'"]),
        (
            ["what-if", "--recall", "2", "--specificity", "0.9", "--beta", "0.01", "--alpha", "2"],
            ["--recall", "'2'"],
        ),
        (
            ["what-if", "--recall", "0.6", "--specificity", "0", "--beta", "0.01", "--alpha", "2"],
            ["--specificity", "'0'"],
        ),
        (["what-if", *POINT, "--alpha", "0"], ["--alpha", "'0'"]),
        ([*WHAT_IF_GOOD, "--family", "x"], ["--family", "'x'"]),
        (
            ["what-if", *POINT],
            ["one of the arguments --alpha --positive-fraction is required"],
        ),
        (["what-if", *POINT, "--positive-fraction", "1"], ["--positive-fraction", "'1'"]),
        ([*WHAT_IF_GOOD, "--rule", "x"], ["--rule", "'x'"]),
        ([*WHAT_IF_GOOD, "--alpha-observed", "-1"], ["--alpha-observed", "'-1'"]),
        (
            [
                "what-if",
                "--recall",
                "0.3",
                "--specificity",
                "0.4",
                "--beta",
                "0.01",
                "--alpha",
                "2",
            ],
            ["'recall' and 'specificity'", "chance line", "recall=0.3 and specificity=0.4"],
        ),
    ],
)
def test_bad_input_is_a_one_line_error(capsys, argv, named):
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    errors = [line for line in captured.err.splitlines() if "error:" in line]
    assert len(errors) == 1
    assert captured.err.rstrip().endswith(errors[0])
    for piece in named:
        assert piece in errors[0]
    assert "Traceback" not in captured.err


def test_what_if_defaults_are_the_apis():
    args = build_parser().parse_args(["what-if", "--recall", "0.6", "--specificity", "0.9",
                                      "--beta", "0.01", "--alpha", "2"])  # fmt: skip
    defaults = inspect.signature(what_if).parameters
    for name in ("alpha_observed", "family", "rule"):
        assert getattr(args, name) == defaults[name].default, name


def test_what_if_positive_fraction_is_the_equivalent_weight(capsys):
    base = ["what-if", "--recall", "0.6", "--specificity", "0.99", "--beta", "0.01", "--json"]
    main([*base, "--positive-fraction", "0.5"])
    resampled = json.loads(capsys.readouterr().out)
    main([*base, "--alpha", "99"])
    weighted = json.loads(capsys.readouterr().out)
    assert resampled[0]["alpha"] == pytest.approx(99.0)
    assert resampled[0]["f1"] == pytest.approx(weighted[0]["f1"])
