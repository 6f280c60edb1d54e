"""The HTTP API, assembled: settings, lifespan (the models are loaded there, once), middleware,
error mapping and routers.

    POST /classify/       CSV in, CSV out                      routes/classify.py
    POST /classify/json   JSON lines in, one result per line   routes/classify.py
    POST /ingest          log shippers' JSON / NDJSON feeds    routes/ingest.py
    POST /v1/logs         OpenTelemetry (OTLP/HTTP) logs       routes/otlp.py
    GET  /patterns, /patterns/{id}, /patterns/compare          routes/patterns.py
    PUT/DELETE /patterns/{id}/label, POST /feedback, GET /corrections   routes/corrections.py
    GET  /health, /metrics                                     routes/service.py
    GET  /                the upload page                      web.py
    GET  /docs            Swagger UI, served from this app     docs.py
    syslog (UDP, TCP)     when SYSLOG_*_PORT is set            receivers/syslog_server.py
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from log_classifier.alerts import AlertCounters, Alerter, NullAlerter, make_alerter
from log_classifier.api.docs import install_docs
from log_classifier.api.errors import install_error_handlers
from log_classifier.api.metrics import install_metrics
from log_classifier.api.middleware import (
    BodyLimit,
    BodySizeLimitMiddleware,
    CancelOnDisconnectMiddleware,
    JsonBodyMiddleware,
    LoadSheddingMiddleware,
    RequestIdMiddleware,
    RequestTimingMiddleware,
    log_access,
)
from log_classifier.api.recording import classify_and_record
from log_classifier.api.routes import classify, corrections, ingest, otlp, patterns, service
from log_classifier.api.web import install_web
from log_classifier.cascade import LoadedClassifier, load_classifier
from log_classifier.config import Settings, get_settings
from log_classifier.errors import ConfigurationError
from log_classifier.logging_setup import configure_logging
from log_classifier.patterns.recorder import NewPatternsFn, NullRecorder, Recorder, recorder_for
from log_classifier.patterns.store import PatternCounts, iso
from log_classifier.receivers.syslog_server import SyslogReceiver
from log_classifier.stages.encoder_queue import EncoderQueue

log = logging.getLogger(__name__)

DESCRIPTION = (
    "Sorts log lines into nine categories with a cascade: regex rules, sentence embeddings + "
    "logistic regression, then an LLM (Groq) for what the first two cannot place. "
    "Upload a CSV with `source` and `log_message` columns to `POST /classify/` (other columns come "
    "back unchanged), or send up to MAX_JSON_LOGS lines as JSON to `POST /classify/json`. "
    "Log shippers (Fluent Bit, Vector) post JSON arrays or NDJSON to `POST /ingest`; OpenTelemetry "
    "exporters send OTLP/HTTP logs to `POST /v1/logs`. "
    "Every classified line is counted under its pattern (source, header severity, masked message) in the "
    "pattern store: `GET /patterns` lists what was seen in a window, `GET /patterns/compare` what is new, gone "
    "or changed. A person corrects a pattern's label with `PUT /patterns/{id}/label` (or pastes lines to "
    "`POST /feedback`): every later line of it gets that label, in every process; `GET /corrections` is the audit. "
    "A web page for uploading a CSV and browsing patterns is at `/`; Prometheus metrics at `/metrics`. "
    "Every response carries an `X-Request-ID` header (yours, if you sent a sane one) that also "
    "appears in the server's log lines."
)


JSON_PATH = "/classify/json"
INGEST_PATH = "/ingest"
OTLP_PATH = otlp.PATH
CSV_PATH = "/classify/"
FEEDBACK_PATH = "/feedback"
SHED_PATHS = (JSON_PATH, INGEST_PATH, OTLP_PATH)
"""Answered 503 + Retry-After while the encoder's queue is longer than MAX_QUEUE_S (log shippers retry)."""
CANCELLABLE_PATHS = (JSON_PATH, INGEST_PATH, OTLP_PATH, CSV_PATH)
"""Their work stops when the client disconnects."""


