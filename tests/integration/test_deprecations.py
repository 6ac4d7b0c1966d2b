"""The deprecation watch (tests/deprecations.py) catches what it must and only that."""

from functools import partial
import warnings

from homeassistant.core import HomeAssistant
from homeassistant.helpers import deprecation, frame

from tests import deprecations


async def test_a_frame_report_from_our_code_is_recorded(hass: HomeAssistant) -> None:
    frame.report_usage(
        "uses an old thing",
        breaks_in_ha_version="2099.1.0",
        core_behavior=frame.ReportBehavior.LOG,
    )

    assert len(deprecations.reports) == 1
    assert deprecations.reports[0].startswith("tests/integration/test_deprecations.py:")
    assert "uses an old thing (breaks in 2099.1.0)" in deprecations.reports[0]
    deprecations.reports.clear()


async def test_a_frame_report_naming_our_domain_is_recorded(hass: HomeAssistant) -> None:
    hass.loop.call_soon(
        partial(
            frame.report_usage,
            "keeps an update listener",
            integration_domain=deprecations.DOMAIN,
            core_behavior=frame.ReportBehavior.LOG,
        )
    )
    await hass.async_block_till_done()

    assert deprecations.reports == [
        "sms_gateway: keeps an update listener (breaks in an unnamed release)"
    ]
    deprecations.reports.clear()


async def test_a_report_from_elsewhere_is_not_ours(hass: HomeAssistant) -> None:
    hass.loop.call_soon(
        partial(frame.report_usage, "is old elsewhere", core_behavior=frame.ReportBehavior.IGNORE)
    )
    await hass.async_block_till_done()

    assert deprecations.reports == []


async def test_a_deprecated_function_called_by_our_code_is_recorded(hass: HomeAssistant) -> None:
    @deprecation.deprecated_function("new_thing", breaks_in_ha_version="2099.1.0")
    def old_thing() -> None:
        """Stand in for a deprecated Home Assistant function."""

    old_thing()

    assert len(deprecations.reports) == 1
    assert "uses deprecated" in deprecations.reports[0]
    assert "use new_thing" in deprecations.reports[0]
    deprecations.reports.clear()


def test_only_deprecation_warnings_from_our_files_are_kept() -> None:
    ours = deprecations.OUR_ROOTS[0] / "gateway" / "sender.py"
    for category, filename in (
        (DeprecationWarning, str(ours)),
        (UserWarning, str(ours)),
        (DeprecationWarning, warnings.__file__),
    ):
        message = warnings.WarningMessage(category("old"), category, filename, 7)
        deprecations.pytest_warning_recorded(message, "call", "a test", None)

    assert deprecations._warned == [
        "a test: custom_components/sms_gateway/gateway/sender.py:7: old"
    ]
    deprecations._warned.clear()
