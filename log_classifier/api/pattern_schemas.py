"""Response bodies of `GET /patterns`, `GET /patterns/{id}` and `GET /patterns/compare` (shown in `/docs`)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class PatternItem(BaseModel):
    """One pattern and its lines in the window asked for."""

    id: str = Field(description="Stable id: 16 hex characters of SHA-256 over source, severity and masked message")
    source: str
    severity: str = Field(description="The header severity read from the line (part of the pattern)")
    pattern: str = Field(description="The masked message: variable parts replaced by placeholders")
    example: str = Field(description="A recent line of the pattern, redacted as for the LLM")
    label: str = Field(description="The category: a person's correction when there is one, else the latest answer")
    classified_by: str
    confidence: float
    reason: str = Field(description="correction:<id> when a person labelled it, similar:<id> when it followed a "
                        "corrected pattern, else the deciding stage's reason")
    corrected: bool = Field(False, description="A person labelled this pattern (PUT /patterns/{id}/label)")
    count: int = Field(description="Lines of this pattern in the window")
    first_seen: str = Field(description="ISO 8601, UTC")
    last_seen: str = Field(description="ISO 8601, UTC")


class PatternList(BaseModel):
    patterns: list[PatternItem]
    total: int = Field(description="Patterns matching the filters with lines in the window")
    lines: int = Field(description="Their lines in the window (the sum of every page's counts)")
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last one")


class SeriesPoint(BaseModel):
    start: str = Field(description="Start of the step, ISO 8601 UTC")
    count: int


class Example(BaseModel):
    seen: str
    example: str


class Follower(BaseModel):
    id: str
    source: str
    pattern: str
    label: str
    similarity: float = Field(description="Cosine of the two patterns' encoder embeddings")
    last_seen: str


class PatternDetail(PatternItem):
    series: list[SeriesPoint] = Field(description="Lines per step across the window, zeros included")
    examples: list[Example] = Field(description="The last few example lines, newest first (redacted)")
    followers: list[Follower] = Field(
        default_factory=list, description="A corrected pattern: the uncorrected patterns whose latest answer followed "
        "it (reason similar:<id>), most recently seen first"
    )


class ComparedPattern(PatternItem):
    count: int = Field(0, description="Lines in the target window (= target_count)")
    baseline_count: int
    target_count: int
    ratio: float | None = Field(None, description="changed only: target rate ÷ baseline rate (per second)")
    score: float | None = Field(
        None, description="changed only: (p − q)·ln(p/q) with p, q the pattern's share of the target and "
        "baseline lines: its term of the symmetric KL divergence between the windows"
    )


class PatternComparison(BaseModel):
    new: list[ComparedPattern] = Field(description="Lines in the target window, none in the baseline")
    gone: list[ComparedPattern] = Field(description="Lines in the baseline, none in the target window")
    changed: list[ComparedPattern] = Field(description="In both, rate up or down by min_ratio or more; by score")
    new_total: int
    gone_total: int
    changed_total: int
