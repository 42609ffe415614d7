import numpy as np
import pandas as pd
import pytest
from scipy import stats

import simulate.studies.fidelity as fidelity
from simulate import SweepConfig
from simulate.commands.fidelity import main
from simulate.studies.fidelity import compare_engines, run_fidelity


def _fits(f1, tp):
    rows = [
        {"class_sep": 1.0, "alpha": alpha, "rep": rep, "tp": t, "fp": 1, "fn": 1, "tn": 9, "f1": f}
        for alpha, column_f1, column_tp in zip((1.0, 2.0), f1, tp, strict=True)
        for rep, (f, t) in enumerate(zip(column_f1, column_tp, strict=True))
    ]
    return pd.DataFrame(rows)


def test_paired_z_scores_and_chi_square():
    reference = _fits([[0.5, 0.6, 0.7], [0.5, 0.5, 0.5]], [[1, 1, 1], [2, 2, 2]])
    candidate = _fits([[0.6, 0.6, 0.9], [0.5, 0.5, 0.5]], [[1, 1, 1], [2, 2, 3]])
    result = compare_engines(reference, candidate)
    differences = np.array([0.1, 0.0, 0.2])
    t = differences.mean() / (differences.std(ddof=1) / np.sqrt(3))
    z = stats.norm.isf(stats.t.sf(t, df=2))
    assert result.cells.z.tolist() == pytest.approx([z, 0.0])
    assert result.chi_square == pytest.approx(z**2)
    assert result.dof == 1, "a cell whose differences are all zero carries no information"
    assert result.p_value == pytest.approx(stats.chi2.sf(z**2, 1))
    assert result.mean_z == pytest.approx(z / 2)
    assert result.identical_fraction == pytest.approx(5 / 6)
    per_dataset = differences / 2  # each dataset's difference averaged over the two weights
    t = per_dataset.mean() / (per_dataset.std(ddof=1) / np.sqrt(3))
    z = stats.norm.isf(stats.t.sf(t, df=2))
    assert result.separation_chi_square == pytest.approx(z**2)
    assert result.separation_dof == 1
    assert result.separation_p_value == pytest.approx(stats.chi2.sf(z**2, 1))


def test_a_systematic_difference_without_spread_is_infinite():
    reference = _fits([[0.5, 0.6, 0.7], [0.5, 0.5, 0.5]], [[1, 1, 1], [2, 2, 2]])
    candidate = _fits([[0.75, 0.85, 0.95], [0.5, 0.5, 0.5]], [[1, 1, 1], [2, 2, 2]])
    result = compare_engines(reference, candidate)
    assert np.isinf(result.cells.z.iloc[0])
    assert result.p_value == 0.0


def test_mismatched_sweeps_are_refused():
    full = _fits([[0.5, 0.6], [0.5, 0.5]], [[1, 1], [1, 1]])
    with pytest.raises(ValueError, match="do not hold the same"):
        compare_engines(full, full.iloc[:-1])


def test_each_condition_is_its_own_cell():
    # Two noise levels of one class_sep are two conditions, not one cell with duplicate reps;
    # a sweep over real data sets has no class_sep at all.
    reference = _fits([[0.5, 0.6, 0.7], [0.5, 0.5, 0.5]], [[1, 1, 1], [2, 2, 2]])
    candidate = _fits([[0.6, 0.6, 0.9], [0.5, 0.5, 0.5]], [[1, 1, 1], [2, 2, 3]])
    noisy = {
        name: pd.concat([table.assign(flip_y=0.0), table.assign(flip_y=0.1, f1=0.4)])
        for name, table in (("reference", reference), ("candidate", candidate))
    }
    result = compare_engines(noisy["reference"], noisy["candidate"])
    plain = compare_engines(reference, candidate)
    assert result.cells[["flip_y", "class_sep", "alpha"]].values.tolist() == [
        [0.0, 1.0, 1.0],
        [0.0, 1.0, 2.0],
        [0.1, 1.0, 1.0],
        [0.1, 1.0, 2.0],
    ]
    assert result.cells.z.tolist() == pytest.approx([*plain.cells.z, 0.0, 0.0])
    assert result.chi_square == pytest.approx(plain.chi_square)
    on_data = {
        name: table.drop(columns="class_sep").assign(dataset="breast_cancer")
        for name, table in (("reference", reference), ("candidate", candidate))
    }
    result = compare_engines(on_data["reference"], on_data["candidate"])
    assert result.cells.z.tolist() == pytest.approx(plain.cells.z.tolist())
    assert result.cells["dataset"].tolist() == ["breast_cancer"] * 2
    with pytest.raises(ValueError, match="other conditions: dataset against class_sep"):
        compare_engines(on_data["reference"], candidate)


def test_command_runs_both_engines(capsys):
    argv = ["--beta", "0.05", "--alphas", "1,10", "--seps", "1,2", "--reps", "5"]
    argv += ["--n-samples", "800", "--n-jobs", "1", "--quiet"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    assert "chi-square" in printed
    assert "mean z" in printed


@pytest.mark.slow
def test_numba_engine_scores_like_scikit_learn_within_sampling_error():
    config = SweepConfig(
        beta=0.05, alphas=(1.0, 4.0, 19.0), seps=(0.3, 1.0, 2.5), reps=30, n_samples=2000
    )
    result = run_fidelity(config, n_jobs=1, progress=False)
    assert result.dof <= 9
    assert result.p_value > 0.01
    assert result.separation_p_value > 0.01
    assert abs(result.mean_z) < 1.0
    assert (result.cells.difference.abs() < 0.05).all()


def test_too_few_datasets_are_refused(capsys):
    with pytest.raises(ValueError, match=r"'reps' parameter of run_fidelity.*\[5, inf\)"):
        run_fidelity(reps=4)
    with pytest.raises(SystemExit) as exit_info:
        main(["--reps", "4"])
    assert exit_info.value.code == 2
    assert "argument --reps: must be an int in the range [5, inf). Got 4 instead." in (
        capsys.readouterr().err
    )


def test_ctrl_c_is_one_line(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(fidelity, "run_sweep", interrupted)
    assert main(["--reps", "5", "--quiet"]) == 130
    assert capsys.readouterr().err.strip() == (
        "interrupted; the comparison writes no files: run it again"
    )
