"""``aicode agent-hook claude-code|cursor``: an agent's file edit becomes a ``change`` fact.

Claude Code's PostToolUse hook (Edit, MultiEdit, Write) and Cursor's afterFileEdit hook give
the file and the replaced strings on stdin. The fact carries the fingerprints of the whole
lines added and deleted, never the lines; it is spooled in the file's repository and delivered
by a detached process, so the agent waits only for the local work.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import IO, Any, Final

from aicode.attribution.fingerprint import fingerprint
from aicode.hook.commits import NO_EMAIL_HELP
from aicode.hook.facts import iso
from aicode.hook.git import GitError, Repo, author_email, file_at, find_repo, repo_id
from aicode.hook.lines import Lines, edit_lines, write_lines
from aicode.hook.spool import enqueue
from aicode.hook.state import log
from aicode.hook.transport import DeliveryError, load_config, organization_key

MAX_INPUT_BYTES: Final = 64 * 1024 * 1024
KEY_TIMEOUT_S: Final = 2.0  # only the first edit in a repository waits for the key
TOOLS: Final = ("claude-code", "cursor")
_CLAUDE_TOOLS: Final = frozenset({"Edit", "MultiEdit", "Write"})


@dataclasses.dataclass(frozen=True)
class Replacement:
    """One ``old -> new`` string replacement of an edit."""

    old: str
    new: str
    replace_all: bool = False


@dataclasses.dataclass(frozen=True)
class AgentEdit:
    """A tool's edit of one file, as its hook reported it."""

    tool: str  # claude-code | cursor
    event_id: str  # unique per edit: the fact id is derived from it
    file_path: Path
    replacements: tuple[Replacement, ...] = ()
    written: str | None = None  # a whole-file write's content
    conversation_id: str | None = None
    model: str | None = None
    user_email: str | None = None
    client_version: str | None = None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _optional(value: Any) -> str | None:
    return value[:256] if isinstance(value, str) and value else None


def _absolute(path: str, cwd: Any) -> Path:
    candidate = Path(path)
    if not candidate.is_absolute() and isinstance(cwd, str):
        candidate = Path(cwd) / candidate
    return candidate


def parse_claude_code(payload: dict[str, Any]) -> AgentEdit | None:
    """A Claude Code PostToolUse input for Edit, MultiEdit or Write; None for anything else."""
    tool = payload.get("tool_name")
    tool_input = payload.get("tool_input")
    if payload.get("hook_event_name") not in (None, "PostToolUse"):
        return None  # before the edit (PreToolUse) the file does not have its lines yet
    if tool not in _CLAUDE_TOOLS or not isinstance(tool_input, dict):
        return None
    path = _text(tool_input.get("file_path"))
    if not path:
        return None
    edits: list[dict[str, Any]] = []
    written = None
    if tool == "Write":
        written = _text(tool_input.get("content"))
    elif tool == "Edit":
        edits = [tool_input]
    else:
        edits = [e for e in tool_input.get("edits") or [] if isinstance(e, dict)]
    session = _optional(payload.get("session_id"))
    event = _text(payload.get("tool_use_id")) or _digest(session, path, tool_input)
    return AgentEdit(
        tool="claude-code",
        event_id=event,
        file_path=_absolute(path, payload.get("cwd")),
        replacements=tuple(
            Replacement(
                _text(e.get("old_string")), _text(e.get("new_string")), bool(e.get("replace_all"))
            )
            for e in edits
        ),
        written=written,
        conversation_id=session,
        model=_transcript_model(payload.get("transcript_path")),
    )


def parse_cursor(payload: dict[str, Any]) -> AgentEdit | None:
    """A Cursor afterFileEdit input; None for any other event."""
    if payload.get("hook_event_name") not in (None, "afterFileEdit"):
        return None
    path = _text(payload.get("file_path"))
    edits = [e for e in payload.get("edits") or [] if isinstance(e, dict)]
    if not path:
        return None
    roots = payload.get("workspace_roots")
    roots = roots if isinstance(roots, list) and all(isinstance(r, str) for r in roots) else []
    generation = _text(payload.get("generation_id"))
    return AgentEdit(
        tool="cursor",
        # One generation may edit a file several times: the edits tell those events apart.
        event_id=_digest(generation, path, edits),
        file_path=_absolute(path, roots[0] if roots else None),
        replacements=tuple(
            Replacement(_text(e.get("old_string")), _text(e.get("new_string"))) for e in edits
        ),
        conversation_id=_optional(payload.get("conversation_id")),
        model=_optional(payload.get("model")),
        user_email=_optional(payload.get("user_email")),
        client_version=_optional(payload.get("cursor_version")),
    )


def _digest(*parts: Any) -> str:
    blob = json.dumps(parts, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:32]


