"""Line headers of real log formats, read from ``training/data/header_styles.yaml`` and
``training/data/systems.yaml``.

A template is only the message part of a log line. Real lines often carry a header in the format
of the system that wrote them (syslog, log4j, klog, ...). ``wrap`` puts such a header around a
message; the severity word in the header follows an abstract ``level`` ("info", "warn", "error",
"crit") chosen from the category, so a routine line never says ERROR.

``SYSTEMS`` maps a template's ``system`` to its ``source`` column value(s), the header styles the
system writes, the program names used in syslog-like headers and the logger names used in
application-log headers. A system that is not in the table gets a generic profile whose source is
the system name itself.

This module is the interpreter of the header-style language; the language itself is described at
the top of ``header_styles.yaml``. Random draws happen in the order the style's ``let`` entries and
its line are written, so a style's output for a seed is fixed by its data.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from training import fakers
from training.fakers import FAKERS

DATA_DIR = Path(__file__).parent / "data"
STYLES_FILE = DATA_DIR / "header_styles.yaml"
SYSTEMS_FILE = DATA_DIR / "systems.yaml"

Level = str  # "info" | "warn" | "error" | "crit"
LEVELS: tuple[Level, ...] = ("info", "warn", "error", "crit")

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EPOCH = datetime(2015, 1, 1)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class HeaderStyleError(ValueError):
    """A header style or system profile in the data files does not follow the language."""


@dataclass(frozen=True)
class SystemProfile:
    """How one kind of system names itself and formats its line headers."""

    sources: tuple[str, ...]
    styles: tuple[str, ...]
    programs: tuple[str, ...] = ()
    loggers: tuple[str, ...] = ()


@dataclass
class _Ctx:
    """What one header is made from: the random stream, the system, the level, the message and
    the values its style's ``let`` entries have bound so far."""

    rng: random.Random
    prof: SystemProfile
    level: Level
    msg: str
    env: dict[str, Any]


Expr = Callable[[_Ctx], Any]


# --- the building blocks a field may name --------------------------------------------------


def _date(rng: random.Random) -> datetime:
    return _EPOCH + timedelta(seconds=rng.randint(0, 11 * 365 * 86400), microseconds=rng.randint(0, 999999))


def _logger(c: _Ctx) -> str:
    if c.prof.loggers:
        return c.rng.choice(c.prof.loggers)
    return fakers.java_class(c.rng) if c.rng.random() < 0.5 else fakers.module(c.rng)


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


# Attributes of a bound date: `{d.millis:03d}`, `{d.mon}`, ...
_DATE_ATTRS: dict[str, Callable[[datetime], Any]] = {
    "year": lambda d: d.year,
    "month": lambda d: d.month,
    "day": lambda d: d.day,
    "microsecond": lambda d: d.microsecond,
    "millis": lambda d: d.microsecond // 1000,
    "centis": lambda d: d.microsecond // 10000,
    "mon": lambda d: _MONTHS[d.month - 1],
    "epoch": lambda d: int(d.timestamp()),
}

_FILTERS: dict[str, Callable[[Any], str]] = {
    "upper": lambda v: str(v).upper(),
    "unsnake": lambda v: str(v).replace("_", " "),
    "last_dotted": lambda v: str(v).split(".")[-1],
    "logfmt_escape": lambda v: str(v).replace("\\", "\\\\").replace('"', '\\"'),
    "json": lambda v: json.dumps(v, ensure_ascii=False),
}

_FIELD = re.compile(r"(?P<name>\w+)(?:\((?P<args>[^()]*)\))?(?:\.(?P<attr>\w+))?(?P<filters>(?:\|\w+)*)")
_TEMPLATE_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[^{}]+|.", re.DOTALL)


def _then(getter: Expr, fn: Callable[[Any], Any]) -> Expr:
    return lambda c: fn(getter(c))


