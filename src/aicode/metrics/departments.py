"""Totals of every department at once (each with its sub-departments), in a few queries.

Each per-person total is computed once, then summed over department membership: a commit or
a completion belongs to one person, so these sums never count anything twice, and active
developers are counted distinct per department.
"""

from __future__ import annotations

import dataclasses

import sqlglot
import sqlglot.expressions as exp

from aicode.metrics.activity import ACTIVITY_DAY, usage_where
from aicode.metrics.code import LinePair, commit_count_query, per_user_lines
from aicode.metrics.filters import Filters
from aicode.metrics.rates import percent
from aicode.metrics.sql import col, lit, total
from aicode.store.base import Store


@dataclasses.dataclass(frozen=True)
class DepartmentTotals:
    """A department's committed lines, completions and active developers."""

    active_developers: int = 0
    commits: int = 0
    lines: LinePair = dataclasses.field(default_factory=LinePair)
    ai: LinePair = dataclasses.field(default_factory=LinePair)
    completions_suggested: int = 0
    completions_accepted: int = 0

    @property
    def ai_share_rate(self) -> float:
        """AI share of committed edited lines, percent."""
        return percent(self.ai.edited, self.lines.edited)

    @property
    def acceptance_rate(self) -> float:
        """Completion acceptance rate, percent."""
        return percent(self.completions_accepted, self.completions_suggested)


def membership(org_num: int) -> exp.Subquery:
    """(department_id, user_num) for every department and everyone in it or below it."""
    query = (
        sqlglot.select(col("id", "d").as_("department_id"), col("user_num", "u"))
        .from_(exp.to_table("departments").as_("d"))
        .join(
            exp.to_table("departments").as_("s"),
            on=exp.and_(
                col("org_num", "s").eq(col("org_num", "d")),
                exp.StartsWith(this=col("num_path", "s"), expression=col("num_path", "d")),
            ),
        )
        .join(exp.to_table("users").as_("u"), on=col("dept_num", "u").eq(col("dept_num", "s")))
        .where(col("org_num", "d").eq(lit(org_num)))
    )
    return query.subquery("m")


def _by_department(
    store: Store, per_user: exp.Subquery, measures: list[str], org_num: int
) -> dict[str, dict[str, int]]:
    query = (
        sqlglot.select(
            col("department_id", "m"), *[total(name, "p").as_(name) for name in measures]
        )
        .from_(membership(org_num))
        .join(per_user, on=col("user_num", "m").eq(col("user_num", "p")))
        .group_by(col("department_id", "m"))
    )
    return {r["department_id"]: {n: int(r[n]) for n in measures} for r in store.query(query)}


def department_totals(store: Store, filters: Filters) -> dict[str, DepartmentTotals]:
    """Totals per department id; departments without activity are absent (all zeros)."""
    org = filters.org_num
    lines = _by_department(
        store,
        per_user_lines(filters).subquery("p"),
        ["lines_added", "lines_deleted", "ai_lines_added", "ai_lines_deleted"],
        org,
    )
    commits = _by_department(
        store, commit_count_query(filters, ["user_num"]).subquery("p"), ["commits"], org
    )
    # Everyone with an activity row in the scope is active: the per-person completion sums
    # list each active person once, so one query gives both (a distinct over the person-days
    # per department cost more than all the others together at 10,000 developers).
    per_user = (
        sqlglot.select(
            "user_num",
            total("completion_count_suggested").as_("suggested"),
            total("completion_count_accepted").as_("accepted"),
        )
        .from_(ACTIVITY_DAY)
        .where(usage_where(filters))
        .group_by("user_num")
        .subquery("p")
    )
    usage = store.query(
        sqlglot.select(
            col("department_id", "m"),
            total("suggested", "p").as_("suggested"),
            total("accepted", "p").as_("accepted"),
            # One row per person and department after the join: a count is a distinct count.
            exp.Count(this=exp.Star()).as_("active"),
        )
        .from_(membership(org))
        .join(per_user, on=col("user_num", "m").eq(col("user_num", "p")))
        .group_by(col("department_id", "m"))
    )
    completions = {
        r["department_id"]: {"suggested": int(r["suggested"]), "accepted": int(r["accepted"])}
        for r in usage
    }
    active = {r["department_id"]: int(r["active"]) for r in usage}
    found = set(lines) | set(commits) | set(completions) | set(active)
    empty: dict[str, int] = {}
    return {
        department: DepartmentTotals(
            active_developers=active.get(department, 0),
            commits=commits.get(department, empty).get("commits", 0),
            lines=LinePair(
                lines.get(department, empty).get("lines_added", 0),
                lines.get(department, empty).get("lines_deleted", 0),
            ),
            ai=LinePair(
                lines.get(department, empty).get("ai_lines_added", 0),
                lines.get(department, empty).get("ai_lines_deleted", 0),
            ),
            completions_suggested=completions.get(department, empty).get("suggested", 0),
            completions_accepted=completions.get(department, empty).get("accepted", 0),
        )
        for department in found
    }
