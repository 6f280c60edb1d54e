"""The HTTP API: `POST /classify/` (CSV in, CSV out), `POST /classify/json`, `GET /health`,
`GET /metrics` (Prometheus), the web page at `/`, Swagger UI at `/docs`.

Run with `make run`, or `uvicorn server:create_app --factory`.
"""

from __future__ import annotations

import hmac
import logging
from contextlib import asynccontextmanager
from typing import Annotated, AsyncIterator, Iterator

import anyio
from fastapi import Depends, FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, StreamingResponse
from fastapi.security import APIKeyHeader

import csv_io
from api_models import ClassifiedLine, ClassifyJsonRequest, ClassifyJsonResponse
from classified_csv import EXPLAIN_COLUMNS, OUTPUT_COLUMN, iter_classified_csv
from classifier import LoadedClassifier, load_classifier
from errors import InputError, PayloadTooLarge
from logging_setup import RequestIdMiddleware, configure_logging
from metrics import Metrics, install_metrics
from settings import Settings, get_settings
from web import install_web

log = logging.getLogger(__name__)

__all__ = ["EXPLAIN_COLUMNS", "OUTPUT_COLUMN", "create_app"]
_ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"description": "The upload is not a usable CSV; `detail` says what to fix."},
    401: {"description": "API_KEYS is set and X-API-Key is missing or wrong."},
    413: {"description": "The upload is larger than MAX_UPLOAD_MB."},
}


def get_classifier(request: Request) -> LoadedClassifier:
    """The cascade loaded in the lifespan."""
    return request.app.state.classifier


Classifier = Annotated[LoadedClassifier, Depends(get_classifier)]
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Required when API_KEYS is set")


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

    app = FastAPI(
        title="Log classification service",
        version="1.0.0",
        description=(
            "Sorts log lines into nine categories with a cascade: regex rules, sentence embeddings + "
            "logistic regression, then an LLM (Groq) for what the first two cannot place. "
            "Upload a CSV with `source` and `log_message` columns to `POST /classify/` (other columns come "
            "back unchanged), or send up to MAX_JSON_LOGS lines as JSON to `POST /classify/json`. "
            "A web page for uploading a CSV is at `/`; Prometheus metrics at `/metrics`. "
            "Every response carries an `X-Request-ID` header (yours, if you sent a sane one) that also "
            "appears in the server's log lines."
        ),
        lifespan=lifespan,
    )
    app.state.settings = settings
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"], allow_headers=["*"]
        )
    _install_error_handlers(app, settings)
    metrics = install_metrics(app)
    install_web(app)
    # Added last, so outermost: every log line of a request, and every response, carries its id.
    app.add_middleware(RequestIdMiddleware)

    def require_api_key(key: Annotated[str | None, Depends(_api_key_header)]) -> None:
        if not settings.api_keys:
            return
        supplied = (key or "").encode()
        if not any(hmac.compare_digest(supplied, allowed.encode()) for allowed in settings.api_keys):
            raise InputError.with_status(401, "missing or invalid X-API-Key header")

    @app.get("/health", summary="Liveness and what is loaded", tags=["service"])
    def health(classifier: Classifier) -> dict:
        return classifier.health()

    @app.post(
        "/classify/",
        summary="Classify a CSV of log lines",
        tags=["classify"],
        dependencies=[Depends(require_api_key)],
        response_class=StreamingResponse,
        responses={
            200: {
                "description": "The input CSV, every row in order, with `target_label` added "
                "(and `classified_by`, `confidence`, `reason` with `explain=true`).",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            },
            **_ERROR_RESPONSES,
        },
    )
    def classify_csv(
        classifier: Classifier,
        file: Annotated[UploadFile, File(description="CSV with columns `source` and `log_message`")],
        explain: Annotated[bool, Query(description="Add classified_by, confidence and reason columns")] = False,
    ) -> StreamingResponse:
        limit = settings.max_upload_mb * 1024 * 1024
        if file.size is not None and file.size > limit:
            raise PayloadTooLarge(f"the upload is larger than the {settings.max_upload_mb} MB limit")
        layout = csv_io.check_layout(file.file)
        log.info("classifying %s: %d rows", file.filename, layout.rows)
        return StreamingResponse(
            _classified_csv(classifier, file, layout, explain=explain, settings=settings, metrics=metrics),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{_output_name(file.filename)}"'},
        )

    _add_json_route(app, settings, metrics, require_api_key)
    return app


