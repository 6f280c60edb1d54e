"""The one way a log line is prepared for classification, in serving and in training alike."""

from __future__ import annotations

import re
import unicodedata

from log_classifier.config import DEFAULT_MAX_MESSAGE_CHARS
from log_classifier.text.masking import mask_variables
from log_classifier.text.structured import structured_text

_ASCII_LETTER = re.compile(r"[A-Za-z]")


def classification_text(message: str | None, max_chars: int = DEFAULT_MAX_MESSAGE_CHARS) -> str:
    """The part of a line the stages see: compatibility forms folded to their plain characters (NFKC:
    fullwidth `Ｋｅｒｎｅｌ ｐａｎｉｃ` reads as `Kernel panic`), surrounding whitespace stripped, cut to
    `max_chars`; a structured line (logfmt, JSON, CEF, LEEF) read by the fields that carry its meaning.
    Empty when the line has no letters (`{}`, `.`, a NUL, only digits): nothing to classify.

    Only what the stages see changes; every answer echoes the line as it was sent.
    """
    text = (message or "").strip()[:max_chars]
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).strip()[:max_chars]
    text = read_fields(text)[:max_chars]
    return text if has_letters(text) else ""


def read_fields(text: str) -> str:
    """A structured line's meaningful fields composed into one text (`text.structured`); plain text as it is."""
    return structured_text(text)


def has_letters(text: str) -> bool:
    """True when `text` holds at least one letter, of any script."""
    if text.isascii():  # nearly every line: one scan in C
        return _ASCII_LETTER.search(text) is not None
    return any(char.isalpha() for char in text)


def masked_text(message: str | None, max_chars: int = DEFAULT_MAX_MESSAGE_CHARS) -> str:
    """`classification_text`, with its variable parts masked: what the regex rules and the model see."""
    return mask_variables(classification_text(message, max_chars))
