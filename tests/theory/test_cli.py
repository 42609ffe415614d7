"""``python -m theory``: the table, what-if, help and errors."""

import errno
import inspect
import json
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from params.commands import BROKEN_PIPE_STATUS
from theory.cli import build_parser, commands_of, main
from theory.curves import Superellipse
from theory.optimum import optimize_alpha
from theory.whatif import what_if
from theory.whatif_scores import what_if_scores

TABLE_KEYS = {
    "beta",
    "p",
    "rule",
    "metric",
    "alpha_opt",
    "at_edge",
    "flat",
    "plateau",
    "plateau_start",
    "plateau_stop",
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


def _refused(capsys, argv) -> str:
    """The one line of stderr (no usage block) of a refused command, after checking its
    status and that nothing went to stdout."""
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.endswith("\n")
    return captured.err.rstrip("\n")


def _strict_json(text: str) -> object:
    """``text`` parsed as strict JSON, which has no Infinity or NaN."""

    def refuse(constant: str) -> None:
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


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


def test_table_prints_a_plateau_as_a_range(capsys):
    # On the chance line under bayes every weight above (1-beta)/beta = 99 gives the best F1.
    argv = ["--p", "1", "--rule", "bayes", "--metric", "f1"]
    assert _run(capsys, argv).splitlines()[1].split()[4] == "99..1e+06"
    (record,) = json.loads(_run(capsys, [*argv, "--json"]))
    best = optimize_alpha(0.01, 1.0, metric="f1", rule="bayes")
    assert record["plateau"] is True and record["at_edge"] is False
    assert record["plateau_start"] == pytest.approx(float(best.plateau_start), rel=1e-12)
    assert record["plateau_stop"] == pytest.approx(float(best.plateau_stop), rel=1e-12)
    assert record["plateau_start"] <= record["alpha_opt"] <= record["plateau_stop"]


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
        assert record["plateau"] is False
        assert record["plateau_start"] == record["plateau_stop"] == record["alpha_opt"]


@pytest.mark.slow
def test_table_of_the_focal_rule_and_the_cost(capsys):
    argv = ["--p", "2,11", "--rule", "bayes,focal", "--gamma", "1", "--metric", "f1,cost"]
    priced = [*argv, "--cost-fn", "5", "--cost-fp", "2"]
    records = json.loads(_run(capsys, [*priced, "--json"]))
    assert len(records) == 2 * 2 * 2
    for record in records:
        options = {"gamma": 1.0} if record["rule"] == "focal" else {}
        if record["metric"] == "cost":
            options |= {"cost_fn": 5.0, "cost_fp": 2.0}
        assert set(record) == TABLE_KEYS | set(options)
        best = optimize_alpha(
            0.01, record["p"], metric=record["metric"], rule=record["rule"], **options
        )
        assert record["alpha_opt"] == pytest.approx(float(best.alpha), rel=1e-7)
        assert record["score_opt"] == pytest.approx(float(best.score), rel=1e-12)
        if record["rule"] == "bayes" and record["metric"] == "cost":
            assert record["alpha_opt"] == pytest.approx(2.5, rel=1e-6)
    lines = _run(capsys, priced).splitlines()
    assert lines[:2] == ["# focal rule: gamma = 1", "# cost = 5 * FN + 2 * FP per sample"]
    assert lines[2].split()[:4] == ["beta", "p", "rule", "metric"]
    assert _run(capsys, ["--rule", "focal", "--metric", "cost"]).startswith(
        "# focal rule: gamma = 2\n# cost = 1 * FN + 1 * FP per sample\n"
    )


def test_what_if_of_the_focal_rule(capsys):
    records = json.loads(_run(capsys, [*WHAT_IF, "--rule", "focal", "--gamma", "0.5", "--json"]))
    scores = what_if(
        0.6, 0.99, beta=0.01, alpha=np.array([0.5, 2.0, 99.0]), rule="focal", gamma=0.5
    )
    for i, record in enumerate(records):
        assert record["recall"] == pytest.approx(scores["recall"][i], rel=1e-12)
    title = _run(capsys, [*WHAT_IF, "--rule", "focal"]).splitlines()[0]
    assert "; rule focal (gamma 2); beta=0.01" in title


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
        (
            ["table", "--help"],
            ["--beta", "--p", "--rule", "--gamma", "--metric", "--cost-fn", "--cost-fp", "--json"],
        ),
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
                "--gamma",
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
        (["--beta", "1.5"], ["--beta", "[2.22507e-308, 1)", "'1.5'"]),
        (["--beta", "5e-324"], ["--beta", "[2.22507e-308, 1)", "'5e-324'"]),
        (["--metric", "f" + "1" * 400], ["--metric", "f<b> with b in (0, 1e+100]"]),
        (
            [
                "what-if",
                "--family",
                "superellipse",
                "--recall",
                "0.99999999",
                "--specificity",
                "0.99999999",
                "--beta",
                "0.01",
                "--alpha",
                "2",
            ],
            [
                "'recall' and 'specificity' parameters of what_if",
                "recall=0.99999999 and specificity=0.99999999",
                "the superellipse family can represent",
            ],
        ),
        (["--beta", "0.01,abc"], ["--beta", "'abc'"]),
        (["--p", "0.5"], ["--p", "[1, 1000000]", "'0.5'"]),
        (["--rule", "x"], ["--rule", "'x'"]),
        (["--metric", "nope"], ["--metric", "'nope'"]),
        (["--rule", "focal", "--gamma", "-1"], ["--gamma", "[0, inf)", "'-1'"]),
        (["--gamma", "1"], ["argument --gamma: must be None unless 'focal' is among the rules"]),
        (["--metric", "cost", "--cost-fn", "0"], ["--cost-fn", "(0, inf)", "'0'"]),
        (["--cost-fp", "2"], ["argument --cost-fp: must be None unless 'cost' is among"]),
        ([*WHAT_IF_GOOD, "--gamma", "2"], ["argument --gamma: must be None unless rule is"]),
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
    line = _refused(capsys, argv)
    command = "what-if" if argv[0] == "what-if" else "table"
    assert line.startswith(f"python -m theory {command}: error: ")
    assert line.endswith(f" (see python -m theory {command} --help)")
    for piece in named:
        assert piece in line


def _table(capsys, *flags: str) -> list[list[str]]:
    assert main(["table", *flags]) == 0
    return [line.split() for line in capsys.readouterr().out.splitlines()[1:]]


def test_table_shows_significant_digits_of_small_values(capsys):
    [row] = _table(capsys, "--beta", "0.00004", "--p", "2", "--rule", "bce", "--metric", "f1")
    assert row[0] == "4e-05"
    [row] = _table(
        capsys, "--beta", "0.99999999", "--p", "2", "--rule", "bce", "--metric",
        "balanced_accuracy",
    )  # fmt: skip
    assert row[4] == "1e-08"


def test_repeated_list_values_are_kept_once(capsys):
    rows = _table(
        capsys, "--beta", "0.01,0.01,0.02", "--p", "2,2", "--rule", "bce,bce", "--metric", "f1,f1"
    )
    assert [row[0] for row in rows] == ["0.01", "0.02"]
    assert main(["what-if", *POINT, "--alpha", "2,2,5"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 4


def test_what_if_near_a_corner_keeps_the_specificity(capsys):
    corner = ["--recall", "0.999999999", "--specificity", "0.999999999", "--beta", "0.01"]
    assert main(["what-if", *corner, "--alpha", "1e12"]) == 0
    title, header, row = capsys.readouterr().out.splitlines()
    assert "recall=0.999999999" in title
    assert row.split()[header.split().index("specificity")] == "0.9999"


def test_what_if_defaults_are_the_apis(capsys):
    argv = ["what-if", "--recall", "0.6", "--specificity", "0.9", "--beta", "0.01", "--alpha", "2"]
    args = build_parser().parse_args(argv)
    defaults = inspect.signature(what_if).parameters
    for name in ("alpha_observed", "rule"):
        assert getattr(args, name) == defaults[name].default, name
    main(argv)
    assert capsys.readouterr().out.startswith(f"# {defaults['family'].default} curve")
    scored = inspect.signature(what_if_scores).parameters
    args = build_parser().parse_args(["what-if", "--scores", "f.csv", "--alpha", "2"])
    for name in ("alpha_observed", "rule", "threshold", "bootstrap", "seed", "beta"):
        assert getattr(args, name) == scored[name].default, name


def test_what_if_positive_fraction_is_the_equivalent_weight(capsys):
    base = ["what-if", "--recall", "0.6", "--specificity", "0.99", "--beta", "0.01", "--json"]
    main([*base, "--positive-fraction", "0.5"])
    resampled = json.loads(capsys.readouterr().out)
    main([*base, "--alpha", "99"])
    weighted = json.loads(capsys.readouterr().out)
    assert resampled[0]["alpha"] == pytest.approx(99.0)
    assert resampled[0]["f1"] == pytest.approx(weighted[0]["f1"])


def _scores_file(tmp_path, suffix=".csv", rows=400, labels=("ham", "spam")):
    rng = np.random.default_rng(0)
    positive = rng.random(rows) < 0.15
    score = 1.0 / (1.0 + np.exp(-(rng.normal(size=rows) + 1.8 * positive - 2.0)))
    table = pd.DataFrame({"label": np.where(positive, labels[1], labels[0]), "p": score})
    path = tmp_path / f"scores{suffix}"
    table.to_parquet(path) if suffix == ".parquet" else table.to_csv(path, index=False)
    return path, positive, score


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_what_if_from_a_scores_file(tmp_path, suffix, capsys):
    path, positive, score = _scores_file(tmp_path, suffix)
    argv = ["what-if", "--scores", str(path), "--label-col", "label", "--score-col", "p",
            "--pos-label", "spam", "--alpha", "2,20", "--beta", "0.05", "--json"]  # fmt: skip
    assert main(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    expected = what_if_scores(positive, score, [2.0, 20.0], beta=0.05)
    assert [row["f1"] for row in printed["table"]] == pytest.approx(list(expected.table["f1"]))
    assert [row["metric"] for row in printed["best"]] == ["f1", "balanced_accuracy"]
    assert main(argv[:-1]) == 0
    text = capsys.readouterr().out
    assert "best weight and best threshold per metric" in text
    assert "threshold" in text.splitlines()[2]


def test_what_if_plot_is_written(tmp_path, capsys):
    path, _, _ = _scores_file(tmp_path)
    figure = tmp_path / "what-if.png"
    argv = ["what-if", "--scores", str(path), "--label-col", "label", "--score-col", "p",
            "--pos-label", "spam", "--positive-fraction", "0.25,0.5",
            "--plot", str(figure)]  # fmt: skip
    assert main(argv) == 0
    assert figure.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("", "cannot be read as CSV"),
        ("label,p\n", "has no rows"),
        ("label,q\nspam,0.1\n", "has no column 'p'"),
        ("label,p\nspam,high\nham,0.1\n", "not a number"),
        ("label,p\nspam,0.9\nspam,0.1\n", "two classes"),
    ],
)
def test_bad_scores_files_give_one_line(tmp_path, capsys, content, message):
    path = tmp_path / "scores.csv"
    if content is not None:
        path.write_text(content)
    argv = ["what-if", "--scores", str(path), "--label-col", "label", "--score-col", "p",
            "--alpha", "2"]  # fmt: skip
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert message in error
    assert "Traceback" not in error


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--recall", "0.5"], "--recall cannot go with it"),
        (["--pos-label", "eggs"], "argument --pos-label: must be one of ['ham', 'spam']"),
        (["--threshold", "7", "--smooth", "none"], "argument --threshold"),
    ],
)
def test_what_if_scores_flags_that_do_not_fit(tmp_path, capsys, extra, message):
    path, _, _ = _scores_file(tmp_path)
    argv = ["what-if", "--scores", str(path), "--label-col", "label", "--score-col", "p",
            "--alpha", "2"]  # fmt: skip
    if "--pos-label" not in extra:
        argv += ["--pos-label", "spam"]
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, *extra])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_point_flags_need_a_point(capsys):
    with pytest.raises(SystemExit):
        main(["what-if", "--recall", "0.6", "--alpha", "2"])
    assert "missing --specificity, --beta" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["what-if", "--recall", "0.6", "--specificity", "0.9", "--beta", "0.1",
              "--alpha", "2", "--bootstrap", "5"])  # fmt: skip
    assert "--bootstrap needs --scores FILE" in capsys.readouterr().err


