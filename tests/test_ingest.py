"""`POST /ingest`: the payloads Fluent Bit's and Vector's `http` outputs send, replayed through the app.

Fluent Bit (`format json`, `json_date_key date`): a JSON array, the tail input's text in `log`.
Vector (`codec = "json"`, `framing.method = "newline_delimited"`): NDJSON, the text in `message`.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers import make_settings

from log_classifier.api.app import create_app

KERNEL_PANIC = "Kernel panic - not syncing: Fatal exception in interrupt"
SSH_FAILED = "Failed password for invalid user oracle from 203.0.113.9 port 40522 ssh2"
BACKUP_DONE = "Nightly backup of volume vol-19 completed successfully"

FLUENT_BIT_RECORDS = [
    {"date": 1764417600.251, "log": KERNEL_PANIC, "host": "node-7", "stream": "stderr",
     "kubernetes": {"pod_name": "api-5d9c", "namespace_name": "prod", "labels": {"app": "api"}}},
    {"date": 1764417601.5, "log": SSH_FAILED, "host": "bastion", "stream": "stdout"},
    {"date": 1764417602.0, "log": "", "host": "node-7"},  # an empty line: no message
    {"date": 1764417603.75, "log": BACKUP_DONE, "host": "backup-1", "big": 12345678901234567890, "ok": True,
     "nothing": None, "ratio": 0.1},
]
VECTOR_RECORDS = [
    {"host": "web-1", "message": SSH_FAILED, "source_type": "file", "file": "/var/log/auth.log",
     "timestamp": "2026-11-29T12:00:00.123456Z"},
    {"host": "web-1", "message": "User u_5531 signed out", "source_type": "file", "file": "/var/log/app.log",
     "timestamp": "2026-11-29T12:00:01Z", "unicode": "日志 ✓"},
    {"host": "db-1", "source_type": "journald", "timestamp": "2026-11-29T12:00:02Z"},  # no message field at all
    {"host": "node-7", "message": KERNEL_PANIC, "source_type": "kubernetes_logs", "timestamp": "2026-11-29T12:00:03Z"},
]
NDJSON = "application/x-ndjson"


def answer(text: str) -> list[dict[str, Any]]:
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def ndjson(records: list[dict[str, Any]], newline: str = "\n") -> bytes:
    return newline.join(json.dumps(record) for record in records).encode() + newline.encode()


def assert_round_trip(sent: list[dict[str, Any]], got: list[dict[str, Any]], added: tuple[str, ...]) -> None:
    """Every record back, in order, every input field unchanged (key order too), only `added` after them."""
    assert len(got) == len(sent)
    for original, result in zip(sent, got):
        assert list(result)[: len(original)] == list(original)
        assert {key: result[key] for key in original} == original
        assert tuple(list(result)[len(original):]) == added


def test_fluent_bit_json_array_comes_back_as_ndjson_with_labels(app_client: TestClient) -> None:
    response = app_client.post(
        "/ingest", content=json.dumps(FLUENT_BIT_RECORDS), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == NDJSON
    got = answer(response.text)
    assert_round_trip(FLUENT_BIT_RECORDS, got, ("target_label",))
    assert [r["target_label"] for r in got] == ["Critical Error", "Security Alert", "Unclassified",
                                                "System Notification"]
    assert got[0]["kubernetes"]["labels"] == {"app": "api"}  # nested objects kept as they were
    assert got[3]["big"] == 12345678901234567890 and got[3]["nothing"] is None


def test_vector_ndjson_comes_back_in_order_and_explained(app_client: TestClient) -> None:
    response = app_client.post("/ingest?explain=true", content=ndjson(VECTOR_RECORDS), headers={"Content-Type": NDJSON})
    assert response.status_code == 200, response.text
    got = answer(response.text)
    assert_round_trip(VECTOR_RECORDS, got, ("target_label", "classified_by", "confidence", "reason", "pattern_id"))
    assert [r["target_label"] for r in got] == ["Security Alert", "User Action", "Unclassified", "Critical Error"]
    assert got[1]["unicode"] == "日志 ✓"
    no_message = got[2]
    assert (no_message["classified_by"], no_message["confidence"]) == ("none", 0.0)
    assert no_message["reason"] == "no message field (log_message, message, log, msg)"
    assert got[0]["reason"] == "rule:sshd-failed-password" and got[0]["confidence"] == 1.0


def test_ndjson_with_crlf_blank_lines_and_no_content_type(app_client: TestClient) -> None:
    body = b"\r\n" + ndjson(VECTOR_RECORDS[:2], newline="\r\n") + b"\r\n\r\n"
    response = app_client.post("/ingest", content=body)
    assert response.status_code == 200, response.text
    assert [r["target_label"] for r in answer(response.text)] == ["Security Alert", "User Action"]


def test_one_pretty_printed_object_is_one_record(app_client: TestClient) -> None:
    body = json.dumps({"msg": KERNEL_PANIC, "app": "kernel"}, indent=2)
    response = app_client.post("/ingest", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    assert answer(response.text) == [{"msg": KERNEL_PANIC, "app": "kernel", "target_label": "Critical Error"}]


def test_message_and_source_come_from_the_first_present_field(app_client: TestClient) -> None:
    # log_message beats message; a blank log_message does not count; the source picks the cascade's route
    # (LegacyCRM goes straight to the LLM, which has no key here: Unclassified, "llm disabled").
    records = [
        {"log_message": KERNEL_PANIC, "message": BACKUP_DONE},
        {"log_message": "  ", "message": KERNEL_PANIC},
        {"message": KERNEL_PANIC, "app": "LegacyCRM", "host": "crm-1"},
        {"message": KERNEL_PANIC, "source": "", "service": "LegacyCRM"},
    ]
    response = app_client.post("/ingest?explain=true", content=json.dumps(records))
    got = answer(response.text)
    assert [r["target_label"] for r in got] == ["Critical Error", "Critical Error", "Unclassified", "Unclassified"]
    assert got[2]["reason"].startswith("llm disabled") and got[3]["reason"].startswith("llm disabled")


def test_gzip_and_deflate_bodies(app_client: TestClient) -> None:
    raw = json.dumps(FLUENT_BIT_RECORDS).encode()
    expected = app_client.post("/ingest", content=raw).text
    for encoding, body in [
        ("gzip", gzip.compress(raw)),
        ("x-gzip", gzip.compress(raw)),
        ("deflate", zlib.compress(raw)),
        # several gzip members one after the other are one stream (RFC 1952)
        ("gzip", gzip.compress(raw[:100]) + gzip.compress(raw[100:])),
    ]:
        response = app_client.post("/ingest", content=body, headers={"Content-Encoding": encoding})
        assert response.status_code == 200, (encoding, response.text)
        assert response.text == expected


def test_empty_body_and_empty_array_give_an_empty_answer(app_client: TestClient) -> None:
    for body in (b"", b"  \n", b"[]", gzip.compress(b"")):
        headers = {"Content-Encoding": "gzip"} if body.startswith(b"\x1f\x8b") else {}
        response = app_client.post("/ingest", content=body, headers=headers)
        assert (response.status_code, response.text) == (200, "")


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (b'{"message": "a"}\n{"message": "b"\n{"message": "c"}\n', "line 2: not valid JSON"),
        (b'{"message": "a"}\n\n\n{"message": NaN}\n', "line 4: not valid JSON"),
        (b'{"message": "a"}\n"just a string"\n', "line 2: a record must be a JSON object, not a string"),
        (b'{"message": "a"}\n[{"message": "b"}]\n', "line 2: a record must be a JSON object, not an array"),
        (b'[\n  {"message": "a"},\n  {"message": "b",}\n]', "line 3, column 19: not valid JSON"),
        (b'[{"message": "a"}, 42]', "array item 2: a record must be a JSON object, not a number"),
        (b'{"message": "a"}\n{"message": "caf\xe9"}\n', "line 2: the body is not UTF-8 text"),
    ],
)
def test_broken_bodies_are_a_400_naming_the_line(app_client: TestClient, body: bytes, detail: str) -> None:
    response = app_client.post("/ingest", content=body, headers={"Content-Type": NDJSON})
    assert response.status_code == 400
    assert response.json()["detail"].startswith(detail), response.json()


def test_broken_compression(app_client: TestClient) -> None:
    raw = json.dumps(FLUENT_BIT_RECORDS).encode()
    truncated = app_client.post("/ingest", content=gzip.compress(raw)[:-12], headers={"Content-Encoding": "gzip"})
    assert truncated.status_code == 400 and "truncated" in truncated.json()["detail"]
    not_gzip = app_client.post("/ingest", content=raw, headers={"Content-Encoding": "gzip"})
    assert not_gzip.status_code == 400 and "not valid gzip data" in not_gzip.json()["detail"]
    zstd = app_client.post("/ingest", content=raw, headers={"Content-Encoding": "zstd"})
    assert zstd.status_code == 415 and "gzip, deflate" in zstd.json()["detail"]


def test_ingest_is_counted_in_the_metrics(app_client: TestClient) -> None:
    def critical_regex_rows() -> float:
        for line in app_client.get("/metrics").text.splitlines():
            if line.startswith('log_classifier_rows_classified_total{category="Critical Error",stage="regex"}'):
                return float(line.rsplit(" ", 1)[1])
        raise AssertionError("series missing")

    before = critical_regex_rows()
    app_client.post("/ingest", content=ndjson([{"message": KERNEL_PANIC}] * 3))
    assert critical_regex_rows() == before + 3


# --- limits, fields and keys from settings -------------------------------------------------------------

API_KEY = "ingest-key-1"


# These build an app of their own (the model loaded again: seconds); the tests above share the session's.
@pytest.fixture(scope="module")
def small_client() -> Iterator[TestClient]:
    settings = make_settings(
        max_upload_mb=1, max_json_logs=5, max_json_bytes=256 * 1024, api_keys=[API_KEY],
        ingest_message_fields=["text", "body"], ingest_source_fields=["component"],
    )
    with TestClient(create_app(settings), headers={"X-API-Key": API_KEY}) as client:
        yield client


@pytest.mark.slow
def test_fields_come_from_the_settings(small_client: TestClient) -> None:
    records = [{"text": KERNEL_PANIC}, {"body": SSH_FAILED, "message": BACKUP_DONE}, {"message": KERNEL_PANIC}]
    got = answer(small_client.post("/ingest?explain=true", content=json.dumps(records)).text)
    assert [r["target_label"] for r in got] == ["Critical Error", "Security Alert", "Unclassified"]
    assert got[2]["reason"] == "no message field (text, body)"


@pytest.mark.slow
def test_the_api_key_is_required(small_client: TestClient) -> None:
    response = small_client.post("/ingest", content=b"[]", headers={"X-API-Key": "wrong"})
    assert response.status_code == 401


@pytest.mark.slow
def test_more_records_than_max_json_logs_is_a_413(small_client: TestClient) -> None:
    for body in (json.dumps([{"text": "x"}] * 6).encode(), ndjson([{"text": "x"}] * 6)):
        response = small_client.post("/ingest", content=body)
        assert response.status_code == 413 and "MAX_JSON_LOGS" in response.json()["detail"]
    assert small_client.post("/ingest", content=ndjson([{"text": "x"}] * 5)).status_code == 200


@pytest.mark.slow
def test_a_gzip_bomb_is_a_413_without_inflating_it(small_client: TestClient) -> None:
    bomb = gzip.compress(b"\n" * (64 * 1024 * 1024), compresslevel=9)  # 64 MB of newlines in ~64 kB
    assert len(bomb) < 1024 * 1024
    response = small_client.post("/ingest", content=bomb, headers={"Content-Encoding": "gzip"})
    assert response.status_code == 413
    assert response.json()["detail"] == "the decompressed body is larger than 262144 bytes (MAX_JSON_BYTES)"


@pytest.mark.slow
def test_a_body_over_the_limit_is_a_413(small_client: TestClient) -> None:
    big = ndjson([{"text": "x" * 1000}] * 1100)

    def chunks() -> Iterator[bytes]:  # streamed: no Content-Length for a front check to look at
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536]

    response = small_client.post("/ingest", content=chunks())
    assert response.status_code == 413
    assert "MAX_JSON_BYTES" in response.json()["detail"]
