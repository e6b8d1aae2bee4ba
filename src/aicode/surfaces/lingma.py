"""Tongyi Lingma's developerUsage and departmentUsage (issue 3)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
