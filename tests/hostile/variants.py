"""The catalogue: every flag of every command and the public API's arguments, each given values it
must refuse and edge values it may run or refuse, but never with a traceback or a wrong answer."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import theory
from simulate import SweepConfig
from simulate.models.registry import MODELS
from tests.hostile.runner import Api, Command, Process, Variant, strict_json

#: Values no number flag of the kind accepts.
NOT_NUMBERS = ("abc", "", "nan", "inf", "-inf", "1,,2", "0x1p3j")
#: Per kind of flag: values it must refuse, and edge values it may run or refuse.
BAD = {
    "unit": ("0", "1", "-0.5", "1.5", "1e309"),  # in (0, 1)
    "unit_closed_left": ("-0.01", "1", "1.5"),  # in [0, 1)
    "positive": ("0", "-1", "1e309"),
    "count": ("-1", "1.5", "1e3", "99999999999999999999999"),
    "jobs": ("0", "1.5", "99999999999999999999999"),  # -1: every core, -2 all but one
    "weights": ("0", "-2", "1:0", "2:1:0", "1:2:-3", "5:1", "1e309", "1,nan"),
    "list": (",", "1,,2", "2:1:0"),
    "choice": ("bogus", ""),
}
#: Edge values a flag of the kind may run or refuse (but cleanly).
EDGE = {
    "unit": ("1e-320", "2.2250738585072014e-308", "0.999999999999"),
    "unit_closed_left": ("0", "0.999999"),
    "positive": ("1e-300", "1e300"),
    "count": ("0",),
    "jobs": ("-1", "-2"),
    "weights": ("1", "1e308", "1e-300", "1:1"),
    "list": ("1",),
    "choice": (),
}

_SWEEP = (
    "--seps",
    "1",
    "--n-samples",
    "300",
    "--reps",
    "1",
    "--alphas",
    "1,2",
    "--beta",
    "0.1",
    "--n-jobs",
    "1",
    "--quiet",
    "--no-plots",
    "--out",
    "{tmp}",
)
#: The same sweep on a --dataset table (which takes no --seps or --n-samples).
_SWEEP_DATA = _SWEEP[4:]
#: python -m simulate's flags and their kinds.
SWEEP_FLAGS = {
    "--beta": "unit",
    "--alphas": "weights",
    "--seps": "list",
    "--reps": "count",
    "--flip-y": "unit_closed_left",
    "--n-samples": "count",
    "--n-features": "count",
    "--n-informative": "count",
    "--test-size": "unit",
    "--seed": "count",
    "--model": "choice",
    "--knob": "choice",
    "--fractions": "unit",
    "--val-size": "unit",
    "--engine": "choice",
    "--loss": "choice",
    "--max-depth": "count",
    "--min-samples-leaf": "count",
    "--predictors": "choice",
    "--bootstrap": "count",
    "--n-jobs": "jobs",
    "--backend": "choice",
}
_RETRAINING = (
    "--models",
    "logreg",
    "--betas",
    "0.1",
    "--dataset",
    "breast_cancer",
    "--alphas",
    "1,2",
    "--reps",
    "2",
    "--bootstrap",
    "0",
    "--n-jobs",
    "1",
    "--quiet",
    "--out",
    "{tmp}",
)
RETRAINING_FLAGS = {
    "--models": "choice",
    "--betas": "unit",
    "--sizes": "count",
    "--leaves": "count",
    "--alphas": "weights",
    "--reps": "count",
    "--test-size": "unit",
    "--val-size": "unit",
    "--predictors": "choice",
    "--bootstrap": "count",
    "--show": "choice",
}
_REWEIGHTING = (
    "--models", "logreg", "--datasets", "make_classification", "--betas", "0.2",
    "--alphas", "2", "--reps", "1", "--n-samples", "1000", "--quiet",
)  # fmt: skip
REWEIGHTING_FLAGS = {
    "--models": "choice",
    "--datasets": "choice",
    "--betas": "unit",
    "--alphas": "weights",
    "--reps": "count",
    "--n-samples": "count",
    "--seed": "count",
}
_TABLE = ("table", "--beta", "0.01", "--p", "2", "--rule", "bce", "--metric", "f1")
TABLE_FLAGS = {
    "--beta": "unit",
    "--p": "positive",
    "--rule": "choice",
    "--gamma": "positive",
    "--metric": "choice",
    "--movement": "positive",
}
_POINT = ("what-if", "--recall", "0.6", "--specificity", "0.9", "--beta", "0.01", "--alpha", "2")
POINT_FLAGS = {
    "--recall": "unit",
    "--specificity": "unit",
    "--beta": "unit",
    "--alpha": "weights",
    "--alpha-observed": "positive",
    "--family": "choice",
    "--rule": "choice",
    "--positive-fraction": "unit",
}
_SCORES = ("what-if", "--scores", "{scores}", "--alpha", "2,5")
SCORES_FLAGS = {
    "--alpha": "weights",
    "--threshold": "unit",
    "--smooth": "choice",
    "--movement": "positive",
    "--bootstrap": "count",
    "--n-test": "count",
    "--seed": "count",
    "--beta": "unit",
    "--alpha-observed": "positive",
}
_FIDELITY = (
    "--reps",
    "5",
    "--seps",
    "1",
    "--alphas",
    "1,2",
    "--n-samples",
    "300",
    "--beta",
    "0.1",
    "--quiet",
)
FIDELITY_FLAGS = {"--beta": "unit", "--alphas": "weights", "--reps": "count", "--n-jobs": "jobs"}


def _set(base: Sequence[str], flag: str, value: str) -> tuple[str, ...]:
    """``base`` with ``flag`` set to ``value`` (replaced where ``base`` has it)."""
    argv = list(base)
    if flag in argv:
        argv[argv.index(flag) + 1] = value
    else:
        argv += [flag, value]
    return tuple(argv)


def _without(base: Sequence[str], flag: str) -> tuple[str, ...]:
    """``base`` without ``flag`` and its value."""
    argv = list(base)
    at = argv.index(flag)
    return tuple(argv[:at] + argv[at + 2 :])


def _flag_variants(
    command: str, base: Sequence[str], flags: Mapping[str, str], *, edges: bool = True
) -> Iterator[Command]:
    for flag, kind in flags.items():
        numbers = () if kind == "choice" else NOT_NUMBERS
        for value in (*BAD[kind], *numbers):
            yield Command(command, _set(base, flag, value), "refused", flag)
        for value in EDGE[kind] if edges else ():
            yield Command(command, _set(base, flag, value), "either", flag)


def command_variants() -> Iterator[Command]:
    """Bad and edge values of every flag, then the combinations and files the issue lists."""
    yield Command("simulate", _SWEEP, "ran")
    yield from _flag_variants("simulate", _SWEEP, SWEEP_FLAGS)
    yield from _flag_variants("simulate.retraining", _RETRAINING, RETRAINING_FLAGS, edges=False)
    yield Command("simulate.reweighting", _REWEIGHTING, "ran")
    yield from _flag_variants("simulate.reweighting", _REWEIGHTING, REWEIGHTING_FLAGS)
    yield Command("theory", _TABLE, "ran")
    yield Command("theory", (*_TABLE, "--json"), "ran", check=strict_json)
    yield from _flag_variants("theory", _TABLE, TABLE_FLAGS)
    yield Command("theory", _POINT, "ran")
    yield from _flag_variants("theory", _POINT, POINT_FLAGS)
    yield Command("theory", _SCORES, "ran")
    yield from _flag_variants("theory", _SCORES, SCORES_FLAGS)
    yield from _flag_variants("simulate.fidelity", _FIDELITY, FIDELITY_FLAGS, edges=False)
    yield from _combinations()
    yield from _files()


def _combinations() -> Iterator[Command]:
    sweep, scores = _SWEEP, _SCORES
    yield Command("simulate", (*_without(sweep, "--alphas"), "--fractions", "0.5"), "ran")
    yield Command("simulate", (*sweep, "--fractions", "0.5", "--alphas", "1,2"), "refused")
    yield Command("simulate", _set(sweep, "--n-informative", "11"), "refused", "--n-informative")
    yield Command("simulate", (*sweep, "--resume", "--force"), "refused")
    yield Command("simulate", (*sweep, "--scheduler", "tcp://x:1"), "refused", "--scheduler")
    yield Command("simulate", (*sweep, "--model", "logreg", "--max-depth", "3"), "either")
    yield Command(
        "simulate",
        (*_without(sweep, "--alphas"), "--knob", "oversample", "--fractions", "0.5"),
        "ran",
    )
    yield Command(
        "simulate",
        (*_set(sweep, "--n-samples", "1000"), "--model", "logreg", "--bootstrap", "3"),
        "ran",
    )
    focal = (*_set(sweep, "--n-samples", "1000"), "--model", "logreg", "--engine", "numba")
    yield Command("simulate", (*focal, "--loss", "focal"), "ran")
    yield Command("simulate", (*focal, "--loss", "focal", "--gamma", "0"), "ran")
    for gamma in ("-1", "-1e-300", "101", "1e309", *NOT_NUMBERS):
        yield Command(
            "simulate", (*focal, "--loss", "focal", "--gamma", gamma), "refused", "--gamma"
        )
    yield Command("simulate", (*focal, "--gamma", "2"), "refused", "--gamma")
    yield Command("simulate", (*focal, "--loss", "bce", "--gamma", "0"), "refused", "--gamma")
    yield Command("simulate", (*sweep, "--loss", "focal"), "refused", "--loss")
    yield Command(
        "simulate", (*focal, "--engine", "sklearn", "--loss", "focal"), "refused", "--loss"
    )
    yield Command("theory", (*_TABLE, "--cost-fn", "2"), "refused", "--cost-fn")
    yield Command("theory", (*_TABLE, "--rule", "focal", "--gamma", "0"), "ran")
    yield Command("theory", (*_TABLE, "--rule", "bce", "--gamma", "2"), "refused", "--gamma")
    yield Command("theory", (*_TABLE, "--metric", "f0"), "refused", "--metric")
    yield Command("theory", (*_TABLE, "--metric", "f1e101"), "refused", "--metric")
    yield Command("theory", (*_TABLE, "--beta", "1e-320"), "refused", "--beta")
    yield Command(
        "theory",
        (*_TABLE, "--metric", "cost", "--cost-fn", "5", "--json"),
        "ran",
        check=strict_json,
    )
    yield Command("theory", (*_POINT, "--positive-fraction", "0.5"), "refused")
    yield Command("theory", ("what-if", "--recall", "0.6", "--alpha", "2"), "refused")
    yield Command("theory", ("what-if", "--alpha", "2"), "refused")
    yield Command("theory", (*scores, "--recall", "0.5"), "refused")
    yield Command("theory", (*scores, "--json"), "ran", check=strict_json)
    yield Command("theory", (*scores, "--bootstrap", "20", "--json"), "ran", check=strict_json)
    yield Command("theory", (*scores, "--n-test", "100"), "refused", "--n-test")
    yield Command("theory", (*scores, "--bootstrap", "20", "--n-test", "100"), "ran")
    yield Command("theory", (*scores, "--bootstrap", "1000000000"), "refused", "--bootstrap")
    yield Command("theory", (*scores, "--retrained-alpha", "5"), "refused")
    yield Command("theory", (*scores, "--retrained", "{retrained}"), "refused")
    yield Command(
        "theory", (*scores, "--retrained", "{retrained}", "--retrained-alpha", "5"), "ran"
    )
    yield Command(
        "theory",
        (*scores, "--retrained", "{retrained}", "--retrained-alpha", "1"),
        "refused",
        "--retrained-alpha",
    )
    yield Command(
        "theory", (*scores, "--retrained", "{retrained_short}", "--retrained-alpha", "5"), "refused"
    )
    yield Command(
        "theory",
        (*scores, "--movement", "0.5", "--retrained", "{retrained}", "--retrained-alpha", "5"),
        "refused",
    )
    yield Command("theory", (*scores, "--rule", "bce", "--smooth", "threshold"), "refused")
    yield Command("theory", (*scores, "--plot", "{tmp}.png"), "ran")
    yield Command("theory", (*scores, "--plot", "{tmp}.txt"), "refused", "--plot")
    yield Command("theory", (*scores, "--plot", "{empty_dir}"), "refused")
    yield Command("simulate.retraining", (*_RETRAINING, "--alphas", "1e308"), "refused", "--alphas")
    yield Command(
        "simulate.retraining", (*_RETRAINING, "--bootstrap", "1000000000"), "refused", "--bootstrap"
    )
    yield Command(
        "simulate.retraining", (*_RETRAINING, "--show", "superellipse"), "refused", "--show"
    )
    yield Command("simulate.retraining", (*_RETRAINING, "--betas", "0.5"), "refused", "0.5")


def _files() -> Iterator[Command]:
    scores = ("what-if", "--alpha", "2", "--scores")
    for name, expect, blame in (
        ("scores", "ran", None),
        ("three_labels", "refused", None),
        ("nan_label", "refused", None),
        ("inf_score", "refused", None),
        ("one_class", "refused", None),
        ("header_only", "refused", None),
        ("no_score", "refused", "score"),
        ("text_score", "refused", None),
        ("text", "refused", None),
        ("empty_dir", "refused", None),
        ("missing", "refused", None),
    ):
        yield Command("theory", (*scores, f"{{{name}}}"), expect, blame)
    yield Command("theory", (*scores, "{three_labels}", "--pos-label", "2"), "refused")
    yield Command("theory", (*scores, "{nan_label}", "--pos-label", "1"), "refused")
    yield Command("theory", (*scores, "{scores}", "--pos-label", "7"), "refused", "7")
    yield Command("theory", (*scores, "{scores}", "--label-col", "nope"), "refused", "nope")
    for name, expect in (
        ("data", "ran"),
        ("data_inf", "refused"),
        ("data_nan", "refused"),
        ("data_text", "refused"),
    ):
        for model in MODELS:
            argv = (
                *_SWEEP_DATA,
                "--dataset",
                f"{{{name}}}",
                "--target",
                "label",
                "--beta",
                "0.1",
                "--model",
                model,
            )
            yield Command("simulate", argv, expect)
    data = (*_SWEEP_DATA, "--dataset", "{data}", "--target", "label", "--beta", "0.1")
    yield Command("simulate", (*data, "--n-features", "3"), "refused", "--n-features")
    yield Command("simulate", _set(data, "--target", "nope"), "refused", "nope")
    yield Command("simulate", (*_SWEEP_DATA, "--dataset", "{missing}", "--target", "y"), "refused")
    yield Command("simulate", (*_SWEEP_DATA, "--dataset", "{text}", "--target", "y"), "refused")
    for run in ("run", "run_flip", "run_dataset"):
        yield Command("simulate.rulefit", (f"{{{run}}}",), "either")
    for path, blame in (("text", "not a run"), ("empty_dir", None), ("missing", "not exist")):
        yield Command("simulate.rulefit", (f"{{{path}}}",), "refused", blame)
        yield Command("plots", ("--run", f"{{{path}}}", "--out", "{tmp}"), "refused", blame)
    yield Command("plots", ("--run", "{run}", "--format", "gif"), "refused", "--format")


def _scores(fixtures: Mapping[str, Path]) -> tuple[np.ndarray, np.ndarray]:
    table = pd.read_csv(fixtures["scores"])
    return table["y"].to_numpy(), table["score"].to_numpy()


def _what_if(**settings: Any) -> Any:
    return lambda fixtures: theory.what_if_scores(*_scores(fixtures), **settings)


def api_variants() -> Iterator[Api]:
    """The public API's arguments: the same refusals as the commands, as ValueError."""
    yield Api("what_if_scores(alpha=2)", _what_if(alpha=2.0), "ran")
    for name, values in {
        "alpha": (0.0, -1.0, np.nan, np.inf, [2.0, np.nan]),
        "beta": (0.0, 1.0, np.nan, [0.01, 0.02], 1e-320),
        "threshold": (0.0, 1.0, np.nan, -0.5),
        "alpha_observed": (0.0, -1.0, np.nan, np.inf),
        "movement": (0.0, -1.0, np.nan, np.inf),
        "bootstrap": (-1, 1.5, 10**9, 10**18, np.nan),
        "n_test": (0, -5, (10, -1), (1, 2, 3), 1.5),
        "seed": (-1, 1.5),
        "smooth": ("bogus", 3),
        "rule": ("bogus", None),
        "metrics": (("bogus",), "f1"),
        "positive_fraction": (0.0, 1.0, np.nan),
        "pos_label": (7,),
    }.items():
        for value in values:
            settings = {"alpha": 2.0, name: value}
            if name in ("n_test", "seed"):
                settings["bootstrap"] = 10
            blame = name.rstrip("s")  # a sequence's message names one element: metric
            yield Api(f"what_if_scores({name}={value!r})", _what_if(**settings), "refused", blame)
    for name, value in {
        "alpha": "2",
        "beta": "0.1",
        "movement": "1",
        "alpha_2d": [[2.0]],
        "n_test": (10,),  # a count of rows, as 10 is
    }.items():
        settings = {"alpha": 2.0, name.removesuffix("_2d"): value}
        yield Api(f"what_if_scores({name}={value!r})", _what_if(**settings), "either", name)
    yield Api(
        "what_if_scores(labels 0, 1, 2, pos_label=2)",
        lambda f: theory.what_if_scores([0, 1, 2, 1], [0.1, 0.7, 0.8, 0.4], alpha=2.0, pos_label=2),
        "refused",
    )
    yield Api(
        "what_if_scores(a NaN label)",
        lambda f: theory.what_if_scores([0, 1, np.nan, 1], [0.1, 0.7, 0.8, 0.4], alpha=2.0),
        "refused",
    )
    yield Api(
        "fit_movement(bootstrap=10**9)",
        lambda f: theory.fit_movement(*_scores(f), _scores(f)[1], alpha=5.0, bootstrap=10**9),
        "refused",
        "bootstrap",
    )
    for name, value in {
        "beta": 1.5,
        "alphas": (1.0, -2.0),
        "reps": 0,
        "flip_y": (1.0,),
        "bootstrap": 10**9,
        "n_informative": 11,
        "model": "svm",
        "loss": "mse",
        "gamma": 2.0,
    }.items():
        yield Api(
            f"SweepConfig({name}={value!r})",
            lambda f, n=name, v=value: SweepConfig(**{n: v}),
            "refused",
            name,
        )
    yield Api(
        "SweepConfig(fractions=(0.5,), alphas=(1.0, 2.0))",
        lambda f: SweepConfig(fractions=(0.5,), alphas=(1.0, 2.0)),
        "refused",
    )
    for name, value in {"beta": 0.0, "alpha": -1.0, "movement": 0.0, "rule": "bogus"}.items():
        settings = {"alpha": 2.0, "beta": 0.01, "rule": "bce", name: value}
        alpha = settings.pop("alpha")
        beta = settings.pop("beta")
        yield Api(
            f"operating_point({name}={value!r})",
            lambda f, a=alpha, b=beta, s=settings: theory.operating_point(a, b, 2.0, **s),
            "refused",
        )


