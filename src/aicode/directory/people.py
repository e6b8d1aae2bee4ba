"""People as an HR export describes them: one parser for CSV files and JSON bodies.

The command line and the admin API both go through here, so a file that one accepts the other
accepts too. The rules an HR feed needs:

* emails and aliases compare case-insensitively and without surrounding space (stored
  lower-case, as ingest stores the emails facts name);
* an empty value -- an empty cell, a missing column, JSON ``null`` or ``""`` -- leaves the
  stored value unchanged. Exports often carry only some columns, or come from several systems,
  and a blank must not wipe what another feed set. The one way to clear is JSON
  ``"groups": []``;
* groups, when given, replace the person's groups: membership is current, not historical;
* aliases only ever add identities; an import never takes one away;
* every row is checked before anything is written and every bad row is reported, by CSV line
  number or JSON index; rows that contradict each other (one email twice, one alias on two
  people) are errors too.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final

from aicode.errors import InvalidInput
from aicode.store.base import PersonRecord

EMAIL: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
COLUMNS: Final = ("email", "name", "department", "groups", "aliases", "privacy_mode")
JSON_FIELDS: Final = {
    "email": "email",
    "name": "name",
    "department": "department",
    "groups": "groups",
    "aliases": "aliases",
    "privacyMode": "privacy_mode",
}
# Header spellings accepted for a column, compared lower-case with spaces as underscores.
_HEADER_ALIASES: Final = {"privacymode": "privacy_mode"}
_SEPARATORS: Final = re.compile(r"[;|]")
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")
_TRUE: Final = frozenset({"true", "yes", "y", "1"})
_FALSE: Final = frozenset({"false", "no", "n", "0"})
MAX_NAME_LENGTH: Final = 200
MAX_ALIAS_LENGTH: Final = 320


@dataclasses.dataclass(frozen=True)
class RowError:
    """One problem with one person: where it is (CSV line or JSON index), the field and why."""

    where: str  # "line 4" or "people[3]"
    field: str
    message: str
    line: int | None = None
    index: int | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The error as the admin API lists it."""
        place: dict[str, Any] = {"line": self.line} if self.line is not None else {}
        if self.index is not None:
            place["index"] = self.index
        return place | {"field": self.field, "message": self.message}


class InvalidPeople(InvalidInput):
    """Some people in an import are invalid; carries every problem found, in order."""

    def __init__(self, errors: Sequence[RowError]) -> None:
        first = errors[0]
        more = len(errors) - 1
        suffix = f" (and {more} more {'problem' if more == 1 else 'problems'})" if more else ""
        super().__init__(f"{first}{suffix}", field=first.field)
        self.errors = list(errors)


def normalize_email(value: str) -> str:
    """Emails compare case-insensitively and without surrounding space."""
    return value.strip().lower()


def department_parts(path: str) -> list[str]:
    """``Eng / Platform`` -> ["Eng", "Platform"]; raises ValueError saying what is wrong."""
    parts = [p.strip() for p in path.split("/")]
    if not path.strip():
        raise ValueError("department path is empty")
    if any(not p for p in parts):
        raise ValueError(f"department path {path!r} has an empty part")
    for part in parts:
        if _CONTROL.search(part):
            raise ValueError(f"department path {path!r} contains a control character")
        if len(part) > MAX_NAME_LENGTH:
            raise ValueError(
                f"department name {part[:20]!r}... is longer than {MAX_NAME_LENGTH} characters"
            )
    return parts


def normalize_department(path: str) -> str:
    """A department path with its parts trimmed: ``Eng / Platform`` -> ``Eng/Platform``."""
    return "/".join(department_parts(path))


def normalize_aliases(values: Sequence[str]) -> tuple[str, ...]:
    """Aliases trimmed, lower-cased and deduplicated; raises ValueError for a malformed one."""
    seen: dict[str, None] = {}
    for raw in values:
        alias = raw.strip().lower()
        if not alias:
            continue
        if any(c.isspace() for c in alias) or "," in alias:
            # Identities never contain these; a comma or space means a mistyped separator.
            raise ValueError(
                f"alias {alias!r} contains a space or comma; separate aliases with ';' or '|'"
            )
        if _CONTROL.search(alias):
            raise ValueError(f"alias {alias!r} contains a control character")
        if len(alias) > MAX_ALIAS_LENGTH:
            raise ValueError(
                f"alias {alias[:20]!r}... is longer than {MAX_ALIAS_LENGTH} characters"
            )
        seen[alias] = None
    return tuple(seen)


