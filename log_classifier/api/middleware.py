"""Pure-ASGI middleware of the HTTP API: request ids (and the access log line), body size limits."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from log_classifier.api.errors import error_response
from log_classifier.logging_setup import REQUEST_ID_HEADER, incoming_request_id, request_id_var

access_log = logging.getLogger("log_classifier.access")


class RequestIdMiddleware:
    """Pure ASGI: a request id per request, in the log context and the ``X-Request-ID`` response header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        raw = dict(scope["headers"]).get(REQUEST_ID_HEADER.lower().encode())
        request_id = incoming_request_id(raw.decode("latin-1") if raw else None)
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "%s %s %d %.1f ms", scope["method"], scope["path"], status, (time.perf_counter() - started) * 1000
            )
            request_id_var.reset(token)


class JsonBodyMiddleware:
    """Pure ASGI: the body of a POST to `path` is read as JSON whatever its Content-Type claims.

    curl -d sends application/x-www-form-urlencoded by default, and FastAPI would then not parse the
    JSON at all ("Input should be a valid dictionary"). A body that is not JSON still gets a 400 that
    says where the JSON breaks and what to send (api/errors.py)."""

    def __init__(self, app: ASGIApp, *, path: str) -> None:
        self.app = app
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] == self.path:
            headers = [(name, value) for name, value in scope["headers"] if name != b"content-type"]
            # In place: the outer middleware reads what routing writes into this same scope (the route).
            scope["headers"] = [*headers, (b"content-type", b"application/json")]
        await self.app(scope, receive, send)


@dataclass(frozen=True)
class BodyLimit:
    """At most `max_bytes` of request body; `detail` is the 413's message."""

    max_bytes: int
    detail: str


class BodySizeLimitMiddleware:
    """Pure ASGI: counts request body bytes as they arrive and answers 413 as soon as a limit is passed.

    Chunked uploads (no Content-Length) included: nothing past the limit is read into memory or
    spooled to disk. A declared Content-Length above the limit is answered before any byte is read.
    After the 413 the app sees a client disconnect, and whatever it tries to answer is dropped.
    This is the only place a request is refused for its size in bytes (MAX_UPLOAD_MB, MAX_JSON_BYTES).
    """

    def __init__(self, app: ASGIApp, *, default: BodyLimit, by_path: Mapping[str, BodyLimit] | None = None) -> None:
        self.app = app
        self.default = default
        self.by_path = dict(by_path or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.by_path.get(scope["path"], self.default)
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit.max_bytes:
            await _send_too_large(scope, send, limit)
            return

        received = 0
        answered = False
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received, answered
            if answered:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit.max_bytes:
                    answered = True
                    if not response_started:
                        await _send_too_large(scope, send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if answered:
                return  # the 413 went out already
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        await self.app(scope, counting_receive, guarded_send)


async def _send_too_large(scope: Scope, send: Send, limit: BodyLimit) -> None:
    # "Connection: close": the server stops reading the rest of the body instead of draining it.
    response = error_response(413, limit.detail, headers={"Connection": "close"})
    await response(scope, _nothing_to_receive, send)


async def _nothing_to_receive() -> Message:
    return {"type": "http.disconnect"}
