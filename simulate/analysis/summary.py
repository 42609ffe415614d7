"""Tables that summarise a sweep: per cell, per class separation against the theory, and how far
the theory on each separation's fitted curve is from the simulation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import fields
from typing import Any

import numpy as np
import pandas as pd

import theory
from simulate.analysis.prediction import PREDICTED_SCORES, PREDICTORS, UNCHANGED
from simulate.data.splits import noisy_prevalence
from theory.curves import Curve

__all__ = [
    "CELL_KEYS",
    "SUMMARY_SCORES",
    "cell_keys",
    "effect_of_noise",
    "fit_separations",
    "per_cell",
    "per_separation",
    "pooled_rmse",
    "prediction_error",
    "stored_predictors",
    "theory_gap",
    "weighting_vs_thresholding",
    "with_unchanged",
]

#: Scores summarised per cell (mean and standard error).
SUMMARY_SCORES: tuple[str, ...] = ("recall", "specificity", "precision", "f1", "balanced_accuracy")
#: Bootstrap resamples of the repetitions behind the best weight's interval.
BOOTSTRAP_SAMPLES = 1000
#: Columns that can say which condition a fit belongs to, in the order tables sort them
#: (:attr:`simulate.config.SweepConfig.cell_keys`).
CELL_KEYS: tuple[str, ...] = ("flip_y", "dataset", "class_sep")


def cell_keys(table: pd.DataFrame) -> list[str]:
    """The columns of :data:`CELL_KEYS` that ``table`` holds: ``["class_sep"]`` for the post's
    sweep, ``["flip_y", "class_sep"]`` with label noise, ``["dataset"]`` for real data."""
    return [key for key in CELL_KEYS if key in table.columns]


def _conditions(table: pd.DataFrame) -> Iterator[tuple[dict[str, Any], pd.DataFrame]]:
    """Each condition's values of the cell keys, and its rows, in sorted order."""
    keys = cell_keys(table)
    for values, group in table.groupby(keys, sort=True):
        yield dict(zip(keys, values, strict=True)), group


def _condition_key(values: dict[str, Any]) -> Any:
    """A condition as a dict key: its one value, or the tuple of its values."""
    items = tuple(values.values())
    return items[0] if len(items) == 1 else items


def per_cell(fits: pd.DataFrame) -> pd.DataFrame:
    """Count, mean and standard error of each score per cell: per (class_sep, alpha), or per
    the fits' other :func:`cell_keys` and alpha.

    Returns
    -------
    DataFrame
        Columns: the cell keys (``class_sep``), ``alpha``, ``count`` and ``<score>_mean``,
        ``<score>_se`` for each of :data:`SUMMARY_SCORES`, sorted by the cell keys then alpha.
        Where the fits hold the theory's predictions (a probabilistic model's sweep), also per
        predictor and predicted score the mean prediction ``predicted_<score>_<predictor>_mean``,
        its mean error ``<score>_<predictor>_bias`` (predicted minus real) and mean absolute
        error ``<score>_<predictor>_mae``, and the number of datasets the predictor could
        predict, ``predicted_<predictor>_count``.
    """
    keys = [fits[key] for key in (*cell_keys(fits), "alpha")]
    cells = fits.groupby(keys, sort=True)
    grouped = cells[list(SUMMARY_SCORES)]
    mean, std, count = grouped.mean(), grouped.std(ddof=1), grouped.count()
    columns = {"count": count[SUMMARY_SCORES[0]]}
    for score in SUMMARY_SCORES:
        columns[f"{score}_mean"] = mean[score]
        columns[f"{score}_se"] = (std[score] / np.sqrt(count[score])).fillna(0.0)
    # every other column's statistics in one grouping each (a table built column by column,
    # grouping again for each, takes several times as long)
    tuning = [column for column in ("val_f1", "tuned_f1") if column in fits.columns]
    errors = _prediction_errors(fits)
    predicted = [f"predicted_{score}_{name}" for name in errors for score in PREDICTED_SCORES]
    means = cells[[*tuning, *predicted]].mean()
    columns |= {f"{column}_mean": means[column] for column in tuning}
    if errors:
        every_error = pd.concat(errors, axis=1)
        bias = every_error.groupby(keys, sort=True).mean()
        absolute = every_error.abs().groupby(keys, sort=True).mean()
        predicted_counts = cells[[f"predicted_f1_{name}" for name in errors]].count()
    for name in errors:
        for score in PREDICTED_SCORES:
            column = f"predicted_{score}_{name}"
            columns[f"{column}_mean"] = means[column]
            columns[f"{score}_{name}_bias"] = bias[(name, score)]
            columns[f"{score}_{name}_mae"] = absolute[(name, score)]
        columns[f"predicted_{name}_count"] = predicted_counts[f"predicted_f1_{name}"]
    return pd.DataFrame(columns).reset_index()


