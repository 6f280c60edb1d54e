"""OTLP log records → (source, message, time): the published protobuf classes, both encodings."""

from __future__ import annotations

import json

import pytest
from opentelemetry.proto.common.v1.common_pb2 import AnyValue, ArrayValue, KeyValue, KeyValueList
from otlp_payloads import SPEC_EXAMPLE_JSON, record, request, resource, resource_logs, text

from log_classifier.errors import InputError
from log_classifier.receivers.otlp import LogRow, decode_request, log_rows


def test_the_spec_example_in_json() -> None:
    rows = list(log_rows(decode_request(SPEC_EXAMPLE_JSON.encode(), "json")))
    assert rows == [LogRow("my.service", "Example log record", 1544712660300000000)]


def test_protobuf_and_json_give_the_same_rows() -> None:
    from google.protobuf import json_format

    message = request(
        resource_logs(resource(service_name="checkout", host_name="web-1"), "scope-a",
                      record(text("first"), time_unix_nano=5), record(text("second"), observed=7)),
        resource_logs(resource(host_name="db-1"), "scope-b", record(text("third"))),
        resource_logs(resource(), "scope-c", record(text("fourth"))),
    )
    expected = [LogRow("checkout", "first", 5), LogRow("checkout", "second", 7), LogRow("db-1", "third", 0),
                LogRow("scope-c", "fourth", 0)]
    assert list(log_rows(decode_request(message.SerializeToString(), "protobuf"))) == expected
    assert list(log_rows(decode_request(json_format.MessageToJson(message).encode(), "json"))) == expected
    # OTLP JSON may use the proto field names too.
    snake = json_format.MessageToJson(message, preserving_proto_field_name=True).encode()
    assert list(log_rows(decode_request(snake, "json"))) == expected


def test_bodies_that_are_not_strings_come_as_their_string_form() -> None:
    kvlist = AnyValue(kvlist_value=KeyValueList(values=[
        KeyValue(key="event", value=text("login")), KeyValue(key="ok", value=AnyValue(bool_value=False)),
        KeyValue(key="tries", value=AnyValue(int_value=3)),
        KeyValue(key="tags", value=AnyValue(array_value=ArrayValue(values=[text("a"), AnyValue(double_value=1.5)]))),
    ]))
    message = request(resource_logs(resource(service_name="svc"), "s",
                                    record(kvlist), record(AnyValue(int_value=42)), record(AnyValue(bool_value=True)),
                                    record(AnyValue(bytes_value=b"\x00\x01")), record(None), record(text(""))))
    rows = list(log_rows(decode_request(message.SerializeToString(), "protobuf")))
    assert json.loads(rows[0].message or "") == {"event": "login", "ok": False, "tries": 3, "tags": ["a", 1.5]}
    assert [row.message for row in rows[1:]] == ["42", "true", '"AAE="', None, None]


@pytest.mark.parametrize(
    ("body", "encoding", "detail"),
    [
        (b"\xff\xff\xff\xff", "protobuf", "not an OTLP ExportLogsServiceRequest in protobuf"),
        (b'{"resourceLogs": [', "json", "not JSON"),
        (b"[]", "json", "expected a JSON object"),
        (b'{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"timeUnixNano": "soon"}]}]}]}', "json",
         "not an OTLP ExportLogsServiceRequest"),
        (b'{"resourceLogs": "x"}', "json", "not an OTLP ExportLogsServiceRequest"),
        (b"\xff\xfe{", "json", "not JSON"),
        (b'{"a":' * 100 + b"1" + b"}" * 100, "json", "nested deeper"),
    ],
)
def test_malformed_bodies_say_what_is_wrong(body: bytes, encoding: str, detail: str) -> None:
    with pytest.raises(InputError, match=detail):
        decode_request(body, encoding)  # type: ignore[arg-type]


def test_invalid_text_is_refused_not_passed_on() -> None:
    # Protobuf strings must be UTF-8 and JSON strings must not hold lone surrogates: a 400, never a crash later.
    raw = request(resource_logs(resource(service_name="svc"), "s", record(text("MARKER")))).SerializeToString()
    with pytest.raises(InputError, match="bad UTF-8"):
        decode_request(raw.replace(b"MARKER", b"MA\xff\xfeER"), "protobuf")
    lone = b'{"resourceLogs": [{"scopeLogs": [{"logRecords": [{"body": {"stringValue": "a \\udc00 b"}}]}]}]}'
    with pytest.raises(InputError, match="[Ss]urrogate"):
        decode_request(lone, "json")
