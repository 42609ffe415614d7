"""Where a sweep's time goes: each stage's seconds and share, per model, on the same cells.

Each model is run by ``simulate.run_sweep`` itself, in one process (``n_jobs=1``), on the cells
of bench_sweep.py (the post's beta 0.01 and 15 alphas over 5 class_seps), writing a run folder
in a temporary directory. The stages are timed on the sweep's own code: for the timed run, the
functions each stage calls are wrapped (``unittest.mock.patch``) by a timer that charges the
time spent in them to the stage; nothing is re-implemented. A stage's time is exclusive: while a
function of another stage runs inside it (the draw inside ``make_dataset``, a ``predict`` inside
LightGBM's ``predict``), the clock runs for the inner one. The time in no named function is
``other``, so the stages add up to the timed run exactly. The timers cost two clock reads per
call (some 100 calls per dataset); beside the timed run the table gives a run without them, on
the same cells just before (after a warm-up that compiles the numba kernels and imports the
libraries), and how far apart the two are: the stages are the sweep's time to within that.

The stages and the functions charged to them:

- data: the draw, ``_classification`` (``make_classification``'s draws; and
  ``add_label_noise``, no noise by default);
- split: the splits, ``make_dataset`` less its draw: the train/test split and, for a
  probabilistic model, the validation split held out of the training split (``split_rows``, the
  rows scikit-learn's ``train_test_split`` picks) and the rows gathered into them;
- scaling: ``_standardised`` of the registry (logreg, mlp: ``StandardScaler``'s mean and scale
  computed and applied);
- fit: the model's fit along the weight grid: the numba tree's ``fit_trees``, ``logistic_path``,
  or the estimator's ``clone`` and ``fit`` (scikit-learn's, XGBoost's, LightGBM's);
- predict: the numba tree's ``_predict``, logreg's ``predictions`` (every weight's labels and
  the ``alpha = 1`` model's probabilities), or the estimator's ``predict`` and ``predict_proba``;
- score: the confusion counts, ``confusion_counts`` (and the numba tree's ``count_outcomes``);
- threshold: ``tuned_threshold``, the validation split's best-F1 threshold (probabilistic models);
- what-if: ``predict_weights``, the theory's prediction of every weight from the validation
  scores (probabilistic models);
- tables: the per-fit, summary and validation tables built from the chunks (``tidy_fits``,
  ``per_cell``, ``tidy_validation``) and the run's record (``_record``: settings, versions);
- writing: the run folder: ``RunFolder.start``, ``finished_chunks``, ``save_chunk`` (each chunk,
  written durably) and ``finish`` (the final tables and record), ``close``;
- other: the rest: the loop, the seeds, the weight arrays, the progress bar, and the thread
  limits each chunk sets (the loaded libraries found once per process, some 5 ms).

The models are ``tree`` (numba engine), ``tree-sklearn``, ``logreg`` (numba engine),
``logreg-sklearn``, ``hgb``, ``mlp``, ``tree-proba`` (leaves of at least 20 samples, as the
retraining study grows them: a fully grown tree has no scores to read) and ``xgboost`` and
``lightgbm`` when installed; each at its own repetitions per class_sep (:data:`MODELS`), scaled to
its cost. ``--quick`` runs one repetition of 4,000-row datasets (seconds per model, a minute for
hgb).

Run: ``python benchmarks/bench_stages.py [--models tree,logreg] [--reps 10 | --reps
tree=20,hgb=2] [--quick]``
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import importlib
import importlib.util
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any, NamedTuple
from unittest import mock

from _machine import cpu_model

from params.post import ALPHAS, BETA
from simulate import SweepConfig, run_sweep
from simulate.models.boosters import BOOSTERS

SEPS = (0.05, 0.78, 1.52, 2.26, 3.0)
#: The stages in the table's order; ``other`` is the time in none of the named functions.
STAGES = (
    "data",
    "split",
    "scaling",
    "fit",
    "predict",
    "score",
    "threshold",
    "what-if",
    "tables",
    "writing",
    "other",
)
#: Rows per dataset with ``--quick``.
QUICK_SAMPLES = 4_000


class Model(NamedTuple):
    """A model of the benchmark: its sweep settings and its repetitions per class_sep."""

    settings: dict[str, Any]
    reps: int


#: The benchmark's models by the name ``--models`` takes.
MODELS: dict[str, Model] = {
    "tree": Model({"model": "tree", "engine": "numba"}, 40),
    "tree-sklearn": Model({"model": "tree", "engine": "sklearn"}, 4),
    "logreg": Model({"model": "logreg", "engine": "numba"}, 40),
    "logreg-sklearn": Model({"model": "logreg", "engine": "sklearn"}, 10),
    "hgb": Model({"model": "hgb"}, 1),
    "mlp": Model({"model": "mlp"}, 1),
    "tree-proba": Model({"model": "tree-proba", "min_samples_leaf": 20}, 4),
    "xgboost": Model({"model": "xgboost"}, 1),
    "lightgbm": Model({"model": "lightgbm"}, 2),
}

#: Functions charged to a stage: (stage, module, attribute), looked up where the sweep calls them.
FUNCTIONS: tuple[tuple[str, str, str], ...] = (
    ("data", "simulate.data.splits", "_classification"),
    ("data", "simulate.data.splits", "add_label_noise"),
    ("split", "simulate.sweep", "make_dataset"),
    ("scaling", "simulate.models.registry", "_standardised"),
    ("fit", "simulate.models.numba_tree", "fit_trees"),
    ("fit", "simulate.models.logreg", "logistic_path"),
    ("fit", "simulate.models.registry", "clone"),
    ("predict", "simulate.models.numba_tree", "_predict"),
    ("predict", "simulate.models.logreg", "predictions"),
    ("score", "simulate.models.registry", "confusion_counts"),
    ("score", "simulate.models.tree", "confusion_counts"),
    ("score", "simulate.models._tree_kernels", "count_outcomes"),
    ("score", "simulate.sweep", "confusion_counts"),
    ("threshold", "simulate.sweep", "tuned_threshold"),
    ("what-if", "simulate.sweep", "predict_weights"),
    ("tables", "simulate.sweep", "tidy_fits"),
    ("tables", "simulate.sweep", "per_cell"),
    ("tables", "simulate.sweep", "tidy_validation"),
    ("tables", "simulate.sweep", "_record"),
)
#: The run folder's methods, charged to ``writing``.
FOLDER_METHODS = ("start", "finished_chunks", "save_chunk", "finish", "close")
#: Estimator methods charged to a stage, on the classes the registry fits.
ESTIMATOR_METHODS = {"fit": "fit", "predict": "predict", "predict_proba": "predict"}
#: The scikit-learn classifiers of the registry, by their names there.
SKLEARN_CLASSES = (
    "DecisionTreeClassifier",
    "LogisticRegression",
    "HistGradientBoostingClassifier",
    "MLPClassifier",
)


class StageClock:
    """Exclusive seconds per stage: entering a stage stops the clock of the stage it runs in."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self._stack = ["other"]
        self._last = 0.0

    def start(self) -> None:
        """Start the clock; the time until a stage is entered is ``other``."""
        self._last = time.perf_counter()

    def _switch(self) -> None:
        now = time.perf_counter()
        self.seconds[self._stack[-1]] += now - self._last
        self._last = now

    def timed(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """``function``, its time charged to ``stage``."""

        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            self._switch()
            self._stack.append(stage)
            try:
                return function(*args, **kwargs)
            finally:
                self._switch()
                self._stack.pop()

        return wrapper

    def stop(self) -> dict[str, float]:
        """The seconds of each stage since :meth:`start`."""
        self._switch()
        return dict(self.seconds)


def _estimator_classes(model: str) -> list[type]:
    """The classifier classes ``model`` may fit: the registry's, and its booster's."""
    registry = importlib.import_module("simulate.models.registry")
    classes = [getattr(registry, name) for name in SKLEARN_CLASSES]
    if model in BOOSTERS:
        classes.append(getattr(importlib.import_module(model), BOOSTERS[model].classifier))
    return classes


@contextlib.contextmanager
def hooked(clock: StageClock, model: str) -> Iterator[None]:
    """Charge the stages' functions (:data:`FUNCTIONS`, the run folder's and the estimators'
    methods) to ``clock`` while the block runs."""
    folder = importlib.import_module("simulate.runs.folder").RunFolder
    targets = [
        (stage, importlib.import_module(module), attribute)
        for stage, module, attribute in FUNCTIONS
    ]
    targets += [("writing", folder, method) for method in FOLDER_METHODS]
    targets += [
        (stage, cls, method)
        for cls in _estimator_classes(model)
        for method, stage in ESTIMATOR_METHODS.items()
    ]
    with contextlib.ExitStack() as patches:
        for stage, owner, attribute in targets:
            wrapper = clock.timed(stage, getattr(owner, attribute))
            patches.enter_context(mock.patch.object(owner, attribute, wrapper))
        yield


class Stages(NamedTuple):
    """One model's stages: seconds each, their total (the timed run), and the untimed run."""

    seconds: dict[str, float]
    total: float
    sweep: float
    fits: int


def measure(config: SweepConfig) -> Stages:
    """Warm up, run ``config`` without timers, then with them; each stage's seconds.

    Each run is ``run_sweep`` in one process, writing a run folder in a temporary directory.
    """
    with tempfile.TemporaryDirectory() as directory:
        out = Path(directory)
        warm_up = dataclasses.replace(
            config, seps=config.seps[:1], reps=1, n_samples=min(config.n_samples, QUICK_SAMPLES)
        )
        run_sweep(warm_up, n_jobs=1, out=out / "warm-up", progress=False)
        started = time.perf_counter()
        run_sweep(config, n_jobs=1, out=out / "untimed", progress=False)
        sweep = time.perf_counter() - started
        clock = StageClock()
        with hooked(clock, config.model):
            clock.start()
            fits = len(run_sweep(config, n_jobs=1, out=out / "timed", progress=False).fits)
            seconds = clock.stop()
    return Stages(seconds, sum(seconds.values()), sweep, fits)


def format_stages(name: str, config: SweepConfig, stages: Stages) -> str:
    """The table of model ``name``: each stage's seconds and share, the total beside the
    untimed sweep."""
    flags = " ".join(
        f"--{key.replace('_', '-')} {value}" for key, value in MODELS[name].settings.items()
    )
    lines = [
        f"{name} ({flags}): {stages.fits:,} fits, {config.reps} per class_sep and alpha "
        f"({config.n_samples:,} rows a dataset)",
        f"  {'stage':<10} {'seconds':>9} {'share':>7}",
    ]
    lines += [
        f"  {stage:<10} {seconds:9.3f} {seconds / stages.total:7.1%}"
        for stage, seconds in stages.seconds.items()
    ]
    apart = stages.total / stages.sweep - 1
    lines += [
        f"  {'total':<10} {stages.total:9.3f} {1:7.1%}",
        f"  {'run_sweep':<10} {stages.sweep:9.3f}   (untimed; the stages' total is "
        f"{apart:+.1%} of it)",
    ]
    return "\n".join(lines)


def _installed(name: str) -> bool:
    """Whether ``name`` runs here: every model but a booster whose library is missing."""
    return name not in BOOSTERS or importlib.util.find_spec(name) is not None


def _models(text: str) -> list[str]:
    """``--models``: names of :data:`MODELS`, comma-separated."""
    names = [name.strip() for name in text.split(",")]
    for name in names:
        if name not in MODELS:
            raise argparse.ArgumentTypeError(
                f"{name!r} is not a model; choose from {', '.join(MODELS)}"
            )
        if not _installed(name):
            raise argparse.ArgumentTypeError(f"{name!r} needs its library: pip install {name}")
    return names


def _reps(text: str) -> dict[str, int] | int:
    """``--reps``: one count for every model, or ``model=count`` pairs, comma-separated."""

    def count(value: str) -> int:
        if not value.strip().isdigit() or int(value) < 1:
            raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number of reps")
        return int(value)

    if "=" not in text:
        return count(text)
    pairs = {}
    for item in text.split(","):
        name, _, value = item.partition("=")
        if name.strip() not in MODELS:
            raise argparse.ArgumentTypeError(
                f"{name.strip()!r} in {item!r} is not a model; choose from {', '.join(MODELS)}"
            )
        pairs[name.strip()] = count(value)
    return pairs


def config_of(name: str, reps: dict[str, int] | int | None, quick: bool) -> SweepConfig:
    """The sweep of model ``name`` on the benchmark's cells, at its repetitions (``reps``
    overrides them; ``quick``: one repetition of :data:`QUICK_SAMPLES` rows)."""
    model = MODELS[name]
    count = 1 if quick else model.reps
    if isinstance(reps, int):
        count = reps
    elif reps and name in reps:
        count = reps[name]
    size = {"n_samples": QUICK_SAMPLES} if quick else {}
    return SweepConfig(beta=BETA, alphas=ALPHAS, seps=SEPS, reps=count, **model.settings, **size)


def main(argv: Sequence[str] | None = None) -> None:
    """Time the stages of each model's sweep and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    installed = [name for name in MODELS if _installed(name)]
    parser.add_argument(
        "--models",
        type=_models,
        default=installed,
        help=f"comma-separated, of {', '.join(MODELS)} (default: those installed)",
    )
    parser.add_argument(
        "--reps", type=_reps, help="reps per class_sep: one count, or model=count pairs"
    )
    parser.add_argument(
        "--quick", action="store_true", help=f"one rep of {QUICK_SAMPLES:,}-row datasets"
    )
    args = parser.parse_args(argv)
    command = sys.argv if argv is None else ["benchmarks/bench_stages.py", *argv]
    print(f"command: python {' '.join(command)}")
    versions = [f"{p} {metadata.version(p)}" for p in ("numpy", "scikit-learn", "numba")]
    versions += [
        f"{name} {importlib.import_module(name).__version__}"
        for name in BOOSTERS
        if name in args.models
    ]
    print(f"python {platform.python_version()}, {', '.join(versions)}")
    print(f"cpu: {cpu_model()}; one process; cells: {len(SEPS)} class_seps x {len(ALPHAS)} alphas")
    for name in args.models:
        config = config_of(name, args.reps, args.quick)
        print()
        print(format_stages(name, config, measure(config)))


if __name__ == "__main__":
    main()
