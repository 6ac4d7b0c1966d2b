"""The gateway's wall-clock times: the usual layout read fast, the others as before."""

from datetime import datetime

import pytest

from custom_components.sms_gateway.providers.dinstar.wire import parse_time


def _local(*parts: int) -> datetime:
    """The gateway's clock has no zone: naive, as parse_time gives it."""
    return datetime(*parts)  # noqa: DTZ001


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-05 21:13:49", _local(2026, 12, 5, 21, 13, 49)),
        (" 2026-12-05 21:13:49 ", _local(2026, 12, 5, 21, 13, 49)),
        ("2026-12-0521:13:49", _local(2026, 12, 5, 21, 13, 49)),
        ("2026-12-05T21:13:49", _local(2026, 12, 5, 21, 13, 49)),
        ("2026-12-05 21:13", _local(2026, 12, 5, 21, 13)),
        ("2026-1-5 3:04:05", _local(2026, 1, 5, 3, 4, 5)),
        ("2026-02-30 10:00:00", None),
        ("2026-12-05 24:00:00", None),
        ("2026-12-05 23:59:60", None),
        ("0000-01-01 00:00:00", None),
        ("2026-12-05 21:13:49.5", None),
        ("", None),
        ("x", None),
    ],
)
def test_parse_time(text: str, expected: datetime | None) -> None:
    assert parse_time(text) == expected
