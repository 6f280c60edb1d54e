"""Issue 24, items 6 and 8, against a real uvicorn: clients that go, load shedding, trickling bodies,
two `file` parts. No tight timing asserts (a noisy 2-core machine): only orders of magnitude."""

from __future__ import annotations

import random
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fake_groq import FakeGroq
from fastapi.testclient import TestClient
from helpers import make_settings
from live_server import serve

from log_classifier.api.app import create_app

pytestmark = pytest.mark.slow

WORDS = ("replica shard cursor ledger beacon quota vault relay socket buffer kernel daemon cache queue "
         "token lease index tenant bucket volume mirror pipeline batch worker scheduler gateway router "
         "stream cluster segment snapshot journal checksum handshake session backlog partition").split()
VERBS = ("stalled drifted rebalanced paused resumed throttled skipped retried expired flushed").split()


def new_shapes(count: int, seed: int) -> list[dict[str, str]]:
    """`count` lines of distinct shapes (no digits: masking would make them alike)."""
    rng = random.Random(seed)
    lines: set[str] = set()
    while len(lines) < count:
        lines.add(" ".join([*rng.sample(WORDS, 4), rng.choice(VERBS), "near", *rng.sample(WORDS, 2)]))
    return [{"source": "app", "log_message": line} for line in sorted(lines)]


@pytest.fixture(scope="module")
def busy_server() -> Iterator[tuple[str, Any]]:
    """Every new shape goes through the contextual encoder (no fast path): work that takes seconds."""
    app = create_app(make_settings(embedding_fast_path=False, max_queue_s=1.0))
    with serve(app) as base_url:
        yield base_url, app


def encoded(client: httpx.Client) -> int:
    return client.get("/health").json()["model"]["fast_path"]["full"]


def test_work_stops_when_the_client_disconnects(busy_server: tuple[str, Any]) -> None:
    base_url, _ = busy_server
    logs = new_shapes(8000, seed=1)  # 5-10 s of encoder work on two cores (~800-1,600 texts/s)
    with httpx.Client(base_url=base_url, timeout=30) as probe:
        before = encoded(probe)
        with pytest.raises(httpx.ReadTimeout):  # the client gives up and closes its connection
            httpx.post(f"{base_url}/classify/json", json={"logs": logs}, timeout=1.5)
        time.sleep(3.0)  # a turn of the encoder (64 texts) at most, then it stops
        stopped_at = encoded(probe)
        time.sleep(3.0)
        assert encoded(probe) == stopped_at  # nothing more is computed for the client that left
        assert stopped_at - before < len(logs) // 2
        assert probe.get("/health").json()["encoder_queue"]["texts"] == 0
        # A request for the same lines now computes them itself (the keys were handed back, not lost).
        answered = probe.post("/classify/json", json={"logs": logs[:50]})
        assert answered.status_code == 200 and len(answered.json()["results"]) == 50


def test_new_requests_are_shed_with_retry_after_while_the_encoder_queue_is_long(busy_server: tuple[str, Any]) -> None:
    base_url, _ = busy_server
    # Many clients at once, one encoder turn (64 new shapes) each: a new request would wait for all of them.
    batches = [new_shapes(64, seed=100 + n) for n in range(40)]
    answers: list[httpx.Response] = []

    def send(logs: list[dict[str, str]]) -> None:
        answers.append(httpx.post(f"{base_url}/classify/json", json={"logs": logs}, timeout=120))

    senders = [threading.Thread(target=send, args=(logs,)) for logs in batches]
    for sender in senders:
        sender.start()
    shed: httpx.Response | None = None
    with httpx.Client(base_url=base_url, timeout=30) as client:
        deadline = time.monotonic() + 60
        while shed is None and time.monotonic() < deadline and any(sender.is_alive() for sender in senders):
            response = client.post("/ingest", content=b'{"message": "Kernel panic - not syncing"}\n')
            if response.status_code == 503:
                shed = response
            time.sleep(0.05)
        health = client.get("/health")  # never shed
        for sender in senders:
            sender.join()
        after = client.post("/classify/json", json={"logs": [{"source": "k", "log_message": "Kernel panic"}]})
    assert shed is not None, "no request was shed while 40 clients queued for the encoder"
    assert int(shed.headers["Retry-After"]) >= 1
    assert "MAX_QUEUE_S" in shed.json()["detail"]
    assert health.status_code == 200
    assert {answer.status_code for answer in answers} <= {200, 503} and 200 in {a.status_code for a in answers}
    assert after.status_code == 200  # the queue drained: accepted again


