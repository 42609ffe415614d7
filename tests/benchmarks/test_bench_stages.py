"""benchmarks/bench_stages.py: the stages add up to the timed run, on the sweep's own code."""

from __future__ import annotations

import re

import pytest

#: A row of a model's table: a stage, its seconds and its share.
ROW = re.compile(r"^  (\S+) +(\d+\.\d{3}) +(\d+\.\d)%$")


@pytest.fixture(scope="module")
def bench(import_benchmark):
    """The benchmark's module."""
    return import_benchmark("bench_stages")


def test_quick_run_prints_every_stage_and_shares_that_sum_to_the_total(bench, capsys):
    bench.main(["--quick", "--models", "logreg-sklearn"])
    out = capsys.readouterr().out
    rows = {m[1]: (float(m[2]), float(m[3])) for m in map(ROW.match, out.splitlines()) if m}
    stages = {name: row for name, row in rows.items() if name != "total"}
    assert list(stages) == [
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
    ]
    assert sum(share for _, share in stages.values()) == pytest.approx(100.0, abs=0.6)
    assert sum(seconds for seconds, _ in stages.values()) == pytest.approx(
        rows["total"][0], abs=0.006
    )
    # A probabilistic model goes through the stages the tree skips.
    assert all(stages[name][0] > 0 for name in ("scaling", "fit", "predict", "what-if"))
    assert "logreg-sklearn (--model logreg --engine sklearn): 75 fits, 1 per class_sep" in out
    assert re.search(r"^  run_sweep +\d+\.\d{3} ", out, re.MULTILINE)


def test_nested_time_goes_to_the_inner_stage_and_the_rest_to_other(bench, monkeypatch):
    ticks = iter([0.0, 1.0, 3.0, 6.0, 10.0, 15.0])
    monkeypatch.setattr(bench.time, "perf_counter", lambda: next(ticks))
    clock = bench.StageClock()
    inner = clock.timed("predict", lambda: "predicted")  # from 3 to 6
    outer = clock.timed("fit", lambda: inner())  # from 1 to 10
    clock.start()  # at 0
    assert outer() == "predicted"
    seconds = clock.stop()  # at 15
    assert seconds == {**dict.fromkeys(bench.STAGES, 0.0), "other": 6.0, "fit": 6.0, "predict": 3.0}


def test_reps_override_the_models_own_and_quick_draws_small_datasets(bench):
    assert bench.config_of("hgb", None, False).reps == bench.MODELS["hgb"].reps
    assert bench.config_of("hgb", {"hgb": 3, "tree": 9}, False).reps == 3
    quick = bench.config_of("tree", 7, True)
    assert (quick.reps, quick.n_samples) == (7, bench.QUICK_SAMPLES)
    assert bench.config_of("tree-proba", None, True).min_samples_leaf == 20


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--models", "tree,forest"], "'forest' is not a model"),
        (["--reps", "0"], "'0' is not a positive whole number"),
        (["--reps", "tree=2,forest=3"], "'forest' in 'forest=3' is not a model"),
        (["--reps", "tree=many"], "'many' is not a positive whole number"),
    ],
)
def test_bad_flags_are_refused_naming_the_value(bench, capsys, argv, named):
    with pytest.raises(SystemExit) as exit_:
        bench.main(argv)
    assert exit_.value.code == 2
    assert named in capsys.readouterr().err
