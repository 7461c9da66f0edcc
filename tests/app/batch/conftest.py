"""One Dask LocalCluster (2 worker processes) for the batch tests of this folder (start-up costs
seconds). A worker over 900 MiB is restarted; a task whose worker died twice is given up."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def client():
    import dask
    from distributed import Client, LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, memory_limit="900MiB",
                               dashboard_address=":0", silence_logs=50)
        c = Client(cluster)
        yield c
        c.close()
        cluster.close()
