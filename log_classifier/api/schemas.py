"""Request and response bodies of `POST /classify/json` (with the examples shown in `/docs`)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from log_classifier.contract import Prediction, Stage
from log_classifier.output_fields import output_fields
from log_classifier.text.pattern_key import PatternKey, pattern_id

_REQUEST_EXAMPLE = {
    "logs": [
        {"source": "sshd", "log_message": "Failed password for invalid user admin from 198.51.100.7 port 50122 ssh2"},
        {"source": "backup", "log_message": "Nightly backup of volume vol-19 completed successfully"},
        {"source": "LegacyCRM", "log_message": "Escalation rule for ticket 8812 failed: no on-call manager assigned"},
    ]
}
_RESPONSE_EXAMPLE = {
    "results": [
        {"target_label": "Security Alert", "classified_by": "regex", "confidence": 1.0,
         "reason": "rule:sshd-failed-password", "pattern_id": "5be1c0a3f2d94e17"},
        {"target_label": "System Notification", "classified_by": "bert", "confidence": 0.9312,
         "reason": "model:2025-06-01", "pattern_id": "0e8a4d21c3b7f956"},
        {"target_label": "Workflow Error", "classified_by": "llm", "confidence": 1.0,
         "reason": "llm:openai/gpt-oss-120b", "pattern_id": "b71f09d4e2a6c385"},
    ]
}


class LogLine(BaseModel):
    """One log line: where it came from and its text."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(description="The system that wrote the line; some sources are routed straight to the LLM")
    log_message: str = Field(description="The log line; an empty one comes back Unclassified")
    timestamp: str | float | None = Field(
        None, description="When the line was written (ISO 8601 / RFC 3339, or epoch seconds or milliseconds): the "
        "pattern store counts it in that minute; missing or unreadable = when it arrived",
    )


class ClassifyJsonRequest(BaseModel):
    """Log lines to classify; at most MAX_JSON_LOGS of them."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_REQUEST_EXAMPLE]})  # type: ignore[list-item]  # JsonDict is invariant

    logs: list[LogLine] = Field(description="The lines, in any order; the results come back in the same order")


class ClassifiedLine(BaseModel):
    """What the cascade decided about one line."""

    target_label: str = Field(description="One of the nine categories, or Unclassified")
    classified_by: Stage = Field(
        description="The stage that decided: feedback (a person's correction of the pattern), regex, similar (the "
        "label of the nearest corrected pattern), bert (the embedding stage: MiniLM embeddings + logistic regression), "
        "llm, or none"
    )
    confidence: float = Field(ge=0.0, le=1.0, description="The deciding stage's confidence, 0..1")
    reason: str = Field(description="Rule name, model version, LLM model, or why nothing could decide")
    pattern_id: str | None = Field(
        description="The line's pattern (source, header severity, masked message) in GET /patterns; null for an empty line"
    )

    @classmethod
    def from_prediction(cls, prediction: Prediction, key: PatternKey | None = None) -> ClassifiedLine:
        return cls.model_validate(output_fields(prediction, None if key is None else pattern_id(key)))


class ClassifyJsonResponse(BaseModel):
    """One result per input line, in input order."""

    model_config = ConfigDict(json_schema_extra={"examples": [_RESPONSE_EXAMPLE]})  # type: ignore[list-item]  # JsonDict is invariant

    results: list[ClassifiedLine]
