"""`JsonIntakeRoute`: a FastAPI route whose JSON body is read and parsed by the one JSON intake.

FastAPI would read the whole body and `json.loads` it before counting anything (a 40 MB list of `{}`
is a million objects before the 413), fail with a 500 on deep nesting, and hand lone surrogates on.
This route class reads the body through `body_decoders` (bytes counted as they come and as they
inflate) and `json_intake` (records counted while parsed, nesting, surrogates and numbers dealt
with) and hands the parsed value to FastAPI, which validates it against the route's pydantic body
model as usual: the OpenAPI schema and the 400 messages are FastAPI's own. The FastAPI docs'
"custom Request and APIRoute class" pattern.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from log_classifier.api.body_decoders import receive_body
from log_classifier.api.errors import JSON_SHAPE
from log_classifier.config import Settings
from log_classifier.formats.json_intake import JsonLimits, parse_document

RECORDS_KEY = "logs"
"""The member of a `POST /classify/json` body whose items are counted against MAX_JSON_LOGS."""


def classify_json_limits(settings: Settings) -> JsonLimits:
    return JsonLimits(
        max_bytes=settings.json_limit_bytes,
        max_records=settings.max_json_logs,
        bytes_name=f"{settings.json_limit_bytes} bytes (MAX_JSON_BYTES)",
        noun="logs",
        hint=": split the list, or upload a CSV to POST /classify/",
        syntax_hint=f". Send {JSON_SHAPE} (Content-Type: application/json); to upload a CSV file use POST /classify/",
    )


class _ParsedRequest(Request):
    """The request with its body already read and parsed: FastAPI asks it for both."""

    def __init__(self, request: Request, body: bytes | bytearray, value: Any) -> None:
        super().__init__(request.scope, request.receive)
        self._intake_body = body
        self._intake_value = value

    async def body(self) -> bytes:
        return bytes(self._intake_body[:1])  # FastAPI only asks whether there is one; json() has the value

    async def json(self) -> Any:
        return self._intake_value


class JsonIntakeRoute(APIRoute):
    """An APIRoute whose JSON body comes from `json_intake.parse_document` (limits from the app's settings)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def intake_handler(request: Request) -> Response:
            limits = classify_json_limits(request.app.state.settings)
            try:
                body = await receive_body(request.stream(), content_encoding=request.headers.get("content-encoding", ""),
                                          limit=limits.max_bytes, limit_name=limits.bytes_name)
            except ClientDisconnect:  # gone, or the size limit answered 413 already: nobody to answer
                return Response(status_code=400)
            # Parsing is CPU work: off the event loop.
            value = await run_in_threadpool(parse_document, body, limits, records_key=RECORDS_KEY)
            return await handler(_ParsedRequest(request, body, value))

        return intake_handler
