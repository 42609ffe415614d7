import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_digits

from simulate import SweepConfig
from simulate.data.sources import (
    Rows,
    is_source,
    load_rows,
    positives_kept,
    shipped_rows,
    subsample_positives,
)
from simulate.models.registry import MODELS
from simulate.models.tree import ENGINES


def _breast_cancer_table() -> pd.DataFrame:
    """The breast-cancer data as a user's table: its label written as text."""
    bunch = load_breast_cancer(as_frame=True)
    table = bunch.frame.drop(columns="target")
    table["diagnosis"] = np.where(bunch.target == 0, "malignant", "benign")
    return table


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("make_classification", True),
        ("breast_cancer", True),
        ("digits:0", True),
        ("digits:9", True),
        ("digits:10", False),
        ("digits", False),
        ("data/table.csv", True),
        ("table.PARQUET", True),
        ("table.xlsx", False),
        ("iris", False),
    ],
)
def test_source_forms(name, expected):
    assert is_source(name) is expected


def test_shipped_data_sets_have_their_known_counts():
    cancer = shipped_rows("breast_cancer")
    assert (cancer.positives, cancer.negatives) == (212, 357)  # malignant positive
    eight = load_rows("digits:8")
    X, target = load_digits(return_X_y=True)
    assert eight.positives == int((target == 8).sum()) == 174
    np.testing.assert_array_equal(eight.X, X)


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_a_table_gives_the_rows_of_its_data(tmp_path, suffix):
    path = tmp_path / f"cancer{suffix}"
    table = _breast_cancer_table()
    table.to_csv(path, index=False) if suffix == ".csv" else table.to_parquet(path)
    rows = load_rows(str(path), "diagnosis")
    cancer = shipped_rows("breast_cancer")
    np.testing.assert_array_equal(rows.y, cancer.y)  # the rarer value is positive
    np.testing.assert_allclose(rows.X, cancer.X, rtol=1e-12)


@pytest.mark.parametrize(
    ("change", "target", "message"),
    [
        (lambda t: t, "label", r"no column 'label' for --target \(its columns: mean radius"),
        (lambda t: t.assign(diagnosis="benign"), "diagnosis", r"two values; it holds 1 \('benign'"),
        (lambda t: t.assign(diagnosis=np.arange(len(t)) % 3), "diagnosis", "it holds 3"),
        (lambda t: t.assign(site="left"), "diagnosis", "non-numeric feature columns: site"),
        (
            lambda t: t.assign(**{"mean area": np.nan}),
            "diagnosis",
            "missing or infinite values in columns: mean area.",
        ),
        (
            lambda t: t.assign(**{"mean area": np.inf, "worst area": -np.inf}),
            "diagnosis",
            "missing or infinite values in columns: mean area, worst area.",
        ),
        (lambda t: t[["diagnosis"]], "diagnosis", "no feature column besides 'diagnosis'"),
    ],
)
def test_a_bad_table_is_refused_in_one_line(tmp_path, change, target, message):
    path = tmp_path / "table.csv"
    change(_breast_cancer_table()).to_csv(path, index=False)
    with pytest.raises(ValueError, match=message) as error:
        load_rows(str(path), target)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("engine", ENGINES)
def test_infinite_features_are_refused_for_every_model_before_any_fit(tmp_path, model, engine):
    # The numba tree and hgb would fit them, scikit-learn's tree, logreg and mlp refuse them:
    # one rule, the sweep's, as for missing values.
    path = tmp_path / "table.csv"
    table = _breast_cancer_table()
    table.loc[3, "mean area"] = np.inf
    table.to_csv(path, index=False)
    leaf = {"min_samples_leaf": 20} if model == "tree-proba" else {}
    message = "has missing or infinite values in columns: mean area"
    with pytest.raises(ValueError, match=message):
        SweepConfig(
            dataset=(str(path),), target="diagnosis", beta=0.2, model=model, engine=engine, **leaf
        )


def test_unreadable_and_unnamed_tables_are_refused(tmp_path):
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet")
    with pytest.raises(ValueError, match=r"broken\.parquet cannot be read"):
        load_rows(str(broken), "y")
    with pytest.raises(ValueError, match="needs --target"):
        load_rows(str(broken))
    with pytest.raises(ValueError, match="'iris' is not a real data set"):
        load_rows("iris")


def test_subsampling_keeps_every_negative_and_draws_positives_without_replacement():
    rng = np.random.default_rng(0)
    rows = Rows(np.arange(1000.0)[:, None], (np.arange(1000) % 4 == 0).astype(np.int64))
    kept = subsample_positives(rows, 0.05, rng)
    assert kept.negatives == 750
    assert kept.positives == positives_kept(rows, 0.05) == round(0.05 / 0.95 * 750)
    assert np.unique(kept.X).size == kept.X.size  # no row twice
    assert np.all(np.diff(kept.X[:, 0]) > 0)  # in the rows' order
    with pytest.raises(ValueError, match="needs 750 positives; the rows hold 250"):
        subsample_positives(rows, 0.5, rng)
