import json
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Every property and sweep runs the same examples in every run, on every machine, CI or not:
# a seed from each test's own code (derandomize) and no example database (.hypothesis/ is
# never read, so a failure saved by an earlier run cannot change what runs), whatever the
# environment says (hypothesis would load its "ci" profile when CI is set).  New random cases
# are explored by `make sweep` (tests/sweep.py), whose plugin loads another profile.
settings.register_profile(
    "jacviz", deadline=None, suppress_health_check=[HealthCheck.too_slow],
    derandomize=True, database=None)
settings.load_profile("jacviz")


def _import_every_jacviz_module() -> None:
    """Now and then hypothesis draws a constant found in the source of the local modules
    imported so far (jacviz's), so what a property draws depended on the tests that ran
    before it in the same process: xdist hands tests to its workers in no fixed order.
    Importing every module first gives every process the same constants."""
    import importlib
    import pkgutil

    import jacviz

    for mod in pkgutil.walk_packages(jacviz.__path__, "jacviz."):
        if mod.name.rsplit(".", 1)[-1] != "__main__":
            importlib.import_module(mod.name)


_import_every_jacviz_module()


def _no_local_constants() -> None:
    """Hypothesis mixes into its draws the constants it finds in the source of the local
    modules imported so far (all of sys.modules, test modules and scenes imported lazily
    too), one pool for the process: a new scene, or a test that ran first, changed what
    another property drew.  The suite draws from hypothesis' own constants only, so a
    property's examples depend on its own code alone (hypothesis pinned in
    requirements.lock; tests/test_determinism.py checks two unlike runs agree)."""
    from hypothesis.internal.conjecture import providers

    providers._get_local_constants = lambda: providers._local_constants  # stays empty


_no_local_constants()


def _log_draws(path: str) -> None:
    """JACVIZ_DRAW_LOG=FILE: one JSON line per example a property runs (which property, the
    example as hypothesis prints it, how it was made), for comparing two runs."""
    from hypothesis.internal.observability import add_observability_callback

    def write(obs, thread=None):
        if getattr(obs, "type", None) != "test_case":
            return
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"property": obs.property, "example": obs.representation,
                                 "how": obs.how_generated, "status": obs.status}) + "\n")

    add_observability_callback(write, all_threads=True)


if os.environ.get("JACVIZ_DRAW_LOG"):
    _log_draws(os.environ["JACVIZ_DRAW_LOG"])


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(autouse=True)
def _signal_handlers_restored():
    """A test that calls ``cli.main`` in this process installs jacviz's SIGINT and
    SIGTERM handlers; later tests in the same worker get the ones they started with."""
    import signal

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)
