import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import theory
from plots import (
    pick_separations,
    plot_empirical_scores,
    plot_operating_points,
    plot_theory_gap,
    plot_theory_vs_simulation,
)
from plots.cli import main as plots_main
from simulate import load_run
from simulate.analysis.summary import fit_separations, theory_gap
from tests.plots.conftest import ALPHAS, BETA, SEP_TO_P, synthetic_summary, write_synthetic_run
from tests.plots.helpers import line


def test_fitted_curves_recover_the_synthetic_p(summary):
    curves = fit_separations(summary)
    assert list(curves) == list(SEP_TO_P)
    for class_sep, p in SEP_TO_P.items():
        assert float(curves[class_sep].p) == pytest.approx(p, rel=1e-4)


@pytest.mark.parametrize(
    ("count", "expected"),
    [(6, [0.05, 0.68, 1.31, 1.74, 2.37, 3.0]), (2, [0.05, 3.0]), (20, None)],
)
def test_pick_separations_spreads_over_the_range(count, expected):
    seps = np.round(np.linspace(0.05, 3, 15), 2)
    picked = pick_separations(seps, count)
    np.testing.assert_allclose(picked, seps if expected is None else expected)


def test_empirical_scores_one_line_per_separation(summary):
    fig = plot_empirical_scores(summary, beta=BETA)
    assert isinstance(fig, Figure)
    ax, colorbar = fig.axes
    assert colorbar.get_ylabel() == "class_sep"
    drawn = {item.get_label(): item for item in ax.get_lines() if item.get_gid() is None}
    assert list(drawn) == [f"{s:g}" for s in SEP_TO_P]
    for class_sep, item in zip(SEP_TO_P, drawn.values(), strict=True):
        cell = summary[summary["class_sep"] == class_sep]
        np.testing.assert_allclose(item.get_xdata(), cell["alpha"])
        np.testing.assert_allclose(item.get_ydata(), cell["f1_mean"])
    np.testing.assert_allclose(line(ax, "inverse-weight").get_xdata(), (1 - BETA) / BETA)
    assert ax.get_xscale() == "log"
    assert "α" in ax.get_xlabel()
    assert "5 datasets per cell" in ax.get_title()
    assert f"β = {BETA:g}" in ax.get_title()


def test_empirical_scores_one_panel_per_noise_level(summary):
    noisy = pd.concat([summary.assign(flip_y=f) for f in (0.0, 0.05)], ignore_index=True)
    noisy.loc[noisy["flip_y"] == 0.05, "f1_mean"] /= 2
    fig = plot_empirical_scores(noisy, beta=BETA)
    *panels, colorbar = fig.axes
    assert [ax.get_title() for ax in panels] == ["flip_y = 0", "flip_y = 0.05"]
    assert colorbar.get_ylabel() == "class_sep"
    first = next(item for item in panels[1].get_lines() if item.get_gid() is None)
    cell = noisy[(noisy["flip_y"] == 0.05) & (noisy["class_sep"] == min(SEP_TO_P))]
    np.testing.assert_allclose(first.get_ydata(), cell["f1_mean"])


def test_empirical_scores_one_line_per_data_set(summary):
    names = {class_sep: f"set {i}" for i, class_sep in enumerate(SEP_TO_P)}
    real = summary.assign(dataset=summary["class_sep"].map(names)).drop(columns="class_sep")
    fig = plot_empirical_scores(real, beta=BETA)
    (ax,) = fig.axes
    assert [text.get_text() for text in ax.get_legend().get_texts()] == list(names.values())
    assert ax.get_legend().get_title().get_text() == "data set"


def test_missing_columns_are_named(summary):
    with pytest.raises(ValueError, match="lacks the columns 'f1_se'"):
        plot_empirical_scores(summary.drop(columns="f1_se"))
    with pytest.raises(ValueError, match="lacks the columns 'recall_mean'"):
        plot_operating_points(summary.drop(columns="recall_mean"))
    with pytest.raises(ValueError, match="has no rows"):
        plot_theory_vs_simulation(summary.iloc[:0], beta=BETA)


def test_theory_vs_simulation_panels_hold_simulation_theory_and_optima(summary):
    fig = plot_theory_vs_simulation(summary, beta=BETA)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == len(SEP_TO_P)
    for ax, (class_sep, p) in zip(panels, SEP_TO_P.items(), strict=True):
        cell = summary[summary["class_sep"] == class_sep]
        assert f"class_sep = {class_sep:g}" in ax.get_title()
        assert f"p = {p:.3g}" in ax.get_title()
        simulated = line(ax, "simulated")
        np.testing.assert_allclose(simulated.get_xdata(), ALPHAS)
        np.testing.assert_allclose(simulated.get_ydata(), cell["f1_mean"])
        best = line(ax, "best-simulated")
        assert best.get_xdata()[0] == ALPHAS[np.argmax(cell["f1_mean"])]
        curve = theory.fit_curve(cell["recall_mean"], cell["specificity_mean"])
        for rule in ("bce", "bayes"):
            alpha, f1 = line(ax, f"theory-{rule}").get_data()
            np.testing.assert_allclose(f1, theory.expected_score(alpha, BETA, curve, rule=rule))
            optimum = theory.optimize_alpha(BETA, curve, metric="f1", rule=rule)
            marked = line(ax, f"best-{rule}").get_data()
            np.testing.assert_allclose(marked, [[optimum.alpha], [optimum.score]])
        # The synthetic means are the bce theory, so its line passes through them.
        alpha, f1 = line(ax, "theory-bce").get_data()
        np.testing.assert_allclose(np.interp(ALPHAS, alpha, f1), cell["f1_mean"], atol=2e-3)