def weighting_vs_thresholding(fits: pd.DataFrame) -> pd.DataFrame:
    """Per class_sep (per condition: :func:`cell_keys`), the best F1 reached by choosing the
    weight against tuning the threshold.

    For each dataset of a probabilistic model's sweep, the weight is chosen where its model's F1
    on the validation split (``val_f1``) is highest (the smallest such weight), and its test F1
    is read; the threshold of the ``alpha = 1`` model is tuned for F1 on the same validation
    split and its test F1 is ``tuned_f1`` (:func:`simulate.analysis.thresholding.tuned_threshold`).

    Returns
    -------
    DataFrame
        One row per condition (its cell keys' values) and a last row ``"all"`` (in each key
        column) pooling them: ``datasets``, ``f1_at_1`` (the
        ``alpha = 1`` model at its own threshold, NaN if 1 is not among the weights),
        ``alpha_chosen`` (median chosen weight), ``f1_weighted``, ``f1_tuned`` (means over
        datasets), ``difference`` (mean of weighted minus tuned) with its standard error
        ``difference_se``, and ``weighted_wins`` (share of datasets where the chosen weight's
        F1 beats the tuned threshold's; ties count half). Empty for sweeps without these
        columns (trees).
    """
    if "val_f1" not in fits.columns:
        return pd.DataFrame()
    keys = cell_keys(fits)
    dataset = [*keys, "rep"]
    ordered = fits.sort_values([*dataset, "alpha"])
    chosen = ordered.loc[ordered.groupby(dataset, sort=True)["val_f1"].idxmax()]
    at_one = ordered[ordered["alpha"] == 1.0].set_index(dataset)["f1"]
    per_dataset = chosen.set_index(dataset)[["alpha", "f1", "tuned_f1"]]
    per_dataset["f1_at_1"] = at_one.reindex(per_dataset.index)
    per_dataset["difference"] = per_dataset["f1"] - per_dataset["tuned_f1"]
    per_dataset["wins"] = np.sign(per_dataset["difference"]) / 2.0 + 0.5

    def row(group: pd.DataFrame) -> dict[str, float]:
        return {
            "datasets": len(group),
            "f1_at_1": float(group["f1_at_1"].mean()),
            "alpha_chosen": float(group["alpha"].median()),
            "f1_weighted": float(group["f1"].mean()),
            "f1_tuned": float(group["tuned_f1"].mean()),
            "difference": float(group["difference"].mean()),
            "difference_se": float(group["difference"].std(ddof=1) / np.sqrt(len(group))),
            "weighted_wins": float(group["wins"].mean()),
        }

    rows = [{**values, **row(group)} for values, group in _conditions(per_dataset.reset_index())]
    rows.append({**dict.fromkeys(keys, "all"), **row(per_dataset)})
    return pd.DataFrame(rows)


def stored_predictors(fits: pd.DataFrame) -> list[str]:
    """The predictors (:data:`simulate.analysis.prediction.PREDICTORS`, then the baseline
    :data:`~simulate.analysis.prediction.UNCHANGED`) whose predictions ``fits`` holds."""
    return [name for name in (*PREDICTORS, UNCHANGED) if f"predicted_f1_{name}" in fits.columns]


def with_unchanged(fits: pd.DataFrame) -> pd.DataFrame:
    """The fits with the baseline :data:`~simulate.analysis.prediction.UNCHANGED`'s columns:
    each dataset's ``alpha = 1`` recall, specificity and F1 on the test split, predicted for
    every weight (NaN where 1 is not among the weights)."""
    keys = [*cell_keys(fits), "rep"]
    at_one = fits[fits["alpha"] == 1.0].set_index(keys)[list(PREDICTED_SCORES)]
    index = pd.MultiIndex.from_frame(fits[keys])
    values = at_one.reindex(index).to_numpy()
    columns = {
        f"predicted_{score}_{UNCHANGED}": values[:, i] for i, score in enumerate(PREDICTED_SCORES)
    }
    return fits.assign(**columns)


