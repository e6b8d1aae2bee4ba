"""AI share of committed code: totals, trends, ranking, repositories, file extensions.

Committed lines come from the commit rollups (``commit_user_day``, or ``commit_ext_user_day``
when file extensions are filtered); commit counts under an extension filter come from the
commit files themselves, because one commit may touch several of the extensions. A merge
commit counts as one commit; of its lines, totals over all branches count only those it wrote
itself, primary-branch totals all it brought to the branch (``filters.commit_scope``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import sqlglot
import sqlglot.expressions as exp

from aicode.metrics.filters import Filters, commit_scope, day_range, people, time_range
from aicode.metrics.page import Page
from aicode.metrics.rates import percent
from aicode.metrics.sql import all_of, col, count_distinct, lit, total
from aicode.model.attribution import ATTRIBUTION_PAIRS, COMPOSER_PAIRS, TAB_PAIRS, pair_column
from aicode.store.base import Store


@dataclasses.dataclass(frozen=True)
class LinePair:
    """Added and deleted line counts."""

    added: int = 0
    deleted: int = 0

    @property
    def edited(self) -> int:
        """Added + deleted."""
        return self.added + self.deleted


@dataclasses.dataclass(frozen=True)
class CommitTotals:
    """Committed lines in a scope, split into AI pairs and the rest."""

    commits: int
    lines: LinePair
    ai: LinePair
    by_pair: dict[str, LinePair]

    @property
    def non_ai(self) -> LinePair:
        """Lines no AI source is credited with: max(0, total - AI)."""
        return non_ai(self.lines, self.ai)

    @property
    def ai_share_rate(self) -> float:
        """AI share of edited lines (added + deleted), percent."""
        return percent(self.ai.edited, self.lines.edited)

    @property
    def ai_share_rate_added(self) -> float:
        """AI share of added lines, percent."""
        return percent(self.ai.added, self.lines.added)

    def group(self, pairs: tuple[str, ...]) -> LinePair:
        """Sum of some pairs (e.g. Cursor's TAB or COMPOSER)."""
        return LinePair(
            sum(self.by_pair[p].added for p in pairs), sum(self.by_pair[p].deleted for p in pairs)
        )

    @property
    def tab(self) -> LinePair:
        """Lines of completion sources (Cursor's TAB)."""
        return self.group(TAB_PAIRS)

    @property
    def composer(self) -> LinePair:
        """Lines of agent and chat sources (Cursor's COMPOSER)."""
        return self.group(COMPOSER_PAIRS)


def non_ai(lines: LinePair, ai: LinePair) -> LinePair:
    """max(0, total - AI) for added and deleted lines."""
    return LinePair(max(0, lines.added - ai.added), max(0, lines.deleted - ai.deleted))


class AddedLinesShare:
    """AI share of added lines, for records that carry ``lines`` and ``ai``."""

    lines: LinePair
    ai: LinePair

    @property
    def ai_share_rate(self) -> float:
        """AI share of added lines, percent."""
        return percent(self.ai.added, self.lines.added)


def _rollup(filters: Filters) -> str:
    return "commit_ext_user_day" if filters.file_extensions is not None else "commit_user_day"


def _line_measures() -> list[exp.Expr]:
    measures = [
        total("lines_added").as_("lines_added"),
        total("lines_deleted").as_("lines_deleted"),
        total("ai_lines_added").as_("ai_lines_added"),
        total("ai_lines_deleted").as_("ai_lines_deleted"),
    ]
    for pair in ATTRIBUTION_PAIRS:
        for kind in ("added", "deleted"):
            name = pair_column(pair, kind)  # type: ignore[arg-type]
            measures.append(total(name).as_(name))
    return measures


def _where(filters: Filters, *, counting: bool = False) -> exp.Expr:
    scope = commit_scope(filters, counting=counting)
    condition = all_of([*people(filters), *day_range(filters), *scope])
    assert condition is not None
    return condition


def _pairs(row: dict[str, int]) -> dict[str, LinePair]:
    return {
        pair: LinePair(int(row[pair_column(pair, "added")]), int(row[pair_column(pair, "deleted")]))
        for pair in ATTRIBUTION_PAIRS
    }


def commit_count_query(filters: Filters, dims: list[str]) -> exp.Select:
    """Commits per dims; exact under an extension filter by reading commit files."""
    if filters.file_extensions is None:
        where = _where(filters, counting=True)
        query = sqlglot.select(*dims, total("commits").as_("commits")).from_("commit_user_day")
        return query.where(where).group_by(*dims) if dims else query.where(where)
    day_dims = [
        exp.cast(col("ts"), exp.DataType.build("date")).as_("day") if d == "day" else col(d)
        for d in dims
    ]
    scope = all_of(
        [
            *people(filters),
            *time_range(dataclasses.replace(filters, since=None, until=None)),
            *commit_scope(filters, rollup=False),
            col("extension").isin(*[lit(e) for e in filters.file_extensions]),
        ]
    )
    query = sqlglot.select(*day_dims, count_distinct("k").as_("commits")).from_("commit_files")
    query = query.where(scope)
    return query.group_by(*[exp.column(d) for d in dims]) if dims else query


def commit_totals(store: Store, filters: Filters) -> CommitTotals:
    """Committed lines and their AI share in the scope."""
    query = sqlglot.select(*_line_measures()).from_(_rollup(filters)).where(_where(filters))
    row = store.query(query)[0]
    commits = store.query(commit_count_query(filters, []))[0]["commits"]
    return CommitTotals(
        commits=int(commits or 0),
        lines=LinePair(int(row["lines_added"]), int(row["lines_deleted"])),
        ai=LinePair(int(row["ai_lines_added"]), int(row["ai_lines_deleted"])),
        by_pair=_pairs(row),
    )


@dataclasses.dataclass(frozen=True)
class DailyCommitTrend(AddedLinesShare):
    """One day of committed lines."""

    day: dt.date
    commits: int
    lines: LinePair
    ai: LinePair

    @property
    def other_lines_added(self) -> int:
        """Added lines not credited to AI."""
        return max(0, self.lines.added - self.ai.added)


def daily_commit_trend(store: Store, filters: Filters) -> list[DailyCommitTrend]:
    """Committed lines per UTC day, only days with commits, oldest first."""
    query = (
        sqlglot.select("day", *_line_measures()[:4])
        .from_(_rollup(filters))
        .where(_where(filters))
        .group_by("day")
        .order_by("day")
    )
    commits = {
        r["day"]: int(r["commits"]) for r in store.query(commit_count_query(filters, ["day"]))
    }
    return [
        DailyCommitTrend(
            day=r["day"],
            commits=commits.get(r["day"], 0),
            lines=LinePair(int(r["lines_added"]), int(r["lines_deleted"])),
            ai=LinePair(int(r["ai_lines_added"]), int(r["ai_lines_deleted"])),
        )
        for r in store.query(query)
    ]


@dataclasses.dataclass(frozen=True)
class ExtensionDay:
    """One day of committed lines of one file extension."""

    day: dt.date
    extension: str
    lines_added: int
    ai_lines_added: int


def daily_extension_trend(store: Store, filters: Filters) -> list[ExtensionDay]:
    """Added and AI-added lines per day and file extension, by day then extension."""
    where = all_of([*people(filters), *day_range(filters), *commit_scope(filters)])
    query = (
        sqlglot.select(
            "day",
            "extension",
            total("lines_added").as_("lines_added"),
            total("ai_lines_added").as_("ai_lines_added"),
        )
        .from_("commit_ext_user_day")
        .where(where)
        .group_by("day", "extension")
        .order_by("day", "extension")
    )
    return [
        ExtensionDay(r["day"], r["extension"], int(r["lines_added"]), int(r["ai_lines_added"]))
        for r in store.query(query)
    ]


@dataclasses.dataclass(frozen=True)
class MemberRank(AddedLinesShare):
    """A person's committed lines and AI share."""

    user_num: int
    user_id: str
    encoded_id: str
    email: str | None
    display_name: str | None
    commits: int
    lines: LinePair
    ai: LinePair


def per_user_lines(filters: Filters) -> exp.Select:
    """Committed lines and AI lines per person in the scope."""
    return (
        sqlglot.select("user_num", *_line_measures()[:4])
        .from_(_rollup(filters))
        .where(_where(filters))
        .group_by("user_num")
    )


def member_ranking(store: Store, filters: Filters, limit: int | None = 10) -> list[MemberRank]:
    """People by AI-added lines (then total added lines, then id), at most ``limit``."""
    per_user = per_user_lines(filters).subquery("m")
    counts = commit_count_query(filters, ["user_num"]).subquery("c")
    query = (
        sqlglot.select(
            col("user_num", "m"),
            col("id", "u"),
            col("encoded_id", "u"),
            col("email", "u"),
            col("display_name", "u"),
            col("commits", "c"),
            col("lines_added", "m"),
            col("lines_deleted", "m"),
            col("ai_lines_added", "m"),
            col("ai_lines_deleted", "m"),
        )
        .from_(per_user)
        .join(exp.to_table("users").as_("u"), on=col("user_num", "m").eq(col("user_num", "u")))
        .join(counts, on=col("user_num", "m").eq(col("user_num", "c")), join_type="left")
        .order_by(
            exp.Ordered(this=col("ai_lines_added", "m"), desc=True),
            exp.Ordered(this=col("lines_added", "m"), desc=True),
            col("id", "u"),
        )
    )
    if limit is not None:
        query = query.limit(limit)
    return [
        MemberRank(
            user_num=int(r["user_num"]),
            user_id=r["id"],
            encoded_id=r["encoded_id"],
            email=r["email"],
            display_name=r["display_name"],
            commits=int(r["commits"] or 0),
            lines=LinePair(int(r["lines_added"]), int(r["lines_deleted"])),
            ai=LinePair(int(r["ai_lines_added"]), int(r["ai_lines_deleted"])),
        )
        for r in store.query(query)
    ]


@dataclasses.dataclass(frozen=True)
class RepoStats(AddedLinesShare):
    """A repository's committed lines."""

    repo: str
    commits: int
    lines: LinePair
    ai: LinePair


def repositories(
    store: Store,
    filters: Filters,
    *,
    search: str | None = None,
    page: int = 1,
    per_page: int = 30,
    ai_only: bool = False,
) -> Page[RepoStats]:
    """Repositories with commits in the scope, by name; ``search`` matches a substring."""
    where = _where(filters)
    if search:
        found = exp.StrPosition(this=exp.func("lower", col("repo")), substr=lit(search.lower()))
        where = exp.and_(where, found > lit(0))
    grouped = (
        sqlglot.select("repo", *_line_measures()[:4])
        .from_(_rollup(filters))
        .where(where)
        .group_by("repo")
    )
    if ai_only:
        grouped = grouped.having(exp.func("sum", col("ai_lines_added")) > lit(0))
    counted = store.query(
        sqlglot.select(exp.Count(this=exp.Star()).as_("n")).from_(grouped.subquery("g"))
    )
    rows = store.query(grouped.order_by("repo").limit(per_page).offset((page - 1) * per_page))
    repos = [r["repo"] for r in rows]
    commits: dict[str, int] = {}
    if repos:
        count_query = commit_count_query(filters, ["repo"])
        commits = {
            r["repo"]: int(r["commits"]) for r in store.query(count_query) if r["repo"] in repos
        }
    return Page(
        items=[
            RepoStats(
                repo=r["repo"],
                commits=commits.get(r["repo"], 0),
                lines=LinePair(int(r["lines_added"]), int(r["lines_deleted"])),
                ai=LinePair(int(r["ai_lines_added"]), int(r["ai_lines_deleted"])),
            )
            for r in rows
        ],
        total=int(counted[0]["n"]),
        page=page,
        per_page=per_page,
    )


@dataclasses.dataclass(frozen=True)
class ExtensionStats(AddedLinesShare):
    """Committed lines of one file extension."""

    extension: str
    file_changes: int
    lines: LinePair
    ai: LinePair


def file_extensions(
    store: Store, filters: Filters, *, ai_only: bool = False
) -> list[ExtensionStats]:
    """Per file extension: files changed, lines and AI share; most added lines first.

    ``ai_only`` keeps extensions with AI-added lines, as ``repositories`` does.
    """
    where = all_of([*people(filters), *day_range(filters), *commit_scope(filters)])
    query = (
        sqlglot.select("extension", total("files").as_("files"), *_line_measures()[:4])
        .from_("commit_ext_user_day")
        .where(where)
        .group_by("extension")
        .order_by(exp.Ordered(this=col("lines_added"), desc=True), "extension")
    )
    if ai_only:
        query = query.having(exp.func("sum", col("ai_lines_added")) > lit(0))
    return [
        ExtensionStats(
            extension=r["extension"],
            file_changes=int(r["files"]),
            lines=LinePair(int(r["lines_added"]), int(r["lines_deleted"])),
            ai=LinePair(int(r["ai_lines_added"]), int(r["ai_lines_deleted"])),
        )
        for r in store.query(query)
    ]
