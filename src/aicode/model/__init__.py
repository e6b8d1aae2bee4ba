"""The canonical model: tenancy, identity and the facts every surface is computed from."""

from aicode.model.attribution import ATTRIBUTION_PAIRS, attribution_pair
from aicode.model.facts import (
    FACT_TYPES,
    Attribution,
    ChangeFact,
    ChangeFile,
    ChatFact,
    CommitFact,
    CommitFile,
    CompletionFact,
    Fact,
    LineRange,
    NumberedLine,
    RangeAnnotation,
    RangeGroup,
    RewriteFact,
    RewriteMapping,
    TypingFact,
)
from aicode.model.tenancy import Department, Organization, Scope, Token, User

__all__ = [
    "ATTRIBUTION_PAIRS",
    "FACT_TYPES",
    "Attribution",
    "ChangeFact",
    "ChangeFile",
    "ChatFact",
    "CommitFact",
    "CommitFile",
    "CompletionFact",
    "Department",
    "Fact",
    "LineRange",
    "NumberedLine",
    "Organization",
    "RangeAnnotation",
    "RangeGroup",
    "RewriteFact",
    "RewriteMapping",
    "Scope",
    "Token",
    "TypingFact",
    "User",
    "attribution_pair",
]
