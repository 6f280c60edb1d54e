"""`read_structured`: a structured log line read by the fields that carry its meaning.

Many log lines are records, not sentences: logfmt and other key=value lines (Go services,
firewalls, UTMs, Linux audit), JSON objects (applications, Kubernetes controllers, cloud audit
trails, IDS feeds) and SIEM feeds in CEF or LEEF. Their ids, addresses and counters outnumber the
words that decide the category, and each varying field would make a new pattern. So such a line is
classified from a short text composed of its meaningful fields, named in one alias table kept as
data (`resources/structured_fields.yaml`): the severity it states (CEF/LEEF 0-10, pino levels and
level words alike, written as ``level=<bucket>`` where `severity.read_severity` reads it), the text
in front of the record (a syslog header, a program name), the CEF/LEEF product, the event kind, the
HTTP request, the outcome, the message, free words between the fields and the error. The rest is
dropped. Everything else in the product (masking, the pattern key, the stages) sees that text; the
caller keeps the line itself.

Formats, tried in this order, each only where a cheap test allows it (plain lines cost three
substring tests): CEF (``CEF:n|vendor|product|version|class|name|severity|extension``, escaped
``\\|`` and ``\\=``, missing header fields read as far as they go), LEEF 1.0/2.0 (its own attribute
delimiter), a JSON object (the standard library's parser; after any prefix), and key=value (quoted
values with escapes, ``key=`` empty, one level of a quoted value that is itself key=value, as in
Linux audit's ``msg='op=login ... res=failed'``). A line that is not clearly a record stays plain:
JSON that does not parse, fewer than two pairs, pairs outnumbered by the words around them (a
sentence with one ``a=b``), or a record without any field of meaning. Never an error.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from log_classifier.config import STRUCTURED_FIELDS_FILE
from log_classifier.text.severity import NO_SEVERITY, SEVERITIES, severity_of_word

PLAIN = "plain"
FORMATS = ("cef", "leef", "json", "kv")
"""The structured formats `read_structured` recognises; any other line is "plain"."""
ROLES = ("severity", "message", "message_fallback", "kind", "request", "outcome", "error")
"""The roles a field can play (the alias table's sections)."""

_MAX_VALUE_CHARS = 400
"""One field contributes at most this much text: a stack trace must not crowd out the rest."""
_MAX_JSON_FIELDS = 400
_MAX_JSON_DEPTH = 6
_HTTP_CODE = re.compile(r"[1-5]\d\d")
_LETTER = re.compile(r"[A-Za-z]")
_WORD_CHAR = re.compile(r"\w")
_HEX_NUMBER = re.compile(r"0[xX][0-9a-fA-F]+")
_HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE", "PROPFIND"})
_SPACES = re.compile(r"\s+")

# key=value: a key at the start or after a separator, then a quoted (with escapes) or bare value.
_PAIR = re.compile(
    r"""(?<![^\s|;,\[(])(?P<key>[A-Za-z_@][\w.\-@]{0,63})="""
    r"""(?P<value>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s|]*)"""
)
_SEPARATORS = " \t|;,"
# CEF and LEEF: a header field ends at a pipe that is not escaped.
_PIPE = re.compile(r"(?<!\\)\|")
_CEF_START = re.compile(r"(?:^|(?<=[\s>:]))CEF:\d+\|")
_LEEF_START = re.compile(r"(?:^|(?<=[\s>:]))LEEF:\d(?:\.\d)?\|")
# A CEF extension key: word characters after a space; `\=` inside a value is not a key's end.
_CEF_KEY = re.compile(r"(?:^|(?<=\s))(?P<key>[\w.\[\]-]+)(?<!\\)=")
_CEF_UNESCAPE = re.compile(r"\\([\\=|nr])")


class StructuredLine(NamedTuple):
    """A structured line as the stages see it: its format, the severity its fields state, the text."""

    format: str
    severity: str
    text: str


@dataclass(frozen=True)
class FieldTable:
    """The alias table: field name -> (role, rank), per-role limits and the severity scales."""

    aliases: dict[str, tuple[str, int]]
    limits: dict[str, int]
    words: dict[str, str]
    cef_bounds: tuple[tuple[int, str], ...]
    pino: dict[int, str]


def load_field_table(path: Path = STRUCTURED_FIELDS_FILE) -> FieldTable:
    """Read the alias table (default: the shipped one); ValueError naming the problem."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("roles"), dict):
        raise ValueError(f"{path}: expected a mapping with a 'roles' mapping")
    aliases: dict[str, tuple[str, int]] = {}
    for role, names in data["roles"].items():
        if role not in ROLES or not isinstance(names, list):
            raise ValueError(f"{path}: role {role!r} must be one of {', '.join(ROLES)} with a list of names")
        for rank, name in enumerate(names):
            key = str(name).lower()
            if key in aliases:
                raise ValueError(f"{path}: field {key!r} is listed twice ({aliases[key][0]} and {role})")
            aliases[key] = (role, rank)
    words = {str(k).lower(): str(v) for k, v in (data.get("severity_words") or {}).items()}
    bounds = tuple(sorted((int(v), str(k)) for k, v in (data.get("cef_severity") or {}).items()))
    pino = {int(k): str(v) for k, v in (data.get("pino_levels") or {}).items()}
    for bucket in (*words.values(), *(b for _, b in bounds), *pino.values()):
        if bucket not in SEVERITIES:
            raise ValueError(f"{path}: severity {bucket!r} is not one of {', '.join(SEVERITIES)}")
    limits = {str(k): int(v) for k, v in (data.get("limits") or {}).items()}
    return FieldTable(aliases, limits, words, bounds, pino)


@functools.lru_cache(maxsize=1)
def default_field_table() -> FieldTable:
    """The table in resources/structured_fields.yaml, read on first use."""
    return load_field_table(STRUCTURED_FIELDS_FILE)


def structured_text(line: str) -> str:
    """The text the stages see for `line`: its composed fields when structured, else `line` itself."""
    read = read_structured(line)
    return line if read is None else read.text


def line_format(line: str) -> str:
    """"cef", "leef", "json", "kv" or "plain": how `read_structured` reads `line`."""
    read = read_structured(line)
    return PLAIN if read is None else read.format


def read_structured(line: str, table: FieldTable | None = None) -> StructuredLine | None:
    """`line` read as a record, or None when it is plain text (see the module docstring)."""
    table = table or default_field_table()
    if "CEF:" in line:
        start = _CEF_START.search(line)
        if start is not None:
            return _read_cef(line, start.start(), table)
    if "LEEF:" in line:
        start = _LEEF_START.search(line)
        if start is not None:
            return _read_leef(line, start.start(), table)
    if line.endswith("}"):
        brace = line.find("{")
        if brace >= 0:
            return _read_json(line, brace, table)
    if line.count("=") >= 2:
        return _read_kv(line, table)
    return None


# --- formats -----------------------------------------------------------------------------------


def _read_cef(line: str, start: int, table: FieldTable) -> StructuredLine | None:
    # CEF:Version|Device Vendor|Device Product|Device Version|Signature ID|Name|Severity|Extension
    parts = _PIPE.split(line[start:], maxsplit=7)
    header = [_unescape_cef(part).strip() for part in parts[:7]]
    header += [""] * (7 - len(header))
    _, _, product, _, class_id, name, severity = header
    fields = list(_cef_extension(parts[7])) if len(parts) == 8 else []
    head = [("cef_name", name)] if name else []
    if class_id and class_id.lower() != name.lower():
        head.append(("signature", class_id))
    composed = _compose("cef", line[:start], product, head + fields, table, scale="cef", stated=severity)
    return composed if composed.text else None


def _read_leef(line: str, start: int, table: FieldTable) -> StructuredLine | None:
    # LEEF:1.0|Vendor|Product|Version|EventID|attributes (tab-separated);
    # LEEF:2.0|Vendor|Product|Version|EventID|Delimiter|attributes
    parts = _PIPE.split(line[start:], maxsplit=5)
    header = [part.strip() for part in parts[:5]] + [""] * (5 - min(len(parts), 5))
    version, _, product, _, event_id = header
    rest = parts[5] if len(parts) == 6 else ""
    delimiter = "\t"
    if version.startswith("LEEF:2") and "|" in rest:
        spec, attributes = rest.split("|", 1)
        delimiter = _leef_delimiter(spec) or delimiter
        rest = attributes
    if delimiter in rest:
        fields = [(key.strip(), value.strip()) for key, _, value in
                  (item.partition("=") for item in rest.split(delimiter)) if key.strip()]
    else:
        fields = list(_cef_extension(rest))
    head = [("eventid", event_id)] if event_id else []
    composed = _compose("leef", line[:start], product, head + fields, table, scale="cef")
    return composed if composed.text else None


def _read_json(line: str, brace: int, table: FieldTable) -> StructuredLine | None:
    try:
        record = json.loads(line[brace:])
    except ValueError:
        return None  # not JSON after all: the line stays plain text
    if not isinstance(record, dict):
        return None
    fields = list(_flatten(record, "", 0))
    composed = _compose("json", line[:brace], "", fields, table, scale="pino")
    return composed if composed.text else None


def _read_kv(line: str, table: FieldTable) -> StructuredLine | None:
    matches = list(_PAIR.finditer(line))
    if len(matches) < 2:
        return None
    first = matches[0].start()
    if line.count("{", 0, first) > line.count("}", 0, first):
        return None  # pairs inside braces are an object's text (Android's Intent { act=... }), not a record
    between = [line[a.end():b.start()].strip(_SEPARATORS) for a, b in zip(matches, matches[1:])]
    after = line[matches[-1].end():].strip(_SEPARATORS)
    free = " ".join(part for part in (*between, after) if part)
    # A record, not a sentence with a few a=b in it: at most one stray word between the pairs, pairs
    # outweighing the words after them, and two pairs only when one is the message or the level.
    if sum(len(part.split()) for part in between) > 1:
        return None
    if sum(m.end() - m.start() for m in matches) < len(after):
        return None
    if len(matches) < 3 and (free or not any(
            table.aliases.get(m.group("key").lower(), ("",))[0] in ("message", "severity") for m in matches)):
        return None
    fields: list[tuple[str, str]] = []
    for match in matches:
        key, raw = match.group("key"), match.group("value")
        value = _unquote(raw)
        inner = list(_PAIR.finditer(value)) if raw[:1] in "\"'" and value.count("=") >= 2 else []
        if len(inner) >= 2 and sum(m.end() - m.start() for m in inner) * 2 >= len(value):
            fields.extend((m.group("key"), _unquote(m.group("value"))) for m in inner)
        else:
            fields.append((key, value))
    composed = _compose("kv", line[:first], "", fields, table, scale="", free=free)
    return composed if composed.text else None


# --- composing the text ------------------------------------------------------------------------


def _compose(
    fmt: str,
    prefix: str,
    product: str,
    fields: Iterable[tuple[str, str]],
    table: FieldTable,
    *,
    scale: str,
    stated: str = "",
    free: str = "",
) -> StructuredLine:
    """The composed text of a record's fields; `stated` is a header severity (CEF) that comes first."""
    found: dict[str, list[tuple[int, int, str, str]]] = {role: [] for role in ROLES}
    for order, (key, value) in enumerate(fields):
        alias = table.aliases.get(key.lower().replace("-", "_"))
        if alias is None or not value:
            continue
        role, rank = alias
        found[role].append((rank, order, key, value))
    for candidates in found.values():
        candidates.sort()

    severity = _severity(stated, table, scale) if stated else None
    if severity is None:
        severity = next((s for s in (_severity(v, table, scale if k.lower() in ("level", "sev", "severity") else "")
                                     for _, _, k, v in found["severity"]) if s), None)

    seen: set[str] = set()

    def take(role: str, keep: Any = None) -> list[tuple[str, str]]:
        taken: list[tuple[str, str]] = []
        for _, _, key, value in found[role]:
            if len(taken) >= table.limits.get(role, 1):
                break
            value = _clean(value)
            if not value or value.lower() in seen or (keep is not None and not keep(value)):
                continue
            seen.add(value.lower())
            taken.append((key, value))
        return taken

    product = _clean(product)
    if product:
        seen.add(product.lower())
    kinds = take("kind", keep=_LETTER.search)
    request = take("request", keep=lambda v: v.upper() in _HTTP_METHODS or "/" in v)
    # An outcome is a word (deny, failed, tunnel-up) or an HTTP status, not a path or a number; a
    # dotted name in an outcome field (GitHub's action=repo.create) names the event's kind.
    outcomes = take("outcome", keep=lambda v: _HTTP_CODE.fullmatch(v) or (
        _LETTER.search(v) and not _HEX_NUMBER.fullmatch(v) and "/" not in v and "." not in v))
    if not outcomes and len(kinds) < table.limits.get("kind", 1):
        kinds += [(k, v) for k, v in take("outcome", keep=lambda v: "." in v and " " not in v)][:1]
    messages = take("message") or take("message_fallback")
    errors = take("error")

    free = free if _WORD_CHAR.search(free) else ""
    context = [_clean(prefix), product, *(v for _, v in kinds), *(v for _, v in request),
               *(f"status {v}" if _HTTP_CODE.fullmatch(v) else v for _, v in outcomes)]
    body = [*(v for _, v in messages), _clean(free)]
    tail = [f"{_error_label(key)}: {value}" for key, value in errors]
    head = " ".join(p for p in context if p)
    text = " ".join(p for p in body if p)
    if head and text:
        text = f"{head} {text}" if head.endswith(":") else f"{head}: {text}"
    text = " ".join(p for p in (text or head, *tail) if p)
    if severity is not None:
        text = f"level={severity} {text}".rstrip()
    meaningful = bool(kinds or request or outcomes or messages or errors or (severity and free))
    return StructuredLine(fmt, severity or NO_SEVERITY, text if meaningful else "")


def _error_label(key: str) -> str:
    """How an error field is named in the text: its last name (`err.message` -> "err")."""
    parts = key.lower().split(".")
    return parts[0] if len(parts) > 1 and parts[-1] == "message" else parts[-1]


def _severity(value: str, table: FieldTable, scale: str) -> str | None:
    """The bucket a severity value names; numbers only on a known scale ("cef" 0-10, "pino" 10-60)."""
    word = value.strip().lower()
    bucket = table.words.get(word) or severity_of_word(word)
    if bucket is not None or not word.isdigit():
        return bucket
    number = int(word)
    if scale == "cef" and number <= table.cef_bounds[-1][0]:
        return next(b for bound, b in table.cef_bounds if number <= bound)
    if scale == "pino":
        return table.pino.get(number)
    return None


def _clean(value: str) -> str:
    """One line of text, at most _MAX_VALUE_CHARS characters."""
    value = value.strip()
    if "\n" in value or "\t" in value or "  " in value:
        value = _SPACES.sub(" ", value)
    return value[:_MAX_VALUE_CHARS]


# --- field readers -----------------------------------------------------------------------------


def _flatten(record: dict[str, Any], path: str, depth: int) -> Iterator[tuple[str, str]]:
    """(dotted path, text) of a JSON object's scalar fields; lists of scalars joined with spaces."""
    count = 0
    for key, value in record.items():
        count += 1
        if count > _MAX_JSON_FIELDS:
            return
        name = f"{path}.{key}" if path else str(key)
        if isinstance(value, dict):
            if depth < _MAX_JSON_DEPTH:
                yield from _flatten(value, name, depth + 1)
        elif isinstance(value, str):
            yield name, value
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, (int, float)):
            yield name, str(value)
        elif isinstance(value, list):
            scalars = [str(item) for item in value if isinstance(item, (str, int, float)) and not isinstance(item, bool)]
            if scalars:
                yield name, " ".join(scalars)


