import numpy as np
import pandas as pd
import pytest

from simulate import load_run, run_sweep
from simulate.analysis.movement import movement_exponents
from simulate.analysis.summary import per_separation
from simulate.commands.rulefit import main
from simulate.config import SweepConfig
from simulate.studies.comparison import (
    contest_tables,
    find_runs,
    model_label,
    movement_medians,
    movement_tables,
    rule_fit,
    run_label,
    run_prevalence,
    run_summaries,
    separation_tables,
)
from tests.plots.conftest import SEP_TO_P, synthetic_summary, write_synthetic_run


def test_the_rule_that_made_the_means_fits_them(tmp_path):
    # The synthetic means are the bce rule's on known superellipses: on the superellipse fitted
    # to them bce must fit (up to the fit) and bayes must not.
    write_synthetic_run(tmp_path / "a", config={"beta": 0.02, "model": "logreg"})
    table = rule_fit([tmp_path / "a"], families=("superellipse",))
    bce = table[table["rule"] == "bce"]
    bayes = table[table["rule"] == "bayes"]
    assert bce["rmse"].max() < 1e-3
    assert bayes["rmse"].min() > 10 * bce["rmse"].max()
    np.testing.assert_allclose(bce["p"], list(SEP_TO_P.values()), rtol=1e-3)
    assert set(table["model"]) == {"logreg"}


def test_labels_say_the_tree_limits():
    assert model_label(SweepConfig()) == "tree, fully grown"
    assert model_label(SweepConfig(min_samples_leaf=20)) == "tree, min_samples_leaf 20"
    assert model_label(SweepConfig(model="hgb")) == "hgb"


def test_runs_are_found_trees_first(tmp_path):
    write_synthetic_run(tmp_path / "z", config={"beta": 0.02, "model": "tree"})
    write_synthetic_run(tmp_path / "a", config={"beta": 0.02, "model": "mlp"})
    write_synthetic_run(
        tmp_path / "m", config={"beta": 0.02, "model": "tree", "min_samples_leaf": 5}
    )
    assert [run.name for run in find_runs(tmp_path)] == ["z", "m", "a"]
    with pytest.raises(ValueError, match="holds no finished run"):
        find_runs(tmp_path / "z")


def test_a_study_folder_holds_runs_over_its_own_conditions(tmp_path):
    noisy = synthetic_summary().assign(flip_y=0.1)
    write_synthetic_run(tmp_path / "t", summary=noisy, config={"beta": 0.02, "model": "tree"})
    assert find_runs(tmp_path, keys=("flip_y", "class_sep")) == [tmp_path / "t"]
    with pytest.raises(ValueError, match="/t' is swept over flip_y, class_sep; the runs of "):
        find_runs(tmp_path, keys=("class_sep",))
    with pytest.raises(ValueError, match="is a file, not a folder of model runs"):
        find_runs(tmp_path / "t" / "run.json")
    bare = synthetic_summary().drop(columns="class_sep")
    write_synthetic_run(tmp_path / "t", summary=bare, config={"beta": 0.02, "model": "tree"})
    with pytest.raises(ValueError, match="cannot be read: its summary has none of the columns"):
        rule_fit([tmp_path / "t"])


def test_two_runs_of_one_model_are_refused(tmp_path):
    for name in ("a", "b"):
        write_synthetic_run(tmp_path / name, config={"beta": 0.02, "model": "hgb"})
    with pytest.raises(ValueError, match=r"same model \('hgb'\)"):
        rule_fit(find_runs(tmp_path))


def test_the_command_prints_both_tables_and_writes_csv(tmp_path, capsys):
    write_synthetic_run(tmp_path / "a", config={"beta": 0.02, "model": "logreg"})
    assert main([str(tmp_path / "a"), "--out", str(tmp_path / "fit.csv")]) == 0
    printed = capsys.readouterr().out
    assert "pooled over each run's conditions" in printed
    assert "binormal bce" in printed
    assert "per condition (class_sep), on the fitted binormal curve" in printed
    assert "closer" in printed
    assert "movement exponent k per model and condition" in printed
    assert "k at class_sep" in printed
    assert (tmp_path / "fit.csv").read_text().startswith("model,run,family,rule,class_sep")


def _section(printed: str, title: str) -> list[list[str]]:
    """The rows of the printed table after the line that starts with ``title``."""
    lines = printed.split(title, 1)[1].split("\n\n", 1)[0].splitlines()[1:]
    return [line.split() for line in lines]


