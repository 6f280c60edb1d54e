"""Alert webhooks, end to end: the real app under uvicorn posts to a real receiver on 127.0.0.1.

A receiver that is dead (closed port) or hangs must never slow down or fail a classification.
"""

from __future__ import annotations

import json
import logging
import queue
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from helpers import make_settings
from live_server import serve
from webhook_receiver import Receiver, closed_port_url, webhook_receiver

from log_classifier.alerts import AlertCounters, WebhookAlerter
from log_classifier.api.app import create_app
from log_classifier.contract import Prediction

KERNEL_PANIC = "Kernel panic - not syncing: Fatal exception in interrupt"
SSH_FAILED = "Failed password for invalid user oracle from 203.0.113.9 port 40522 ssh2"
BACKUP_DONE = "Nightly backup of volume vol-19 completed successfully"
FEED = [
    {"host": "node-7", "message": KERNEL_PANIC},
    {"host": "web-1", "message": BACKUP_DONE},
    {"host": "bastion", "message": SSH_FAILED},
    {"host": "bastion", "message": SSH_FAILED.replace("40522", "40523")},
]
ALERT_WITHIN_S = 15.0  # the acceptance bound


def ndjson(records: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(record).encode() + b"\n" for record in records)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as running:
        yield running


def metric(client: httpx.Client, name: str) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{name} not in /metrics")


@pytest.mark.slow  # an app of its own under uvicorn
def test_a_feed_with_a_kernel_panic_and_failed_ssh_logins_raises_one_alert(receiver: Receiver) -> None:
    app = create_app(make_settings(alert_webhook_url=receiver.url, alert_cooldown_s=60, alert_max_samples=1))
    with serve(app) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
        response = client.post("/ingest", content=ndjson(FEED), headers={"X-Request-ID": "feed-0001"})
        assert response.status_code == 200
        alert = receiver.next_post(timeout=ALERT_WITHIN_S)

        assert alert["counts"] == {"Security Alert": 2, "Critical Error": 1}
        assert alert["text"].startswith("2 Security Alert, 1 Critical Error in the last ")
        assert alert["request_id"] == "feed-0001"
        assert alert["model_version"] == app.state.classifier.model_version
        assert alert["model_version"] in alert["text"]
        # one sample per category (ALERT_MAX_SAMPLES=1), redacted: no IP address leaves the service
        assert alert["samples"] == [
            {"source": "bastion", "message": SSH_FAILED.replace("203.0.113.9", "<IP>"), "label": "Security Alert",
             "request_id": "feed-0001"},
            {"source": "node-7", "message": KERNEL_PANIC, "label": "Critical Error", "request_id": "feed-0001"},
        ]
        assert receiver.headers[0]["Content-Type"] == "application/json"
        wait_for(lambda: metric(client, "log_classifier_alert_webhooks_sent_total") == 1)
        assert metric(client, "log_classifier_alert_webhooks_sent_total") == 1

        # Within the cooldown nothing more is sent; the counts wait for the next window.
        client.post("/classify/json", json={"logs": [{"source": "kernel", "log_message": KERNEL_PANIC}]})
        with pytest.raises(queue.Empty):
            receiver.next_post(timeout=1.5)
        assert receiver.hits == 1


@pytest.mark.slow  # an app of its own under uvicorn
def test_counts_accumulate_over_the_cooldown_and_every_endpoint_counts(receiver: Receiver) -> None:
    app = create_app(make_settings(alert_webhook_url=receiver.url, alert_cooldown_s=2))
    with serve(app) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
        client.post("/ingest", content=ndjson(FEED[:1]))
        first = receiver.next_post(timeout=ALERT_WITHIN_S)
        assert first["counts"] == {"Critical Error": 1}
        # Three more Critical Error lines from the other two endpoints during the cooldown, and a routine line.
        client.post("/classify/json", json={"logs": [{"source": "k", "log_message": KERNEL_PANIC}] * 2})
        csv = f"source,log_message\nk,{KERNEL_PANIC}\nb,{BACKUP_DONE}\n"
        assert client.post("/classify/", files={"file": ("logs.csv", csv, "text/csv")}).status_code == 200
        second = receiver.next_post(timeout=ALERT_WITHIN_S)
        assert second["counts"] == {"Critical Error": 3}
        assert second["window_s"] <= 2.5 + 1.0
        assert receiver.hits == 2


