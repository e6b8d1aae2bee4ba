"""Spool files: request bodies written before the clock starts, read back by the clients.

A frame is an 8-byte header (body length, facts in the body; little-endian uint32) and the
body. Standard library only, so client processes import nothing heavy.
"""

from __future__ import annotations

import struct
from typing import BinaryIO, Final

FRAME: Final = struct.Struct("<II")


def write_frame(out: BinaryIO, body: bytes, count: int) -> None:
    """Append one request body holding ``count`` facts."""
    out.write(FRAME.pack(len(body), count))
    out.write(body)


def read_frame(spool: BinaryIO) -> tuple[bytes, int] | None:
    """The next (body, fact count) of a spool file, None at its end."""
    header = spool.read(FRAME.size)
    if len(header) < FRAME.size:
        return None
    length, count = FRAME.unpack(header)
    return spool.read(length), count