def test_the_command_tabulates_each_runs_own_conditions(tmp_path, capsys):
    # A run over label noise has a row per (flip_y, class_sep), each its own RMSE (not the mean
    # over noise levels); a run on a real data set has a row per data set and no class_sep.
    summary = synthetic_summary()
    noisy = pd.concat([summary.assign(flip_y=0.0), synthetic_summary(0.05).assign(flip_y=0.1)])
    noisy = noisy[["flip_y", *summary.columns]]
    write_synthetic_run(tmp_path / "noise", summary=noisy, config={"beta": 0.02, "model": "hgb"})
    on_data = summary[summary["class_sep"] == 1.0].drop(columns="class_sep")
    on_data.insert(0, "dataset", "breast_cancer")
    write_synthetic_run(tmp_path / "data", summary=on_data, config={"beta": 0.02, "model": "mlp"})
    runs = [tmp_path / "noise", tmp_path / "data"]
    assert main([str(run) for run in runs]) == 0
    printed = capsys.readouterr().out
    rows = _section(printed, "per condition (flip_y, dataset, class_sep)")
    assert " ".join(rows[0]) == "model flip_y dataset class_sep RMSE bce RMSE bayes closer"
    table = rule_fit(runs)
    expected = table[(table["family"] == "binormal") & (table["rule"] == "bce")]
    noise = expected[expected["model"] == "hgb"]
    assert [row[:4] for row in rows[1:9]] == [
        ["hgb", f"{flip_y:g}", "-", f"{class_sep:g}"]
        for flip_y, class_sep in zip(noise["flip_y"], noise["class_sep"], strict=True)
    ]
    assert [row[4] for row in rows[1:9]] == [f"{rmse:.4f}" for rmse in noise["rmse"]]
    assert rows[9][:4] == ["mlp", "-", "breast_cancer", "-"]
    assert len(rows) == 10
    movement = _section(printed, "movement exponent k per model and condition")
    assert movement[-3][:3] == ["k", "at", "flip_y,"]


def test_a_missing_run_is_one_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path / "none")])
    assert exit_info.value.code == 2
    assert "does not exist" in capsys.readouterr().err


def test_each_study_table_is_the_runs_own_keyed_by_model(small_config, tmp_path):
    runs = []
    for model in ("tree", "logreg"):
        runs.append(tmp_path / model)
        run_sweep(small_config, model=model, flip_y=(0.0, 0.1), out=runs[-1], progress=False)
    tables = separation_tables(runs)
    assert list(tables) == ["tree, fully grown", "logreg"]
    expected = per_separation(load_run(runs[1]).fits, small_config.beta)
    pd.testing.assert_frame_equal(tables["logreg"], expected)
    assert list(contest_tables(runs)) == ["logreg"]  # trees have no validation split
    assert run_summaries(runs)["logreg"]["flip_y"].nunique() == 2
    assert run_prevalence(runs) == small_config.beta
    write_synthetic_run(tmp_path / "other", config={"beta": 0.5, "model": "mlp"})
    assert run_prevalence([*runs, tmp_path / "other"]) is None


def test_movement_tables_are_each_runs_exponents_keyed_by_model_and_knob(tmp_path):
    write_synthetic_run(tmp_path / "a", config={"beta": 0.02, "model": "logreg"})
    write_synthetic_run(
        tmp_path / "b", config={"beta": 0.02, "model": "logreg", "knob": "undersample"}
    )
    tables = movement_tables([tmp_path / "a", tmp_path / "b"])
    assert list(tables) == ["logreg", "logreg, undersample"]
    expected = movement_exponents(load_run(tmp_path / "a").summary, 0.02)
    pd.testing.assert_frame_equal(tables["logreg"], expected)
    assert run_label(SweepConfig(model="hgb", knob="oversample")) == "hgb, oversample"
    with pytest.raises(ValueError, match=r"same model \('logreg'\)"):
        movement_tables([tmp_path / "a", tmp_path / "a"])


def test_movement_medians_summarise_each_model_over_its_conditions():
    tables = {
        "logreg": pd.DataFrame(
            {
                "class_sep": [0.5, 1.0, 2.0],
                "k": [0.7, 0.9, np.nan],
                "k_se": [0.1, 0.3, np.nan],
                "r2": [0.9, 0.99, np.nan],
            }
        )
    }
    (row,) = movement_medians(tables).to_dict("records")
    assert row == {
        "model": "logreg",
        "conditions": 2,
        "k_median": pytest.approx(0.8),
        "k_low": 0.7,
        "k_high": 0.9,
        "k_se_median": pytest.approx(0.2),
        "r2_median": pytest.approx(0.945),
    }
