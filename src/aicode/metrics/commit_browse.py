"""Browsing commits: a text search over the commit list, and the files of one commit."""

from __future__ import annotations

import dataclasses

import sqlglot
import sqlglot.expressions as exp

from aicode.metrics.code import LinePair
from aicode.metrics.sql import col, lit
from aicode.model.attribution import ATTRIBUTION_PAIRS, pair_column
from aicode.store.base import Store


def _contains(column: exp.Expr, text: str) -> exp.Expr:
    """Case-insensitive substring test that renders on every backend."""
    haystack = exp.func("lower", exp.func("coalesce", column, lit("")))
    return exp.StrPosition(this=haystack, substr=lit(text.lower())) > lit(0)


def search_condition(org_num: int, text: str, table: str = "c") -> exp.Expr:
    """Commits whose hash starts with ``text``, or whose message, repository, branch or
    author (email or name) contains it, case-insensitively."""
    authors = (
        sqlglot.select(col("user_num"))
        .from_("users")
        .where(col("org_num").eq(lit(org_num)))
        .where(exp.or_(_contains(col("email"), text), _contains(col("display_name"), text)))
    )
    return exp.or_(
        exp.StartsWith(this=col("commit_hash", table), expression=lit(text.lower())),
        _contains(col("message", table), text),
        _contains(col("repo", table), text),
        _contains(col("branch", table), text),
        col("user_num", table).isin(query=authors),
    )


@dataclasses.dataclass(frozen=True)
class CommitFileRecord:
    """One file of a commit with its attributed lines."""

    path: str
    old_path: str | None
    extension: str
    language: str
    binary: bool
    lines: LinePair
    ai: LinePair
    by_pair: dict[str, LinePair]


def commit_files(store: Store, org_num: int, commit_hash: str, repo: str) -> list[CommitFileRecord]:
    """The files of the commit with this hash in this repository, in the order sent."""
    pair_columns = [pair_column(p, k) for p in ATTRIBUTION_PAIRS for k in ("added", "deleted")]  # type: ignore[arg-type]
    query = (
        sqlglot.select(
            "path",
            "old_path",
            "extension",
            "language",
            "is_binary",
            "lines_added",
            "lines_deleted",
            "ai_lines_added",
            "ai_lines_deleted",
            *pair_columns,
        )
        .from_("commit_files")
        .where(col("org_num").eq(lit(org_num)))
        .where(col("commit_hash").eq(lit(commit_hash.lower())))
        .where(col("repo").eq(lit(repo)))
        .order_by("position")
    )
    return [
        CommitFileRecord(
            path=r["path"],
            old_path=r["old_path"],
            extension=r["extension"],
            language=r["language"],
            binary=bool(r["is_binary"]),
            lines=LinePair(int(r["lines_added"]), int(r["lines_deleted"])),
            ai=LinePair(int(r["ai_lines_added"]), int(r["ai_lines_deleted"])),
            by_pair={
                p: LinePair(int(r[pair_column(p, "added")]), int(r[pair_column(p, "deleted")]))
                for p in ATTRIBUTION_PAIRS
            },
        )
        for r in store.query(query)
    ]
