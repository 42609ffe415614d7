import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from simulate.run_folder import RunData, RunFolder, atomic_path, load_run

CONFIG = {"beta": 0.05, "alphas": [1.0, 2.0]}


def test_atomic_path_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []
    with atomic_path(target) as temporary:
        temporary.write_text("whole")
    assert target.read_text() == "whole"
    assert list(tmp_path.iterdir()) == [target]


def _run(seed: int = 7) -> RunData:
    fits = pd.DataFrame({"alpha": [1.0, 2.0], "f1": [0.5, 0.25]})
    return RunData(fits=fits, summary=fits.iloc[:1], run={"config": CONFIG, "seed": seed})


def test_a_run_from_start_to_finish(tmp_path):
    folder = RunFolder.start(tmp_path / "run", CONFIG)
    assert folder.finished_chunks() == {}
    folder.save_chunk("a", np.arange(4))
    folder.save_chunk("b", np.ones((2, 4), dtype=np.int64))
    assert sorted(folder.finished_chunks()) == ["a", "b"]
    np.testing.assert_array_equal(folder.finished_chunks()["a"], np.arange(4))
    folder.finish(_run())
    assert sorted(p.name for p in folder.path.iterdir()) == [
        "fits.parquet",
        "run.json",
        "summary.csv",
    ]
    loaded = load_run(folder.path)
    pd.testing.assert_frame_equal(loaded.fits, _run().fits)
    assert loaded.run == _run().run
    metadata = pq.read_schema(folder.path / "fits.parquet").metadata
    assert json.loads(metadata[b"classweights.run"]) == _run().run


def test_start_refuses_resumes_or_overwrites(tmp_path):
    path = tmp_path / "run"
    RunFolder.start(path, CONFIG).save_chunk("a", np.arange(4))
    with pytest.raises(ValueError, match="holds an unfinished run"):
        RunFolder.start(path, CONFIG)
    with pytest.raises(ValueError, match="different configuration"):
        RunFolder.start(path, {**CONFIG, "beta": 0.1}, resume=True)
    assert list(RunFolder.start(path, CONFIG, resume=True).finished_chunks()) == ["a"]
    assert RunFolder.start(path, CONFIG, force=True).finished_chunks() == {}
    RunFolder(path).finish(_run())
    with pytest.raises(ValueError, match="holds a finished run"):
        RunFolder.start(path, CONFIG)
    RunFolder.start(path, CONFIG, force=True)
    assert not (path / "run.json").exists()


def test_stale_temporaries_are_cleared(tmp_path):
    folder = RunFolder.start(tmp_path / "run", CONFIG)
    (folder.path / ".fits.parquet.x.tmp").write_text("half")
    RunFolder.start(folder.path, CONFIG, resume=True)
    assert not (folder.path / ".fits.parquet.x.tmp").exists()


def test_load_run_errors(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        load_run(tmp_path / "missing")
    with pytest.raises(ValueError, match=r"has no run\.json: it is not a finished run"):
        load_run(tmp_path)
    (tmp_path / "run.json").write_text("{not json")
    (tmp_path / "summary.csv").write_text("class_sep,alpha\n1,1\n")
    with pytest.raises(ValueError, match="is corrupt"):
        load_run(tmp_path)
    (tmp_path / "run.json").write_text(json.dumps({"config": {}}))
    (tmp_path / "fits.parquet").write_bytes(b"not parquet")
    with pytest.raises(ValueError, match="is corrupt"):
        load_run(tmp_path)