def test_what_if_measures_the_movement_from_a_retrained_model(tmp_path, capsys):
    path, positive, score = _scores_file(tmp_path, rows=2000)
    logit = np.log(score / (1 - score))
    retrained = pd.DataFrame(
        {
            "label": np.where(positive, "spam", "ham"),
            "p": 1 / (1 + np.exp(-(logit + 0.6 * np.log(4.0)))),
        }
    )
    retrained_path = tmp_path / "retrained.csv"
    retrained.to_csv(retrained_path, index=False)
    argv = ["what-if", "--scores", str(path), "--label-col", "label", "--score-col", "p",
            "--pos-label", "spam", "--alpha", "2,20", "--retrained", str(retrained_path),
            "--retrained-alpha", "4"]  # fmt: skip
    assert main([*argv, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["movement"]["k"] == pytest.approx(0.6, abs=0.03)
    expected = what_if_scores(positive, score, [2.0, 20.0], movement=printed["movement"]["k"])
    assert [row["recall"] for row in printed["table"]] == pytest.approx(
        list(expected.table["recall"])
    )
    assert main(argv) == 0
    assert "movement k = 0.6" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--retrained-alpha", "4"], "go together"),
        (["--retrained", "{retrained}"], "go together"),
        (["--retrained", "{retrained}", "--retrained-alpha", "4", "--movement", "0.5"],
         "cannot be given together"),
        (["--retrained", "{short}", "--retrained-alpha", "4"], "the same labels"),
        (["--retrained", "{retrained}", "--retrained-alpha", "1"], "another weight"),
    ],
)  # fmt: skip
def test_what_if_refuses_a_retrained_model_it_cannot_use(tmp_path, capsys, extra, named):
    path, _, _ = _scores_file(tmp_path)
    (tmp_path / "r").mkdir()
    (tmp_path / "s").mkdir()
    files = {
        "retrained": str(_scores_file(tmp_path / "r", rows=400)[0]),
        "short": str(_scores_file(tmp_path / "s", rows=300)[0]),
    }
    argv = ["what-if", "--scores", str(path), "--label-col", "label", "--score-col", "p",
            "--pos-label", "spam", "--alpha", "2"]  # fmt: skip
    with pytest.raises(SystemExit) as exit_info:
        main([*argv, *(item.format(**files) for item in extra)])
    assert exit_info.value.code == 2
    assert named in capsys.readouterr().err.strip().splitlines()[-1]