def _transcript_model(path: Any, tail_bytes: int = 256 * 1024) -> str | None:
    """The model of the last assistant turn in a Claude Code transcript (JSON lines), if any."""
    if not isinstance(path, str) or not path:
        return None
    try:
        with Path(path).expanduser().open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - tail_bytes))
            tail = handle.read().decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    for line in reversed(tail):
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        message = entry.get("message") if isinstance(entry, dict) else None
        if isinstance(message, dict) and _optional(message.get("model")):
            return _optional(message.get("model"))
    return None


PRODUCT_TYPES: Final = {"claude-code": "cli", "cursor": "ide"}


def changed_lines(repo: Repo, edit: AgentEdit, relative: str) -> tuple[Lines, Lines]:
    """(added, deleted) whole lines of the edit."""
    try:
        current: str | None = edit.file_path.read_text("utf-8", "surrogateescape")
    except OSError:
        current = None
    if edit.written is not None:
        before = file_at(repo, "HEAD", relative)
        previous = before.decode("utf-8", "surrogateescape") if before is not None else None
        return write_lines(previous, edit.written)
    added: Lines = []
    deleted: Lines = []
    for item in edit.replacements:
        more_added, more_deleted = edit_lines(
            current, item.old, item.new, replace_all=item.replace_all
        )
        added.extend(more_added)
        deleted.extend(more_deleted)
    return added, deleted


def relative_path(repo: Repo, path: Path) -> str | None:
    """The path relative to the working tree, with forward slashes; None when outside it."""
    try:
        relative = Path(os.path.realpath(path)).relative_to(repo.root)
    except ValueError:
        return None
    return relative.as_posix()


def change_fact(
    key: bytes, edit: AgentEdit, repo: Repo, relative: str, now: dt.datetime
) -> dict[str, Any]:
    """The ``change`` fact for an edit."""
    added, deleted = changed_lines(repo, edit, relative)
    # The person git will name as the commit's author, so that the edit and the commit meet.
    user = edit.user_email or author_email(repo)
    if user is None:
        raise GitError(f"git names no author here: {NO_EMAIL_HELP}")
    fact: dict[str, Any] = {
        "type": "change",
        "id": f"{edit.tool}:{edit.event_id}"[:256],
        "user": user,
        # Whole seconds, as git records commit times: an agent that commits its edit within
        # the same second would otherwise have edited "after" the commit.
        "ts": iso(now),
        "ide": edit.tool,
        "source": "AGENT",
        "productType": PRODUCT_TYPES[edit.tool],
        "repo": repo_id(repo),
        "files": [
            {
                "fileName": relative,
                "linesAdded": len(added),
                "linesDeleted": len(deleted),
                "bytesAdded": sum(len(x.encode("utf-8", "surrogateescape")) for x in added),
                "bytesRemoved": sum(len(x.encode("utf-8", "surrogateescape")) for x in deleted),
                "addedFingerprints": [fingerprint(key, x) for x in added],
                "deletedFingerprints": [fingerprint(key, x) for x in deleted],
            }
        ],
    }
    optional = {
        "model": edit.model,
        "conversationId": edit.conversation_id,
        "clientVersion": edit.client_version,
    }
    fact.update({k: v for k, v in optional.items() if v})
    return fact


def parse(tool: str, raw: bytes) -> AgentEdit | None:
    """The edit an agent hook's stdin describes, None when it is not a file edit."""
    payload = json.loads(raw)
    if not isinstance(payload, dict):
        return None
    return parse_claude_code(payload) if tool == "claude-code" else parse_cursor(payload)


def handle(
    tool: str, raw: bytes, *, now: dt.datetime | None = None, deliver: bool = True
) -> Path | None:
    """Spool the change an agent hook reported and start its delivery; the spool file, if any."""
    edit = parse(tool, raw)
    if edit is None:
        return None
    try:
        repo = find_repo(edit.file_path.parent)
    except GitError:
        return None  # not in a repository: no commit will ever carry these lines
    relative = relative_path(repo, edit.file_path)
    if relative is None:
        return None
    try:
        key = organization_key(repo, load_config(repo), timeout=KEY_TIMEOUT_S)
        fact = change_fact(key, edit, repo, relative, now or dt.datetime.now(dt.UTC))
        path = enqueue(repo, fact["repo"], facts=[fact])
        if deliver:
            _deliver_in_background(repo)
    except DeliveryError as exc:
        log(repo.state_dir, f"{tool} edit not sent, no fingerprint key: {exc}")
        return None
    except (OSError, GitError, ValueError) as exc:
        log(repo.state_dir, f"{tool} edit not sent: {type(exc).__name__}: {exc}")
        return None
    return path


def _deliver_in_background(repo: Repo) -> None:
    subprocess.Popen(
        [sys.executable, "-m", "aicode.hook", "flush"],
        cwd=repo.root,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        close_fds=True,
    )


def run_agent_hook(tool: str, stdin: IO[bytes]) -> None:
    """Entry point of the agent hooks: never raises, never prints (the agent reads stdout)."""
    try:
        if tool not in TOOLS:
            return
        handle(tool, stdin.read(MAX_INPUT_BYTES))
    except Exception:  # noqa: S110 -- nothing may disturb the agent
        pass