def _fitted_model(fixtures: Mapping[str, Path]) -> Any:
    from sklearn.linear_model import LogisticRegression

    labels, scores = _scores(fixtures)
    return LogisticRegression().fit(scores.reshape(-1, 1), labels)


def reweighted_variants() -> Iterator[Api]:
    """theory.reweighted: a fitted model at another weight, or a one-line refusal."""
    yield Api("reweighted(alpha=5)", lambda f: theory.reweighted(_fitted_model(f), 5.0), "ran")
    for name, value in {
        "alpha": (0.0, -1.0, np.nan, np.inf, [2.0, 3.0]),
        "alpha_observed": (0.0, np.nan),
        "movement": (0.0, -1.0, np.inf),
        "threshold": (0.0, 1.0, np.nan),
    }.items():
        for bad in value:
            settings = {"alpha": 5.0, name: bad}
            yield Api(
                f"reweighted({name}={bad!r})",
                lambda f, s=settings: theory.reweighted(_fitted_model(f), **s),
                "refused",
                name,
            )
    yield Api(
        "reweighted(an unfitted model)",
        lambda f: theory.reweighted(
            __import__("sklearn.linear_model").linear_model.LogisticRegression(), 5.0
        ),
        "refused",
    )


def process_variants() -> Iterator[Process]:
    """Pipes closed early: the commands end quietly."""
    yield Process("python -m theory --beta 0.01 | head -2 >/dev/null", (0, 141), 0)
    yield Process(
        "python -m theory what-if --scores {scores} --alpha "
        + ",".join(str(a) for a in range(2, 100))
        + " | head -2 >/dev/null",
        (0, 141),
        0,
    )
    yield Process("python -m theory --beta 0.01 --json | head -c 10 >/dev/null", (0, 141), 0)


def all_variants(*, processes: bool = True) -> list[Variant]:
    """Every variant, commands first."""
    variants: list[Variant] = [*command_variants(), *api_variants(), *reweighted_variants()]
    if processes:
        variants += list(process_variants())
    return variants