def test_what_if_gives_predictive_intervals_for_a_test_sample(tmp_path, capsys):
    path, positive, score = _scores_file(tmp_path, rows=1000)
    argv = ["what-if", "--scores", str(path), "--label-col", "label", "--score-col", "p",
            "--pos-label", "spam", "--alpha", "2",
            "--bootstrap", "50", "--n-test", "400"]  # fmt: skip
    assert main([*argv, "--json"]) == 0
    row = json.loads(capsys.readouterr().out)["table"][0]
    expected = what_if_scores(positive, score, [2.0], bootstrap=50, n_test=400, n_jobs=-1)
    assert row["recall_low"] == pytest.approx(expected.table["recall_low"].iloc[0])
    assert main(argv) == 0
    assert "predictive intervals for a sample of 400 rows" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        main([*argv[:-4], "--n-test", "400"])  # no bootstrap
    assert exit_info.value.code == 2


@pytest.mark.parametrize(
    ("labels", "pos_label", "classes"),
    [
        ([0, 1, 2] * 100, "2", "[0, 1, 2]"),
        ([0, 1, 2] * 100, "1", "[0, 1, 2]"),
        ([0.0, 1.0, np.nan] * 100, "1.0", "[0.0, 1.0, nan]"),
        ([0.0, 1.0, np.nan] * 100, None, "[0.0, 1.0, nan]"),
        (["ham", "spam", None] * 100, "spam", "['ham', 'spam', nan]"),
    ],
)
def test_scores_file_labels_are_checked_as_the_api_checks_them(
    tmp_path, capsys, labels, pos_label, classes
):
    path = tmp_path / "scores.csv"
    score = np.random.default_rng(0).random(len(labels))
    pd.DataFrame({"y": labels, "score": score}).to_csv(path, index=False)
    with pytest.raises(ValueError, match="exactly two classes"):
        what_if_scores(labels, score, [2.0], pos_label=pos_label)
    argv = ["what-if", "--scores", str(path), "--alpha", "2"]
    if pos_label is not None:
        argv += ["--pos-label", pos_label]
    line = _refused(capsys, argv)
    assert (
        f"The scores file {str(path)!r} must hold labels of exactly two classes in column 'y'"
        in (line)
    )
    assert f"its classes are {classes}" in line


