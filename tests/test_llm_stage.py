"""The LLM stage's own logic (answers, failures, fallback chain, circuit breaker, budget, close) against a
fake of the LLM at the `Provider` seam: no HTTP, so these run in milliseconds. The SDKs' wire behaviour
(retries, retry-after, timeouts, error bodies) is checked against a real local server in
test_processor_llm.py and test_llm_models.py."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest
from helpers import make_settings

from log_classifier.contract import LogRecord, Outcome, Prediction
from log_classifier.errors import ModelUnavailable, ProviderError
from log_classifier.stages.llm import LlmClassifier
from log_classifier.stages.llm_breaker import CircuitBreaker
from log_classifier.stages.llm_prompt import build_system_prompt
from log_classifier.text.redaction import redact

Reply = str | BaseException | Callable[[list[dict[str, str]]], str]


class FakeLlm:
    """The LLM behind the `Provider` seam: replies from a script, the last one repeated; records every call."""

    name = "fake"
    model_setting = "GROQ_MODEL"

    def __init__(self, *replies: Reply, models: Sequence[str] = ("m1",)) -> None:
        self.models, self.replies, self.closed, self.system = tuple(models), list(replies), False, ""
        self.calls: list[tuple[str, list[dict[str, str]], int]] = []  # model, logs sent, answer_tokens

    def complete(self, model: str, messages: Sequence[Any], *, answer_tokens: int) -> str:
        self.system = messages[0]["content"]
        logs = json.loads(messages[1]["content"])["logs"]
        self.calls.append((model, logs, answer_tokens))
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if isinstance(reply, BaseException):
            raise reply
        return reply if isinstance(reply, str) else reply(logs)

    def close(self) -> None:
        self.closed = True


def answer(*labels: str) -> str:
    """A reply labelling ids 1, 2, ... in order."""
    return json.dumps({str(n): label for n, label in enumerate(labels, start=1)})


RECORDS = [
    LogRecord("LegacyCRM", "Refund approval for order 7781 stalled: approver role vacant"),
    LogRecord("LegacyCRM", "Option --legacy-auth is deprecated; use --auth-mode=oidc"),
    LogRecord("ModernHR", "login failed for bob@example.com from 10.0.0.7"),
]
LABELS = ("Workflow Error", "Deprecation Warning", "Security Alert")


def decided(label: str, model: str = "m1") -> Prediction:
    return Prediction(label, "llm", 1.0, f"llm:{model}")


def unresolved(reason: str, outcome: Outcome = "llm_error") -> Prediction:
    return Prediction("Unclassified", "none", 0.0, reason, outcome)


CIRCUIT = unresolved("llm circuit open", "llm_circuit")
MODELS_DEAD = unresolved("llm models unavailable: set GROQ_MODEL", "llm_models_dead")
CLOSED_CIRCUIT = {"state": "closed", "consecutive_failures": 0, "retry_in_s": 0.0}


@pytest.fixture
def make_llm() -> Iterator[Callable[..., LlmClassifier]]:
    built: list[LlmClassifier] = []

    def make(provider: FakeLlm, **overrides: Any) -> LlmClassifier:
        values: dict[str, Any] = {"groq_api_key": "unused", "llm_batch_size": 20, "llm_concurrency": 1}
        values.update(overrides)
        llm = LlmClassifier(make_settings(**values), provider)
        built.append(llm)
        return llm

    yield make
    for llm in built:
        llm.close()


# --- what is sent, how answers are read --------------------------------------------------------------


def test_one_call_per_batch_with_the_prompt_ids_redacted_messages_and_answer_room(make_llm: Any) -> None:
    fake = FakeLlm(answer(*LABELS))

    assert make_llm(fake).classify_batch(RECORDS) == [decided(label) for label in LABELS]

    ((model, logs, answer_tokens),) = fake.calls
    assert model == "m1"
    assert logs == [{"id": str(n), "source": r.source, "message": redact(r.masked)} for n, r in enumerate(RECORDS, 1)]
    assert "<EMAIL>" in logs[2]["message"]
    assert answer_tokens == 32 + 16 * 3
    assert fake.system == build_system_prompt()


def test_answers_are_matched_by_id_not_position(make_llm: Any) -> None:
    reversed_reply = json.dumps({"3": LABELS[2], "2": LABELS[1], "1": LABELS[0]})
    assert make_llm(FakeLlm(reversed_reply)).classify_batch(RECORDS) == [decided(label) for label in LABELS]


def test_records_are_split_into_batches_numbered_from_one(make_llm: Any) -> None:
    fake = FakeLlm(lambda logs: json.dumps({log["id"]: "Error" for log in logs}))

    assert make_llm(fake, llm_batch_size=2).classify_batch(RECORDS) == [decided("Error")] * 3
    assert sorted([log["id"] for log in logs] for _, logs, _ in fake.calls) == [["1"], ["1", "2"]]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ('  "workflow error" ', decided("Workflow Error")),
        ("HTTP STATUS", decided("HTTP Status")),
        ("Unclassified", Prediction("Unclassified", "llm", 0.0, "llm:m1 found no category")),
        ("Banana", Prediction("Unclassified", "llm", 0.0, "llm answer not a category: Banana", "llm_invalid_answer")),
    ],
)
def test_answers_are_normalised_but_strict(make_llm: Any, label: str, expected: Prediction) -> None:
    assert make_llm(FakeLlm(answer(label))).classify_batch(RECORDS[:1]) == [expected]


def test_an_id_missing_from_the_answer_is_unclassified_and_not_cached(make_llm: Any) -> None:
    predictions = make_llm(FakeLlm(json.dumps({"1": LABELS[0]}))).classify_batch(RECORDS[:2])

    missing = Prediction("Unclassified", "llm", 0.0, "llm answer missing id", "llm_invalid_answer")
    assert predictions == [decided(LABELS[0]), missing]
    assert missing.transient


@pytest.mark.parametrize("reply", ["not json", '["Error"]', ""])
def test_a_reply_that_is_not_a_json_object_is_a_provider_failure(make_llm: Any, reply: str) -> None:
    llm = make_llm(FakeLlm(reply))

    assert llm.classify_batch(RECORDS[:2]) == [unresolved("llm error: malformed answer")] * 2
    assert llm.status()["circuit"]["consecutive_failures"] == 1


# --- failures, circuit breaker -----------------------------------------------------------------------


def test_a_provider_error_is_the_reason_and_is_logged(make_llm: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    llm = make_llm(FakeLlm(ProviderError("RateLimitError 429")))

    assert llm.classify_batch(RECORDS[:2]) == [unresolved("llm error: RateLimitError 429")] * 2
    assert "llm request for 2 logs failed: llm error: RateLimitError 429" in caplog.text


def test_the_circuit_opens_after_consecutive_provider_errors_and_stops_calling(make_llm: Any) -> None:
    fake = FakeLlm(ProviderError("APITimeoutError"))
    llm = make_llm(fake, llm_batch_size=1, llm_breaker_failures=2)

    assert llm.classify_batch(RECORDS) == [unresolved("llm error: APITimeoutError")] * 2 + [CIRCUIT]
    assert len(fake.calls) == 2
    assert llm.status()["circuit"]["state"] == "open"


def test_a_success_resets_the_count_of_consecutive_failures(make_llm: Any) -> None:
    fake = FakeLlm(ProviderError("InternalServerError 500"), answer("Error"), ProviderError("InternalServerError 500"))
    llm = make_llm(fake, llm_batch_size=1, llm_breaker_failures=2)

    assert [p.outcome for p in llm.classify_batch(RECORDS)] == ["llm_error", "decided", "llm_error"]
    assert llm.status()["circuit"]["consecutive_failures"] == 1  # two failures, but not in a row


def test_an_error_of_our_own_does_not_count_toward_the_breaker(make_llm: Any) -> None:
    llm = make_llm(FakeLlm(UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")),
                   llm_breaker_failures=1)

    assert llm.classify_batch(RECORDS[:1]) == [unresolved("llm error: UnicodeEncodeError")]
    assert llm.status()["circuit"] == CLOSED_CIRCUIT


def test_breaker_lets_one_probe_through_after_the_cooldown() -> None:
    now = [0.0]
    breaker = CircuitBreaker(threshold=2, cooldown_s=10.0, clock=lambda: now[0])

    breaker.record_failure()
    assert breaker.allow()  # one failure of two: still closed
    breaker.record_failure()
    assert not breaker.allow()
    assert breaker.snapshot() == {"state": "open", "consecutive_failures": 2, "retry_in_s": 10.0}

    now[0] = 10.0
    assert breaker.allow()  # the probe
    assert not breaker.allow()  # only one at a time
    assert breaker.snapshot()["state"] == "half-open"
    breaker.record_failure()  # the probe failed: open again, for a full cool-down
    assert not breaker.allow()
    now[0] = 20.0
    assert breaker.allow()
    breaker.release()  # the probe neither succeeded nor failed: another may go
    assert breaker.allow()
    breaker.record_success()
    assert breaker.snapshot() == CLOSED_CIRCUIT
    assert breaker.allow() and breaker.allow()


# --- the model fallback chain --------------------------------------------------------------------------


def test_a_retired_model_hands_the_same_batch_to_the_next_at_once(make_llm: Any, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    fake = FakeLlm(ModelUnavailable("m1", "model_decommissioned", "retired"), answer(*LABELS[:2]), models=("m1", "m2"))
    llm = make_llm(fake, llm_breaker_failures=1)

    assert llm.classify_batch(RECORDS[:2]) == [decided(label, "m2") for label in LABELS[:2]]
    assert [(model, len(logs)) for model, logs, _ in fake.calls] == [("m1", 2), ("m2", 2)]
    assert "llm model 'm1' is unavailable (model_decommissioned: retired); using 'm2' from now on" in caplog.text

    llm.classify_batch(RECORDS[:1])
    assert fake.calls[-1][0] == "m2"  # the dead model is not asked again
    status = llm.status()
    assert (status["model"], status["dead_models"], status["fallbacks"]) == ("m2", {"m1": "model_decommissioned: retired"}, 1)
    assert status["circuit"] == CLOSED_CIRCUIT  # a retired model is a setting to fix, not a failure


def test_when_every_model_is_gone_nothing_more_is_sent(make_llm: Any) -> None:
    fake = FakeLlm(ModelUnavailable("m1", "model_not_found", ""), ModelUnavailable("m2", "model_not_found", ""),
                   models=("m1", "m2"))
    llm = make_llm(fake, llm_breaker_failures=1)

    assert llm.classify_batch(RECORDS[:2]) == [MODELS_DEAD] * 2
    assert llm.classify_batch(RECORDS[:1]) == [MODELS_DEAD]
    assert len(fake.calls) == 2
    assert llm.status()["model"] is None
    assert llm.status()["reason"].startswith("every model in GROQ_MODEL is retired or unknown")
    assert llm.status()["circuit"] == CLOSED_CIRCUIT


# --- budget, close -------------------------------------------------------------------------------------


def test_a_call_past_the_budget_leaves_its_records_unclassified(make_llm: Any) -> None:
    release = threading.Event()

    def stuck(logs: list[dict[str, str]]) -> str:
        release.wait(5)
        return answer("Error")

    llm = make_llm(FakeLlm(stuck), llm_budget_s=0.2)
    try:
        assert llm.classify_batch(RECORDS[:2]) == [unresolved("llm budget exhausted", "llm_budget")] * 2
    finally:
        release.set()


def test_close_stops_the_stage_and_releases_the_provider(make_llm: Any) -> None:
    fake = FakeLlm(answer("Error"))
    llm = make_llm(fake)
    llm.close()

    assert fake.closed
    assert llm.classify_batch(RECORDS[:1]) == [unresolved("llm stopped: service shutting down", "llm_shutdown")]
    assert fake.calls == []
