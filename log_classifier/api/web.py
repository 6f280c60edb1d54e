"""The web page at `GET /`: plain HTML + one script from `web/`, no build step, no CDN.

The page uploads a CSV to `POST /classify/?explain=true`, then shows the rows with filters,
charts of categories and stages, and a download of the classified CSV. Everything it needs is
served from this app, so it works offline.

Every HTML answer carries a Content-Security-Policy (`HtmlPolicyMiddleware`): the page's strict one
wherever the page is served (`/`, `/static/index.html`), and for FastAPI's `/docs` and `/redoc` one
that allows exactly the origins their HTML loads from (they need inline scripts and a CDN).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

WEB_DIR = Path(__file__).resolve().parent / "static"
STATIC_PREFIX = "/static"
# Only this app's own files; no inline script, nothing from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


_EXTERNAL_URL = re.compile(r"""(?:src|href)=["'](https://[^"']+)["']""")


def docs_policy(*html_pages: str) -> str:
    """A CSP for FastAPI's documentation pages: inline scripts and styles, and the origins their HTML
    loads from (read from the HTML itself, so it follows FastAPI's choice of CDN)."""
    origins = sorted({f"https://{urlsplit(url).netloc}" for page in html_pages for url in _EXTERNAL_URL.findall(page)})
    external = " ".join(origins)
    return (
        f"default-src 'self'; script-src 'self' 'unsafe-inline' {external}; "
        f"style-src 'self' 'unsafe-inline' {external}; img-src 'self' data: {external}; font-src 'self' https:; "
        "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    )


class HtmlPolicyMiddleware:
    """Pure ASGI: adds a Content-Security-Policy to every `text/html` answer that has none."""

    def __init__(self, app: ASGIApp, *, default: str, by_path: dict[str, str]) -> None:
        self.app = app
        self.default = default
        self.by_path = by_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html") and "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = self.by_path.get(scope["path"], self.default)
            await send(message)

        await self.app(scope, receive, send_with_policy)


def install_web(app: FastAPI) -> None:
    """Serve the page at `/` and its script and stylesheet under `/static`; a CSP on every HTML answer."""
    app.mount(STATIC_PREFIX, StaticFiles(directory=WEB_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    openapi_url = app.openapi_url or "/openapi.json"
    docs_pages = [
        bytes(get_swagger_ui_html(openapi_url=openapi_url, title=app.title).body).decode(),
        bytes(get_redoc_html(openapi_url=openapi_url, title=app.title).body).decode(),
    ]
    docs = docs_policy(*docs_pages)
    doc_paths = [path for path in (app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url) if path]
    app.add_middleware(HtmlPolicyMiddleware, default=CONTENT_SECURITY_POLICY, by_path=dict.fromkeys(doc_paths, docs))
