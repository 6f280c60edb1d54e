"""A log line's own time: ISO 8601 / RFC 3339 (with an offset or `Z`; without one it is read as UTC),
or epoch seconds or milliseconds (Fluent Bit's `date`), as a number or a string of digits.

`line_time` never raises: a value it cannot read gives None, and the caller uses the arrival time.
"""

from __future__ import annotations

from datetime import UTC, datetime

EPOCH_MS_ABOVE = 100_000_000_000
"""A number above this is read as milliseconds (1e11 s is the year 5138; 1e11 ms is 1973)."""
FUTURE_TOLERANCE_S = 86_400
"""A time more than a day ahead of the clock is a wrong clock or a wrong field: unreadable."""


def line_time(value: object, now: float) -> float | None:
    """Epoch seconds of `value`, or None when it is missing, unreadable or implausible."""
    if value is None or isinstance(value, bool):
        return None
    seconds: float | None
    if isinstance(value, (int, float)):
        seconds = _epoch(float(value))
    elif isinstance(value, str):
        seconds = _from_text(value.strip())
    else:
        return None
    if seconds is None or seconds != seconds or seconds <= 0 or seconds > now + FUTURE_TOLERANCE_S:
        return None
    return seconds


def _epoch(number: float) -> float:
    return number / 1000 if abs(number) >= EPOCH_MS_ABOVE else number


def read_time(text: str) -> float | None:
    """Epoch seconds of an ISO 8601 time or a string of epoch seconds/milliseconds; None if unreadable."""
    return _from_text(text.strip())


def _from_text(text: str) -> float | None:
    if not text:
        return None
    if text[0].isdigit() and text.replace(".", "", 1).isdigit():
        try:
            return _epoch(float(text))
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()
