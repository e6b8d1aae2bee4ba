"""Filters shared by every metric: dates, people, departments, repositories, branches, files."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import sqlglot
import sqlglot.expressions as exp

from aicode.metrics.sql import col, date_lit, lit, ts_lit
from aicode.model.languages import normalize_extension
from aicode.store.base import Store


@dataclasses.dataclass(frozen=True)
class Filters:
    """What a metric is restricted to; None means no restriction.

    ``start``/``end`` are inclusive UTC days for rollup metrics; ``since``/``until`` are exact
    instants (inclusive) that detail queries over facts honour as well. ``accepted_only`` keeps
    only accepted AI changes in change lists.
    """

    org_num: int
    start: dt.date | None = None
    end: dt.date | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    user_nums: tuple[int, ...] | None = None
    department_num_path: str | None = None  # "/3/7/": the department and everything below
    group_name: str | None = None
    repo: str | None = None
    primary_branch_only: bool = False
    file_extensions: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    accepted_only: bool = False

    @classmethod
    def for_days(cls, org_num: int, start: dt.date, end: dt.date, **rest: object) -> Filters:
        """Filters over whole UTC days, inclusive."""
        return cls(org_num=org_num, start=start, end=end, **rest)  # type: ignore[arg-type]

    def with_extensions(self, extensions: list[str] | tuple[str, ...] | None) -> Filters:
        """A copy restricted to these extensions (normalized to ``.ext``)."""
        if not extensions:
            return dataclasses.replace(self, file_extensions=None)
        normalized = tuple(sorted({normalize_extension(e) for e in extensions if e.strip()}))
        return dataclasses.replace(self, file_extensions=normalized or None)

    def previous_period(self) -> Filters | None:
        """The same scope over the equally long run of days just before (None if unbounded)."""
        if self.start is None or self.end is None:
            return None
        span = self.end - self.start + dt.timedelta(days=1)
        return dataclasses.replace(
            self, start=self.start - span, end=self.start - dt.timedelta(days=1)
        )

    def days(self) -> Iterator[dt.date]:
        """Every day of the range (both ends given)."""
        if self.start is None or self.end is None:
            return
        day = self.start
        while day <= self.end:
            yield day
            day += dt.timedelta(days=1)


def member_subquery(filters: Filters) -> exp.Select | None:
    """Users that the department / group filters admit, or None when unrestricted."""
    if filters.department_num_path is None and filters.group_name is None:
        return None
    query = sqlglot.select(col("user_num", "u")).from_(exp.to_table("users").as_("u"))
    query = query.where(col("org_num", "u").eq(lit(filters.org_num)))
    if filters.department_num_path is not None:
        query = query.join(
            exp.to_table("departments").as_("d"),
            on=col("dept_num", "u").eq(col("dept_num", "d")),
        ).where(col("num_path", "d").like(lit(filters.department_num_path + "%")))
    if filters.group_name is not None:
        groups = (
            sqlglot.select(col("user_num"))
            .from_("user_groups")
            .where(col("org_num").eq(lit(filters.org_num)))
            .where(col("group_name").eq(lit(filters.group_name)))
        )
        query = query.where(col("user_num", "u").isin(query=groups))
    return query


def whole_organization(filters: Filters) -> bool:
    """Whether the scope is every person of the organization (no user, department or group)."""
    return filters.user_nums is None and member_subquery(filters) is None


def people(filters: Filters, table: str | None = None) -> list[exp.Expr]:
    """Conditions for organization, users, department and group."""
    conditions: list[exp.Expr] = [col("org_num", table).eq(lit(filters.org_num))]
    if filters.user_nums is not None:
        conditions.append(
            col("user_num", table).isin(*[lit(n) for n in filters.user_nums])
            if filters.user_nums
            else exp.false()
        )
    members = member_subquery(filters)
    if members is not None:
        conditions.append(col("user_num", table).isin(query=members))
    return conditions


def day_range(filters: Filters, column: str = "day", table: str | None = None) -> list[exp.Expr]:
    """Conditions keeping rollup rows inside the day range."""
    conditions: list[exp.Expr] = []
    if filters.start is not None:
        conditions.append(col(column, table) >= date_lit(filters.start))
    if filters.end is not None:
        conditions.append(col(column, table) <= date_lit(filters.end))
    return conditions


def time_range(filters: Filters, column: str = "ts", table: str | None = None) -> list[exp.Expr]:
    """Conditions keeping fact rows inside the exact instants, else inside the days."""
    conditions: list[exp.Expr] = []
    if filters.since is not None:
        conditions.append(col(column, table) >= ts_lit(filters.since))
    elif filters.start is not None:
        conditions.append(col(column, table) >= date_lit(filters.start))
    if filters.until is not None:
        conditions.append(col(column, table) <= ts_lit(filters.until))
    elif filters.end is not None:
        conditions.append(col(column, table) < date_lit(filters.end + dt.timedelta(days=1)))
    return conditions


def commit_scope(
    filters: Filters,
    table: str | None = None,
    *,
    rollup: bool = True,
    replaced: bool = False,
    counting: bool = False,
) -> list[exp.Expr]:
    """Conditions for repository, primary branch and file extensions of commit data.

    Over the commit facts (``rollup=False``) commits replaced by a rewrite (amend, rebase) are
    left out unless ``replaced``: they no longer count, their replacement does. The rollups
    hold counted commits only, each in its written part and, for a merge, its carried part
    (the lines its branches brought, which their own commits count): totals over all branches
    read the written part only, primary-branch totals both (``store/duckdb/commit_parts.py``).
    ``counting`` commits, the written part alone holds each commit once.
    """
    conditions: list[exp.Expr] = []
    if not rollup and not replaced:
        conditions.append(col("replaced_by", table).is_(exp.null()))
    if rollup and (counting or not filters.primary_branch_only):
        conditions.append(col("carried", table).eq(exp.false()))
    if filters.repo is not None:
        conditions.append(col("repo", table).eq(lit(filters.repo)))
    if filters.primary_branch_only:
        if rollup:
            conditions.append(col("primary_branch", table).eq(lit(1)))
        else:
            conditions.append(col("is_primary_branch", table).eq(exp.true()))
    if filters.file_extensions is not None and rollup:
        conditions.append(col("extension", table).isin(*[lit(e) for e in filters.file_extensions]))
    return conditions


def department_num_path(store: Store, org_num: int, department_id: str) -> str | None:
    """The id path ("/3/7/") of a department of this organization, for department filters."""
    rows = store.query(
        sqlglot.select("num_path")
        .from_("departments")
        .where(col("org_num").eq(lit(org_num)))
        .where(col("id").eq(lit(department_id)))
    )
    return str(rows[0]["num_path"]) if rows else None
