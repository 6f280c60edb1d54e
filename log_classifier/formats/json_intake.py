"""The one JSON intake: request bodies in, JSON values or records out, every limit held while parsing.

It serves `POST /classify/json`, `POST /ingest` and (issue 20) OTLP JSON; nothing else parses a
request body as JSON. The body comes to it inflated and held to its byte limit by
`api/body_decoders.py` (gzip bombs included). What it guards against, each refused with our own error
(`InputError`, or `PayloadTooLarge` for a limit) whose message says what to fix:

- more records than the limit: counted while parsing, element by element: a 30-million-element
  array of `{}` is refused after `max_records + 1` elements, not after being parsed whole;
- more arrays and objects than `CONTAINERS_PER_RECORD` per allowed record (`{"log": [[],[],…]}`):
  counted before parsing;
- nesting deeper than `MAX_JSON_DEPTH`: 400 (Python's parser would raise RecursionError);
- lone surrogate escapes (`"\\ud800"`: valid JSON, not encodable text): replaced with U+FFFD here,
  so nothing downstream (the encoder, the LLM client, the cache, another request) ever sees one;
- numbers beyond a double (`1e999`) or beyond Python's integer digit limit: kept as their original
  text (`RawNumber`) and written back as sent by `dumps`, never as `Infinity`;
- `NaN` / `Infinity` literals: 400 (they are not JSON).

Why the standard library's parser, driven element by element, rather than an incremental parser
such as ijson: the body is already held to its byte limit before parsing (a few tens of MB at most),
so what an incremental parser saves, not holding the text, is small; what must be bounded is the
number of objects built, and `JSONDecoder.raw_decode` over each element counts them just as early.
Each element is parsed by the C scanner (not by Python-level item building, as ijson's is),
errors keep exact line and column numbers, NDJSON stays one line per record, and the
numbers stay floats and ints (ijson yields Decimals, which would change what is echoed back). No
new dependency.
"""

from __future__ import annotations

import json
import math
import re
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from log_classifier.errors import InputError, PayloadTooLarge

Record = dict[str, Any]

MAX_JSON_DEPTH = 64
"""Deepest nesting of arrays and objects accepted (a record is level 1; OTLP JSON needs about 12)."""
CONTAINERS_PER_RECORD = 100
"""Arrays and objects a body may hold, per record it may hold: `[]` costs 3 bytes on the wire and ~60
in memory, so a body of them, even in one record, would be a memory bomb. Counted as `[` and `{`
characters before parsing (those inside strings too: an upper bound, generous on purpose)."""

_WHITESPACE = re.compile(r"[ \t\n\r]*")
# A surrogate escape (\ud800-\udfff) anywhere: only then are strings walked for lone surrogates.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class JsonLimits:
    """What one body may hold. `bytes_name`, `records_name`, `noun` and `hint` go into the 413s' messages."""

    max_bytes: int
    max_records: int
    bytes_name: str
    records_name: str = "MAX_JSON_LOGS"
    noun: str = "records"
    hint: str = ""
    max_depth: int = MAX_JSON_DEPTH
    syntax_hint: str = ""
    """After a `parse_document` syntax error: what to send instead (`/classify/json`'s shape)."""


class RawNumber:
    """A JSON number a float or int cannot hold (`1e999`), kept as the text that was sent."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"RawNumber({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RawNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def parse_document(body: bytes | bytearray, limits: JsonLimits, *, records_key: str | None = None) -> Any:
    """One JSON value. With `records_key`, the body must be an object, and the array under that key
    is counted element by element (at most `limits.max_records`): `/classify/json`'s `logs`."""
    text = _decode(body)
    start = _skip(text, 0)
    if start == len(text):
        raise InputError(f"the body is empty{limits.syntax_hint or ': send a JSON document'}")
    _check_containers(text, limits)
    fixing = _SURROGATE_ESCAPE.search(text) is not None
    try:
        if records_key is not None and text.startswith("{", start):
            value, end = _scan_object(text, start, records_key, limits)
        else:
            value, end = _value(text, start, limits.max_depth)
        end = _skip(text, end)
        if end != len(text):
            raise json.JSONDecodeError("Extra data", text, end)
    except json.JSONDecodeError as exc:
        if limits.syntax_hint:
            raise InputError(f"the body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
                             f"{limits.syntax_hint}") from None
        raise InputError(f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})") from None
    return _checked(value, limits.max_depth, fixing, where="the body")


