"""``aicode agent-hook install|uninstall``: our entry in Claude Code's or Cursor's hook settings.

Only our entry is added, updated or removed; every other setting and hook stays as it was.
"""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any, Final

from aicode.hook.state import write_atomic

SCOPES: Final = {
    "claude-code": ("user", "project", "local"),
    "cursor": ("user", "project"),
}
CLAUDE_MATCHER: Final = "Edit|MultiEdit|Write"
CLAUDE_TIMEOUT_S: Final = 10
_OUR_COMMANDS: Final = ("aicode.hook agent ", "aicode agent-hook ")


class SettingsError(Exception):
    """The settings file cannot be read or has an unexpected shape."""


def settings_path(tool: str, scope: str, *, home: Path, repo_root: Path | None) -> Path:
    """The file the tool reads its hooks from, for a scope."""
    if scope == "user":
        return home / (".claude/settings.json" if tool == "claude-code" else ".cursor/hooks.json")
    if repo_root is None:
        raise SettingsError(f"the {scope} scope needs a repository")
    names = {
        ("claude-code", "project"): ".claude/settings.json",
        ("claude-code", "local"): ".claude/settings.local.json",
        ("cursor", "project"): ".cursor/hooks.json",
    }
    return repo_root / names[(tool, scope)]


def hook_command(tool: str, python: str | None = None) -> str:
    """The command the tool runs: this interpreter, started light (``-m aicode.hook``)."""
    return f"{shlex.quote(python or sys.executable)} -m aicode.hook agent {tool}"


def _is_ours(command: Any, tool: str) -> bool:
    return isinstance(command, str) and any(f"{c}{tool}" in command for c in _OUR_COMMANDS)


def _load(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        document = json.loads(path.read_text("utf-8") or "{}")
    except (ValueError, OSError) as exc:
        raise SettingsError(f"{path} is not valid JSON ({exc}); it was left unchanged") from exc
    if not isinstance(document, dict):
        raise SettingsError(f"{path} does not hold a JSON object; it was left unchanged")
    return document


def _container(parent: dict[str, Any], key: str, kind: type, path: Path) -> Any:
    value = parent.setdefault(key, kind())
    if not isinstance(value, kind):
        raise SettingsError(f"{path}: {key!r} is not a JSON {kind.__name__}; left unchanged")
    return value


def _save(path: Path, document: dict[str, Any]) -> None:
    write_atomic(path, (json.dumps(document, indent=2) + "\n").encode())


def _claude_entries(document: dict[str, Any], path: Path) -> list[Any]:
    hooks = _container(document, "hooks", dict, path)
    return _container(hooks, "PostToolUse", list, path)  # type: ignore[no-any-return]


def install(tool: str, path: Path, command: str) -> str:
    """Add (or update) our hook in a settings file; returns installed or updated."""
    document = _load(path)
    if tool == "claude-code":
        entries = _claude_entries(document, path)
        ours = {"type": "command", "command": command, "timeout": CLAUDE_TIMEOUT_S}
        for entry in entries:
            for hook in entry.get("hooks", []) if isinstance(entry, dict) else []:
                if isinstance(hook, dict) and _is_ours(hook.get("command"), tool):
                    hook.clear()
                    hook.update(ours)
                    entry["matcher"] = CLAUDE_MATCHER
                    _save(path, document)
                    return "updated"
        entries.append({"matcher": CLAUDE_MATCHER, "hooks": [ours]})
    else:
        document.setdefault("version", 1)
        hooks = _container(document, "hooks", dict, path)
        entries = _container(hooks, "afterFileEdit", list, path)
        for entry in entries:
            if isinstance(entry, dict) and _is_ours(entry.get("command"), tool):
                entry["command"] = command
                _save(path, document)
                return "updated"
        entries.append({"command": command})
    _save(path, document)
    return "installed"


def uninstall(tool: str, path: Path) -> str:
    """Remove our hook from a settings file; returns removed or absent."""
    document = _load(path)
    hooks = document.get("hooks")
    if not isinstance(hooks, dict):
        return "absent"
    event = "PostToolUse" if tool == "claude-code" else "afterFileEdit"
    entries = hooks.get(event)
    if not isinstance(entries, list):
        return "absent"
    kept: list[Any] = []
    for entry in entries:
        if tool == "cursor" or not isinstance(entry, dict):
            if not (isinstance(entry, dict) and _is_ours(entry.get("command"), tool)):
                kept.append(entry)
            continue
        inner = [
            h
            for h in entry.get("hooks", [])
            if not (isinstance(h, dict) and _is_ours(h.get("command"), tool))
        ]
        if len(inner) == len(entry.get("hooks", [])):
            kept.append(entry)
        elif inner:
            kept.append({**entry, "hooks": inner})
    if len(kept) == len(entries) and kept == entries:
        return "absent"
    # Leave no empty containers behind; a file that only held our hook goes away.
    if kept:
        hooks[event] = kept
    else:
        del hooks[event]
    if not hooks:
        del document["hooks"]
    if not document or (tool == "cursor" and document == {"version": 1}):
        path.unlink()
    else:
        _save(path, document)
    return "removed"
