import errno
import json
import os
import shutil
import stat
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from simulate.runs.folder import ChunkSpec, RunData, RunFolder, atomic_path, load_run

ROOT = Path(__file__).resolve().parents[3]
CONFIG = {"beta": 0.05, "alphas": [1.0, 2.0]}
SPECS = {
    "a": ChunkSpec({"class_sep": 1.0, "reps": [0, 1]}, {"counts": (1, 2, 4)}),
    "b": ChunkSpec({"class_sep": 1.0, "reps": [1, 3]}, {"counts": (2, 2, 4), "scores": (2, 3)}),
}


def _chunk(shapes: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
    return {
        name: np.full(shape, 5, dtype=np.int64 if name == "counts" else np.float64)
        for name, shape in shapes.items()
    }


def _save(folder: RunFolder, name: str, shapes: dict[str, tuple[int, ...]] | None = None) -> None:
    """Save chunk ``name`` of :data:`SPECS`, with its own shapes or ``shapes``."""
    folder.save_chunk(name, SPECS[name].identity, _chunk(shapes or SPECS[name].shapes))


def _run(seed: int = 7) -> RunData:
    fits = pd.DataFrame(
        {"alpha": [1.0, 2.0], "tp": [1, 2], "fp": [3, 0], "fn": [1, 0], "tn": [5, 8]}
    )
    fits["f1"] = [0.5, 0.25]
    return RunData(fits=fits, summary=fits.iloc[:1], run={"config": CONFIG, "seed": seed})


def _finished(path: Path, run: RunData | None = None) -> Path:
    with RunFolder.start(path, CONFIG) as folder:
        folder.finish(run or _run())
    return path


def test_atomic_path_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []
    with atomic_path(target, fsync=True) as temporary:
        temporary.write_text("whole")
    assert target.read_text() == "whole"
    assert list(tmp_path.iterdir()) == [target]


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _device(path: Path) -> None:
    """A character device like /dev/null, where the OS lets this process make one (root)."""
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device node needs root")


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.txt").write_text("kept")


@pytest.mark.parametrize(
    ("make", "kind"), [(_fifo, "a fifo"), (_device, "a character device"), (_folder, "a folder")]
)
def test_atomic_path_replaces_only_a_regular_file(make, kind, tmp_path):
    target = tmp_path / "out.png"
    make(target)
    before = os.lstat(target)
    with pytest.raises(FileExistsError) as error, atomic_path(target) as temporary:
        temporary.write_text("a figure")
    assert str(error.value) == (
        f"[Errno {errno.EEXIST}] Not a regular file but {kind}; only a regular file is "
        f"replaced: '{target}'"
    )
    assert error.value.filename == str(target)
    after = os.lstat(target)
    assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.png"]


def test_atomic_path_replaces_a_symbolic_link_not_what_it_points_to(tmp_path):
    (tmp_path / "real.txt").write_text("old")
    os.mkfifo(tmp_path / "pipe")
    for name, points_to in (("link.txt", "real.txt"), ("to-pipe", "pipe"), ("dangling", "gone")):
        (tmp_path / name).symlink_to(points_to)
        with atomic_path(tmp_path / name) as temporary:
            temporary.write_text("new")
        assert not (tmp_path / name).is_symlink()
        assert (tmp_path / name).read_text() == "new"
    assert (tmp_path / "real.txt").read_text() == "old"
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe").st_mode)


def test_a_full_disk_is_reported_against_the_file_being_written(tmp_path):
    target = tmp_path / "fits.parquet"
    with pytest.raises(OSError) as error, atomic_path(target):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert error.value.errno == errno.ENOSPC
    assert error.value.filename == str(target)
    assert list(tmp_path.iterdir()) == []


def test_a_run_from_start_to_finish(tmp_path):
    with RunFolder.start(tmp_path / "run", CONFIG) as folder:
        assert folder.finished_chunks(SPECS).counts == {}
        _save(folder, "a")
        _save(folder, "b")
        saved = folder.finished_chunks(SPECS)
        assert sorted(saved.counts) == ["a", "b"]
        for name in ("a", "b"):
            assert saved.counts[name].keys() == SPECS[name].shapes.keys()
            for key, expected in _chunk(SPECS[name].shapes).items():
                np.testing.assert_array_equal(saved.counts[name][key], expected)
                assert saved.counts[name][key].dtype == expected.dtype
        record = folder.finish(_run())
    assert sorted(p.name for p in folder.path.iterdir()) == [
        "fits.parquet",
        "run.json",
        "summary.csv",
    ]
    loaded = load_run(folder.path)
    pd.testing.assert_frame_equal(loaded.fits, _run().fits)
    assert loaded.run == record
    assert record["n_test"] == 10
    assert record["files"]["fits.parquet"]["rows"] == 2
    metadata = pq.read_schema(folder.path / "fits.parquet").metadata
    assert json.loads(metadata[b"classweights.run"]) == _run().run


def test_start_refuses_resumes_or_overwrites(tmp_path):
    path = tmp_path / "run"
    with RunFolder.start(path, CONFIG) as folder:
        _save(folder, "a")
    with pytest.raises(ValueError, match="holds an unfinished run"):
        RunFolder.start(path, CONFIG)
    with pytest.raises(ValueError, match="different configuration"):
        RunFolder.start(path, {**CONFIG, "beta": 0.1}, resume=True)
    with RunFolder.start(path, CONFIG, resume=True) as folder:
        assert list(folder.finished_chunks(SPECS).counts) == ["a"]
    with RunFolder.start(path, CONFIG, force=True) as folder:
        assert folder.finished_chunks(SPECS).counts == {}
        folder.finish(_run())
    with pytest.raises(ValueError, match="holds a finished run"):
        RunFolder.start(path, CONFIG)
    RunFolder.start(path, CONFIG, force=True).close()
    assert not (path / "run.json").exists()


def test_one_writer_per_folder(tmp_path):
    path = tmp_path / "run"
    first = RunFolder.start(path, CONFIG)
    with pytest.raises(ValueError, match=r"^The output directory .* is in use by another run\.$"):
        RunFolder.start(path, CONFIG, force=True)
    _save(first, "a")
    first.close()
    with RunFolder.start(path, CONFIG, resume=True) as second:
        assert list(second.finished_chunks(SPECS).counts) == ["a"]


def test_a_lock_file_without_its_holder_does_not_block(tmp_path):
    path = tmp_path / "run"
    path.mkdir()
    (path / ".run.lock").write_text("")
    RunFolder.start(path, CONFIG).close()


def test_closing_leaves_nothing_that_blocks(tmp_path):
    RunFolder.start(tmp_path / "new", CONFIG).close()
    assert not (tmp_path / "new").exists(), "a folder start created and left empty goes"
    with RunFolder.start(tmp_path / "run", CONFIG) as folder:
        (folder.path / "notes.txt").write_text("mine")
    assert sorted(p.name for p in folder.path.iterdir()) == ["notes.txt"]
    (folder.path / "parts").mkdir()
    (folder.path / "parts" / "config.json").write_text(json.dumps({"beta": 0.5}))
    RunFolder.start(folder.path, CONFIG).close()


def test_stale_temporaries_are_cleared(tmp_path):
    with RunFolder.start(tmp_path / "run", CONFIG) as folder:
        _save(folder, "a")
    (folder.path / ".fits.parquet.x.tmp").write_text("half")
    RunFolder.start(folder.path, CONFIG, resume=True).close()
    assert not (folder.path / ".fits.parquet.x.tmp").exists()


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:100])


