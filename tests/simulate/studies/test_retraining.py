"""The retraining study: its rows are real retrains and real predictions, reproducibly."""

import numpy as np
import pandas as pd
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, recall_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

import theory
from params.validation import ParameterError
from simulate.commands.retraining import main as retraining_main
from simulate.studies import retraining
from simulate.studies.retraining import (
    BOOTSTRAPPED,
    OBSERVED,
    SCORES,
    UNCHANGED,
    VARIANTS,
    DatasetSpec,
    RetrainingConfig,
    load_dataset,
    parse_dataset,
    split_rows,
    summarise_retraining,
    validate_retraining,
)

#: The smallest data set, both models, two splits: about two seconds a split on one core.
SMALL = RetrainingConfig(
    datasets=("breast_cancer@0.1",), splits=2, alphas=(5.0, 99.0), bootstrap=5, seed=3
)
#: One split of one model, for the quick tier.
TINY = RetrainingConfig(
    datasets=("digits:8@0.05",), models=("logistic",), splits=1, alphas=(20.0,), bootstrap=3
)
#: Columns per score in the study's table.
PARTS = ("predicted", "real", "low", "high")


@pytest.fixture(scope="module")
def small_table() -> pd.DataFrame:
    return validate_retraining(SMALL, n_jobs=1)


@pytest.fixture(scope="module")
def tiny_table() -> pd.DataFrame:
    return validate_retraining(TINY, n_jobs=1)


def _direct_fit(model: str, rows: retraining.SplitRows, alpha: float):
    """The model retrained at ``alpha`` with sample weights, as a user would write it."""
    weights = np.where(rows.y_train == 1, alpha, 1.0)
    if model == "logistic":
        pipeline = make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=retraining.LOGISTIC_MAX_ITER)
        )
        return pipeline.fit(rows.X_train, rows.y_train, logisticregression__sample_weight=weights)
    return HistGradientBoostingClassifier().fit(rows.X_train, rows.y_train, sample_weight=weights)


def test_tiny_table_has_a_row_per_variant_and_weight(tiny_table):
    variants = [*VARIANTS, OBSERVED, UNCHANGED]
    assert len(tiny_table) == len(variants) * 2
    assert list(tiny_table.columns[:5]) == ["dataset", "split", "model", "variant", "alpha"]
    assert {f"{name}_{part}" for name in SCORES for part in PARTS} < set(tiny_table.columns)
    assert list(tiny_table["variant"].unique()) == variants
    assert tiny_table["alpha"].unique().tolist() == [1.0, 20.0]
    interval = tiny_table["recall_low"].notna()
    assert set(tiny_table.loc[interval, "variant"]) == set(BOOTSTRAPPED)


