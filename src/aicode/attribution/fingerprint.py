"""Line fingerprints: the one function every client and the server use to compare lines.

A fingerprint is a keyed BLAKE2b hash of the line with its surrounding whitespace removed. The
key is per organization, so a leaked database cannot be reversed by hashing a dictionary of
common lines; the code itself never leaves the developer's machine.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Final

ALGORITHM: Final = "aicode-fp-v1"
KEY_BYTES: Final = 32
DIGEST_BYTES: Final = 8

# Lines made only of these characters carry no authorship on their own (a lone brace, a
# closing bracket with a semicolon): they follow the lines around them instead.
_TRIVIAL_CHARACTERS: Final = frozenset("{}[]()<>;,.:'\"`/\\|*#-=+!?&^%$@~")


def new_key() -> bytes:
    """A fresh random organization key."""
    return secrets.token_bytes(KEY_BYTES)


def encode_key(key: bytes) -> str:
    """The key as URL-safe base64, the form the API and clients' config carry."""
    return base64.urlsafe_b64encode(key).decode("ascii").rstrip("=")


def decode_key(text: str) -> bytes:
    """Parse a key written by ``encode_key``; raises ValueError when it is not one."""
    padded = text.strip() + "=" * (-len(text.strip()) % 4)
    try:
        key = base64.urlsafe_b64decode(padded.encode("ascii"))
    except (ValueError, UnicodeEncodeError) as exc:
        raise ValueError("fingerprint key is not URL-safe base64") from exc
    if len(key) != KEY_BYTES:
        raise ValueError(f"fingerprint key must be {KEY_BYTES} bytes, got {len(key)}")
    return key


def normalize(line: str) -> str:
    """The part of a line that identifies it: surrounding whitespace and line ends removed."""
    return line.strip()


def fingerprint(key: bytes, line: str) -> str:
    """The fingerprint of one line: 16 hex characters of a keyed BLAKE2b of the normalized line."""
    digest = hashlib.blake2b(
        normalize(line).encode("utf-8", "surrogateescape"), key=key, digest_size=DIGEST_BYTES
    )
    return digest.hexdigest()


def is_trivial(line: str) -> bool:
    """Whether a line is blank or made only of brackets and punctuation."""
    text = normalize(line)
    return all(char in _TRIVIAL_CHARACTERS or char.isspace() for char in text)
