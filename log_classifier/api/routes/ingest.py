"""`POST /ingest`: a live feed from log shippers (Fluent Bit's and Vector's `http` outputs).

The body is a JSON array or NDJSON (see `log_classifier.formats.feed`), optionally gzip/deflate
compressed (`Content-Encoding`). The answer is NDJSON: each input record unchanged, in order, plus
`target_label` (and `classified_by`, `confidence`, `reason`, `pattern_id` with `explain=true`). The
message is the first present field of INGEST_MESSAGE_FIELDS, the source the first of
INGEST_SOURCE_FIELDS, the line's own time (for the pattern store) the first of INGEST_TIMESTAMP_FIELDS;
a record without a message comes back Unclassified.

The body's size and its decompressed size are held to MAX_JSON_BYTES as it arrives
(`log_classifier.api.body_decoders`: a gzip bomb is a 413 once the limit is passed, never inflated in
full); the one JSON intake (`log_classifier.formats.json_intake`) counts records while they are parsed
(MAX_JSON_LOGS) and deals with nesting, lone surrogates and out-of-range numbers.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from log_classifier.alerts import Alerter
from log_classifier.api.body_decoders import receive_body
from log_classifier.api.dependencies import (
    AppAlerter,
    AppMetrics,
    AppPatterns,
    AppSettings,
    Classifier,
    require_api_key,
)
from log_classifier.api.errors import ERROR_RESPONSES, OVERLOADED_RESPONSE
from log_classifier.api.metrics import Metrics
from log_classifier.api.recording import classify_and_record
from log_classifier.cascade import LoadedClassifier
from log_classifier.config import Settings
from log_classifier.contract import Prediction
from log_classifier.formats.feed import field_text, render_line
from log_classifier.formats.json_intake import JsonLimits, parse_records
from log_classifier.output_fields import output_fields
from log_classifier.patterns.recorder import Recorder
from log_classifier.taxonomy import UNCLASSIFIED
from log_classifier.text.pattern_key import PatternKey, pattern_id

log = logging.getLogger(__name__)

router = APIRouter(tags=["ingest"], dependencies=[Depends(require_api_key)])

NDJSON = "application/x-ndjson"
_REQUEST_EXAMPLE = [
    {"date": 1764417600.25, "log": "Kernel panic - not syncing: Fatal exception in interrupt", "host": "node-7"},
    {"date": 1764417601.5, "log": "Failed password for invalid user oracle from 203.0.113.9 port 40522 ssh2",
     "host": "bastion"},
]
_RESPONSE_EXAMPLE = (
    '{"date":1764417600.25,"log":"Kernel panic - not syncing: Fatal exception in interrupt","host":"node-7",'
    '"target_label":"Critical Error"}\n'
    '{"date":1764417601.5,"log":"Failed password for invalid user oracle from 203.0.113.9 port 40522 ssh2",'
    '"host":"bastion","target_label":"Security Alert"}\n'
)
_RECORD_SCHEMA = {"type": "object", "additionalProperties": True,
                  "description": "Any fields; the message and source are looked up by name"}


@router.post(
    "/ingest",
    summary="Classify a feed from a log shipper (Fluent Bit, Vector)",
    description=(
        "The body is a JSON array of records (Fluent Bit `format json`) or newline-delimited JSON, one record "
        "per line (`json_lines`; Vector's `newline_delimited` framing), optionally compressed "
        "(`Content-Encoding: gzip` or `deflate`). The message is the first present field of "
        "INGEST_MESSAGE_FIELDS (default `log_message,message,log,msg`), the source the first of "
        "INGEST_SOURCE_FIELDS (default `source,service,app,host`); a record without a message comes back "
        "Unclassified. The answer is NDJSON: each record unchanged, in order, plus `target_label` (and "
        "`classified_by`, `confidence`, `reason`, `pattern_id` with `explain=true`). The line's own time, for "
        "the pattern store, is the first present field of INGEST_TIMESTAMP_FIELDS (default "
        "`timestamp,@timestamp,date,time`; ISO 8601 or epoch s/ms), else its arrival. At most MAX_JSON_LOGS "
        "records per request and MAX_JSON_BYTES per body, compressed or not; nesting deeper than 64 levels is "
        "a 400; a lone surrogate escape becomes U+FFFD; a number beyond a double comes back as sent."
    ),
    response_class=Response,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"type": "array", "items": _RECORD_SCHEMA},
                    "example": _REQUEST_EXAMPLE,
                },
                NDJSON: {"schema": {"type": "string", "description": "One JSON object per line"}},
            },
        }
    },
    responses={
        200: {
            "description": "One JSON object per input record, in order: the record plus `target_label`.",
            "content": {NDJSON: {"schema": {"type": "string"}, "example": _RESPONSE_EXAMPLE}},
        },
        400: {"description": "Not JSON / NDJSON, not UTF-8 or a broken gzip stream; `detail` names the line."},
        401: ERROR_RESPONSES[401],
        413: {"description": "More than MAX_JSON_LOGS records, or a body (or its decompressed size) larger "
              "than MAX_JSON_BYTES."},
        415: {"description": "A Content-Encoding other than gzip, deflate or identity."},
        503: OVERLOADED_RESPONSE,
    },
)
async def ingest(
    request: Request,
    classifier: Classifier,
    settings: AppSettings,
    metrics: AppMetrics,
    alerter: AppAlerter,
    patterns: AppPatterns,
    explain: Annotated[
        bool, Query(description="Add classified_by, confidence, reason and pattern_id to each record")
    ] = False,
) -> Response:
    # The bytes on the wire are held to MAX_JSON_BYTES by BodySizeLimitMiddleware; what they inflate to, here.
    limits = ingest_limits(settings)
    try:
        body = await receive_body(request.stream(), content_encoding=request.headers.get("content-encoding", ""),
                                  limit=limits.max_bytes, limit_name=limits.bytes_name)
    except ClientDisconnect:
        # The client left, or the size limit answered 413 already and ended the body: nobody to answer.
        return Response(status_code=400)
    # Parsing and the cascade are CPU work: off the event loop.
    lines = await run_in_threadpool(
        _classify_feed, body, limits, classifier=classifier, settings=settings, metrics=metrics, alerter=alerter,
        patterns=patterns, explain=explain,
    )
    return Response("".join(lines), media_type=NDJSON)


def ingest_limits(settings: Settings) -> JsonLimits:
    """MAX_JSON_BYTES (compressed and inflated) and MAX_JSON_LOGS records, as for POST /classify/json."""
    return JsonLimits(
        max_bytes=settings.json_limit_bytes,
        max_records=settings.max_json_logs,
        bytes_name=f"{settings.json_limit_bytes} bytes (MAX_JSON_BYTES)",
        hint=": make the shipper send smaller batches",
    )


def _classify_feed(
    body: bytes | bytearray,
    limits: JsonLimits,
    *,
    classifier: LoadedClassifier,
    settings: Settings,
    metrics: Metrics,
    alerter: Alerter,
    patterns: Recorder,
    explain: bool,
) -> list[str]:
    records = parse_records(body, limits)
    messages = [field_text(record, settings.ingest_message_fields) for record in records]
    sources = [field_text(record, settings.ingest_source_fields) or "" for record in records]
    tried = ", ".join(settings.ingest_message_fields)
    no_message = Prediction(UNCLASSIFIED, "none", 0.0, f"no message field ({tried})", outcome="empty")
    times = [_first_present(record, settings.ingest_timestamp_fields) for record in records]
    predictions, keys = classify_and_record(classifier, metrics, alerter, patterns, sources, messages, times=times,
                                            no_message=no_message)
    log.info("ingested %d records (%d without a message)", len(records), messages.count(None))
    ids: dict[PatternKey | None, str | None] = {None: None}
    lines = []
    for record, prediction, key in zip(records, predictions, keys):
        if explain and key not in ids:
            ids[key] = pattern_id(key)  # type: ignore[arg-type]  # None is in ids already
        added = output_fields(prediction, ids[key] if explain else None, explain=explain)
        lines.append(render_line(record, added.items()))
    return lines


def _first_present(record: dict[str, Any], names: Sequence[str]) -> Any:
    """The value of the first of `names` in `record` (any JSON type), or None."""
    for name in names:
        value = record.get(name)
        if value is not None and value != "":
            return value
    return None