class _Compiler:
    """Turns the YAML of ``header_styles.yaml`` into callables over a ``_Ctx``."""

    def __init__(self, severities: Mapping[str, Mapping[str, list[str]]], syslog_severity: Mapping[str, list[int]]):
        self.severities = {kind: {lvl: tuple(words) for lvl, words in table.items()} for kind, table in severities.items()}
        self.syslog_severity = {lvl: tuple(nums) for lvl, nums in syslog_severity.items()}
        for kind, table in self.severities.items():
            if set(table) != set(LEVELS):
                raise HeaderStyleError(f"severities.{kind}: needs exactly the levels {LEVELS}")
        self.parts: dict[str, Expr] = {}

    # -- fields ---------------------------------------------------------------------------

    def _function(self, name: str, args: list[str], where: str) -> Expr | None:
        if name == "date" and not args:
            return lambda c: _date(c.rng)
        if name == "randint" and len(args) == 2:
            lo, hi = int(args[0]), int(args[1])
            return lambda c: c.rng.randint(lo, hi)
        if name == "uniform" and len(args) == 2:
            a, b = _number(args[0]), _number(args[1])
            return lambda c: c.rng.uniform(a, b)
        if name == "choice" and args:
            options = tuple(args)
            return lambda c: c.rng.choice(options)
        if name == "hexstr" and len(args) == 1:
            n = int(args[0])
            return lambda c: fakers._hexstr(c.rng, n)
        if name == "program" and not args:
            return lambda c: c.rng.choice(c.prof.programs) if c.prof.programs else "app"
        if name == "logger" and not args:
            return _logger
        if name == "logger" and len(args) == 1:
            default = args[0]
            return lambda c: c.rng.choice(c.prof.loggers) if c.prof.loggers else default
        if name == "severity" and args:
            unknown = [k for k in args if k not in self.severities]
            if unknown:
                raise HeaderStyleError(f"{where}: unknown severity table(s) {unknown}")
            if len(args) == 1:
                table = self.severities[args[0]]
                return lambda c: c.rng.choice(table[c.level])
            kinds = tuple(args)
            return lambda c: c.rng.choice(self.severities[c.rng.choice(kinds)][c.level])
        if name == "pri" and args:
            facilities = tuple(int(a) for a in args)
            return lambda c: c.rng.choice(facilities) * 8 + c.rng.choice(self.syslog_severity[c.level])
        return None

    def _name(self, name: str, args: list[str] | None, bound: set[str], where: str) -> Expr:
        """The getter of a field's name: msg, level, a `let` name, a part, a function or a faker."""
        if args is None:
            if name == "msg":
                return lambda c: c.msg
            if name == "level":
                return lambda c: c.level
            if name in bound:
                return lambda c: c.env[name]
            if name in self.parts:
                return self.parts[name]
        function = self._function(name, args or [], where)
        if function is not None:
            return function
        if args is None and name in FAKERS:
            faker = FAKERS[name]
            return lambda c: faker(c.rng)
        raise HeaderStyleError(f"{where}: unknown name or arguments: {name}({', '.join(args or [])})")

    def _field(self, text: str, bound: set[str], where: str) -> tuple[Expr, str, bool]:
        """A field `{name(args).attr|filter:spec}` -> (getter, spec, plain) where plain means the
        field's value may be passed on unformatted."""
        head, _, spec = text.partition(":")
        m = _FIELD.fullmatch(head.strip())
        if m is None:
            raise HeaderStyleError(f"{where}: cannot read field {{{text}}}")
        name, attr = m.group("name"), m.group("attr")
        args = [a.strip() for a in m.group("args").split(",")] if m.group("args") is not None else None
        getter = self._name(name, args, bound, where)
        if attr is not None:
            if name not in bound or attr not in _DATE_ATTRS:
                raise HeaderStyleError(f"{where}: {{{text}}}: only a bound date has attributes ({', '.join(_DATE_ATTRS)})")
            getter = _then(getter, _DATE_ATTRS[attr])
        filters = [f for f in m.group("filters").split("|") if f]
        for f in filters:
            if f not in _FILTERS:
                raise HeaderStyleError(f"{where}: unknown filter |{f} (known: {', '.join(_FILTERS)})")
            getter = _then(getter, _FILTERS[f])
        return getter, spec, not spec and not filters

    def template(self, text: str, bound: set[str], where: str) -> Expr:
        pieces: list[str | tuple[Expr, str]] = []
        plain_single: Expr | None = None
        for m in _TEMPLATE_TOKEN.finditer(text):
            tok = m.group(0)
            if tok in ("{{", "}}"):
                pieces.append(tok[0])
            elif m.group(1) is not None:
                getter, spec, plain = self._field(m.group(1), bound, where)
                pieces.append((getter, spec))
                if plain and len(text) == len(tok):
                    plain_single = getter
            elif tok in ("{", "}"):
                raise HeaderStyleError(f"{where}: stray {tok!r} in {text!r} (write {{{{ or }}}} for a literal brace)")
            else:
                pieces.append(tok)
        if plain_single is not None:
            return plain_single  # a lone field keeps its value's type (a number, a date, a record)
        if all(isinstance(p, str) for p in pieces):
            literal = "".join(pieces)  # type: ignore[arg-type]
            return lambda c: literal

        def render(c: _Ctx) -> str:
            out = []
            for p in pieces:
                if isinstance(p, str):
                    out.append(p)
                else:
                    out.append(format(p[0](c), p[1]))
            return "".join(out)

        return render

    # -- expressions ----------------------------------------------------------------------

    def expr(self, node: Any, bound: set[str], where: str) -> Expr:
        if isinstance(node, str):
            return self.template(node, bound, where)
        if isinstance(node, (int, float)) and not isinstance(node, bool):
            return lambda c: node
        if not isinstance(node, dict):
            raise HeaderStyleError(f"{where}: expected a template or a construct, got {node!r}")
        keys = set(node)
        if keys == {"choice"}:
            items = [self.expr(i, bound, where) for i in node["choice"]]
            return lambda c: c.rng.choice([i(c) for i in items])
        if keys == {"chance", "then", "else"}:
            p = float(node["chance"])
            then, other = self.expr(node["then"], bound, where), self.expr(node["else"], bound, where)
            return lambda c: then(c) if c.rng.random() < p else other(c)
        if keys == {"by_level"}:
            table = node["by_level"]
            if set(table) != set(LEVELS):
                raise HeaderStyleError(f"{where}: by_level needs exactly the levels {LEVELS}")
            entries = [(lvl, self.expr(v, bound, where)) for lvl, v in table.items()]

            def by_level(c: _Ctx) -> Any:
                values = {lvl: e(c) for lvl, e in entries}  # every entry is drawn, in written order
                return values[c.level]

            return by_level
        if keys in ({"if", "in", "then", "else"}, {"if", "startswith", "then", "else"}):
            subject = self.expr(node["if"], bound, where)
            then, other = self.expr(node["then"], bound, where), self.expr(node["else"], bound, where)
            if "in" in node:
                members = frozenset(node["in"])
                return lambda c: then(c) if subject(c) in members else other(c)
            prefix = node["startswith"]
            return lambda c: then(c) if str(subject(c)).startswith(prefix) else other(c)
        if keys == {"object"}:
            fields: list[tuple[Expr, Expr, float | None]] = []
            for entry in node["object"]:
                if not isinstance(entry, list) or len(entry) not in (2, 3):
                    raise HeaderStyleError(f"{where}: an object entry is [key, value] or [key, value, chance]")
                key, value = self.expr(entry[0], bound, where), self.expr(entry[1], bound, where)
                fields.append((key, value, float(entry[2]) if len(entry) == 3 else None))

            def build(c: _Ctx) -> dict[str, Any]:
                record: dict[str, Any] = {}
                for key, value, chance in fields:
                    if chance is None or c.rng.random() < chance:
                        k = key(c)  # the key is drawn before the value
                        record[k] = value(c)
                return record

            return build
        raise HeaderStyleError(f"{where}: unknown construct with keys {sorted(keys)}")


