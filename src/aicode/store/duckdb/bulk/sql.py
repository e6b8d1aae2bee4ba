"""The statements that generate a bulk history (see ``bulk/__init__.py``), one day at a time.

Every pseudo-random value is ``hash(seed, label, day, person, n)`` reduced to [0, 1) or to an
index: deterministic for a seed, independent of evaluation order. Only integers, dates and the
history's vocabularies (quoted) are interpolated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from aicode.store.duckdb.bulk import BulkHistory

# Lines of a file by source: (fixed, log-scale spread, share of added lines also deleted).
_SHAPES = {"TAB": (1, 1.4, 0.1), "INLINECHAT": (2, 2.7, 0.4), "AGENT": (2, 4.2, 0.4)}
_QUEST = (4, 5.0, 0.3)


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _strs(values: Sequence[str]) -> str:
    return "CAST([" + ", ".join(_q(v) for v in values) + "] AS VARCHAR[])"


def _ints(values: Sequence[int]) -> str:
    return "CAST([" + ", ".join(str(int(v)) for v in values) + "] AS INTEGER[])"


def _nested(values: Sequence[Sequence[str]]) -> str:
    return "[" + ", ".join(_strs(v) for v in values) + "]"


def _nested_ints(values: Sequence[Sequence[int]]) -> str:
    return "[" + ", ".join(_ints(v) for v in values) + "]"


class Rand:
    """SQL for seeded pseudo-random values."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)

    def hash(self, label: str, *parts: str) -> str:
        return f"hash({self.seed}, {_q(label)}, {', '.join(parts)})"

    def unit(self, label: str, *parts: str) -> str:
        """A value in [0, 1)."""
        return f"(({self.hash(label, *parts)} % 1000003) / 1000003.0)"

    def below(self, n: str, label: str, *parts: str) -> str:
        """An integer in [0, n)."""
        return f"CAST({self.hash(label, *parts)} % CAST({n} AS UBIGINT) AS BIGINT)"

    def pick(self, values: str, label: str, *parts: str) -> str:
        """One element of a SQL list, uniformly (lists are weighted by repetition)."""
        return f"{values}[1 + {self.below(f'len({values})', label, *parts)}]"


def people(h: BulkHistory) -> str:
    """``bulk_users``: each person of the organization with the traits their days draw on."""
    r = Rand(h.seed)
    mix = _ints(h.ide_mix)
    repos = len(h.repos)
    return f"""
CREATE OR REPLACE TEMP TABLE bulk_users AS
SELECT user_num, idx, dept,
  {r.unit("ai", "idx")} < {float(h.ai_users)} AS uses_ai,
  least(6.0, pow(1.0 - {r.unit("intensity", "idx")}, -1.0 / 2.2) / 1.83) AS intensity,
  0.78 + 0.18 * {r.unit("weekday", "idx")} AS p_weekday,
  0.02 + 0.12 * {r.unit("weekend", "idx")} AS p_weekend,
  {r.pick(mix, "ide1", "idx")} AS ide1,
  {r.pick(mix, "ide2", "idx")} AS ide2,
  1 + (dept * 5 + {r.below("2", "repo1", "idx")}) % {repos} AS repo1,
  1 + (dept * 5 + 2 + {r.below("3", "repo2", "idx")}) % {repos} AS repo2,
  0.25 + 0.5 * {r.unit("share", "idx")} AS ai_share,
  6 + (dept * 3) % 5 AS start_hour
FROM (
  SELECT user_num, coalesce(dept_num, 0) AS dept,
    row_number() OVER (ORDER BY user_num) - 1 AS idx
  FROM users WHERE org_num = {int(h.org_num)}
) AS u"""


