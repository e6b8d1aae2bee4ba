"""One session's assistant use: completion bursts, AI edits (changes) and chat turns."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import random
import uuid
from collections.abc import Callable

from aicode.demo.catalog import (
    COMMAND_SOURCES,
    IDES,
    PROVIDER_EDIT,
    PROVIDER_GENERATE,
    Ide,
    Weights,
)
from aicode.demo.commits import WorkingCopy, fingerprints
from aicode.demo.config import between, pick, weighted
from aicode.demo.people import Developer
from aicode.model.attribution import canonical_source
from aicode.model.facts import ChangeFact, ChangeFile, ChatFact, CompletionFact, Fact
from aicode.model.languages import extension_of, language_of

_ACCEPT_BASE = {"AGENT": 0.74, "QUEST": 0.84, "INLINECHAT": 0.68}
# How many files one edit touches, by weight.
_FILES: dict[str, Weights] = {
    "AGENT": (("1", 50), ("2", 30), ("3", 14), ("4", 6)),
    "QUEST": (("2", 40), ("3", 30), ("4", 20), ("6", 10)),
}
_SIZE = {"AGENT": 2.3, "QUEST": 2.9, "INLINECHAT": 1.4}  # log-median of lines added per file
_CODE_CHAT = frozenset(
    {
        "FREE_INPUT",
        "GENERATE_TESTCASE",
        "CODE_GENERATE_COMMENT",
        "OPTIMIZE_CODE",
        "CHAT_INTENT_GENERIC",
        "CHAT_INTENT_FUNCTION_REFACTOR",
        "CHAT_INTENT_FUNCTION_DOCSTRING",
        "CHAT_INTENT_CODE_BLOCK_REFACTOR",
        "CHAT_INTENT_FUNCTION_UNIT_TESTS",
    }
)


@functools.cache
def file_kind(path: str) -> tuple[str, str]:
    """A path's extension and language (repositories have few files, so this is cached)."""
    ext = extension_of(path)
    return ext, language_of(ext)


def conversation_id(rng: random.Random) -> str:
    """A random conversation id, UUID-shaped as vendors send them."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def client_version(ide: Ide, dev: Developer, day: int, days: int) -> str:
    """The newest release of a client this developer had installed on a day."""
    step = max(1, days // len(ide.versions))
    released = max(0, (day - dev.upgrade_lag) // step)
    return ide.versions[min(len(ide.versions) - 1, released)]


def identity(dev: Developer, ide: Ide) -> str:
    """The identity a client sends: Lingma plugins know the vendor's numeric user id."""
    if ide.vendor == "lingma" and dev.vendor_id:
        return dev.vendor_id
    return dev.email


@dataclasses.dataclass
class Session:
    """One stretch of work: a repository, a few files in focus, an editor, a time window."""

    dev: Developer
    rng: random.Random
    day: int
    days: int
    repo: str
    focus: list[str]
    repo_files: tuple[str, ...]
    ide: Ide
    start: dt.datetime
    seconds: int
    next_id: Callable[[], str]
    work: WorkingCopy
    facts: list[Fact] = dataclasses.field(default_factory=list)
    # (ide, language) -> [autocomplete bytes, command bytes] for the day's typing facts
    ai_bytes: dict[tuple[str, str], list[int]] = dataclasses.field(default_factory=dict)
    agent_conversation: str | None = None
    chat_conversation: str | None = None

    def at(self) -> dt.datetime:
        """A random moment of the session."""
        return self.start + dt.timedelta(seconds=int(self.rng.random() * self.seconds))

    @property
    def end(self) -> dt.datetime:
        """When the session ends."""
        return self.start + dt.timedelta(seconds=self.seconds)

    def _bytes(self, ide: str, language: str) -> list[int]:
        return self.ai_bytes.setdefault((ide, language), [0, 0])


def completion_burst(s: Session) -> None:
    """Inline suggestions in one file; accepted lines also arrive as a TAB change."""
    rng, dev, ide = s.rng, s.dev, s.ide
    assert ide.completion_model is not None
    path = pick(rng, s.focus)
    ext, language = file_kind(path)
    suggested = 1 + int(rng.expovariate(0.125))
    accepted = lines_suggested = lines_accepted = 0
    for _ in range(suggested):
        lines = 1 if rng.random() < 0.62 else between(rng, 2, 8)
        lines_suggested += lines
        if rng.random() < dev.acceptance:
            accepted += 1
            lines_accepted += lines
    bytes_accepted = lines_accepted * between(rng, 18, 46)
    ts = s.at()
    user = identity(dev, ide)
    version = client_version(ide, dev, s.day, s.days)
    s.facts.append(
        CompletionFact(
            id=s.next_id(),
            user=user,
            ts=ts,
            ide=ide.name,
            client_version=version,
            language=language,
            model=ide.completion_model,
            product_type=ide.product_type,
            count_suggested=suggested,
            count_accepted=accepted,
            lines_suggested=lines_suggested,
            lines_accepted=lines_accepted,
            bytes_accepted=bytes_accepted,
        )
    )
    s._bytes(ide.name, language)[0] += bytes_accepted
    if not lines_accepted:
        return
    fps = fingerprints(rng, lines_accepted)
    s.facts.append(
        ChangeFact(
            id=s.next_id(),
            user=user,
            ts=min(s.end, ts + dt.timedelta(seconds=between(rng, 1, 50))),
            ide=ide.name,
            client_version=version,
            source=ide.tab_source,
            product_type=ide.product_type,
            model=ide.completion_model,
            files=[
                ChangeFile(
                    file_name=path,
                    file_extension=ext[1:] or None,
                    lines_added=lines_accepted,
                    lines_deleted=0,
                    bytes_added=bytes_accepted,
                    added_fingerprints=fps,
                )
            ],
        )
    )
    s.work.record(s.repo, path, ("TAB", ide.product_type, None), fps, [], s.day)


