"""Decoding ingest bodies: JSON arrays, NDJSON, gzip, and the rejection of each bad item."""

from __future__ import annotations

import datetime as dt
import gzip
import zlib

import msgspec
import pytest

from aicode.errors import InvalidInput, PayloadTooLarge
from aicode.ingest.decode import decode_batch, decode_item, gunzip
from aicode.model.facts import ChangeFact, CommitFact, CompletionFact, TypingFact
from aicode.store.base import Rejection

COMPLETION = {"type": "completion", "id": "c1", "user": "ann@acme.dev", "ts": 1748772000000}
COMMIT = {
    "type": "commit",
    "user": "ann@acme.dev",
    "ts": "2025-06-01T10:00:00Z",
    "repo": "acme/app",
    "commitHash": "abcd1234",
}


def doc(value: object) -> bytes:
    return msgspec.json.encode(value)


# decode_item ---------------------------------------------------------------------------------


def test_completion_gets_its_defaults() -> None:
    fact = decode_item(doc(COMPLETION), 0)
    assert fact == CompletionFact(id="c1", user="ann@acme.dev", ts=1748772000000)
    assert isinstance(fact, CompletionFact)
    assert (fact.count_suggested, fact.count_accepted, fact.product_type) == (1, 0, "ide")
    assert (fact.ide, fact.language, fact.model) == (None, None, None)


def test_rfc3339_time_is_a_datetime() -> None:
    fact = decode_item(doc(COMPLETION | {"ts": "2025-06-01T12:00:00+02:00"}), 0)
    assert isinstance(fact, CompletionFact)
    assert fact.ts == dt.datetime(2025, 6, 1, 10, tzinfo=dt.UTC)


def test_commit_id_is_optional_and_camel_case_fields_map() -> None:
    fact = decode_item(
        doc(COMMIT | {"isPrimaryBranch": True, "attribution": {"ideAgentLinesAdded": 3}}), 0
    )
    assert isinstance(fact, CommitFact)
    assert fact.id == ""
    assert fact.is_primary_branch is True
    assert fact.attribution is not None
    assert fact.attribution.ide_agent_lines_added == 3


def test_unknown_fields_are_ignored() -> None:
    fact = decode_item(doc(COMPLETION | {"countAcepted": 9, "extra": {"a": 1}}), 0)
    assert isinstance(fact, CompletionFact)
    assert fact.count_accepted == 0


@pytest.mark.parametrize(
    ("item", "field", "reason"),
    [
        (COMPLETION | {"countAccepted": "2"}, "countAccepted", "Expected `int`, got `str`"),
        (COMPLETION | {"countSuggested": -1}, "countSuggested", "Expected `int` >= 0"),
        (
            COMPLETION | {"linesAccepted": 2**31},
            "linesAccepted",
            "Expected `int` <= 2147483647",
        ),
        (COMPLETION | {"productType": "web"}, "productType", "Invalid enum value 'web'"),
        (COMPLETION | {"id": ""}, "id", "Expected `str` of length >= 1"),
        (COMPLETION | {"ts": 1.5}, "ts", "Expected `int | datetime`, got `float`"),
        (COMPLETION | {"ts": "2025-06-01"}, "ts", "Invalid RFC3339 encoded datetime"),
        (COMPLETION | {"type": "bogus"}, "type", "unknown fact type 'bogus'"),
        (COMPLETION | {"type": 5}, "type", "Expected `str`"),
        ({k: v for k, v in COMPLETION.items() if k != "type"}, "type", "required field is missing"),
        ({k: v for k, v in COMPLETION.items() if k != "user"}, "user", "required field is missing"),
        ({k: v for k, v in COMPLETION.items() if k != "id"}, "id", "required field is missing"),
        ({k: v for k, v in COMPLETION.items() if k != "ts"}, "ts", "required field is missing"),
        (COMPLETION | {"type": "change"}, "source", "required field is missing"),
        (
            COMMIT | {"commitHash": "xyz!"},
            "commitHash",
            "Expected `str` matching regex '^[0-9a-fA-F]{4,64}$'",
        ),
        (
            COMMIT | {"commitHash": "abc"},
            "commitHash",
            "Expected `str` matching regex '^[0-9a-fA-F]{4,64}$'",
        ),
        (COMMIT | {"files": [{"linesAdded": 1}]}, "files[0].path", "required field is missing"),
        (
            COMMIT | {"files": [{"path": "a.py", "linesAdded": "1"}]},
            "files[0].linesAdded",
            "Expected `int | null`, got `str`",
        ),
        (
            COMMIT | {"files": [{"path": "a.py", "addedLines": [{"line": 0, "fp": "x"}]}]},
            "files[0].addedLines[0].line",
            "Expected `int` >= 1",
        ),
        (
            COMMIT | {"attribution": {"cliAgentLinesAdded": True}},
            "attribution.cliAgentLinesAdded",
            "Expected `int`, got `bool`",
        ),
    ],
)
def test_bad_item_names_field_and_reason(item: dict[str, object], field: str, reason: str) -> None:
    assert decode_item(doc(item), 7) == Rejection(7, field, reason)


def test_malformed_item_has_no_field() -> None:
    assert decode_item(b"{bad", 2) == Rejection(
        2, None, "malformed JSON: object keys must be strings (byte 1)"
    )
    assert decode_item(b"[1]", 3) == Rejection(3, None, "Expected `object`, got `array`")
    assert decode_item(b"5", 4) == Rejection(4, None, "Expected `object`, got `int`")


