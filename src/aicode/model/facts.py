"""Facts: the append-only events clients send, as validated wire structures.

Field names on the wire are camelCase. Every fact carries a client-chosen ``id`` so that a
resent fact is recognised and not stored twice, the ``user`` it belongs to (an email, a user
id, an encoded ``user_...`` id, a numeric id or any alias) and a timestamp ``ts``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Final, Literal

import msgspec

Count = Annotated[int, msgspec.Meta(ge=0, le=2**31 - 1)]
ShortText = Annotated[str, msgspec.Meta(max_length=256)]
Identifier = Annotated[str, msgspec.Meta(min_length=1, max_length=256)]
Path = Annotated[str, msgspec.Meta(min_length=1, max_length=4096)]
Fingerprint = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
CommitHash = Annotated[str, msgspec.Meta(pattern="^[0-9a-fA-F]{4,64}$")]
LineNumber = Annotated[int, msgspec.Meta(ge=1, le=2**31 - 1)]
# Epoch milliseconds or an RFC 3339 string; naive date-times are taken as UTC.
Timestamp = dt.datetime | int
ProductType = Literal["ide", "plugin", "cli"]


# gc=False: decoded facts never form reference cycles, and tracking the thousands a batch
# decodes made the collector run every few hundred of them (about 15% of parse time).
class _Wire(msgspec.Struct, kw_only=True, rename="camel", omit_defaults=True, gc=False):
    pass


class NumberedLine(_Wire, kw_only=True):
    """One line of a commit's diff: its line number in the file and its fingerprint."""

    line: Annotated[int, msgspec.Meta(ge=1)]
    fp: Fingerprint
    trivial: bool = False


class LineRange(_Wire, kw_only=True):
    """Inclusive range of line numbers."""

    start: Annotated[int, msgspec.Meta(ge=1)]
    end: Annotated[int, msgspec.Meta(ge=1)]


class RangeGroup(_Wire, kw_only=True):
    """Lines of one file that one AI conversation contributed, as in Qoder's commit detail."""

    source: ShortText
    ranges: list[LineRange]
    conversation_id: ShortText | None = None
    product_type: ProductType = "ide"
    type: Literal["added", "deleted"] = "added"


class RangeAnnotation(_Wire, kw_only=True):
    """AI line ranges of one file of a commit."""

    file_path: Path
    groups: list[RangeGroup]


class Attribution(_Wire, kw_only=True):
    """AI-attributed line counts by product x source, as Qoder's commit breakdown names them."""

    ide_next_lines_added: Count = 0
    ide_next_lines_deleted: Count = 0
    plugin_next_lines_added: Count = 0
    plugin_next_lines_deleted: Count = 0
    ide_agent_lines_added: Count = 0
    ide_agent_lines_deleted: Count = 0
    plugin_agent_lines_added: Count = 0
    plugin_agent_lines_deleted: Count = 0
    cli_agent_lines_added: Count = 0
    cli_agent_lines_deleted: Count = 0
    ide_quest_lines_added: Count = 0
    ide_quest_lines_deleted: Count = 0
    ide_inline_chat_lines_added: Count = 0
    ide_inline_chat_lines_deleted: Count = 0
    jb_inline_chat_lines_added: Count = 0
    jb_inline_chat_lines_deleted: Count = 0


class _Fact(_Wire, tag_field="type", kw_only=True):
    id: Identifier
    user: Identifier
    ts: Timestamp
    ide: ShortText | None = None
    client_version: ShortText | None = None


class CompletionFact(_Fact, tag="completion", kw_only=True):
    """Inline completions shown and accepted (one event, or a burst counted together)."""

    language: ShortText | None = None
    model: ShortText | None = None
    product_type: ProductType = "ide"
    count_suggested: Count = 1
    count_accepted: Count = 0
    lines_suggested: Count = 0
    lines_accepted: Count = 0
    bytes_accepted: Count = 0


class ChatFact(_Fact, tag="chat", kw_only=True):
    """One answer of a chat assistant; chatType is Lingma's type or Windsurf's intent."""

    chat_type: ShortText = "FREE_INPUT"
    language: ShortText | None = None
    model: ShortText | None = None
    product_type: ProductType = "ide"
    conversation_id: ShortText | None = None
    accepted: bool = False
    inserted_at_cursor: bool = False
    applied: bool = False
    loc_used: Count = 0


