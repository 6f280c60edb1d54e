"""The HTTP API, assembled: settings, lifespan (the models are loaded there, once), middleware,
error mapping and routers.

    POST /classify/       CSV in, CSV out                      routes/classify.py
    POST /classify/json   JSON lines in, one result per line   routes/classify.py
    GET  /health, /metrics                                     routes/service.py
    GET  /                the upload page                      web.py
    GET  /docs            Swagger UI (FastAPI)
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware

from log_classifier.api.errors import error_response, install_error_handlers
from log_classifier.api.metrics import install_metrics
from log_classifier.api.middleware import RequestIdMiddleware
from log_classifier.api.routes import classify, service
from log_classifier.api.web import install_web
from log_classifier.cascade import load_classifier
from log_classifier.config import Settings, get_settings
from log_classifier.logging_setup import configure_logging

DESCRIPTION = (
    "Sorts log lines into nine categories with a cascade: regex rules, sentence embeddings + "
    "logistic regression, then an LLM (Groq) for what the first two cannot place. "
    "Upload a CSV with `source` and `log_message` columns to `POST /classify/` (other columns come "
    "back unchanged), or send up to MAX_JSON_LOGS lines as JSON to `POST /classify/json`. "
    "A web page for uploading a CSV is at `/`; Prometheus metrics at `/metrics`. "
    "Every response carries an `X-Request-ID` header (yours, if you sent a sane one) that also "
    "appears in the server's log lines."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app from settings; the models are loaded in the lifespan, once."""
    settings = settings or get_settings()
    configure_logging(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.classifier = await anyio.to_thread.run_sync(load_classifier, settings)
        try:
            yield
        finally:
            app.state.classifier.close()

    app = FastAPI(title="Log classification service", version="1.0.0", description=DESCRIPTION, lifespan=lifespan)
    app.state.settings = settings
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"], allow_headers=["*"]
        )
    install_error_handlers(app)

    @app.middleware("http")
    async def reject_large_bodies(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_upload_mb * 1024 * 1024 + 65536:
            return error_response(413, f"the upload is larger than the {settings.max_upload_mb} MB limit")
        return await call_next(request)

    install_metrics(app)
    app.include_router(service.router)
    app.include_router(classify.router)
    install_web(app)

    # Added last, so outermost: every log line of a request, and every response, carries its id.
    app.add_middleware(RequestIdMiddleware)
    return app
