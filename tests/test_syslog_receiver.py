"""The syslog receiver inside the app: TCP (both framings) and UDP into the same classification and
metrics as /ingest, its limits, many idle connections, and a clean shutdown."""

from __future__ import annotations

import socket
import time
from collections import Counter
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from feed_checks import MIXED_LINES, counted_since, labels_from_classify_json, rows_classified
from helpers import make_settings
from prometheus_client.parser import text_string_to_metric_families

from log_classifier.api.app import create_app
from log_classifier.receivers.syslog import parse_message

pytestmark = pytest.mark.slow  # the app loads the embedding model

MAX_FRAME = 4096
MAX_CONNECTIONS = 301
TIMEOUT_S = 20.0


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    settings = make_settings(syslog_tcp_port=0, syslog_udp_port=0, syslog_max_frame_bytes=MAX_FRAME, syslog_batch_ms=50,
                             syslog_max_connections=MAX_CONNECTIONS)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def ports(client: TestClient) -> tuple[int, int]:
    receiver = client.app.state.syslog  # type: ignore[attr-defined]
    return receiver.tcp_port, receiver.udp_port


def wait_for(client: TestClient, before: Counter[tuple[str, str]], rows: int) -> Counter[tuple[str, str]]:
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        counted = counted_since(client, before)
        if sum(counted.values()) >= rows or time.monotonic() > deadline:
            return counted
        time.sleep(0.05)


def metric(client: TestClient, name: str, **labels: str) -> float:
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    raise AssertionError(f"{name}{labels} not in /metrics")


def expected(client: TestClient, frames: list[bytes]) -> Counter[tuple[str, str]]:
    parsed = [parse_message(frame, max_chars=2000) for frame in frames]
    return Counter(labels_from_classify_json(client, [p.source for p in parsed], [p.text or "" for p in parsed]))


def frames_of(lines: tuple[str, ...]) -> list[bytes]:
    return [f"<{8 + i % 8}>Dec  7 03:00:0{i} host-{i} app{i}[4{i}]: {line}".encode() for i, line in enumerate(lines)]


def test_tcp_octet_counted_and_newline_framed_lines_are_classified_and_counted(client: TestClient) -> None:
    tcp_port, _ = ports(client)
    # Octet-counting frames syslog messages only (`LEN <PRI>...`); the plain line is newline-framed.
    frames = [b"not syslog at all: Kernel panic - not syncing", *frames_of(MIXED_LINES), b"<11>bad utf-8 \xff here"]
    before = rows_classified(client)
    with socket.create_connection(("127.0.0.1", tcp_port)) as sock:
        for i, frame in enumerate(frames):
            sock.sendall(str(len(frame)).encode() + b" " + frame if i % 2 else frame + b"\n")
    assert wait_for(client, before, len(frames)) == expected(client, frames)


def test_udp_datagrams_are_classified_and_counted(client: TestClient) -> None:
    _, udp_port = ports(client)
    frames = frames_of(MIXED_LINES)
    before = rows_classified(client)
    received = metric(client, "log_classifier_syslog_messages_total", transport="udp")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for frame in frames:
            sock.sendto(frame, ("127.0.0.1", udp_port))
    assert wait_for(client, before, len(frames)) == expected(client, frames)
    assert metric(client, "log_classifier_syslog_messages_total", transport="udp") == received + len(frames)
    assert metric(client, "log_classifier_syslog_dropped_total") == 0


def test_a_client_sending_without_newlines_is_cut_off_and_others_go_on(client: TestClient) -> None:
    tcp_port, _ = ports(client)
    before = rows_classified(client)
    cut_off = metric(client, "log_classifier_syslog_cut_off_total")
    sent = 0
    with socket.create_connection(("127.0.0.1", tcp_port)) as flood:
        flood.settimeout(TIMEOUT_S)
        with pytest.raises(OSError):  # reset or broken pipe once the receiver has closed the connection
            while sent < 256 * 1024 * 1024:
                flood.sendall(b"<13>" + b"A" * 65532)
                sent += 65536
        assert sent < 64 * 1024 * 1024  # cut off long before a gigabyte
    frame = b"<14>Dec  7 03:00:00 h sshd: Failed password for invalid user oracle from 203.0.113.9 port 40522 ssh2"
    with socket.create_connection(("127.0.0.1", tcp_port)) as other:
        other.sendall(frame + b"\n")
    counted = wait_for(client, before, 2)
    assert sum(counted.values()) == 2  # the cut line's head, and the other client's line
    assert counted - expected(client, [frame]) == expected(client, [b"<13>" + b"A" * (MAX_FRAME - 4)])
    assert metric(client, "log_classifier_syslog_cut_off_total") == cut_off + 1