def test_theory_vs_simulation_chosen_panels(summary):
    fig = plot_theory_vs_simulation(summary, beta=BETA, seps=[0.5, 2.0], score="balanced_accuracy")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title().split(",")[0] for ax in panels] == ["class_sep = 0.5", "class_sep = 2"]
    assert panels[0].get_ylabel() == "balanced accuracy"
    with pytest.raises(ValueError, match="'seps' parameter of plot_theory_vs_simulation"):
        plot_theory_vs_simulation(summary, beta=BETA, seps=[0.7])


def test_operating_points_paths_fits_and_theory(summary):
    fig = plot_operating_points(summary, beta=BETA)
    whole, zoom, colorbar = fig.axes
    assert colorbar.get_ylabel() == "class_sep"
    curves = fit_separations(summary)
    for ax in (whole, zoom):
        assert "recall x" in ax.get_xlabel()
        assert "specificity z" in ax.get_ylabel()
        for class_sep in SEP_TO_P:
            cell = summary[summary["class_sep"] == class_sep]
            x, z = line(ax, f"points-{class_sep:g}").get_data()
            np.testing.assert_allclose(x, cell["recall_mean"])
            np.testing.assert_allclose(z, cell["specificity_mean"])
            x, z = line(ax, f"fit-{class_sep:g}").get_data()
            np.testing.assert_allclose(z, curves[class_sep].specificity(x))
    x, z = line(whole, "theory").get_data()
    for i, class_sep in enumerate(SEP_TO_P):
        expected = theory.operating_point(ALPHAS[-1], BETA, curves[class_sep])
        np.testing.assert_allclose([x[i], z[i]], expected)
    assert whole.get_ylim() == (0.0, 1.0)
    assert zoom.get_ylim()[0] <= summary["specificity_mean"].min()


def test_theory_gap_panels_hold_the_fits_rmse_and_movement(summary):
    fig = plot_theory_gap(summary, beta=BETA, class_sep=1.0)
    scores_ax, rmse_ax, move_ax = fig.axes
    assert "class_sep = 1" in scores_ax.get_title()
    cell = summary[summary["class_sep"] == 1.0]
    np.testing.assert_allclose(line(scores_ax, "simulated").get_ydata(), cell["f1_mean"])
    gap = theory_gap(summary, BETA)
    for family in ("superellipse", "asymmetric"):
        for rule in ("bce", "bayes"):
            rows = gap[(gap["family"] == family) & (gap["rule"] == rule)]
            key = f"{family}-{rule}"
            np.testing.assert_allclose(line(rmse_ax, f"rmse-{key}").get_ydata(), rows["rmse"])
            moved = line(move_ax, f"move-{key}").get_ydata()
            np.testing.assert_allclose(moved, rows["recall_high"] - rows["recall_low"])
            assert line(scores_ax, f"theory-{key}").get_xdata().min() == pytest.approx(ALPHAS[0])
    # The synthetic means are the bce rule's on a superellipse: it moves as the theory says.
    simulated = line(move_ax, "move-simulated").get_ydata()
    np.testing.assert_allclose(
        simulated, line(move_ax, "move-superellipse-bce").get_ydata(), atol=1e-3
    )
    with pytest.raises(ValueError, match=r"'class_sep' parameter of plot_theory_gap .*Got 9"):
        plot_theory_gap(summary, beta=BETA, class_sep=9.0)


def test_every_run_figure_reads_a_real_run(small_run):
    run = load_run(small_run)
    beta = run.run["config"]["beta"]
    for fig in (
        plot_empirical_scores(run.summary, beta=beta),
        plot_theory_vs_simulation(run.summary, beta=beta),
        plot_operating_points(run.summary, beta=beta),
        plot_theory_gap(run.summary, beta=beta),
    ):
        assert isinstance(fig, Figure)


@pytest.mark.parametrize(
    ("folder", "wrong"),
    [("--models", "noisy"), ("--knobs", "noisy"), ("--noise", "plain"), ("--datasets", "noisy")],
)
def test_a_study_folder_of_other_conditions_is_one_line(
    synthetic_run, tmp_path, capsys, folder, wrong
):
    # Each study's figure reads its runs' conditions as its own (class_sep; flip_y and
    # class_sep; the data set): a run over others is refused before anything is drawn.
    plain = synthetic_summary()
    summaries = {
        "plain": plain,
        "noisy": pd.concat([plain.assign(flip_y=0.0), plain.assign(flip_y=0.1)]),
        "data": plain.drop(columns="class_sep").assign(dataset="breast_cancer").iloc[:9],
    }
    folders = {"--models": "plain", "--knobs": "plain", "--noise": "noisy", "--datasets": "data"}
    folders[folder] = wrong
    argv = ["--run", str(synthetic_run), "--out", str(tmp_path / "figures")]
    for flag, kind in folders.items():
        write_synthetic_run(
            tmp_path / flag / "tree", summary=summaries[kind], config={"beta": BETA}
        )
        argv += [flag, str(tmp_path / flag)]
    with pytest.raises(SystemExit) as exit_info:
        plots_main(argv)
    assert exit_info.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert f"{tmp_path / folder / 'tree'}' is swept over " in last
    assert not (tmp_path / "figures").exists()