@pytest.mark.slow  # an app of its own under uvicorn
def test_routine_lines_raise_no_alert(receiver: Receiver) -> None:
    app = create_app(make_settings(alert_webhook_url=receiver.url))
    with serve(app) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
        assert client.post("/ingest", content=ndjson([FEED[1]] * 5)).status_code == 200
        with pytest.raises(queue.Empty):
            receiver.next_post(timeout=1.5)


def timed_ingest(client: httpx.Client) -> float:
    started = time.perf_counter()
    response = client.post("/ingest", content=ndjson(FEED))
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert [json.loads(line)["target_label"] for line in response.text.splitlines()] == [
        "Critical Error", "System Notification", "Security Alert", "Security Alert"]
    return elapsed


@pytest.mark.slow  # an app of its own under uvicorn
def test_a_dead_receiver_never_slows_ingest_and_is_counted_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = create_app(make_settings(alert_webhook_url=closed_port_url(), alert_cooldown_s=0.2))
    caplog.set_level(logging.WARNING, logger="log_classifier.alerts")
    with serve(app) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
        timings = [timed_ingest(client) for _ in range(5)]
        # "Well under a second" (the acceptance); classification itself takes milliseconds here.
        assert max(timings) < 1.0, timings
        deadline = time.monotonic() + ALERT_WITHIN_S
        while metric(client, "log_classifier_alert_webhook_failures_total") < 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert metric(client, "log_classifier_alert_webhook_failures_total") >= 1
        assert metric(client, "log_classifier_alert_webhooks_sent_total") == 0
    failures = [r for r in caplog.records if "alert webhook not delivered" in r.getMessage()]
    assert len(failures) == 1 and "ConnectionRefusedError" in failures[0].getMessage()
    assert "127.0.0.1" not in failures[0].getMessage()  # a webhook URL can hold a secret token: never logged


@pytest.mark.slow  # an app of its own under uvicorn
def test_a_hanging_receiver_never_slows_ingest_nor_shutdown() -> None:
    with webhook_receiver("hang") as receiver:
        app = create_app(make_settings(alert_webhook_url=receiver.url, alert_cooldown_s=0.1))
        with serve(app) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
            timed_ingest(client)
            deadline = time.monotonic() + ALERT_WITHIN_S
            while receiver.hits < 1 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert receiver.hits == 1  # the sender is now stuck waiting for an answer
            timings = [timed_ingest(client) for _ in range(5)]
            assert max(timings) < 1.0, timings
            stopping = time.perf_counter()
        assert time.perf_counter() - stopping < 5.0  # the lifespan does not wait out the webhook timeout


# --- the sender on its own: retries and what counts as given up ---------------------------------------


class Counts:
    def __init__(self) -> None:
        self.sent = 0
        self.failed = 0

    def counters(self) -> AlertCounters:
        return AlertCounters(sent=lambda: setattr(self, "sent", self.sent + 1),
                             failed=lambda: setattr(self, "failed", self.failed + 1))


def alerter_for(url: str, counts: Counts) -> WebhookAlerter:
    return WebhookAlerter(url, categories=["Critical Error"], cooldown_s=60, max_samples=2, model_version="m1",
                          counters=counts.counters())


