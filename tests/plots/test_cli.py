import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.image import imread

from plots import cli
from plots.cli import FIGURES, build_parser, main, read_run
from simulate import run_sweep
from tests.plots.conftest import BETA, synthetic_summary, write_synthetic_run

ROOT = Path(__file__).resolve().parents[2]
NAMES = {
    "tradeoff_viz",
    "theoretic_scores",
    "theoretic_scores_balanced_accuracy",
    "empirical_scores",
    "theory_vs_simulation",
    "optimal_alpha_map",
    "operating_points",
    "balanced_validation",
    "focal_loss",
    "cost_weights",
    "binormal_spread",
    "theory_gap",
    "rule_fit",
    "prediction_error",
    "movement",
    "knobs",
    "thresholding",
    "label_noise",
    "datasets",
}


@pytest.fixture(autouse=True)
def _small_studies(small_model_runs, small_noise_runs, small_dataset_runs, monkeypatch):
    """Every command here reads the small studies' runs unless it says otherwise."""
    monkeypatch.setattr(cli, "DEFAULT_MODELS", small_model_runs)
    monkeypatch.setattr(cli, "DEFAULT_KNOBS", small_model_runs)
    monkeypatch.setattr(cli, "DEFAULT_NOISE", small_noise_runs)
    monkeypatch.setattr(cli, "DEFAULT_DATASETS", small_dataset_runs)


@pytest.mark.slow
def test_writes_every_png_from_a_real_run(small_run, tmp_path, capsys):
    out = tmp_path / "figures"
    assert main(["--run", str(small_run), "--out", str(out)]) == 0
    assert set(FIGURES) == NAMES
    assert {path.name for path in out.iterdir()} == {f"{name}.png" for name in NAMES}
    for name in NAMES:
        height, width, _ = imread(out / f"{name}.png").shape
        assert width >= 1152
        assert height >= 720
    printed = capsys.readouterr().out.splitlines()
    assert printed == [
        *(f"wrote {out / name}.png" for name in FIGURES),
        f"wrote {small_run / 'f1_vs_alpha.png'}",
    ]


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["svg", "pdf"])
def test_other_formats(fmt, synthetic_run, tmp_path, monkeypatch):
    cheap = {name: FIGURES[name] for name in ("tradeoff_viz", "empirical_scores")}
    monkeypatch.setattr(cli, "FIGURES", cheap)
    out = tmp_path / "figures"
    assert main(["--run", str(synthetic_run), "--out", str(out), "--format", fmt, "--quiet"]) == 0
    assert sorted(path.name for path in out.iterdir()) == [
        f"empirical_scores.{fmt}",
        f"tradeoff_viz.{fmt}",
    ]
    first = (out / f"tradeoff_viz.{fmt}").read_bytes()
    assert (b"<svg" in first[:200]) if fmt == "svg" else first.startswith(b"%PDF")
    # A second save of the same figure gives the same bytes (no dates, fixed SVG ids).
    assert main(["--run", str(synthetic_run), "--out", str(out), "--format", fmt, "--quiet"]) == 0
    assert (out / f"tradeoff_viz.{fmt}").read_bytes() == first


def test_read_run_gives_summary_and_beta(synthetic_run):
    run = read_run(synthetic_run)
    assert run.beta == BETA
    assert len(run.summary) == 4 * 9


def test_defaults(monkeypatch):
    monkeypatch.undo()
    args = build_parser().parse_args([])
    assert args.models == Path("results", "models")
    assert args.knobs == Path("results", "knobs")
    assert args.run == Path("results", "reference")
    assert args.out == Path("results", "figures")
    assert args.format == "png"


def _corrupt_summary(run: Path) -> None:
    summary = pd.DataFrame({"this is": ["a summary"], "not": ["at all"]})
    write_synthetic_run(run, summary=summary)


def _unreadable_summary(run: Path) -> None:
    (run / "summary.csv").write_bytes(b"\x00\xff\xfe garbage \x00")


def _edited_summary(run: Path) -> None:
    text = (run / "summary.csv").read_text()
    (run / "summary.csv").write_text(text.replace("0.", "1.", 1))


def _no_beta(run: Path) -> None:
    write_synthetic_run(run, config={"reps": 3})


def _bad_json(run: Path) -> None:
    (run / "run.json").write_text("{not json")


def _no_summary(run: Path) -> None:
    (run / "summary.csv").unlink()