@dataclass(frozen=True)
class HeaderStyle:
    """One header format: values bound in order (``let``), then the line."""

    name: str
    bindings: tuple[tuple[str, Expr], ...]
    line: Expr
    error_log: bool

    def render(self, rng: random.Random, prof: SystemProfile, level: Level, msg: str) -> str:
        c = _Ctx(rng, prof, level, msg, {})
        for name, expr in self.bindings:
            c.env[name] = expr(c)
        return str(self.line(c))


def load_styles(path: Path = STYLES_FILE) -> dict[str, HeaderStyle]:
    """The header styles of ``path`` by name; raises ``HeaderStyleError`` on a malformed style."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    compiler = _Compiler(data["severities"], data["syslog_severity"])
    for name, node in (data.get("parts") or {}).items():
        compiler.parts[name] = compiler.expr(node, set(), f"parts.{name}")
    styles: dict[str, HeaderStyle] = {}
    for name, spec in data["styles"].items():
        unknown = set(spec) - {"let", "line", "error_log"}
        if unknown or "line" not in spec:
            raise HeaderStyleError(f"styles.{name}: needs `line`, may have `let` and `error_log`; got {sorted(spec)}")
        bound: set[str] = set()
        bindings = []
        for var, node in (spec.get("let") or {}).items():
            bindings.append((var, compiler.expr(node, set(bound), f"styles.{name}.let.{var}")))
            bound.add(var)
        line = compiler.expr(spec["line"], bound, f"styles.{name}.line")
        styles[name] = HeaderStyle(name, tuple(bindings), line, bool(spec.get("error_log", False)))
    return styles


def load_systems(path: Path = SYSTEMS_FILE) -> tuple[dict[str, SystemProfile], tuple[str, ...]]:
    """(the system profiles by name, the styles of a system that has none) from ``path``."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    systems = {
        name: SystemProfile(
            sources=tuple(p["sources"]), styles=tuple(p["styles"]),
            programs=tuple(p.get("programs", ())), loggers=tuple(p.get("loggers", ())),
        )
        for name, p in data["systems"].items()
    }
    return systems, tuple(data["generic_styles"])


