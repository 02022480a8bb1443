"""The Debian package suite needs root (apt-get, dpkg, runuser) and a built package."""

from __future__ import annotations

import os
import signal

import pytest

DEFAULT_TIMEOUT = 120  # seconds per test


def pytest_sessionstart(session):
    if os.geteuid() != 0:
        pytest.exit("server/tests/package installs, runs and purges the essaim package with "
                    "apt-get and dpkg: run it as root (make test-package, as CI does).",
                    returncode=1)


@pytest.fixture(autouse=True)
def _per_test_timeout(request):
    """Fails a test (setup and teardown included) that runs longer than its limit."""
    marker = request.node.get_closest_marker("timeout")
    seconds = int(marker.args[0]) if marker else DEFAULT_TIMEOUT

    def on_alarm(signum, frame):
        raise TimeoutError(f"test took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
