"""Redact personal data and credentials from log text before it leaves the machine (LLM stage).

The rules are data: a name, a pattern compiled once, and a replacement, applied in order. Order
matters: key/value secrets go first so that ``token=eyJ...`` becomes ``token=<SECRET>`` rather
than a half-masked JWT, and IPv6 goes before IPv4 so ``::ffff:10.0.0.1`` is one ``<IP>``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

EMAIL = "<EMAIL>"
IP = "<IP>"
TOKEN = "<TOKEN>"
SECRET = "<SECRET>"

# A "random-looking" token: at least this long and mixing upper case, lower case and digits.
# Lower-case hex (hashes, UUIDs) is left alone: it identifies things, it does not unlock them.
MIN_RANDOM_TOKEN_LENGTH = 24

_SECRET_KEYS = r"passw(?:or)?d|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key"

_IPV4 = r"(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_H = r"[0-9a-f]{1,4}"
_IPV6 = "|".join(
    (
        rf"(?:{_H}:){{7}}{_H}",
        rf"(?:{_H}:){{1,4}}:{_IPV4}",
        rf"::(?:ffff(?::0{{1,4}})?:)?{_IPV4}",
        rf"(?:{_H}:){{1,6}}(?::{_H}){{1,6}}",
        rf"(?:{_H}:){{1,7}}:",
        rf":(?::{_H}){{1,7}}",
    )
)


@dataclass(frozen=True, slots=True)
class RedactionRule:
    """One redaction: every match of ``pattern`` is replaced by ``replacement``."""

    name: str
    pattern: re.Pattern[str]
    replacement: str | Callable[[re.Match[str]], str]


def _keep_key_mask_value(match: re.Match[str]) -> str:
    value = match["value"]
    quote = value[0] if value[:1] in ("'", '"') else ""
    return f"{match['key']}{match['sep']}{quote}{SECRET}{quote}"


def _mask_if_random(match: re.Match[str]) -> str:
    text = match[0]
    looks_random = (
        any(c.isupper() for c in text) and any(c.islower() for c in text) and any(c.isdigit() for c in text)
    )
    return SECRET if looks_random else text


RULES: tuple[RedactionRule, ...] = (
    RedactionRule(
        "secret_key_value",
        # password=x, "api_key": "x", db_passwd: x, X-Api-Key: x, ?token=x&...
        re.compile(
            rf"""(?P<key>\b[\w.-]*(?:{_SECRET_KEYS})["']?)(?P<sep>\s*[=:]\s*)"""
            r"""(?P<value>"[^"]*"|'[^']*'|[^\s,;&"']+)""",
            re.IGNORECASE,
        ),
        _keep_key_mask_value,
    ),
    RedactionRule(
        "bearer_token",
        # The lookahead wants a digit or symbol so that "Bearer token expired" stays readable.
        re.compile(r"\b(?P<scheme>Bearer)\s+(?=[\w\-.~+/]*[\d\-.~+/])[\w\-.~+/]{8,}=*", re.IGNORECASE),
        lambda m: f"{m['scheme']} {TOKEN}",
    ),
    RedactionRule(
        "jwt",
        re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),
        TOKEN,
    ),
    RedactionRule(
        "api_key",
        # AWS access key ids, OpenAI/Anthropic-style sk-..., Groq gsk_..., GitHub tokens.
        re.compile(
            r"\b(?:(?:AKIA|ASIA)[0-9A-Z]{16}|sk-[A-Za-z0-9_-]{16,}|gsk_[A-Za-z0-9]{16,}"
            r"|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})\b"
        ),
        SECRET,
    ),
    RedactionRule(
        "email",
        re.compile(r"\b[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b"),
        EMAIL,
    ),
    RedactionRule(
        "ipv6",
        re.compile(rf"(?<![\w:.])(?:{_IPV6})(?![\w:]|\.\d)", re.IGNORECASE),
        IP,
    ),
    RedactionRule(
        "ipv4",
        re.compile(rf"(?<![\w.]){_IPV4}(?!\w|\.\d)"),
        IP,
    ),
    RedactionRule(
        "random_token",
        re.compile(rf"(?<![\w-])[A-Za-z0-9_-]{{{MIN_RANDOM_TOKEN_LENGTH},}}(?![\w-])"),
        _mask_if_random,
    ),
)
"""The rules, in the order they are applied."""


def redact(text: str) -> str:
    """Return ``text`` with e-mails, IP addresses, tokens, API keys and secret values masked.

    Placeholders: ``<EMAIL>``, ``<IP>``, ``<TOKEN>`` (bearer tokens, JWTs) and ``<SECRET>`` (API
    keys, random-looking tokens, values of ``password=``/``secret=``/``token=``/``api_key=``...).
    """
    for rule in RULES:
        text = rule.pattern.sub(rule.replacement, text)
    return text
