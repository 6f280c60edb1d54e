"""Exceptions → HTTP answers, in one place. Internals never reach a response.

    AuthenticationError → 401 (with WWW-Authenticate)
    PermissionDenied    → 403
    NotFoundError       → 404
    StoreUnavailable    → 503
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
    PayloadTooLarge,
    PermissionDenied,
    StoreUnavailable,
    UnsupportedEncoding,
)

API_KEY_HEADER = "X-API-Key"

# Documented in the OpenAPI schema of the routes that can answer them.
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    400: {"description": "The upload is not a usable CSV; `detail` says what to fix."},
    401: {"description": "API_KEYS is set and X-API-Key is missing or wrong."},
    413: {"description": "The upload is larger than MAX_UPLOAD_MB."},
}


def error_response(status_code: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """The one shape of every error answer: `{"detail": "..."}`."""
    return JSONResponse({"detail": detail}, status_code=status_code, headers=headers)


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

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> JSONResponse:
        return error_response(status_of(exc), str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
            problems.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
        hint = " (upload the CSV as the multipart form field 'file')" if request.url.path == "/classify/" else ""
        return error_response(400, "; ".join(problems) + hint)
