"""A commit fact as rows: totals, AI attribution per product x source, a merge's own lines."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final

from aicode.attribution.annotations import client_annotations, encode
from aicode.ingest.checks import FactError, to_micros
from aicode.ingest.rows import NormalizedBatch
from aicode.model.attribution import AI_COLUMNS, ATTRIBUTION_PAIRS, pair_column
from aicode.model.facts import Attribution, CommitFact, CommitFile
from aicode.model.languages import extension_of, language_of


def _snake(pair: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in pair)


# (storage column, Attribution attribute) for every pair and kind, computed once.
_ATTRIBUTION_FIELDS: Final[tuple[tuple[str, str], ...]] = tuple(
    (pair_column(pair, kind), f"{_snake(pair)}_lines_{kind}")  # type: ignore[arg-type]
    for pair in ATTRIBUTION_PAIRS
    for kind in ("added", "deleted")
)


def _attribution_values(attribution: Attribution | None) -> dict[str, int]:
    if attribution is None:
        return dict.fromkeys(AI_COLUMNS, 0)
    return {column: getattr(attribution, attr) for column, attr in _ATTRIBUTION_FIELDS}


_ADDED_COLUMNS: Final = tuple(c for c in AI_COLUMNS if c.endswith("_added"))
_DELETED_COLUMNS: Final = tuple(c for c in AI_COLUMNS if c.endswith("_deleted"))


def _ai_totals(values: dict[str, int]) -> tuple[int, int]:
    return sum([values[c] for c in _ADDED_COLUMNS]), sum([values[c] for c in _DELETED_COLUMNS])


def _own_lines(
    fact: CommitFact, file: CommitFile, where: str, added: int, deleted: int
) -> dict[str, Any]:
    """A file's own-line columns: the lines a merge wrote itself; None unless a merge."""
    own: dict[str, Any] = dict.fromkeys(_OWN_COLUMNS)
    for kind, numbers, listed, count in (
        ("added", file.own_added_lines, file.added_lines, added),
        ("deleted", file.own_deleted_lines, file.deleted_lines, deleted),
    ):
        field = f"{where}.own{kind.title()}Lines"
        if len(fact.parents) < 2:
            if numbers:
                raise FactError(field, "only a merge commit (2+ parents) has own lines")
            continue
        wanted = sorted(set(numbers))
        known = {x.line for x in listed}
        stray = next((n for n in wanted if listed and n not in known), None)
        if stray is not None:
            raise FactError(field, f"line {stray} is not one of {kind}Lines")
        if len(wanted) > count:
            raise FactError(field, f"more own lines than lines{kind.title()}")
        own[f"own_{kind}_lines"], own[f"own_lines_{kind}"] = wanted, len(wanted)
    return own


_OWN_COLUMNS: Final = (
    "own_added_lines",
    "own_deleted_lines",
    "own_lines_added",
    "own_lines_deleted",
)


def commit_rows(
    fact: CommitFact, base: dict[str, Any], out: NormalizedBatch, now: dt.datetime
) -> None:
    """Check a commit whole, then add its row and its files' rows."""
    files: list[dict[str, Any]] = []
    commit_ai = dict.fromkeys(AI_COLUMNS, 0)
    total_added = total_deleted = 0
    for position, file in enumerate(fact.files):
        where = f"files[{position}]"
        added = len(file.added_lines) if file.lines_added is None else file.lines_added
        deleted = len(file.deleted_lines) if file.lines_deleted is None else file.lines_deleted
        if len(file.added_lines) > added:
            raise FactError(f"{where}.addedLines", "more added lines listed than linesAdded")
        if len(file.deleted_lines) > deleted:
            raise FactError(f"{where}.deletedLines", "more deleted lines listed than linesDeleted")
        file_ai = _attribution_values(file.attribution)
        ai_added, ai_deleted = _ai_totals(file_ai)
        if ai_added > added or ai_deleted > deleted:
            raise FactError(f"{where}.attribution", "AI lines exceed the file's lines")
        for column, value in file_ai.items():
            commit_ai[column] += value
        total_added += added
        total_deleted += deleted
        ext = extension_of(file.path)
        files.append(
            {
                "k": base["k"],
                "org_num": base["org_num"],
                "user_ref": base["user_ref"],
                "ts": base["ts"],
                "repo": fact.repo,
                "commit_hash": fact.commit_hash.lower(),
                "is_primary_branch": fact.is_primary_branch,
                "position": position,
                "path": file.path,
                "old_path": file.old_path,
                "extension": ext,
                "language": language_of(ext),
                "is_binary": file.binary,
                "lines_added": added,
                "lines_deleted": deleted,
                **file_ai,
                "ai_lines_added": ai_added,
                "ai_lines_deleted": ai_deleted,
                # The wire structs themselves: arrow_rows lays them out column by column.
                "added_lines": file.added_lines,
                "deleted_lines": file.deleted_lines,
                **_own_lines(fact, file, where, added, deleted),
            }
        )
    lines_added = total_added if fact.lines_added is None else fact.lines_added
    lines_deleted = total_deleted if fact.lines_deleted is None else fact.lines_deleted
    if fact.files and (lines_added < total_added or lines_deleted < total_deleted):
        raise FactError("linesAdded", "commit totals are smaller than the sum of its files")
    ai = _attribution_values(fact.attribution) if fact.attribution else commit_ai
    ai_added, ai_deleted = _ai_totals(ai)
    if ai_added > lines_added:
        raise FactError("attribution", "AI lines added exceed the commit's lines added")
    if ai_deleted > lines_deleted:
        raise FactError("attribution", "AI lines deleted exceed the commit's lines deleted")
    annotations = encode(client_annotations(fact.range_annotations))
    has_attribution = bool(fact.attribution or any(f.attribution for f in fact.files))
    committed_at = (
        None if fact.committed_at is None else to_micros(fact.committed_at, "committedAt", now)
    )
    if files:
        out.table("commit_files").add_all(files)
    out.table("commits").add(
        base
        | {
            "repo": fact.repo,
            "commit_hash": fact.commit_hash.lower(),
            "branch": fact.branch,
            "is_primary_branch": fact.is_primary_branch,
            "message": fact.message,
            "parents": [p.lower() for p in fact.parents],
            "committed_at": committed_at,
            "lines_added": lines_added,
            "lines_deleted": lines_deleted,
            **ai,
            "ai_lines_added": ai_added,
            "ai_lines_deleted": ai_deleted,
            "range_annotations": annotations,
            "attribution_origin": "client" if has_attribution or annotations else "none",
            # A merge's own lines; None for any other commit (see commit_parts.py).
            "own_lines_added": _own_total(fact, files, "own_lines_added"),
            "own_lines_deleted": _own_total(fact, files, "own_lines_deleted"),
        }
    )


def _own_total(fact: CommitFact, files: list[dict[str, Any]], column: str) -> int | None:
    return sum(f[column] for f in files) if len(fact.parents) > 1 else None
