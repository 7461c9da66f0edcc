"""run_in_process: results, progress, log lines, errors and cancellation across the process boundary."""

from __future__ import annotations

import logging
import threading

import numpy as np
import pytest

from tests.conftest import shared_path


def test_svf_in_a_process_equals_in_this_process(caplog) -> None:
    """A real study (sky view factor of a 3D BAG file) gives the same arrays in the child."""
    from citytwin.app.commands.progress import Progress
    from citytwin.app.commands.svf import SVFOptions, run_svf
    from citytwin.app.process_worker import run_in_process
    from citytwin.io.registry import read

    model = read(shared_path("cityjson", "3dbag_b2_v2.0.city.json"))
    opts = SVFOptions(resolution=2.0, mf=4)
    seen: list[float] = []
    caplog.set_level(logging.INFO, logger="citytwin")
    res = run_in_process(run_svf, (model, opts), {"source_name": "b2"}, Progress(lambda f, m: seen.append(f)))
    here = run_svf(model, opts, source_name="b2")
    assert np.array_equal(res.points, here.points) and np.allclose(res.svf, here.svf, atol=1e-9)
    assert seen and seen[-1] == pytest.approx(1.0)


def test_error_in_the_child_is_raised_here() -> None:
    from citytwin.app.commands.svf import SVFOptions, run_svf
    from citytwin.app.process_worker import run_in_process
    from citytwin.errors import CityTwinError
    from citytwin.semantics.model import CityModel

    with pytest.raises(CityTwinError):
        run_in_process(run_svf, (CityModel(), SVFOptions()), {})


def test_cancel_stops_the_child() -> None:
    from citytwin.app.commands.progress import Progress
    from citytwin.app.commands.solar import SolarOptions, run_solar
    from citytwin.app.process_worker import run_in_process
    from citytwin.errors import Cancelled
    from citytwin.io.registry import read

    model = read(shared_path("cityjson", "delft_v2.0.city.json"))
    progress = Progress()
    threading.Timer(8.0, progress.cancel).start()  # well before the ~80 s this study takes here
    with pytest.raises(Cancelled):
        run_in_process(run_solar, (model, SolarOptions(resolution=1.0)), {}, progress)
