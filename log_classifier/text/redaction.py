"""Redact personal data and credentials from log text before it leaves the machine: the LLM stage's
input and the samples in alert webhooks, the same rules for both.

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

_SECRET_KEYS = (
    r"passw(?:or)?d|passphrase|pwd|secret(?:[_-]?key)?|token|api[_-]?key|access[_-]?key|private[_-]?key"
    r"|sess(?:ion)?[_-]?id|auth[_-]?key"
)
# Short names that would match inside ordinary words ("bypass", "compass"): a whole word or after _ . -
_SHORT_SECRET_KEYS = r"pass|pw|sid"
_PASSWORD_WORDS = r"passw(?:or)?d|passphrase|pwd|pass"
# Not a password after "with password ...": the words that follow it in ordinary messages.
_NOT_A_PASSWORD = (
    r"(?:auth\w*|expired|reset|change\w*|policy|login|based|for|from|of|and|or|is|was|that|which|mismatch"
    r"|failed|failure|incorrect|invalid|wrong|prompt|length|hash\w*|<[A-Z]+>)\b"
)

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
        "uri_credentials",
        # postgres://user:pw@host, mongodb+srv://user:pw@..., redis://:pw@host: the password only.
        re.compile(r"(?P<prefix>\b[a-z][a-z0-9+.-]*://[^\s:/?#@]*:)(?P<value>[^\s@/?#]+)@", re.IGNORECASE),
        lambda m: f"{m['prefix']}{SECRET}@",
    ),
    RedactionRule(
        "secret_key_value",
        # password=x, "api_key": "x", db_passwd: x, X-Api-Key: x, ?token=x&..., pass=x, sessionid=x
        re.compile(
            rf"""(?P<key>\b(?:[\w.-]*(?:{_SECRET_KEYS})|(?:[\w.-]*[_.-])?(?:{_SHORT_SECRET_KEYS}))["']?)"""
            r"""(?P<sep>\s*[=:]\s*)(?P<value>"[^"]*"|'[^']*'|[^\s,;&"']+)""",
            re.IGNORECASE,
        ),
        _keep_key_mask_value,
    ),
    RedactionRule(
        "password_is_quoted",
        # password is 'x', secret was "x", password set to 'x' (unquoted "password is expired" stays)
        re.compile(
            rf"""(?P<key>\b(?:{_PASSWORD_WORDS}|secret|token))(?P<sep>\s+(?:is|was|set\s+to|=)\s*:?\s*)"""
            r"""(?P<value>"[^"]*"|'[^']*')""",
            re.IGNORECASE,
        ),
        _keep_key_mask_value,
    ),
    RedactionRule(
        "with_password",
        # "logged in with password hunter2": the word after "with password" is the password.
        re.compile(
            rf"""(?P<key>\bwith\s+(?:the\s+)?(?:{_PASSWORD_WORDS}))(?P<sep>\s+)(?!{_NOT_A_PASSWORD})"""
            r"""(?P<value>"[^"]*"|'[^']*'|[^\s,;"']+)""",
            re.IGNORECASE,
        ),
        _keep_key_mask_value,
    ),
    RedactionRule(
        "authorization_header",
        # Authorization: Basic dXNlcjpwYXNz (Bearer has its own rule below, which keeps <TOKEN>)
        re.compile(
            r"(?P<key>\b(?:Proxy-)?Authorization[\"']?\s*[:=]\s*[\"']?(?!Bearer\b)(?:[A-Za-z-]+\s+)?)"
            r"(?P<value>[^\s,;\"']+)",
            re.IGNORECASE,
        ),
        lambda m: f"{m['key']}{SECRET}",
    ),
    RedactionRule(
        "basic_credentials",
        # Basic <base64>, wherever it is (needs a digit, + / or = so that "Basic authentication" stays)
        re.compile(r"\b(?P<scheme>Basic)\s+(?=[A-Za-z0-9+/]*[\d+/=])[A-Za-z0-9+/]{8,}=*"),
        lambda m: f"{m['scheme']} {SECRET}",
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
        "aws_secret_key",
        # 40 characters of base64 (AWS secret access keys hold / and +), mixing cases and digits.
        re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"),
        _mask_if_random,
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
    keys, AWS secret keys, random-looking tokens, passwords in URIs, ``Authorization`` credentials,
    values of ``password=``/``pass=``/``secret_key=``/``sessionid=``/``token=``/``api_key=``...,
    ``password is '...'``, ``with password ...``). Apply it to the whole text, then cut: a cut first
    can split a secret so that its rule no longer matches.
    """
    for rule in RULES:
        text = rule.pattern.sub(rule.replacement, text)
    return text
