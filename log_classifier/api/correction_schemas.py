"""Request and response bodies of the corrections API (shown in `/docs`)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from log_classifier.api.pattern_schemas import PatternItem
from log_classifier.taxonomy import CATEGORIES

NINE = ", ".join(CATEGORIES)


class LabelRequest(BaseModel):
    label: str = Field(description=f"One of the nine categories: {NINE}", examples=["Security Alert"])
    note: str = Field("", max_length=2000, description="Why (kept in the audit)")


class CorrectedPattern(PatternItem):
    previous_label: str = Field(description="The pattern's label before this change")


class FeedbackLog(BaseModel):
    source: str = Field("", max_length=500)
    log_message: str = Field(description="A line of the pattern to correct (masked to its pattern by the server)")
    target_label: str = Field(description=f"One of the nine categories: {NINE}")


class FeedbackRequest(BaseModel):
    logs: list[FeedbackLog] = Field(description="At most MAX_JSON_LOGS lines; applied in one transaction")
    note: str = Field("", max_length=2000, description="Why (kept in the audit of every correction)")


class FeedbackItem(BaseModel):
    pattern_id: str
    label: str
    previous_label: str


class FeedbackResponse(BaseModel):
    corrected: list[FeedbackItem] = Field(description="One per line sent, in order")


class AuditItem(BaseModel):
    id: int
    pattern_id: str
    source: str | None
    pattern: str | None = Field(description="The masked message (null if the pattern was pruned)")
    action: str = Field(description='"correct" or "undo"')
    who: str = Field(description="The API key's name (API_KEYS name:key), else key-<short hash>; anonymous "
                     "without API_KEYS. Never the key")
    at: str = Field(description="ISO 8601, UTC")
    from_label: str | None
    to_label: str | None
    note: str
    undone: bool = Field(description="A correction later undone (DELETE /patterns/{id}/label)")
    undone_at: str | None


class AuditList(BaseModel):
    corrections: list[AuditItem] = Field(description="Newest first")
    total: int = Field(description="Corrections and undos in the window")
    next_cursor: str | None