def test_pos_label_names_a_label_as_the_file_writes_it(tmp_path, capsys):
    path = tmp_path / "scores.csv"
    rng = np.random.default_rng(0)
    labels = rng.integers(1, 3, 300)  # 1 and 2, 2 positive
    score = rng.random(300) + 0.3 * (labels == 2)
    pd.DataFrame({"y": labels, "score": score}).to_csv(path, index=False)
    argv = ["what-if", "--scores", str(path), "--alpha", "2", "--json"]
    printed = json.loads(_run(capsys, [*argv, "--pos-label", "2"]))
    expected = what_if_scores(labels, score, [2.0], pos_label=2)
    assert printed["table"][0]["f1"] == pytest.approx(expected.table["f1"].iloc[0])
    line = _refused(capsys, [*argv, "--pos-label", "3"])
    assert "argument --pos-label: must be one of [1, 2]. Got '3' instead." in line


@pytest.mark.parametrize("name", ["what-if.txt", "what-if.png.bak", "what-if.jpeg"])
def test_plot_refuses_a_format_it_cannot_write_in_one_line(tmp_path, capsys, name):
    path, _, _ = _scores_file(tmp_path)
    figure = tmp_path / name
    argv = ["what-if", "--scores", str(path), "--label-col", "label", "--score-col", "p",
            "--pos-label", "spam", "--alpha", "2", "--plot", str(figure)]  # fmt: skip
    line = _refused(capsys, argv)
    assert line.startswith("python -m theory what-if: error: argument --plot: must be a file ")
    assert ".png, .svg, .pdf" in line and repr(str(figure)) in line
    assert not figure.exists()


