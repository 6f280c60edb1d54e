"""The LLM stage: asks a chat model to place the log records the cheaper stages could not.

Several records go into one chat request, each with an id; the model answers a JSON object
``{id: category}`` and answers are matched by id, never by position. This module is the stage's
logic; its collaborators each have a module of their own:

- ``llm_prompt``: what the model is told (the category definitions come from ``docs/taxonomy.md``);
- ``llm_providers``: who answers, Groq or any OpenAI-compatible server, behind ``Provider.complete``
  (messages in, text out, ``errors.ProviderError`` on failure). Timeouts and retries (including
  ``retry-after`` on 429) are the SDK's own, configured from the settings;
- ``llm_fallback``: ``GROQ_MODEL`` / ``LLM_MODEL`` is a list of models tried in order: a model the
  provider calls retired or unknown is dropped for the life of the process and the same batch goes
  to the next one at once;
- ``llm_breaker``: the circuit breaker;
- ``llm_pool``: requests run on ``llm_concurrency`` workers shared round-robin between concurrent
  callers, under a total time budget per ``classify_batch`` call (``llm_budget_s``).

Failure modes and what the records get (never an exception), with the prediction's ``outcome``:

- no API key (``DisabledLlm``)     -> stage "none", "llm disabled: no GROQ_API_KEY"         llm_disabled
- HTTP error / timeout / refused /
  unparseable answer               -> stage "none", "llm error: <error> [<status>]"         llm_error
- too many consecutive failures    -> stage "none", "llm circuit open"                      llm_circuit
- budget spent before an answer    -> stage "none", "llm budget exhausted"                  llm_budget
- every configured model retired   -> stage "none", "llm models unavailable: set GROQ_MODEL" llm_models_dead
- the service stopped meanwhile    -> stage "none", "llm stopped: service shutting down"    llm_shutdown
- answer outside the category list -> stage "llm", "llm answer not a category: ..."         llm_invalid_answer
- id missing from the answer       -> stage "llm", "llm answer missing id"                  llm_invalid_answer

The label is always ``Unclassified``. All but the first are transient (``contract.TRANSIENT_OUTCOMES``):
a later call may do better, so they are not cached. An explicit "Unclassified" answer is a decision
and is cached. Only the provider's failures (HTTP errors, timeouts, refused connections, unreadable
answers) count towards the breaker; a retired model, or an error of our own making (text that cannot
be encoded), does not.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, wait
from functools import partial
from types import TracebackType
from typing import Any, Protocol

from log_classifier.cancellation import raise_if_cancelled
from log_classifier.config import Settings
from log_classifier.contract import LogRecord, Outcome, Prediction, Stage
from log_classifier.errors import MalformedAnswer, ModelUnavailable, ProviderError
from log_classifier.stages.llm_breaker import CircuitBreaker
from log_classifier.stages.llm_fallback import ModelChain
from log_classifier.stages.llm_pool import FairPool
from log_classifier.stages.llm_prompt import build_system_prompt
from log_classifier.stages.llm_providers import Provider, configured_models, disabled_reason, make_provider
from log_classifier.taxonomy import CATEGORIES, UNCLASSIFIED
from log_classifier.text.redaction import redact

logger = logging.getLogger(__name__)

# The model gives no calibrated probability; 1.0 means "the LLM decided", nothing more.
LLM_CONFIDENCE = 1.0
# Enough for '"17": "Deprecation Warning", ' per log plus the braces.
ANSWER_TOKENS_PER_LOG = 16
ANSWER_TOKENS_OVERHEAD = 32
ANSWER_PREVIEW_CHARS = 40
CANCEL_CHECK_S = 0.25
"""How often a request waiting for LLM answers checks whether its client is still there."""

REASON_DISABLED = "llm disabled: no GROQ_API_KEY"
REASON_CIRCUIT_OPEN = "llm circuit open"
REASON_BUDGET_EXHAUSTED = "llm budget exhausted"
REASON_SHUTDOWN = "llm stopped: service shutting down"
REASON_MISSING_ID = "llm answer missing id"
REASON_NOT_A_CATEGORY = "llm answer not a category: "

_CANONICAL = {category.casefold(): category for category in CATEGORIES}


class LlmStage(Protocol):
    """What the cascade and /health need from the LLM stage, enabled or not."""

    name: Stage

    def classify_batch(self, records: Sequence[LogRecord]) -> list[Prediction]: ...

    def status(self) -> dict[str, Any]: ...

    def close(self) -> None: ...


def make_llm_stage(settings: Settings) -> LlmStage:
    """The LLM stage the settings ask for: ``LlmClassifier``, or ``DisabledLlm`` without a Groq key."""
    why = disabled_reason(settings)
    if why is not None:
        return DisabledLlm(why, provider=settings.llm_provider, models=configured_models(settings))
    return LlmClassifier(settings, make_provider(settings))


class DisabledLlm:
    """The LLM stage switched off: every record comes back Unclassified, nothing is sent."""

    name: Stage = "llm"

    def __init__(self, why: str, *, provider: str, models: Sequence[str]) -> None:
        self._why = why
        self._provider = provider
        self._models = list(models)
        self._prediction = Prediction(UNCLASSIFIED, "none", 0.0, f"llm disabled: {why}", "llm_disabled")

    def classify_batch(self, records: Sequence[LogRecord]) -> list[Prediction]:
        return [self._prediction] * len(records)

    def status(self) -> dict[str, Any]:
        return {"stage": self.name, "enabled": False, "provider": self._provider, "reason": self._why,
                "model": self._models[0] if self._models else None, "models": self._models, "dead_models": {},
                "fallbacks": 0}

    def close(self) -> None:
        """Nothing to release."""


class LlmClassifier:
    """Cascade stage backed by a chat-completions API (``Provider``). Always answers every record.

    Built by ``make_llm_stage``. Call ``close()`` (or use it as a context manager) when done: it
    answers what is still waiting as stopped, and releases the workers and HTTP connections.
    """

    name: Stage = "llm"

    def __init__(self, settings: Settings, provider: Provider) -> None:
        self._provider = provider
        self._chain = ModelChain(provider.models, provider.model_setting)
        self._batch_size = settings.llm_batch_size
        self._budget_s = settings.llm_budget_s
        self._redact = settings.llm_redact
        self._system_prompt = build_system_prompt()
        self._breaker = CircuitBreaker(settings.llm_breaker_failures, settings.llm_breaker_cooldown_s)
        self._pool: FairPool[list[Prediction]] = FairPool(settings.llm_concurrency, thread_name_prefix="llm")
        self._closed = threading.Event()
        self._models_dead = _unresolved(f"llm models unavailable: set {provider.model_setting}", "llm_models_dead")

    def status(self) -> dict[str, Any]:
        """For /health: the provider, the model in use, dead models and why, the breaker. Never the key."""
        chain = self._chain.snapshot()
        if chain["model"] is None:
            setting = self._chain.setting
            reason = f"every model in {setting} is retired or unknown to the provider: set {setting} to a current model"
        else:
            reason = "ok"
        return {"stage": self.name, "enabled": True, "provider": self._provider.name, "reason": reason, **chain,
                "circuit": self._breaker.snapshot()}

    def classify_batch(self, records: Sequence[LogRecord]) -> list[Prediction]:
        """One prediction per record, in order. Never raises for LLM trouble (see module docstring)."""
        if not records:
            return []
        deadline = time.monotonic() + self._budget_s
        chunks = [records[i : i + self._batch_size] for i in range(0, len(records), self._batch_size)]
        owner = object()  # this call's own queue in the fair pool
        futures = self._pool.submit(owner, [partial(self._classify_chunk, chunk, deadline) for chunk in chunks])
        try:
            done = self._wait(futures, deadline)
        finally:
            # Queued requests are dropped (budget spent, or the client gone); one already on the wire
            # finishes in the background (bounded by the SDK's timeout and retries), its answer discarded.
            self._pool.withdraw(owner)
        predictions: list[Prediction] = []
        late = 0
        for chunk, future in zip(chunks, futures):
            if future not in done:
                late += len(chunk)
                predictions.extend([_unresolved(REASON_BUDGET_EXHAUSTED, "llm_budget")] * len(chunk))
                continue
            answered = future.result()
            if answered is None:  # close() came first
                predictions.extend([_unresolved(REASON_SHUTDOWN, "llm_shutdown")] * len(chunk))
            else:
                predictions.extend(answered)
        if late:
            logger.warning("llm budget of %.1f s exhausted: %d of %d logs unclassified", self._budget_s, late, len(records))
        return predictions

    @staticmethod
    def _wait(futures: Sequence[Future[Any]], deadline: float) -> set[Future[Any]]:
        """The futures done by the deadline; checks between waits whether the request's client has gone."""
        while True:
            remaining = deadline - time.monotonic()
            done, not_done = wait(futures, timeout=max(0.0, min(remaining, CANCEL_CHECK_S)))
            if not not_done or remaining <= CANCEL_CHECK_S:
                return done
            raise_if_cancelled()

    def close(self) -> None:
        """Answer waiting records as stopped, drop queued requests, release the connections. Idempotent."""
        self._closed.set()
        self._pool.close()
        self._provider.close()

    def __enter__(self) -> LlmClassifier:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _classify_chunk(self, chunk: Sequence[LogRecord], deadline: float) -> list[Prediction]:
        if time.monotonic() >= deadline:  # started in the instant between the wait and withdraw()
            return [_unresolved(REASON_BUDGET_EXHAUSTED, "llm_budget")] * len(chunk)
        model = self._chain.current()
        if model is None:
            return [self._models_dead] * len(chunk)
        if not self._breaker.allow():
            return [_unresolved(REASON_CIRCUIT_OPEN, "llm_circuit")] * len(chunk)
        ids = [str(number) for number in range(1, len(chunk) + 1)]
        while True:
            try:
                answer = self._ask(model, ids, chunk)
            except ModelUnavailable as gone:
                following = self._chain.mark_dead(model, gone.code, gone.detail)
                if following is None:
                    self._breaker.release()
                    return [self._models_dead] * len(chunk)
                model = following
                continue  # the same batch, at once, on the next model
            except ProviderError as err:  # HTTP errors, timeouts, refused connections, unreadable answers
                reason = f"llm error: {err}"
            except Exception as err:  # the stage must answer; a surprise is logged with its traceback
                # Not the provider's fault (text that cannot be encoded, a bug here): only provider errors
                # count toward the breaker, so one request's bad input cannot open it for everyone.
                self._breaker.release()  # a half-open probe must not stay taken
                if self._closed.is_set():
                    return [_unresolved(REASON_SHUTDOWN, "llm_shutdown")] * len(chunk)
                logger.exception("llm stage: unexpected error (not counted toward the circuit breaker)")
                return [_unresolved(f"llm error: {type(err).__name__}", "llm_error")] * len(chunk)
            else:
                self._breaker.record_success()
                return [self._to_prediction(model, answer.get(log_id)) for log_id in ids]
            if self._closed.is_set():  # the connection was closed under the call: not the provider's fault
                self._breaker.release()
                return [_unresolved(REASON_SHUTDOWN, "llm_shutdown")] * len(chunk)
            self._breaker.record_failure()
            logger.warning("llm request for %d logs failed: %s", len(chunk), reason)
            return [_unresolved(reason, "llm_error")] * len(chunk)

    def _ask(self, model: str, ids: Sequence[str], chunk: Sequence[LogRecord]) -> dict[str, Any]:
        texts = [record.original or record.masked for record in chunk]
        logs = [
            {"id": log_id, "source": record.source, "message": redact(text) if self._redact else text}
            for log_id, record, text in zip(ids, chunk, texts)
        ]
        reply = self._provider.complete(
            model,
            [
                {"role": "system", "content": self._system_prompt},
                {"role": "user", "content": json.dumps({"logs": logs}, ensure_ascii=False)},
            ],
            answer_tokens=ANSWER_TOKENS_OVERHEAD + ANSWER_TOKENS_PER_LOG * len(chunk),
        )
        try:
            answer = json.loads(reply)
        except ValueError as err:
            raise MalformedAnswer("malformed answer") from err
        if not isinstance(answer, dict):
            raise MalformedAnswer("malformed answer")
        return answer

    def _to_prediction(self, model: str, raw: object) -> Prediction:
        if raw is None:
            return Prediction(UNCLASSIFIED, "llm", 0.0, REASON_MISSING_ID, "llm_invalid_answer")
        text = raw if isinstance(raw, str) else json.dumps(raw)
        key = text.strip().strip("\"'`").strip().casefold()
        if key == UNCLASSIFIED.casefold():
            return Prediction(UNCLASSIFIED, "llm", 0.0, f"llm:{model} found no category")
        label = _CANONICAL.get(key)
        if label is None:
            # Transient (not cached): one garbled reply must not stick to the shape.
            return Prediction(
                UNCLASSIFIED, "llm", 0.0, REASON_NOT_A_CATEGORY + text[:ANSWER_PREVIEW_CHARS], "llm_invalid_answer"
            )
        return Prediction(label, "llm", LLM_CONFIDENCE, f"llm:{model}")


def _unresolved(reason: str, outcome: Outcome) -> Prediction:
    return Prediction(UNCLASSIFIED, "none", 0.0, reason, outcome)
