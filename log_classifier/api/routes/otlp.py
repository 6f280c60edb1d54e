"""`POST /v1/logs`: the OpenTelemetry protocol's logs endpoint (OTLP/HTTP), for the OpenTelemetry
Collector's `otlphttp` exporter and every OpenTelemetry SDK's OTLP log exporter.

Protobuf (`application/x-protobuf`) or OTLP's JSON mapping (`application/json`), optionally gzip
compressed. Records are classified and recorded like `POST /ingest`'s (`api.recording`); the answer is
an `ExportLogsServiceResponse` in the request's encoding, with `partial_success` counting the records
that had no body to classify. Failures answer a `google.rpc.Status` in the request's encoding and
follow the spec's retry rules: 400 (malformed), 413 (too large) and 415 (unsupported Content-Type or
Content-Encoding) must not be retried; 503 with `Retry-After` (classification failed) may be.

The body is held to MAX_JSON_BYTES while it arrives (`BodySizeLimitMiddleware`) and while it inflates.
"""

from __future__ import annotations

import logging
from functools import partial

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from google.protobuf import json_format
from google.protobuf.message import Message
from google.rpc import code_pb2, status_pb2
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from log_classifier.api.body_decoders import receive_body
from log_classifier.api.dependencies import (
    AppAlerter,
    AppMetrics,
    AppPatterns,
    AppSettings,
    Classifier,
    require_api_key,
)
from log_classifier.api.errors import ERROR_RESPONSES, status_of
from log_classifier.api.recording import classify_and_record
from log_classifier.errors import InputError, UnsupportedEncoding
from log_classifier.receivers.otlp import Encoding, LogRow, decode_request, log_rows

log = logging.getLogger(__name__)

router = APIRouter(tags=["opentelemetry"], dependencies=[Depends(require_api_key)])

PATH = "/v1/logs"
PROTOBUF = "application/x-protobuf"
JSON = "application/json"
MEDIA_TYPES: dict[str, Encoding] = {PROTOBUF: "protobuf", JSON: "json"}
RETRY_AFTER_S = 5
"""What a 503 asks the exporter to wait before it sends the batch again."""
_STATUS_CODES = {400: code_pb2.INVALID_ARGUMENT, 413: code_pb2.RESOURCE_EXHAUSTED, 415: code_pb2.INVALID_ARGUMENT,
                 503: code_pb2.UNAVAILABLE}

_REQUEST_EXAMPLE = {
    "resourceLogs": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "checkout"}}]},
        "scopeLogs": [{
            "scope": {"name": "checkout.payments"},
            "logRecords": [{
                "timeUnixNano": "1764417600250000000",
                "severityNumber": 17,
                "severityText": "ERROR",
                "body": {"stringValue": "Failed password for invalid user oracle from 203.0.113.9 port 40522 ssh2"},
            }],
        }],
    }]
}


