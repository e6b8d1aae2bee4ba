"""HTML responses: the Jinja2 templates, asset URLs and the headers every page carries."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import Any

import jinja2
from fastapi.responses import HTMLResponse

from aicode import __version__
from aicode.web.blocks import display

STATIC_DIR = Path(__file__).parent / "static"

# Scripts and styles come from the server's own /static only: no inline script, no CDN.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # Pages show an organization's numbers: never keep them in a shared cache or after sign-out.
    "Cache-Control": "no-store",
}


@functools.cache
def asset(name: str) -> str:
    """URL of a static file, with a content hash so browsers never run stale code."""
    digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]
    return f"/static/{name}?v={digest}"


@functools.cache
def environment() -> jinja2.Environment:
    """The template environment (built on first use, autoescaping HTML)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("aicode.web", "templates"),
        autoescape=jinja2.select_autoescape(("html",)),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = display
    env.globals["asset"] = asset
    env.globals["version"] = __version__
    return env


def page_response(template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A rendered template with the dashboard's security headers."""
    body = environment().get_template(template).render(**context)
    return HTMLResponse(body, status_code=status, headers=PAGE_HEADERS)