def _negative_mean(run: Path) -> None:
    write_synthetic_run(run, summary=synthetic_summary().assign(f1_mean=-0.5))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_corrupt_summary, "is corrupt: summary.csv lacks the columns 'class_sep', 'alpha'"),
        (_unreadable_summary, "is corrupt: summary.csv has 13 bytes where run.json records"),
        (_edited_summary, "is corrupt: summary.csv does not match the sha256 checksum"),
        (_no_beta, "is corrupt: run.json has no prevalence 'beta'"),
        (_bad_json, "is corrupt: run.json cannot be read"),
        (_no_summary, "has no summary.csv: it is not a finished run"),
        (_negative_mean, "a mean score outside [0, 1]"),
    ],
)
def test_corrupt_run_exits_2_with_one_line(damage, message, synthetic_run, tmp_path, capsys):
    damage(synthetic_run)
    out = tmp_path / "figures"
    with pytest.raises(SystemExit) as exit_info:
        main(["--run", str(synthetic_run), "--out", str(out)])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    last = error.strip().splitlines()[-1]
    assert last.startswith("python -m plots: error: The run directory ")
    assert repr(str(synthetic_run)) in last
    assert message in last
    assert "Traceback" not in error
    assert not out.exists()


def test_missing_run_directory(tmp_path, capsys):
    missing = tmp_path / "no-such-run"
    with pytest.raises(SystemExit) as exit_info:
        main(["--run", str(missing), "--out", str(tmp_path / "figures")])
    assert exit_info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last == (
        f"python -m plots: error: The run directory {str(missing)!r} does not exist. "
        "(see python -m plots --help)"
    )


def test_unknown_format(synthetic_run, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--run", str(synthetic_run), "--format", "bmp"])
    assert exit_info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "argument --format: invalid choice: 'bmp'" in last


def test_unwritable_output_folder(synthetic_run, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(SystemExit) as exit_info:
        main(["--run", str(synthetic_run), "--out", str(blocker / "figures")])
    assert exit_info.value.code == 2
    assert "cannot be created" in capsys.readouterr().err


def test_writes_are_atomic(synthetic_run, tmp_path, monkeypatch):
    out = tmp_path / "figures"
    out.mkdir()
    (out / "tradeoff_viz.png").write_bytes(b"old")

    def broken(run):
        raise OSError("disk full")

    monkeypatch.setattr(cli, "FIGURES", {"tradeoff_viz": FIGURES["tradeoff_viz"]})
    monkeypatch.setattr(cli.Figure, "savefig", lambda self, *a, **k: broken(None))
    with pytest.raises(SystemExit):
        main(["--run", str(synthetic_run), "--out", str(out)])
    assert (out / "tradeoff_viz.png").read_bytes() == b"old"
    assert [path.name for path in out.iterdir()] == ["tradeoff_viz.png"]


@pytest.mark.slow
def test_figures_never_touch_pyplot():
    code = (
        "import sys, plots; plots.plot_tradeoff_curves(); plots.plot_theoretic_scores(); "
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr


def test_the_run_gets_its_own_figure_back(synthetic_run, tmp_path, monkeypatch):
    monkeypatch.setattr(cli, "FIGURES", {})
    assert not (synthetic_run / "f1_vs_alpha.png").exists()
    assert main(["--run", str(synthetic_run), "--out", str(tmp_path / "figures"), "--quiet"]) == 0
    assert imread(synthetic_run / "f1_vs_alpha.png").shape[1] >= 1152


def test_an_empty_path_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--run", ""])
    assert exit_info.value.code == 2
    assert "argument --run: must be a non-empty str" in capsys.readouterr().err


def test_a_missing_models_folder_is_one_line(synthetic_run, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--run", str(synthetic_run), "--models", str(tmp_path / "none"), "--quiet"])
    assert exit_info.value.code == 2
    assert "The folder of model runs" in capsys.readouterr().err.strip().splitlines()[-1]


def test_a_real_data_run_with_noise_gets_its_own_figure_only(tmp_path, capsys):
    run = tmp_path / "run"
    run_sweep(
        dataset=("breast_cancer",),
        beta=0.1,
        alphas=(1.0, 9.0),
        flip_y=(0.0, 0.05),
        reps=2,
        out=run,
        n_jobs=1,
        progress=False,
    )
    assert main(["--run", str(run), "--out", str(tmp_path / "figures")]) == 0
    assert "drawing its own figure only" in capsys.readouterr().out
    assert (run / "f1_vs_alpha.png").exists()
    assert not list((tmp_path / "figures").iterdir())
