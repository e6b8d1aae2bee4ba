"""Qoder's AI-code metrics and AI-code tracking (issue 4)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
