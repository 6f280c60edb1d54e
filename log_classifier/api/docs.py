"""The API's documentation, Swagger UI at `/docs`, served with everything it loads from this app:
it works offline.

    GET /docs                  Swagger UI 5 (FastAPI's page, pointed at the local assets)
    GET /docs/oauth2-redirect  Swagger UI's OAuth2 redirect page
    GET /docs-assets/...       swagger-ui-bundle.js, swagger-ui.css, favicon.png

FastAPI's own page loads these from a CDN (a blank page without internet). The files come from the
`fastapi-offline` package (Swagger UI 5: FastAPI's OpenAPI 3.1 needs it), not copies kept here; the
page is FastAPI's, as in its guide to self-hosting the docs' JavaScript and CSS.

There is no `/redoc`: ReDoc 2 always loads its vendor's logo from that vendor's CDN, and needs inline
styles; Swagger UI shows the same schema.

Each page carries its own Content-Security-Policy: this app only, plus the hash of each inline script
the page holds (Swagger UI's initialiser).
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
ASSETS_PREFIX = "/docs-assets"
DOCS_URL = "/docs"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def docs_policy(html: str) -> str:
    """This app only, plus the hashes of the page's inline scripts."""
    hashes = "".join(
        f" 'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'self'; script-src 'self'{hashes}; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


def _with_policy(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = docs_policy(bytes(page.body).decode())
    return page


def install_docs(app: FastAPI) -> None:
    """Serve /docs and its OAuth2 redirect from this app (create the app with `docs_url=None,
    redoc_url=None`: FastAPI's own pages load from a CDN)."""
    app.mount(ASSETS_PREFIX, StaticFiles(directory=ASSETS_DIR), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return _with_policy(get_swagger_ui_html(
            openapi_url=root + openapi_url,
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=root + OAUTH2_REDIRECT_URL,
            swagger_js_url=f"{root}{ASSETS_PREFIX}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PREFIX}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PREFIX}/favicon.png",
            swagger_ui_parameters=app.swagger_ui_parameters,
        ))

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    async def swagger_ui_redirect() -> HTMLResponse:
        return _with_policy(get_swagger_ui_oauth2_redirect_html())
