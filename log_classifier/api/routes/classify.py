"""`POST /classify/` (CSV in, CSV out) and `POST /classify/json`."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from fastapi.responses import StreamingResponse

from log_classifier.alerts import Alerter
from log_classifier.api.dependencies import (
    AppAlerter,
    AppMetrics,
    AppPatterns,
    AppSettings,
    Classifier,
    require_api_key,
)
from log_classifier.api.errors import ERROR_RESPONSES, OVERLOADED_RESPONSE
from log_classifier.api.json_route import JsonIntakeRoute
from log_classifier.api.metrics import Metrics
from log_classifier.api.schemas import ClassifiedLine, ClassifyJsonRequest, ClassifyJsonResponse
from log_classifier.cascade import LoadedClassifier
from log_classifier.config import Settings
from log_classifier.contract import Prediction
from log_classifier.errors import InputError
from log_classifier.formats import reader
from log_classifier.formats.writer import Keys, iter_classified_csv
from log_classifier.patterns.recorder import Recorder

log = logging.getLogger(__name__)

router = APIRouter(tags=["classify"], dependencies=[Depends(require_api_key)])


async def one_file_part(request: Request) -> None:
    """One `file` part per upload: with two, FastAPI would silently take one of them."""
    form = await request.form()  # parsed already, for the `file` parameter: FastAPI keeps it
    parts = len(form.getlist("file"))
    if parts > 1:
        raise InputError(f"{parts} 'file' parts in one upload: send one CSV per request")


@router.post(
    "/classify/",
    summary="Classify a CSV of log lines",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The input CSV, every row in order, with `target_label` added "
            "(and `classified_by`, `confidence`, `reason`, `pattern_id` with `explain=true`). An optional "
            "`timestamp` column (ISO 8601 or epoch s/ms) is each line's time for the pattern store.",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        **ERROR_RESPONSES,
    },
)
def classify_csv(
    _one_file: Annotated[None, Depends(one_file_part)],
    classifier: Classifier,
    settings: AppSettings,
    metrics: AppMetrics,
    alerter: AppAlerter,
    patterns: AppPatterns,
    file: Annotated[UploadFile, File(description="CSV with columns `source` and `log_message`")],
    explain: Annotated[bool, Query(description="Add classified_by, confidence, reason and pattern_id columns")] = False,
) -> StreamingResponse:
    layout = reader.check_layout(file.file, keep_rows=settings.csv_chunk_rows)  # one pass for uploads of a chunk or less
    log.info("classifying %s: %d rows", file.filename, layout.rows)
    return StreamingResponse(
        _classified_csv(classifier, file, layout, explain=explain, settings=settings, metrics=metrics, alerter=alerter,
                        patterns=patterns),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{output_name(file.filename)}"'},
    )


# Its own router: the JSON body is read by the JSON intake (counted while parsed), not by FastAPI.
json_router = APIRouter(tags=["classify"], dependencies=[Depends(require_api_key)], route_class=JsonIntakeRoute)


@json_router.post(
    "/classify/json",
    summary="Classify log lines sent as JSON",
    description=(
        "Send `{\"logs\": [{\"source\": ..., \"log_message\": ...}, ...]}`; get one result per line, "
        "in the same order, each with its `pattern_id` (see `GET /patterns`). A line may carry its own "
        "`timestamp` (ISO 8601, epoch s or ms) for the pattern store. At most MAX_JSON_LOGS lines per request; "
        "more is a 413 — split the list or upload a CSV to `POST /classify/`. "
        "An empty list is valid and returns an empty `results` list. At most MAX_JSON_BYTES bytes "
        "(`Content-Encoding: gzip`/`deflate` accepted, the limit holds inflated); nesting deeper than 64 "
        "levels is a 400; a lone surrogate escape (`\\ud800`) becomes U+FFFD. The body is read as JSON "
        "whatever its Content-Type says (`curl -d` sends a form type)."
    ),
    response_model=ClassifyJsonResponse,
    responses={
        400: {"description": "The body is not the documented JSON; `detail` says which field is wrong, or where "
              "the JSON breaks (line, column) and what was expected there."},
        401: ERROR_RESPONSES[401],
        413: {"description": "More than MAX_JSON_LOGS lines, or a body larger than MAX_JSON_BYTES."},
        503: OVERLOADED_RESPONSE,
    },
)
def classify_json(
    classifier: Classifier, settings: AppSettings, metrics: AppMetrics, alerter: AppAlerter, patterns: AppPatterns,
    body: ClassifyJsonRequest,
) -> ClassifyJsonResponse:
    # A sync route: FastAPI runs it in the thread pool, so the cascade never blocks the event loop.
    # MAX_JSON_LOGS and MAX_JSON_BYTES were held while the body was read and parsed (JsonIntakeRoute).
    sources, messages = [line.source for line in body.logs], [line.log_message for line in body.logs]
    predictions, keys, _ = classifier.cascade.classify_keyed(sources, messages)
    metrics.observe_predictions(predictions)
    alerter.observe(sources, messages, predictions)
    patterns.record(keys, predictions, [line.timestamp for line in body.logs], messages)
    log.info("classified %d JSON logs", len(predictions))
    return ClassifyJsonResponse(results=[ClassifiedLine.from_prediction(p, key) for p, key in zip(predictions, keys)])


def _classified_csv(
    classifier: LoadedClassifier,
    file: UploadFile,
    layout: reader.CsvLayout,
    *,
    explain: bool,
    settings: Settings,
    metrics: Metrics,
    alerter: Alerter,
    patterns: Recorder,
) -> Iterator[str]:
    """Header, then each chunk classified and rendered: memory follows the chunk, not the file."""

    def classify(sources: Sequence[str], messages: Sequence[str]) -> tuple[list[Prediction], Keys]:
        predictions, keys, _ = classifier.cascade.classify_keyed(sources, messages)
        alerter.observe(sources, messages, predictions)
        return predictions, keys

    try:
        yield from iter_classified_csv(
            classify,
            file.file,
            layout,
            explain=explain,
            chunk_rows=settings.csv_chunk_rows,
            neutralise_formulas=settings.neutralise_formulas,
            observe=metrics.observe_predictions,
            record=patterns.record,
        )
    finally:
        file.file.close()


def output_name(filename: str | None) -> str:
    """`<stem>_classified.csv`, ASCII only: a header value must be Latin-1 (and "日志".isalnum() is True)."""
    stem = (filename or "logs.csv").rsplit("/", 1)[-1].rsplit(".", 1)[0] or "logs"
    safe = "".join(char for char in stem if (char.isascii() and char.isalnum()) or char in "-_.")[:100] or "logs"
    return f"{safe}_classified.csv"
