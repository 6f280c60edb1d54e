"""The web page at `GET /`: plain HTML + one script from `web/`, no build step, no CDN.

The page uploads a CSV to `POST /classify/?explain=true`, then shows the rows with filters,
charts of categories and stages, and a download of the classified CSV. Everything it needs is
served from this app, so it works offline.

Every HTML answer carries a Content-Security-Policy (`HtmlPolicyMiddleware`): the page's strict one,
unless the answer brings its own (the API docs do: `docs.py`).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
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


class HtmlPolicyMiddleware:
    """Pure ASGI: adds a Content-Security-Policy to every `text/html` answer that has none."""

    def __init__(self, app: ASGIApp, *, policy: str) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith("text/html") and "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = self.policy
            await send(message)

        await self.app(scope, receive, send_with_policy)


def install_web(app: FastAPI) -> None:
    """Serve the page at `/` and its script and stylesheet under `/static`; a CSP on every HTML answer."""
    app.mount(STATIC_PREFIX, StaticFiles(directory=WEB_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(WEB_DIR / "index.html", media_type="text/html; charset=utf-8",
                            headers={"Cache-Control": "no-cache"})

    app.add_middleware(HtmlPolicyMiddleware, policy=CONTENT_SECURITY_POLICY)
