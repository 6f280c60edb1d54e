"""The one way a log line is prepared for classification, in serving and in training alike."""

from __future__ import annotations

from log_classifier.text.masking import mask_variables
from log_classifier.text.structured import structured_text

DEFAULT_MAX_MESSAGE_CHARS = 2000
"""Classification sees at most this much of a line (MAX_MESSAGE_CHARS); the output keeps it whole."""


def classification_text(message: str | None, max_chars: int = DEFAULT_MAX_MESSAGE_CHARS) -> str:
    """The part of a line the stages see: surrounding whitespace stripped, cut to `max_chars`; a
    structured line (logfmt, JSON, CEF, LEEF) read by the fields that carry its meaning."""
    text = (message or "").strip()[:max_chars]
    return read_fields(text)[:max_chars]


def read_fields(text: str) -> str:
    """A structured line's meaningful fields composed into one text (`text.structured`); plain text as it is."""
    return structured_text(text)


def masked_text(message: str | None, max_chars: int = DEFAULT_MAX_MESSAGE_CHARS) -> str:
    """`classification_text`, with its variable parts masked: what the regex rules and the model see."""
    return mask_variables(classification_text(message, max_chars))
