"""Records from log shippers: what Fluent Bit's and Vector's `http` outputs send to `POST /ingest`.

Two body formats, told apart by their first character (shippers label them inconsistently):

- a JSON array of objects (Fluent Bit ``format json``; Vector ``codec = "json"``);
- newline-delimited JSON, one object per line (Fluent Bit ``format json_lines``; Vector ``codec = "json"``
  with ``framing.method = "newline_delimited"``). Blank lines are skipped. A single object, even
  spread over several lines, is one record.

Every error names the line, so a shipper's operator can find the broken record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from log_classifier.errors import InputError, PayloadTooLarge

Record = dict[str, Any]


def parse_records(body: bytes, *, max_records: int) -> list[Record]:
    """The records of a JSON-array or NDJSON body, in order. Raises InputError naming the line."""
    text = _decode(body)
    stripped = text.lstrip()
    if not stripped:
        return []
    records = _parse_array(text) if stripped[0] == "[" else _parse_lines(text, max_records)
    if len(records) > max_records:
        raise PayloadTooLarge(
            f"more than {max_records} records in one request (MAX_JSON_LOGS): "
            "make the shipper send smaller batches"
        )
    return records


def field_text(record: Record, names: Iterable[str]) -> str | None:
    """The first of `names` present in `record` with a non-blank value, as text; None if none is."""
    for name in names:
        value = record.get(name)
        if value is None:
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        if text.strip():
            return text
    return None


def render_line(record: Record, added: Sequence[tuple[str, Any]]) -> str:
    """One NDJSON answer line: the record's fields unchanged, then `added` (an existing key is overwritten)."""
    out = dict(record)
    for key, value in added:
        out[key] = value
    return json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n"


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise InputError(f"line {line}: the body is not UTF-8 text (byte {exc.start})") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _loads(text: str) -> Any:
    # NaN/Infinity would be echoed back as invalid JSON; refuse them like any other syntax error.
    return json.loads(text, parse_constant=_reject_constant)


def _parse_array(text: str) -> list[Record]:
    try:
        value = _loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})") from None
    except ValueError as exc:
        raise InputError(f"not valid JSON: {exc}") from None
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            raise InputError(
                f"array item {index + 1}: a record must be a JSON object, not {_json_type(item)}"
            )
    return value


def _parse_lines(text: str, max_records: int) -> list[Record]:
    records: list[Record] = []
    # Split on \n only: str.splitlines() would also split on U+2028 etc., which JSON strings may hold raw.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.strip()
        if not line:
            continue
        try:
            value = _loads(line)
        except ValueError as exc:
            if not records:
                whole = _single_object(text)
                if whole is not None:
                    return [whole]
            detail = f"{exc.msg} at column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise InputError(f"line {number}: not valid JSON ({detail})") from None
        if not isinstance(value, dict):
            raise InputError(f"line {number}: a record must be a JSON object, not {_json_type(value)}")
        records.append(value)
        if len(records) > max_records:
            break  # parse_records answers 413; no need to read the rest
    return records


def _single_object(text: str) -> Record | None:
    """A body that is one (pretty-printed) JSON object, or None."""
    try:
        value = _loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _json_type(value: Any) -> str:
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    return "null"
