"""The web page at `GET /`: plain HTML + one script from `web/`, no build step, no CDN.

The page uploads a CSV to `POST /classify/?explain=true`, then shows the rows with filters,
charts of categories and stages, and a download of the classified CSV. Everything it needs is
served from this app, so it works offline.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

WEB_DIR = Path(__file__).resolve().parent / "static"
STATIC_PREFIX = "/static"
# Only this app's own files; no inline script, nothing from elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def install_web(app: FastAPI) -> None:
    """Serve the page at `/` and its script and stylesheet under `/static`."""
    app.mount(STATIC_PREFIX, StaticFiles(directory=WEB_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(
            WEB_DIR / "index.html",
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, "Cache-Control": "no-cache"},
        )
