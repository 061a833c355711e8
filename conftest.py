"""Session-wide pytest hooks (fixtures live next to the tests that use them)."""

from __future__ import annotations

import pytest


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # Exit status 5 already fails `make test`; say why, so it is never mistaken for
    # a flaky run (a renamed test file or a wrong -k/-m filter usually causes it).
    if exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                "ERROR: pytest ran no tests (exit status 5): check test file names (test_*.py) and -k/-m filters",
                red=True,
            )
