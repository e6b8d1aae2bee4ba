"""File extensions and the language names surfaces report for them."""

from __future__ import annotations

import posixpath
from typing import Final

LANGUAGE_BY_EXTENSION: Final[dict[str, str]] = {
    ".py": "python",
    ".pyi": "python",
    ".java": "java",
    ".kt": "kotlin",
    ".kts": "kotlin",
    ".go": "go",
    ".ts": "typescript",
    ".tsx": "typescript",
    ".js": "javascript",
    ".jsx": "javascript",
    ".mjs": "javascript",
    ".cjs": "javascript",
    ".rs": "rust",
    ".c": "c",
    ".h": "c",
    ".cc": "cpp",
    ".cpp": "cpp",
    ".cxx": "cpp",
    ".hpp": "cpp",
    ".cs": "csharp",
    ".rb": "ruby",
    ".php": "php",
    ".swift": "swift",
    ".scala": "scala",
    ".sql": "sql",
    ".sh": "shell",
    ".bash": "shell",
    ".vue": "vue",
    ".html": "html",
    ".css": "css",
    ".scss": "scss",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
    ".md": "markdown",
    ".proto": "protobuf",
    ".dart": "dart",
    ".lua": "lua",
    ".r": "r",
    ".m": "objective-c",
    ".ex": "elixir",
    ".exs": "elixir",
    ".tf": "terraform",
}


def extension_of(path: str) -> str:
    """The lower-case extension with its dot (``.go``), or '' when the file has none."""
    base = posixpath.basename(path.replace("\\", "/"))
    stem, ext = posixpath.splitext(base)
    if not stem or not ext:
        return ""
    return ext.lower()


def normalize_extension(value: str) -> str:
    """``go``, ``.GO`` and ``.go`` all become ``.go``."""
    value = value.strip().lower()
    if not value:
        return ""
    return value if value.startswith(".") else "." + value


def language_of(extension: str) -> str:
    """The language of an extension, or '' when unknown."""
    return LANGUAGE_BY_EXTENSION.get(extension, "")
