"""LZF decompression (the `Compression=3` of BULK v3), which the standard library lacks."""

_LITERAL_LIMIT = 32
_LONG_MATCH = 7


class LzfError(ValueError):
    """The data is not a valid LZF stream."""


def lzf_decompress(data: bytes) -> bytes:
    """Expand literal runs (control < 32) and back-references (length, 13-bit offset)."""
    out = bytearray()
    index = 0
    while index < len(data):
        control = data[index]
        index += 1
        if control < _LITERAL_LIMIT:
            run = data[index : index + control + 1]
            if len(run) != control + 1:
                raise LzfError("literal run past the end")
            out += run
            index += control + 1
            continue
        length = control >> 5
        if length == _LONG_MATCH:
            if index >= len(data):
                raise LzfError("truncated match length")
            length += data[index]
            index += 1
        if index >= len(data):
            raise LzfError("truncated match offset")
        start = len(out) - ((control & 0x1F) << 8) - data[index] - 1
        index += 1
        if start < 0:
            raise LzfError("back-reference before the start")
        for offset in range(length + 2):
            out.append(out[start + offset])
    return bytes(out)
