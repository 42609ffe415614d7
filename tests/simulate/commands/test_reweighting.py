"""``python -m simulate.reweighting``: its tables, and one line for bad input."""

import pytest

from simulate.commands.reweighting import main

SMALL = [
    "--models", "logreg", "--datasets", "make_classification", "--betas", "0.2",
    "--alphas", "5", "--reps", "1", "--n-samples", "1000",
]  # fmt: skip


def test_the_command_prints_the_three_tables(capsys):
    assert main([*SMALL, "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "over 1 splits" in printed
    assert printed.count("F1 reweighted-k") == 3
    assert printed.count("recall reweighted-k") == 3
    assert "make_classification 20%" in printed


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (["--models", "tree"], "argument --models"),
        (["--alphas", "0"], "argument --alphas"),
        (["--reps", "0"], "argument --reps"),
        (["--n-samples", "100"], "raise n_samples or the smallest beta"),
    ],
)
def test_bad_input_is_one_line_and_status_2(capsys, arguments, named):
    with pytest.raises(SystemExit) as exit_info:
        main([*SMALL, *arguments, "--quiet"])
    assert exit_info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("python -m simulate.reweighting: error: ")
    assert named in last