class ServiceApp(FastAPI):
    """FastAPI with an outer ring of middleware (`edge_middleware`, outermost first) that wraps
    everything, Starlette's own 500 answer included: every answer, error or not, carries the
    request id and the CORS headers, is timed, and passed the body size limit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.edge_middleware: list[Middleware] = []

    def build_middleware_stack(self) -> ASGIApp:
        app = super().build_middleware_stack()
        for cls, args, kwargs in reversed(self.edge_middleware):
            app = cls(app, *args, **kwargs)
        return app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await super().__call__(scope, receive, send)
            return

        async def send_one_line(message: Message) -> None:
            # Starlette reports a failed start-up with the whole traceback, which uvicorn prints; a
            # configuration problem (bad MODEL_DIR, a mismatched model) is one line saying what to fix.
            problem = getattr(self.state, "startup_error", None)
            if message["type"] == "lifespan.startup.failed" and problem is not None:
                message = {**message, "message": f"error: {problem}"}
            await send(message)

        await super().__call__(scope, receive, send_one_line)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app from settings; the models are loaded in the lifespan, once."""
    settings = settings or get_settings()
    configure_logging(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            app.state.classifier = await anyio.to_thread.run_sync(load_classifier, settings)
        except ConfigurationError as exc:
            app.state.startup_error = exc
            raise
        log.info("%s", startup_summary(app.state.classifier, settings))
        metrics = app.state.metrics
        app.state.alerter = make_alerter(
            settings,
            model_version=app.state.classifier.model_version,
            counters=AlertCounters(sent=metrics.alert_webhooks_sent.inc, failed=metrics.alert_webhook_failures.inc),
        )
        app.state.alerter.start()
        # An unreachable database does not stop the start: the writer keeps the counts and reconnects.
        app.state.patterns = await anyio.to_thread.run_sync(open_patterns, settings, app.state.alerter)
        app.state.syslog = SyslogReceiver(settings, partial(
            classify_and_record, app.state.classifier, metrics, app.state.alerter, app.state.patterns))
        try:
            await app.state.syslog.start()  # listens only where SYSLOG_TCP_PORT / SYSLOG_UDP_PORT are set
            yield
        finally:
            await app.state.syslog.close()
            await anyio.to_thread.run_sync(app.state.patterns.close)  # writes what is pending
            app.state.alerter.close()
            app.state.classifier.close()

    app = ServiceApp(title="Log classification service", version="1.0.0", description=DESCRIPTION, lifespan=lifespan,
                     docs_url=None, redoc_url=None)  # install_docs serves /docs without a CDN
    app.state.settings = settings
    app.state.alerter = NullAlerter()  # replaced in the lifespan
    app.state.patterns = NullRecorder()
    install_error_handlers(app)
    metrics = install_metrics(app)
    app.include_router(service.router)
    app.include_router(classify.router)
    app.include_router(classify.json_router)
    app.include_router(ingest.router)
    app.include_router(otlp.router)
    app.include_router(patterns.router)
    app.include_router(corrections.router)
    install_web(app)
    install_docs(app)

    # Outermost first. The request id is set before anything logs; the size limit's 413 is inside
    # CORS (a browser sees "too large", not a CORS error) and inside the timing (it is counted).
    app.edge_middleware.append(Middleware(RequestIdMiddleware))
    app.edge_middleware.append(Middleware(RequestTimingMiddleware, observers=(log_access, metrics.observe_request)))
    if settings.cors_origins:
        app.edge_middleware.append(
            Middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "PUT", "DELETE"],
                       allow_headers=["*"])
        )
    # Shed before anything is read; the body limits next; then the work of clients that go is stopped.
    app.edge_middleware.append(Middleware(LoadSheddingMiddleware, paths=SHED_PATHS, max_queue_s=settings.max_queue_s,
                                          queue_of=encoder_queue))
    json_lines_limit = json_bytes_limit(settings, "the JSON body", "split the list, or upload a CSV to POST /classify/")
    app.edge_middleware.append(Middleware(BodySizeLimitMiddleware, default=upload_limit(settings),
                                          by_path={JSON_PATH: json_lines_limit,
                                                   FEEDBACK_PATH: json_lines_limit,
                                                   INGEST_PATH: json_bytes_limit(settings, "the body",
                                                                                 "make the shipper send smaller batches"),
                                                   OTLP_PATH: json_bytes_limit(settings, "the OTLP body",
                                                                               "send smaller batches")},
                                          timeout_s=settings.request_body_timeout_s))
    app.edge_middleware.append(Middleware(CancelOnDisconnectMiddleware, paths=CANCELLABLE_PATHS))
    app.edge_middleware.append(Middleware(JsonBodyMiddleware, path=JSON_PATH))
    return app


def startup_summary(classifier: LoadedClassifier, settings: Settings) -> str:
    """The one start-up line: which stages are on (and why the LLM is off), and what needs a key."""
    health = classifier.health()
    fast = health["model"]["fast_path"]
    llm = health["llm"]
    llm_part = (f"LLM on ({llm['provider']}, {llm['model']})" if llm["enabled"]
                else f"LLM off ({llm['reason']}: its rows come back Unclassified)")
    keys = "X-API-Key required on /classify and /ingest" if settings.api_keys else "no API key required (API_KEYS empty)"
    return (f"stages: regex on; embeddings on (model {classifier.model_version}, {settings.embedding_backend} encoder, "
            f"fast path {'on' if fast['enabled'] else 'off'}); {llm_part}; {keys}")


def open_patterns(settings: Settings, alerter: Alerter) -> Recorder:
    """The pattern store's recorder for PATTERN_STORE, started; new patterns go to the alert webhook when
    ALERT_NEW_PATTERNS is on and their label is in ALERT_CATEGORIES."""
    on_new: NewPatternsFn | None = None
    if settings.alert_new_patterns:
        watched = frozenset(settings.alert_categories)

        def on_new(created: Sequence[PatternCounts]) -> None:
            for item in created:
                if item.prediction.label in watched:
                    alerter.new_pattern({
                        "id": item.id, "source": item.key.source, "severity": item.key.severity,
                        "pattern": item.key.masked, "label": item.prediction.label,
                        "classified_by": item.prediction.stage, "confidence": round(item.prediction.confidence, 4),
                        "reason": item.prediction.reason, "first_seen": iso(item.first_seen), "example": item.example,
                    })

    return recorder_for(settings, on_new)


def upload_limit(settings: Settings) -> BodyLimit:
    """MAX_UPLOAD_MB, for every request body but the JSON endpoint's."""
    return BodyLimit(
        settings.upload_limit_bytes,
        f"the upload is larger than the {settings.max_upload_mb} MB limit (MAX_UPLOAD_MB)",
    )


def json_bytes_limit(settings: Settings, what: str, hint: str) -> BodyLimit:
    """MAX_JSON_BYTES for a body of JSON records (`/classify/json`, `/feedback`, `/ingest`) or an OTLP batch:
    checked while the body arrives, before any parsing. `what` and `hint` word the 413."""
    return BodyLimit(
        settings.json_limit_bytes,
        f"{what} is larger than {settings.json_limit_bytes} bytes (MAX_JSON_BYTES): {hint}",
    )


def encoder_queue(scope: Scope) -> EncoderQueue | None:
    """The encoder's queue of the app serving `scope` (None before the lifespan has loaded the cascade)."""
    classifier = getattr(scope["app"].state, "classifier", None)
    return None if classifier is None else classifier.embedding.queue
