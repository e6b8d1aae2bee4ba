"""One developer's day: whether they work, their sessions, what they commit and type."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable
from typing import cast

from aicode.demo.catalog import IDES, REPOS
from aicode.demo.commits import CommitHeader, WorkingCopy, assemble_commit
from aicode.demo.config import DemoConfig, between, pick, poisson, seeded, weighted
from aicode.demo.edits import (
    Session,
    ai_edit,
    chat_turn,
    client_version,
    completion_burst,
    file_kind,
    identity,
)
from aicode.demo.names import COMMIT_KINDS, COMMIT_VERBS, WORDS
from aicode.demo.people import Developer
from aicode.model.facts import Fact, TypingFact

# AI work older than this is abandoned, well inside the server's attribution window.
MAX_PENDING_DAYS = 7
RAMP_DAYS = 21
HOOK_VERSION = "aicode-hook/0.3.1"
_DAY_END = dt.timedelta(hours=23, minutes=59, seconds=59)
_WORK_END = dt.timedelta(hours=23, minutes=50)  # sessions end early enough to commit after

# Local work windows: (earliest start hour, latest start hour, shortest hours, longest hours).
_MORNING = (8.5, 10.5, 1.5, 3.5)
_AFTERNOON = (13.0, 15.0, 2.0, 4.0)
_EVENING = (20.0, 21.5, 0.75, 2.0)
_WEEKEND = (10.0, 16.0, 0.5, 2.0)


@dataclasses.dataclass
class UserState:
    """What carries over from one day to the next for a developer."""

    rng: random.Random
    work: WorkingCopy = dataclasses.field(default_factory=WorkingCopy)
    branches: dict[str, str] = dataclasses.field(default_factory=dict)
    heads: dict[str, str] = dataclasses.field(default_factory=dict)
    repo: str | None = None


def new_state(config: DemoConfig, dev: Developer) -> UserState:
    """A developer's state before the first day."""
    return UserState(rng=seeded(config.seed, "activity", dev.index))


def _window(
    rng: random.Random, day: dt.datetime, offset: int, shape: tuple[float, float, float, float]
) -> tuple[dt.datetime, int] | None:
    first, last, shortest, longest = shape
    local = first + rng.random() * (last - first)
    start = day + dt.timedelta(hours=local - offset)
    end = start + dt.timedelta(hours=shortest + rng.random() * (longest - shortest))
    # Keep every fact inside its UTC day so the last day never runs into the future.
    start, end = max(start, day), min(end, day + _WORK_END)
    seconds = int((end - start).total_seconds())
    return (start, seconds) if seconds >= 600 else None


def _sessions(
    rng: random.Random, dev: Developer, day: dt.datetime, weekend: bool
) -> list[tuple[dt.datetime, int]]:
    offset = dev.team.utc_offset
    if weekend:
        shapes = [_WEEKEND]
    else:
        shapes = [
            s
            for s, p in (
                (_MORNING, 0.85),
                (_AFTERNOON, 0.9),
                (_EVENING, min(0.4, 0.06 * dev.intensity)),
            )
            if rng.random() < p
        ] or [_AFTERNOON]
    found = [_window(rng, day, offset, shape) for shape in shapes]
    return sorted(w for w in found if w is not None)


def _branch(rng: random.Random, state: UserState, repo: str) -> tuple[str | None, bool | None]:
    roll = rng.random()
    if roll < 0.05:
        return None, None
    if roll < 0.30:
        return "main", True
    if repo not in state.branches or rng.random() < 0.25:
        kind = pick(rng, ("feature", "feature", "fix", "chore"))
        ticket = f"{REPOS[repo].ticket}-{rng.randint(100, 4999)}"
        state.branches[repo] = f"{kind}/{ticket}-{pick(rng, WORDS)}-{pick(rng, WORDS)}"
    # Some hooks cannot tell the default branch (shallow clones, no remote HEAD).
    return state.branches[repo], (None if roll < 0.36 else False)


def _message(rng: random.Random, repo: str) -> str:
    kind = weighted(rng, COMMIT_KINDS)
    verb = pick(rng, COMMIT_VERBS[kind])
    subject = f"{kind}({pick(rng, WORDS)}): {verb} {pick(rng, WORDS)} {pick(rng, WORDS)}"
    if rng.random() < 0.6:
        subject += f" ({REPOS[repo].ticket}-{rng.randint(100, 4999)})"
    return subject


