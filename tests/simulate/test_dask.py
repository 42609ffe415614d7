"""A sweep on a real dask.distributed cluster equals a local run with the same seed."""

import pandas as pd
import pytest

from simulate import run_sweep

distributed = pytest.importorskip("distributed")


@pytest.mark.slow
def test_dask_cluster_matches_local_run(small_config):
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        on_cluster = run_sweep(
            small_config, backend="dask", scheduler=cluster.scheduler_address, progress=False
        )
    local = run_sweep(small_config, n_jobs=1, progress=False)
    pd.testing.assert_frame_equal(on_cluster.fits, local.fits)


@pytest.mark.slow
def test_unreachable_scheduler(small_config):
    with pytest.raises(ValueError, match="Cannot reach the dask scheduler"):
        run_sweep(small_config, backend="dask", scheduler="tcp://127.0.0.1:9", progress=False)
