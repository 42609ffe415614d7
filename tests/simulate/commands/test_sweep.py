import errno
import os
import signal
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from matplotlib.figure import Figure

import simulate.commands.sweep as cli
import simulate.sweep as sweep
from params.argtypes import grid
from params.validation import Interval
from simulate import load_run
from simulate.commands.sweep import build_parser, main
from simulate.runs.backends import Workers

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
        (["--resume", "--force"], "argument --force: not allowed with argument --resume"),
        (["--out", ""], "argument --out: must be a non-empty str"),
        (["--n-jobs", "0"], "argument --n-jobs: must be a non-zero int"),
        (["--test-size", "1"], "argument --test-size: must be a float in the range (0, 1)"),
        (["--n-samples", "100"], "expected positives in each test split"),
        (["--n-informative", "8"], "n_informative=8 and n_features=6 of SweepConfig do not go"),
        (["--backend", "dask"], "argument --scheduler: must be a dask scheduler address"),
        (["--model", "svm"], "argument --model: invalid choice: 'svm'"),
        (["--val-size", "1.5"], "argument --val-size: must be a float in the range (0, 1)"),
        (
            ["--model", "logreg", "--max-depth", "3"],
            "max_depth=3 of SweepConfig applies to model='tree' only",
        ),
        (
            ["--model", "hgb", "--val-size", "0.01"],
            "expected positives in each validation split",
        ),
        (["--knob", "smote"], "argument --knob: invalid choice: 'smote'"),
        (["--fractions", "0.1,1"], "argument --fractions: must be a float in the range (0, 1)"),
        (["--knob", "undersample", "--alphas", "0.5,2"], "weights of at least 1"),
    ],
)
def test_bad_input_exits_2_with_one_line(flags, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*SMALL, *flags])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert message in error
    assert "Traceback" not in error


@pytest.mark.parametrize(
    ("flags", "last"),
    [
        (
            ["--fractions", "0.5"],  # SMALL gives --alphas 1:19:3
            "alphas=[1, 4.3589, 19] and fractions=[0.5] of SweepConfig both give the weights",
        ),
        (
            ["--n-features", "2"],  # SMALL gives --n-informative 3
            "n_informative=3 and n_features=2 of SweepConfig do not go together",
        ),
    ],
)
def test_two_settings_at_odds_are_refused_naming_both(flags, last, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*SMALL, *flags, "--no-plots"])
    assert exit_info.value.code == 2
    assert last in capsys.readouterr().err.strip().splitlines()[-1]


def test_a_probabilistic_model_end_to_end(tmp_path, capsys):
    out = tmp_path / "run"
    assert main([*SMALL, "--model", "logreg", "--out", str(out), "--no-plots"]) == 0
    printed = capsys.readouterr().out
    assert "the theory's prediction from the alpha = 1 model's validation scores" in printed
    assert "bce F1 MAE" in printed
    assert "F1 tuned" in printed
    assert "weighted - tuned" in printed
    assert "logreg, sklearn" in printed
    assert {p.name for p in out.iterdir()} == {
        "fits.parquet",
        "summary.csv",
        "run.json",
        "validation.parquet",
    }
    validation = pd.read_parquet(out / "validation.parquet")
    assert list(validation.columns) == ["class_sep", "rep", "label", "score"]


def test_a_resampled_sweep_end_to_end(tmp_path, capsys):
    out = tmp_path / "run"
    flags = ["--knob", "oversample", "--fractions", "0.05,0.25", "--out", str(out), "--no-plots"]
    at = SMALL.index("--alphas")  # the fractions give the weights
    assert main([*SMALL[:at], *SMALL[at + 2 :], *flags]) == 0
    fits = pd.read_parquet(out / "fits.parquet")
    assert sorted(fits["positive_fraction"].round(12).unique()) == [0.05, 0.25]
    assert sorted(fits["alpha"].round(9).unique()) == [1.0, 6.333333333]


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


def _fails_on(monkeypatch, owner, name, failure, when=lambda *args: True):
    """Make ``owner.name`` raise ``failure`` whenever ``when(*args)`` holds."""
    original = getattr(owner, name)

    def writer(*args, **kwargs):
        if when(*args):
            raise failure
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, writer)


def _second_call():
    calls = []
    return lambda *args: calls.append(args) or len(calls) == 2


DISK_FULL = OSError(errno.ENOSPC, "No space left on device")
#: Where a full disk strikes: the writer that fails, when, the file named, what is kept.
WRITERS = {
    "chunk folder": (tempfile, "mkdtemp", None, "parts", "nothing was kept"),
    "chunk": (np, "savez", _second_call, ".npz", "1 finished chunk is kept in"),
    "fits": (pq, "write_table", None, "fits.parquet", "4 finished chunks are kept in"),
    "summary": (pd.DataFrame, "to_csv", None, "summary.csv", "4 finished chunks are kept in"),
    "run.json": (
        Path,
        "write_text",
        lambda: lambda path, *_: path.name.startswith(".run.json"),
        "run.json",
        "4 finished chunks are kept in",
    ),
    "figure": (Figure, "savefig", None, "f1_vs_alpha.png", "is finished; python -m plots --run"),
}


@pytest.mark.parametrize("where", list(WRITERS))
def test_a_full_disk_is_one_line_and_keeps_what_can_be_resumed(where, tmp_path, capsys):
    owner, name, when, named, kept = WRITERS[where]
    out = tmp_path / "run"
    argv = [*SMALL, "--out", str(out), "--quiet"]
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(sweep, "MAX_CHUNK_REPS", 1)
        _fails_on(monkeypatch, owner, name, DISK_FULL, *([when()] if when else []))
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert len(error.strip().splitlines()) == 1, error
    assert error.startswith("python -m simulate: error: [Errno 28] No space left on device: ")
    assert named in error.split(";")[0]
    assert kept in error
    if "--resume" in error:
        assert main([*argv, "--resume", "--no-plots"]) == 0
        whole = main([*SMALL, "--out", str(tmp_path / "whole"), "--quiet", "--no-plots"])
        assert whole == 0
        pd.testing.assert_frame_equal(load_run(out).fits, load_run(tmp_path / "whole").fits)


def _interrupt_in(monkeypatch, owner, name, signal_number=None):
    def stop(*args, **kwargs):
        if signal_number is None:
            raise KeyboardInterrupt
        os.kill(os.getpid(), signal_number)

    monkeypatch.setattr(owner, name, stop)


@pytest.mark.parametrize(
    ("owner", "name", "status", "said"),
    [
        (Workers, "__enter__", 130, "interrupted; nothing was kept; run the command again"),
        (pq, "write_table", 130, "interrupted; 2 finished chunks are kept in "),
        (Figure, "savefig", 130, "is finished; python -m plots --run "),
        (cli, "per_separation", 130, "interrupted; the run in "),
        (sweep, "run_chunk", 143, "terminated; nothing was kept"),
    ],
)
def test_every_interruption_is_one_line(owner, name, status, said, tmp_path, capsys):
    with pytest.MonkeyPatch.context() as monkeypatch:
        _interrupt_in(monkeypatch, owner, name, signal.SIGTERM if status == 143 else None)
        assert main([*SMALL, "--out", str(tmp_path / "run")]) == status
    error = capsys.readouterr().err.strip().splitlines()
    assert said in error[-1]
    assert not [line for line in error if "Traceback" in line]
    if "--resume" in error[-1]:
        assert main([*SMALL, "--out", str(tmp_path / "run"), "--resume", "--quiet"]) == 0
