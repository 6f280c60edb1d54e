"""`read_header`: the severity a log line's header states, normalised across formats, and the
header's family.

Severity buckets: ``info`` (trace, debug, info, notice, PostgreSQL LOG, MySQL Note/System, syslog
5-7), ``warning`` (syslog 4), ``error`` (syslog 3, java.util.logging SEVERE, .NET ``fail``) and
``critical`` (syslog 0-2: emerg, alert, crit; fatal, panic), or ``none`` when the line states no
severity. Read from the raw line (masking turns a Cisco ``%LINK-3-UPDOWN`` or a syslog ``<131>``
into placeholders), and only where headers put it: in front of the message, in brackets, as a
``level=`` field, or as a Cisco/ASA message id, so an "error" inside the message text does not
count.

Formats, in the order tried (first match wins; each is data, compiled once):
Cisco IOS/ASA/NX-OS ``%FAC-N-MNEMONIC``, syslog PRI, JSON ``level``/``severity``/MongoDB ``s`` fields, logfmt
``level=``, Go/klog ``E0102``, Android logcat, MongoDB legacy, Redis, PostgreSQL ``ERROR:``, MySQL
and MariaDB ``[Note]``, ClickHouse ``<Error>``, NATS ``[ERR]``, BIND ``category: severity:``,
Unbound, Windows event levels, CBS, macOS unified log, .NET ``fail:``, bracketed words (nginx,
Apache ``[core:error]``, Envoy, Elasticsearch, HAProxy ``[ALERT]``, ...) and bare upper-case
words after a timestamp (log4j, logback, Python logging, OpenStack, Hadoop, Spark, ZooKeeper,
Kafka, Tomcat ``SEVERE``, BGL ``FATAL``).
"""

from __future__ import annotations

import re
from typing import NamedTuple

SEVERITIES = ("info", "warning", "error", "critical")
"""The buckets a stated severity falls in; a line stating none is "none"."""
NO_SEVERITY = "none"
HEAD_CHARS = 200
"""Only the start of a line is read: headers are short, and messages may quote other lines."""

_WORDS = {
    **dict.fromkeys(("trace", "trc", "debug", "dbug", "dbg", "debug1", "debug2", "debug3", "debug4", "debug5",
                     "verbose", "v", "d", "t", "i", "info", "inf", "information", "informational", "notice",
                     "note", "system", "log", "default", "trce", "*", ".", "-", "statement", "detail", "hint"),
                    "info"),
    **dict.fromkeys(("warn", "warning", "wrn", "w", "#"), "warning"),
    **dict.fromkeys(("error", "err", "e", "fail", "severe", "failure"), "error"),
    **dict.fromkeys(("crit", "critical", "alert", "emerg", "emergency", "fatal", "panic", "f", "ftl", "fault",
                     "a", "fatal error"), "critical"),
}
_SYSLOG_NUMBER = ("critical", "critical", "critical", "error", "warning", "info", "info", "info")

_LEVEL_WORD = r"(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|FATAL|FAILURE|CRITICAL|CRIT|ALERT|EMERG|PANIC)"
_LEVEL_WORD_ANY_CASE = r"(?i:trace|debug|info|information|notice|warn|warning|error|err|crit|critical|alert|emerg|fatal|severe|panic)"
_TS = r"\d{2,4}[-/.]\d{1,2}[-/.]\d{1,4}[ T]\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"

