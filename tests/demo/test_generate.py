"""The demo generator: deterministic, valid, realistic, and its commits attributed honestly."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict

import msgspec
import pytest

from aicode.demo import DemoConfig, FactStream, fact_type, generate_developers, generate_facts
from aicode.ingest.normalize import normalize
from aicode.model.attribution import attribution_pair, canonical_source
from aicode.model.facts import (
    ChangeFact,
    CommitFact,
    CompletionFact,
    Fact,
    RangeAnnotation,
)

END = dt.date(2025, 3, 14)
SMALL = DemoConfig(seed=7, developers=12, days=10, end=END, batch_size=400)
MEDIUM = DemoConfig(seed=3, developers=60, days=28, end=END, batch_size=5000)


def _facts(config: DemoConfig) -> list[Fact]:
    return [fact for batch in generate_facts(config) for fact in batch]


@pytest.fixture(scope="module")
def small() -> list[Fact]:
    return _facts(SMALL)


@pytest.fixture(scope="module")
def medium() -> list[Fact]:
    return _facts(MEDIUM)


def test_same_seed_same_facts(small: list[Fact]) -> None:
    assert msgspec.json.encode(_facts(SMALL)) == msgspec.json.encode(small)


def test_other_seed_other_facts(small: list[Fact]) -> None:
    other = _facts(DemoConfig(seed=8, developers=12, days=10, end=END))
    assert msgspec.json.encode(other) != msgspec.json.encode(small)


def test_window_ends_on_the_end_date(small: list[Fact]) -> None:
    assert all(isinstance(f.ts, dt.datetime) and f.ts.tzinfo is dt.UTC for f in small)
    days = {f.ts.date() for f in small if isinstance(f.ts, dt.datetime)}
    assert min(days) >= SMALL.start
    assert max(days) <= END


def test_every_type_present_with_unique_seeded_ids(small: list[Fact]) -> None:
    kinds = Counter(fact_type(f) for f in small)
    assert set(kinds) == {"completion", "chat", "change", "commit", "typing"}
    ids = [f.id for f in small]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("demo-7-") for i in ids)


def test_batches_are_bounded_and_of_one_type() -> None:
    stream = FactStream(SMALL)
    batches = list(stream)
    assert len(batches) > 2
    for batch in batches:
        assert len({fact_type(f) for f in batch}) == 1
        assert len(batch) < SMALL.batch_size + 400  # at most one developer-day over
    assert sum(stream.counts.values()) == sum(len(b) for b in batches)
    assert stream.days_done == SMALL.days


def test_the_store_accepts_every_fact(small: list[Fact]) -> None:
    now = dt.datetime.combine(END, dt.time(23, 59), tzinfo=dt.UTC)
    batch = normalize(1, list(enumerate(small)), now=now)
    assert batch.rejected == []
    assert batch.duplicates_in_batch == 0


def test_changes_look_like_the_vendors_send_them(medium: list[Fact]) -> None:
    changes = [f for f in medium if isinstance(f, ChangeFact)]
    sources = {canonical_source(c.source) for c in changes}
    assert sources == {"TAB", "AGENT", "QUEST", "INLINECHAT"}
    assert {c.product_type for c in changes} == {"ide", "plugin", "cli"}
    assert any(not c.accepted for c in changes)
    assert any(c.command_source and c.provider_source for c in changes)
    agent = [c for c in changes if canonical_source(c.source) == "AGENT"]
    assert all(c.conversation_id and c.model for c in agent)
    for change in changes:
        for file in change.files:
            assert file.lines_added == len(file.added_fingerprints)
            assert all(len(fp) == 16 for fp in file.added_fingerprints)


def test_commits_have_branches_and_sometimes_no_primary_flag(medium: list[Fact]) -> None:
    commits = [f for f in medium if isinstance(f, CommitFact)]
    assert len({c.repo for c in commits}) >= 8
    flags = Counter(c.is_primary_branch for c in commits)
    assert flags[True]
    assert flags[False]
    assert flags[None]
    assert any(c.branch == "main" for c in commits)
    assert any(c.branch and c.branch != "main" for c in commits)


def _people(config: DemoConfig) -> dict[str, str]:
    """Every identity of a person (work email, git email, vendor id) -> the work email."""
    people: dict[str, str] = {}
    for dev in generate_developers(config):
        for identity in (dev.email, *dev.aliases):
            people[identity] = dev.email
    return people


Origin = tuple[dt.datetime, str, str, str | None]


def _rederive(
    commit: CommitFact, person: str, index: dict[tuple[str, str, str, str], list[Origin]]
) -> tuple[Counter[str], dict[str, set[tuple[object, ...]]]]:
    """Attribution of a commit from the AI edits alone: the latest earlier edit of a line wins."""
    assert isinstance(commit.ts, dt.datetime)
    counts: Counter[str] = Counter()
    ranges: dict[str, set[tuple[object, ...]]] = defaultdict(set)
    for file in commit.files:
        lines: dict[tuple[object, ...], list[int]] = defaultdict(list)
        for kind, numbered in (("added", file.added_lines), ("deleted", file.deleted_lines)):
            for line in numbered:
                earlier = [
                    o for o in index.get((person, file.path, kind, line.fp), []) if o[0] < commit.ts
                ]
                if not earlier:
                    continue
                _, source, product, conversation = max(earlier, key=lambda o: o[0])
                pair = attribution_pair(source, product)
                counts[f"{pair}:{kind}"] += 1
                lines[(conversation, source, product, kind)].append(line.line)
        for key, numbers in lines.items():
            for start, end in _runs(numbers):
                ranges[file.path].add((*key, start, end))
    return counts, ranges


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    runs: list[list[int]] = []
    for n in sorted(numbers):
        if runs and runs[-1][1] == n - 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return [(a, b) for a, b in runs]


def _declared(commit: CommitFact) -> tuple[Counter[str], dict[str, set[tuple[object, ...]]]]:
    counts: Counter[str] = Counter()
    for file in commit.files:
        assert file.attribution is not None
        for field, value in msgspec.structs.asdict(file.attribution).items():
            if value:
                snake, kind = field.rsplit("_lines_", 1)
                head, *rest = snake.split("_")
                pair = head + "".join(p.capitalize() for p in rest)
                counts[f"{pair}:{kind}"] += value
    ranges: dict[str, set[tuple[object, ...]]] = defaultdict(set)
    annotation: RangeAnnotation
    for annotation in commit.range_annotations:
        for group in annotation.groups:
            for r in group.ranges:
                ranges[annotation.file_path].add(
                    (
                        group.conversation_id,
                        group.source,
                        group.product_type,
                        group.type,
                        r.start,
                        r.end,
                    )
                )
    return counts, ranges


def test_commit_attribution_matches_the_ai_edits(medium: list[Fact]) -> None:
    people = _people(MEDIUM)
    index: dict[tuple[str, str, str, str], list[Origin]] = defaultdict(list)
    checked = ai_lines = human_lines = 0
    for fact in medium:
        if isinstance(fact, ChangeFact) and fact.accepted:
            assert isinstance(fact.ts, dt.datetime)
            source = canonical_source(fact.source)
            assert source is not None
            origin = (fact.ts, source, fact.product_type, fact.conversation_id)
            for file in fact.files:
                for fp in file.added_fingerprints:
                    index[(people[fact.user], file.file_name, "added", fp)].append(origin)
                for fp in file.deleted_fingerprints:
                    index[(people[fact.user], file.file_name, "deleted", fp)].append(origin)
        elif isinstance(fact, CommitFact):
            expected_counts, expected_ranges = _rederive(fact, people[fact.user], index)
            counts, ranges = _declared(fact)
            assert counts == expected_counts, fact.commit_hash
            assert ranges == expected_ranges, fact.commit_hash
            commit_ai = sum(v for k, v in counts.items() if k.endswith(":added"))
            assert fact.attribution is not None
            declared_total = sum(
                v
                for k, v in msgspec.structs.asdict(fact.attribution).items()
                if k.endswith("_added")
            )
            assert declared_total == commit_ai
            for file in fact.files:
                assert file.lines_added == len(file.added_lines)
            assert commit_ai <= (fact.lines_added or 0)
            ai_lines += commit_ai
            human_lines += (fact.lines_added or 0) - commit_ai
            checked += 1
    assert checked > 50
    assert ai_lines > 0
    assert human_lines > 0
    assert 0.15 < ai_lines / (ai_lines + human_lines) < 0.8


def test_weekends_are_quiet(medium: list[Fact]) -> None:
    per_day = Counter(f.ts.date() for f in medium if isinstance(f.ts, dt.datetime))
    weekday = [n for day, n in per_day.items() if day.weekday() < 5]
    weekend = [
        per_day.get(MEDIUM.start + dt.timedelta(days=d), 0)
        for d in range(MEDIUM.days)
        if (MEDIUM.start + dt.timedelta(days=d)).weekday() >= 5
    ]
    assert statistics.mean(weekend) < 0.25 * statistics.mean(weekday)


def test_acceptance_is_plausible_and_varies_by_person(medium: list[Fact]) -> None:
    completions = [f for f in medium if isinstance(f, CompletionFact)]
    suggested = sum(c.count_suggested for c in completions)
    accepted = sum(c.count_accepted for c in completions)
    assert 0.22 <= accepted / suggested <= 0.38
    by_user: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for c in completions:
        by_user[c.user][0] += c.count_suggested
        by_user[c.user][1] += c.count_accepted
    rates = [a / s for s, a in by_user.values() if s >= 100]
    assert statistics.pstdev(rates) > 0.03


def test_usage_is_heavy_tailed_with_inactive_people(medium: list[Fact]) -> None:
    people = _people(MEDIUM)
    per_person = Counter(people[f.user] for f in medium)
    everyone = {dev.email for dev in generate_developers(MEDIUM)}
    assert everyone - set(per_person)  # some people never show up
    ranked = sorted(per_person.values(), reverse=True)
    top = ranked[: max(1, len(everyone) // 10)]
    assert sum(top) > 0.25 * sum(ranked)


def test_people_look_like_an_hr_export() -> None:
    developers = generate_developers(DemoConfig(seed=42, developers=200, days=1, end=END))
    emails = [d.email for d in developers]
    assert len(set(emails)) == 200
    aliases = [a for d in developers for a in d.aliases]
    assert len(set(aliases)) == len(aliases)
    assert any(a.isdigit() for a in aliases)
    assert any(a.endswith("@users.noreply.github.com") for a in aliases)
    assert 0 < sum(d.privacy_mode for d in developers) < 30
    departments = {d.department for d in developers}
    assert 8 <= len({p for p in departments if "/" in p}) <= 12
    assert all(p.count("/") <= 1 for p in departments)
    groups = {g for d in developers for g in d.groups}
    assert {"backend", "frontend", "mobile", "ml"} <= groups


def test_a_cutoff_drops_facts_after_it_and_keeps_commits_whole() -> None:
    end = dt.date(2025, 6, 4)  # a Wednesday
    cutoff = dt.datetime(2025, 6, 4, 17, 0, tzinfo=dt.UTC)
    full = [f for batch in generate_facts(DemoConfig(developers=6, days=3, end=end)) for f in batch]
    cut = [
        f
        for batch in generate_facts(DemoConfig(developers=6, days=3, end=end, cutoff=cutoff))
        for f in batch
    ]
    assert all(isinstance(f.ts, dt.datetime) and f.ts <= cutoff for f in cut)
    assert any(isinstance(f.ts, dt.datetime) and f.ts.date() == end for f in cut)
    assert [f.id for f in cut] == [
        f.id for f in full if isinstance(f.ts, dt.datetime) and f.ts <= cutoff
    ]
