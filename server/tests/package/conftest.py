"""The Debian package suite needs root (apt-get, dpkg, runuser) and a built package."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "common"))
from timeouts import per_test_timeout  # noqa: E402

DEFAULT_TIMEOUT = 120  # seconds per test


def pytest_sessionstart(session):
    if os.geteuid() != 0:
        pytest.exit("server/tests/package installs, runs and purges the essaim package with "
                    "apt-get and dpkg: run it as root (make test-package, as CI does).",
                    returncode=1)


_per_test_timeout = per_test_timeout(DEFAULT_TIMEOUT)
