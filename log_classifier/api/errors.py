"""Exceptions → HTTP answers, in one place. Internals never reach a response.

    AuthenticationError → 401 (with WWW-Authenticate)
    PermissionDenied    → 403
    NotFoundError       → 404
    StoreUnavailable    → 503
    Overloaded          → 503 (with Retry-After)
    RequestCancelled    → 499 (the client has gone; for the access log)
    PayloadTooLarge     → 413
    UnsupportedEncoding → 415
    InvalidLabel        → 422
    InputError          → 400
    RequestValidationError (FastAPI) → 400, naming the fields
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from log_classifier.errors import (
    AuthenticationError,
    InputError,
    InvalidLabel,
    NotFoundError,
    Overloaded,
    PayloadTooLarge,
    PermissionDenied,
    RequestCancelled,
    StoreUnavailable,
    UnsupportedEncoding,
)

API_KEY_HEADER = "X-API-Key"
JSON_SHAPE = '{"logs": [{"source": "...", "log_message": "..."}]}'

# Documented in the OpenAPI schema of the routes that can answer them.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"description": "The upload is not a usable CSV; `detail` says what to fix."},
    401: {"description": "API_KEYS is set and X-API-Key is missing or wrong."},
    413: {"description": "The upload is larger than MAX_UPLOAD_MB."},
}
OVERLOADED_RESPONSE: dict[str, object] = {
    "description": "The encoder's queue holds more than MAX_QUEUE_S seconds of work: retry after `Retry-After` seconds.",
    "headers": {"Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}}},
}


def error_response(status_code: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The one shape of every error answer: `{"detail": "..."}`."""
    return JSONResponse({"detail": detail}, status_code=status_code, headers=headers)


CLIENT_CLOSED_REQUEST = 499
"""nginx's status for a request whose client went away before the answer."""


def overloaded_response(exc: Overloaded) -> JSONResponse:
    return error_response(503, str(exc), headers={"Retry-After": str(exc.retry_after_s)})


def status_of(exc: InputError | AuthenticationError) -> int:
    if isinstance(exc, AuthenticationError):
        return 401
    if isinstance(exc, PayloadTooLarge):
        return 413
    if isinstance(exc, UnsupportedEncoding):
        return 415
    if isinstance(exc, InvalidLabel):
        return 422
    return 400


def install_error_handlers(app: FastAPI) -> None:
    """Register the mapping on `app`."""

    @app.exception_handler(AuthenticationError)
    async def authentication_error(request: Request, exc: AuthenticationError) -> JSONResponse:
        return error_response(401, str(exc), headers={"WWW-Authenticate": API_KEY_HEADER})

    @app.exception_handler(PermissionDenied)
    async def permission_denied(request: Request, exc: PermissionDenied) -> JSONResponse:
        return error_response(403, str(exc))

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError) -> JSONResponse:
        return error_response(404, str(exc))

    @app.exception_handler(StoreUnavailable)
    async def store_unavailable(request: Request, exc: StoreUnavailable) -> JSONResponse:
        return error_response(503, str(exc))

    @app.exception_handler(Overloaded)
    async def overloaded(request: Request, exc: Overloaded) -> JSONResponse:
        return overloaded_response(exc)

    @app.exception_handler(RequestCancelled)
    async def cancelled(request: Request, exc: RequestCancelled) -> JSONResponse:
        return error_response(CLIENT_CLOSED_REQUEST, str(exc))  # nobody reads it; the access log does

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> JSONResponse:
        return error_response(status_of(exc), str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            if error.get("type") == "json_invalid":
                return error_response(400, malformed_json(exc.body, error))
            where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
            problems.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
        hint = ""
        if request.url.path == "/classify/":
            hint = " (upload the CSV as the multipart form field 'file')"
        elif request.url.path == "/classify/json" and any(not error.get("loc", ())[1:] for error in exc.errors()):
            hint = f" (expected {JSON_SHAPE})"  # the body as a whole is wrong (not an object, missing): show it
        return error_response(400, "; ".join(problems) + hint)


def malformed_json(document: object, error: dict[str, object]) -> str:
    """Where a body stops being JSON, as line and column, and what was expected there."""
    loc = error.get("loc") or ()
    position = loc[-1] if isinstance(loc, tuple) and loc and isinstance(loc[-1], int) else None
    ctx = error.get("ctx")
    expected = str(ctx.get("error", "invalid JSON")) if isinstance(ctx, dict) else "invalid JSON"
    where = ""
    if isinstance(document, str) and position is not None:
        line = document.count("\n", 0, position) + 1
        column = position - (document.rfind("\n", 0, position) + 1) + 1
        where = f" at line {line}, column {column}"
    return (f"the body is not valid JSON: {expected}{where}. Send {JSON_SHAPE} "
            "(Content-Type: application/json); to upload a CSV file use POST /classify/")