def wait_for(condition: Any, timeout: float = ALERT_WITHIN_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.parametrize(("status", "attempts"), [
    pytest.param(500, 3, marks=pytest.mark.slow),  # the retries wait out RETRY_BACKOFF_S (2.5 s)
    pytest.param(429, 3, marks=pytest.mark.slow),
    (404, 1),
])
def test_failing_receivers_are_retried_a_bounded_number_of_times(status: int, attempts: int) -> None:
    counts = Counts()
    with webhook_receiver(status) as receiver:
        alerter = alerter_for(receiver.url, counts)
        alerter.start()
        try:
            alerter.observe(["k"], [KERNEL_PANIC], [Prediction("Critical Error", "regex", 1.0, "rule:kernel-panic")])
            wait_for(lambda: counts.failed == 1)
        finally:
            alerter.close()  # joins the sender: no further attempt can sneak in after this
        assert (receiver.hits, counts.failed, counts.sent) == (attempts, 1, 0)


def test_a_receiver_recovering_between_attempts_gets_the_alert() -> None:
    counts = Counts()
    with webhook_receiver(503) as receiver:
        alerter = alerter_for(receiver.url, counts)
        alerter.start()
        try:
            alerter.observe(["k"], [KERNEL_PANIC], [Prediction("Critical Error", "regex", 1.0, "rule:kernel-panic")])
            wait_for(lambda: receiver.hits == 1)
            receiver.behaviour = "ok"
            body = receiver.next_post(timeout=ALERT_WITHIN_S)
            wait_for(lambda: counts.sent == 1)
        finally:
            alerter.close()
        assert body["counts"] == {"Critical Error": 1}
        assert (counts.sent, counts.failed) == (1, 0)


def test_failures_within_a_cooldown_window_are_counted_each_but_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    counts = Counts()
    caplog.set_level(logging.WARNING, logger="log_classifier.alerts")
    with webhook_receiver(404) as receiver:
        alerter = WebhookAlerter(receiver.url, categories=["Critical Error", "Security Alert"], cooldown_s=60,
                                 max_samples=1, model_version="m1", counters=counts.counters())
        alerter.start()
        try:
            # Two categories, each with its own cooldown: two posts, two failures, one warning.
            alerter.observe(["k"], [KERNEL_PANIC], [Prediction("Critical Error", "regex", 1.0, "r")])
            wait_for(lambda: counts.failed == 1)
            alerter.observe(["s"], [SSH_FAILED], [Prediction("Security Alert", "regex", 1.0, "r")])
            wait_for(lambda: counts.failed == 2)
        finally:
            alerter.close()
    assert receiver.hits == 2 and counts.failed == 2
    warnings = [r.getMessage() for r in caplog.records if "alert webhook not delivered" in r.getMessage()]
    assert len(warnings) == 1 and "HTTP 404" in warnings[0]


# --- issue 24: secrets, the request id of CSV uploads, a window of 0 s ------------------------------

SECRETS = {
    "pass=": ("login ok pass=Hunter2Pass", "Hunter2Pass"),
    "password is": ("reset: password is 'Tr0ub4dor&3'", "Tr0ub4dor&3"),
    "with password": ("user bob authenticated with password CorrectHorse9", "CorrectHorse9"),
    "basic auth": ("GET /admin Authorization: Basic YWRtaW46c2VjcmV0cGFzcw==", "YWRtaW46c2VjcmV0cGFzcw"),
    "postgres uri": ("connect postgres://app:pa55w0rd@db.internal:5432/orders failed", "pa55w0rd"),
    "mongodb+srv uri": ("mongodb+srv://admin:Mongo5ecret@cluster0.example.net/test down", "Mongo5ecret"),
    "redis uri": ("redis://:R3disPw@cache-1:6379/0 refused", "R3disPw"),
    "sessionid": ("cookie sessionid=k3j4h5g6f7d8s9a0 rejected", "k3j4h5g6f7d8s9a0"),
    "secret_key": ("config secret_key=django-insecure-abc123 loaded", "django-insecure-abc123"),
    "aws secret with /": ("aws creds wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY used", "wJalrXUtnFEMI/K7MDENG"),
}


def test_no_secret_reaches_the_webhook_even_one_cut_in_half() -> None:
    counts = Counts()
    # Each secret once at the start and once straddling the 300-character cut of a sample.
    messages = []
    for line, _ in SECRETS.values():
        messages.append(f"Kernel panic - {line}")
        messages.append("Kernel panic - " + "x " * (150 - len(line) // 4) + line)
    # A long JWT first: redacted, it shrinks to <TOKEN>, so a key that sat at the raw text's 600th
    # character ends up inside the 300 characters sent. Cut first, the key would be half a key (unmatched).
    jwt = "eyJhbGciOiJIUzI1NiJ9." + "eyJzdWIiOiIxMjM0NSJ9" * 26 + ".SflKxwRJSMeKKF2QT4fwpM"
    messages.append(f"Kernel panic - session {jwt} key AKIAIOSFODNN7EXAMPLE end")
    assert messages[-1].index("AKIA") < 600 < messages[-1].index("AKIA") + 20
    with webhook_receiver() as receiver:
        alerter = WebhookAlerter(receiver.url, categories=["Critical Error"], cooldown_s=60,
                                 max_samples=len(messages), model_version="m1", counters=counts.counters())
        alerter.start()
        try:
            alerter.observe(["k"] * len(messages), messages,
                            [Prediction("Critical Error", "regex", 1.0, "rule:kernel-panic")] * len(messages))
            body = receiver.next_post(timeout=ALERT_WITHIN_S)
        finally:
            alerter.close()
    text = json.dumps(body)
    assert len(body["samples"]) == len(messages)
    for name, (_, secret) in SECRETS.items():
        for size in (len(secret), 8, 6):  # nor any piece of it that a cut could leave
            assert secret[:size] not in text, name
    assert "<SECRET>" in text and "AKIAIOSF" not in text


def test_an_alert_of_one_instant_does_not_claim_a_second() -> None:
    counts = Counts()
    with webhook_receiver() as receiver:
        alerter = alerter_for(receiver.url, counts)
        alerter.start()
        try:
            alerter.observe(["k"], [KERNEL_PANIC], [Prediction("Critical Error", "regex", 1.0, "rule:kernel-panic")])
            body = receiver.next_post(timeout=ALERT_WITHIN_S)
        finally:
            alerter.close()
    assert body["window_s"] < 1.0
    assert "in the last 1 s" not in body["text"]
    assert f"in the last {body['window_s']:.1f} s" in body["text"]


@pytest.mark.slow  # an app of its own under uvicorn
def test_alerts_from_a_csv_upload_carry_its_request_id(receiver: Receiver) -> None:
    app = create_app(make_settings(alert_webhook_url=receiver.url, alert_cooldown_s=60))
    with serve(app) as base_url, httpx.Client(base_url=base_url, timeout=30) as client:
        csv = f"source,log_message\nk,{KERNEL_PANIC}\n"
        response = client.post("/classify/", files={"file": ("logs.csv", csv, "text/csv")},
                               headers={"X-Request-ID": "csv-upload-7"})
        assert response.status_code == 200
        alert = receiver.next_post(timeout=ALERT_WITHIN_S)
    assert alert["request_id"] == "csv-upload-7"
    assert [sample["request_id"] for sample in alert["samples"]] == ["csv-upload-7"]


# --- new-pattern alerts: one post per pattern, at once, no cooldown ------------------------------------


def test_new_patterns_are_posted_at_once_each_with_its_details() -> None:
    counts = Counts()
    patterns = [{"id": f"p{n}", "source": "node-7", "label": "Critical Error", "pattern": "Kernel panic <NUM>",
                 "example": f"{KERNEL_PANIC} {n}"} for n in (1, 2)]
    with webhook_receiver() as receiver:
        alerter = alerter_for(receiver.url, counts)  # a cooldown of 60 s: it does not apply to new patterns
        alerter.start()
        try:
            for pattern in patterns:
                alerter.new_pattern(pattern)
            bodies = [receiver.next_post(timeout=ALERT_WITHIN_S) for _ in patterns]
            wait_for(lambda: counts.sent == 2)
        finally:
            alerter.close()
    assert [body["pattern"] for body in bodies] == [
        {name: value for name, value in pattern.items() if name != "example"} for pattern in patterns]
    assert [body["example"] for body in bodies] == [f"{KERNEL_PANIC} 1", f"{KERNEL_PANIC} 2"]
    assert bodies[0]["new_pattern"] is True and bodies[0]["model_version"] == "m1"
    assert bodies[0]["text"] == f"New pattern (Critical Error) from node-7: {KERNEL_PANIC} 1 (log classifier, model m1)"
    assert (counts.sent, counts.failed) == (2, 0)
