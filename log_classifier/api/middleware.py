"""Pure-ASGI middleware of the HTTP API: request ids (and the access log line)."""

from __future__ import annotations

import logging
import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
