"""One Dask LocalCluster (2 worker processes) for the batch tests of this folder (start-up costs
seconds). A worker over 900 MiB is restarted; a task whose worker died twice is given up.
``tiles``: a real Rotterdam block (tests/data/batch) whole and cut into 80 m tiles."""

from __future__ import annotations

from pathlib import Path

import pytest

ROTTERDAM = Path(__file__).resolve().parents[2] / "data" / "batch" / "rotterdam_subset_v1.0.city.json"


@pytest.fixture(scope="module")
def tiles(tmp_path_factory) -> tuple[Path, Path]:
    """The whole model in one folder, its tiles of 80 m in another: the block cut in two
    (``t_0_0`` 8 buildings, ``t_1_0`` 7), and the far building alone (``t_-6_5``). Module scope:
    a test may change a tile."""
    from citytwin.io.registry import read, write
    from citytwin.semantics.tiles import split_grid

    d = tmp_path_factory.mktemp("rotterdam")
    model = read(ROTTERDAM)
    (d / "whole").mkdir()
    (d / "tiles").mkdir()
    write(model, d / "whole" / "whole.city.json")
    parts = split_grid(model, 80.0, origin=(90882.0, 435610.0))
    assert {k: len(p) for k, p in parts.items()} == {(-6, 5): 1, (0, 0): 8, (1, 0): 7}
    for (c, r), part in parts.items():
        write(part, d / "tiles" / f"t_{c}_{r}.city.json")
    return d / "whole", d / "tiles"


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