def _edit_files(s: Session, source: str) -> list[str]:
    if source == "INLINECHAT":
        return [pick(s.rng, s.focus)]
    count = int(weighted(s.rng, _FILES[source]))
    pool = list(dict.fromkeys([*s.focus, *s.rng.sample(s.repo_files, k=min(4, len(s.repo_files)))]))
    return s.rng.sample(pool, k=min(count, len(pool)))


def ai_edit(s: Session) -> None:
    """An agent, quest or inline edit (some in a CLI agent), accepted or not."""
    rng, dev = s.rng, s.dev
    ide = IDES[dev.cli] if dev.cli and rng.random() < 0.35 else s.ide
    wire = weighted(rng, ide.edit_sources)
    source = canonical_source(wire)
    assert source is not None
    if source == "INLINECHAT":
        conversation = conversation_id(rng)
    else:
        if s.agent_conversation is None or rng.random() < 0.3:
            s.agent_conversation = conversation_id(rng)
        conversation = s.agent_conversation
    editing = source == "INLINECHAT" and rng.random() < 0.6
    selection = between(rng, 1, 30) if editing else 0
    files: list[ChangeFile] = []
    recorded: list[tuple[str, list[str], list[str]]] = []
    for path in _edit_files(s, source):
        ext = file_kind(path)[0]
        added = fingerprints(rng, 1 + int(rng.lognormvariate(_SIZE[source], 0.8)))
        if editing:
            removed = min(selection, 1 + int(rng.lognormvariate(1.2, 0.7)))
        else:
            removed = int(rng.lognormvariate(1.5, 0.8)) if rng.random() < 0.4 else 0
        deleted = fingerprints(rng, removed)
        width = between(rng, 24, 48)
        files.append(
            ChangeFile(
                file_name=path,
                file_extension=ext[1:] or None,
                lines_added=len(added),
                lines_deleted=len(deleted),
                bytes_added=len(added) * width,
                bytes_removed=len(deleted) * width,
                added_fingerprints=added,
                deleted_fingerprints=deleted,
            )
        )
        recorded.append((path, added, deleted))
    accepted = rng.random() < min(0.97, _ACCEPT_BASE[source] * (0.7 + dev.acceptance))
    windsurf_command = ide.name == "windsurf" and wire == "COMMAND"
    provider = (PROVIDER_EDIT if editing else PROVIDER_GENERATE) if windsurf_command else None
    s.facts.append(
        ChangeFact(
            id=s.next_id(),
            user=identity(dev, ide),
            ts=s.at(),
            ide=ide.name,
            client_version=client_version(ide, dev, s.day, s.days),
            source=wire,
            product_type=ide.product_type,
            model=pick(rng, ide.agent_models),
            conversation_id=conversation,
            accepted=accepted,
            command_source=weighted(rng, COMMAND_SOURCES) if windsurf_command else None,
            provider_source=provider,
            selection_lines=selection,
            selection_bytes=selection * between(rng, 24, 48),
            files=files,
        )
    )
    if not accepted:
        return
    for path, added, deleted in recorded:
        s.work.record(s.repo, path, (source, ide.product_type, conversation), added, deleted, s.day)
    if ide.product_type != "cli":
        language = file_kind(recorded[0][0])[1]
        s._bytes(ide.name, language)[1] += sum(f.bytes_added for f in files)


def chat_turn(s: Session) -> None:
    """One answer of the chat assistant, sometimes in the running agent conversation."""
    rng, ide = s.rng, s.ide
    chat_type = weighted(rng, ide.chat_types)
    if s.agent_conversation is not None and rng.random() < 0.35:
        conversation = s.agent_conversation
    elif s.chat_conversation is not None and rng.random() < 0.5:
        conversation = s.chat_conversation
    else:
        conversation = s.chat_conversation = conversation_id(rng)
    code = chat_type in _CODE_CHAT or chat_type.islower()
    inserted = code and rng.random() < 0.15
    applied = code and rng.random() < 0.22
    s.facts.append(
        ChatFact(
            id=s.next_id(),
            user=identity(s.dev, ide),
            ts=s.at(),
            ide=ide.name,
            client_version=client_version(ide, s.dev, s.day, s.days),
            chat_type=chat_type,
            language=file_kind(pick(rng, s.focus))[1],
            model=pick(rng, ide.chat_models),
            product_type=ide.product_type,
            conversation_id=conversation,
            accepted=rng.random() < 0.3,
            inserted_at_cursor=inserted,
            applied=applied,
            loc_used=between(rng, 2, 40) if inserted or applied else 0,
        )
    )