@pytest.mark.slow
def test_small_run_shape(small_table):
    per_split = 2 * (len(VARIANTS) + 2) * 3
    assert len(small_table) == SMALL.splits * per_split
    assert list(small_table.groupby(["split", "model"], sort=False).size()) == [per_split // 2] * 4
    bootstrapped = small_table["variant"].isin(BOOTSTRAPPED)
    for name in SCORES:
        low, high = small_table[f"{name}_low"], small_table[f"{name}_high"]
        assert low[bootstrapped].notna().all()
        assert low[~bootstrapped].isna().all()
        assert (low[bootstrapped] <= high[bootstrapped]).all()


@pytest.mark.slow
def test_real_values_are_a_direct_retrain_with_sample_weights(small_table):
    rows = split_rows(SMALL, 0, 1)
    for model in SMALL.models:
        for alpha in SMALL.alphas:
            predicted = _direct_fit(model, rows, alpha).predict(rows.X_test)
            real = small_table[
                (small_table["split"] == 1)
                & (small_table["model"] == model)
                & (small_table["alpha"] == alpha)
            ]
            expected = {
                "recall": recall_score(rows.y_test, predicted),
                "specificity": recall_score(rows.y_test, predicted, pos_label=0),
                "f1": f1_score(rows.y_test, predicted),
            }
            for name, value in expected.items():
                np.testing.assert_allclose(real[f"{name}_real"], value, atol=1e-12)


def test_unchanged_predicts_the_weight_one_model_everywhere(tiny_table):
    unchanged = tiny_table[tiny_table["variant"] == UNCHANGED]
    at_one = unchanged[unchanged["alpha"] == 1.0]
    for name in SCORES:
        np.testing.assert_array_equal(
            unchanged[f"{name}_predicted"], at_one[f"{name}_real"].iloc[0]
        )
        np.testing.assert_array_equal(at_one[f"{name}_predicted"], at_one[f"{name}_real"])


def test_observed_predicts_the_validation_point_everywhere(tiny_table):
    rows = split_rows(TINY, 0, 0)
    scores = _direct_fit("logistic", rows, 1.0).predict_proba(rows.X_validation)[:, 1]
    predicted = scores >= 0.5
    observed = tiny_table[tiny_table["variant"] == OBSERVED]
    recall = recall_score(rows.y_validation, predicted)
    specificity = recall_score(rows.y_validation, predicted, pos_label=0)
    np.testing.assert_allclose(observed["recall_predicted"], recall, rtol=1e-12)
    np.testing.assert_allclose(observed["specificity_predicted"], specificity, rtol=1e-12)
    beta = np.mean(rows.y_test)
    precision = beta * recall / (beta * recall + (1 - beta) * (1 - specificity))
    f1 = 2 * precision * recall / (precision + recall)
    np.testing.assert_allclose(observed["f1_predicted"], f1, rtol=1e-12)


def test_predictions_come_from_the_validation_scores_at_the_test_prevalence(tiny_table):
    rows = split_rows(TINY, 0, 0)
    scores = _direct_fit("logistic", rows, 1.0).predict_proba(rows.X_validation)[:, 1]
    expected = theory.what_if_scores(
        rows.y_validation,
        scores,
        alpha=TINY.alphas,
        beta=float(np.mean(rows.y_test)),
        smooth="binormal",
        probabilities=False,
    ).table
    drawn = tiny_table[tiny_table["variant"] == "binormal/slope"]
    for name in SCORES:
        np.testing.assert_allclose(drawn[f"{name}_predicted"], expected[name], rtol=1e-9)
    np.testing.assert_allclose(drawn["threshold"], expected["threshold"])


def test_the_exact_hull_with_the_thresholds_odds_picks_the_best_weighted_accuracy(tiny_table):
    # At threshold 1/2 the odds say the model maximises accuracy; weight alpha on the positives
    # makes it maximise alpha * TP + TN over the validation thresholds: a brute-force scan.
    rows = split_rows(TINY, 0, 0)
    scores = _direct_fit("logistic", rows, 1.0).predict_proba(rows.X_validation)[:, 1]
    positive = rows.y_validation == 1
    drawn = tiny_table[tiny_table["variant"] == "hull/odds"]
    for alpha, recall, specificity in drawn[
        ["alpha", "recall_predicted", "specificity_predicted"]
    ].to_numpy():
        best = max(
            alpha * np.sum(positive & (scores >= t)) + np.sum(~positive & (scores < t))
            for t in np.append(np.unique(scores), np.inf)
        )
        reached = alpha * recall * positive.sum() + specificity * (~positive).sum()
        assert reached == pytest.approx(best, rel=1e-12)


def test_a_slope_the_prediction_cannot_read_leaves_its_rows_empty(monkeypatch):
    # what_if_scores refuses an observed point at an end of the curve when it must read the
    # curve's slope there; the study records no prediction for it, and still fails on the rest.
    what_if_scores = theory.what_if_scores

    def refuse(*args, probabilities, **kwargs):
        if not probabilities:
            raise ParameterError("threshold", "what_if_scores", "inside the curve", 0.5)
        return what_if_scores(*args, probabilities=probabilities, **kwargs)

    monkeypatch.setattr(retraining.theory, "what_if_scores", refuse)
    table = validate_retraining(TINY, n_jobs=1)
    slope = table["variant"].str.endswith("/slope")
    assert table.loc[slope, "recall_predicted"].isna().all()
    assert table.loc[~slope, "recall_predicted"].notna().all()

    def broken(*args, **kwargs):
        raise ParameterError("beta", "what_if_scores", "in (0, 1)", 2.0)

    monkeypatch.setattr(retraining.theory, "what_if_scores", broken)
    with pytest.raises(ParameterError, match="'beta'"):
        validate_retraining(TINY, n_jobs=1)


@pytest.mark.slow
def test_same_numbers_for_any_n_jobs(small_table):
    pd.testing.assert_frame_equal(validate_retraining(SMALL, n_jobs=2), small_table)


def test_splits_depend_on_the_seed_the_data_set_and_the_split_alone():
    config = RetrainingConfig(datasets=("digits:8@0.05", "breast_cancer@0.1"), splits=3)
    first = split_rows(config, 1, 2)
    again = split_rows(
        RetrainingConfig(datasets=config.datasets, splits=9, models=("logistic",)), 1, 2
    )
    for a, b in zip(first, again, strict=True):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(split_rows(config, 1, 1).X_test, first.X_test)
    n = sum(len(part) for part in (first.y_train, first.y_validation, first.y_test))
    assert len(first.y_validation) == pytest.approx(config.validation_size * n, abs=1)
    assert len(first.y_test) == pytest.approx(config.test_size * n, abs=1)
    for labels in (first.y_train, first.y_validation, first.y_test):
        assert np.mean(labels) == pytest.approx(0.1, abs=0.02)


def test_subsampling_keeps_every_negative_and_the_asked_share_of_positives():
    X, y = load_dataset(parse_dataset("digits:3@0.05"), 7)
    X_all, y_all = load_dataset(DatasetSpec("digits", 3, None), 0)
    assert np.sum(y == 0) == np.sum(y_all == 0)
    assert np.mean(y) == pytest.approx(0.05, abs=1e-3)
    assert X.shape == (y.size, X_all.shape[1])
    again, _ = load_dataset(parse_dataset("digits:3@0.05"), 7)
    np.testing.assert_array_equal(X, again)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("digits:8", DatasetSpec("digits", 8, None)),
        ("digits:0@0.05", DatasetSpec("digits", 0, 0.05)),
        ("breast_cancer@0.1", DatasetSpec("breast_cancer", None, 0.1)),
        ("breast_cancer", DatasetSpec("breast_cancer", None, None)),
    ],
)
def test_parse_dataset(text, expected):
    assert parse_dataset(text) == expected