def parse_records(body: bytes | bytearray, limits: JsonLimits) -> list[Record]:
    """The records of a JSON-array or NDJSON body (what log shippers send), in order.

    Told apart by the first character: `[` is an array, anything else one object per line (blank
    lines skipped; one pretty-printed object over several lines is one record). Errors name the line.
    """
    text = _decode(body)
    start = _skip(text, 0)
    if start == len(text):
        return []
    _check_containers(text, limits)
    fixing = _SURROGATE_ESCAPE.search(text) is not None
    if text[start] == "[":
        return _parse_array_records(text, start, limits, fixing)
    return _parse_lines(text, limits, fixing)


def dumps(value: Any) -> str:
    """Compact JSON, non-ASCII kept; a `RawNumber` is written as the number text that was sent."""
    raw: list[str] = []

    def keep_raw(obj: object) -> str:
        if isinstance(obj, RawNumber):
            raw.append(obj.text)
            return _RAW_MARK
        raise TypeError(f"{type(obj).__name__} is not JSON serialisable")

    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=keep_raw)
    if not raw:
        return text
    pieces = text.split(_RAW_MARK_JSON)
    out = [pieces[0]]
    for number, piece in zip(raw, pieces[1:], strict=True):
        out.append(number)
        out.append(piece)
    return "".join(out)


# A per-process secret marker stands in for a raw number while json.dumps runs: no client can send it.
_RAW_MARK = f"\x00raw-number-{secrets.token_hex(16)}\x00"
_RAW_MARK_JSON = json.dumps(_RAW_MARK)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _parse_float(text: str) -> float | RawNumber:
    number = float(text)
    return number if math.isfinite(number) else RawNumber(text)


def _parse_int(text: str) -> int | RawNumber:
    # Python refuses to convert more digits than this (a CPU guard): keep such a number as sent.
    limit = sys.get_int_max_str_digits()
    return RawNumber(text) if limit and len(text.lstrip("-")) > limit else int(text)


_DECODER = json.JSONDecoder(parse_float=_parse_float, parse_int=_parse_int, parse_constant=_reject_constant)


def _decode(body: bytes | bytearray) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise InputError(f"line {line}: the body is not UTF-8 text (byte {exc.start})") from None


def _check_containers(text: str, limits: JsonLimits) -> None:
    allowed = max(limits.max_records, 1) * CONTAINERS_PER_RECORD
    containers = text.count("[") + text.count("{")  # C speed; an upper bound (brackets in strings count too)
    if containers > allowed:
        raise PayloadTooLarge(
            f"the body holds up to {containers} JSON arrays and objects; at most {allowed} are accepted "
            f"({CONTAINERS_PER_RECORD} per record of {limits.records_name})"
        )


def _skip(text: str, pos: int) -> int:
    match = _WHITESPACE.match(text, pos)
    return match.end() if match else pos


def _value(text: str, pos: int, max_depth: int = MAX_JSON_DEPTH) -> tuple[Any, int]:
    """One JSON value at `pos` (the C scanner); too deep for it is our 400, not a RecursionError."""
    try:
        return _DECODER.raw_decode(text, pos)
    except RecursionError:
        raise InputError(f"the JSON is nested deeper than {max_depth} levels") from None  # far deeper, in fact
    except json.JSONDecodeError:
        raise
    except ValueError as exc:  # NaN / Infinity: reported like any other syntax error
        raise json.JSONDecodeError(str(exc), text, pos) from None


def _too_many(limits: JsonLimits) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"at least {limits.max_records + 1} {limits.noun} in one request; the limit is {limits.max_records} "
        f"({limits.records_name}){limits.hint}"
    )


def _scan_array(text: str, pos: int, limits: JsonLimits, check: Callable[[Any, int], None]) -> tuple[list, int]:
    """The array at `pos`, element by element: more than `limits.max_records` stops at once."""
    items: list[Any] = []
    pos = _skip(text, pos + 1)
    if text.startswith("]", pos):
        return items, pos + 1
    while True:
        if len(items) == limits.max_records:
            raise _too_many(limits)
        item, pos = _value(text, pos, limits.max_depth)
        check(item, len(items))
        items.append(item)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("]", pos):
            return items, pos + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)


