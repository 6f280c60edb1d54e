"""Records from log shippers: what Fluent Bit's and Vector's `http` outputs send to `POST /ingest`.

Two body formats, told apart by their first character (shippers label them inconsistently), both
parsed by the JSON intake (`json_intake.parse_records`, with its limits):

- a JSON array of objects (Fluent Bit ``format json``; Vector ``codec = "json"``);
- newline-delimited JSON, one object per line (Fluent Bit ``format json_lines``; Vector ``codec = "json"``
  with ``framing.method = "newline_delimited"``). Blank lines are skipped. A single object, even
  spread over several lines, is one record.

Here: which field of a record is its message or source, and the answer line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from log_classifier.formats.json_intake import Record, dumps


def field_text(record: Record, names: Iterable[str]) -> str | None:
    """The first of `names` present in `record` with a non-blank value, as text; None if none is.

    true, false and null are not text: the next name is tried. Objects, arrays and numbers are
    their JSON text (`{}` has no letters and comes back Unclassified).
    """
    for name in names:
        value = record.get(name)
        if value is None or isinstance(value, bool):
            continue
        text = value if isinstance(value, str) else dumps(value)
        if text.strip():
            return text
    return None


def render_line(record: Record, added: Iterable[tuple[str, Any]]) -> str:
    """One NDJSON answer line: the record's fields unchanged, then `added` (an existing key is overwritten)."""
    out = dict(record)
    for key, value in added:
        out[key] = value
    return dumps(out) + "\n"
