"""`POST /v1/logs` (OTLP/HTTP) through the app: encodings, answers, errors and limits as the OTLP spec
says; records counted like /ingest's. The real OpenTelemetry SDK exporter is in test_shippers.py."""

from __future__ import annotations

import gzip
from collections import Counter
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from feed_checks import MIXED_LINES, counted_since, labels_from_classify_json, rows_classified
from google.protobuf import json_format
from google.rpc import code_pb2, status_pb2
from helpers import make_settings
from opentelemetry.proto.collector.logs.v1.logs_service_pb2 import ExportLogsServiceResponse
from otlp_payloads import SPEC_EXAMPLE_JSON, record, request, resource, resource_logs, text

from log_classifier.api.app import create_app

pytestmark = pytest.mark.slow  # the app loads the embedding model

PROTOBUF = {"Content-Type": "application/x-protobuf"}
JSON = {"Content-Type": "application/json"}


def test_protobuf_records_are_classified_and_counted_like_classify_json(app_client: TestClient) -> None:
    sources = ["checkout", "checkout", "db-1", "db-1", "scope-only", "checkout", "checkout"]
    message = request(
        resource_logs(resource(service_name="checkout", host_name="web-1"), "lib",
                      *[record(text(line)) for line in MIXED_LINES[:2]]),
        resource_logs(resource(host_name="db-1"), "lib", *[record(text(line)) for line in MIXED_LINES[2:4]]),
        resource_logs(resource(), "scope-only", record(text(MIXED_LINES[4]))),
        resource_logs(resource(service_name="checkout"), "lib", *[record(text(line)) for line in MIXED_LINES[5:]]),
    )
    before = rows_classified(app_client)
    response = app_client.post("/v1/logs", content=message.SerializeToString(), headers=PROTOBUF)
    assert response.status_code == 200 and response.headers["content-type"] == "application/x-protobuf"
    answer = ExportLogsServiceResponse.FromString(response.content)
    assert not answer.HasField("partial_success")
    counted = counted_since(app_client, before)
    assert counted == Counter(labels_from_classify_json(app_client, sources, list(MIXED_LINES)))
    assert sum(counted.values()) == len(MIXED_LINES)


def test_the_spec_example_in_json_gzip_compressed(app_client: TestClient) -> None:
    before = rows_classified(app_client)
    response = app_client.post("/v1/logs", content=gzip.compress(SPEC_EXAMPLE_JSON.encode()),
                               headers={**JSON, "Content-Encoding": "gzip"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.json() == {}  # ExportLogsServiceResponse without partial success
    assert counted_since(app_client, before) == Counter(
        labels_from_classify_json(app_client, ["my.service"], ["Example log record"])
    )


def test_records_without_a_body_are_a_partial_success(app_client: TestClient) -> None:
    message = request(resource_logs(resource(service_name="svc"), "s",
                                    record(None), record(text(MIXED_LINES[0])), record(text(""))))
    before = rows_classified(app_client)
    response = app_client.post("/v1/logs", content=json_format.MessageToJson(message), headers=JSON)
    assert response.status_code == 200
    assert response.json() == {"partialSuccess": {"rejectedLogRecords": "2",
                                                  "errorMessage": "2 log records have no body to classify"}}
    assert sum(counted_since(app_client, before).values()) == 1
    as_protobuf = app_client.post("/v1/logs", content=message.SerializeToString(), headers=PROTOBUF)
    assert ExportLogsServiceResponse.FromString(as_protobuf.content).partial_success.rejected_log_records == 2


@pytest.mark.parametrize(
    ("body", "headers", "status", "code", "detail"),
    [
        (b"\xff\xff\xff\xff", PROTOBUF, 400, code_pb2.INVALID_ARGUMENT, "not an OTLP ExportLogsServiceRequest"),
        (b"not gzip", {**PROTOBUF, "Content-Encoding": "gzip"}, 400, code_pb2.INVALID_ARGUMENT, "not valid gzip"),
        (b"", {**PROTOBUF, "Content-Encoding": "br"}, 415, code_pb2.INVALID_ARGUMENT, "'br' is not supported"),
    ],
)
def test_protobuf_failures_answer_a_status_in_protobuf(
    app_client: TestClient, body: bytes, headers: dict[str, str], status: int, code: int, detail: str
) -> None:
    response = app_client.post("/v1/logs", content=body, headers=headers)
    assert response.status_code == status and response.headers["content-type"] == "application/x-protobuf"
    answer = status_pb2.Status.FromString(response.content)
    assert answer.code == code and detail in answer.message
    assert "retry-after" not in response.headers  # 4xx: the exporter must not retry


@pytest.mark.parametrize(
    ("body", "headers", "status", "detail"),
    [
        (b'{"resourceLogs": [', JSON, 400, "the body is not JSON"),
        (b'{"resourceLogs": 7}', JSON, 400, "not an OTLP ExportLogsServiceRequest"),
        (b"{}", {"Content-Type": "text/plain"}, 415, "'text/plain' is not OTLP"),
        (b"{}", {}, 415, "'(none)' is not OTLP"),
    ],
)
def test_json_and_content_type_failures_answer_a_status_in_json(
    app_client: TestClient, body: bytes, headers: dict[str, str], status: int, detail: str
) -> None:
    response = app_client.post("/v1/logs", content=body, headers=headers)
    assert response.status_code == status and response.headers["content-type"] == "application/json"
    answer = json_format.Parse(response.text, status_pb2.Status())
    assert answer.code == code_pb2.INVALID_ARGUMENT and detail in answer.message


API_KEY = "otlp-key-1"


@pytest.fixture(scope="module")
def small_client() -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(max_json_bytes=4096, api_keys=[API_KEY])),
                    headers={"X-API-Key": API_KEY}) as client:
        yield client


def test_a_gzip_bomb_is_a_413_without_inflating_it(small_client: TestClient) -> None:
    bomb = gzip.compress(b"\x00" * (2 * 1024 * 1024), compresslevel=9)  # 2 MB in ~2 kB: under the wire limit
    assert len(bomb) < 4096
    response = small_client.post("/v1/logs", content=bomb, headers={**PROTOBUF, "Content-Encoding": "gzip"})
    assert response.status_code == 413
    answer = status_pb2.Status.FromString(response.content)
    assert answer.code == code_pb2.RESOURCE_EXHAUSTED
    assert answer.message == "the decompressed body is larger than 4096 bytes (MAX_JSON_BYTES)"


def test_a_body_over_the_limit_is_a_413_while_it_arrives(small_client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:  # streamed: no Content-Length for a front check to look at
        for _ in range(100):
            yield b"\x00" * 1024

    response = small_client.post("/v1/logs", content=chunks(), headers=PROTOBUF)
    assert response.status_code == 413 and "MAX_JSON_BYTES" in response.json()["detail"]
    declared = small_client.post("/v1/logs", content=b"\x00" * 5000, headers=PROTOBUF)
    assert declared.status_code == 413


def test_the_api_key_is_required(small_client: TestClient) -> None:
    response = small_client.post("/v1/logs", content=SPEC_EXAMPLE_JSON, headers={**JSON, "X-API-Key": "wrong"})
    assert response.status_code == 401
    assert small_client.post("/v1/logs", content=SPEC_EXAMPLE_JSON, headers=JSON).status_code == 200
