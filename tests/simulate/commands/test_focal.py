"""``python -m simulate.focal``: the study's files, its tables, and one line for bad input."""

import pandas as pd
import pytest

from simulate import load_run
from simulate.commands.focal import FIGURE_FILE, RULE_FIT_FILE, TABLE_FILE, main

SMALL = [
    "--models", "logreg", "--gammas", "0,1", "--seps", "1", "--reps", "2", "--alphas",
    "0.1,1,10", "--n-samples", "3000", "--beta", "0.05", "--n-jobs", "1",
]  # fmt: skip


def test_the_command_writes_the_sweeps_the_tables_and_the_figure(tmp_path, capsys):
    out = tmp_path / "focal"
    assert main([*SMALL, "--out", str(out), "--quiet"]) == 0
    assert load_run(out / "logreg-gamma1").fits["rep"].nunique() == 2
    table = pd.read_csv(out / TABLE_FILE)
    assert list(table["gamma"]) == [0.0, 1.0]
    assert set(pd.read_csv(out / RULE_FIT_FILE)["rule"]) == {"bce", "bayes", "focal"}
    assert (out / FIGURE_FILE).stat().st_size > 0
    assert capsys.readouterr().out == ""
    assert main([*SMALL, "--out", str(out), "--resume"]) == 0
    printed = capsys.readouterr().out
    assert "medians over class_sep" in printed
    assert "RMSE against the simulated F1" in printed
    pd.testing.assert_frame_equal(pd.read_csv(out / TABLE_FILE), table)


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--models", "hgb"], "argument --models"),
        (["--gammas", "-1"], "argument --gammas"),
        (["--reps", "0"], "argument --reps"),
        (["--resume", "--force"], "--resume and --force"),
    ],
)
def test_bad_input_is_one_line_and_status_2(tmp_path, capsys, arguments, named):
    with pytest.raises(SystemExit) as exit_info:
        main([*SMALL, *arguments, "--out", str(tmp_path / "x"), "--quiet"])
    assert exit_info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("python -m simulate.focal: error: ")
    assert named in last
    assert not (tmp_path / "x").exists()
