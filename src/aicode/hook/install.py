"""``aicode hook install`` / ``uninstall``: the post-commit and post-rewrite hooks.

The hooks go where git looks for them (``core.hooksPath`` honoured). A hook already there is
renamed ``<name>.aicode-previous`` next to ours and run first, with the same arguments, input
and ``$0`` (shell hooks such as husky's find their helpers from ``$0``); its exit status is the
hook's. Uninstalling renames it back, so the directory is exactly as it was before.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Final

from aicode.hook.git import Repo
from aicode.hook.state import write_atomic

HOOKS: Final = ("post-commit", "post-rewrite")
MARKER: Final = "# aicode-hook v1"
PREVIOUS_SUFFIX: Final = ".aicode-previous"
MANIFEST: Final = "install.json"
_SHELLS: Final = frozenset({"sh", "bash", "dash", "zsh", "ksh", "ash", "mksh"})

_HEADER: Final = f"""#!/bin/sh
{MARKER}: installed by `aicode hook install`, removed by `aicode hook uninstall`.
# Sends the commit's line fingerprints (never code) to the aicode server in the background:
# git does not wait for it. A hook that was here before runs first, unchanged.
aicode_python={{python}}
aicode_status=0
case "$0" in */*) aicode_previous="${{{{0%/*}}}}" ;; *) aicode_previous=. ;; esac
aicode_previous="$aicode_previous/{{name}}{PREVIOUS_SUFFIX}"
"""

# The commit and its branch are read now: the background process may start after the next
# `git checkout`. A rebase replays commits on a detached HEAD; its post-rewrite sends them.
_POST_COMMIT: Final = """{previous}
if [ -x "$aicode_python" ]; then
    {{ read -r aicode_head; read -r aicode_ref; read -r aicode_rebase_merge
      read -r aicode_rebase_apply; }} <<AICODE_STATE
$(git rev-parse -q HEAD --symbolic-full-name HEAD --git-path rebase-merge \\
    --git-path rebase-apply 2>/dev/null)
AICODE_STATE
    if [ ! -d "$aicode_rebase_merge" ] && [ ! -d "$aicode_rebase_apply" ]; then
        "$aicode_python" -m aicode.hook post-commit "$aicode_head" "$aicode_ref" \\
            </dev/null >/dev/null 2>&1 &
    fi
fi
exit $aicode_status
"""

# The mappings on stdin go to both hooks, byte for byte (the "." keeps trailing newlines).
# An interactive rebase amends internally (fixup, squash) and reports each amend of commits
# it made itself; its own post-rewrite maps the original commits, so those amends are skipped.
_POST_REWRITE: Final = """aicode_input=$(cat; echo .)
aicode_input=${{aicode_input%.}}
{previous}
if [ -x "$aicode_python" ]; then
    {{ read -r aicode_ref; read -r aicode_rebase_merge
      read -r aicode_rebase_apply; }} <<AICODE_STATE
$(git rev-parse -q --symbolic-full-name HEAD --git-path rebase-merge \\
    --git-path rebase-apply 2>/dev/null)
AICODE_STATE
    if [ "$1" != amend ] || {{ [ ! -d "$aicode_rebase_merge" ] &&
            [ ! -d "$aicode_rebase_apply" ]; }}; then
        printf '%s' "$aicode_input" | \\
            "$aicode_python" -m aicode.hook post-rewrite "$1" "$aicode_ref" >/dev/null 2>&1 &
    fi
fi
exit $aicode_status
"""


def _previous_call(name: str, command: list[str] | None) -> str:
    """Shell lines running the saved hook, as git would have run it."""
    if command is None:
        return ""
    feed = "printf '%s' \"$aicode_input\" | " if name == "post-rewrite" else ""
    if command:  # a shell script: source it with $0 set to the hook's own path
        run = (
            f'AICODE_PREVIOUS_HOOK="$aicode_previous" {shlex.join(command)} '
            '-c \'. "$AICODE_PREVIOUS_HOOK"\' "$0" "$@"'
        )
    else:
        run = '"$aicode_previous" "$@"'
    return (
        'if [ -f "$aicode_previous" ] && [ -x "$aicode_previous" ]; then\n'
        f"    {feed}{run} || aicode_status=$?\n"
        "fi"
    )


def shell_of(script: Path) -> list[str] | None:
    """The shell command a hook script runs under ([] when it is not a shell script)."""
    try:
        with script.open("rb") as handle:
            first = handle.readline(512).decode("utf-8", "replace").strip()
    except OSError:
        return []
    if not first.startswith("#!"):
        return ["/bin/sh"]  # git runs a script without a #! line with sh
    words = first[2:].split()
    if not words:
        return ["/bin/sh"]
    program = Path(words[0]).name
    if program == "env" and len(words) > 1 and not words[1].startswith("-"):
        return words if Path(words[1]).name in _SHELLS else []
    return words if program in _SHELLS else []


def hook_script(name: str, python: str, previous: list[str] | None) -> str:
    """The text of our hook; ``previous`` is how to run the saved hook (None: there is none)."""
    body = _POST_COMMIT if name == "post-commit" else _POST_REWRITE
    header = _HEADER.format(python=shlex.quote(python), name=name)
    return header + body.format(previous=_previous_call(name, previous))


def is_ours(path: Path) -> bool:
    """Whether a hook file is one this module wrote."""
    try:
        with path.open("rb") as handle:
            return MARKER.encode() in handle.read(4096)
    except OSError:
        return False


@dataclasses.dataclass
class HookChange:
    """What install or uninstall did to one hook."""

    name: str
    path: str
    action: str  # installed, updated, chained, removed, restored, absent, foreign


def hooks_dir(repo: Repo) -> Path:
    """Where git runs this repository's hooks from."""
    return repo.git_path("hooks")


def install(repo: Repo, *, python: str | None = None) -> list[HookChange]:
    """Install both hooks, keeping whatever hook was already there."""
    folder = hooks_dir(repo)
    manifest = repo.state_dir / MANIFEST
    if not folder.exists():
        folder.mkdir(parents=True)
        write_atomic(manifest, json.dumps({"createdHooksDir": str(folder)}).encode())
    changes = []
    for name in HOOKS:
        path = folder / name
        saved = folder / (name + PREVIOUS_SUFFIX)
        action = "installed"
        if os.path.lexists(path) and not is_ours(path):
            if os.path.lexists(saved):
                raise FileExistsError(f"{saved} exists: move it away before installing")
            path.replace(saved)
            action = "chained"
        elif os.path.lexists(path):
            action = "updated"
        previous = shell_of(saved) if os.path.lexists(saved) else None
        script = hook_script(name, python or sys.executable, previous)
        write_atomic(path, script.encode(), mode=0o755)
        path.chmod(0o755)
        changes.append(HookChange(name, str(path), action))
    return changes


def uninstall(repo: Repo) -> list[HookChange]:
    """Remove both hooks and put back what was there before."""
    folder = hooks_dir(repo)
    changes = []
    for name in HOOKS:
        path = folder / name
        saved = folder / (name + PREVIOUS_SUFFIX)
        if os.path.lexists(path) and not is_ours(path):
            # Someone replaced our hook since: leave theirs, and the saved one, alone.
            changes.append(HookChange(name, str(path), "foreign"))
            continue
        if os.path.lexists(saved):
            saved.replace(path)
            changes.append(HookChange(name, str(path), "restored"))
        elif os.path.lexists(path):
            path.unlink()
            changes.append(HookChange(name, str(path), "removed"))
        else:
            changes.append(HookChange(name, str(path), "absent"))
    manifest = repo.state_dir / MANIFEST
    if manifest.exists():
        created = json.loads(manifest.read_text()).get("createdHooksDir")
        if created and Path(created) == folder and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
        manifest.unlink()
    return changes


def installed(repo: Repo) -> dict[str, bool]:
    """Which of our hooks are in place."""
    folder = hooks_dir(repo)
    return {name: is_ours(folder / name) for name in HOOKS}
