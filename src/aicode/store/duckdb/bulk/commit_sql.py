"""The statements that generate a bulk day's commits and their files (see ``sql.py``).

Commits carry client attribution: each file's AI lines split between the author's main
client's TAB pair and one of its edit pairs, so the AI columns always sum to the AI lines and
never exceed the lines; the commit is the sum of its files.
"""

from __future__ import annotations

from aicode.model.attribution import AI_COLUMNS, ATTRIBUTION_PAIRS, pair_column
from aicode.store.duckdb.bulk.sql import Day

# Bulk commits are not merges: no own lines (see commit_parts.py).
_NOT_MERGES = "NULL::INTEGER AS own_lines_added, NULL::INTEGER AS own_lines_deleted"


def commits(day: Day) -> tuple[str, ...]:
    """``bulk_commit_heads``, ``bulk_commit_files`` and ``bulk_commits``."""
    r, d, org = day.r, str(day.d), int(day.h.org_num)
    j = ("idx", "j")
    p = (*j, "p")
    heads = f"""
CREATE TEMP TABLE bulk_commit_heads AS
SELECT *, CASE WHEN roll < 0.05 THEN NULL WHEN roll < 0.30 THEN 'main'
    ELSE 'feature/BULK-' || (100 + {r.below("4900", "ticket", d, "idx")}) END AS branch,
  CASE WHEN roll < 0.05 THEN NULL WHEN roll < 0.30 THEN true WHEN roll < 0.36 THEN NULL
    ELSE false END AS is_primary_branch
FROM (
  SELECT user_num, idx, j, {day.key("commit", *j)} AS k,
    CASE WHEN {r.unit("crepo", d, *j)} < 0.7 THEN repo1 ELSE repo2 END AS repo,
    md5('aicode-bulk-commit/{org}/{day.d}/' || idx || '/' || j)
      || substr(md5('aicode-bulk-tail/{org}/{day.d}/' || idx || '/' || j), 1, 8)
      AS commit_hash,
    {day.at(f"start_hour * 3600 + 5400 + floor({r.unit('mt', d, *j)} * 34000)")} AS ts,
    {r.unit("branch", d, *j)} AS roll,
    CASE WHEN uses_ai THEN ai_share ELSE 0.0 END AS share,
    CASE WHEN {day.completion_model}[ide1] <> '' THEN {day.tab_pairs}[ide1] ELSE 0 END
      AS tab_pair,
    {r.pick(f"{day.edit_pairs}[ide1]", "pair", d, *j)} AS edit_pair,
    1 + {r.below("6", "cnf", d, *j)} AS n_files
  FROM (SELECT *, unnest(range(n_commits)) AS j FROM bulk_day WHERE n_commits > 0)
)"""
    columns = []
    for n, pair in enumerate(ATTRIBUTION_PAIRS, start=1):
        columns.append(
            f"CASE WHEN tab_pair = {n} THEN tab_added ELSE 0 END"
            f" + CASE WHEN edit_pair = {n} THEN ai_lines_added - tab_added ELSE 0 END"
            f" AS {pair_column(pair, 'added')}"
        )
        columns.append(
            f"CASE WHEN edit_pair = {n} THEN ai_lines_deleted ELSE 0 END"
            f" AS {pair_column(pair, 'deleted')}"
        )
    ext = day.ext_index("repo", "fext", d, *p)
    files = f"""
CREATE TEMP TABLE bulk_commit_files AS
SELECT k, {org} AS org_num, user_num, ts, {day.repo_names}[repo] AS repo, commit_hash,
  is_primary_branch, CAST(p AS INTEGER) AS position,
  'src/pkg' || {r.below("30", "fdir", d, *p)} || '/mod' || {r.below("60", "fname", d, *p)}
    || {day.extensions}[repo][x] AS path,
  {day.extensions}[repo][x] AS extension, {day.languages}[repo][x] AS language,
  false AS is_binary, lines_added, lines_deleted, {", ".join(columns)},
  ai_lines_added, ai_lines_deleted,
  []::STRUCT(line INTEGER, fp VARCHAR, trivial BOOLEAN)[] AS added_lines,
  []::STRUCT(line INTEGER, fp VARCHAR, trivial BOOLEAN)[] AS deleted_lines, {_NOT_MERGES}
FROM (
  SELECT *, CASE WHEN tab_pair > 0 THEN CAST(floor(ai_lines_added * 0.35) AS INTEGER)
    ELSE 0 END AS tab_added
  FROM (
    SELECT *,
      CAST(least(lines_added, floor(lines_added * share * (0.4 + 1.2
        * {r.unit("ai", d, *p)}))) AS INTEGER) AS ai_lines_added,
      CAST(floor(lines_deleted * share * 0.6) AS INTEGER) AS ai_lines_deleted
    FROM (
      SELECT *, CAST(floor(lines_added * 0.6 * {r.unit("fdel", d, *p)}) AS INTEGER)
        AS lines_deleted
      FROM (
        SELECT *, CAST(1 + floor(exp({r.unit("fadd", d, *p)} * 5.3)) AS INTEGER)
          AS lines_added, {ext} AS x
        FROM (SELECT *, unnest(range(n_files)) AS p FROM bulk_commit_heads)
      )
    )
  )
)"""
    sums = ", ".join(f"CAST(sum({c}) AS INTEGER) AS {c}" for c in AI_COLUMNS)
    commits = f"""
CREATE TEMP TABLE bulk_commits AS
SELECT h.k, {org} AS org_num, {day.fact_id("commit", "idx", "j")} AS fact_id, h.user_num,
  h.ts, h.ts + INTERVAL 5 SECOND AS received_at, {day.repo_names}[h.repo] AS repo,
  h.commit_hash, h.branch, h.is_primary_branch,
  'feat(bulk): change ' || h.commit_hash[1:7] AS message, []::VARCHAR[] AS parents,
  '' AS ide, 'aicode-bulk' AS client_version, f.* EXCLUDE (k),
  'client' AS attribution_origin, {_NOT_MERGES}
FROM bulk_commit_heads AS h JOIN (
  SELECT k, CAST(sum(lines_added) AS INTEGER) AS lines_added,
    CAST(sum(lines_deleted) AS INTEGER) AS lines_deleted, {sums},
    CAST(sum(ai_lines_added) AS INTEGER) AS ai_lines_added,
    CAST(sum(ai_lines_deleted) AS INTEGER) AS ai_lines_deleted
  FROM bulk_commit_files GROUP BY k
) AS f ON f.k = h.k"""
    return heads, files, commits
