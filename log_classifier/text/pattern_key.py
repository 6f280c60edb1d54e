"""The pattern key: what makes two log lines "the same kind of line" everywhere in the product.

A pattern is (source, header severity, masked message). The severity is part of it because
masking hides the digits that state it (`%LINK-1-…` and `%LINK-6-…`, syslog `<11>` and `<14>`
mask alike) while the model reads it: without it the first line of a shape would decide the label
of every later one, whatever severity they state. The cascade's grouping, its result cache and
single-flight, the Spark job and the pattern store's ids all take their key from here.
"""

from __future__ import annotations

import hashlib
from typing import NamedTuple

from log_classifier.text.masking import mask_variables
from log_classifier.text.severity import masked_severity_digits, read_severity

PATTERN_ID_CHARS = 16
"""Hex characters of a pattern id (64 bits of SHA-256): stable across processes, hosts and versions."""


class PatternKey(NamedTuple):
    """One pattern: the row's source, its header severity (`read_severity`) and its masked message."""

    source: str
    severity: str
    masked: str


def pattern_key(source: str | None, text: str, masked: str | None = None) -> PatternKey:
    """The key of a line already prepared for classification (`classification_text`).

    `masked` may be given when the caller has masked `text` already (it must be `mask_variables(text)`).
    """
    return PatternKey(source or "", read_severity(text), mask_variables(text) if masked is None else masked)


class PatternKeys:
    """`pattern_key` for the many lines of one batch, each distinct text masked once and the header
    severity read once per masked text and severity digits (`masked_severity_digits`): reading it is
    the dearest step of keying (docs/performance.md), and lines of one shape state it alike."""

    def __init__(self) -> None:
        self._by_text: dict[str, PatternKey] = {}
        self._severity: dict[tuple[str, tuple[str | None, str | None]], str] = {}

    def __call__(self, source: str | None, text: str) -> PatternKey:
        key = self._by_text.get(text)
        if key is None:
            masked = mask_variables(text)
            shape = (masked, masked_severity_digits(text))
            severity = self._severity.get(shape)
            if severity is None:
                severity = self._severity[shape] = read_severity(text)
            key = self._by_text[text] = PatternKey(source or "", severity, masked)
        if key.source != (source or ""):
            key = key._replace(source=source or "")
        return key


def pattern_id(key: PatternKey) -> str:
    """A stable id for `key`: the same in every process and host (no salted `hash()`)."""
    joined = "\x1f".join(key).encode("utf-8", "surrogatepass")
    return hashlib.sha256(joined).hexdigest()[:PATTERN_ID_CHARS]