class ChangeFile(_Wire, kw_only=True):
    """One file an AI edit touched, with the fingerprints of the lines it added."""

    file_name: Path
    file_extension: ShortText | None = None
    language: ShortText | None = None
    lines_added: Count | None = None
    lines_deleted: Count | None = None
    bytes_added: Count = 0
    bytes_removed: Count = 0
    added_fingerprints: list[Fingerprint] = []
    deleted_fingerprints: list[Fingerprint] = []


class ChangeFact(_Fact, tag="change", kw_only=True):
    """An AI edit in the IDE or CLI, before anything is committed.

    ``repo`` is the repository identifier commits carry (``host/owner/name``); with it, the
    edit only matches commits of that repository.
    """

    source: ShortText
    repo: Identifier | None = None
    product_type: ProductType = "ide"
    model: ShortText | None = None
    conversation_id: ShortText | None = None
    accepted: bool = True
    language: ShortText | None = None
    command_source: ShortText | None = None
    provider_source: ShortText | None = None
    selection_lines: Count = 0
    selection_bytes: Count = 0
    files: list[ChangeFile] = []


class CommitFile(_Wire, kw_only=True):
    """One file of a commit: added and deleted lines, and AI counts when the client knows them.

    Of a merge commit (two or more parents), whose diff against its first parent carries what
    the merged branches brought, ``ownAddedLines`` and ``ownDeletedLines`` number the lines
    the merge itself wrote: added lines no parent has (a conflict resolution), deleted lines
    every parent had. Any other line of a merge is carried (see docs/metrics.md).
    """

    path: Path
    old_path: Path | None = None
    binary: bool = False
    lines_added: Count | None = None
    lines_deleted: Count | None = None
    added_lines: list[NumberedLine] = []
    deleted_lines: list[NumberedLine] = []
    own_added_lines: list[LineNumber] = []
    own_deleted_lines: list[LineNumber] = []
    attribution: Attribution | None = None


class CommitFact(_Fact, tag="commit", kw_only=True):
    """A git commit; idempotent by (organization, repository, commit hash).

    ``ts`` is the author time (the day the commit counts in); ``committedAt``, git's committer
    time, says when the commit was made (later for an amend, rebase or cherry-pick): AI edits up
    to then may match its lines.
    """

    id: Identifier = ""
    repo: Identifier
    commit_hash: CommitHash
    branch: ShortText | None = None
    is_primary_branch: bool | None = None
    message: Annotated[str, msgspec.Meta(max_length=65536)] | None = None
    parents: list[ShortText] = []
    committed_at: Timestamp | None = None
    files: list[CommitFile] = []
    lines_added: Count | None = None
    lines_deleted: Count | None = None
    attribution: Attribution | None = None
    range_annotations: list[RangeAnnotation] = []


class TypingFact(_Fact, tag="typing", kw_only=True):
    """Bytes typed by hand versus inserted by AI, for percent-code-written."""

    language: ShortText | None = None
    user_bytes: Count = 0
    ai_bytes_autocomplete: Count = 0
    ai_bytes_command: Count = 0


class RewriteMapping(_Wire, kw_only=True):
    """One rewritten commit: its old hash and the hash that replaces it."""

    old: CommitHash
    new: CommitHash


class RewriteFact(_Fact, tag="rewrite", kw_only=True):
    """History rewritten by amend or rebase (git's post-rewrite): old commits stop counting."""

    repo: Identifier
    kind: Literal["amend", "rebase"]
    mappings: Annotated[list[RewriteMapping], msgspec.Meta(min_length=1)]


Fact = CompletionFact | ChatFact | ChangeFact | CommitFact | TypingFact | RewriteFact

FACT_TYPES: Final[dict[str, type[msgspec.Struct]]] = {
    "completion": CompletionFact,
    "chat": ChatFact,
    "change": ChangeFact,
    "commit": CommitFact,
    "typing": TypingFact,
    "rewrite": RewriteFact,
}
