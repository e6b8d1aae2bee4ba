"""The Windsurf property test's organization and its oracle: answers computed in plain Python.

Rows per data source, filters, groups and aggregates, from the facts as sent, without the
catalog or SQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable
from typing import Any

INTENTS = ["CHAT_INTENT_GENERIC", "CHAT_INTENT_FUNCTION_EXPLAIN", "CHAT_INTENT_FUNCTION_DOCSTRING"]
COMMAND_SOURCES = ["COMMAND_REQUEST_SOURCE_DEFAULT", "COMMAND_REQUEST_SOURCE_PLAN"]
PROVIDERS = ["PROVIDER_SOURCE_COMMAND_GENERATE", "PROVIDER_SOURCE_COMMAND_EDIT"]
USERS = ["u0@p.dev", "u1@p.dev", "u2@p.dev", "u3@p.dev"]
GROUPS = {"u0@p.dev": ["g1"], "u1@p.dev": ["g1", "g2"], "u2@p.dev": ["g2"], "u3@p.dev": []}
DAYS = [dt.datetime(2024, 3, d, tzinfo=dt.UTC) for d in (1, 2, 3)]
HOURS = [0, 1, 9, 10, 22, 23]


def _moment(rng: random.Random) -> dt.datetime:
    return rng.choice(DAYS) + dt.timedelta(hours=rng.choice(HOURS), minutes=rng.randrange(60))


def make_facts(seed: int = 7) -> list[dict[str, Any]]:
    """A varied, repeatable set of facts of every kind."""
    rng = random.Random(seed)
    facts: list[dict[str, Any]] = []

    def common(kind: str, index: int) -> dict[str, Any]:
        return {
            "type": kind,
            "id": f"{kind}-{index}",
            "user": rng.choice(USERS),
            "ts": _moment(rng).isoformat().replace("+00:00", "Z"),
            "ide": rng.choice(["vscode", "jetbrains"]),
            "clientVersion": rng.choice(["1.0", "2.0"]),
            "language": rng.choice(["python", "go", "rust"]),
        }

    for i in range(70):
        suggested = rng.randrange(1, 20)
        facts.append(
            common("completion", i)
            | {"countSuggested": suggested, "countAccepted": rng.randrange(suggested + 1),
               "linesAccepted": rng.randrange(30), "bytesAccepted": rng.randrange(900)}
        )  # fmt: skip
    for i in range(40):
        facts.append(
            common("chat", i)
            | {"chatType": rng.choice([*INTENTS, "FREE_INPUT"]), "model": rng.choice(["m1", "m2"]),
               "accepted": rng.random() < 0.5, "insertedAtCursor": rng.random() < 0.3,
               "applied": rng.random() < 0.3, "locUsed": rng.randrange(40)}
        )  # fmt: skip
    for i in range(40):
        fact = common("change", i)
        fact |= {
            "source": rng.choice(["COMMAND", "COMMAND", "AGENT"]),
            "accepted": rng.random() < 0.7,
            "commandSource": rng.choice([*COMMAND_SOURCES, ""]),
            "providerSource": rng.choice(PROVIDERS),
            "selectionLines": rng.randrange(10),
            "selectionBytes": rng.randrange(300),
            "files": [{"fileName": f"f{i}.txt", "linesAdded": rng.randrange(50),
                       "linesDeleted": rng.randrange(20), "bytesAdded": rng.randrange(999),
                       "bytesRemoved": rng.randrange(99)}],
        }  # fmt: skip
        facts.append(fact)
    for i in range(30):
        facts.append(
            common("typing", i)
            | {"userBytes": rng.randrange(500), "aiBytesAutocomplete": rng.randrange(500),
               "aiBytesCommand": rng.randrange(200)}
        )  # fmt: skip
    return facts


# -- the oracle: rows per data source, in plain Python ------------------------------------------


def _when(fact: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(fact["ts"]).replace(tzinfo=None)


def source_rows(facts: list[dict[str, Any]], source: str) -> list[dict[str, Any]]:
    """Each data source's rows as the seed describes them (before any filter)."""
    rows: list[dict[str, Any]] = []
    if source == "USER":
        merged: dict[tuple[Any, ...], dict[str, Any]] = {}
        for f in (f for f in facts if f["type"] == "completion"):
            hour = _when(f).replace(minute=0, second=0, microsecond=0)
            key = (f["user"], hour, f["ide"], f["clientVersion"], f["language"])
            row = merged.setdefault(
                key,
                {"user": f["user"], "t": hour, "ide": f["ide"], "version": f["clientVersion"],
                 "language": f["language"].upper(), "num_acceptances": 0,
                 "num_lines_accepted": 0, "num_bytes_accepted": 0},
            )  # fmt: skip
            row["num_acceptances"] += f["countAccepted"]
            row["num_lines_accepted"] += f["linesAccepted"]
            row["num_bytes_accepted"] += f["bytesAccepted"]
        return list(merged.values())
    for f in facts:
        base = {"user": f["user"], "t": _when(f), "ide": f["ide"], "version": f["clientVersion"]}
        if source == "CHAT" and f["type"] == "chat":
            rows.append(
                base
                | {"model_id": f["model"], "latest_intent_type": f["chatType"],
                   "num_chats_received": 1, "chat_accepted": f["accepted"],
                   "chat_inserted_at_cursor": f["insertedAtCursor"], "chat_applied": f["applied"],
                   "chat_loc_used": f["locUsed"]}
            )  # fmt: skip
        elif source == "COMMAND" and f["type"] == "change" and f["source"] == "COMMAND":
            file = f["files"][0]
            rows.append(
                base
                | {"language": f["language"].upper(), "command_source": f["commandSource"],
                   "provider_source": f["providerSource"], "lines_added": file["linesAdded"],
                   "lines_removed": file["linesDeleted"], "bytes_added": file["bytesAdded"],
                   "bytes_removed": file["bytesRemoved"],
                   "selection_lines": f["selectionLines"],
                   "selection_bytes": f["selectionBytes"], "accepted": f["accepted"]}
            )  # fmt: skip
        elif source == "PCW" and f["type"] == "typing":
            rows.append(
                base
                | {"language": f["language"].upper(), "user_bytes": f["userBytes"],
                   "auto": f["aiBytesAutocomplete"], "command": f["aiBytesCommand"]}
            )  # fmt: skip
    return rows


