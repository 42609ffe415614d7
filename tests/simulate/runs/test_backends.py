"""A sweep on a real dask.distributed cluster equals a local run with the same seed."""

import dataclasses

import pandas as pd
import pytest

from simulate import run_sweep
from simulate.models.registry import MODELS

distributed = pytest.importorskip("distributed")


@pytest.mark.slow
def test_dask_cluster_matches_local_run(small_config):
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        on_cluster = run_sweep(
            small_config, backend="dask", scheduler=cluster.scheduler_address, progress=False
        )
        models = {
            model: dataclasses.replace(small_config, model=model, seps=(1.0,), reps=2)
            for model in MODELS
        }
        other_models = {
            model: run_sweep(
                config, backend="dask", scheduler=cluster.scheduler_address, progress=False
            )
            for model, config in models.items()
        }
    local = run_sweep(small_config, n_jobs=1, progress=False)
    pd.testing.assert_frame_equal(on_cluster.fits, local.fits)
    for model, config in models.items():
        here = run_sweep(config, n_jobs=1, progress=False)
        pd.testing.assert_frame_equal(other_models[model].fits, here.fits)
        if here.validation is not None:
            pd.testing.assert_frame_equal(other_models[model].validation, here.validation)


@pytest.mark.slow
@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "tls://127.0.0.1:1", "inproc://x"])
def test_a_scheduler_that_does_not_answer_is_refused_before_the_folder(
    small_config, address, tmp_path
):
    message = (
        r"^The 'scheduler' parameter of ParallelConfig must be the address of a dask scheduler "
        rf"that answers\. Got '{address}' instead: \w+Error: .+\.$"
    )
    with pytest.raises(ValueError, match=message):
        run_sweep(
            small_config, backend="dask", scheduler=address, progress=False, out=tmp_path / "run"
        )
    assert not (tmp_path / "run").exists()