def _prediction_errors(fits: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Per predictor whose predictions ``fits`` holds: predicted minus real, per fit and score."""
    return {
        name: pd.DataFrame(
            {score: fits[f"predicted_{score}_{name}"] - fits[score] for score in PREDICTED_SCORES}
        )
        for name in stored_predictors(fits)
    }


def _coverage(fits: pd.DataFrame, name: str, score: str) -> pd.Series | None:
    """Per fit, 1.0 where the real ``score`` lies in predictor ``name``'s interval, 0.0 where it
    does not, NaN where there is no interval; None if ``fits`` holds no intervals."""
    column = f"predicted_{score}_{name}"
    if f"{column}_low" not in fits.columns:
        return None
    low, high, real = fits[f"{column}_low"], fits[f"{column}_high"], fits[score]
    return ((low <= real) & (real <= high)).astype(np.float64).where(low.notna())


def prediction_error(fits: pd.DataFrame, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """How far the theory's predictions are from the real fits, per predictor and weight.

    Pools every class_sep and repetition of a probabilistic model's sweep (or every
    repetition of each group of the columns ``by``): the error of each predictor
    (:mod:`simulate.analysis.prediction`), reading the ``alpha = 1`` model's validation scores,
    in predicting the recall, specificity and F1 of the model retrained at each weight.

    Returns
    -------
    DataFrame
        One row per (``by`` columns, predictor, alpha): the ``by`` columns, ``predictor``,
        ``alpha``, ``predicted`` (datasets the predictor could predict), ``failed`` (datasets
        it could not: the ``alpha = 1`` model at an end of its validation curve), per score
        ``<score>_mae`` (mean absolute error), ``<score>_bias`` (mean of predicted minus
        real), ``<score>_real`` and ``<score>_predicted`` (the means over the datasets
        predicted), and where the fits hold intervals ``<score>_coverage`` (the share of datasets
        whose real value lies in the interval). Empty if ``fits`` holds no predictions (a tree
        sweep).
    """
    rows = []
    groups = fits.groupby(list(by), sort=False) if by else [((), fits)]
    for values, group in groups:
        keys = dict(zip(by, values, strict=True))
        for name, errors in _prediction_errors(group).items():
            coverage = {score: _coverage(group, name, score) for score in PREDICTED_SCORES}
            for alpha, cell in errors.groupby(group["alpha"], sort=True):
                predicted = int(cell["f1"].count())
                row = {**keys, "predictor": name, "alpha": float(alpha), "predicted": predicted}
                row["failed"] = len(cell) - predicted
                rows_predicted = cell.index[cell["f1"].notna()]
                for score in PREDICTED_SCORES:
                    row[f"{score}_mae"] = float(cell[score].abs().mean())
                    row[f"{score}_bias"] = float(cell[score].mean())
                    real = group.loc[rows_predicted, score]
                    row[f"{score}_real"] = float(real.mean())
                    row[f"{score}_predicted"] = float(real.mean() + cell[score].mean())
                    if coverage[score] is not None:
                        row[f"{score}_coverage"] = float(coverage[score][cell.index].mean())
                rows.append(row)
    return pd.DataFrame(rows)


def fit_separations(summary: pd.DataFrame, *, family: str = "superellipse") -> dict[Any, Curve]:
    """The ``family`` curve fitted to each condition's mean (recall, specificity) points.

    Parameters
    ----------
    summary : DataFrame
        A per-cell table (:func:`per_cell`): its cell keys (class_sep), recall_mean and
        specificity_mean.
    family : {"superellipse", "asymmetric", "binormal"}, default "superellipse"
        The curve family (:func:`theory.fit_curve`).

    Returns
    -------
    dict of condition to curve
        Keyed by class_sep as a float (by the one cell key's value, or the tuple of the cell
        keys' values), in sorted order.
    """
    return {
        _condition_key(values): theory.fit_curve(
            cell["recall_mean"], cell["specificity_mean"], family=family
        )
        for values, cell in _conditions(summary)
    }


def per_separation(fits: pd.DataFrame, beta: float, *, seed: int = 0) -> pd.DataFrame:
    """One row per class_sep (per condition: :func:`cell_keys`): the empirical best weight for
    F1 beside the theory's.

    Parameters
    ----------
    fits : DataFrame
        The per-fit table of a sweep (columns: its cell keys, alpha, rep and the scores of
        :data:`SUMMARY_SCORES`).
    beta : float
        The sweep's prevalence.
    seed : int
        Seeds the bootstrap.

    Returns
    -------
    DataFrame
        The cell keys (``class_sep``); ``alpha_best`` (the grid weight with the highest mean
        F1) and its 95% bootstrap interval over repetitions ``alpha_best_low``,
        ``alpha_best_high``; mean F1 at the best grid weight (``f1_best``), and at
        ``alpha = 1`` (``f1_at_1``) and the inverse-proportion weight (``f1_at_inverse``),
        these two read off the mean curve by linear interpolation in log(alpha) (NaN outside
        the grid); ``p_fit``, the superellipse fitted to the mean (recall, specificity) points
        (:func:`fit_separations`); and the theory's best weight on that curve under each rule,
        ``alpha_bce`` and ``alpha_bayes``. With label noise, the inverse-proportion weight and
        the theory take the prevalence of the noisy labels the model sees
        (:func:`simulate.data.splits.noisy_prevalence`), not ``beta``.
    """
    rng = np.random.default_rng(seed)
    curves = fit_separations(per_cell(fits))
    rows = []
    for values, group in _conditions(fits):
        f1 = group.pivot(index="rep", columns="alpha", values="f1")
        alphas = f1.columns.to_numpy(dtype=float)
        mean_f1 = f1.mean(axis=0).to_numpy()
        resampled = rng.multinomial(len(f1), np.full(len(f1), 1.0 / len(f1)), BOOTSTRAP_SAMPLES)
        boot_best = alphas[np.argmax(resampled @ f1.to_numpy() / len(f1), axis=1)]
        curve = curves[_condition_key(values)]
        labelled = noisy_prevalence(beta, values.get("flip_y", 0.0))
        inverse = (1.0 - labelled) / labelled
        rows.append(
            {
                **values,
                "alpha_best": alphas[np.argmax(mean_f1)],
                "alpha_best_low": np.quantile(boot_best, 0.025),
                "alpha_best_high": np.quantile(boot_best, 0.975),
                "f1_at_1": _interpolate(1.0, alphas, mean_f1),
                "f1_best": mean_f1.max(),
                "f1_at_inverse": _interpolate(inverse, alphas, mean_f1),
                "p_fit": float(curve.p),
                "alpha_bce": float(theory.optimal_alpha(labelled, curve, metric="f1", rule="bce")),
                "alpha_bayes": float(
                    theory.optimal_alpha(labelled, curve, metric="f1", rule="bayes")
                ),
            }
        )
    return pd.DataFrame(rows)


def effect_of_noise(fits: pd.DataFrame, separations: pd.DataFrame) -> pd.DataFrame:
    """What label noise does to the best weight for F1 and to the gain it brings, per flip_y.

    Parameters
    ----------
    fits : DataFrame
        The per-fit table of a sweep over ``flip_y`` (and class_sep or data sets).
    separations : DataFrame
        Its :func:`per_separation` table.

    Returns
    -------
    DataFrame
        One row per ``flip_y``: ``prevalence``, the mean share of positives among the noisy test
        labels; over the class_seps (data sets) of ``separations``, the median best grid
        weight ``alpha_best``, and the means ``f1_at_1``, ``f1_best`` and ``gain`` (best minus
        at 1) with its standard error over class_seps ``gain_se``; and ``weight_helps``, the
        share of class_seps whose best weight is above 1.
    """
    if "flip_y" not in fits.columns:
        fits, separations = fits.assign(flip_y=0.0), separations.assign(flip_y=0.0)
    positives = (fits["tp"] + fits["fn"]) / fits[["tp", "fp", "fn", "tn"]].sum(axis=1)
    prevalence = positives.groupby(fits["flip_y"]).mean()
    table = separations.assign(gain=separations["f1_best"] - separations["f1_at_1"])
    rows = []
    for flip_y, group in table.groupby("flip_y", sort=True):
        rows.append(
            {
                "flip_y": float(flip_y),
                "prevalence": float(prevalence[flip_y]),
                "alpha_best": float(group["alpha_best"].median()),
                "f1_at_1": float(group["f1_at_1"].mean()),
                "f1_best": float(group["f1_best"].mean()),
                "gain": float(group["gain"].mean()),
                "gain_se": float(group["gain"].std(ddof=1) / np.sqrt(len(group))),
                "weight_helps": float((group["alpha_best"] > 1.0).mean()),
            }
        )
    return pd.DataFrame(rows)


def theory_gap(
    summary: pd.DataFrame,
    beta: float,
    *,
    families: Sequence[str] = ("superellipse", "asymmetric"),
    rules: Sequence[str] = ("bce", "bayes"),
    score: str = "f1",
    gamma: float | None = None,
) -> pd.DataFrame:
    """How far the theory on each class_sep's fitted curve is from the simulated means.

    For each family the curve is fitted to each class_sep's mean (recall, specificity) points
    (:func:`fit_separations`); on it, each rule gives the expected ``score`` at the run's
    weights, and the recall at its smallest and largest weight. Whether the gap comes from the
    curve's shape or from the models not moving along it shows in two columns: ``rmse`` falls if
    a better-shaped curve explains it, and ``recall_high - recall_low`` against the simulated
    ``recall_high_simulated - recall_low_simulated`` says how far the theory and the models move.

    Parameters
    ----------
    summary : DataFrame
        A per-cell table (:func:`per_cell`): class_sep, alpha, recall_mean, specificity_mean and
        ``<score>_mean``.
    beta : float
        The run's prevalence.
    families : sequence of str, default ("superellipse", "asymmetric")
        Families of :data:`theory.FAMILIES` to fit (``"asymmetric"``: p and q both free).
    rules : sequence of str, default ("bce", "bayes")
        Rules of :data:`theory.RULE_NAMES`.
    score : str, default "f1"
        The score compared.
    gamma : float, optional
        The ``"focal"`` rule's parameter (its default without it); not used by the others.

    Returns
    -------
    DataFrame
        One row per (family, rule, class_sep), in that order: ``family``, ``rule``,
        ``class_sep``; the fitted curve's parameters (``p`` and ``q`` for the superellipses,
        ``d`` for the binormal); ``rmse``, the root mean square over the weights of the simulated
        mean score minus the rule's expected score; ``recall_low_simulated`` and
        ``recall_high_simulated``, the mean recall at the smallest and the largest weight, and
        ``recall_low``, ``recall_high``, the rule's recall on the fitted curve there.
    """
    rows = []
    for family in families:
        curves = fit_separations(summary, family=family)
        for rule in rules:
            for values, cell in _conditions(summary):
                cell = cell.sort_values("alpha")
                curve = curves[_condition_key(values)]
                alphas = cell["alpha"].to_numpy(dtype=np.float64)
                own = {"rule": rule, "gamma": gamma if rule == "focal" else None}
                expected = theory.expected_score(alphas, beta, curve, metric=score, **own)
                recall, _ = theory.operating_point(alphas[[0, -1]], beta, curve, **own)
                simulated = cell["recall_mean"].to_numpy(dtype=np.float64)
                rows.append(
                    {
                        "family": family,
                        "rule": rule,
                        **values,
                        **{f.name: float(getattr(curve, f.name)) for f in fields(curve)},
                        "rmse": float(np.sqrt(np.mean((cell[f"{score}_mean"] - expected) ** 2))),
                        "recall_low_simulated": simulated[0],
                        "recall_high_simulated": simulated[-1],
                        "recall_low": float(recall[0]),
                        "recall_high": float(recall[1]),
                    }
                )
    return pd.DataFrame(rows)


def pooled_rmse(gap: pd.DataFrame) -> pd.DataFrame:
    """The RMSE of :func:`theory_gap` over every class_sep, per family and rule.

    The root of the mean of the squared per-class_sep RMSEs: the RMSE over every cell when each
    class_sep has the same weights, as a sweep's do.

    Returns
    -------
    DataFrame
        Columns ``family``, ``rule`` and ``rmse``, in the order of ``gap``.
    """
    pooled = gap.groupby(["family", "rule"], sort=False)["rmse"].apply(
        lambda rmse: float(np.sqrt(np.mean(rmse**2)))
    )
    return pooled.reset_index()


def _interpolate(alpha: float, alphas: np.ndarray, values: np.ndarray) -> float:
    if not alphas[0] <= alpha <= alphas[-1]:
        return float("nan")
    return float(np.interp(np.log(alpha), np.log(alphas), values))
