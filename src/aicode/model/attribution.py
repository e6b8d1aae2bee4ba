"""Sources, product types and the product x source pairs committed lines are attributed to."""

from __future__ import annotations

import functools
from typing import Final, Literal

Source = Literal["TAB", "AGENT", "QUEST", "INLINECHAT"]
ProductType = Literal["ide", "plugin", "cli"]

SOURCES: Final[tuple[str, ...]] = ("TAB", "AGENT", "QUEST", "INLINECHAT")
PRODUCT_TYPES: Final[tuple[str, ...]] = ("ide", "plugin", "cli")

# Vendors name the same sources differently: Qoder's NEXT is Cursor's TAB, Cursor's COMPOSER is
# an agent, Windsurf's Command is an inline edit. Facts are stored under one canonical name.
SOURCE_ALIASES: Final[dict[str, str]] = {
    "TAB": "TAB",
    "NEXT": "TAB",
    "COMPLETION": "TAB",
    "AGENT": "AGENT",
    "COMPOSER": "AGENT",
    "QUEST": "QUEST",
    "INLINECHAT": "INLINECHAT",
    "INLINE_CHAT": "INLINECHAT",
    "COMMAND": "INLINECHAT",
}

# The AI pairs of Qoder's commit breakdown, in the seed's order; nonAi is derived, never stored.
ATTRIBUTION_PAIRS: Final[tuple[str, ...]] = (
    "ideNext",
    "pluginNext",
    "ideAgent",
    "pluginAgent",
    "cliAgent",
    "ideQuest",
    "ideInlineChat",
    "jbInlineChat",
)

# Cursor splits AI lines into TAB (completion) and COMPOSER (everything agent- or chat-driven).
TAB_PAIRS: Final[tuple[str, ...]] = ("ideNext", "pluginNext")
COMPOSER_PAIRS: Final[tuple[str, ...]] = tuple(p for p in ATTRIBUTION_PAIRS if p not in TAB_PAIRS)

_PAIR_BY_SOURCE: Final[dict[tuple[str, str], str]] = {
    ("TAB", "ide"): "ideNext",
    ("TAB", "plugin"): "pluginNext",
    ("TAB", "cli"): "ideNext",
    ("AGENT", "ide"): "ideAgent",
    ("AGENT", "plugin"): "pluginAgent",
    ("AGENT", "cli"): "cliAgent",
    ("QUEST", "ide"): "ideQuest",
    ("QUEST", "plugin"): "ideQuest",
    ("QUEST", "cli"): "ideQuest",
    ("INLINECHAT", "ide"): "ideInlineChat",
    ("INLINECHAT", "plugin"): "jbInlineChat",
    ("INLINECHAT", "cli"): "ideInlineChat",
}

_SOURCE_BY_PAIR: Final[dict[str, tuple[str, str]]] = {
    "ideNext": ("TAB", "ide"),
    "pluginNext": ("TAB", "plugin"),
    "ideAgent": ("AGENT", "ide"),
    "pluginAgent": ("AGENT", "plugin"),
    "cliAgent": ("AGENT", "cli"),
    "ideQuest": ("QUEST", "ide"),
    "ideInlineChat": ("INLINECHAT", "ide"),
    "jbInlineChat": ("INLINECHAT", "plugin"),
}


def canonical_source(value: str) -> str | None:
    """Map a vendor's source name to the canonical one, or None when it is unknown."""
    return SOURCE_ALIASES.get(value.strip().upper())


def attribution_pair(source: str, product_type: str) -> str:
    """The Qoder product x scenario pair that lines of this source and product count under."""
    return _PAIR_BY_SOURCE[(source, product_type)]


def pair_source(pair: str) -> tuple[str, str]:
    """The canonical (source, productType) a pair stands for."""
    return _SOURCE_BY_PAIR[pair]


# Cached: detail lists look the 16 names up for every row they read (1M-row exports).
@functools.cache
def pair_column(pair: str, kind: Literal["added", "deleted"]) -> str:
    """Storage column of a pair's added or deleted line count, e.g. ``ide_next_added``."""
    snake = "".join("_" + c.lower() if c.isupper() else c for c in pair)
    return f"{snake}_{kind}"


AI_ADDED_COLUMNS: Final[tuple[str, ...]] = tuple(pair_column(p, "added") for p in ATTRIBUTION_PAIRS)
AI_DELETED_COLUMNS: Final[tuple[str, ...]] = tuple(
    pair_column(p, "deleted") for p in ATTRIBUTION_PAIRS
)
AI_COLUMNS: Final[tuple[str, ...]] = tuple(
    c for pair in zip(AI_ADDED_COLUMNS, AI_DELETED_COLUMNS, strict=True) for c in pair
)
