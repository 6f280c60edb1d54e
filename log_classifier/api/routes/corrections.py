"""Corrections: `PUT`/`DELETE /patterns/{id}/label`, `POST /feedback`, `GET /corrections` (the audit).

A correction is committed to the pattern store before the answer; then this process reloads its
corrections at once (others within CORRECTION_SYNC_S), so a line answered after the 200 has the new label.
Sync routes: the database calls run in the thread pool, never on the event loop.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.exc import SQLAlchemyError

from log_classifier.api.correction_schemas import (
    AuditList,
    CorrectedPattern,
    FeedbackRequest,
    FeedbackResponse,
    LabelRequest,
)
from log_classifier.api.dependencies import ApiKeyName, AppPatterns, AppSettings, Classifier, require_api_key
from log_classifier.api.errors import API_KEY_HEADER, ERROR_RESPONSES
from log_classifier.api.routes.patterns import MAX_LIMIT, _cursor, _offset, parse_window
from log_classifier.cascade import LoadedClassifier
from log_classifier.errors import (
    InputError,
    InvalidLabel,
    NotFoundError,
    PayloadTooLarge,
    PermissionDenied,
    StoreUnavailable,
)
from log_classifier.patterns.corrections import CorrectionRequest, CorrectionStore, NewPattern
from log_classifier.patterns.recorder import EXAMPLE_CHARS, Recorder
from log_classifier.patterns.store import DAY, Window
from log_classifier.taxonomy import CATEGORIES
from log_classifier.text.pattern_key import pattern_id as id_of
from log_classifier.text.redaction import redact

log = logging.getLogger(__name__)

router = APIRouter(tags=["corrections"], dependencies=[Depends(require_api_key)])

AUDIT_WINDOW_S = 30 * DAY
WHO_CHARS = 128  # the audit's `who` column
FEEDBACK_EMBED_NOW = 100
"""A /feedback of at most this many lines also embeds them for similarity before answering; more: the poller does."""
T = TypeVar("T")
_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: ERROR_RESPONSES[401],
    403: {"description": "CORRECTION_API_KEYS is set and this API key is not in it."},
    404: {"description": "No pattern with this id."},
    422: {"description": "The label is not one of the nine categories; `detail` names them."},
    503: {"description": "The pattern store is off or cannot be reached: nothing was saved."},
}
PatternId = Annotated[str, Path(description="The 16-hex-character id from /patterns or a result's pattern_id")]


async def require_corrector(request: Request, settings: AppSettings, name: ApiKeyName) -> str:
    """The caller's name, when it may correct: CORRECTION_API_KEYS empty, or naming its key's name or the key."""
    allowed = settings.correction_api_keys
    if allowed and name not in allowed and request.headers.get(API_KEY_HEADER, "") not in allowed:
        raise PermissionDenied("this API key may not correct labels (CORRECTION_API_KEYS)")
    return name[:WHO_CHARS]


Corrector = Annotated[str, Depends(require_corrector)]


@router.put(
    "/patterns/{pattern_id}/label",
    summary="Correct a pattern's label",
    description="Every later line of the pattern gets this label (`classified_by=feedback`, confidence 1.0, "
    "reason `correction:<id>`) in every service process on the store within CORRECTION_SYNC_S (in this one at "
    "once), and new patterns close enough to it follow (reason `similar:<id>`, CORRECTION_SIMILARITY). Committed "
    "to the store before the 200. The answer is the pattern as `/patterns` shows it (count: the last 24 h).",
    response_model=CorrectedPattern,
    responses=_RESPONSES,
)
def put_label(pattern_id: PatternId, body: LabelRequest, classifier: Classifier, patterns: AppPatterns,
              who: Corrector) -> dict[str, Any]:
    pid = pattern_id
    _check_id(pid)
    label = _check_label(body.label, "label")
    now = time.time()
    corrections = _store(patterns)
    done = _query(lambda: corrections.correct([CorrectionRequest(pid, label, body.note)], who, now))[0]
    _reload(classifier)
    log.info("pattern %s corrected %s -> %s by %s", pid, done.previous_label, label, who)
    return _pattern(patterns, pid, now, done.previous_label)


@router.delete(
    "/patterns/{pattern_id}/label",
    summary="Undo a pattern's correction",
    description="The pattern returns to the cascade's answer (in every process within CORRECTION_SYNC_S); the "
    "correction stays in the audit, marked undone. A pattern with no correction is answered as it is.",
    response_model=CorrectedPattern,
    responses=_RESPONSES,
)
def delete_label(pattern_id: PatternId, classifier: Classifier, patterns: AppPatterns,
                 who: Corrector) -> dict[str, Any]:
    pid = pattern_id
    _check_id(pid)
    now = time.time()
    corrections = _store(patterns)
    done = _query(lambda: corrections.undo(pid, who, now))
    _reload(classifier)
    if done is not None:
        log.info("pattern %s correction %s undone by %s", pid, done.previous_label, who)
    item = _pattern(patterns, pid, now, "")
    item["previous_label"] = done.previous_label if done is not None else item["label"]
    return item


@router.post(
    "/feedback",
    summary="Correct the patterns of pasted lines",
    description="Each line is masked to its pattern (the same key the cascade uses) and the pattern is corrected "
    "to `target_label`, created if the store has not seen it. At most MAX_JSON_LOGS lines, all in one "
    "transaction (all or none). One result per line, in order.",
    response_model=FeedbackResponse,
    responses={**_RESPONSES, 400: {"description": "An empty log_message; `detail` names it."},
               413: {"description": "More lines than MAX_JSON_LOGS."}},
)
def feedback(body: FeedbackRequest, classifier: Classifier, patterns: AppPatterns, settings: AppSettings,
             who: Corrector) -> dict[str, Any]:
    logs = body.logs
    if len(logs) > settings.max_json_logs:
        raise PayloadTooLarge(f"logs: {len(logs)} lines, more than MAX_JSON_LOGS ({settings.max_json_logs}); split them")
    if not logs:
        raise InputError("logs: send at least one line")
    labels = [_check_label(item.target_label, f"logs[{index}].target_label") for index, item in enumerate(logs)]
    corrections = _store(patterns)
    predictions, keys, _ = classifier.cascade.classify_keyed([item.source for item in logs],
                                                             [item.log_message for item in logs])
    requests = []
    for index, (item, key, prediction, label) in enumerate(zip(logs, keys, predictions, labels)):
        if key is None:
            raise InputError(f"logs[{index}].log_message: empty; send a line of the pattern to correct")
        new = NewPattern(key.source, key.severity, key.masked, redact(item.log_message)[:EXAMPLE_CHARS],
                         prediction.label, prediction.stage, float(prediction.confidence), prediction.reason)
        requests.append(CorrectionRequest(id_of(key), label, body.note, new))
    now = time.time()
    done = _query(lambda: corrections.correct(requests, who, now))
    _reload(classifier, vectors=len(requests) <= FEEDBACK_EMBED_NOW)
    log.info("%d lines corrected through /feedback by %s", len(done), who)
    return {"corrected": [{"pattern_id": item.pattern_id, "label": item.label, "previous_label": item.previous_label}
                          for item in done]}


@router.get(
    "/corrections",
    summary="The audit: who corrected which pattern, when, from what to what",
    description="Corrections and undos in [start, end) (default: the last 30 days), newest first; a correction "
    "later undone is marked `undone`. `who` is the API key's name (API_KEYS `name:key`), else `key-` and a short "
    "hash of the key, never the key.",
    response_model=AuditList,
    responses={**_RESPONSES, 400: {"description": "A malformed time or window, or a bad cursor."}},
)
def audit(
    patterns: AppPatterns,
    start: Annotated[str | None, Query(description="ISO 8601; default end − 30 days")] = None,
    end: Annotated[str | None, Query(description="ISO 8601; default now")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
) -> dict[str, Any]:
    now = time.time()
    window = parse_window(start, end, now, "start", "end", default_s=AUDIT_WINDOW_S)
    offset = _offset(cursor)
    corrections = _store(patterns)
    items, total = _query(lambda: corrections.audit(window, limit=limit, offset=offset))
    more = offset + len(items) < total
    return {"corrections": items, "total": total, "next_cursor": _cursor(offset + len(items)) if more else None}


def _store(patterns: Recorder) -> CorrectionStore:
    return CorrectionStore(patterns.require_store().engines)


def _check_id(pid: str) -> None:
    if len(pid) != 16 or any(char not in "0123456789abcdef" for char in pid):
        raise NotFoundError(f"no pattern with id {pid!r} (an id is 16 lower-case hex characters)")


def _check_label(label: str, name: str) -> str:
    label = label.strip()
    if label not in CATEGORIES:
        raise InvalidLabel(f"{name}: {label[:60]!r} is not a category; use one of {', '.join(CATEGORIES)}")
    return label


def _reload(classifier: LoadedClassifier, *, vectors: bool = True) -> None:
    """This process applies the change before it answers (others poll within CORRECTION_SYNC_S). Without
    `vectors` the exact corrections apply at once and similar patterns follow once the poller has embedded
    the new corrected patterns (within CORRECTION_SYNC_S)."""
    try:
        classifier.corrections.refresh(vectors=vectors)
    except Exception as exc:  # committed already; the poller catches up
        log.warning("correction saved, but reloading corrections failed (%s); the poller retries", type(exc).__name__)


def _pattern(patterns: Recorder, pid: str, now: float, previous: str) -> dict[str, Any]:
    store = patterns.require_store()
    item = _query(lambda: store.get_pattern(pid, Window(now - DAY, now), now, "day"))
    item.pop("series", None)
    item.pop("examples", None)
    item["previous_label"] = previous
    return item


def _query(run: Callable[[], T]) -> T:
    try:
        return run()
    except SQLAlchemyError as exc:
        log.warning("pattern store unavailable for a correction: %s", type(exc).__name__)
        raise StoreUnavailable("the pattern store cannot be reached right now: the correction was NOT saved; "
                               "try again shortly") from None
