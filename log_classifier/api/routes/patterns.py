"""`GET /patterns`, `GET /patterns/compare`, `GET /patterns/{id}`: what the pattern store has seen.

Times are ISO 8601 (or epoch seconds); a window defaults to the last 24 h and may span a year at most.
Sync routes: the database calls run in the thread pool, never on the event loop.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import time
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar

from fastapi import APIRouter, Depends, Path, Query
from sqlalchemy.exc import SQLAlchemyError

from log_classifier.api.dependencies import AppPatterns, require_api_key
from log_classifier.api.errors import ERROR_RESPONSES
from log_classifier.api.pattern_schemas import PatternComparison, PatternDetail, PatternList
from log_classifier.errors import InputError, NotFoundError, StoreUnavailable
from log_classifier.patterns.corrections import CorrectionStore
from log_classifier.patterns.store import DAY, MAX_SERIES_POINTS, STEPS, Window
from log_classifier.patterns.timestamps import read_time
from log_classifier.taxonomy import CATEGORIES, UNCLASSIFIED

log = logging.getLogger(__name__)

router = APIRouter(tags=["patterns"], dependencies=[Depends(require_api_key)])

DEFAULT_WINDOW_S = DAY
MAX_WINDOW_S = 366 * DAY
MAX_LIMIT = 1000
LATEST_TIME = 253_402_300_799  # 9999-12-31T23:59:59Z: the last second ISO 8601's four-digit years can state
_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "A malformed time, a window whose end is not after its start or longer than a year, "
          "an unknown label or a bad cursor; `detail` names the parameter."},
    401: ERROR_RESPONSES[401],
    503: {"description": "The pattern store is off (PATTERN_STORE=off) or cannot be reached."},
}
T = TypeVar("T")

Source = Annotated[str | None, Query(description="Only patterns of this source")]
Label = Annotated[str | None, Query(description="Only patterns with this category")]


@router.get(
    "/patterns",
    summary="Patterns seen in a window, with their line counts",
    description="Every classified line is counted under its pattern (source, header severity, masked message). "
    "`count` is the pattern's lines in [start, end) (default: the last 24 h); the counts add up to `lines`, the "
    "lines classified in the window (empty lines are no pattern). Windows snap to whole minutes, and to whole "
    "hours where they reach past PATTERN_MINUTE_RETENTION_H. `q` matches the pattern or its example, case "
    "insensitive. Page with `cursor`.",
    response_model=PatternList,
    responses=_RESPONSES,
)
def list_patterns(
    patterns: AppPatterns,
    start: Annotated[str | None, Query(description="ISO 8601; default end − 24 h")] = None,
    end: Annotated[str | None, Query(description="ISO 8601; default now")] = None,
    source: Source = None,
    label: Label = None,
    q: Annotated[str | None, Query(max_length=500, description="Text in the pattern or example")] = None,
    order: Annotated[Literal["count", "first_seen", "last_seen"], Query(description="Largest / newest first")] = "count",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
) -> dict[str, Any]:
    now = time.time()
    window = parse_window(start, end, now, "start", "end")
    offset = _offset(cursor)
    category = _label(label)
    source, q = _text("source", source), _text("q", q)
    store = patterns.require_store()
    items, total, lines = _query(lambda: store.list_patterns(
        window, now, source=source, label=category, q=q, order=order, limit=limit, offset=offset))
    more = offset + len(items) < total
    return {"patterns": items, "total": total, "lines": lines,
            "next_cursor": _cursor(offset + len(items)) if more else None}


@router.get(
    "/patterns/compare",
    summary="What is new, gone or changed between two windows",
    description="`new`: patterns with lines in the target window and none in the baseline, whatever their count; "
    "`gone`: the reverse; `changed`: in both, with the rate (lines per second of window) up or down by at least "
    "`min_ratio` and at least `min_count` lines in one window, sorted by `score` (see the README). Defaults: the "
    "target is the last 24 h, the baseline the same length just before it.",
    response_model=PatternComparison,
    responses=_RESPONSES,
)
def compare_patterns(
    patterns: AppPatterns,
    baseline_start: Annotated[str | None, Query(description="ISO 8601; default baseline_end − target length")] = None,
    baseline_end: Annotated[str | None, Query(description="ISO 8601; default target_start")] = None,
    target_start: Annotated[str | None, Query(description="ISO 8601; default target_end − 24 h")] = None,
    target_end: Annotated[str | None, Query(description="ISO 8601; default now")] = None,
    source: Source = None,
    label: Label = None,
    min_count: Annotated[int, Query(ge=1)] = 5,
    min_ratio: Annotated[float, Query(gt=1, le=1e6)] = 2.0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per list at most")] = 100,
) -> dict[str, Any]:
    now = time.time()
    target = parse_window(target_start, target_end, now, "target_start", "target_end")
    base_end = _time("baseline_end", baseline_end) if baseline_end else target.start
    base_start = baseline_start or None
    baseline = parse_window(base_start, None, base_end, "baseline_start", "baseline_end",
                            default_s=target.seconds)
    category = _label(label)
    source = _text("source", source)
    store = patterns.require_store()
    result = _query(lambda: store.compare(baseline, target, now, source=source, label=category,
                                          min_count=min_count, min_ratio=min_ratio, limit=limit))
    for kind in ("new", "gone", "changed"):
        for item in result[kind]:
            item["count"] = item["target_count"]
    return result


@router.get(
    "/patterns/{pattern_id}",
    summary="One pattern: its counts over time and recent examples",
    description="A corrected pattern also lists its `followers`: the patterns whose latest answer took its label "
    "by similarity (reason `similar:<id>`).",
    response_model=PatternDetail,
    responses={**_RESPONSES, 404: {"description": "No pattern with this id."}},
)
def get_pattern(
    patterns: AppPatterns,
    pattern_id: Annotated[str, Path(description="The 16-hex-character id from /patterns or a result's pattern_id")],
    start: Annotated[str | None, Query(description="ISO 8601; default end − 24 h")] = None,
    end: Annotated[str | None, Query(description="ISO 8601; default now")] = None,
    step: Annotated[Literal["minute", "hour", "day"], Query(description="Width of a series point")] = "hour",
) -> dict[str, Any]:
    now = time.time()
    window = parse_window(start, end, now, "start", "end")
    if window.seconds / STEPS[step] > MAX_SERIES_POINTS:
        raise InputError(f"step: {step} gives more than {MAX_SERIES_POINTS} points over this window; use a larger step")
    if len(pattern_id) != 16 or any(char not in "0123456789abcdef" for char in pattern_id):
        raise NotFoundError(f"no pattern with id {pattern_id!r} (an id is 16 lower-case hex characters)")
    store = patterns.require_store()
    item = _query(lambda: store.get_pattern(pattern_id, window, now, step))
    if item.get("corrected"):
        corrections = CorrectionStore(store.engines)
        item["followers"] = _query(lambda: corrections.followers(pattern_id))
    return item


def parse_window(
    start: str | None, end: str | None, now: float, start_name: str, end_name: str, *, default_s: float = DEFAULT_WINDOW_S
) -> Window:
    """[start, end) from query values (defaults: end = now, start = end − default_s); InputError naming the
    parameter for a malformed time or a bad window."""
    until = _time(end_name, end) if end else now
    since = _time(start_name, start) if start else until - default_s
    if since < 0:
        raise InputError(f"{start_name}: the window starts before 1970")
    if until <= since:
        raise InputError(f"{end_name}: the window must end after it starts ({start_name})")
    if until - since > MAX_WINDOW_S:
        raise InputError(f"{start_name}: the window is longer than a year (366 days); narrow it")
    return Window(since, until)


def _time(name: str, value: str) -> float:
    parsed = read_time(value)
    if parsed is None or not 0 <= parsed <= LATEST_TIME:
        raise InputError(f"{name}: {value[:60]!r} is not a time; use ISO 8601, e.g. 2026-12-07T03:00:00Z")
    return parsed


def _text(name: str, value: str | None) -> str | None:
    if value is not None and "\x00" in value:
        raise InputError(f"{name}: must not contain NUL characters")
    return value or None


def _label(label: str | None) -> str | None:
    if label and label not in (*CATEGORIES, UNCLASSIFIED):
        raise InputError(f"label: {label[:60]!r} is not a category; use one of {', '.join((*CATEGORIES, UNCLASSIFIED))}")
    return label or None


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        offset = value["o"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise InputError("cursor: not a cursor this API gave (use next_cursor as it is)") from None
    if not isinstance(offset, int) or offset < 0:
        raise InputError("cursor: not a cursor this API gave (use next_cursor as it is)")
    return offset


def _query(run: Callable[[], T]) -> T:
    try:
        return run()
    except SQLAlchemyError as exc:
        log.warning("pattern store query failed: %s", type(exc).__name__)
        raise StoreUnavailable("the pattern store cannot be reached right now; try again shortly") from None
