"""Detail lists over the facts themselves: commits, AI changes, commit line annotations.

Lists are newest first. ``iter_*`` walk a whole scope with keyset pagination (never OFFSET),
so an export of millions of rows holds one page in memory at a time.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import sqlglot
import sqlglot.expressions as exp

from aicode.metrics.code import LinePair, non_ai
from aicode.metrics.commit_browse import search_condition
from aicode.metrics.filters import Filters, commit_scope, people, time_range
from aicode.metrics.page import Page
from aicode.metrics.sql import all_of, col, lit, ts_lit
from aicode.model.attribution import ATTRIBUTION_PAIRS, COMPOSER_PAIRS, TAB_PAIRS, pair_column
from aicode.store.base import Store

_USER_COLUMNS = ("id", "encoded_id", "email", "display_name", "privacy_mode")


@dataclasses.dataclass(frozen=True)
class Author:
    """Who a fact belongs to, with every id a surface may show."""

    user_num: int
    user_id: str
    encoded_id: str
    email: str | None
    display_name: str | None
    privacy_mode: bool


@dataclasses.dataclass(frozen=True)
class CommitRecord:
    """One commit with its attribution."""

    commit_hash: str
    repo: str
    branch: str | None
    is_primary_branch: bool | None
    author: Author
    lines: LinePair
    ai: LinePair
    by_pair: dict[str, LinePair]
    message: str | None
    commit_ts: dt.datetime
    created_at: dt.datetime
    replaced_by: str | None = None  # the hash that replaced it (amend, rebase); not counted
    attribution_origin: str = "none"  # client, server (computed here) or none

    @property
    def non_ai(self) -> LinePair:
        """max(0, total - AI)."""
        return non_ai(self.lines, self.ai)

    @property
    def tab(self) -> LinePair:
        """Completion-sourced lines (Cursor's TAB)."""
        return LinePair(
            sum(self.by_pair[p].added for p in TAB_PAIRS),
            sum(self.by_pair[p].deleted for p in TAB_PAIRS),
        )

    @property
    def composer(self) -> LinePair:
        """Agent- and chat-sourced lines (Cursor's COMPOSER)."""
        return LinePair(
            sum(self.by_pair[p].added for p in COMPOSER_PAIRS),
            sum(self.by_pair[p].deleted for p in COMPOSER_PAIRS),
        )


@dataclasses.dataclass(frozen=True)
class ChangeFileRecord:
    """One file of an AI change."""

    file_name: str
    extension: str
    language: str
    lines_added: int
    lines_deleted: int


@dataclasses.dataclass(frozen=True)
class ChangeRecord:
    """One AI change."""

    change_id: str
    author: Author
    source: str
    product_type: str
    model: str
    conversation_id: str | None
    accepted: bool
    lines_added: int
    lines_deleted: int
    files: list[ChangeFileRecord]
    ts: dt.datetime
    created_at: dt.datetime


def _author(row: dict[str, Any]) -> Author:
    return Author(
        int(row["user_num"]),
        row["id"],
        row["encoded_id"],
        row["email"],
        row["display_name"],
        bool(row["privacy_mode"]),
    )


def _with_users(query: exp.Select, alias: str) -> exp.Select:
    return query.select(*[col(c, "u") for c in _USER_COLUMNS]).join(
        exp.to_table("users").as_("u"), on=col("user_num", alias).eq(col("user_num", "u"))
    )


def _commit_where(filters: Filters, *, replaced: bool = False) -> exp.Expr:
    scope = dataclasses.replace(filters, file_extensions=None)
    condition = all_of(
        [
            *people(filters, "c"),
            *time_range(filters, table="c"),
            *commit_scope(scope, "c", rollup=False, replaced=replaced),
        ]
    )
    assert condition is not None
    if filters.file_extensions is not None:
        touching = (
            sqlglot.select(col("k"))
            .from_("commit_files")
            .where(col("org_num").eq(lit(filters.org_num)))
            .where(col("extension").isin(*[lit(e) for e in filters.file_extensions]))
        )
        condition = exp.and_(condition, col("k", "c").isin(query=touching))
    return condition


_COMMIT_COLUMNS = (
    "k",
    "user_num",
    "commit_hash",
    "repo",
    "branch",
    "is_primary_branch",
    "lines_added",
    "lines_deleted",
    "ai_lines_added",
    "ai_lines_deleted",
    "message",
    "ts",
    "received_at",
    "replaced_by",
    "attribution_origin",
)
_PAIR_COLUMNS = tuple(
    pair_column(p, kind)
    for p in ATTRIBUTION_PAIRS  # type: ignore[arg-type]
    for kind in ("added", "deleted")
)


def _commit_query(filters: Filters, *, replaced: bool = False) -> exp.Select:
    query = sqlglot.select(*[col(c, "c") for c in (*_COMMIT_COLUMNS, *_PAIR_COLUMNS)]).from_(
        exp.to_table("commits").as_("c")
    )
    return _with_users(query, "c").where(_commit_where(filters, replaced=replaced))


def _commit(row: dict[str, Any]) -> CommitRecord:
    return CommitRecord(
        commit_hash=row["commit_hash"],
        repo=row["repo"],
        branch=row["branch"],
        is_primary_branch=row["is_primary_branch"],
        author=_author(row),
        lines=LinePair(int(row["lines_added"]), int(row["lines_deleted"])),
        ai=LinePair(int(row["ai_lines_added"]), int(row["ai_lines_deleted"])),
        by_pair={
            p: LinePair(int(row[pair_column(p, "added")]), int(row[pair_column(p, "deleted")]))
            for p in ATTRIBUTION_PAIRS
        },
        message=row["message"],
        commit_ts=row["ts"],
        created_at=row["received_at"],
        replaced_by=row["replaced_by"],
        attribution_origin=row["attribution_origin"],
    )


_NEWEST_FIRST = (
    exp.Ordered(this=col("ts", "c"), desc=True),
    exp.Ordered(this=col("k", "c"), desc=True),
)


def _count(store: Store, table: str, where: exp.Expr) -> int:
    query = (
        sqlglot.select(exp.Count(this=exp.Star()).as_("n"))
        .from_(exp.to_table(table).as_("c"))
        .where(where)
    )
    return int(store.query(query)[0]["n"])


def list_commits(
    store: Store,
    filters: Filters,
    *,
    page: int = 1,
    per_page: int = 100,
    search: str | None = None,
) -> Page[CommitRecord]:
    """A page of commits in the scope, newest first; ``search`` as ``search_condition``."""
    query, where = _commit_query(filters), _commit_where(filters)
    if search:
        query = query.where(search_condition(filters.org_num, search))
        where = exp.and_(where, search_condition(filters.org_num, search))
    rows = store.query(query.order_by(*_NEWEST_FIRST).limit(per_page).offset((page - 1) * per_page))
    return Page([_commit(r) for r in rows], _count(store, "commits", where), page, per_page)


def find_commits(
    store: Store, org_num: int, commit_hash: str, *, repo: str | None = None
) -> list[CommitRecord]:
    """The commits with this hash (one per repository it was pushed to), newest first.

    A commit replaced by a rewrite is found too (with ``replaced_by``), though it no longer
    counts anywhere.
    """
    filters = Filters(org_num=org_num, repo=repo)
    query = _commit_query(filters, replaced=True)
    query = query.where(col("commit_hash", "c").eq(lit(commit_hash.lower())))
    return [_commit(r) for r in store.query(query.order_by(*_NEWEST_FIRST))]


def _after(last: dict[str, Any]) -> exp.Expr:
    """Keyset condition: rows strictly after ``last`` in newest-first order."""
    ts = ts_lit(last["ts"])
    key = exp.cast(lit(str(last["k"])), exp.DataType.build("uuid"))
    return exp.or_(col("ts", "c") < ts, exp.and_(col("ts", "c").eq(ts), col("k", "c") < key))


def iter_commits(
    store: Store, filters: Filters, *, batch: int = 10_000
) -> Iterator[list[CommitRecord]]:
    """Every commit in the scope, newest first, one page of ``batch`` at a time."""
    last: dict[str, Any] | None = None
    while True:
        query = _commit_query(filters)
        if last is not None:
            query = query.where(_after(last))
        rows = store.query(query.order_by(*_NEWEST_FIRST).limit(batch))
        if not rows:
            return
        yield [_commit(r) for r in rows]
        if len(rows) < batch:
            return
        last = rows[-1]


def _change_where(filters: Filters) -> exp.Expr:
    conditions = [*people(filters, "c"), *time_range(filters, table="c")]
    if filters.sources is not None:
        conditions.append(col("source", "c").isin(*[lit(s) for s in filters.sources]))
    if filters.accepted_only:
        conditions.append(col("accepted", "c").eq(exp.true()))
    condition = all_of(conditions)
    assert condition is not None
    return condition


_CHANGE_COLUMNS = (
    "k",
    "fact_id",
    "user_num",
    "source",
    "product_type",
    "model",
    "conversation_id",
    "accepted",
    "lines_added",
    "lines_deleted",
    "ts",
    "received_at",
)


def _change_query(filters: Filters) -> exp.Select:
    query = sqlglot.select(*[col(c, "c") for c in _CHANGE_COLUMNS]).from_(
        exp.to_table("changes").as_("c")
    )
    return _with_users(query, "c").where(_change_where(filters))


def _changes(store: Store, org_num: int, rows: list[dict[str, Any]]) -> list[ChangeRecord]:
    """Change records for rows, with their files fetched in one query."""
    if not rows:
        return []
    keys = [exp.cast(lit(str(r["k"])), exp.DataType.build("uuid")) for r in rows]
    files_query = (
        sqlglot.select(
            "k", "position", "file_name", "extension", "language", "lines_added", "lines_deleted"
        )
        .from_("change_files")
        .where(col("org_num").eq(lit(org_num)))
        .where(col("k").isin(*keys))
        .order_by("k", "position")
    )
    files: dict[str, list[ChangeFileRecord]] = {}
    for f in store.query(files_query):
        files.setdefault(str(f["k"]), []).append(
            ChangeFileRecord(
                f["file_name"],
                f["extension"],
                f["language"],
                int(f["lines_added"]),
                int(f["lines_deleted"]),
            )
        )
    return [
        ChangeRecord(
            change_id=r["fact_id"],
            author=_author(r),
            source=r["source"],
            product_type=r["product_type"],
            model=r["model"],
            conversation_id=r["conversation_id"],
            accepted=bool(r["accepted"]),
            lines_added=int(r["lines_added"]),
            lines_deleted=int(r["lines_deleted"]),
            files=files.get(str(r["k"]), []),
            ts=r["ts"],
            created_at=r["received_at"],
        )
        for r in rows
    ]


def list_changes(
    store: Store, filters: Filters, *, page: int = 1, per_page: int = 100
) -> Page[ChangeRecord]:
    """A page of AI changes in the scope, newest first."""
    rows = store.query(
        _change_query(filters)
        .order_by(*_NEWEST_FIRST)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return Page(
        _changes(store, filters.org_num, rows),
        _count(store, "changes", _change_where(filters)),
        page,
        per_page,
    )


def iter_changes(
    store: Store, filters: Filters, *, batch: int = 10_000
) -> Iterator[list[ChangeRecord]]:
    """Every AI change in the scope, newest first, one page of ``batch`` at a time."""
    last: dict[str, Any] | None = None
    while True:
        query = _change_query(filters)
        if last is not None:
            query = query.where(_after(last))
        rows = store.query(query.order_by(*_NEWEST_FIRST).limit(batch))
        if not rows:
            return
        yield _changes(store, filters.org_num, rows)
        if len(rows) < batch:
            return
        last = rows[-1]


def commit_annotations(
    store: Store, org_num: int, hashes: list[str], *, branch: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Range annotations per known commit hash (lower-case); unknown hashes are absent."""
    if not hashes:
        return {}
    query = (
        sqlglot.select("commit_hash", "range_annotations", "ts")
        .from_("commits")
        .where(col("org_num").eq(lit(org_num)))
        .where(col("commit_hash").isin(*[lit(h.lower()) for h in hashes]))
        .order_by(exp.Ordered(this=col("ts"), desc=True))
    )
    if branch is not None:
        query = query.where(col("branch").eq(lit(branch)))
    found: dict[str, list[dict[str, Any]]] = {}
    for row in store.query(query):
        # The same hash pushed to several repositories carries the same lines: newest wins.
        found.setdefault(
            row["commit_hash"],
            json.loads(row["range_annotations"]) if row["range_annotations"] else [],
        )
    return found