def test_what_if_beta_has_the_tables_range(tmp_path, capsys):
    path, _, _ = _scores_file(tmp_path)
    scored = ["what-if", "--scores", str(path), "--label-col", "label", "--score-col", "p",
              "--pos-label", "spam", "--alpha", "2"]  # fmt: skip
    for argv in (scored, ["what-if", "--recall", "0.6", "--specificity", "0.9", "--alpha", "2"]):
        line = _refused(capsys, [*argv, "--beta", "1e-320"])
        assert "argument --beta: must be a float in the range [2.22507e-308, 1)" in line
    assert "[2.22507e-308, 1)" in _refused(capsys, ["table", "--beta", "1e-320"])


def test_json_is_strict_with_null_for_infinite_values(tmp_path, capsys):
    path, positive, score = _scores_file(tmp_path)
    argv = ["what-if", "--scores", str(path), "--label-col", "label", "--score-col", "p",
            "--pos-label", "spam", "--alpha", "2", "--smooth", "none", "--beta", "0.9",
            "--json"]  # fmt: skip
    printed = _strict_json(_run(capsys, argv))
    expected = what_if_scores(positive, score, [2.0], smooth=None, beta=0.9).best
    assert np.isinf(expected["alpha_max"]).any()  # the best F1 is reached by every weight above
    for row, (_, best) in zip(printed["best"], expected.iterrows(), strict=True):
        assert row["alpha_max"] == (None if np.isinf(best["alpha_max"]) else best["alpha_max"])
    for command in commands_of(build_parser()).values():
        assert "is null" in " ".join(command.format_help().split())


#: Runs ``python -m theory`` as a full disk makes it fail: joblib cannot make a semaphore in
#: /dev/shm (it warns, on import, that it runs in one process) and the figure cannot be written.
FULL_DISK = textwrap.dedent(
    """
    import _multiprocessing, errno, sys
    from matplotlib.figure import Figure

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    _multiprocessing.SemLock = full
    Figure.savefig = full
    from theory.cli import main

    sys.exit(main(sys.argv[1:]))
    """
)


@pytest.mark.slow
def test_a_full_disk_is_the_one_error_line(tmp_path):
    path, _, _ = _scores_file(tmp_path)
    argv = ["what-if", "--scores", str(path), "--label-col", "label", "--score-col", "p",
            "--pos-label", "spam", "--alpha", "2", "--bootstrap", "20",
            "--plot", str(tmp_path / "a.png")]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", FULL_DISK, *argv], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 2
    figure = repr(str(tmp_path / "a.png"))
    assert done.stderr == (
        f"python -m theory: error: Cannot write the figure {figure}: [Errno {errno.ENOSPC}] "
        f"No space left on device: {figure}\n"
    )


@pytest.mark.slow
@pytest.mark.parametrize("extra", [[], ["--bootstrap", "20"], ["--json"]])
def test_output_piped_into_a_closed_reader_ends_quietly(tmp_path, extra):
    path, _, _ = _scores_file(tmp_path)
    argv = ["what-if", "--scores", str(path), "--label-col", "label", "--score-col", "p",
            "--pos-label", "spam", "--alpha", ",".join(str(a) for a in range(1, 3000))]  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "theory", *argv, *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().startswith(("# ", "{"))  # read one line, as head -1
    process.stdout.close()
    assert process.wait(timeout=300) == BROKEN_PIPE_STATUS
    assert process.stderr.read() == ""
