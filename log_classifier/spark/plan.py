"""The driver's hand-over to the Python workers: the plan pickled into every task, and the names of
the internal columns the workers add for the driver to read back."""

from __future__ import annotations

from dataclasses import dataclass

# Internal columns of --pattern-store: each row's pattern and the bucket (epoch s) and time it counts at.
PATTERN_COLUMNS = ("__lc_pattern_id", "__lc_pattern_source", "__lc_pattern_severity", "__lc_pattern_masked")
PATTERN_BUCKET = "__lc_pattern_bucket"
PATTERN_TIME = "__lc_pattern_time"

# Internal columns of the --llm path: the source and pattern id a row left for the LLM, and its text.
PENDING_SOURCE = "__lc_pending_source"
PENDING_KEY = "__lc_pending_key"
PENDING_TEXT = "__lc_pending_text"
ANSWER_PREFIX = "__lc_answer_"
"""The driver's own columns: the LLM's answers before they replace the workers', the --partitions row order."""


@dataclass(frozen=True)
class JobPlan:
    """What each Python worker needs to classify a batch; pickled into every task."""

    settings_json: str
    defer_llm: bool
    source_column: str
    message_column: str
    added_columns: tuple[str, ...]
    """Where the label (and explain cells) go: the frame's names for OUTPUT_COLUMN, *EXPLAIN_COLUMNS."""
    patterns: PatternPlan | None = None


@dataclass(frozen=True)
class PatternPlan:
    """--pattern-store: where each row's time is, the job's start and the minute retention (hours)."""

    timestamp_column: str | None
    started: float
    minute_retention_h: int