def test_one_big_request_does_not_shed_a_small_one(busy_server: tuple[str, Any]) -> None:
    # The encoder takes callers in turn: one big upload stands in front of a new request for one turn only.
    base_url, _ = busy_server
    logs = new_shapes(5000, seed=303)  # shapes no other test of this module sends: seconds of encoder work
    big: dict[str, httpx.Response] = {}
    sender = threading.Thread(target=lambda: big.setdefault("r", httpx.post(
        f"{base_url}/classify/json", json={"logs": logs}, timeout=120)))
    sender.start()
    with httpx.Client(base_url=base_url, timeout=30) as client:
        # Until the big one's backlog is more than MAX_QUEUE_S (1 s) of encoder work: a measure that
        # counted every queued text would shed the next request now.
        deadline = time.monotonic() + 30
        while True:
            queue = client.get("/health").json()["encoder_queue"]
            if queue["rate_per_s"] and queue["texts"] / queue["rate_per_s"] > 1.0:
                break
            assert time.monotonic() < deadline and sender.is_alive(), queue
            time.sleep(0.05)
        small = client.post("/ingest", content=b'{"message": "Kernel panic - not syncing"}\n')
    sender.join()
    assert small.status_code == 200, small.text
    assert big["r"].status_code == 200
    assert queue["callers"] <= 1 and queue["seconds"] < 1.0


def test_llm_calls_stop_when_the_client_disconnects(fake_groq: FakeGroq) -> None:
    fake_groq.hang(3.0)  # each LLM call takes 3 s; one worker takes them one after the other
    settings = make_settings(groq_api_key="k", groq_base_url=fake_groq.base_url, groq_model="fake-model",
                             llm_sources=["LegacyCRM"], llm_batch_size=1, llm_concurrency=1, llm_max_retries=0,
                             llm_timeout_s=10, llm_budget_s=60)
    logs = [{"source": "LegacyCRM", "log_message": f"Refund approval for order {word} stalled"} for word in WORDS[:10]]
    with serve(create_app(settings)) as base_url:
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(f"{base_url}/classify/json", json={"logs": logs}, timeout=1.0)
        time.sleep(6.0)  # two more calls would have started by now
        asked = len(fake_groq.requests)
    assert asked == 1  # the call on the wire when the client left, and no other


def test_a_trickling_body_is_answered_408_and_let_go() -> None:
    app = create_app(make_settings(request_body_timeout_s=1.0))
    with serve(app) as base_url:
        port = int(base_url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
            sock.sendall(b"POST /ingest HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 1000\r\n\r\n[{\"message\": ")  # ... and nothing more
            started = time.monotonic()
            answer = b""
            while chunk := sock.recv(65536):  # until the server closes the connection
                answer += chunk
            waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert b"REQUEST_BODY_TIMEOUT_S" in answer
    assert waited < 15  # held about a second, not forever


def test_two_file_parts_are_a_400(app_client: TestClient) -> None:
    one = ("a.csv", b"source,log_message\nsshd,Failed password for root\n", "text/csv")
    two = ("b.csv", b"source,log_message\nk,Kernel panic\n", "text/csv")
    response = app_client.post("/classify/", files=[("file", one), ("file", two)])
    assert response.status_code == 400
    assert response.json()["detail"] == "2 'file' parts in one upload: send one CSV per request"
