"""`output_fields`: what every answer adds for one classified line, written in one place.

The CSV answers (`POST /classify/`, the CLI, the Spark job), the records of `POST /ingest` and the
results of `POST /classify/json` all carry ``target_label`` and, when explaining, ``classified_by``,
``confidence`` (rounded to 4 decimals), ``reason`` and ``pattern_id`` (the line's pattern in
`GET /patterns`; none for an empty line), in that order. JSON answers keep the values' types
(a number, null); a CSV cell is their text (`csv_cell`: ``1.0000``, an empty cell).
"""

from __future__ import annotations

from log_classifier.contract import Prediction

LABEL_FIELD = "target_label"
EXPLAIN_FIELDS = ("classified_by", "confidence", "reason")
PATTERN_ID_FIELD = "pattern_id"
CONFIDENCE_DECIMALS = 4

FieldValue = str | float | None


def field_names(*, explain: bool) -> tuple[str, ...]:
    """The names `output_fields` gives, in order."""
    return (LABEL_FIELD, *EXPLAIN_FIELDS, PATTERN_ID_FIELD) if explain else (LABEL_FIELD,)


def output_fields(prediction: Prediction, pattern_id: str | None = None, *, explain: bool = True) -> dict[str, FieldValue]:
    """The fields an answer adds for one line, in order (see the module docstring); `pattern_id` is the line's
    pattern (`text.pattern_key.pattern_id`), None for an empty line."""
    if not explain:
        return {LABEL_FIELD: prediction.label}
    return {
        LABEL_FIELD: prediction.label,
        "classified_by": prediction.stage,
        "confidence": round(prediction.confidence, CONFIDENCE_DECIMALS),
        "reason": prediction.reason,
        PATTERN_ID_FIELD: pattern_id,
    }


def csv_cell(value: FieldValue) -> str:
    """A field as CSV text: a confidence with its 4 decimals (``1.0000``), no pattern id as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return f"{value:.{CONFIDENCE_DECIMALS}f}"