# decode_batch --------------------------------------------------------------------------------


def test_json_array_keeps_positions() -> None:
    body = doc([COMPLETION, {"type": "nope"}, COMMIT])
    items = decode_batch(body, max_items=10)
    assert isinstance(items[0], CompletionFact)
    assert items[1] == Rejection(1, "type", "unknown fact type 'nope'")
    assert isinstance(items[2], CommitFact)


def test_ndjson_skips_blank_lines_and_counts_facts_not_lines() -> None:
    typing = {"type": "typing", "id": "t1", "user": "bo@acme.dev", "ts": 1748772000000}
    body = b"\r\n" + doc(COMPLETION) + b"\r\n\n   \n" + b"{bad\n" + doc(typing) + b"\n\n"
    items = decode_batch(body, max_items=10)
    assert len(items) == 3
    assert isinstance(items[0], CompletionFact)
    assert items[1] == Rejection(1, None, "malformed JSON: object keys must be strings (byte 1)")
    assert isinstance(items[2], TypingFact)


def test_ndjson_is_refused_when_declared_as_json() -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_batch(doc(COMPLETION), max_items=10, json_array=True)
    assert caught.value.message == (
        "body must be a JSON array of facts for Content-Type application/json"
        " (send NDJSON as application/x-ndjson)"
    )
    assert caught.value.field == "body"
    # The same object is a one-fact NDJSON batch when nothing claims plain JSON.
    assert isinstance(decode_batch(doc(COMPLETION), max_items=10)[0], CompletionFact)


def test_empty_array_is_an_empty_batch() -> None:
    assert decode_batch(b" [ ] ", max_items=10, json_array=True) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "body is empty: send a JSON array or NDJSON of facts"),
        (b" \n\r\n\t", "body is empty: send a JSON array or NDJSON of facts"),
        (b'"facts"', "body must be a JSON array of facts or NDJSON (one fact object per line)"),
        (b"42", "body must be a JSON array of facts or NDJSON (one fact object per line)"),
        (b"[1, 2", "body is not a valid JSON array: Input data was truncated"),
        (b"[{]", "body is not a valid JSON array: expected '\"' (byte 2)"),
        (b"[{}] x", "body is not a valid JSON array: trailing characters (byte 6)"),
    ],
)
def test_unusable_body_is_refused_whole(body: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        decode_batch(body, max_items=10)
    assert (caught.value.message, caught.value.field, caught.value.status) == (
        message,
        "body",
        400,
    )


def test_too_many_items_is_413() -> None:
    with pytest.raises(PayloadTooLarge) as caught:
        decode_batch(doc([COMPLETION] * 3), max_items=2)
    assert caught.value.message == "batch has 3 facts; at most 2 per request"
    assert caught.value.status == 413
    with pytest.raises(PayloadTooLarge):
        decode_batch(b"\n".join([doc(COMPLETION)] * 3), max_items=2)
    assert len(decode_batch(doc([COMPLETION] * 2), max_items=2)) == 2


def test_change_fact_decodes_files() -> None:
    change = {
        "type": "change",
        "id": "ch1",
        "user": "ann@acme.dev",
        "ts": 1748772000000,
        "source": "AGENT",
        "files": [{"fileName": "src/a.py", "addedFingerprints": ["f1", "f2"]}],
    }
    fact = decode_item(doc(change), 0)
    assert isinstance(fact, ChangeFact)
    assert fact.files[0].added_fingerprints == ["f1", "f2"]
    assert fact.files[0].lines_added is None


# gunzip --------------------------------------------------------------------------------------


def test_gunzip_round_trip_and_limit_is_inclusive() -> None:
    data = b"x" * 1000
    assert gunzip(gzip.compress(data), 1000) == data
    with pytest.raises(PayloadTooLarge) as caught:
        gunzip(gzip.compress(data), 999)
    assert caught.value.message == "decompressed body exceeds 999 bytes"


def test_gunzip_reads_every_member() -> None:
    body = gzip.compress(b'{"a":1}\n') + gzip.compress(b'{"b":2}\n')
    assert gunzip(body, 100) == b'{"a":1}\n{"b":2}\n'
    with pytest.raises(PayloadTooLarge):
        gunzip(body, 10)


def test_gunzip_bomb_stops_at_the_limit() -> None:
    bomb = gzip.compress(b"\0" * 50_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    with pytest.raises(PayloadTooLarge) as caught:
        gunzip(bomb, 1_000_000)
    assert caught.value.message == "decompressed body exceeds 1000000 bytes"
    assert caught.value.field == "body"


def test_gunzip_refuses_truncated_and_foreign_data() -> None:
    whole = gzip.compress(b"y" * 10_000 + bytes(range(256)) * 40)
    with pytest.raises(InvalidInput) as caught:
        gunzip(whole[: len(whole) // 2], 100_000)
    assert caught.value.message == "body is not valid gzip: the stream is truncated"
    with pytest.raises(InvalidInput) as caught:
        gunzip(b"not gzip at all", 100_000)
    assert caught.value.message == (
        "body is not valid gzip: Error -3 while decompressing data: incorrect header check"
    )
    with pytest.raises(InvalidInput):
        gunzip(whole + b"trailing junk", 100_000)
    with pytest.raises(InvalidInput):
        gunzip(zlib.compress(b"zlib, not gzip"), 100_000)
    assert gunzip(b"", 10) == b""
