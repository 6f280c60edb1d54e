"""LLM faults and privacy through the full API: the LLM stage behind the CSV route, against the fake Groq
server (tests/fake_groq.py) speaking Groq's API: errors, retries, budgets, the circuit breaker, redaction
and keys that never reach the logs."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from csv_upload import KERNEL_PANIC, SSH_FAILED, as_dicts, make_csv, post_csv
from fake_groq import FakeGroq, closed_port_url
from fastapi.testclient import TestClient
from helpers import make_settings

from log_classifier.api.app import create_app
from log_classifier.taxonomy import UNCLASSIFIED

GROQ_KEY = "gsk_HARDENING_groq_key_must_never_be_logged_42"
CLIENT_KEY = "client-key-HARDENING-never-logged-77"
LLM_SOURCE = "HardeningCRM"
LLM_ROWS = [
    (LLM_SOURCE, "Refund approval for order 7781 stalled: approver role vacant"),
    (LLM_SOURCE, "Option --legacy-auth is deprecated; use --auth-mode=oidc"),
    ("sshd", SSH_FAILED),
    ("kernel", KERNEL_PANIC),
]
LLM_CSV = make_csv(["id", "source", "log_message"], [[str(i), s, m] for i, (s, m) in enumerate(LLM_ROWS, 1)]).encode()
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.SflKxwRJSMeKKF2QT4fwpM"
PRIVATE = (
    "login for bob.smith@example.com from 10.20.30.40 failed: password=hunter2 "
    f"token=tok_9f8e7d Bearer abcDEF123456789xyz session {JWT} key AKIAIOSFODNN7EXAMPLE"
)
# Masking turns digits into <NUM>, which used to break these patterns: the LLM got most of each secret.
PRIVATE_BITS = ["bob.smith", "example.com", "10.20.30.40", "hunter", "tok_", "abcDEF", "SflKxwRJ", "eyJhbGci", "AKIA"]


@contextmanager
def llm_app(base_url: str, **overrides: Any) -> Iterator[TestClient]:
    values: dict[str, Any] = {
        "groq_api_key": GROQ_KEY,
        "groq_base_url": base_url,
        "groq_model": "fake-model",
        "llm_sources": LLM_SOURCE,
        "llm_timeout_s": 5.0,
        "llm_max_retries": 0,
        "llm_budget_s": 10.0,
        "llm_batch_size": 20,
    }
    values.update(overrides)
    with TestClient(create_app(make_settings(**values))) as client:
        yield client


def classify_llm_rows(client: TestClient) -> tuple[list[dict[str, str]], float]:
    started = time.monotonic()
    response = post_csv(client, LLM_CSV, explain=True)
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    rows = as_dicts(response.text)
    assert [(r["id"], r["source"], r["log_message"]) for r in rows] == [
        (str(i), s, m) for i, (s, m) in enumerate(LLM_ROWS, 1)
    ]
    # The rows the regex stage knows are classified as usual, whatever the LLM does.
    assert [(r["target_label"], r["classified_by"]) for r in rows[2:]] == [("Security Alert", "regex"), ("Critical Error", "regex")]
    return rows, elapsed


def llm_outcomes(rows: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    return [(r["target_label"], r["classified_by"], r["reason"]) for r in rows[:2]]


@pytest.mark.slow
def test_llm_answers_reach_the_rows(fake_groq: FakeGroq) -> None:
    with llm_app(fake_groq.base_url) as client:
        rows, _ = classify_llm_rows(client)
    assert llm_outcomes(rows) == [
        ("Workflow Error", "llm", "llm:fake-model"), ("Deprecation Warning", "llm", "llm:fake-model")
    ]
    assert len(fake_groq.requests) == 1
    assert [log["source"] for log in fake_groq.requests[0].logs] == [LLM_SOURCE, LLM_SOURCE]


@pytest.mark.slow
def test_llm_without_key_is_unclassified_and_silent(fake_groq: FakeGroq) -> None:
    with llm_app(fake_groq.base_url, groq_api_key="") as client:
        rows, _ = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm disabled: no GROQ_API_KEY")] * 2
    assert fake_groq.requests == []


@pytest.mark.slow
def test_llm_host_unreachable() -> None:
    with llm_app(closed_port_url(), llm_max_retries=1) as client:
        rows, elapsed = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm error: APIConnectionError")] * 2
    assert elapsed < 10


@pytest.mark.slow
def test_llm_http_500(fake_groq: FakeGroq) -> None:
    fake_groq.fail_with(500)
    with llm_app(fake_groq.base_url, llm_max_retries=1) as client:
        rows, _ = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm error: InternalServerError 500")] * 2
    assert len(fake_groq.requests) == 2  # one try and one retry, no more


@pytest.mark.slow
def test_llm_429_retry_after_is_honoured_and_bounded(fake_groq: FakeGroq) -> None:
    fake_groq.fail_with(429, retry_after="0.5", times=1)
    with llm_app(fake_groq.base_url, llm_max_retries=1, llm_budget_s=2) as client:
        rows, elapsed = classify_llm_rows(client)
        assert llm_outcomes(rows) == [
            ("Workflow Error", "llm", "llm:fake-model"), ("Deprecation Warning", "llm", "llm:fake-model")
        ]
        assert len(fake_groq.requests) == 2  # the 429, then the retry after 0.5 s
        assert 0.5 <= elapsed < 5

        # A server that asks for a longer wait than the budget leaves is cut short by the budget.
        fake_groq.fail_with(429, retry_after="5")
        started = time.monotonic()
        response = post_csv(client, make_csv(["source", "log_message"], [[LLM_SOURCE, "Ticket escalation failed"]]).encode(),
                            explain=True)
        assert time.monotonic() - started < 5
        [row] = as_dicts(response.text)
        assert (row["target_label"], row["classified_by"], row["reason"]) == (UNCLASSIFIED, "none", "llm budget exhausted")


@pytest.mark.slow
def test_llm_hanging_server_is_bounded_by_the_budget(fake_groq: FakeGroq) -> None:
    fake_groq.hang(60)
    with llm_app(fake_groq.base_url, llm_timeout_s=30, llm_budget_s=2) as client:
        rows, elapsed = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm budget exhausted")] * 2
    assert elapsed < 8


@pytest.mark.slow
def test_llm_hanging_server_is_bounded_by_the_timeout(fake_groq: FakeGroq) -> None:
    fake_groq.hang(60)
    with llm_app(fake_groq.base_url, llm_timeout_s=1, llm_max_retries=1, llm_budget_s=30) as client:
        rows, elapsed = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm error: APITimeoutError")] * 2
    assert elapsed < 8  # two 1 s attempts and a back-off


@pytest.mark.slow
@pytest.mark.parametrize(
    ("answer", "reason"),
    [("Banana", "llm answer not a category: Banana"), ("ERROR: it failed", "llm answer not a category: ERROR: it failed")],
)
def test_llm_nonsense_answers_are_unclassified(fake_groq: FakeGroq, answer: str, reason: str) -> None:
    fake_groq.answer_with(answer)
    with llm_app(fake_groq.base_url) as client:
        rows, _ = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "llm", reason)] * 2


@pytest.mark.slow
def test_llm_malformed_answer_is_unclassified(fake_groq: FakeGroq) -> None:
    fake_groq.malformed()
    with llm_app(fake_groq.base_url) as client:
        rows, _ = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm error: malformed answer")] * 2


@pytest.mark.slow
def test_llm_circuit_breaker_stops_calling_a_failing_server(fake_groq: FakeGroq) -> None:
    fake_groq.fail_with(500)
    with llm_app(fake_groq.base_url, llm_batch_size=1, llm_concurrency=1, llm_breaker_failures=2) as client:
        rows, _ = classify_llm_rows(client)
        assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm error: InternalServerError 500")] * 2
        assert len(fake_groq.requests) == 2
        assert client.get("/health").json()["llm"]["circuit"]["state"] == "open"

        fake_groq.answer_by_rules()  # recovered, but the circuit is open for its cool-down
        body = make_csv(["source", "log_message"], [[LLM_SOURCE, f"Approval {n} failed"] for n in ("one", "two", "three")])
        later = as_dicts(post_csv(client, body.encode(), explain=True).text)
        assert [(r["target_label"], r["reason"]) for r in later] == [(UNCLASSIFIED, "llm circuit open")] * 3
        assert len(fake_groq.requests) == 2  # nothing more reached the server


@pytest.mark.slow
def test_llm_receives_redacted_text_and_no_key_is_logged(fake_groq: FakeGroq, caplog: pytest.LogCaptureFixture) -> None:
    body = make_csv(["source", "log_message"], [[LLM_SOURCE, PRIVATE]]).encode()
    with llm_app(fake_groq.base_url, api_keys=CLIENT_KEY, log_level="DEBUG") as client:
        caplog.set_level(logging.DEBUG)
        assert post_csv(client, body, headers={"X-API-Key": CLIENT_KEY}).status_code == 200
        fake_groq.fail_with(500)  # failures log more
        retry = make_csv(["source", "log_message"], [[LLM_SOURCE, PRIVATE + " again"]]).encode()
        assert post_csv(client, retry, headers={"X-API-Key": CLIENT_KEY}).status_code == 200
        assert post_csv(client, retry, headers={"X-API-Key": "wrong-" + CLIENT_KEY}).status_code == 401

    sent = [log["message"] for request in fake_groq.requests for log in request.logs]
    assert sent[0] == (
        "login for <EMAIL> from <IP> failed: password=<SECRET> token=<SECRET> Bearer <TOKEN> session <TOKEN> "
        "key <SECRET>"
    )
    assert len(sent) == 2
    for bit in PRIVATE_BITS:
        assert all(bit not in str(request.body) for request in fake_groq.requests), bit
    assert fake_groq.requests[0].headers["authorization"] == f"Bearer {GROQ_KEY}"  # the key was in use

    assert caplog.records, "nothing was logged: the check below would prove nothing"
    for record in caplog.records:
        text = record.getMessage() + repr(record.args)
        text += logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        assert GROQ_KEY not in text and CLIENT_KEY not in text, record.name


@pytest.mark.slow
def test_llm_redaction_can_be_turned_off(fake_groq: FakeGroq) -> None:
    body = make_csv(["source", "log_message"], [[LLM_SOURCE, PRIVATE]]).encode()
    with llm_app(fake_groq.base_url, llm_redact=False) as client:
        assert post_csv(client, body).status_code == 200
    assert [log["message"] for log in fake_groq.requests[0].logs] == [PRIVATE]
