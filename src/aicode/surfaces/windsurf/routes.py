"""``POST /api/v1/Analytics``: Windsurf's custom Analytics query API over the metrics layer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from aicode.api.auth import authenticate, authorize_org
from aicode.api.deps import SettingsDep, StoreDep
from aicode.errors import Forbidden, InvalidInput, PayloadTooLarge, Unauthenticated
from aicode.metrics.query import run_queries
from aicode.model.tenancy import Organization, Scope
from aicode.store.base import Store
from aicode.surfaces.windsurf.answer import WINDSURF, answer_body
from aicode.surfaces.windsurf.request import parse_request, service_key

_SELECTION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["field"],
    "properties": {
        "field": {"type": "string", "example": "num_acceptances"},
        "name": {"type": "string", "example": "total_acceptances"},
        "aggregation_function": {"type": "string", "example": "QUERY_AGGREGATION_SUM"},
    },
}
_FILTER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "filter", "value"],
    "properties": {
        "name": {"type": "string", "example": "language"},
        "filter": {"type": "string", "example": "QUERY_FILTER_EQUAL"},
        "value": {"type": "string", "example": "PYTHON"},
    },
}
_AGGREGATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["field", "name"],
    "properties": {"field": {"type": "string"}, "name": {"type": "string"}},
}
_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["service_key", "query_requests"],
                    "properties": {
                        "service_key": {"type": "string", "description": "A read token."},
                        "group_name": {"type": "string"},
                        "start_timestamp": {"type": "string", "format": "date-time"},
                        "end_timestamp": {"type": "string", "format": "date-time"},
                        "query_requests": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["data_source", "selections"],
                                "properties": {
                                    "data_source": {
                                        "type": "string",
                                        "example": "QUERY_DATA_SOURCE_USER_DATA",
                                    },
                                    "selections": {"type": "array", "items": _SELECTION_SCHEMA},
                                    "filters": {"type": "array", "items": _FILTER_SCHEMA},
                                    "aggregations": {
                                        "type": "array",
                                        "items": _AGGREGATION_SCHEMA,
                                    },
                                },
                            },
                        },
                    },
                }
            }
        },
    }
}


router = WINDSURF.router(tags=["windsurf"])


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"the request body exceeds {limit} bytes", field="body")
    body = await request.body()
    if len(body) > limit:
        raise PayloadTooLarge(f"the request body exceeds {limit} bytes", field="body")
    return body


def _document(body: bytes) -> Any:
    if not body.strip():
        raise InvalidInput("the request body is empty", field="body")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"the request body is not valid JSON: {exc}", field="body") from exc


def _organization(store: Store, secret: str) -> Organization:
    if not secret:
        raise Unauthenticated("service_key is required", field="service_key")
    try:
        token = authenticate(store, secret, Scope.READ)
    except Unauthenticated as exc:
        raise Unauthenticated("service_key is not valid", field="service_key") from exc
    except Forbidden as exc:
        raise Forbidden("service_key lacks the read scope", field="service_key") from exc
    return authorize_org(store, token, None)


@router.post("/api/v1/Analytics", openapi_extra=_DOC, summary="Custom Analytics query")
async def analytics(request: Request, store: StoreDep, settings: SettingsDep) -> JSONResponse:
    """Run each query request over the service key's organization and answer them in order."""
    document = _document(await _body(request, settings.max_body_bytes))
    secret = service_key(document)
    org = await run_in_threadpool(_organization, store, secret)
    parsed = parse_request(document)
    results = await run_in_threadpool(
        run_queries,
        store,
        parsed.scope(org.num),
        parsed.queries,
        max_rows=settings.query_max_rows,
    )
    return JSONResponse(answer_body(results))


def _procedure(path_params: Mapping[str, Any]) -> bool:
    # Windsurf's procedures are PascalCase names right under /api/v1/ (Analytics,
    # UserPageAnalytics, CascadeAnalytics); the native API's paths there are lower-case.
    return str(path_params.get("procedure", ""))[:1].isupper()


# Last, so that the route above is tried first: another procedure answers 404 as Connect.
WINDSURF.fallback(
    router, ("/api/v1/{procedure}", "/api/v1/{procedure}/{rest:path}"), when=_procedure
)