# Field -> (kind, functions): the seed's tables. Kinds: text, enum, date, time, int, flag,
# distinct, total. "date UTC+N" fields are added by the strategy.
DIM = ("UNSPECIFIED", "COUNT")
NUM = ("SUM", "MAX", "MIN", "AVG")
FLAG = ("SUM", "COUNT")
FIELDS: dict[str, dict[str, tuple[str, tuple[str, ...]]]] = {
    "USER": {
        "api_key": ("text", DIM), "date": ("date", DIM), "hour": ("time", DIM),
        "language": ("text", DIM), "ide": ("text", DIM), "version": ("text", DIM),
        "num_acceptances": ("int", NUM), "num_lines_accepted": ("int", NUM),
        "num_bytes_accepted": ("int", NUM), "distinct_users": ("distinct", DIM),
        "distinct_developer_days": ("distinct", DIM),
        "distinct_developer_hours": ("distinct", DIM),
    },
    "CHAT": {
        "api_key": ("text", DIM), "model_id": ("text", DIM), "date": ("date", DIM),
        "ide": ("text", DIM), "version": ("text", DIM), "latest_intent_type": ("enum", DIM),
        "num_chats_received": ("int", NUM), "chat_accepted": ("flag", FLAG),
        "chat_inserted_at_cursor": ("flag", FLAG), "chat_applied": ("flag", FLAG),
        "chat_loc_used": ("int", NUM),
    },
    "COMMAND": {
        "api_key": ("text", DIM), "date": ("date", DIM), "timestamp": ("time", DIM),
        "language": ("text", DIM), "ide": ("text", DIM), "version": ("text", DIM),
        "command_source": ("enum", DIM), "provider_source": ("enum", DIM),
        "lines_added": ("int", NUM), "lines_removed": ("int", NUM), "bytes_added": ("int", NUM),
        "bytes_removed": ("int", NUM), "selection_lines": ("int", NUM),
        "selection_bytes": ("int", NUM), "accepted": ("flag", FLAG),
    },
    "PCW": {
        "percent_code_written": ("total", ("UNSPECIFIED",)),
        "codeium_bytes": ("total", ("UNSPECIFIED",)), "user_bytes": ("total", ("UNSPECIFIED",)),
        "total_bytes": ("total", ("UNSPECIFIED",)),
        "codeium_bytes_by_autocomplete": ("total", ("UNSPECIFIED",)),
        "codeium_bytes_by_command": ("total", ("UNSPECIFIED",)),
    },
}  # fmt: skip
PCW_FILTERS = {"language": "text", "ide": "text", "version": "text"}


