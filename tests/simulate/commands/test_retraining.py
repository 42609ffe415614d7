"""``python -m simulate.retraining``: the study's files, its tables, and one line for bad input."""

import pandas as pd
import pytest

from simulate import load_run
from simulate.commands.retraining import ERROR_FIGURE_FILE, FIGURE_FILE, main
from simulate.studies.retraining import SUMMARY_FILE

SMALL = [
    "--models", "logreg", "--betas", "0.1", "--dataset", "breast_cancer", "--alphas", "1,4",
    "--reps", "2", "--predictors", "bayes,no-change", "--bootstrap", "10", "--n-jobs", "1",
]  # fmt: skip


def test_the_command_writes_the_sweeps_the_table_and_the_figure(tmp_path, capsys):
    out = tmp_path / "study"
    assert main([*SMALL, "--out", str(out), "--quiet"]) == 0
    assert load_run(out / "logreg-beta0.1").fits["rep"].nunique() == 2
    table = pd.read_csv(out / SUMMARY_FILE)
    assert set(table["predictor"]) == {"bayes", "no-change", "unchanged"}
    assert (out / FIGURE_FILE).stat().st_size > 0
    assert (out / ERROR_FIGURE_FILE).stat().st_size > 0
    assert capsys.readouterr().out == ""
    assert main([*SMALL, "--out", str(out), "--resume", "--show", "no-change"]) == 0
    printed = capsys.readouterr().out
    assert "prediction no-change against retraining" in printed
    assert "breast_cancer" in printed
    assert "F1 per condition: median k of its splits" in printed
    assert "F1 per regime of validation positives" in printed
    pd.testing.assert_frame_equal(pd.read_csv(out / SUMMARY_FILE), table)


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--models", "tree"], "argument --models"),
        (["--betas", "0.9", "--dataset", "digits:8"], "digits:8"),
        (["--predictors", "oracle"], "argument --predictors"),
        (["--bootstrap", "-1"], "argument --bootstrap"),
        (["--resume", "--force"], "--resume and --force"),
        (["--show", "hull"], "--show hull is not among --predictors"),
    ],
)
def test_bad_input_is_one_line_and_status_2(tmp_path, capsys, arguments, named):
    with pytest.raises(SystemExit) as exit_info:
        main([*SMALL, *arguments, "--out", str(tmp_path / "x"), "--quiet"])
    assert exit_info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("python -m simulate.retraining: error: ")
    assert named in last
    assert not (tmp_path / "x").exists()