def _flip_a_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _bare_array(path: Path) -> None:
    with path.open("wb") as out:
        np.save(out, _chunk(SPECS["a"].shapes)["counts"])


def _foreign(path: Path) -> None:
    with RunFolder.start(path.parent.parent.parent / "other", {**CONFIG, "seed": 8}) as other:
        _save(other, "a")
        shutil.copy(other.path / "parts" / "a.npz", path)


@pytest.mark.parametrize("damage", [_truncate, _flip_a_byte, _empty, _bare_array, _foreign])
def test_a_damaged_or_foreign_chunk_is_recomputed(damage, tmp_path):
    path = tmp_path / "runs" / "run"
    with RunFolder.start(path, CONFIG) as folder:
        _save(folder, "a")
        _save(folder, "b")
    damage(path / "parts" / "a.npz")
    (path / "parts" / "notes.txt").write_text("stray")
    (path / "parts" / "zz.npz").write_text("stray")
    with RunFolder.start(path, CONFIG, resume=True) as folder:
        saved = folder.finished_chunks(SPECS)
    assert list(saved.counts) == ["b"]
    assert saved.rejected == ["a.npz"]


def test_another_chunks_file_or_a_folder_under_a_chunks_name_is_removed(tmp_path):
    specs = {
        **SPECS,
        "c": ChunkSpec({"class_sep": 1.0, "reps": [3, 5]}, SPECS["b"].shapes),
        "d": ChunkSpec({"class_sep": 2.0, "reps": [1, 3]}, SPECS["b"].shapes),
    }
    with RunFolder.start(tmp_path / "run", CONFIG) as folder:
        _save(folder, "b")
        parts = folder.path / "parts"
        shutil.copy(parts / "b.npz", parts / "c.npz")
        shutil.copy(parts / "b.npz", parts / "d.npz")
        (parts / "a.npz").mkdir()
        (parts / "a.npz" / "inside").write_text("")
        saved = folder.finished_chunks(specs)
        assert list(saved.counts) == ["b"]
        assert saved.rejected == ["a.npz", "c.npz", "d.npz"]
        assert sorted(p.name for p in parts.iterdir()) == ["b.npz", "config.json"]
        _save(folder, "a")
        assert list(folder.finished_chunks(specs).counts) == ["a", "b"]