def _add_json_route(app: FastAPI, settings: Settings, metrics: Metrics, require_api_key: object) -> None:
    """`POST /classify/json`: a JSON list of lines in, one result per line out, same order."""

    @app.post(
        "/classify/json",
        summary="Classify log lines sent as JSON",
        description=(
            "Send `{\"logs\": [{\"source\": ..., \"log_message\": ...}, ...]}`; get one result per line, "
            f"in the same order. At most MAX_JSON_LOGS lines per request (now {settings.max_json_logs}); "
            "more is a 413 — split the list or upload a CSV to `POST /classify/`. "
            "An empty list is valid and returns an empty `results` list."
        ),
        tags=["classify"],
        dependencies=[Depends(require_api_key)],  # type: ignore[arg-type]
        response_model=ClassifyJsonResponse,
        responses={
            400: {"description": "The body is not the documented JSON; `detail` says which field is wrong."},
            401: _ERROR_RESPONSES[401],
            413: {"description": "More than MAX_JSON_LOGS lines, or a body larger than MAX_UPLOAD_MB."},
        },
    )
    def classify_json(classifier: Classifier, body: ClassifyJsonRequest) -> ClassifyJsonResponse:
        # A sync route: FastAPI runs it in the thread pool, so the cascade never blocks the event loop.
        if len(body.logs) > settings.max_json_logs:
            raise PayloadTooLarge(
                f"{len(body.logs)} logs in one request; the limit is {settings.max_json_logs} (MAX_JSON_LOGS): "
                "split the list, or upload a CSV to POST /classify/"
            )
        predictions = classifier.cascade.classify(
            [line.source for line in body.logs], [line.log_message for line in body.logs]
        )
        metrics.observe_predictions(predictions)
        log.info("classified %d JSON logs", len(predictions))
        return ClassifyJsonResponse(results=[ClassifiedLine.from_prediction(p) for p in predictions])


def _classified_csv(
    classifier: LoadedClassifier,
    file: UploadFile,
    layout: csv_io.CsvLayout,
    *,
    explain: bool,
    settings: Settings,
    metrics: Metrics,
) -> Iterator[str]:
    """Header, then each chunk classified and rendered: memory follows the chunk, not the file."""
    try:
        yield from iter_classified_csv(
            classifier.cascade.classify,
            file.file,
            layout,
            explain=explain,
            chunk_rows=settings.csv_chunk_rows,
            neutralise_formulas=settings.neutralise_formulas,
            observe=metrics.observe_predictions,
        )
    finally:
        file.file.close()


def _output_name(filename: str | None) -> str:
    stem = (filename or "logs.csv").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "logs"
    # ASCII only: a header value must be Latin-1, and "日志".isalnum() is True (that was a 500).
    safe = "".join(char for char in stem if (char.isascii() and char.isalnum()) or char in "-_.")[:100] or "logs"
    return f"{safe}_classified.csv"


def _install_error_handlers(app: FastAPI, settings: Settings) -> None:
    """Errors → HTTP statuses, in one place. Internals never reach the response."""

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
            problems.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
        hint = " (upload the CSV as the multipart form field 'file')" if request.url.path == "/classify/" else ""
        return JSONResponse({"detail": "; ".join(problems) + hint}, status_code=400)

    @app.middleware("http")
    async def reject_large_bodies(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_upload_mb * 1024 * 1024 + 65536:
            return JSONResponse(
                {"detail": f"the upload is larger than the {settings.max_upload_mb} MB limit"}, status_code=413
            )
        return await call_next(request)