# (family, pattern with a named group: "pri" or "num" (0-7) or "lvl" (a level word)).
_FORMATS: tuple[tuple[str, str], ...] = (
    ("cisco", r"%(?:[A-Z][A-Z0-9_]*-)+(?P<num>[0-7])-[A-Z0-9_]+\b"),
    ("syslog-pri", r"^<(?P<pri>\d{1,3})>"),
    ("json", r"^\{.*?\"(?:level|severity|lvl|levelname|log\.level|loglevel|s)\"\s*:\s*\"(?P<lvl>[A-Za-z]+)\""),
    ("logfmt", r"(?:^|\s)(?:level|lvl|severity|loglevel)=\"?(?P<lvl>[A-Za-z]+)"),
    ("klog", r"^(?P<lvl>[IWEF])\d{4} \d{2}:\d{2}:\d{2}\.\d+"),
    ("logcat", r"^\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}\s+\d+\s+\d+ (?P<lvl>[VDIWEFA]) "),
    ("mongodb", r"^\d{4}-\d{2}-\d{2}T[\d:.]+[+-]\d{4} (?P<lvl>[IWEFD]) "),
    ("redis", r"^\d+:[MSCX] \d{1,2} [A-Z][a-z]{2} \d{4} [\d:.]+ (?P<lvl>[.*#-]) "),
    ("postgresql", r"(?:^|\s)(?P<lvl>LOG|WARNING|ERROR|FATAL|PANIC|NOTICE|INFO|DEBUG[1-5]?|STATEMENT|DETAIL|HINT):  "),
    ("mysql", r"^[\d:TZ.\- ]+ \d+ \[(?P<lvl>Note|Warning|ERROR|System)\]"),
    ("clickhouse", r"<(?P<lvl>Trace|Debug|Information|Notice|Warning|Error|Critical|Fatal)>"),
    ("nats", r"\[(?P<lvl>INF|WRN|ERR|FTL|DBG|TRC)\]"),
    ("bind", r"^\d{2}-[A-Z][a-z]{2}-\d{4} [\d:.]+ (?:[\w-]+: )?(?P<lvl>debug|info|notice|warning|error|critical)(?: \d+)?: "),
    ("unbound", r"^\[\d+\] [\w-]+\[\d+:\d+\] (?P<lvl>debug|info|notice|warning|error|fatal error): "),
    ("windows", r"^(?P<lvl>Information|Warning|Error|Critical|Verbose)\t|^" + _TS + r" (?P<lvl2>Information|Warning|Error|Critical) "),
    ("windows-cbs", r"^" + _TS + r", (?P<lvl>Info|Warning|Error)\s"),
    ("macos", r"^" + _TS + r" 0x[0-9a-f]+\s+(?P<lvl>Default|Info|Debug|Error|Fault)\s"),
    ("dotnet", r"^(?P<lvl>trce|dbug|info|warn|fail|crit): "),
    ("bracketed", r"\[\s*(?:\w+:)?(?P<lvl>" + _LEVEL_WORD_ANY_CASE + r")\s*\]"),
    ("plain", r"(?:^|[\s|\-\]}])(?P<lvl>" + _LEVEL_WORD + r")(?=[\s:|\-\[]|$)"),
)
_COMPILED = tuple((family, re.compile(pattern)) for family, pattern in _FORMATS)

# Header shapes without a severity word: the family is still worth reporting.
_PLAIN_FAMILIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (family, re.compile(pattern)) for family, pattern in (
        ("syslog", r"^[A-Z][a-z]{2}\s+\d{1,2} \d{2}:\d{2}:\d{2}\s+\S+ [^\s:]+:"),
        ("syslog", r"^\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2}) \S+ [^\s:]+:"),
        ("timestamped", r"^\[?" + _TS),
        ("timestamped", r"^\[?[A-Z][a-z]{2},? [A-Z][a-z]{2} \d{1,2} \d{2}:\d{2}:\d{2}"),
    )
)


class LineHeader(NamedTuple):
    """What a line's header says: its format family ("bare" when none is recognised) and severity."""

    family: str
    severity: str


def read_header(line: str) -> LineHeader:
    """The header family and the normalised severity (one of `SEVERITIES`, or "none") of `line`."""
    head = line[:HEAD_CHARS].lstrip()
    for family, pattern in _COMPILED:
        match = pattern.search(head)
        if match is None:
            continue
        severity = _severity(match)
        if severity is not None:
            return LineHeader(family, severity)
    for family, pattern in _PLAIN_FAMILIES:
        if pattern.search(head):
            return LineHeader(family, NO_SEVERITY)
    return LineHeader("bare", NO_SEVERITY)


_HIDDEN_BY_MASKING = (re.compile(dict(_FORMATS)["syslog-pri"]), re.compile(dict(_FORMATS)["cisco"]))


def masked_severity_digits(line: str) -> tuple[str | None, str | None]:
    """The digits of `line`'s header that state a severity and that masking hides: the syslog PRI and a
    Cisco `%FAC-N-` level. Every other severity `read_header` reads is a word, which masking keeps, so two
    lines with one masked text and the same digits here state the same severity (`text.pattern_key`
    reads it once for them)."""
    head = line[:HEAD_CHARS].lstrip()
    pri = _HIDDEN_BY_MASKING[0].match(head) if head.startswith("<") else None
    cisco = _HIDDEN_BY_MASKING[1].search(head) if "%" in head else None
    return (pri.group("pri") if pri else None, cisco.group("num") if cisco else None)


def read_severity(line: str) -> str:
    """The normalised severity of `line`'s header: one of `SEVERITIES`, or "none"."""
    return read_header(line).severity


def severity_of_word(word: str) -> str | None:
    """The bucket a severity word names ("warn" -> "warning"), or None for a word that names none."""
    return _WORDS.get(word.strip().lower())


def _severity(match: re.Match[str]) -> str | None:
    groups = match.groupdict()
    if groups.get("pri") is not None:
        pri = int(groups["pri"])
        return _SYSLOG_NUMBER[pri % 8] if pri < 192 else None
    if groups.get("num") is not None:
        return _SYSLOG_NUMBER[int(groups["num"])]
    word = groups.get("lvl") or groups.get("lvl2")
    return _WORDS.get(word.lower()) if word else None
