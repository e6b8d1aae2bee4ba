"""Identity administration: people, their aliases and departments, in bulk as HR feeds them.

Everything lives under ``/api/v1/organizations/{organization_id}/``. Writes need an
``admin`` token; listing and resolving people and departments needs ``read``. People can be
posted as JSON or as the same CSV the ``aicode users import`` command reads (one parser,
``aicode.directory.people``), and re-posting a person with another department moves them:
metrics use current membership.

    POST people                 bulk create/update/move (JSON or text/csv; ?dryRun=true)
    GET  people                 the directory's people
    GET  users/{ref}            resolve any identity to a person
    POST users/{ref}/aliases    add identities to a person
    GET  departments/tree       the department tree
    POST departments            create a department with its parents

The read API owns ``GET users`` and ``GET departments`` (people and departments with their
metrics), hence ``GET people`` and ``GET departments/tree`` for the plain directory.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from aicode.api.deps import AdminOrg, ReadOrg, SettingsDep, StoreDep
from aicode.api.errors import error_response
from aicode.directory.people import (
    InvalidPeople,
    department_parts,
    normalize_aliases,
    people_from_csv,
    people_from_json,
)
from aicode.directory.plan import preview_import
from aicode.directory.views import department_json, tree_order, user_json
from aicode.errors import InvalidInput, NotFound, PayloadTooLarge
from aicode.model.tenancy import Organization, User
from aicode.store.base import PersonRecord, Store

router = APIRouter(prefix="/api/v1/organizations/{organization_id}", tags=["admin"])

_CSV_TYPES = frozenset({"text/csv", "application/csv"})
_PERSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["email"],
    "properties": {
        "email": {"type": "string"},
        "name": {"type": "string", "nullable": True},
        "department": {"type": "string", "nullable": True, "example": "Eng/Platform"},
        "groups": {"type": "array", "items": {"type": "string"}, "nullable": True},
        "aliases": {"type": "array", "items": {"type": "string"}},
        "privacyMode": {"type": "boolean", "nullable": True},
    },
}
_PEOPLE_DOC: dict[str, Any] = {
    "requestBody": {
        "description": "People as JSON, or CSV with header email,name,department,groups,aliases"
        " (optional privacy_mode); groups and aliases separated by ';' or '|'. Empty values "
        'leave stored values unchanged; JSON "groups": [] clears a person\'s groups.',
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["people"],
                    "properties": {"people": {"type": "array", "items": _PERSON_SCHEMA}},
                }
            },
            "text/csv": {"schema": {"type": "string"}},
        },
        "required": True,
    }
}
_ALIASES_DOC: dict[str, Any] = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["aliases"],
                    "properties": {"aliases": {"type": "array", "items": {"type": "string"}}},
                }
            }
        },
        "required": True,
    }
}
_DEPARTMENT_DOC: dict[str, Any] = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["path"],
                    "properties": {"path": {"type": "string", "example": "Eng/Platform"}},
                }
            }
        },
        "required": True,
    }
}


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"body exceeds {limit} bytes", field="body")
    body = await request.body()
    if len(body) > limit:
        raise PayloadTooLarge(f"body exceeds {limit} bytes", field="body")
    return body


def _json(body: bytes) -> Any:
    if not body.strip():
        raise InvalidInput("the request body is empty", field="body")
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"the body is not valid JSON: {exc}", field="body") from exc


def _object(body: bytes, key: str) -> dict[str, Any]:
    """A JSON object body with exactly the key given."""
    value = _json(body)
    if not isinstance(value, dict) or key not in value:
        raise InvalidInput(f'expected a JSON object with "{key}"', field=key)
    unknown = sorted(set(value) - {key})
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}", field=unknown[0])
    return value


def _invalid_people(exc: InvalidPeople) -> JSONResponse:
    return error_response(exc, errors=[e.as_dict() for e in exc.errors])


def _find(store: Store, org: Organization, ref: str) -> User:
    user = store.find_user(org, ref)
    if user is None:
        raise NotFound(f"no user is known as {ref!r}", field="ref")
    return user


@router.post("/people", openapi_extra=_PEOPLE_DOC, summary="Create, update or move people")
async def post_people(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    org: AdminOrg,
    dry_run: Annotated[bool, Query(alias="dryRun")] = False,
) -> JSONResponse:
    """Create or update people with their departments, groups and aliases, all or nothing.

    With ``?dryRun=true`` nothing is written and the answer says what would change.
    """
    body = await _body(request, settings.max_body_bytes)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        if media in _CSV_TYPES:
            people = people_from_csv(body)
        elif media in ("", "application/json"):
            people = people_from_json(_json(body))
        else:
            raise InvalidInput(
                f"unsupported Content-Type {media!r}; send application/json or text/csv",
                field="Content-Type",
            )
    except InvalidPeople as exc:
        return _invalid_people(exc)
    if dry_run:
        plan = await run_in_threadpool(preview_import, store, org, people)
        result = plan.result()
    else:
        result = await run_in_threadpool(store.import_people, org, people)
    return JSONResponse(result.as_dict() | {"dryRun": dry_run})


@router.get("/people", summary="List people as the directory holds them")
def list_people(store: StoreDep, org: ReadOrg) -> dict[str, Any]:
    """Every user of the organization, by numeric id (``GET users`` ranks them by metrics)."""
    return {"people": [user_json(u) for u in store.list_users(org)]}


@router.get("/users/{ref}", summary="Resolve any identity to a person")
def get_user(ref: str, store: StoreDep, org: ReadOrg) -> dict[str, Any]:
    """The user an email, UUID, ``user_...`` id, numeric id or alias names."""
    return user_json(_find(store, org, ref))


@router.post(
    "/users/{ref}/aliases", openapi_extra=_ALIASES_DOC, summary="Add identities to a person"
)
async def post_aliases(
    ref: str, request: Request, store: StoreDep, settings: SettingsDep, org: AdminOrg
) -> dict[str, Any]:
    """Make more identities (git emails, Cursor ``user_`` ids, Lingma ids) name a person.

    409 when an alias already names someone else; an auto-created user without facts that
    only an alias names is merged into the person instead.
    """
    value = _object(await _body(request, settings.max_body_bytes), "aliases")["aliases"]
    if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
        raise InvalidInput("aliases must be a list of strings", field="aliases")
    try:
        aliases = normalize_aliases(value)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="aliases") from exc
    if not aliases:
        raise InvalidInput("aliases must name at least one alias", field="aliases")
    user = await run_in_threadpool(_find, store, org, ref)
    if user.email is None:
        raise InvalidInput(
            "this user has no email; aliases cannot be added through the API", field="ref"
        )
    person = PersonRecord(email=user.email, aliases=aliases)
    result = await run_in_threadpool(store.import_people, org, [person])
    updated = await run_in_threadpool(_find, store, org, user.id)
    return {
        "user": user_json(updated),
        "aliasesAdded": result.aliases_added,
        "usersMerged": result.users_merged,
    }


@router.get("/departments/tree", summary="List the department tree")
def department_tree(store: StoreDep, org: ReadOrg) -> dict[str, Any]:
    """Every department, parents before children (``GET departments`` adds their totals)."""
    departments = sorted(store.list_departments(org), key=tree_order)
    return {"departments": [department_json(d) for d in departments]}


@router.post("/departments", openapi_extra=_DEPARTMENT_DOC, summary="Create a department")
async def post_department(
    request: Request, store: StoreDep, settings: SettingsDep, org: AdminOrg
) -> JSONResponse:
    """Create the department at a path with any missing parents (201), or find it (200)."""
    path = _object(await _body(request, settings.max_body_bytes), "path")["path"]
    if not isinstance(path, str):
        raise InvalidInput("path must be a string like 'Eng/Platform'", field="path")
    try:
        normalized = "/".join(department_parts(path))
    except ValueError as exc:
        raise InvalidInput(str(exc), field="path") from exc
    before = {d.path.lower() for d in await run_in_threadpool(store.list_departments, org)}
    department = await run_in_threadpool(store.ensure_department, org, normalized)
    status = 200 if department.path.lower() in before else 201
    return JSONResponse(department_json(department), status_code=status)
