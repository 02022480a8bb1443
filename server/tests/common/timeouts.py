"""One per-test time limit for the pytest suites (integration, package): a test (setup and
teardown included) that runs longer than its `@pytest.mark.timeout(N)`, or the suite's default,
fails with TimeoutError instead of hanging CI. SIGALRM: the main thread only, as pytest runs."""

import signal

import pytest


def per_test_timeout(default_seconds: int):
    """An autouse fixture for a conftest.py: `_per_test_timeout = per_test_timeout(120)`."""

    @pytest.fixture(autouse=True)
    def _per_test_timeout(request):
        marker = request.node.get_closest_marker("timeout")
        seconds = int(marker.args[0]) if marker else default_seconds

        def on_alarm(signum, frame):
            raise TimeoutError(f"test took longer than {seconds} s")

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.alarm(seconds)
        try:
            yield
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)

    return _per_test_timeout
