import json

import pandas as pd
import pytest

from simulate.store import atomic_path, load_run, write_fits


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


def test_parquet_carries_its_metadata(tmp_path):
    import pyarrow.parquet as pq

    write_fits(tmp_path / "f.parquet", pd.DataFrame({"a": [1, 2]}), {"seed": 7})
    metadata = pq.read_schema(tmp_path / "f.parquet").metadata
    assert json.loads(metadata[b"classweights.run"]) == {"seed": 7}


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