def value_of(row: dict[str, Any], field: str, user_ids: dict[str, str]) -> Any:
    """A row-level field's value."""
    if field == "api_key":
        return hashlib.md5(user_ids[row["user"]].encode()).hexdigest()
    if field == "date":
        return row["t"].date()
    if field.startswith("date UTC"):
        return (row["t"] + dt.timedelta(hours=int(field[8:]))).date()
    if field in ("hour", "timestamp"):
        return row["t"]
    return row[field]


def kind_of(source: str, field: str) -> str:
    if field.startswith("date UTC"):
        return "date"
    if source == "PCW" and field in PCW_FILTERS:
        return "text"
    return FIELDS[source][field][0]


def parse_filter_value(kind: str, field: str, text: str) -> Any:
    if kind == "date":
        return dt.date.fromisoformat(text)
    if kind == "time":
        parsed = dt.datetime.fromisoformat(text)
        return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
    if kind == "int":
        return int(text)
    if kind == "flag":
        return text.lower() == "true"
    if field == "ide" or field == "api_key":
        return text.strip().lower()
    if field == "language" or kind == "enum":
        return text.strip().upper()
    return text.strip()


COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "EQUAL": lambda a, b: a == b,
    "NOT_EQUAL": lambda a, b: a != b,
    "GREATER_THAN": lambda a, b: a > b,
    "LESS_THAN": lambda a, b: a < b,
    "GE": lambda a, b: a >= b,
    "LE": lambda a, b: a <= b,
}


def aggregate(
    rows: list[dict[str, Any]], field: str, function: str, user_ids: dict[str, str]
) -> Any:
    if field == "distinct_users":
        return len({r["user"] for r in rows})
    if field == "distinct_developer_days":
        return len({(r["user"], r["t"].date()) for r in rows})
    if field == "distinct_developer_hours":
        return len({(r["user"], r["t"]) for r in rows})
    if field in FIELDS["PCW"]:
        user = sum(r["user_bytes"] for r in rows)
        auto = sum(r["auto"] for r in rows)
        command = sum(r["command"] for r in rows)
        return {
            "percent_code_written": (auto + command) / (user + auto + command)
            if user + auto + command
            else 0.0,
            "codeium_bytes": auto + command,
            "user_bytes": user,
            "total_bytes": user + auto + command,
            "codeium_bytes_by_autocomplete": auto,
            "codeium_bytes_by_command": command,
        }[field]
    if function == "COUNT":
        return len(rows)
    values = [int(value_of(r, field, user_ids)) for r in rows]
    if function == "SUM":
        return sum(values)
    if not values:
        return None
    if function == "AVG":
        return sum(values) / len(values)
    return max(values) if function == "MAX" else min(values)


def as_text(value: Any) -> Any:
    """Expected strings; floats stay floats, compared with a tolerance."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat() + "Z"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return value
    return str(value)


def expected_answer(
    facts: list[dict[str, Any]], request: dict[str, Any], user_ids: dict[str, str]
) -> list[dict[str, Any]]:
    """The items of one query request, in key order."""
    source = request["source"]
    rows = source_rows(facts, source)
    if request["group"] is not None:
        rows = [r for r in rows if request["group"] in GROUPS[r["user"]]]
    if source == "PCW":
        start, end = request["bounds"]
        rows = [r for r in rows if start <= r["t"] <= end]
    for field, op, text in request["filters"]:
        kind = kind_of(source, field)
        wanted = parse_filter_value(kind, field, text)
        rows = [r for r in rows if COMPARE[op](value_of(r, field, user_ids), wanted)]
    keys = [
        (name, field)
        for name, field, function in request["selections"]
        if function == "UNSPECIFIED" and kind_of(source, field) not in ("distinct", "total")
    ]
    keys += list(request["keys"])
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(value_of(row, f, user_ids) for _, f in keys), []).append(row)
    if not keys:
        groups = {(): rows}
    answer = []
    for key in sorted(groups):
        item = {name: as_text(value) for (name, _), value in zip(keys, key, strict=True)}
        for name, field, function in request["selections"]:
            if (name, field) in keys:
                continue
            value = aggregate(groups[key], field, function, user_ids)
            item[name] = round(value, 2) if field == "percent_code_written" else as_text(value)
        answer.append(item)
    return answer
