"""WhatIfRows: the validation rows checked and ranked once, what_if_scores's numbers as arrays."""

import numpy as np
import pandas as pd
import pytest

from theory.movement import Movement
from theory.whatif_scores import WhatIfRows, what_if_scores

ALPHAS = [0.5, 1.0, 2.0, 5.0, 20.0, 99.0]
#: Predictions of many kinds, each as what_if_scores's keywords.
PREDICTIONS = [
    {},
    {"smooth": None, "metrics": ("f1", "mcc", "cost"), "cost_fn": 2.0},
    {"rule": "bce", "smooth": "binormal", "fbeta": (2.0, 0.5)},
    {"smooth": "superellipse", "probabilities": False, "metrics": ("hter",)},
    {"rule": "focal", "gamma": 1.5, "smooth": "asymmetric", "metrics": ()},
    {"smooth": "threshold", "movement": 0.8, "metrics": ("f1",)},
    {"smooth": "threshold", "movement": Movement(0.8, 0.6, 1.0, 0.4, 0.1, (0.6, 0.9, 1.1))},
    {"smooth": None, "beta": 0.03, "positive_fraction": [0.1, 0.5], "alpha": None},
]


def _rows(seed=0, n=300, prevalence=0.15):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < prevalence).astype(np.int64)
    y[:2] = (1, 0)
    return y, 1.0 / (1.0 + np.exp(-(rng.normal(size=n) + 2.0 * y - 1.5)))


def _frames_equal(arrays, result):
    """The arrays of WhatIfRows.predict are what_if_scores's tables' numbers, bit for bit."""
    table = result.table.drop(columns=["alpha", "positive_fraction"], errors="ignore")
    assert list(arrays.table) == list(table.columns)
    for name, values in arrays.table.items():
        np.testing.assert_array_equal(values, table[name].to_numpy())
    np.testing.assert_array_equal(arrays.alpha, result.table["alpha"].to_numpy())
    best = pd.DataFrame.from_dict(arrays.best, orient="index")
    for name, values in arrays.best_intervals.items():
        best[name] = values
    pd.testing.assert_frame_equal(best, result.best, check_names=False, check_exact=True)
    pd.testing.assert_series_equal(pd.Series(arrays.observed), result.observed, check_exact=True)
    assert arrays.estimator == result.estimator


@pytest.mark.parametrize("options", PREDICTIONS)
@pytest.mark.parametrize(("bootstrap", "n_test"), [(0, None), (12, None), (12, (30, 900))])
def test_a_prediction_is_what_if_scores_as_arrays(options, bootstrap, n_test):
    y, scores = _rows()
    options = {"alpha": ALPHAS, **options}
    alpha = options.pop("alpha")
    result = what_if_scores(y, scores, alpha, bootstrap=bootstrap, n_test=n_test, seed=4, **options)
    arrays = WhatIfRows(y, scores).predict(
        alpha, bootstrap=bootstrap, n_test=n_test, seed=4, **options
    )
    _frames_equal(arrays, result)


@pytest.mark.parametrize("columns", [("recall", "specificity", "f1"), ("f1",), ("threshold",)])
def test_a_column_does_not_depend_on_the_others_asked_for(columns):
    y, scores = _rows(seed=2)
    for smooth in ("threshold", None, "binormal"):
        options = {"smooth": smooth, "bootstrap": 15, "n_test": (20, 500), "seed": 9}
        every = WhatIfRows(y, scores).predict(ALPHAS, **options)
        some = WhatIfRows(y, scores).predict(ALPHAS, columns=columns, **options)
        asked = [f"{c}{end}" for c in columns for end in ("", "_low", "_high")]
        assert sorted(some.table) == sorted(asked)
        for name in asked:
            np.testing.assert_array_equal(some.table[name], every.table[name])
        observed = {k: v for k, v in every.observed.items() if k in ("threshold", *columns)}
        assert some.observed == observed


def test_predictions_made_together_are_each_made_alone():
    # the shared curves and resamples change no number; a refused one stops no other
    y, scores = _rows(seed=3)
    requests = []
    for options in [*PREDICTIONS, *PREDICTIONS[::-1]]:
        request = {"alpha": ALPHAS, "bootstrap": 10, "n_test": 400, "seed": 1, **options}
        requests.append(request)
    requests[3] = {**requests[3], "bootstrap": 4, "seed": 2}
    requests[5] = {**requests[5], "bootstrap": 0, "n_test": None}
    requests.insert(2, {"alpha": ALPHAS, "beta": 1.5})  # refused
    requests.insert(4, {"alpha": ALPHAS, "rule": "bce", "smooth": None, "threshold": 0.9999})  # end
    results = WhatIfRows(y, scores).predict_all(requests)
    for request, result in zip(requests, results, strict=True):
        request = dict(request)
        try:
            expected = what_if_scores(y, scores, request.pop("alpha"), **request)
        except ValueError as error:
            assert isinstance(result, ValueError)
            assert str(result) == str(error).replace("what_if_scores", "WhatIfRows.predict_all")
            continue
        _frames_equal(result, expected)
    assert sum(isinstance(result, ValueError) for result in results) == 2


def test_the_rows_and_their_predictions_are_checked_by_name():
    y, scores = _rows()
    with pytest.raises(ValueError, match="'y_true' parameter of WhatIfRows"):
        WhatIfRows(np.ones(5), np.arange(5.0))
    rows = WhatIfRows(y, scores)
    with pytest.raises(ValueError, match=r"'columns' parameter of WhatIfRows\.predict"):
        rows.predict(ALPHAS, columns=("recall", "auc"))
    with pytest.raises(ValueError, match=r"'beta' parameter of WhatIfRows\.predict"):
        rows.predict(ALPHAS, beta=1.5)
    with pytest.raises(ValueError, match=r"'threshold' parameter of WhatIfRows\.predict"):
        rows.predict(ALPHAS, threshold=2.0)


def test_predict_defaults_to_what_if_scores_defaults():
    import inspect

    from theory import whatif_scores

    public = inspect.signature(what_if_scores).parameters
    checked = inspect.signature(whatif_scores._settings).parameters
    shared = [name for name in checked if name not in ("owner", "rows", "columns")]
    assert set(shared) <= set(public)
    for name in shared:
        assert checked[name].default == public[name].default, name