def _commit(
    dev: Developer,
    state: UserState,
    repo: str,
    ts: dt.datetime,
    repo_files: tuple[str, ...],
    next_id: Callable[[], str],
) -> Fact:
    rng = state.rng
    pending = state.work.pending(repo)
    paths = sorted(pending, key=lambda p: pending[p].since)[: rng.randint(2, 7)]
    work = state.work.take(repo, paths)
    human_count = pick(rng, (0, 1, 1, 2, 3)) if work else between(rng, 1, 4)
    human = sorted(set(rng.sample(repo_files, k=min(human_count, len(repo_files)))) - set(work))
    branch, primary = _branch(rng, state, repo)
    commit_hash = f"{rng.getrandbits(160):040x}"
    parent = state.heads.get(repo)
    state.heads[repo] = commit_hash
    use_git_email = dev.git_email is not None and rng.random() < 0.85
    header = CommitHeader(
        fact_id=next_id(),
        user=dev.git_email if use_git_email and dev.git_email else dev.email,
        ts=ts,
        repo=repo,
        commit_hash=commit_hash,
        branch=branch,
        is_primary_branch=primary,
        message=_message(rng, repo),
        parents=(parent,) if parent else (),
        client_version=HOOK_VERSION,
    )
    return assemble_commit(rng, header, work, human)


def _when(fact: Fact) -> dt.datetime:
    return cast(dt.datetime, fact.ts)  # the demo always sends datetimes


def simulate_day(
    dev: Developer,
    state: UserState,
    config: DemoConfig,
    day: int,
    files: dict[str, tuple[str, ...]],
    next_id: Callable[[], str],
) -> list[Fact]:
    """The facts of one developer on one day (often none), session by session."""
    if not dev.present:
        return []
    rng = state.rng
    state.work.expire(day, MAX_PENDING_DAYS)
    date = config.start + dt.timedelta(days=day)
    weekend = date.weekday() >= 5
    presence = (
        dev.weekend_presence
        if weekend
        else dev.weekday_presence * (0.88 if date.weekday() == 4 else 1.0)
    )
    if rng.random() >= presence:
        return []
    midnight = dt.datetime.combine(date, dt.time(), tzinfo=dt.UTC)
    windows = _sessions(rng, dev, midnight, weekend)
    if not windows:
        return []
    ai = dev.uses_ai and day >= dev.adopt_day
    load = dev.intensity * rng.lognormvariate(-0.08, 0.4) * (0.5 if weekend else 1.0)
    if dev.adopt_day:
        # Newcomers start timidly and take a few weeks to use the assistants fully.
        load *= min(1.0, 0.3 + (day - dev.adopt_day) / RAMP_DAYS)
    total_seconds = sum(s for _, s in windows)
    out: list[Fact] = []
    ai_bytes: dict[tuple[str, str], list[int]] = {}
    commits = 0
    for number, (start, seconds) in enumerate(windows):
        if state.repo is None or rng.random() < 0.25:
            state.repo = pick(rng, dev.repos)
        repo = state.repo
        repo_files = files[repo]
        share = seconds / total_seconds
        session = Session(
            dev=dev,
            rng=rng,
            day=day,
            days=config.days,
            repo=repo,
            focus=rng.sample(repo_files, k=min(len(repo_files), between(rng, 1, 4))),
            repo_files=repo_files,
            ide=IDES[weighted(rng, dev.ides)],
            start=start,
            seconds=seconds,
            next_id=next_id,
            work=state.work,
            ai_bytes=ai_bytes,
        )
        if ai:
            language = file_kind(session.focus[0])[1]
            ai_bytes.setdefault((session.ide.name, language), [0, 0])
            for _ in range(poisson(rng, 4.5 * load * dev.tab_affinity * share)):
                completion_burst(session)
            for _ in range(poisson(rng, 2.2 * load * dev.agent_affinity * share)):
                ai_edit(session)
            for _ in range(poisson(rng, 2.8 * load * dev.chat_affinity * share)):
                chat_turn(session)
        session.facts.sort(key=_when)
        out.extend(session.facts)
        end = min(
            start + dt.timedelta(seconds=seconds + between(rng, 60, 900)), midnight + _DAY_END
        )
        wants = 0.7 if state.work.pending(repo) else 0.3
        if commits < 4 and rng.random() < wants:
            out.append(_commit(dev, state, repo, end, repo_files, next_id))
            commits += 1
        last = number == len(windows) - 1
        for other in dev.repos:
            pending = state.work.pending(other)
            stale = any(day - w.since >= 2 for w in pending.values())
            if last and other != repo and stale and rng.random() < 0.6:
                out.append(_commit(dev, state, other, end, files[other], next_id))
    if ai_bytes:
        start, seconds = windows[-1]
        when = start + dt.timedelta(seconds=seconds)
        for (ide_name, language), (auto, command) in sorted(ai_bytes.items()):
            out.append(
                TypingFact(
                    id=next_id(),
                    user=identity(dev, IDES[ide_name]),
                    ts=when,
                    ide=ide_name,
                    client_version=client_version(IDES[ide_name], dev, day, config.days),
                    language=language,
                    user_bytes=int(rng.lognormvariate(7.4, 0.8) * (1 + load)),
                    ai_bytes_autocomplete=auto,
                    ai_bytes_command=command,
                )
            )
    return out
