"""Reading a Windsurf Analytics request body into query specs.

Keys are the seed's snake_case names; the lowerCamelCase forms that protobuf JSON also
accepts (``queryRequests``, ``aggregationFunction``) are read too. Unknown keys are refused so
that a misspelt key is not silently ignored. Enum values are the seed's full names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Final

from aicode.errors import InvalidInput
from aicode.metrics.filters import Filters
from aicode.metrics.query import Aggregate, Condition, FilterOp, GroupKey, QuerySpec, Selection
from aicode.metrics.query.values import parse_instant, quoted

DATA_SOURCES: Final[dict[str, str]] = {
    "QUERY_DATA_SOURCE_USER_DATA": "completions",
    "QUERY_DATA_SOURCE_CHAT_DATA": "chats",
    "QUERY_DATA_SOURCE_COMMAND_DATA": "commands",
    "QUERY_DATA_SOURCE_PCW_DATA": "code_written",
}
FUNCTIONS: Final[dict[str, Aggregate]] = {f"QUERY_AGGREGATION_{a.name}": a for a in Aggregate}
OPERATORS: Final[dict[str, FilterOp]] = {f"QUERY_FILTER_{op.name}": op for op in FilterOp}

MAX_QUERIES = 20
MAX_PARTS = 50  # selections, filters or aggregations in one query
MAX_TEXT = 256

_TOP = ("service_key", "group_name", "query_requests", "start_timestamp", "end_timestamp")
_QUERY = ("data_source", "selections", "filters", "aggregations")
_SELECTION = ("field", "name", "aggregation_function")
_FILTER = ("name", "filter", "value")
_AGGREGATION = ("field", "name")


@dataclasses.dataclass(frozen=True)
class AnalyticsRequest:
    """A parsed request: the group to restrict to, PCW's time bounds and the queries."""

    group_name: str | None
    start: dt.datetime | None
    end: dt.datetime | None
    queries: tuple[QuerySpec, ...]

    def scope(self, org_num: int) -> Filters:
        """The organization, group and time bounds every query runs over."""
        return Filters(
            org_num=org_num, group_name=self.group_name, since=self.start, until=self.end
        )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _members(value: Any, allowed: tuple[str, ...], where: str) -> dict[str, Any]:
    """An object's members under their snake_case names; unknown or repeated ones refused."""
    if not isinstance(value, dict):
        raise InvalidInput(f"{where} must be a JSON object", field=where)
    names = {n: n for n in allowed} | {_camel(n): n for n in allowed}
    members: dict[str, Any] = {}
    for key, item in value.items():
        name = names.get(key)
        if name is None:
            expected = ", ".join(allowed)
            raise InvalidInput(
                f"{where}: unknown field {quoted(key)}; expected {expected}", field=where
            )
        if name in members:
            raise InvalidInput(f"{where}: {name} is given twice", field=f"{where}.{name}")
        if item is not None:  # protobuf JSON: null means "not set"
            members[name] = item
    return members


def _path(where: str, name: str) -> str:
    return f"{where}.{name}" if where != "request" else name


def _text(members: dict[str, Any], name: str, where: str, *, required: bool = False) -> str:
    path = _path(where, name)
    value = members.get(name, "")
    if not isinstance(value, str):
        raise InvalidInput(f"{path} must be a string", field=path)
    if required and not value:
        raise InvalidInput(f"{path} is required", field=path)
    if len(value) > MAX_TEXT:
        raise InvalidInput(f"{path} is longer than {MAX_TEXT} characters", field=path)
    return value


def _list(
    members: dict[str, Any], name: str, where: str, *, required: bool, most: int
) -> list[Any]:
    path = _path(where, name)
    value = members.get(name, [])
    if not isinstance(value, list):
        raise InvalidInput(f"{path} must be a JSON array", field=path)
    if required and not value:
        raise InvalidInput(f"{path} must not be empty", field=path)
    if len(value) > most:
        raise InvalidInput(f"{path} has {len(value)} entries; at most {most}", field=path)
    return value


def _enum(text: str, names: dict[str, Any], path: str, what: str) -> Any:
    if text not in names:
        raise InvalidInput(
            f"{path}: unknown {what} {quoted(text)}; expected one of {', '.join(names)}",
            field=path,
        )
    return names[text]


def _selection(value: Any, where: str) -> Selection:
    members = _members(value, _SELECTION, where)
    function = _text(members, "aggregation_function", where) or "QUERY_AGGREGATION_UNSPECIFIED"
    return Selection(
        field=_text(members, "field", where, required=True),
        name=_text(members, "name", where) or None,
        function=_enum(function, FUNCTIONS, f"{where}.aggregation_function", "function"),
    )


def _filter(value: Any, where: str) -> Condition:
    members = _members(value, _FILTER, where)
    if "value" not in members:
        raise InvalidInput(f"{where}.value is required", field=f"{where}.value")
    operator = _text(members, "filter", where, required=True)
    return Condition(
        field=_text(members, "name", where, required=True),
        op=_enum(operator, OPERATORS, f"{where}.filter", "filter"),
        value=_text(members, "value", where),
    )


def _aggregation(value: Any, where: str) -> GroupKey:
    members = _members(value, _AGGREGATION, where)
    return GroupKey(
        field=_text(members, "field", where, required=True),
        name=_text(members, "name", where, required=True),
    )


def _query(value: Any, where: str) -> QuerySpec:
    members = _members(value, _QUERY, where)
    source = _text(members, "data_source", where, required=True)
    parts = {
        name: _list(members, name, where, required=name == "selections", most=MAX_PARTS)
        for name in ("selections", "filters", "aggregations")
    }
    return QuerySpec(
        source=_enum(source, DATA_SOURCES, f"{where}.data_source", "data source"),
        selections=tuple(
            _selection(s, f"{where}.selections[{i}]") for i, s in enumerate(parts["selections"])
        ),
        conditions=tuple(
            _filter(f, f"{where}.filters[{i}]") for i, f in enumerate(parts["filters"])
        ),
        keys=tuple(
            _aggregation(a, f"{where}.aggregations[{i}]")
            for i, a in enumerate(parts["aggregations"])
        ),
        location=where,
    )


def _instant(members: dict[str, Any], name: str) -> dt.datetime | None:
    text = _text(members, name, "request")
    if not text:
        return None
    instant = parse_instant(text)
    if instant is None:
        raise InvalidInput(
            f"{name}: {quoted(text)} is not an RFC 3339 time (2024-01-01T00:00:00Z)", field=name
        )
    return instant


def service_key(document: Any) -> str:
    """The ``service_key`` of a body, or "" when it has none (checked before anything else)."""
    if not isinstance(document, dict):
        raise InvalidInput("the request body must be a JSON object", field="body")
    value = document.get("service_key", document.get("serviceKey"))
    return value if isinstance(value, str) else ""


def parse_request(document: Any) -> AnalyticsRequest:
    """Every part of a body, checked for shape; field names and values are checked later."""
    members = _members(document, _TOP, "request")
    start, end = _instant(members, "start_timestamp"), _instant(members, "end_timestamp")
    if start is not None and end is not None and start > end:
        raise InvalidInput("start_timestamp is after end_timestamp", field="start_timestamp")
    queries = _list(members, "query_requests", "request", required=True, most=MAX_QUERIES)
    return AnalyticsRequest(
        group_name=_text(members, "group_name", "request") or None,
        start=start,
        end=end,
        queries=tuple(_query(q, f"query_requests[{i}]") for i, q in enumerate(queries)),
    )