STYLES: dict[str, HeaderStyle] = load_styles()
SYSTEMS, _GENERIC_PROFILE_STYLES = load_systems()
for _name, _prof in [*SYSTEMS.items(), ("generic_styles", SystemProfile((), _GENERIC_PROFILE_STYLES))]:
    if not _prof.styles or set(_prof.styles) - set(STYLES):
        raise HeaderStyleError(f"systems.yaml: {_name} needs styles from header_styles.yaml, "
                               f"got {sorted(set(_prof.styles) - set(STYLES)) or 'none'}")
# Error-log formats: an access line (HTTP Status) is never written there.
ERROR_LOG_STYLES = frozenset(name for name, style in STYLES.items() if style.error_log)


def profile_for(system: str) -> SystemProfile:
    """The profile of ``system``; unknown systems get a generic one with the name as source."""
    found = SYSTEMS.get(system) or SYSTEMS.get(system.lower())
    if found is not None:
        return found
    return SystemProfile(sources=(system,), styles=_GENERIC_PROFILE_STYLES, programs=(system.lower().replace(" ", "-"),))


def wrap(rng: random.Random, system: str, level: Level, message: str, *, access_line: bool = False) -> str:
    """``message`` with a header in one of ``system``'s formats, severity following ``level``."""
    prof = profile_for(system)
    styles = [s for s in prof.styles if not (access_line and s in ERROR_LOG_STYLES)] or ["syslog"]
    return STYLES[rng.choice(styles)].render(rng, prof, level, message)
