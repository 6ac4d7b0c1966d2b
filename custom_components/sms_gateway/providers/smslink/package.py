"""BULK v3 packages (spec §2.4): the line format, its escapes, compression and checksums.

A package is `local;number;sender;text;schedule` lines joined by CRLF. Nothing but the text is
escaped, so a number or sender that could break a line is refused rather than sent.

The text must arrive as index.php would deliver it, so unlike the official clients nothing is
trimmed or dropped: a line feed and `;` are escaped (`%0A`, `%3B`), everything else goes as is,
and what the format cannot carry (CR, tab: the official clients delete them; a literal `%0A` or
`%3B`: the server would decode it) is refused for single sends too (check_text).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
import hashlib
import re
from typing import Final
import zlib

from ..errors import InvalidInputError, InvalidResponseError
from ..text import check_message_text

COMPRESSION_ZLIB: Final = "1"  # labelled "Zlib Gzip"; PHP gzcompress() writes a zlib stream
CLIENT_VERSION: Final = "2.1"
_NUMBER: Final = re.compile(r"0\d{6,16}")
# No padding: whether the server trims a field is unknown, so a padded sender is refused.
_SENDER: Final = re.compile(r"[A-Za-z0-9.&_+-](?:[A-Za-z0-9 .&_+-]{0,9}[A-Za-z0-9.&_+-])?|\d{1,15}")
# The server decodes these two; a text that already holds one would arrive altered.
_ESCAPE_LOOKALIKE: Final = re.compile(r"%(0A|3B)", re.IGNORECASE)
# The official clients delete these from a package's text; no escape for them is known.
_UNCARRIED: Final = {"\r": "carriage return (CR)", "\t": "tab"}
_TRIPLE_PARTS: Final = 3
_MIN_FIELDS: Final = 2


class BulkStatus(IntEnum):
    """Per-message status in a BULK v3 answer."""

    SENDER_FAILED = 1
    NUMBER_FAILED = 2
    SENT = 3
    INTERNAL_ERROR_OR_BLACKLISTED = 4
    INSUFFICIENT_CREDIT = 5


@dataclass(frozen=True, slots=True)
class PackageLine:
    """One message of a package; `number` already in SMSLink's form."""

    local_id: int
    number: str
    sender: str
    text: str
    scheduled_at: int = 0


@dataclass(frozen=True, slots=True)
class LineOutcome:
    """What the service did with one line; message_id is None when it gave none (or 0)."""

    local_id: int
    message_id: int | None
    status: BulkStatus


@dataclass(frozen=True, slots=True)
class Upload:
    """The package as uploaded, with the fields that describe it."""

    plain: bytes
    compressed: bytes
    receivers: int

    def fields(self) -> dict[str, str]:
        """Compression, MD5 and size fields (sizes in bytes, as the PHP client counts them)."""
        return {
            "Compression": COMPRESSION_ZLIB,
            "MD5Plain": hashlib.md5(self.plain).hexdigest(),  # noqa: S324 (the protocol's checksum)
            "MD5Compressed": hashlib.md5(self.compressed).hexdigest(),  # noqa: S324
            "SizePlain": str(len(self.plain)),
            "SizeCompressed": str(len(self.compressed)),
            "Receivers": str(self.receivers),
        }


def check_sender(sender: str) -> str:
    """Refuse a sender that is empty, too long or holds a character the line format cannot take."""
    if not _SENDER.fullmatch(sender):
        raise InvalidInputError(
            "The sender must be up to 11 letters, digits, inner spaces or .&_+-"
            " (or up to 15 digits)"
        )
    return sender


def check_text(text: str) -> str:
    """Refuse a text that single and BULK sends could not both deliver unchanged."""
    check_message_text(text)
    for char, name in _UNCARRIED.items():
        if char in text:
            raise InvalidInputError(
                f"The message text has a {name}, which SMSLink's BULK format cannot carry;"
                " use line feeds and spaces"
            )
    if _ESCAPE_LOOKALIKE.search(text):
        raise InvalidInputError(
            "The message text contains %0A or %3B, which SMSLink's BULK format would turn into"
            " a line break or ;"
        )
    return text


def escape_text(text: str) -> str:
    """Escape a checked text: LF and `;` encoded, nothing trimmed or dropped."""
    return check_text(text).replace("\n", "%0A").replace(";", "%3B")


def package_line(line: PackageLine, escaped_text: str) -> str:
    """Render one line with its text already escaped, refusing any field that could split it."""
    if not _NUMBER.fullmatch(line.number):
        raise InvalidInputError("A BULK v3 number must be digits in 07… or 00… form")
    if line.local_id < 0 or line.scheduled_at < 0:
        raise InvalidInputError("Local IDs and schedule times must not be negative")
    sender = check_sender(line.sender)
    return f"{line.local_id};{line.number};{sender};{escaped_text};{line.scheduled_at}"


def build_upload(lines: Sequence[PackageLine]) -> Upload:
    """Join the lines with CRLF (no trailing CRLF) and compress them with zlib, level 9."""
    if not lines:
        raise InvalidInputError("A BULK v3 package needs at least one message")
    escaped: dict[str, str] = {}  # a package usually repeats one text: check it once
    rendered = []
    for line in lines:
        if line.text not in escaped:
            escaped[line.text] = escape_text(line.text)
        rendered.append(package_line(line, escaped[line.text]))
    plain = "\r\n".join(rendered).encode("utf-8")
    return Upload(plain=plain, compressed=zlib.compress(plain, 9), receivers=len(lines))


def _triple(text: str) -> LineOutcome:
    parts = text.split(":")
    if len(parts) != _TRIPLE_PARTS or not parts[0].isdigit():
        raise InvalidResponseError("SMSLink bulk-v3.php answered a malformed message status")
    local, remote, status = parts
    try:
        bulk_status = BulkStatus(int(status))
    except ValueError:
        raise InvalidResponseError("SMSLink bulk-v3.php answered an unknown status") from None
    message_id = int(remote) if remote.isdigit() and int(remote) > 0 else None
    return LineOutcome(local_id=int(local), message_id=message_id, status=bulk_status)


def read_outcomes(fields: Sequence[str]) -> tuple[str, list[LineOutcome]]:
    """Return the package ID and the triples: the fields after `MESSAGE;code;text`."""
    if len(fields) < _MIN_FIELDS:
        raise InvalidResponseError("SMSLink bulk-v3.php answered without message statuses")
    return fields[0], [_triple(item) for item in fields[1].split(",") if item]
