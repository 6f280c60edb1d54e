"""The one way a log line is prepared for classification, in serving and in training alike."""

from __future__ import annotations

from log_classifier.text.masking import mask_variables

DEFAULT_MAX_MESSAGE_CHARS = 2000
"""Classification sees at most this much of a line (MAX_MESSAGE_CHARS); the output keeps it whole."""


def classification_text(message: str | None, max_chars: int = DEFAULT_MAX_MESSAGE_CHARS) -> str:
    """The part of a line the stages see: surrounding whitespace stripped, cut to `max_chars`."""
    return (message or "").strip()[:max_chars]


def masked_text(message: str | None, max_chars: int = DEFAULT_MAX_MESSAGE_CHARS) -> str:
    """`classification_text`, with its variable parts masked: what the regex rules and the model see."""
    return mask_variables(classification_text(message, max_chars))
