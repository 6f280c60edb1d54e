"""OTLP records and syslog messages count in the pattern store like /ingest's lines: at the time the
record or the syslog header states, under the pattern `/classify/json` gives the same message."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from helpers import make_settings
from otlp_payloads import record, request, resource, resource_logs, text

from log_classifier.api.app import create_app

pytestmark = pytest.mark.slow  # the app loads the embedding model


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = tmp_path_factory.mktemp("receivers") / "patterns.db"
    settings = make_settings(pattern_store=str(store), pattern_flush_s=0.1, syslog_tcp_port=0, syslog_batch_ms=50)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat().replace("+00:00", "Z")


def count_in(client: TestClient, pattern_id: str, start: float, end: float) -> int:
    answer = client.get(f"/patterns/{pattern_id}?start={iso(start)}&end={iso(end)}")
    return answer.json()["count"] if answer.status_code == 200 else 0


def pattern_of(client: TestClient, source: str, message: str) -> str:
    answer = client.post("/classify/json", json={"logs": [{"source": source, "log_message": message}]})
    return answer.json()["results"][0]["pattern_id"]


def wait_counted(client: TestClient, pattern_id: str, start: float, end: float, expected: int) -> int:
    deadline = time.monotonic() + 20
    while (counted := count_in(client, pattern_id, start, end)) < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return counted


def test_otlp_records_count_at_their_own_time(client: TestClient) -> None:
    at = (int(time.time()) // 3600) * 3600 - 5 * 3600 + 600  # five hours ago, in the minute retention
    line = "Connection pool exhausted for tenant 4411 after 30000 ms"
    message = request(resource_logs(resource(service_name="billing-otlp"), "lib",
                                    *[record(text(line), time_unix_nano=(at + i) * 10**9) for i in range(3)]))
    assert client.post("/v1/logs", content=message.SerializeToString(),
                       headers={"Content-Type": "application/x-protobuf"}).status_code == 200
    pattern_id = pattern_of(client, "billing-otlp", line)  # counted at arrival: now, outside the window below
    assert wait_counted(client, pattern_id, at - 60, at + 120, 3) == 3
    assert count_in(client, pattern_id, at + 3600, time.time() - 3600) == 0


def test_syslog_messages_count_at_their_header_time(client: TestClient) -> None:
    at = (int(time.time()) // 3600) * 3600 - 3 * 3600 + 300
    stamp = datetime.fromtimestamp(at, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    msg = "Replication lag on replica 7 reached 12 seconds"
    frames = [f"<27>1 {stamp} db-host replmon 77 - - {msg}\n".encode() for _ in range(4)]
    port = client.app.state.syslog.tcp_port  # type: ignore[attr-defined]
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(b"".join(frames))
    # the classifier sees `<PRI>MSG`: the pattern /classify/json gives that text under the APP-NAME
    pattern_id = pattern_of(client, "replmon", f"<27>{msg}")
    assert wait_counted(client, pattern_id, at - 60, at + 120, 4) == 4