def test_many_idle_connections_do_not_stop_the_receiver(client: TestClient) -> None:
    tcp_port, _ = ports(client)
    idle = [socket.create_connection(("127.0.0.1", tcp_port)) for _ in range(MAX_CONNECTIONS - 1)]
    try:
        idle[0].sendall(b"<14>1 - - half a line without its end")  # one of them even holds a partial line
        before = rows_classified(client)
        frames = frames_of(MIXED_LINES[:3])
        with socket.create_connection(("127.0.0.1", tcp_port)) as active:
            active.sendall(b"".join(frame + b"\n" for frame in frames))
            assert wait_for(client, before, len(frames)) == expected(client, frames)
            assert metric(client, "log_classifier_syslog_connections") == MAX_CONNECTIONS
            with socket.create_connection(("127.0.0.1", tcp_port)) as over_the_limit:
                over_the_limit.settimeout(TIMEOUT_S)
                assert over_the_limit.recv(1) == b""  # SYSLOG_MAX_CONNECTIONS: closed at once
            assert metric(client, "log_classifier_syslog_refused_connections_total") == 1
    finally:
        for sock in idle:
            sock.close()


def test_shutdown_classifies_what_was_received_and_ends_connections() -> None:
    settings = make_settings(syslog_tcp_port=0, syslog_batch_ms=5000)  # a batch would wait 5 s for more lines
    app = create_app(settings)
    with TestClient(app):
        tcp_port = app.state.syslog.tcp_port
        held = socket.create_connection(("127.0.0.1", tcp_port))  # left open by its client
        held.sendall(b"<11>Dec  7 03:00:00 h app: Kernel panic - not syncing: Fatal exception\n")
        deadline = time.monotonic() + TIMEOUT_S
        while app.state.syslog.received["tcp"] < 1:  # the line is in, waiting for its batch
            assert time.monotonic() < deadline, "the receiver never read the line"
            time.sleep(0.01)
        started = time.monotonic()
    assert time.monotonic() - started < 4  # did not wait for the batch interval nor for the client
    assert held.recv(1) == b""  # the receiver ended the connection
    held.close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", tcp_port), timeout=1).close()
    rows = sum(sample.value for family in text_string_to_metric_families(app.state.metrics.exposition().decode())
               if family.name == "log_classifier_rows_classified" for sample in family.samples
               if sample.name.endswith("_total"))
    assert rows == 1


def test_syslog_and_otlp_lines_raise_alerts_like_ingest() -> None:
    from otlp_payloads import record, request, resource, resource_logs, text
    from webhook_receiver import webhook_receiver

    panic = "Kernel panic - not syncing: Fatal exception in interrupt"
    ssh = "Failed password for invalid user oracle from 203.0.113.9 port 40522 ssh2"
    with webhook_receiver() as receiver:
        settings = make_settings(syslog_tcp_port=0, syslog_batch_ms=50, alert_webhook_url=receiver.url,
                                 alert_cooldown_s=0.5)
        app = create_app(settings)
        with TestClient(app) as test_client:
            with socket.create_connection(("127.0.0.1", app.state.syslog.tcp_port)) as sock:
                sock.sendall(f"<8>Dec  7 03:00:00 node-7 kernel: {panic}\n".encode())
            alert = receiver.next_post(timeout=TIMEOUT_S)
            assert alert["counts"] == {"Critical Error": 1}
            assert [(s["source"], s["message"]) for s in alert["samples"]] == [("kernel", f"<8>{panic}")]

            otlp = request(resource_logs(resource(service_name="bastion"), "auth", record(text(ssh))))
            response = test_client.post("/v1/logs", content=otlp.SerializeToString(),
                                        headers={"Content-Type": "application/x-protobuf"})
            assert response.status_code == 200
            alert = receiver.next_post(timeout=TIMEOUT_S)
            assert alert["counts"] == {"Security Alert": 1}
            assert [(s["source"], s["message"]) for s in alert["samples"]] == [
                ("bastion", ssh.replace("203.0.113.9", "<IP>"))]


def test_the_receiver_is_off_unless_a_port_is_set(app_client: TestClient) -> None:
    receiver = app_client.app.state.syslog  # type: ignore[attr-defined]
    assert (receiver.tcp_port, receiver.udp_port, receiver.listening) == (None, None, False)
    assert "log_classifier_syslog" not in app_client.get("/metrics").text