@router.post(
    PATH,
    summary="OpenTelemetry logs (OTLP/HTTP): protobuf or JSON",
    description=(
        "The OTLP/HTTP logs endpoint: an `ExportLogsServiceRequest` as protobuf (`application/x-protobuf`) or in "
        "OTLP's JSON mapping (`application/json`), optionally `Content-Encoding: gzip`. Each log record's `body` "
        "is classified (a non-string body in its JSON form); the source is the resource's `service.name`, else "
        "`host.name`, else the scope name. Records count in `/metrics` and alerts like `POST /ingest`'s. The "
        "answer is an `ExportLogsServiceResponse` in the request's encoding; `partialSuccess` counts records "
        "without a body (not classified). At most MAX_JSON_BYTES per body, compressed or not."
    ),
    response_class=Response,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                JSON: {"schema": {"type": "object", "description": "ExportLogsServiceRequest (OTLP JSON)"},
                       "example": _REQUEST_EXAMPLE},
                PROTOBUF: {"schema": {"type": "string", "format": "binary",
                                      "description": "ExportLogsServiceRequest (protobuf)"}},
            },
        }
    },
    responses={
        200: {
            "description": "ExportLogsServiceResponse; `partialSuccess` with `rejectedLogRecords` and "
            "`errorMessage` when some records had no body.",
            "content": {JSON: {"schema": {"type": "object"}, "example": {}},
                        PROTOBUF: {"schema": {"type": "string", "format": "binary"}}},
        },
        400: {"description": "Malformed protobuf or JSON, or a broken gzip stream (google.rpc.Status; do not retry)."},
        401: ERROR_RESPONSES[401],
        413: {"description": "A body, or its decompressed size, larger than MAX_JSON_BYTES (do not retry)."},
        415: {"description": "A Content-Type other than application/x-protobuf or application/json, or a "
              "Content-Encoding other than gzip."},
        503: {"description": "Classification failed; retry after `Retry-After` seconds (google.rpc.Status)."},
    },
)
async def export_logs(
    request: Request, classifier: Classifier, settings: AppSettings, metrics: AppMetrics, alerter: AppAlerter,
    patterns: AppPatterns,
) -> Response:
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    encoding = MEDIA_TYPES.get(media_type)
    if encoding is None:
        return status_response(
            415, f"Content-Type {media_type or '(none)'!r} is not OTLP: send {PROTOBUF} or {JSON}", "json"
        )
    try:
        rows = await _read_rows(request, encoding, limit=settings.json_limit_bytes)
    except ClientDisconnect:
        # The client left, or the size limit answered 413 already and ended the body: nobody to answer.
        return Response(status_code=400)
    except InputError as exc:
        return status_response(status_of(exc), str(exc), encoding)

    taken = [row for row in rows if row.message is not None]
    try:
        await run_in_threadpool(
            partial(classify_and_record, classifier, metrics, alerter, patterns, [row.source for row in taken],
                    [row.message for row in taken],
                    times=[row.time_unix_nano / 1e9 if row.time_unix_nano else None for row in taken]),
        )
    except Exception:
        log.exception("classifying %d OTLP log records failed", len(taken))
        return status_response(503, "classification failed; retry later", encoding,
                               headers={"Retry-After": str(RETRY_AFTER_S)})
    rejected = len(rows) - len(taken)
    log.info("OTLP: classified %d log records (%d rejected without a body)", len(taken), rejected)
    answer = ExportLogsServiceResponse()
    if rejected:
        answer.partial_success.rejected_log_records = rejected
        answer.partial_success.error_message = f"{rejected} log records have no body to classify"
    return encoded(answer, 200, encoding)


async def _read_rows(request: Request, encoding: Encoding, *, limit: int) -> list[LogRow]:
    content_encoding = request.headers.get("content-encoding", "").strip().lower()
    if content_encoding not in ("", "identity", "gzip"):
        raise UnsupportedEncoding(f"Content-Encoding {content_encoding!r} is not supported; send gzip or none")
    # The bytes on the wire are held to the limit by BodySizeLimitMiddleware; what they inflate to, here.
    body = await receive_body(request.stream(), content_encoding=content_encoding, limit=limit,
                              limit_name=f"{limit} bytes (MAX_JSON_BYTES)")
    return await run_in_threadpool(lambda: list(log_rows(decode_request(body, encoding))))


def status_response(code: int, message: str, encoding: Encoding, headers: dict[str, str] | None = None) -> Response:
    """A failure as OTLP answers it: a google.rpc.Status in the request's encoding."""
    return encoded(status_pb2.Status(code=_STATUS_CODES.get(code, code_pb2.UNKNOWN), message=message), code,
                   encoding, headers)


def encoded(message: Message, status_code: int, encoding: Encoding, headers: dict[str, str] | None = None) -> Response:
    if encoding == "protobuf":
        return Response(message.SerializeToString(), status_code=status_code, media_type=PROTOBUF, headers=headers)
    return Response(json_format.MessageToJson(message, indent=None), status_code=status_code, media_type=JSON,
                    headers=headers)
