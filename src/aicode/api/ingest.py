"""POST /api/v1/ingest: batches of facts, acknowledged once durably stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from aicode.api.deps import IngestOrg, OwnIngestOrg, SettingsDep, StoreDep
from aicode.api.errors import error_body
from aicode.errors import InvalidInput, PayloadTooLarge
from aicode.ingest.service import ingest_body
from aicode.model.tenancy import Organization
from aicode.settings import Settings
from aicode.store.base import IngestOutcome, Store

router = APIRouter(tags=["ingest"])

_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "description": "A JSON array of facts (application/json), or NDJSON, one fact per "
        "line (application/x-ndjson); may be gzip (Content-Encoding: gzip). Fact types: "
        "completion, chat, change, commit, typing. See docs/ingest.md.",
        "content": {
            "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            "application/x-ndjson": {"schema": {"type": "string"}},
        },
        "required": True,
    }
}


def _is_gzip(request: Request) -> bool:
    encoding = request.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return False
    if encoding in ("gzip", "x-gzip"):
        return True
    raise InvalidInput(
        f"unsupported Content-Encoding {encoding!r}: send gzip or no encoding",
        field="Content-Encoding",
    )


def _is_json_array(request: Request) -> bool:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media_type == "application/json"


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"body exceeds {limit} bytes", field="body")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"body exceeds {limit} bytes", field="body")
        chunks.append(chunk)
    return b"".join(chunks)


def _answer(outcome: IngestOutcome) -> JSONResponse:
    body: dict[str, Any] = {
        "accepted": outcome.accepted,
        "duplicates": outcome.duplicates,
        "rejected": [r.as_dict() for r in outcome.rejected],
    }
    if outcome.rejected and not outcome.accepted and not outcome.duplicates:
        first = outcome.rejected[0]
        where = f"item {first.index}" + (f", field {first.field}" if first.field else "")
        message = f"no fact in the batch was valid ({where}: {first.reason})"
        return JSONResponse(
            error_body("invalid_input", message, first.field) | body, status_code=400
        )
    return JSONResponse(body)


async def _ingest(
    request: Request, store: Store, settings: Settings, org: Organization
) -> JSONResponse:
    gzip = _is_gzip(request)
    body = await _read_body(request, settings.max_body_bytes)
    outcome = await run_in_threadpool(
        ingest_body,
        store,
        org,
        body,
        gzip=gzip,
        max_body_bytes=settings.max_body_bytes,
        max_items=settings.max_batch_items,
        json_array=_is_json_array(request),
    )
    return _answer(outcome)


@router.post("/api/v1/ingest", openapi_extra=_BODY_DOC, summary="Ingest facts")
async def ingest(
    request: Request, store: StoreDep, settings: SettingsDep, org: OwnIngestOrg
) -> JSONResponse:
    """Store a batch of facts for the token's organization."""
    return await _ingest(request, store, settings, org)


@router.post(
    "/api/v1/organizations/{organization_id}/ingest",
    openapi_extra=_BODY_DOC,
    summary="Ingest facts into a named organization",
)
async def ingest_into(
    request: Request, store: StoreDep, settings: SettingsDep, org: IngestOrg
) -> JSONResponse:
    """Store a batch of facts for the organization the path names."""
    return await _ingest(request, store, settings, org)
