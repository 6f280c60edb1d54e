"""OTLP logs → (source, message, time) rows, with the published OpenTelemetry protobuf definitions.

`decode_request` reads an `ExportLogsServiceRequest` from protobuf or from OTLP's JSON mapping;
`log_rows` flattens it. The message is the record's `body` (a string as is, any other value in a
string form); the source is the resource's `service.name`, else its `host.name`, else the
instrumentation scope's name; the time is `time_unix_nano`, else `observed_time_unix_nano`.
A record without a body has nothing to classify: the route reports it as rejected (partial success).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any, Literal, NamedTuple

from google.protobuf import json_format
from google.protobuf.message import DecodeError
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceRequest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue

from log_classifier.errors import InputError

Encoding = Literal["protobuf", "json"]
SOURCE_ATTRIBUTES = ("service.name", "host.name")
"""Resource attributes tried in order for the source; then the scope name."""
MAX_JSON_DEPTH = 64
"""OTLP's nesting is about 8 levels plus the body's own values; deeper JSON is refused, not recursed into."""
_HEX_ID_FIELDS = ("traceId", "spanId", "trace_id", "span_id")


class LogRow(NamedTuple):
    """One OTLP log record, as the classifier takes it."""

    source: str
    message: str | None
    """None when the record has no body."""
    time_unix_nano: int
    """0 when the record states neither time."""


def decode_request(body: bytes, encoding: Encoding) -> ExportLogsServiceRequest:
    """The request message, or an InputError saying what is wrong with the body."""
    request = ExportLogsServiceRequest()
    if encoding == "protobuf":
        try:
            request.ParseFromString(body)
        except DecodeError as exc:
            raise InputError(f"the body is not an OTLP ExportLogsServiceRequest in protobuf ({exc})") from None
        return request
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"the body is not JSON ({exc})") from None
    except RecursionError:
        raise InputError("the JSON is nested too deeply") from None
    if not isinstance(document, dict):
        raise InputError("the body is not an OTLP ExportLogsServiceRequest: expected a JSON object")
    _check_depth(document)
    _drop_hex_ids(document)
    try:
        json_format.ParseDict(document, request, ignore_unknown_fields=True)  # OTLP: ignore unknown fields
    except json_format.ParseError as exc:
        raise InputError(f"the JSON is not an OTLP ExportLogsServiceRequest ({exc})") from None
    return request


def log_rows(request: ExportLogsServiceRequest) -> Iterator[LogRow]:
    """Every log record of the request, in order."""
    for resource_logs in request.resource_logs:
        attributes = {kv.key: kv.value for kv in resource_logs.resource.attributes}
        resource_source = next(
            (text for name in SOURCE_ATTRIBUTES if name in attributes and (text := any_value_text(attributes[name]))),
            "",
        )
        for scope_logs in resource_logs.scope_logs:
            source = resource_source or scope_logs.scope.name
            for record in scope_logs.log_records:
                message = any_value_text(record.body) if record.HasField("body") else ""
                yield LogRow(source, message or None, record.time_unix_nano or record.observed_time_unix_nano)


def any_value_text(value: AnyValue) -> str:
    """A string body as is; other values in a string form (numbers and booleans as JSON writes them,
    bytes as base64, arrays and maps as JSON)."""
    kind = value.WhichOneof("value")
    if kind == "string_value":
        return value.string_value
    if kind is None:
        return ""
    return json.dumps(_plain(value), ensure_ascii=False)


def _plain(value: AnyValue) -> Any:
    kind = value.WhichOneof("value")
    if kind == "array_value":
        return [_plain(item) for item in value.array_value.values]
    if kind == "kvlist_value":
        return {kv.key: _plain(kv.value) for kv in value.kvlist_value.values}
    if kind == "bytes_value":
        return base64.b64encode(value.bytes_value).decode("ascii")
    if kind == "double_value":
        number = value.double_value
        return number if number == number and abs(number) != float("inf") else str(number)  # no NaN in JSON
    if kind is None:
        return None
    return getattr(value, kind)


def _check_depth(document: Any) -> None:
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise InputError(f"the JSON is nested deeper than {MAX_JSON_DEPTH} levels")
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))


def _drop_hex_ids(document: dict[str, Any]) -> None:
    # OTLP/JSON writes trace and span ids as hex, where protobuf's JSON mapping expects base64; they are
    # not used here, so they are dropped rather than misread.
    for resource_logs in _objects(document.get("resourceLogs", document.get("resource_logs"))):
        for scope_logs in _objects(resource_logs.get("scopeLogs", resource_logs.get("scope_logs"))):
            for record in _objects(scope_logs.get("logRecords", scope_logs.get("log_records"))):
                for name in _HEX_ID_FIELDS:
                    record.pop(name, None)


def _objects(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