def _groups(values: Sequence[str]) -> tuple[str, ...]:
    groups = {g.strip() for g in values if g.strip()}
    for group in groups:
        if _CONTROL.search(group) or len(group) > MAX_NAME_LENGTH:
            raise ValueError(f"group {group[:40]!r} is too long or contains a control character")
    return tuple(sorted(groups))


def _name(value: str) -> str | None:
    name = value.strip()
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"name is longer than {MAX_NAME_LENGTH} characters")
    if _CONTROL.search(name):
        raise ValueError("name contains a control character")
    return name or None


class _Rows:
    """Collects the people of one import and every problem found, by CSV line or JSON index."""

    def __init__(self, *, csv_lines: bool) -> None:
        self.csv_lines = csv_lines
        self.errors: list[RowError] = []
        self.people: list[PersonRecord] = []
        self.positions: list[int] = []

    def where(self, position: int) -> str:
        """How messages name a position: ``line 4`` or ``people[3]``."""
        return f"line {position}" if self.csv_lines else f"people[{position}]"

    def error(self, position: int, column: str, message: str) -> None:
        """Record a problem with the person at a position."""
        if self.csv_lines:
            self.errors.append(RowError(self.where(position), column, message, line=position))
        else:
            field = f"people[{position}]" + (f".{_JSON_NAME.get(column, column)}" if column else "")
            self.errors.append(RowError(self.where(position), field, message, index=position))

    def add(self, position: int, values: Mapping[str, Any], *, bad: Collection[str] = ()) -> None:
        """Check one person's values (str, list of str or bool) and keep the record if valid.

        ``bad`` names columns whose problem the caller already reported.
        """
        before = len(self.errors)
        email_raw = values.get("email")
        email = normalize_email(email_raw) if isinstance(email_raw, str) else ""
        if "email" in bad:
            pass
        elif not email:
            self.error(position, "email", "email is required")
        elif not EMAIL.match(email):
            self.error(position, "email", f"invalid email {email!r}")
        name: str | None = None
        department: str | None = None
        groups: tuple[str, ...] | None = None
        aliases: tuple[str, ...] = ()
        try:
            name = _name(values["name"]) if values.get("name") is not None else None
        except ValueError as exc:
            self.error(position, "name", str(exc))
        raw_department = values.get("department")
        if isinstance(raw_department, str) and raw_department.strip():
            try:
                department = normalize_department(raw_department)
            except ValueError as exc:
                self.error(position, "department", str(exc))
        if values.get("groups") is not None:
            try:
                groups = _groups(values["groups"])
            except ValueError as exc:
                self.error(position, "groups", str(exc))
        if values.get("aliases") is not None:
            try:
                aliases = tuple(a for a in normalize_aliases(values["aliases"]) if a != email)
            except ValueError as exc:
                self.error(position, "aliases", str(exc))
        privacy = values.get("privacy_mode")
        if bad or len(self.errors) > before:
            return
        self.people.append(
            PersonRecord(
                email=email,
                name=name,
                department=department,
                groups=groups,
                aliases=aliases,
                privacy_mode=bool(privacy) if privacy is not None else None,
                source=self.where(position),
            )
        )
        self.positions.append(position)

    def check_together(self) -> None:
        """Rows must not contradict each other: one email or alias names one person."""
        emails: dict[str, int] = {}
        for person, position in zip(self.people, self.positions, strict=True):
            if person.email in emails:
                first = self.where(emails[person.email])
                self.error(position, "email", f"email {person.email!r} is also on {first}")
            else:
                emails[person.email] = position
        aliases: dict[str, int] = {}
        for person, position in zip(self.people, self.positions, strict=True):
            for alias in person.aliases:
                if alias in emails and emails[alias] != position:
                    owner = self.where(emails[alias])
                    self.error(position, "aliases", f"alias {alias!r} is the email of {owner}")
                elif alias in aliases:
                    first = self.where(aliases[alias])
                    self.error(position, "aliases", f"alias {alias!r} is also listed on {first}")
                else:
                    aliases[alias] = position
        self.errors.sort(key=lambda e: e.line if e.line is not None else (e.index or 0))

    def result(self) -> list[PersonRecord]:
        """The people, or InvalidPeople listing every problem."""
        self.check_together()
        if self.errors:
            raise InvalidPeople(self.errors)
        return self.people


_JSON_NAME: Final = {column: name for name, column in JSON_FIELDS.items()}


