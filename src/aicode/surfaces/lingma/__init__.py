"""Tongyi Lingma's OpenAPI: developerUsage and departmentUsage (issue 3).

The routes live under ``/oapi/v1/lingma/organizations/{organizationId}/``, authenticate with
the ``x-yunxiao-token`` header, answer JSON arrays with pagination in response headers and
errors as ``{"errorCode", "errorMessage", "requestId"}``. Every number comes from
``aicode.metrics.usage``; this package only maps parameters, field names, pages and errors.
"""

from aicode.surfaces.lingma.routes import router

__all__ = ["router"]
