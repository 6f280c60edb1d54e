"""LlmClassifier through the real groq SDK against a local fake Groq server (tests/fake_groq.py)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fake_groq import FakeGroq, closed_port_url, label_by_keyword
from helpers import make_settings as shared_settings

from log_classifier.cache import ResultCache
from log_classifier.cascade import Cascade
from log_classifier.config import Settings
from log_classifier.contract import LogRecord, Outcome, Prediction
from log_classifier.stages.llm import LlmStage, make_llm_stage
from log_classifier.stages.llm_prompt import category_definitions
from log_classifier.taxonomy import CATEGORIES
from log_classifier.text.redaction import redact

pytestmark = pytest.mark.slow  # starts a local HTTP server per test

TEST_KEY = "gsk_test_key_that_must_never_be_logged_0123456789"
MODEL = "test-model-1"
OK_REASON = f"llm:{MODEL}"

RECORDS = [
    LogRecord("LegacyCRM", "Refund approval for order 7781 stalled: approver role vacant"),
    LogRecord("LegacyCRM", "Option --legacy-auth is deprecated; use --auth-mode=oidc"),
    LogRecord("ModernHR", "Failed password for invalid user oracle from 203.0.113.9 port 40522 ssh2"),
]
EXPECTED = [
    Prediction("Workflow Error", "llm", 1.0, OK_REASON),
    Prediction("Deprecation Warning", "llm", 1.0, OK_REASON),
    Prediction("Security Alert", "llm", 1.0, OK_REASON),
]


def make_settings(base_url: str, **overrides: Any) -> Settings:
    """Settings for an LLM stage talking to the fake Groq server at `base_url`."""
    values: dict[str, Any] = {
        "groq_api_key": TEST_KEY,
        "groq_base_url": base_url,
        "groq_model": MODEL,
        "llm_timeout_s": 5.0,
        "llm_max_retries": 0,
        "llm_batch_size": 20,
        "llm_concurrency": 2,
        "llm_budget_s": 20.0,
    }
    values.update(overrides)
    return shared_settings(**values)


@pytest.fixture
def make_llm() -> Iterator[Any]:
    """Build classifiers from settings and close them after the test."""
    built: list[LlmStage] = []

    def make(base_url: str, **overrides: Any) -> LlmStage:
        llm = make_llm_stage(make_settings(base_url, **overrides))
        built.append(llm)
        return llm

    yield make
    for llm in built:
        llm.close()


def unresolved(reason: str, outcome: Outcome = "llm_error") -> Prediction:
    """A failure outcome: not a decision, so transient (never cached)."""
    return Prediction("Unclassified", "none", 0.0, reason, outcome)


BUDGET = unresolved("llm budget exhausted", "llm_budget")
CIRCUIT = unresolved("llm circuit open", "llm_circuit")


def not_a_category(answer: str) -> Prediction:
    return Prediction("Unclassified", "llm", 0.0, "llm answer not a category: " + answer, "llm_invalid_answer")


# --- answers ---------------------------------------------------------------------------------------


def test_several_logs_in_one_request_matched_by_id(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.answer_by_rules(shuffle=True)  # answers come back in reverse id order

    assert make_llm(fake_groq.base_url).classify_batch(RECORDS) == EXPECTED

    assert len(fake_groq.requests) == 1
    logs = fake_groq.requests[0].logs
    assert [log["id"] for log in logs] == ["1", "2", "3"]
    assert [log["source"] for log in logs] == ["LegacyCRM", "LegacyCRM", "ModernHR"]
    assert [log["message"] for log in logs] == [redact(r.masked) for r in RECORDS]


def test_request_is_temperature_zero_json_with_model_categories_and_key(fake_groq: FakeGroq, make_llm: Any) -> None:
    make_llm(fake_groq.base_url).classify_batch(RECORDS[:1])

    (request,) = fake_groq.requests
    assert request.path == "/openai/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {TEST_KEY}"
    assert request.body["model"] == MODEL
    assert request.body["temperature"] == 0
    assert request.body["response_format"] == {"type": "json_object"}
    assert [m["role"] for m in request.body["messages"]] == ["system", "user"]
    definitions = category_definitions()
    for category in CATEGORIES:
        assert f"- {category}: {definitions[category]}" in request.system_prompt
    assert '"Unclassified"' in request.system_prompt
    assert "JSON" in request.system_prompt  # Groq's JSON mode requires it


def test_logs_are_split_into_batches_of_llm_batch_size(fake_groq: FakeGroq, make_llm: Any) -> None:
    records = RECORDS + [LogRecord("X", "Kernel panic - not syncing"), LogRecord("X", "Nightly snapshot finished")]

    predictions = make_llm(fake_groq.base_url, llm_batch_size=2).classify_batch(records)

    assert [p.label for p in predictions] == [
        "Workflow Error", "Deprecation Warning", "Security Alert", "Critical Error", "System Notification"
    ]
    sent = sorted((log["message"] for r in fake_groq.requests for log in r.logs), key=[redact(r.masked) for r in records].index)
    assert sent == [redact(r.masked) for r in records]
    assert sorted(len(r.logs) for r in fake_groq.requests) == [1, 2, 2]
    assert all([log["id"] for log in r.logs] == ["1", "2"][: len(r.logs)] for r in fake_groq.requests)


def test_requests_run_concurrently_up_to_llm_concurrency(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.hang(0.4)  # every request takes 0.4 s, then is answered by rules
    records = RECORDS + RECORDS[:1] + [LogRecord("X", "Kernel panic - not syncing")]
    started = time.monotonic()

    predictions = make_llm(fake_groq.base_url, llm_batch_size=1, llm_concurrency=2).classify_batch(records)

    elapsed = time.monotonic() - started
    assert [p.label for p in predictions] == [
        "Workflow Error", "Deprecation Warning", "Security Alert", "Workflow Error", "Critical Error"
    ]
    assert len(fake_groq.requests) == 5
    assert fake_groq.max_in_flight == 2
    assert elapsed >= 1.2  # three rounds of two, not all at once (0.4 s); max_in_flight above rules out one at a time


def test_empty_batch_sends_nothing(fake_groq: FakeGroq, make_llm: Any) -> None:
    assert make_llm(fake_groq.base_url).classify_batch([]) == []
    assert fake_groq.requests == []


def test_answer_outside_the_list_is_unclassified(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.answer_with("Banana")
    llm = make_llm(fake_groq.base_url)

    assert llm.classify_batch(RECORDS[:2]) == [not_a_category("Banana")] * 2
    assert all(p.transient for p in llm.classify_batch(RECORDS[:1]))  # a garbled answer is never cached

    long_answer = "This log looks like an error of some kind, probably a timeout"
    fake_groq.answer_with(long_answer)
    assert llm.classify_batch(RECORDS[:1]) == [not_a_category(long_answer[:40])]


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ('  "workflow error" ', Prediction("Workflow Error", "llm", 1.0, OK_REASON)),
        ("HTTP STATUS", Prediction("HTTP Status", "llm", 1.0, OK_REASON)),
        ("Unclassified", Prediction("Unclassified", "llm", 0.0, f"llm:{MODEL} found no category")),
        ("Error: a failure", not_a_category("Error: a failure")),
    ],
)
def test_answers_are_normalised_but_strict(fake_groq: FakeGroq, make_llm: Any, answer: str, expected: Prediction) -> None:
    fake_groq.answer_with(answer)
    assert make_llm(fake_groq.base_url).classify_batch(RECORDS[:1]) == [expected]


def test_ids_missing_from_the_answer_are_unclassified(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.answer_by_rules(drop_ids=frozenset({"2"}))

    assert make_llm(fake_groq.base_url).classify_batch(RECORDS) == [
        EXPECTED[0],
        Prediction("Unclassified", "llm", 0.0, "llm answer missing id", "llm_invalid_answer"),
        EXPECTED[2],
    ]


def test_malformed_answer_is_an_error(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.malformed()
    assert make_llm(fake_groq.base_url).classify_batch(RECORDS[:2]) == [unresolved("llm error: malformed answer")] * 2


# --- failures --------------------------------------------------------------------------------------


def test_http_500_is_retried_a_bounded_number_of_times(fake_groq: FakeGroq, make_llm: Any, caplog: pytest.LogCaptureFixture) -> None:
    fake_groq.fail_with(500)
    caplog.set_level(logging.DEBUG)

    predictions = make_llm(fake_groq.base_url, llm_max_retries=2).classify_batch(RECORDS[:2])

    assert predictions == [unresolved("llm error: InternalServerError 500")] * 2
    assert len(fake_groq.requests) == 3  # first try + llm_max_retries
    assert "llm request for 2 logs failed: llm error: InternalServerError 500" in caplog.text
    assert TEST_KEY not in caplog.text


def test_429_retry_after_is_honoured(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.fail_with(429, retry_after="0.6", times=1)
    started = time.monotonic()

    predictions = make_llm(fake_groq.base_url, llm_max_retries=1).classify_batch(RECORDS)

    elapsed = time.monotonic() - started
    assert predictions == EXPECTED
    assert len(fake_groq.requests) == 2
    assert 0.6 <= elapsed < 3.0


def test_429_that_persists_gives_up_after_the_retries(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.fail_with(429, retry_after="0.1")

    predictions = make_llm(fake_groq.base_url, llm_max_retries=2).classify_batch(RECORDS[:1])

    assert predictions == [unresolved("llm error: RateLimitError 429")]
    assert len(fake_groq.requests) == 3


def test_long_retry_after_is_cut_by_the_budget(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.fail_with(429, retry_after="3")
    started = time.monotonic()

    predictions = make_llm(fake_groq.base_url, llm_max_retries=1, llm_budget_s=0.5).classify_batch(RECORDS[:2])

    assert predictions == [BUDGET] * 2
    assert time.monotonic() - started < 2.5  # the server asked for 3 s; the 0.5 s budget cut it


def test_timeout_is_bounded(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.hang(3.0)
    started = time.monotonic()

    predictions = make_llm(fake_groq.base_url, llm_timeout_s=0.5, llm_max_retries=1).classify_batch(RECORDS[:2])

    elapsed = time.monotonic() - started
    assert predictions == [unresolved("llm error: APITimeoutError")] * 2
    assert len(fake_groq.requests) == 2
    assert elapsed < 2.5  # two 0.5 s attempts and one back-off, not the server's 3 s


def test_budget_exhausted_leaves_the_rest_unclassified(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.hang(3.0, times=1)  # the first request to arrive hangs, the other is answered
    started = time.monotonic()

    llm = make_llm(fake_groq.base_url, llm_batch_size=1, llm_concurrency=2, llm_budget_s=1.0)
    predictions = llm.classify_batch(RECORDS[:2])

    assert time.monotonic() - started < 2.0
    # Which of the two requests reached the server first (and hung) is up to the thread pool.
    assert predictions in (
        [EXPECTED[0], BUDGET],
        [BUDGET, EXPECTED[1]],
    )
    assert len(fake_groq.requests) == 2


def test_unreachable_host_is_an_error(make_llm: Any) -> None:
    started = time.monotonic()
    predictions = make_llm(closed_port_url(), llm_max_retries=0).classify_batch(RECORDS[:2])

    assert predictions == [unresolved("llm error: APIConnectionError")] * 2
    assert time.monotonic() - started < 2.0


# --- disabled, circuit breaker, redaction, status --------------------------------------------------


def test_no_key_disables_the_stage_without_any_request(fake_groq: FakeGroq, make_llm: Any) -> None:
    llm = make_llm(fake_groq.base_url, groq_api_key="")

    disabled = Prediction("Unclassified", "none", 0.0, "llm disabled: no GROQ_API_KEY", "llm_disabled")
    assert llm.classify_batch(RECORDS[:2]) == [disabled] * 2
    assert not disabled.transient  # cached: asking again cannot help
    assert llm.status()["enabled"] is False
    assert llm.status()["reason"] == "no GROQ_API_KEY"
    assert fake_groq.requests == []


def test_circuit_opens_after_consecutive_failures_and_stops_sending(
    fake_groq: FakeGroq, make_llm: Any, caplog: pytest.LogCaptureFixture
) -> None:
    fake_groq.fail_with(500)
    llm = make_llm(fake_groq.base_url, llm_batch_size=1, llm_concurrency=1, llm_breaker_failures=2)

    predictions = llm.classify_batch(RECORDS + RECORDS[:1])

    assert predictions == [unresolved("llm error: InternalServerError 500")] * 2 + [CIRCUIT] * 2
    assert len(fake_groq.requests) == 2
    assert "llm circuit opened after 2 consecutive failures; cooling down 30.0 s" in caplog.text
    assert llm.status()["circuit"]["state"] == "open"
    assert llm.status()["circuit"]["consecutive_failures"] == 2

    fake_groq.answer_by_rules()  # the server recovers, but the cool-down (30 s) is not over
    assert llm.classify_batch(RECORDS[:1]) == [CIRCUIT]
    assert len(fake_groq.requests) == 2


def test_circuit_closes_after_a_successful_probe(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.fail_with(500, times=1)
    llm = make_llm(fake_groq.base_url, llm_breaker_failures=1, llm_breaker_cooldown_s=0.3)

    assert llm.classify_batch(RECORDS[:1]) == [unresolved("llm error: InternalServerError 500")]
    assert llm.classify_batch(RECORDS[:1]) == [CIRCUIT]
    time.sleep(0.35)
    assert llm.status()["circuit"]["state"] == "half-open"

    assert llm.classify_batch(RECORDS[:1]) == EXPECTED[:1]
    assert llm.status()["circuit"] == {"state": "closed", "consecutive_failures": 0, "retry_in_s": 0.0}
    assert len(fake_groq.requests) == 2


SENSITIVE = LogRecord("ModernHR", "login failed for bob@example.com from 10.0.0.7 password=hunter2 Bearer abc.def123")


def test_redaction_is_applied_to_what_is_sent(fake_groq: FakeGroq, make_llm: Any) -> None:
    make_llm(fake_groq.base_url).classify_batch([SENSITIVE])

    (request,) = fake_groq.requests
    assert request.logs[0]["message"] == "login failed for <EMAIL> from <IP> password=<SECRET> Bearer <TOKEN>"
    assert "hunter2" not in str(request.body)
    assert "bob@example.com" not in str(request.body)


def test_redaction_can_be_turned_off(fake_groq: FakeGroq, make_llm: Any) -> None:
    make_llm(fake_groq.base_url, llm_redact=False).classify_batch([SENSITIVE])

    assert fake_groq.requests[0].logs[0]["message"] == SENSITIVE.masked


def test_status_reports_model_and_circuit_but_never_the_key(fake_groq: FakeGroq, make_llm: Any) -> None:
    llm = make_llm(fake_groq.base_url)

    assert llm.status() == {
        "stage": "llm",
        "enabled": True,
        "provider": "groq",
        "reason": "ok",
        "model": MODEL,
        "models": [MODEL],
        "dead_models": {},
        "fallbacks": 0,
        "circuit": {"state": "closed", "consecutive_failures": 0, "retry_in_s": 0.0},
    }
    assert TEST_KEY not in repr(llm.status())
    assert fake_groq.requests == []  # building the client sends nothing


def test_fake_server_labels_by_content() -> None:
    # guards the fake itself: answers must depend on the message, or the id tests prove nothing
    assert [label_by_keyword(r.masked) for r in RECORDS] == [p.label for p in EXPECTED]


def test_an_answer_outside_the_list_is_not_cached_by_the_cascade(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.answer_with("Banana", times=1)  # one garbled reply, then the server answers by rules
    cascade = Cascade([make_llm(fake_groq.base_url)], cache=ResultCache(10))

    first = cascade.classify(["LegacyCRM"], [RECORDS[0].masked])
    second = cascade.classify(["LegacyCRM"], [RECORDS[0].masked])

    assert first == [not_a_category("Banana")]
    assert second == EXPECTED[:1]  # asked again, not served the garbled answer from the cache
    assert len(fake_groq.requests) == 2
    third = cascade.classify(["LegacyCRM"], [RECORDS[0].masked])
    assert third == EXPECTED[:1] and len(fake_groq.requests) == 2  # a real answer is cached


# --- fairness between concurrent requests, shutdown ------------------------------------------------


def test_a_small_request_is_not_queued_behind_a_big_one(fake_groq: FakeGroq, make_llm: Any) -> None:
    # The LLM is healthy but slowish (0.3 s a call). A big request queues 30 one-log calls on two
    # workers (4.5 s of work); a one-log request sent just after it must still finish within its own
    # budget: a plain FIFO pool would make it wait for the 30 calls and answer "budget exhausted".
    fake_groq.hang(0.3)
    llm = make_llm(fake_groq.base_url, llm_batch_size=1, llm_concurrency=2, llm_budget_s=2.0)
    big = [LogRecord("LegacyCRM", f"Kernel panic - not syncing, case {n}") for n in range(30)]
    big_done = threading.Event()
    big_thread = threading.Thread(target=lambda: (llm.classify_batch(big), big_done.set()))
    big_thread.start()
    while len(fake_groq.requests) < 2:  # the big request holds both workers
        time.sleep(0.01)

    started = time.monotonic()
    small = llm.classify_batch(RECORDS[:1])
    elapsed = time.monotonic() - started

    assert small == EXPECTED[:1]
    assert elapsed < 1.5  # about two calls' time (0.6 s), well within its 2 s budget
    assert not big_done.is_set()  # the big request really was still running
    big_thread.join(5)


def test_close_answers_a_waiting_request_as_stopped(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.hang(5.0)  # the first call hangs; the other two wait in the queue
    llm = make_llm(fake_groq.base_url, llm_batch_size=1, llm_concurrency=1)
    outcome: dict[str, Any] = {}

    def classify() -> None:
        try:
            outcome["predictions"] = llm.classify_batch(RECORDS)
        except BaseException as exc:  # a CancelledError here is the bug this test guards against
            outcome["error"] = exc

    worker = threading.Thread(target=classify)
    worker.start()
    while not fake_groq.requests:
        time.sleep(0.01)
    started = time.monotonic()
    llm.close()
    worker.join(3)

    assert not worker.is_alive() and time.monotonic() - started < 2.5  # the hanging call lasts 5 s
    assert "error" not in outcome
    stopped = Prediction("Unclassified", "none", 0.0, "llm stopped: service shutting down", "llm_shutdown")
    assert outcome["predictions"] == [stopped] * 3
    assert stopped.transient
    assert len(fake_groq.requests) == 1  # the queued calls were never sent
    assert llm.classify_batch(RECORDS[:1]) == [stopped]  # and nothing is sent after close
    assert len(fake_groq.requests) == 1


def test_only_provider_errors_count_toward_the_circuit_breaker(fake_groq: FakeGroq, make_llm: Any) -> None:
    # Text that cannot be sent (a lone surrogate; the intake replaces them, but the stage is also used
    # directly, by the Spark job) fails its own batch without counting against the provider.
    llm = make_llm(fake_groq.base_url, llm_breaker_failures=2, llm_batch_size=1, llm_concurrency=1)
    unsendable = [LogRecord("LegacyCRM", f"Refund {n} stalled \ud800") for n in range(4)]
    failed = llm.classify_batch(unsendable)
    assert [p.outcome for p in failed] == ["llm_error"] * 4
    assert llm.status()["circuit"] == {"state": "closed", "consecutive_failures": 0, "retry_in_s": 0.0}
    assert llm.classify_batch(RECORDS) == EXPECTED
