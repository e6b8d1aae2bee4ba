import hashlib

import pytest

from aicode.attribution.fingerprint import (
    decode_key,
    encode_key,
    fingerprint,
    is_trivial,
    new_key,
)

KEY = bytes(range(32))


def test_fingerprint_is_keyed_blake2b_of_the_stripped_line():
    expected = hashlib.blake2b(b"return x + 1", key=KEY, digest_size=8).hexdigest()
    assert fingerprint(KEY, "    return x + 1  \n") == expected
    assert fingerprint(KEY, "\treturn x + 1") == expected


def test_fingerprint_depends_on_the_key_and_inner_whitespace():
    assert fingerprint(KEY, "a = 1") != fingerprint(bytes(32), "a = 1")
    assert fingerprint(KEY, "a = 1") != fingerprint(KEY, "a  = 1")


def test_fingerprint_of_non_utf8_text_does_not_fail():
    assert len(fingerprint(KEY, "caf\udce9")) == 16


@pytest.mark.parametrize("line", ["", "   ", "}", "  });", "]", ")", "*/", "{", "</>"])
def test_trivial_lines(line):
    assert is_trivial(line)


@pytest.mark.parametrize("line", ["x", "end", "} else {", "pass", "return", "0"])
def test_lines_that_are_not_trivial(line):
    assert not is_trivial(line)


def test_key_round_trip():
    key = new_key()
    assert len(key) == 32
    assert decode_key(encode_key(key)) == key
    assert decode_key(" " + encode_key(key) + "\n") == key


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("AAAA", "fingerprint key must be 32 bytes, got 3"),
        ("é", "fingerprint key is not URL-safe base64"),
    ],
)
def test_bad_keys(text, message):
    with pytest.raises(ValueError, match=message):
        decode_key(text)
