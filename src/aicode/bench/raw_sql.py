"""The baseline: each endpoint's aggregation as plain SQL over the raw fact tables.

This is what the product would run without rollups, written the way a competent analyst
would write it (filters pushed down, only the page's user-days broken down); it is the
yardstick the rollup-backed endpoints are compared with, not product code. Only integers and
dates are interpolated.
"""

from __future__ import annotations

import datetime as dt

from aicode.model.attribution import AI_COLUMNS


def written(column: str) -> str:
    """A commit (or commit file) column counted over all branches: a merge's own lines only.

    A merge commit (``own_lines_added`` set) carries the lines of the branches it merged,
    which their own commits already count; of its lines only those it wrote itself count.
    """
    if column in ("lines_added", "lines_deleted"):
        return f"coalesce(own_{column}, {column})"
    return f"CASE WHEN own_lines_added IS NULL THEN {column} ELSE own_{column} END"


# The files a merge only carried, none of whose lines it wrote itself.
CARRIED_FILE = "coalesce(own_lines_added + own_lines_deleted = 0, false)"
LINES_ADDED = written("lines_added")
LINES_DELETED = written("lines_deleted")
AI_ADDED = written("ai_lines_added")
AI_DELETED = written("ai_lines_deleted")


def raw_queries(org_num: int, start: dt.date, end: dt.date, page: int = 100) -> dict[str, str]:
    """Endpoint name -> the same aggregation over raw facts, for days ``start``..``end``."""
    stop = end + dt.timedelta(days=1)
    days = (stop - start).days
    org = int(org_num)

    def scope(alias: str = "") -> str:
        p = f"{alias}." if alias else ""
        return (
            f"{p}org_num = {org} AND {p}ts >= DATE '{start.isoformat()}'"
            f" AND {p}ts < DATE '{stop.isoformat()}'"
        )

    ai_sums = ", ".join(f"sum({written(c)}) AS {c}" for c in AI_COLUMNS)
    activity = (
        f"SELECT user_num, ts FROM completions WHERE {scope()}"
        f" UNION ALL SELECT user_num, ts FROM chats WHERE {scope()}"
        f" UNION ALL SELECT user_num, ts FROM changes WHERE {scope()}"
    )
    overview = f"""
WITH cm AS (
  SELECT count(*) AS commits, sum({LINES_ADDED}) AS lines_added,
    sum({LINES_DELETED}) AS lines_deleted, sum({AI_ADDED}) AS ai_lines_added,
    sum({AI_DELETED}) AS ai_lines_deleted, {ai_sums}
  FROM commits WHERE {scope()}),
cp AS (
  SELECT count(*) AS events, sum(count_suggested) AS suggested,
    sum(count_accepted) AS accepted, sum(lines_suggested) AS lines_suggested,
    sum(lines_accepted) AS lines_accepted
  FROM completions WHERE {scope()}),
ct AS (SELECT count(*) AS turns, count_if(accepted) AS chat_accepted FROM chats WHERE {scope()}),
cg AS (
  SELECT count(*) AS changes, count_if(accepted) AS changes_accepted,
    sum(CASE WHEN accepted THEN lines_added ELSE 0 END) AS accepted_lines_added,
    sum(CASE WHEN accepted THEN lines_deleted ELSE 0 END) AS accepted_lines_deleted,
    count_if(source = 'AGENT') AS agent_changes
  FROM changes WHERE {scope()}),
act AS (SELECT count(DISTINCT user_num) AS active_developers FROM ({activity}) AS a)
SELECT * FROM cm, cp, ct, cg, act"""

    daily = f"""
WITH d AS (SELECT CAST(DATE '{start.isoformat()}' + CAST(i AS INTEGER) AS DATE) AS day
  FROM range({days}) AS r(i)),
act AS (SELECT CAST(ts AS DATE) AS day, count(DISTINCT user_num) AS active_developers
  FROM ({activity}) AS a GROUP BY 1),
cm AS (SELECT CAST(ts AS DATE) AS day, count(*) AS commits, sum({LINES_ADDED}) AS lines_added,
  sum({AI_ADDED}) AS ai_lines_added FROM commits WHERE {scope()} GROUP BY 1),
cp AS (SELECT CAST(ts AS DATE) AS day, sum(count_suggested) AS suggested,
  sum(count_accepted) AS accepted FROM completions WHERE {scope()} GROUP BY 1),
ct AS (SELECT CAST(ts AS DATE) AS day, count(*) AS turns FROM chats WHERE {scope()} GROUP BY 1),
cg AS (SELECT CAST(ts AS DATE) AS day, count(*) AS changes FROM changes
  WHERE {scope()} GROUP BY 1)
SELECT d.day, coalesce(act.active_developers, 0) AS active_developers,
  coalesce(cm.commits, 0) AS commits, coalesce(cm.lines_added, 0) AS lines_added,
  coalesce(cm.ai_lines_added, 0) AS ai_lines_added, coalesce(cp.suggested, 0) AS suggested,
  coalesce(cp.accepted, 0) AS accepted, coalesce(ct.turns, 0) AS turns,
  coalesce(cg.changes, 0) AS changes
FROM d LEFT JOIN act ON act.day = d.day LEFT JOIN cm ON cm.day = d.day
  LEFT JOIN cp ON cp.day = d.day LEFT JOIN ct ON ct.day = d.day LEFT JOIN cg ON cg.day = d.day
ORDER BY d.day"""

    users = f"""
SELECT u.id, u.encoded_id, u.email, u.display_name, m.commits, m.lines_added,
  m.lines_deleted, m.ai_lines_added, m.ai_lines_deleted
FROM (SELECT user_num, count(*) AS commits, sum({LINES_ADDED}) AS lines_added,
    sum({LINES_DELETED}) AS lines_deleted, sum({AI_ADDED}) AS ai_lines_added,
    sum({AI_DELETED}) AS ai_lines_deleted
  FROM commits WHERE {scope()} GROUP BY user_num) AS m
JOIN users AS u ON u.user_num = m.user_num
ORDER BY m.ai_lines_added DESC, m.lines_added DESC, u.id LIMIT {page}"""

    departments = f"""
WITH per_user AS (
  SELECT user_num, sum(commits) AS commits, sum(lines_added) AS lines_added,
    sum(ai_lines_added) AS ai_lines_added, sum(suggested) AS suggested,
    sum(accepted) AS accepted, max(active) AS active
  FROM (
    SELECT user_num, count(*) AS commits, sum({LINES_ADDED}) AS lines_added,
      sum({AI_ADDED}) AS ai_lines_added, 0 AS suggested, 0 AS accepted, 0 AS active
    FROM commits WHERE {scope()} GROUP BY user_num
    UNION ALL
    SELECT user_num, 0, 0, 0, sum(count_suggested), sum(count_accepted), 1
    FROM completions WHERE {scope()} GROUP BY user_num
    UNION ALL SELECT user_num, 0, 0, 0, 0, 0, 1 FROM chats WHERE {scope()} GROUP BY user_num
    UNION ALL SELECT user_num, 0, 0, 0, 0, 0, 1 FROM changes WHERE {scope()} GROUP BY user_num
  ) AS parts GROUP BY user_num),
members AS (
  SELECT d.dept_num, u.user_num FROM departments AS d
  JOIN departments AS sub ON sub.org_num = d.org_num AND starts_with(sub.num_path, d.num_path)
  JOIN users AS u ON u.dept_num = sub.dept_num
  WHERE d.org_num = {org})
SELECT d.id, d.name, d.path, count(p.user_num) FILTER (WHERE p.active = 1) AS active_developers,
  coalesce(sum(p.commits), 0) AS commits, coalesce(sum(p.lines_added), 0) AS lines_added,
  coalesce(sum(p.ai_lines_added), 0) AS ai_lines_added,
  coalesce(sum(p.suggested), 0) AS suggested, coalesce(sum(p.accepted), 0) AS accepted
FROM departments AS d LEFT JOIN members AS m ON m.dept_num = d.dept_num
  LEFT JOIN per_user AS p ON p.user_num = m.user_num
WHERE d.org_num = {org}
GROUP BY d.id, d.name, d.path ORDER BY d.path"""

    repos = f"""
WITH g AS (SELECT repo, count(*) AS commits, sum({LINES_ADDED}) AS lines_added,
    sum({LINES_DELETED}) AS lines_deleted, sum({AI_ADDED}) AS ai_lines_added
  FROM commits WHERE {scope()} GROUP BY repo)
SELECT g.*, (SELECT count(*) FROM g) AS total FROM g ORDER BY repo LIMIT {page}"""

    extensions = f"""
SELECT extension, count(*) AS files, sum({LINES_ADDED}) AS lines_added,
  sum({AI_ADDED}) AS ai_lines_added
FROM commit_files WHERE {scope()} AND NOT {CARRIED_FILE}
GROUP BY extension ORDER BY lines_added DESC, extension"""

    commits = f"""
SELECT c.commit_hash, c.repo, c.branch, c.is_primary_branch, u.id, u.email, c.lines_added,
  c.lines_deleted, c.ai_lines_added, c.ai_lines_deleted, c.message, c.ts,
  (SELECT count(*) FROM commits WHERE {scope()}) AS total
FROM commits AS c JOIN users AS u ON u.user_num = c.user_num
WHERE {scope("c")}
ORDER BY c.ts DESC, c.k DESC LIMIT {page}"""

    usage = f"""
WITH pairs AS (
  SELECT CAST(ts AS DATE) AS day, user_num, max(ts) AS last_ts FROM ({activity}) AS a
  GROUP BY 1, 2),
pg AS (
  SELECT p.day, p.user_num, p.last_ts, u.id AS user_id FROM pairs AS p
  JOIN users AS u ON u.user_num = p.user_num ORDER BY p.day, u.id LIMIT {page}),
cp_by AS (
  SELECT day, user_num, ide, language, sum(count_suggested) AS suggested,
    sum(count_accepted) AS accepted, sum(lines_suggested) AS lines_suggested,
    sum(lines_accepted) AS lines_accepted
  FROM (SELECT pg.day, c.* FROM completions AS c
    JOIN pg ON pg.user_num = c.user_num AND pg.day = CAST(c.ts AS DATE) WHERE {scope("c")})
  GROUP BY ALL),
ct_by AS (
  SELECT day, user_num, chat_type, ide, count(*) AS turns, count_if(accepted) AS accepted,
    sum(loc_used) AS loc_used
  FROM (SELECT pg.day, c.* FROM chats AS c
    JOIN pg ON pg.user_num = c.user_num AND pg.day = CAST(c.ts AS DATE) WHERE {scope("c")})
  GROUP BY ALL),
cd_by AS (
  SELECT day, user_num, language,
    sum(completion_lines) + sum(assistant_lines) AS lines_accepted,
    sum(completion_lines) + sum(assistant_edited) AS lines_changed
  FROM (
    SELECT pg.day, c.user_num, c.language, c.lines_accepted AS completion_lines,
      0 AS assistant_lines, 0 AS assistant_edited
    FROM completions AS c JOIN pg ON pg.user_num = c.user_num AND pg.day = CAST(c.ts AS DATE)
    WHERE {scope("c")} AND c.lines_accepted > 0
    UNION ALL
    SELECT pg.day, c.user_num, f.language, 0, f.lines_added, f.lines_added + f.lines_deleted
    FROM changes AS c JOIN pg ON pg.user_num = c.user_num AND pg.day = CAST(c.ts AS DATE)
    JOIN change_files AS f ON f.k = c.k
    WHERE {scope("c")} AND c.accepted AND c.source <> 'TAB') AS coding
  GROUP BY ALL)
SELECT pg.day, pg.user_id, pg.last_ts, (SELECT count(*) FROM pairs) AS total,
  (SELECT list(cp_by) FROM cp_by WHERE cp_by.day = pg.day
    AND cp_by.user_num = pg.user_num) AS completions,
  (SELECT list(ct_by) FROM ct_by WHERE ct_by.day = pg.day
    AND ct_by.user_num = pg.user_num) AS chats,
  (SELECT list(cd_by) FROM cd_by WHERE cd_by.day = pg.day
    AND cd_by.user_num = pg.user_num) AS coding
FROM pg ORDER BY pg.day, pg.user_id"""

    return {
        "overview": overview,
        "daily": daily,
        "users": users,
        "departments": departments,
        "repos": repos,
        "extensions": extensions,
        "commits page 1": commits,
        "usage page 1": usage,
    }