class Day:
    """The statements of one day of the history."""

    def __init__(self, h: BulkHistory, number: int) -> None:
        self.h = h
        self.r = Rand(h.seed)
        self.d = int(number)
        self.date: dt.date = h.day(number)
        self.midnight = f"TIMESTAMP '{self.date.isoformat()} 00:00:00'"
        ides = h.ides
        self.product = _strs([i.product_type for i in ides])
        self.names = _strs([i.name for i in ides])
        self.versions = _nested([i.versions for i in ides])
        self.completion_model = _strs([i.completion_model for i in ides])
        self.chat_models = _nested([i.chat_models for i in ides])
        self.agent_models = _nested([i.agent_models for i in ides])
        self.edit_sources = _nested([i.edit_sources for i in ides])
        self.edit_pairs = _nested_ints([i.edit_pairs for i in ides])
        self.tab_pairs = _ints([i.tab_pair for i in ides])
        self.chat_types = _nested([i.chat_types for i in ides])
        self.fallback = 1 + next(n for n, i in enumerate(ides) if i.completion_model)
        self.repo_names = _strs([repo.name for repo in h.repos])
        self.extensions = _nested([repo.extensions for repo in h.repos])
        self.languages = _nested([repo.languages for repo in h.repos])

    def key(self, kind: str, *parts: str) -> str:
        """A fact key no client fact can have: md5 over the organization, type and index."""
        tail = " || '/' || ".join(parts)
        return f"CAST(md5('aicode-bulk/{int(self.h.org_num)}/{kind}/{self.d}/' || {tail}) AS UUID)"

    def fact_id(self, kind: str, *parts: str) -> str:
        tail = " || '-' || ".join(parts)
        return f"'bulk-{int(self.h.seed)}-{self.d}-{kind}-' || {tail}"

    def at(self, seconds: str) -> str:
        """The day's midnight plus a number of seconds (kept inside the day)."""
        return f"{self.midnight} + to_seconds(CAST(least({seconds}, 86399) AS BIGINT))"

    def ext_index(self, repo: str, label: str, *parts: str) -> str:
        return f"1 + {self.r.below(f'len({self.extensions}[{repo}])', label, *parts)}"

    def active(self) -> str:
        """``bulk_day``: who works today, how hard, and how many facts of each kind."""
        h, r, d = self.h, self.r, str(self.d)
        weekday = self.date.isoweekday()
        presence = (
            "p_weekend" if weekday >= 6 else "p_weekday * 0.88" if weekday == 5 else "p_weekday"
        )
        factor = 0.5 if weekday >= 6 else 1.0
        changes = float(h.changes_per_active_day)
        return f"""
CREATE TEMP TABLE bulk_day AS
SELECT *,
  CASE WHEN uses_ai THEN CAST(round(load * {changes} * (0.85 + 0.3 * {r.unit("nc", d, "idx")}))
    AS INTEGER) ELSE 0 END AS n_changes,
  CASE WHEN uses_ai THEN CAST(round(load * {changes * h.completions_per_change}
    * (0.8 + 0.4 * {r.unit("np", d, "idx")})) AS INTEGER) ELSE 0 END AS n_completions,
  CASE WHEN uses_ai THEN CAST(round(load * {changes * h.chats_per_change}
    * (0.5 + {r.unit("nh", d, "idx")})) AS INTEGER) ELSE 0 END AS n_chats,
  CAST(least(6, floor(load * {float(h.commits_per_active_day)} + {r.unit("nm", d, "idx")}))
    AS INTEGER) AS n_commits
FROM (
  SELECT *, {factor} * intensity * (0.55 + 0.9 * {r.unit("load", d, "idx")}) AS load
  FROM bulk_users WHERE {r.unit("present", d, "idx")} < {presence}
) AS a"""

    def edits(self) -> tuple[str, ...]:
        """``bulk_edits``, ``bulk_change_files`` and ``bulk_changes``: the day's AI edits."""
        r, d, org = self.r, str(self.d), int(self.h.org_num)
        j = ("idx", "j")
        shape = {
            part: "CASE source "
            + " ".join(f"WHEN '{s}' THEN {v[n]}" for s, v in _SHAPES.items())
            + f" ELSE {_QUEST[n]} END"
            for n, part in enumerate(("fixed", "spread", "deleted"))
        }
        edits = f"""
CREATE TEMP TABLE bulk_edits AS
SELECT *, {self.key("change", "idx", "j")} AS k,
  {self.at(f"start_hour * 3600 + floor({r.unit('t', d, *j)} * 36000)")} AS ts,
  CASE WHEN is_tab THEN {self.completion_model}[ide]
    ELSE {r.pick(f"{self.agent_models}[ide]", "model", d, *j)} END AS model,
  CASE WHEN source = 'TAB' OR source = 'INLINECHAT' THEN 1
    WHEN source = 'QUEST' THEN 1 + {r.below("3", "nf", d, *j)}
    ELSE 1 + CAST({r.unit("nf", d, *j)} < 0.2 AS INTEGER) END AS n_files
FROM (
  SELECT *,
    CASE WHEN is_tab THEN 'TAB' ELSE {self.edit_sources}[ide][e] END AS source
  FROM (
    SELECT user_num, idx, j, start_hour, ide, is_tab,
      1 + {r.below(f"len({self.edit_sources}[ide])", "edit", d, *j)} AS e,
      CASE WHEN {r.unit("repo", d, *j)} < 0.75 THEN repo1 ELSE repo2 END AS repo
    FROM (
      SELECT *, {self.completion_model}[ide] <> ''
        AND {r.unit("tab", d, *j)} < 0.62 AS is_tab
      FROM (
        SELECT *, CASE WHEN {r.unit("ide", d, *j)} < 0.8 THEN ide1 ELSE ide2 END AS ide
        FROM (SELECT *, unnest(range(n_changes)) AS j FROM bulk_day WHERE n_changes > 0)
      )
    )
  )
)"""
        added = (
            f"{shape['fixed']} + CAST(floor(exp({r.unit('la', d, *j, 'p')}"
            f" * {shape['spread']})) AS INTEGER)"
        )
        ext = self.ext_index("repo", "ext", d, *j, "p")
        files = f"""
CREATE TEMP TABLE bulk_change_files AS
SELECT k, {org} AS org_num, user_num, ts, CAST(p AS INTEGER) AS position,
  'src/pkg' || {r.below("30", "dir", d, *j, "p")} || '/mod'
    || {r.below("60", "file", d, *j, "p")} || {self.extensions}[repo][x] AS file_name,
  {self.extensions}[repo][x] AS extension, {self.languages}[repo][x] AS language,
  lines_added, lines_deleted, lines_added * 38 AS bytes_added,
  lines_deleted * 36 AS bytes_removed,
  []::VARCHAR[] AS added_fingerprints, []::VARCHAR[] AS deleted_fingerprints
FROM (
  SELECT *, CAST(floor(lines_added * {shape["deleted"]} * {r.unit("ld", d, *j, "p")})
    AS INTEGER) AS lines_deleted
  FROM (
    SELECT e.*, {added} AS lines_added, {ext} AS x
    FROM (SELECT *, unnest(range(n_files)) AS p FROM bulk_edits) AS e
  )
)"""
        changes = f"""
CREATE TEMP TABLE bulk_changes AS
SELECT e.k, {org} AS org_num, {self.fact_id("change", "idx", "j")} AS fact_id, e.user_num,
  e.ts, e.ts + INTERVAL 2 SECOND AS received_at, {self.names}[ide] AS ide,
  {r.pick(f"{self.versions}[ide]", "version", d, "idx")} AS client_version, source,
  {self.product}[ide] AS product_type, model,
  CASE WHEN is_tab THEN NULL ELSE 'bulk-conv-{self.d}-' || idx || '-' || (j // 6) END
    AS conversation_id,
  is_tab OR {r.unit("accepted", d, *j)} < 0.78 AS accepted, f.language,
  CASE WHEN {self.names}[ide] = 'windsurf' AND NOT is_tab
    THEN 'COMMAND_REQUEST_SOURCE_DEFAULT' ELSE '' END AS command_source,
  CASE WHEN {self.names}[ide] = 'windsurf' AND NOT is_tab
    THEN 'PROVIDER_SOURCE_COMMAND_EDIT' ELSE '' END AS provider_source,
  CASE WHEN source = 'INLINECHAT' THEN 1 + {r.below("20", "sel", d, *j)} ELSE 0 END
    AS selection_lines,
  CASE WHEN source = 'INLINECHAT' THEN 40 * (1 + {r.below("20", "sel", d, *j)}) ELSE 0 END
    AS selection_bytes,
  f.lines_added, f.lines_deleted, f.bytes_added, f.bytes_removed,
  {self.repo_names}[repo] AS repo
FROM bulk_edits AS e JOIN (
  SELECT k, arg_min(language, position) AS language,
    CAST(sum(lines_added) AS INTEGER) AS lines_added,
    CAST(sum(lines_deleted) AS INTEGER) AS lines_deleted,
    sum(bytes_added) AS bytes_added, sum(bytes_removed) AS bytes_removed
  FROM bulk_change_files GROUP BY k
) AS f ON f.k = e.k"""
        return edits, files, changes

    def completions(self) -> str:
        """``bulk_completions``: inline completion bursts, in the person's completing client."""
        r, d, org = self.r, str(self.d), int(self.h.org_num)
        j = ("idx", "j")
        return f"""
CREATE TEMP TABLE bulk_completions AS
SELECT {self.key("completion", *j)} AS k, {org} AS org_num,
  {self.fact_id("completion", *j)} AS fact_id, user_num, ts,
  ts + INTERVAL 2 SECOND AS received_at, {self.names}[ide] AS ide,
  {r.pick(f"{self.versions}[ide]", "version", d, "idx")} AS client_version,
  {self.languages}[repo1][{self.ext_index("repo1", "cext", d, *j)}] AS language,
  {self.completion_model}[ide] AS model, {self.product}[ide] AS product_type,
  suggested AS count_suggested, accepted AS count_accepted,
  suggested * per_line AS lines_suggested, accepted * per_line AS lines_accepted,
  accepted * per_line * 36 AS bytes_accepted
FROM (
  SELECT *,
    CAST(floor(suggested * (0.15 + 0.5 * {r.unit("acc", d, *j)})) AS INTEGER) AS accepted
  FROM (
    SELECT user_num, idx, j, repo1,
      CASE WHEN {self.completion_model}[ide1] <> '' THEN ide1 ELSE {self.fallback} END AS ide,
      {self.at(f"start_hour * 3600 + floor({r.unit('ct', d, *j)} * 36000)")} AS ts,
      CAST(1 + {r.below("8", "sug", d, *j)} AS INTEGER) AS suggested,
      CAST(1 + {r.below("3", "lpl", d, *j)} AS INTEGER) AS per_line
    FROM (SELECT *, unnest(range(n_completions)) AS j FROM bulk_day WHERE n_completions > 0)
  )
)"""

    def chats(self) -> str:
        """``bulk_chats``: chat turns, a few per conversation."""
        r, d, org = self.r, str(self.d), int(self.h.org_num)
        j = ("idx", "j")
        return f"""
CREATE TEMP TABLE bulk_chats AS
SELECT {self.key("chat", *j)} AS k, {org} AS org_num, {self.fact_id("chat", *j)} AS fact_id,
  user_num, ts, ts + INTERVAL 2 SECOND AS received_at, {self.names}[ide] AS ide,
  {r.pick(f"{self.versions}[ide]", "version", d, "idx")} AS client_version,
  {r.pick(f"{self.chat_types}[ide]", "chat_type", d, *j)} AS chat_type,
  {self.languages}[repo1][{self.ext_index("repo1", "hext", d, *j)}] AS language,
  {r.pick(f"{self.chat_models}[ide]", "chat_model", d, *j)} AS model,
  {self.product}[ide] AS product_type,
  'bulk-chat-{self.d}-' || idx || '-' || (j // 3) AS conversation_id, accepted,
  accepted AND {r.unit("cursor", d, *j)} < 0.5 AS inserted_at_cursor,
  accepted AND {r.unit("applied", d, *j)} < 0.6 AS applied,
  CASE WHEN accepted THEN CAST(1 + {r.below("40", "loc", d, *j)} AS INTEGER) ELSE 0 END
    AS loc_used
FROM (
  SELECT user_num, idx, j, repo1,
    CASE WHEN {r.unit("hide", d, *j)} < 0.8 THEN ide1 ELSE ide2 END AS ide,
    {self.at(f"start_hour * 3600 + floor({r.unit('ht', d, *j)} * 36000)")} AS ts,
    {r.unit("hacc", d, *j)} < 0.45 AS accepted
  FROM (SELECT *, unnest(range(n_chats)) AS j FROM bulk_day WHERE n_chats > 0)
)"""

    def typing(self) -> str:
        """``bulk_typing``: one typing summary per assistant user and day."""
        r, d, org = self.r, str(self.d), int(self.h.org_num)
        return f"""
CREATE TEMP TABLE bulk_typing AS
SELECT {self.key("typing", "idx")} AS k, {org} AS org_num,
  {self.fact_id("typing", "idx")} AS fact_id, user_num,
  {self.at("start_hour * 3600 + 37000")} AS ts,
  {self.at("start_hour * 3600 + 37002")} AS received_at, {self.names}[ide1] AS ide,
  {r.pick(f"{self.versions}[ide1]", "version", d, "idx")} AS client_version,
  {self.languages}[repo1][1] AS language,
  CAST((800 + {r.below("6000", "ub", d, "idx")}) * (1 + load) AS BIGINT) AS user_bytes,
  CAST(n_completions * (40 + {r.below("60", "ab", d, "idx")}) AS BIGINT)
    AS ai_bytes_autocomplete,
  CAST(n_changes * (20 + {r.below("30", "cb", d, "idx")}) AS BIGINT) AS ai_bytes_command
FROM bulk_day WHERE n_changes > 0"""
