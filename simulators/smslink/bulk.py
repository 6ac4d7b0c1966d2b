"""`bulk-v3.php` (spec §2.4, §3.5): a multipart upload of a compressed, checksummed package.

Validation follows the spec's order, each failure an `ERROR` line; then every package line gets
its own status (1 to 5) in the `local:remote:status` triples.
"""

import bz2
from collections.abc import Mapping
import contextlib
from dataclasses import dataclass
import hashlib
from typing import Any
import zlib

from aiohttp import web

from simulators.smslink.connection import Connection, Outcome, error_outcome, http_status
from simulators.smslink.lzf import LzfError, lzf_decompress
from simulators.smslink.sending import BULK_OK

_FIELDS_PER_LINE = 5


class PackageError(Exception):
    """The upload or its package is not what BULK v3 takes."""


@dataclass
class Upload:
    """The form fields (as text) and the Package file's bytes."""

    fields: dict[str, str]
    package: bytes | None


async def read_upload(request: web.Request) -> Upload:
    """Read a multipart (or urlencoded) form; the package is the `Package` file field."""
    form = await request.post()
    fields: dict[str, str] = {}
    package: bytes | None = None
    for name, value in form.items():
        if isinstance(value, str):
            fields[name] = value
        elif isinstance(value, web.FileField) and name == "Package":
            package = value.file.read()
    return Upload({**request.query, **fields}, package)


def _decompress(method: str | None, data: bytes, *, lzf: bool) -> bytes:
    try:
        match method:
            case "0" | None:
                return data
            case "1":
                return zlib.decompress(data)
            case "2":
                return bz2.decompress(data)
            case "3" if lzf:
                return lzf_decompress(data)
    except (zlib.error, OSError, ValueError, LzfError) as err:
        raise PackageError(f"cannot decompress: {err}") from err
    raise PackageError(f"unsupported compression {method}")


def _check_md5(field: str | None, data: bytes) -> None:
    if field != hashlib.md5(data).hexdigest():  # noqa: S324 (the protocol's checksum)
        raise PackageError("MD5 mismatch")


def _check_sizes(fields: Mapping[str, str], uploaded: bytes, plain: bytes, *, chars: bool) -> None:
    if fields.get("SizeCompressed") != str(len(uploaded)):
        raise PackageError("SizeCompressed mismatch")
    allowed = {str(len(plain))}
    if chars:
        with contextlib.suppress(UnicodeDecodeError):
            allowed.add(str(len(plain.decode("utf-8"))))
    if fields.get("SizePlain") not in allowed:
        raise PackageError("SizePlain mismatch")


def unescape(text: str) -> str:
    """Undo the package escapes: `%0A` is a line break and `%3B` a semicolon."""
    return text.replace("%0A", "\n").replace("%3B", ";")


def parse_package(plain: bytes) -> list[list[str]]:
    """Lines split on CRLF (a trailing CRLF allowed), each into its 5 fields."""
    try:
        text = plain.decode("utf-8")
    except UnicodeDecodeError as err:
        raise PackageError("package is not UTF-8") from err
    text = text.removesuffix("\r\n")
    if not text:
        raise PackageError("empty package")
    lines = [line.split(";") for line in text.split("\r\n")]
    for fields in lines:
        if len(fields) != _FIELDS_PER_LINE:
            raise PackageError("a line does not have 5 fields")
        local_id, _, _, _, programmed = fields
        if not local_id.isdigit() or not programmed.isdigit():
            raise PackageError("local id and timestamp must be numeric")
    return lines


class BulkSend(Connection):
    """The logic behind bulk-v3.php."""

    @property
    def packages(self) -> list[dict[str, Any]]:
        """Packages received so far (kept by the account, which numbers them)."""
        return self._account.packages

    def answer(self, upload: Upload) -> Outcome:
        """Validate in spec order, then give each line its status."""
        fields = upload.fields
        if not self._logged_in(fields):
            return error_outcome(self._faults, "auth")
        try:
            lines = self._lines(upload)
        except PackageError as err:
            outcome = error_outcome(self._faults, "bad_package")
            outcome.text = f"{outcome.text} ({err})"
            return outcome
        test = fields.get("test") == "1"
        package_id = self._account.next_package_id
        self._account.next_package_id += 1
        triples = []
        for local_id, number, sender, escaped_text, programmed in lines:
            status, message = self._sending.send_line(
                number, unescape(escaped_text), sender, int(programmed), test=test
            )
            remote = str(message.message_id) if message is not None and status == BULK_OK else ""
            if not remote:
                remote = self._faults["bulk_reject_remote_id"]
            triples.append(f"{local_id}:{remote}:{status}")
        self._account.packages.append({"package_id": package_id, "test": test, "lines": len(lines)})
        return Outcome(
            "MESSAGE",
            int(self._faults["bulk_success_code"]),
            str(self._faults["bulk_success_text"]),
            [str(package_id), ",".join(triples)],
        )

    def _lines(self, upload: Upload) -> list[list[str]]:
        fields = upload.fields
        if upload.package is None:
            raise PackageError("no Package file")
        uploaded = upload.package
        plain = _decompress(fields.get("Compression"), uploaded, lzf=self._faults["bulk_lzf"])
        _check_md5(fields.get("MD5Compressed"), uploaded)
        _check_md5(fields.get("MD5Plain"), plain)
        chars = self._faults["bulk_size_plain"] == "bytes_or_characters"
        _check_sizes(fields, uploaded, plain, chars=chars)
        lines = parse_package(plain)
        if fields.get("Receivers") != str(len(lines)):
            raise PackageError("Receivers does not match the lines")
        return lines


def render_bulk(outcome: Outcome, faults: Mapping[str, Any]) -> web.Response:
    """`MESSAGE;code;text;package;triples` (always 5 fields) or `ERROR;code;text`."""
    parts = [outcome.kind, str(outcome.code), outcome.text, *outcome.variables]
    return web.Response(text=";".join(parts), status=http_status(outcome, faults))