def _unquote(raw: str) -> str:
    if len(raw) >= 2 and raw[0] in "\"'" and raw[-1] == raw[0]:
        inner = raw[1:-1]
        return inner.replace("\\" + raw[0], raw[0]).replace("\\\\", "\\") if "\\" in inner else inner
    return raw.rstrip(",;")


def _unescape_cef(text: str) -> str:
    if "\\" not in text:
        return text
    return _CEF_UNESCAPE.sub(lambda m: " " if m.group(1) in "nr" else m.group(1), text)


def _cef_extension(extension: str) -> Iterator[tuple[str, str]]:
    """(key, value) pairs of a CEF extension: a value runs to the next ` key=`."""
    keys = list(_CEF_KEY.finditer(extension))
    for this, following in zip(keys, [*keys[1:], None]):
        end = following.start() if following is not None else len(extension)
        yield this.group("key"), _unescape_cef(extension[this.end():end].strip())


def _leef_delimiter(spec: str) -> str | None:
    """LEEF 2.0's delimiter field: one character, or its code as `x09` / `0x09`."""
    spec = spec.strip()
    if len(spec) == 1:
        return spec
    code = spec.lower().removeprefix("0x").removeprefix("x")
    if 1 <= len(code) <= 4 and all(c in "0123456789abcdef" for c in code):
        return chr(int(code, 16))
    return None
