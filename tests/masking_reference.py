"""The masking implementation as it was before the rules moved to resources/masking_rules.yaml.

Frozen, never imported by the service: tests/test_masking.py uses it as the oracle of a
differential test (the new engine must give the same output on every line).
"""

from __future__ import annotations

import re

_HTTP_HINT = re.compile(r"HTTP/\d|\b(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)\b|\bstatus\b", re.IGNORECASE)
# A 3-digit status code in an HTTP line: after a status word, after the request's closing quote or
# protocol, before a reason phrase, or right after a path. Placeholder text avoids digits.
_STATUS_CODE = re.compile(
    r"(?:(?<=status)|(?<=status:)|(?<=status=)|(?<=code)|(?<=code:)|(?<=code=)|(?<=\")|(?<=HTTP/1\.0)"
    r"|(?<=HTTP/1\.1)|(?<=HTTP/2)|(?<=HTTP/2\.0)|(?<=<PATH>)|(?<=<URL>)|(?<=\bin)|(?<=->))(\s*)([1-5]\d\d)\b"
    r"|\b([1-5]\d\d)(?=\s+(?:OK|Created|Accepted|No Content|Moved|Found|Not Modified|Bad Request|Unauthorized"
    r"|Forbidden|Not Found|Method Not Allowed|Conflict|Gone|Too Many Requests|Internal Server Error"
    r"|Bad Gateway|Service Unavailable|Gateway Timeout)\b)",
    re.IGNORECASE,
)
# Status codes are hidden from the number rule as letters between NUL bytes (no digits left).
_DIGITS_TO_LETTERS = str.maketrans("0123456789", "abcdefghij")
_LETTERS_TO_DIGITS = str.maketrans("abcdefghij", "0123456789")
_SENTINEL_BACK = re.compile(r"\x00([a-j]{3})\x00")

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*"

# (placeholder, pattern), applied in this order. Earlier rules protect their text from later ones.
# Phase 1 finds structured tokens; then HTTP status codes are protected; phase 2 masks the rest.
_PHASE_1: tuple[tuple[str, str], ...] = (
    ("<URL>", r"\b[a-z][a-z0-9+.-]*://[^\s\"'<>]+"),
    ("<EMAIL>", r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),
    # timestamps: ISO 8601, Apache, syslog
    ("<TS>", r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b"),
    ("<TS>", r"\[?\d{2}/" + _MONTH + r"/\d{4}:\d{2}:\d{2}:\d{2}(?:\s[+-]\d{4})?\]?"),
    ("<TS>", r"\b" + _MONTH + r"\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:\s+\d{4})?\b"),
    ("<TS>", r"\b\d{1,2}\s" + _MONTH + r"\s\d{4}(?:\s\d{2}:\d{2}:\d{2}(?:\.\d+)?)?\b"),
    ("<UUID>", r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"),
    ("<MAC>", r"\b[0-9a-fA-F]{2}(?::[0-9a-fA-F]{2}){5}\b"),
    # IPv6 needs "::" or all eight groups, so clock times like 12:00:00 are not taken for one
    ("<IP>", r"(?<![\w:])(?:[0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}(?![\w:])"
             r"|(?<![\w:])(?=[0-9a-fA-F:]*\d)(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?::(?:[0-9a-fA-F]{1,4}(?::[0-9a-fA-F]{1,4})*)?"
             r"(?:%\w+)?(?![\w:])"),
    ("<IP>", r"(?<![\d.])/?(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?![\d.])"),
    # other dates (after IPs, which look like dotted dates) and clock times
    # dates need a 4-digit year (or d/m/yy with slashes), so versions like 1.21.18 stay numbers
    ("<TS>", r"\b(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{1,2}/\d{1,2}/\d{2})"
             r"(?:[T\s-]\d{1,2}[:.]\d{2}[:.]\d{2}(?:[.,:]\d+)?)?\b"),
    ("<TS>", r"\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b"),
    ("<PATH>", r"(?<![\w/<>])(?:[A-Za-z]:\\|\\\\)[^\s\"'<>,;]+"),
    ("<PATH>", r"(?<![\w/<>.])(?:~|\.{1,2})?/(?:[\w.@%+=~-]+/?)+(?:\?[^\s\"']*)?"),
)
_PHASE_2: tuple[tuple[str, str], ...] = (
    ("<HEX>", r"\b0x[0-9a-fA-F]+\b"),
    ("<HEX>", r"\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{8,}\b"),
    # user and host names where common formats put them; the prefix (group "pre") is kept
    ("<USER>", r"(?P<pre>\b(?:for invalid user|invalid user|for user|illegal user) |\b(?:r?user|logname|username)=|\busername: ?)"
               r"(?!<)[^\s,;]+"),
    ("<USER>", r"(?P<pre>\bfor )(?!invalid\b|user\b|<)[\w.@-]+(?= from\b)"),
    ("<USER>", r"(?P<pre>\b[Uu]ser )(?!<)[\w.@-]*\d[\w.@-]*"),
    ("<HOST>", r"(?P<pre>\b(?:rhost|host|hostname)=)(?!<)[^\s,;]+"),
    ("<NUM>", r"(?<![A-Za-z\d])[-+]?\d+(?:[.,]\d+)*"),  # fixed with the rules file: no start inside digits
    ("<NUM>", r"(?<=[A-Za-z_])\d+(?:\.\d+)*"),
)
# A rule is only tried when its hint occurs in the text (a cheap substring test first).
_HINTS = {
    "<URL>": "://", "<EMAIL>": "@", "<MAC>": ":", "<UUID>": "-",
}


def _compile(rules: tuple[tuple[str, str], ...]) -> tuple[tuple[str, re.Pattern[str], str], ...]:
    compiled = []
    for placeholder, pattern in rules:
        regex = re.compile(pattern)
        replacement = r"\g<pre>" + placeholder if "pre" in regex.groupindex else placeholder
        compiled.append((replacement, regex, _HINTS.get(placeholder, "")))
    return tuple(compiled)


_COMPILED_1 = _compile(_PHASE_1)
_COMPILED_2 = _compile(_PHASE_2)
_SPACES = re.compile(r"\s+")
_REPEATS = re.compile(r"(<(?:NUM|HEX|IP|PATH)>)(?:[\s,:;_.-]*\1)+")


def mask_variables(message: str) -> str:
    """Return `message` with variable tokens replaced by placeholders such as ``<IP>`` and ``<NUM>``."""
    text = message
    for replacement, pattern, hint in _COMPILED_1:
        if hint in text:
            text = pattern.sub(replacement, text)
    if _HTTP_HINT.search(text):
        text = _STATUS_CODE.sub(_hide_status_code, text)
    for replacement, pattern, hint in _COMPILED_2:
        if hint in text:
            text = pattern.sub(replacement, text)
    text = _REPEATS.sub(r"\1", text)
    if "\x00" in text:
        text = _SENTINEL_BACK.sub(lambda match: match.group(1).translate(_LETTERS_TO_DIGITS), text)
    return _SPACES.sub(" ", text).strip()


def _hide_status_code(match: re.Match[str]) -> str:
    if match.group(2):
        return match.group(1) + "\x00" + match.group(2).translate(_DIGITS_TO_LETTERS) + "\x00"
    return "\x00" + match.group(3).translate(_DIGITS_TO_LETTERS) + "\x00"
