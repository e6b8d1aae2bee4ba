"""Turn an ingest body (JSON array or NDJSON, optionally gzip) into facts and rejections."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

import msgspec

from aicode.errors import InvalidInput, PayloadTooLarge
from aicode.model.facts import Fact
from aicode.store.base import Rejection

_fact_decoder: msgspec.json.Decoder[Fact] = msgspec.json.Decoder(Fact)
_raw_array_decoder: msgspec.json.Decoder[list[msgspec.Raw]] = msgspec.json.Decoder(
    list[msgspec.Raw]
)
_AT_PATH = re.compile(r"^(?P<reason>.*?) - at `\$(?P<path>[^`]*)`$")
_MISSING = re.compile(r"^Object missing required field `(?P<field>[^`]+)`")


def gunzip(body: bytes, limit: int) -> bytes:
    """Decompress a gzip body, refusing to inflate past ``limit`` bytes (413).

    Every member of a multi-member stream is read (``cat a.gz b.gz`` is valid gzip), and a
    truncated stream is refused rather than silently cut short.
    """
    if not body:
        return body
    out = bytearray()
    rest = body
    while rest:
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(rest, limit + 1 - len(out))
        except zlib.error as exc:
            raise InvalidInput(f"body is not valid gzip: {exc}", field="body") from exc
        if len(out) > limit or inflater.unconsumed_tail:
            raise PayloadTooLarge(f"decompressed body exceeds {limit} bytes", field="body")
        if not inflater.eof:
            raise InvalidInput("body is not valid gzip: the stream is truncated", field="body")
        rest = inflater.unused_data
    return bytes(out)


def _json_error(exc: msgspec.MsgspecError) -> str:
    return str(exc).removeprefix("JSON is malformed: ")


def _field_and_reason(error: msgspec.ValidationError) -> tuple[str | None, str]:
    text = str(error)
    match = _AT_PATH.match(text)
    if match:
        path = match.group("path").lstrip(".")
        missing = _MISSING.match(match.group("reason"))
        if missing:
            return f"{path}.{missing.group('field')}", "required field is missing"
        return path or None, match.group("reason")
    missing = _MISSING.match(text)
    if missing:
        return missing.group("field"), "required field is missing"
    return None, text


def decode_item(raw: bytes | msgspec.Raw, index: int) -> Fact | Rejection:
    """Decode one fact, or explain which field is wrong."""
    try:
        return _fact_decoder.decode(raw)
    except msgspec.ValidationError as exc:
        field, reason = _field_and_reason(exc)
        if field == "type" and reason.startswith("Invalid value"):
            reason = "unknown fact type " + reason.removeprefix("Invalid value ").strip()
        return Rejection(index, field, reason)
    except msgspec.DecodeError as exc:
        return Rejection(index, None, f"malformed JSON: {_json_error(exc)}")


def _ndjson_lines(body: bytes) -> Iterator[bytes]:
    for line in body.split(b"\n"):
        stripped = line.strip()
        if stripped:
            yield stripped


def decode_batch(
    body: bytes, *, max_items: int, json_array: bool = False
) -> list[Fact | Rejection]:
    """Decode every item of a batch; one bad item never hides the good ones.

    ``json_array``: the body was declared ``application/json``, so it must be a JSON array
    (NDJSON is recognised only when the content type does not claim plain JSON).
    """
    stripped = body.lstrip()
    if not stripped:
        raise InvalidInput("body is empty: send a JSON array or NDJSON of facts", field="body")
    if stripped[:1] == b"[":
        try:
            raws: list[msgspec.Raw | bytes] = list(_raw_array_decoder.decode(stripped))
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise InvalidInput(
                f"body is not a valid JSON array: {_json_error(exc)}", field="body"
            ) from exc
    elif json_array:
        raise InvalidInput(
            "body must be a JSON array of facts for Content-Type application/json"
            " (send NDJSON as application/x-ndjson)",
            field="body",
        )
    elif stripped[:1] == b"{":
        raws = list(_ndjson_lines(stripped))
    else:
        raise InvalidInput(
            "body must be a JSON array of facts or NDJSON (one fact object per line)",
            field="body",
        )
    if len(raws) > max_items:
        raise PayloadTooLarge(f"batch has {len(raws)} facts; at most {max_items} per request")
    return [decode_item(raw, index) for index, raw in enumerate(raws)]
