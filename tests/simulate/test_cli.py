import pandas as pd
import pytest

from params.argtypes import grid
from params.validation import Interval
from simulate.cli import build_parser, main

SMALL = [
    "--beta", "0.05", "--alphas", "1:19:3", "--seps", "0.5,2", "--reps", "2",
    "--n-samples", "800", "--n-features", "6", "--n-informative", "3",
    "--engine", "sklearn", "--n-jobs", "1",
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "spacing", "expected"),
    [
        ("1:100:3", "log", [1.0, 10.0, 100.0]),
        ("0:1:3", "linear", [0.0, 0.5, 1.0]),
        ("1,5,2", "log", [1.0, 5.0, 2.0]),
        ("3", "log", [3.0]),
    ],
)
def test_grid_parsing(text, spacing, expected):
    interval = Interval(0.0, float("inf"), "left")
    assert grid(interval, spacing=spacing)(text) == pytest.approx(expected)


def test_default_alphas_count_is_15():
    args = build_parser().parse_args(["--alphas", "1:250"])
    assert len(args.alphas) == 15
    assert args.alphas[-1] == pytest.approx(250.0)


def test_end_to_end(tmp_path, capsys):
    out = tmp_path / "run"
    assert main([*SMALL, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "best alpha" in printed
    assert "theory bce" in printed
    assert {p.name for p in out.iterdir()} == {
        "fits.parquet",
        "summary.csv",
        "run.json",
        "f1_vs_alpha.png",
    }
    fits = pd.read_parquet(out / "fits.parquet")
    assert len(fits) == 2 * 3 * 2
    assert (fits[["tp", "fp", "fn", "tn"]].sum(axis=1) == 200).all()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--beta", "1.5"], "argument --beta: must be a float in the range (0, 1). Got '1.5'"),
        (["--alphas", "5:abc"], "argument --alphas: must be a float"),
        (["--alphas", "10:1"], "argument --alphas: must be LO:HI[:N] with LO < HI"),
        (["--alphas", "1:250:0"], "argument --alphas: must be an int in the range [2, 1000]"),
        (["--alphas", "1:2:100000000"], "argument --alphas: must be an int in the range [2, 1000]"),
        (["--alphas", "0,1"], "argument --alphas: must be a float in the range [0.0001, 10000000]"),
        (["--alphas", "1,1e200"], "in the range [0.0001, 10000000]. Got '1e200' instead."),
        (["--alphas", "1e-200,1"], "in the range [0.0001, 10000000]. Got '1e-200' instead."),
        (["--reps", "0"], "argument --reps: must be an int in the range [1, 1000000]. Got '0'"),
        (["--reps", "1e12"], "argument --reps: must be an int in the range [1, 1000000]"),
        (["--reps", "1000000", "--alphas", "1:19:20"], "ask for 40,000,000 fits"),
        (
            ["--max-depth", str(2**63)],
            "argument --max-depth: must be an int in the range [1, 2147483647]",
        ),
        (["--seed", str(2**32)], "argument --seed: must be an int in the range [0, 4294967295]"),
        (["--n-jobs", str(2**63)], "argument --n-jobs: must be an int in the range [-1024, 1024]"),
        (["--test-size", "0.999"], "expected positives in each training split"),
        (["--n-jobs", "0"], "argument --n-jobs: must be a non-zero int"),
        (["--test-size", "1"], "argument --test-size: must be a float in the range (0, 1)"),
        (["--n-samples", "100"], "expected positives in each test split"),
        (["--n-informative", "8"], "argument --n-informative: must be an int in the range [2, 6]"),
        (["--backend", "dask"], "argument --scheduler: must be a dask scheduler address"),
    ],
)
def test_bad_input_exits_2_with_one_line(flags, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*SMALL, *flags])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert message in error
    assert "Traceback" not in error


def test_help_lists_every_flag():
    text = build_parser().format_help()
    for flag in (
        "--beta", "--alphas", "--seps", "--reps", "--n-samples", "--n-features",
        "--n-informative", "--flip-y", "--test-size", "--seed", "--n-jobs", "--engine",
        "--max-depth", "--min-samples-leaf", "--out", "--quiet", "--no-plots", "--force",
        "--resume",
    ):  # fmt: skip
        assert flag in text


def test_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(SystemExit) as exit_info:
        main([*SMALL, "--out", str(blocker / "run")])
    assert exit_info.value.code == 2
    assert "cannot be written" in capsys.readouterr().err
