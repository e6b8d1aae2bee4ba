"""Request parts for the Windsurf tests: builders and the seed's four example requests."""

from __future__ import annotations

from typing import Any

from tests.surfaces.windsurf_org import items

USER_DATA = "QUERY_DATA_SOURCE_USER_DATA"
CHAT_DATA = "QUERY_DATA_SOURCE_CHAT_DATA"
COMMAND_DATA = "QUERY_DATA_SOURCE_COMMAND_DATA"
PCW_DATA = "QUERY_DATA_SOURCE_PCW_DATA"


def sel(field: str, name: str | None = None, function: str | None = None) -> dict[str, str]:
    out = {"field": field}
    if name is not None:
        out["name"] = name
    if function is not None:
        out["aggregation_function"] = f"QUERY_AGGREGATION_{function}"
    return out


def flt(name: str, op: str, value: str) -> dict[str, str]:
    return {"name": name, "filter": f"QUERY_FILTER_{op}", "value": value}


def agg(field: str, name: str) -> dict[str, str]:
    return {"field": field, "name": name}


# The seed's four example requests, as written there (service key aside; the Chat example's
# filter name is the seed's translation of latest_intent_type).
USER_EXAMPLE: dict[str, Any] = {
    "data_source": USER_DATA,
    "selections": [
        {"field": "num_acceptances", "name": "total_acceptances",
         "aggregation_function": "QUERY_AGGREGATION_SUM"},
        {"field": "num_lines_accepted", "name": "total_lines",
         "aggregation_function": "QUERY_AGGREGATION_SUM"},
    ],
    "filters": [
        {"name": "hour", "filter": "QUERY_FILTER_GE", "value": "2024-01-01"},
        {"name": "hour", "filter": "QUERY_FILTER_LE", "value": "2024-02-01"},
    ],
}  # fmt: skip
CHAT_EXAMPLE: dict[str, Any] = {
    "data_source": CHAT_DATA,
    "selections": [
        {"field": "chat_loc_used", "name": "líneas_utilizadas",
         "aggregation_function": "QUERY_AGGREGATION_SUM"},
    ],
    "filters": [
        {"name": "latest_intent_type", "filter": "QUERY_FILTER_EQUAL",
         "value": "CHAT_INTENT_FUNCTION_DOCSTRING"},
    ],
    "aggregations": [{"field": "ide", "name": "tipo_de_ide"}],
}  # fmt: skip
COMMAND_EXAMPLE: dict[str, Any] = {
    "data_source": COMMAND_DATA,
    "selections": [
        {"field": "lines_added", "name": "total_líneas_agregadas",
         "aggregation_function": "QUERY_AGGREGATION_SUM"},
        {"field": "lines_removed", "name": "total_líneas_eliminadas",
         "aggregation_function": "QUERY_AGGREGATION_SUM"},
    ],
    "filters": [
        {"name": "provider_source", "filter": "QUERY_FILTER_EQUAL",
         "value": "PROVIDER_SOURCE_COMMAND_EDIT"},
        {"name": "accepted", "filter": "QUERY_FILTER_EQUAL", "value": "true"},
    ],
    "aggregations": [{"field": "language", "name": "lenguaje_de_programación"}],
}  # fmt: skip
PCW_EXAMPLE: dict[str, Any] = {
    "data_source": PCW_DATA,
    "selections": [
        {"field": "percent_code_written", "name": "pcw"},
        {"field": "codeium_bytes", "name": "ai_bytes"},
        {"field": "total_bytes", "name": "total"},
        {"field": "codeium_bytes_by_autocomplete", "name": "autocomplete_bytes"},
        {"field": "codeium_bytes_by_command", "name": "command_bytes"},
    ],
    "filters": [{"filter": "QUERY_FILTER_EQUAL", "name": "language", "value": "GO"}],
}
PCW_RANGE = {"start_timestamp": "2024-01-01T00:00:00Z", "end_timestamp": "2024-12-22T00:00:00Z"}

USER_ANSWER = items({"total_acceptances": "125", "total_lines": "863"})
CHAT_ANSWER = items(
    {"líneas_utilizadas": "74", "tipo_de_ide": "jetbrains"},
    {"líneas_utilizadas": "41", "tipo_de_ide": "vscode"},
)
COMMAND_ANSWER = items(
    {"lenguaje_de_programación": "GO", "total_líneas_agregadas": "31",
     "total_líneas_eliminadas": "27"},
    {"lenguaje_de_programación": "PYTHON", "total_líneas_agregadas": "21",
     "total_líneas_eliminadas": "5"},
)  # fmt: skip
PCW_ANSWER = items(
    {"ai_bytes": "6018", "autocomplete_bytes": "4593", "command_bytes": "1425", "pcw": "0.61",
     "total": "9900"}
)  # fmt: skip


def invalid(message: str) -> tuple[int, dict[str, str]]:
    return 400, {"code": "invalid_argument", "message": message}


def query(source: str = USER_DATA, **parts: Any) -> dict[str, Any]:
    return {"data_source": source, **parts}


SUM_ACCEPTANCES = sel("num_acceptances", "total", "SUM")