def _scan_object(text: str, pos: int, records_key: str, limits: JsonLimits) -> tuple[dict, int]:
    """The object at `pos`; its member `records_key`, an array, is scanned by `_scan_array`."""
    members: dict[str, Any] = {}
    pos = _skip(text, pos + 1)
    if text.startswith("}", pos):
        return members, pos + 1
    while True:
        if not text.startswith('"', pos):
            raise json.JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
        name, pos = _value(text, pos, limits.max_depth)
        pos = _skip(text, pos)
        if not text.startswith(":", pos):
            raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
        pos = _skip(text, pos + 1)
        if name == records_key and text.startswith("[", pos):
            members[name], pos = _scan_array(text, pos, limits, lambda item, index: None)
        else:
            members[name], pos = _value(text, pos, limits.max_depth)
        pos = _skip(text, pos)
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
        elif text.startswith("}", pos):
            return members, pos + 1
        else:
            raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)


def _parse_array_records(text: str, start: int, limits: JsonLimits, fixing: bool) -> list[Record]:
    def must_be_object(item: Any, index: int) -> None:
        if not isinstance(item, dict):
            raise InputError(f"array item {index + 1}: a record must be a JSON object, not {_json_type(item)}")

    try:
        records, end = _scan_array(text, start, limits, must_be_object)
        end = _skip(text, end)
        if end != len(text):
            raise json.JSONDecodeError("Extra data", text, end)
    except json.JSONDecodeError as exc:
        raise InputError(f"line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})") from None
    return [_checked(record, limits.max_depth, fixing, where=f"array item {i + 1}") for i, record in enumerate(records)]


def _parse_lines(text: str, limits: JsonLimits, fixing: bool) -> list[Record]:
    records: list[Record] = []
    number, pos = 0, 0
    # Split on \n only (str.splitlines() would also split on U+2028 etc., which JSON strings may hold
    # raw), one line at a time: a body of 30 million lines is never split into a list of them.
    while pos < len(text):
        newline = text.find("\n", pos)
        end = len(text) if newline < 0 else newline
        number += 1
        line = text[pos:end].strip()
        pos = end + 1
        if not line:
            continue
        if len(records) == limits.max_records:
            raise _too_many(limits)
        try:
            value, stop = _value(line, 0, limits.max_depth)
            if stop != len(line):
                raise json.JSONDecodeError("Extra data", line, stop)
        except json.JSONDecodeError as exc:
            if not records:
                whole = _single_object(text, limits, fixing)
                if whole is not None:
                    return [whole]
            raise InputError(f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})") from None
        except InputError as exc:
            raise InputError(f"line {number}: {exc}") from None
        if not isinstance(value, dict):
            raise InputError(f"line {number}: a record must be a JSON object, not {_json_type(value)}")
        records.append(_checked(value, limits.max_depth, fixing, where=f"line {number}"))
    return records


def _single_object(text: str, limits: JsonLimits, fixing: bool) -> Record | None:
    """A body that is one (pretty-printed) JSON object, or None."""
    try:
        value, end = _value(text, _skip(text, 0), limits.max_depth)
    except (ValueError, InputError):
        return None
    if _skip(text, end) != len(text) or not isinstance(value, dict):
        return None
    return _checked(value, limits.max_depth, fixing, where="line 1")


def _checked(value: Any, max_depth: int, fix_surrogates: bool, *, where: str) -> Any:
    """`value` with lone surrogates replaced by U+FFFD (when the text had surrogate escapes); deeper
    than `max_depth` is a 400. Iterative: a deep value cannot exhaust the stack here."""
    if not isinstance(value, (dict, list)):
        return _clean_string(value) if fix_surrogates and isinstance(value, str) else value
    stack: list[tuple[dict | list, int]] = [(value, 1)]
    while stack:
        container, depth = stack.pop()
        if depth > max_depth:
            raise InputError(f"{where}: the JSON is nested deeper than {max_depth} levels")
        if isinstance(container, dict):
            if fix_surrogates and any(_LONE_SURROGATE.search(key) for key in container):
                items = [(_clean_string(key), item) for key, item in container.items()]
                container.clear()
                container.update(items)
            for key, item in container.items():
                if isinstance(item, (dict, list)):
                    stack.append((item, depth + 1))
                elif fix_surrogates and isinstance(item, str):
                    container[key] = _clean_string(item)
        else:
            for index, item in enumerate(container):
                if isinstance(item, (dict, list)):
                    stack.append((item, depth + 1))
                elif fix_surrogates and isinstance(item, str):
                    container[index] = _clean_string(item)
    return value


def _clean_string(text: str) -> str:
    return _LONE_SURROGATE.sub("\ufffd", text)


def _json_type(value: Any) -> str:
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float, RawNumber)):
        return "a number"
    if isinstance(value, list):
        return "an array"
    return "null"
