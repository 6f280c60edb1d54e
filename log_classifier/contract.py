"""The processor contract: a batch of log records in, one prediction or ``None`` per record out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, get_args

Stage = Literal["regex", "bert", "llm", "none"]
STAGES: tuple[Stage, ...] = get_args(Stage)
"""The stage names in cascade order; "none" = no stage decided."""


@dataclass(frozen=True, slots=True)
class LogRecord:
    """One log line to classify. ``message`` may be masked (see ``masking.mask_variables``);
    ``original`` is then the unmasked text, for a stage that must see it (the LLM redacts it itself:
    its rules need the digits that masking replaces)."""

    source: str
    message: str
    original: str = ""


@dataclass(frozen=True, slots=True)
class Prediction:
    """What a stage decided about one record.

    ``reason`` is short and human-readable: the regex rule name, the model version, "llm", or why
    nothing could decide (for example "llm disabled: no GROQ_API_KEY").
    """

    label: str
    stage: Stage
    confidence: float
    reason: str
    transient: bool = False
    """True when the outcome may differ on a retry (an LLM outage): such results are not cached."""


class Processor(Protocol):
    """A cascade stage. Returns, per record, a prediction or ``None`` ("not mine, pass it on")."""

    name: Stage

    def classify_batch(self, records: Sequence[LogRecord]) -> Sequence[Prediction | None]: ...
