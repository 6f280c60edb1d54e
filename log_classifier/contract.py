"""The processor contract: a batch of log records in, one prediction or ``None`` per record out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal, Protocol, get_args

Stage = Literal["feedback", "regex", "similar", "bert", "llm", "none"]
STAGES: tuple[Stage, ...] = get_args(Stage)
"""The stage names in cascade order, as answers (``classified_by``) and metrics (``stage``) show them;
"none" = no stage decided. "feedback": a person's correction of the pattern; "similar": the label of the
nearest corrected pattern; "bert": the embedding stage (`EMBEDDING_STAGE`)."""

EMBEDDING_STAGE: Final = "bert"
"""The embedding stage's name in answers and metrics. The stage runs MiniLM sentence embeddings (ONNX
Runtime, with a static-vector fast path) and logistic regression; "bert" is the word of the original
contract (``classified_by=bert``), kept for its users. Code says `EMBEDDING_STAGE`."""

Outcome = Literal[
    "decided",
    "empty",
    "undecided",
    "llm_disabled",
    "llm_error",
    "llm_budget",
    "llm_circuit",
    "llm_models_dead",
    "llm_invalid_answer",
    "llm_shutdown",
    "llm_deferred",
]
"""What happened to a record; code acts on this field, never on the wording of ``reason``.

- ``decided``: a stage chose the label (an LLM's explicit "Unclassified" answer included);
- ``empty``: the log message was empty; ``undecided``: no stage was confident;
- ``llm_disabled``: the LLM stage is off (no API key);
- ``llm_error``: the LLM call failed (HTTP error, timeout, refused, unparseable reply);
- ``llm_budget``: the request's LLM time budget ran out first;
- ``llm_circuit``: the circuit breaker is open after repeated failures;
- ``llm_models_dead``: every configured model is retired or unknown to the provider;
- ``llm_invalid_answer``: the LLM answered, but not with one of the nine names (or not for this id);
- ``llm_shutdown``: the service stopped while the record waited for the LLM;
- ``llm_deferred``: the LLM runs later, elsewhere (a Spark executor leaves it to the driver).
"""

TRANSIENT_OUTCOMES: frozenset[Outcome] = frozenset(
    {"llm_error", "llm_budget", "llm_circuit", "llm_models_dead", "llm_invalid_answer", "llm_shutdown",
     "llm_deferred"}
)
"""Outcomes a later call may improve on (an outage, a garbled answer): never cached."""


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One log line to classify, as the stages see it. ``masked``: the prepared line with its variable parts
    masked (``text.prepare``, ``text.masking``), what the regex rules, the encoder and the pattern key read;
    ``original``: the unmasked text, for a stage that must see it (the LLM redacts it itself: its rules
    need the digits that masking replaces). Empty: the same as ``masked``."""

    source: str
    masked: str
    original: str = ""


@dataclass(frozen=True, slots=True)
class Prediction:
    """What a stage decided about one record.

    ``reason`` is short and human-readable, for people: the regex rule name, the model version,
    "llm:<model>", or why nothing could decide (for example "llm disabled: no GROQ_API_KEY").
    ``outcome`` is the same fact for code (metrics, caching, evaluation).
    """

    label: str
    stage: Stage
    confidence: float
    reason: str
    outcome: Outcome = "decided"

    @property
    def transient(self) -> bool:
        """True when a retry may give another answer (an LLM outage): such results are not cached."""
        return self.outcome in TRANSIENT_OUTCOMES


class Processor(Protocol):
    """A cascade stage. Returns, per record, a prediction or ``None`` ("not mine, pass it on")."""

    name: Stage

    def classify_batch(self, records: Sequence[LogRecord]) -> Sequence[Prediction | None]: ...
