"""The files the variants read: validation scores (good and bad), tables, small finished runs."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import numpy as np
import pandas as pd

from simulate.commands.sweep import main as sweep

#: A tiny sweep: two datasets, three weights, one process, no figure.
TINY_SWEEP = (
    "--reps",
    "2",
    "--alphas",
    "1,2,5",
    "--beta",
    "0.1",
    "--n-jobs",
    "1",
    "--quiet",
    "--no-plots",
)


def make_fixtures(folder: Path) -> dict[str, Path]:
    """Write every fixture into ``folder`` and return them by name."""
    rng = np.random.default_rng(0)
    labels = (rng.random(400) < 0.2).astype(int)
    scores = np.clip(0.25 + 0.35 * labels + 0.2 * rng.standard_normal(400), 0.001, 0.999)
    files: dict[str, Path] = {}

    def table(name: str, frame: pd.DataFrame) -> None:
        files[name] = folder / f"{name}.csv"
        frame.to_csv(files[name], index=False)

    table("scores", pd.DataFrame({"y": labels, "score": scores}))
    three = labels.copy()
    three[:40] = 2
    table("three_labels", pd.DataFrame({"y": three, "score": scores}))
    nan_label = pd.DataFrame({"y": labels.astype(float), "score": scores})
    nan_label.loc[3, "y"] = np.nan
    table("nan_label", nan_label)
    infinite = scores.copy()
    infinite[5] = np.inf
    table("inf_score", pd.DataFrame({"y": labels, "score": infinite}))
    table("one_class", pd.DataFrame({"y": np.zeros(50, int), "score": scores[:50]}))
    table("header_only", pd.DataFrame({"y": [], "score": []}))
    table("no_score", pd.DataFrame({"y": labels, "other": scores}))
    table("text_score", pd.DataFrame({"y": labels, "score": ["high"] * 400}))
    table("retrained", pd.DataFrame({"y": labels, "score": np.clip(scores * 1.5, 0, 0.999)}))
    table("retrained_short", pd.DataFrame({"y": labels[:100], "score": scores[:100]}))

    features = rng.standard_normal((600, 3))
    target = (features[:, 0] + rng.standard_normal(600) > 1.4).astype(int)
    data = pd.DataFrame(features, columns=["a", "b", "c"]).assign(label=target)
    table("data", data)
    table("data_inf", data.assign(a=np.where(np.arange(600) == 7, np.inf, data["a"])))
    table("data_nan", data.assign(a=np.where(np.arange(600) == 7, np.nan, data["a"])))
    table("data_text", data.assign(b="x"))

    files["text"] = folder / "notes.txt"
    files["text"].write_text("not a table\n")
    files["empty_dir"] = folder / "empty"
    files["empty_dir"].mkdir()
    files["missing"] = folder / "no" / "such" / "file.csv"

    for name, extra in {
        "run": ("--seps", "1", "--n-samples", "400"),
        "run_flip": ("--seps", "1", "--n-samples", "400", "--flip-y", "0,0.1"),
        "run_dataset": ("--dataset", "breast_cancer", "--beta", "0.1"),
    }.items():
        files[name] = folder / name
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                status = sweep([*TINY_SWEEP, *extra, "--out", str(files[name])])
        except SystemExit as stop:
            status = stop.code
        if status != 0:
            raise RuntimeError(f"the fixture run {name} failed with status {status}")
    return files
