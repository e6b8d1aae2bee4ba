"""Qoder's AI-code metrics and AI-code tracking (issue 4), under its own paths and errors.

``params`` maps Qoder's parameters onto metric filters, ``errors`` answers in Qoder's error
shape, ``stats`` serves the metrics, ``tracking`` the commit and change lists and commit
detail, ``export`` the CSV downloads; ``records`` names fields the Qoder way for all three.
"""

from __future__ import annotations

from aicode.surfaces.qoder import export, stats, tracking
from aicode.surfaces.qoder.errors import QODER

router = QODER.router(prefix="/v1/organizations/{organization_id}", tags=["qoder"])
for _module in (stats, tracking, export):
    router.include_router(_module.router)
# Last, so that every route above is tried first: other paths under the prefix answer 404.
QODER.fallback(router)

__all__ = ["router"]