def _header(cells: list[str], rows: _Rows) -> list[str | None]:
    columns: list[str | None] = []
    for cell in cells:
        key = cell.strip().lower().replace(" ", "_").replace("-", "_")
        key = _HEADER_ALIASES.get(key, key)
        if not key:
            columns.append(None)  # a trailing comma in the header is harmless
        elif key not in COLUMNS:
            rows.error(
                1, "header", f"unknown column {cell.strip()!r} (known: {', '.join(COLUMNS)})"
            )
            columns.append(None)
        elif key in columns:
            rows.error(1, "header", f"column {key!r} appears twice")
            columns.append(None)
        else:
            columns.append(key)
    if "email" not in columns:
        rows.error(1, "header", "the header has no 'email' column")
    return columns


def _csv_row(line: int, columns: list[str | None], cells: list[str], rows: _Rows) -> None:
    if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
        rows.error(
            line,
            "row",
            f"{len(cells)} cells but the header has {len(columns)} "
            "columns (quote cells that contain commas)",
        )
        return
    values: dict[str, Any] = {}
    bad: set[str] = set()
    for column, cell in zip(columns, cells, strict=False):
        if column is None or not cell.strip():
            continue  # an empty cell leaves the stored value unchanged
        if column in ("groups", "aliases"):
            values[column] = _SEPARATORS.split(cell)
        elif column == "privacy_mode":
            flag = cell.strip().lower()
            if flag in _TRUE | _FALSE:
                values[column] = flag in _TRUE
            else:
                rows.error(line, column, f"privacy_mode must be true or false, not {cell!r}")
                bad.add(column)
        else:
            values[column] = cell
    rows.add(line, values, bad=bad)


def people_from_csv(data: bytes | str) -> list[PersonRecord]:
    """People from a CSV export (header ``email,name,department,groups,aliases``).

    ``groups`` and ``aliases`` cells hold several values separated by ``;`` or ``|``; the
    optional ``privacy_mode`` column takes true/false (also yes/no, 1/0). Raises InvalidPeople
    naming every bad line, or InvalidInput when the data is not a CSV file at all.
    """
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")  # spreadsheets often write a byte-order mark
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"the CSV is not UTF-8 text (bad byte at offset {exc.start})", field="body"
            ) from exc
    else:
        text = data.removeprefix("\ufeff")
    rows = _Rows(csv_lines=True)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns: list[str | None] | None = None
    line = 1
    try:
        for cells in reader:
            if columns is None and any(c.strip() for c in cells):
                columns = _header(cells, rows)
                if rows.errors:
                    raise InvalidPeople(rows.errors)
            elif columns is not None and any(c.strip() for c in cells):
                _csv_row(line, columns, cells, rows)
            line = reader.line_num + 1  # the next record starts after this one's last line
    except csv.Error as exc:
        rows.error(line, "row", f"malformed CSV: {exc}")
        raise InvalidPeople(rows.errors) from exc
    if columns is None:
        raise InvalidInput(
            f"the CSV is empty; expected a header row ({','.join(COLUMNS)})", field="body"
        )
    return rows.result()


def _json_value(key: str, column: str, value: Any) -> Any:
    if column in ("groups", "aliases"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TypeError(f"{key} must be a list of strings")
    elif column == "privacy_mode":
        if not isinstance(value, bool):
            raise TypeError(f"{key} must be true or false")
    elif not isinstance(value, str):
        raise TypeError(f"{key} must be a string")
    return value


def people_from_json(body: Any) -> list[PersonRecord]:
    """People from ``{"people": [{"email", "name", "department", ...}]}``, errors by index.

    Keys are ``email``, ``name``, ``department``, ``groups``, ``aliases`` and ``privacyMode``;
    ``null`` or a missing key leaves a stored value unchanged and ``"groups": []`` clears them.
    """
    if not isinstance(body, dict) or not isinstance(body.get("people"), list):
        raise InvalidInput('expected a JSON object with a "people" list', field="people")
    unknown = sorted(set(body) - {"people"})
    if unknown:
        raise InvalidInput(f"unknown field {unknown[0]!r}", field=unknown[0])
    rows = _Rows(csv_lines=False)
    for index, item in enumerate(body["people"]):
        if not isinstance(item, dict):
            rows.error(index, "", "each person must be a JSON object")
            continue
        values: dict[str, Any] = {}
        bad: set[str] = set()
        for key, value in item.items():
            column = JSON_FIELDS.get(key)
            if column is None:
                rows.error(index, key, f"unknown field {key!r}")
                bad.add(key)
            elif value is not None:
                try:
                    values[column] = _json_value(key, column, value)
                except TypeError as exc:
                    rows.error(index, column, str(exc))
                    bad.add(column)
        rows.add(index, values, bad=bad)
    return rows.result()
