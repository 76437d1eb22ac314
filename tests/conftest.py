import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

settings.register_profile(
    "jacviz", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=bool(os.environ.get("CI"))
)
settings.load_profile("jacviz")


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