def test_summary_of_a_known_table():
    table = pd.DataFrame(
        {
            "dataset": "d",
            "split": [0, 1, 2, 0, 1, 2],
            "model": "m",
            "variant": ["v"] * 3 + ["w"] * 3,
            "alpha": 2.0,
            "recall_predicted": [0.5, 0.7, np.nan, 0.6, 0.6, 0.6],
            "recall_real": [0.6, 0.6, 0.9, 0.6, 0.6, 0.9],
            "recall_low": [0.4, 0.65, np.nan, np.nan, np.nan, np.nan],
            "recall_high": [0.6, 0.8, np.nan, np.nan, np.nan, np.nan],
        }
    )
    for name in SCORES[1:]:
        for part in PARTS:
            table[f"{name}_{part}"] = table[f"recall_{part}"]
    summary = summarise_retraining(table)
    assert summary[["variant", "n"]].to_dict("list") == {"variant": ["v", "w"], "n": [2, 3]}
    v, w = summary.iloc[0], summary.iloc[1]
    assert v["recall_mae"] == pytest.approx(0.1)
    assert v["recall_bias"] == pytest.approx(0.0)
    assert v["recall_predicted"] == pytest.approx(0.6)
    assert v["recall_real"] == pytest.approx(0.6)  # the split without a prediction left out
    assert v["recall_coverage"] == pytest.approx(0.5)
    assert w["recall_mae"] == pytest.approx(0.1)
    assert w["recall_bias"] == pytest.approx(-0.1)
    assert np.isnan(w["recall_coverage"])


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"datasets": ("iris",)}, "'datasets' parameter of RetrainingConfig must be a non-empty"),
        ({"datasets": ("digits:10",)}, "Got 'digits:10' instead"),
        ({"datasets": ("digits:8@half",)}, "Got 'digits:8@half' instead"),
        ({"datasets": ("breast_cancer:1",)}, "Got 'breast_cancer:1' instead"),
        ({"datasets": ("digits:8@0.2",)}, r"a positive fraction in the range \(0, 0.09\d+\) for"),
        ({"datasets": "digits:8"}, "must be a non-empty list of non-empty str"),
        ({"models": ("svm",)}, "names from 'logistic', 'boosting'. Got 'svm'"),
        ({"splits": 0}, r"'splits' parameter of RetrainingConfig must be an int in the range"),
        ({"alphas": (2.0, -1.0)}, r"list of floats in the range \(0, inf\)"),
        ({"bootstrap": -1}, r"'bootstrap' parameter of RetrainingConfig"),
        ({"validation_size": 0.6, "test_size": 0.4}, r"'test_size' .* range \(0, 0.4\)"),
        ({"datasets": ("breast_cancer@0.02",)}, "expected positives in a validation or test"),
    ],
)
def test_bad_settings_are_named(settings, message):
    with pytest.raises(ValueError, match=message):
        RetrainingConfig(**settings)


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--datasets", "iris"], "argument --datasets: must be a non-empty list of 'digits:D'"),
        (["--models", "logistic,svm"], "argument --models: must be a non-empty list of names"),
        (["--splits", "0"], "argument --splits: must be an int in the range [1, inf)"),
        (["--alphas", "two"], "argument --alphas"),
        (["--n-jobs", "0"], "argument --n-jobs"),
    ],
)
def test_bad_flags_end_with_one_line_and_status_2(argv, named, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        retraining_main([*argv, "--out", str(tmp_path / "out")])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "Traceback" not in error
    last = error.strip().splitlines()[-1]
    assert last.startswith("python -m simulate.retraining: error: ")
    assert named in last
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_the_command_writes_its_files(tmp_path, capsys):
    out = tmp_path / "retraining"
    argv = ["--datasets", "breast_cancer@0.1", "--models", "logistic", "--splits", "2"]
    argv += ["--alphas", "5", "--bootstrap", "3", "--n-jobs", "1", "--out", str(out)]
    assert retraining_main(argv) == 0
    assert sorted(path.name for path in out.iterdir()) == sorted(
        [retraining.SPLITS_FILE, retraining.SUMMARY_FILE, "run.json", retraining.FIGURE_FILE]
    )
    table = pd.read_parquet(out / retraining.SPLITS_FILE)
    summary = pd.read_csv(out / retraining.SUMMARY_FILE)
    assert len(table) == 2 * (len(VARIANTS) + 2) * 2
    pd.testing.assert_frame_equal(summary, summarise_retraining(table), check_dtype=False)
    printed = capsys.readouterr().out
    assert "logistic  breast_cancer@0.1" in printed
    assert "unchanged" in printed