def test_a_fifo_under_a_chunks_name_is_not_read(tmp_path):
    with RunFolder.start(tmp_path / "run", CONFIG) as folder:
        _save(folder, "b")
        os.mkfifo(folder.path / "parts" / "a.npz")
        assert folder.finished_chunks(SPECS).rejected == ["a.npz"]
        assert not os.path.lexists(folder.path / "parts" / "a.npz")


def test_a_chunk_of_the_wrong_shape_is_recomputed(tmp_path):
    with RunFolder.start(tmp_path / "run", CONFIG) as folder:
        _save(folder, "a", {"counts": (3, 2, 4)})
        _save(folder, "b", {"counts": (2, 2, 4)})  # an array missing
        assert folder.finished_chunks(SPECS).rejected == ["a.npz", "b.npz"]


def _overwrite_32_bytes(run: Path) -> None:
    data = bytearray((run / "fits.parquet").read_bytes())
    data[1000:1032] = b"\xff" * 32
    (run / "fits.parquet").write_bytes(bytes(data))


def _half_the_rows(run: Path) -> None:
    fits = pd.read_parquet(run / "fits.parquet")
    fits.iloc[: len(fits) // 2].to_parquet(run / "fits.parquet")


def _other_columns(run: Path) -> None:
    summary = pd.read_csv(run / "summary.csv")
    summary.drop(columns=summary.columns[-1]).to_csv(run / "summary.csv", index=False)


def _from_another_run(run: Path) -> None:
    other = _finished(run.parent / "other", _run()._replace(run={"config": CONFIG, "seed": 1}))
    shutil.copy(other / "fits.parquet", run / "fits.parquet")


def _no_checksums(run: Path) -> None:
    record = json.loads((run / "run.json").read_text())
    del record["files"]
    (run / "run.json").write_text(json.dumps(record))


def _edited_record(run: Path) -> None:
    text = (run / "run.json").read_text()
    assert '"beta": 0.05' in text
    (run / "run.json").write_text(text.replace('"beta": 0.05', '"beta": 0.06'))


def _edited_elapsed_time(run: Path) -> None:
    record = json.loads((run / "run.json").read_text())
    record["elapsed_seconds"] = 1.0
    (run / "run.json").write_text(json.dumps(record))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_overwrite_32_bytes, "is corrupt: fits.parquet does not match the sha256 checksum"),
        (_half_the_rows, "is corrupt: fits.parquet has .* bytes where run.json records"),
        (_other_columns, "is corrupt: summary.csv has .* bytes where run.json records"),
        (_from_another_run, "is corrupt: fits.parquet (has|does not match)"),
        (_no_checksums, "cannot be verified: run.json records no size and checksum"),
        (_edited_record, r"is corrupt: run.json does not match the sha256 checksum it records of"),
        (_edited_elapsed_time, r"is corrupt: run.json does not match the sha256 checksum"),
    ],
)
def test_a_damaged_finished_run_is_refused(damage, message, small_sweep, tmp_path):
    run = _finished(tmp_path / "run", small_sweep)
    damage(run)
    with pytest.raises(ValueError, match=message):
        load_run(run)


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ({"tp": [-1, 2], "tn": [7, 8]}, "fits.parquet holds negative counts"),
        ({"tp": [1.0, 2.0]}, "fits.parquet holds counts that are not integers"),
        ({"tn": [5, 9]}, "fits.parquet holds counts that do not sum to the test size 10"),
    ],
)
def test_counts_must_be_non_negative_integers_summing_to_the_test_size(counts, message, tmp_path):
    run = _run()
    _finished(tmp_path / "run", run._replace(fits=run.fits.assign(**counts)))
    with pytest.raises(ValueError, match=message):
        load_run(tmp_path / "run")


