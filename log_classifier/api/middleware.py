"""Pure-ASGI middleware of the HTTP API, one concern each: request ids, a request's time and status
(the one place they are taken, for the access log and the metrics), body size and time limits, load
shedding, stopping the work of clients that have gone, and reading a body as JSON."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

import anyio
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from log_classifier.api.errors import error_response, overloaded_response
from log_classifier.cancellation import CancelToken, bound
from log_classifier.errors import Overloaded
from log_classifier.logging_setup import REQUEST_ID_HEADER, incoming_request_id, request_id_var
from log_classifier.stages.encoder_queue import EncoderQueue

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

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id_var.reset(token)


RequestObserver = Callable[[Scope, int, float], None]
"""Told of each finished HTTP request: (its scope, the response status, seconds to the last response byte)."""


def log_access(scope: Scope, status: int, seconds: float) -> None:
    """The access log line of a request: `POST /classify/json 200 12.3 ms`."""
    access_log.info("%s %s %d %.1f ms", scope["method"], scope["path"], status, seconds * 1000)


class RequestTimingMiddleware:
    """Pure ASGI: the one place a request's time (to its last body byte, streamed CSVs included) and
    response status are taken; each of `observers` (the access log, the metrics) is told them when the
    request ends. The status is 500 when the app failed before it answered."""

    def __init__(self, app: ASGIApp, *, observers: Sequence[RequestObserver]) -> None:
        self.app = app
        self.observers = tuple(observers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def status_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, status_send)
        finally:
            seconds = time.perf_counter() - started
            for observe in self.observers:
                observe(scope, status, seconds)


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
    """Pure ASGI: counts request body bytes as they arrive and answers 413 as soon as a limit is passed,
    or 408 when the body has not arrived `timeout_s` after the request began (a trickling client).

    Chunked uploads (no Content-Length) included: nothing past the limit is read into memory or
    spooled to disk. A declared Content-Length above the limit is answered before any byte is read.
    After the 413/408 the app sees a client disconnect, and whatever it tries to answer is dropped.
    This is the only place a request is refused for its size in bytes (MAX_UPLOAD_MB, MAX_JSON_BYTES)
    or for the time its body takes (REQUEST_BODY_TIMEOUT_S).
    """

    def __init__(self, app: ASGIApp, *, default: BodyLimit, by_path: Mapping[str, BodyLimit] | None = None,
                 timeout_s: float = math.inf) -> None:
        self.app = app
        self.default = default
        self.by_path = dict(by_path or {})
        self.timeout_s = timeout_s

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
        body_done = False
        deadline = time.monotonic() + self.timeout_s

        async def counting_receive() -> Message:
            nonlocal received, answered, body_done
            if answered:
                return {"type": "http.disconnect"}
            if body_done:
                return await receive()  # waiting for a disconnect: no deadline
            with anyio.move_on_after(max(0.0, deadline - time.monotonic())) as waited:
                message = await receive()
            if waited.cancelled_caught:
                answered = True
                if not response_started:
                    await _send_error(scope, send, 408, f"the request body did not arrive within {self.timeout_s:g} s "
                                      "(REQUEST_BODY_TIMEOUT_S)")
                return {"type": "http.disconnect"}
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_done = not message.get("more_body", False)
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
    await _send_error(scope, send, 413, limit.detail)


async def _send_error(scope: Scope, send: Send, status: int, detail: str) -> None:
    # "Connection: close": the server stops reading the rest of the body instead of draining it.
    response = error_response(status, detail, headers={"Connection": "close"})
    await response(scope, _nothing_to_receive, send)


class LoadSheddingMiddleware:
    """Pure ASGI: while the encoder's queue holds more than `max_queue_s` of work, new requests to
    `paths` are answered 503 with Retry-After at once, before their body is read: shippers back off
    and retry instead of timing out, and the requests accepted keep their latency. A request let in
    counts as work on its way until its texts reach the encoder (`EncoderQueue.admitted`).

    `queue_of(scope)` is the app's encoder queue (None before the lifespan has loaded it).
    """

    def __init__(self, app: ASGIApp, *, paths: Collection[str], max_queue_s: float,
                 queue_of: Callable[[Scope], EncoderQueue | None]) -> None:
        self.app = app
        self.paths = frozenset(paths)
        self.max_queue_s = max_queue_s
        self.queue_of = queue_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        queue = self.queue_of(scope) if scope["type"] == "http" and scope["path"] in self.paths else None
        if queue is None:
            await self.app(scope, receive, send)
            return
        queued = queue.seconds()
        if queued > self.max_queue_s:
            # Come back when the queue should be under the limit again (at least a second).
            retry_after = max(1, math.ceil(queued - self.max_queue_s))
            error = Overloaded(
                f"the service is busy: {queued:.0f} s of work queued (MAX_QUEUE_S is {self.max_queue_s:g}); "
                f"retry after {retry_after} s", retry_after_s=retry_after,
            )
            access_log.warning("shedding %s %s: %s", scope["method"], scope["path"], error)
            await overloaded_response(error)(scope, _nothing_to_receive, send)
            return
        with queue.admitted():
            await self.app(scope, receive, send)


class CancelOnDisconnectMiddleware:
    """Pure ASGI: binds a `CancelToken` to each request to `paths` and cancels it when the client
    disconnects, so the request's remaining work stops (`cancellation.raise_if_cancelled`).

    Once the app has read the whole body, a watcher waits for the server's `http.disconnect`; the
    token is bound in a context variable, which the threads doing the request's work inherit.
    """

    def __init__(self, app: ASGIApp, *, paths: Collection[str]) -> None:
        self.app = app
        self.paths = frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        token = CancelToken()
        body_read = anyio.Event()

        async def tracking_receive() -> Message:
            message = await receive()
            if message["type"] == "http.disconnect":
                token.cancel()
            elif not message.get("more_body", False):
                body_read.set()
            return message

        async def watch() -> None:
            await body_read.wait()
            if (await receive())["type"] == "http.disconnect":
                token.cancel()

        with bound(token):
            async with anyio.create_task_group() as tasks:
                tasks.start_soon(watch)
                try:
                    await self.app(scope, tracking_receive, send)
                finally:
                    tasks.cancel_scope.cancel()


async def _nothing_to_receive() -> Message:
    return {"type": "http.disconnect"}
