"""Pytest plugin: any deprecation report from our code or our tests fails the run.

Home Assistant announces what will break through its frame helper (`report_usage`, which only
logs for a custom integration, so a passing test would hide it) and its deprecation helper
(deprecated constants, functions and aliases, logged too). Both are watched here, on every leg:
a report whose call stack passes through `custom_components/sms_gateway` or `tests/`, or that
names our domain, fails the test during which it was made. A DeprecationWarning attributed to one
of our files fails the session. Nothing is silenced: the report still reaches Home Assistant.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from functools import wraps
from pathlib import Path
import sys
from typing import Any
import warnings

from homeassistant.helpers import deprecation, frame
import pytest

from custom_components.sms_gateway.const import DOMAIN

_TOP = Path(__file__).resolve().parent.parent
OUR_ROOTS = (_TOP / "custom_components" / "sms_gateway", _TOP / "tests")
"""Code whose deprecated calls are ours to fix."""

reports: list[str] = []
"""Reports made since the last test phase ended (a worker runs one test at a time)."""
_warned: list[str] = []


def our_caller(skip: int = 0) -> str | None:
    """Return the innermost frame of ours on the stack, as path:line, or None."""
    here = Path(__file__).resolve()
    caller = sys._getframe(skip + 1)
    while caller is not None:
        path = Path(caller.f_code.co_filename)
        if path != here and any(path.is_relative_to(root) for root in OUR_ROOTS):
            return f"{path.relative_to(_TOP)}:{caller.f_lineno}"
        caller = caller.f_back
    return None


def _watch_frame_reports(original: Callable[..., None]) -> Callable[..., None]:
    @wraps(original)
    def report(hass: Any, what: str, **kwargs: Any) -> None:
        integration_frame = kwargs.get("integration_frame")
        where = our_caller()
        if where is None and (
            kwargs.get("integration_domain") == DOMAIN
            or getattr(integration_frame, "integration", None) == DOMAIN
        ):
            where = DOMAIN
        if where is not None:
            breaks = kwargs.get("breaks_in_ha_version")
            reports.append(f"{where}: {what} (breaks in {breaks or 'an unnamed release'})")
        original(hass, what, **kwargs)

    return report


def _watch_deprecation_warnings(original: Callable[..., None]) -> Callable[..., None]:
    @wraps(original)
    def report(
        obj_name: str, module_name: str, replacement: str, *args: Any, **kwargs: Any
    ) -> None:
        if (where := our_caller()) is not None:
            reports.append(f"{where}: uses deprecated {module_name}.{obj_name}; use {replacement}")
        original(obj_name, module_name, replacement, *args, **kwargs)

    return report


def pytest_configure(config: pytest.Config) -> None:
    """Watch both helpers for the whole run; the originals still run after the watch."""
    del config
    frame._report_usage = _watch_frame_reports(frame._report_usage)
    deprecation._print_deprecation_warning_internal = _watch_deprecation_warnings(
        deprecation._print_deprecation_warning_internal
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Fail the phase (setup, call or teardown) during which something deprecated was used."""
    del item, call
    report = yield
    if reports:
        found = "\n".join(f"  {line}" for line in reports)
        reports.clear()
        report.outcome = "failed"
        report.longrepr = f"Deprecated Home Assistant API used by our code:\n{found}"
    return report


def pytest_warning_recorded(
    warning_message: warnings.WarningMessage, when: str, nodeid: str, location: object
) -> None:
    """Keep every deprecation warning raised from one of our files (xdist relays them here)."""
    del when, location
    if not issubclass(warning_message.category, DeprecationWarning | PendingDeprecationWarning):
        return
    path = Path(warning_message.filename).resolve()
    if any(path.is_relative_to(root) for root in OUR_ROOTS):
        where = f"{path.relative_to(_TOP)}:{warning_message.lineno}"
        _warned.append(f"{nodeid}: {where}: {warning_message.message}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail the run on any deprecation warning from our code, listing each."""
    del exitstatus
    if not _warned:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None:
        reporter.write_sep("=", "deprecation warnings from our code", red=True)
        for line in _warned:
            reporter.write_line(line)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