def test_load_run_errors(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        load_run(tmp_path / "missing")
    (tmp_path / "notes.txt").write_text("a file\n")
    with pytest.raises(ValueError, match="is a file, not a run folder"):
        load_run(tmp_path / "notes.txt")
    with pytest.raises(ValueError, match=r"has no run\.json: it is not a finished run"):
        load_run(tmp_path)
    (tmp_path / "run.json").write_text("{not json")
    (tmp_path / "summary.csv").write_text("class_sep,alpha\n1,1\n")
    with pytest.raises(ValueError, match=r"is corrupt: run\.json cannot be read"):
        load_run(tmp_path)


def _unsealed(run: Path) -> dict:
    """``run``'s record as a writer before ``record_sha256`` wrote it, read back."""
    record = json.loads((run / "run.json").read_text())
    del record["record_sha256"]
    (run / "run.json").write_text(json.dumps(record, indent=2))
    return record


def test_a_record_without_its_own_checksum_is_checked_against_the_fits_copy(small_sweep, tmp_path):
    run = _finished(tmp_path / "run", small_sweep)
    record = _unsealed(run)
    assert load_run(run).run == record
    (run / "run.json").write_text(json.dumps({**record, "seed": 1}))
    with pytest.raises(ValueError, match=r"is corrupt: run\.json does not match the record fits"):
        load_run(run)
    (run / "run.json").write_text(json.dumps({**record, "elapsed_seconds": 0.5}))
    with pytest.raises(ValueError, match=r"is corrupt: run\.json does not match the record fits"):
        load_run(run)
    (run / "run.json").write_text(json.dumps(record))
    (run / "fits.parquet").unlink()
    with pytest.raises(ValueError, match=r"cannot be verified: run.json records no checksum of"):
        load_run(run)


def test_a_run_without_fits_is_checked_by_its_records_own_checksum(tmp_path):
    run = _finished(tmp_path / "run", _run()._replace(fits=None))
    assert load_run(run).fits is None
    _edited_record(run)
    with pytest.raises(ValueError, match=r"is corrupt: run\.json does not match the sha256"):
        load_run(run)


def test_the_reference_run_loads_verified():
    reference = load_run(ROOT / "results" / "reference")
    assert len(reference.fits) == reference.run["n_fits"] == 225_000
    assert reference.run["n_test"] == 2500
