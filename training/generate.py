"""Seeded synthetic training data for the log classifier.

    python -m training.generate --output data.csv [--seed 42] [--rows-per-template 40]

writes a CSV with the columns ``source, log_message, target_label, shape``. The templates are data:
one YAML file per family of lines in ``training/data/templates/`` (read in name order), each a
list of ``[category, system, template]``. ``shape`` is a stable id of the template a row came from:
the file's ``shape_prefix`` and the template's position in the file ("ops-0042" is the 43rd
template of ``10_ops.yaml``), for a validation split by message shape; templates are therefore only
ever appended to a file. A file may define ``fragments``, pieces of text that its templates name as
``{_NAME}`` and that are written out before anything else. ``system`` picks the ``source`` value
and the line-header styles (``training/data/systems.yaml``, read by ``training.headers``); adding a
system means adding data files, not code.
The same seed always gives a byte-identical file.

Template syntax (one log message per template, no line breaks):

- ``{name}``  a placeholder, filled by ``training.fakers.FAKERS[name]`` with a fresh value at
  every occurrence;
- ``[a|b|c]`` inline alternatives, one picked at random per row; an alternative may be empty
  (``[ |]``-style optional text) and may contain placeholders and literal ``[[``/``]]``, but no
  nested alternatives;
- ``[[`` and ``]]`` a literal ``[`` and ``]``, e.g. ``sshd[[{pid}]]: ...``;
- ``{{`` and ``}}`` a literal ``{`` and ``}``, e.g. for JSON-looking messages.

About half the rows get a line header of their system, the rest stay bare message content, as in
structured public log data sets.
"""

from __future__ import annotations

import argparse
import logging
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from log_classifier.taxonomy import (
    CATEGORIES,
    CRITICAL_ERROR,
    DEPRECATION_WARNING,
    ERROR,
    HTTP_STATUS,
    RESOURCE_USAGE,
    SECURITY_ALERT,
    SYSTEM_NOTIFICATION,
    USER_ACTION,
    WORKFLOW_ERROR,
)
from training import headers
from training.fakers import FAKERS

logger = logging.getLogger(__name__)

DEFAULT_SEED = 42
DEFAULT_ROWS_PER_TEMPLATE = 40
TEMPLATES_DIR = Path(__file__).parent / "data" / "templates"
HEADER_SHARE = 0.5
"""Share of rows wrapped in a line header of their system's format."""
LEVEL_NOISE_SHARE = 0.07
"""Share of header rows whose severity is drawn at random: real systems log a routine line at WARN
or a failure at INFO often enough that the model must not trust the header alone."""
TRAILING_SPACE_SHARE = 0.04
CASE_NOISE_SHARE = 0.05
COLUMNS = ("source", "log_message", "target_label", "shape")

# Severity of the line header per category: weights over headers.LEVELS.
LEVEL_WEIGHTS: dict[str, dict[str, float]] = {
    HTTP_STATUS: {"info": 1.0},
    RESOURCE_USAGE: {"info": 0.65, "warn": 0.35},
    SYSTEM_NOTIFICATION: {"info": 0.96, "warn": 0.04},
    USER_ACTION: {"info": 0.97, "warn": 0.03},
    DEPRECATION_WARNING: {"warn": 1.0},
    CRITICAL_ERROR: {"crit": 0.6, "error": 0.4},
    ERROR: {"error": 0.9, "warn": 0.1},
    SECURITY_ALERT: {"warn": 0.6, "error": 0.3, "crit": 0.1},
    WORKFLOW_ERROR: {"error": 0.7, "warn": 0.3},
}

Template = tuple[str, str, str]


class TemplateError(ValueError):
    """A template does not follow the template syntax or names an unknown placeholder."""


# --- template syntax -----------------------------------------------------------------------

_TOKEN = re.compile(r"\[\[|\]\]|\{\{|\}\}|\[((?:\[\[|\]\]|[^\[\]])*)\]|\{(\w+)\}|([^\[\]{}]+)|(.)", re.DOTALL)

# A compiled template is a list of parts: str (literal), ("ph", name) or ("alt", [[parts], ...]).
Part = str | tuple[str, object]


def _compile_plain(text: str, template: str) -> list[Part]:
    """Compile text without alternatives (an alternative's body)."""
    parts: list[Part] = []
    for m in re.finditer(r"\{\{|\}\}|\[\[|\]\]|\{(\w+)\}|([^{}\[\]]+)|(.)", text):
        if m.group(0) in ("{{", "}}", "[[", "]]"):
            parts.append(m.group(0)[0])
        elif m.group(1) is not None:
            if m.group(1) not in FAKERS:
                raise TemplateError(f"unknown placeholder {{{m.group(1)}}} in template {template!r}")
            parts.append(("ph", m.group(1)))
        elif m.group(2) is not None:
            parts.append(m.group(2))
        else:
            raise TemplateError(f"stray {m.group(3)!r} in template {template!r} (write {{{{ or }}}} for a literal brace)")
    return parts


def compile_template(template: str) -> list[Part]:
    """Parse ``template`` into parts; raises ``TemplateError`` on bad syntax or placeholders."""
    if "\n" in template or "\r" in template:
        raise TemplateError(f"line break in template {template!r}")
    parts: list[Part] = []
    for m in _TOKEN.finditer(template):
        tok = m.group(0)
        if tok in ("[[", "]]", "{{", "}}"):
            parts.append(tok[0])
        elif m.group(1) is not None:
            options = m.group(1).split("|")
            parts.append(("alt", [_compile_plain(o, template) for o in options]))
        elif m.group(2) is not None:
            if m.group(2) not in FAKERS:
                raise TemplateError(f"unknown placeholder {{{m.group(2)}}} in template {template!r}")
            parts.append(("ph", m.group(2)))
        elif m.group(3) is not None:
            parts.append(tok)
        else:
            raise TemplateError(
                f"stray {tok!r} in template {template!r} (write [[ ]] or {{{{ }}}} for literal brackets/braces)"
            )
    return parts


def _render_parts(parts: Sequence[Part], rng: random.Random, out: list[str]) -> None:
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        elif part[0] == "ph":
            out.append(FAKERS[part[1]](rng))  # type: ignore[index]
        else:
            _render_parts(rng.choice(part[1]), rng, out)  # type: ignore[arg-type]


def render(template: str | list[Part], rng: random.Random) -> str:
    """One message from ``template`` (a string or a compiled template)."""
    parts = compile_template(template) if isinstance(template, str) else template
    out: list[str] = []
    _render_parts(parts, rng, out)
    return "".join(out)


# --- rows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """A template with its stable id."""

    shape: str
    category: str
    system: str
    template: str


_FRAGMENT = re.compile(r"\{(_\w+)\}")
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_template_file(path: Path) -> list[Shape]:
    """The templates of one data file with their shape ids, fragments written out."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    prefix = data.get("shape_prefix") if isinstance(data, dict) else None
    if not isinstance(prefix, str) or not re.fullmatch(r"[a-z]+", prefix):
        raise TemplateError(f"{path.name}: needs a `shape_prefix` of lower-case letters")
    fragments: dict[str, str] = data.get("fragments") or {}

    def expand(template: str) -> str:
        def fragment(m: re.Match[str]) -> str:
            if m.group(1) not in fragments:
                raise TemplateError(f"{path.name}: unknown fragment {m.group(0)} in template {template!r}")
            return fragments[m.group(1)]

        return _FRAGMENT.sub(fragment, template)

    shapes = []
    for i, entry in enumerate(data.get("templates") or []):
        if not (isinstance(entry, list) and len(entry) == 3 and all(isinstance(x, str) for x in entry)):
            raise TemplateError(f"{path.name}: template {i} is not [category, system, template]: {entry!r}")
        category, system, template = entry
        shapes.append(Shape(f"{prefix}-{i:04d}", category, system, expand(template)))
    return shapes


def load_shapes(directory: Path = TEMPLATES_DIR) -> list[Shape]:
    """All templates of the data files in ``directory`` (in name order) with their shape ids."""
    shapes: list[Shape] = []
    prefixes: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        loaded = load_template_file(path)
        prefix = loaded[0].shape.split("-")[0] if loaded else ""
        if prefix in prefixes:
            raise TemplateError(f"{path.name}: shape_prefix {prefix!r} is already used by {prefixes[prefix]}")
        prefixes[prefix] = path.name
        shapes += loaded
    return shapes


_WORD = re.compile(r"\b[A-Za-z]{4,}\b")


def _case_noise(rng: random.Random, message: str) -> str:
    words = list(_WORD.finditer(message))
    if not words:
        return message
    m = rng.choice(words)
    w = m.group(0)
    new = rng.choice([w.upper(), w.lower(), w.capitalize()])
    return message[: m.start()] + new + message[m.end():]


def _row(rng: random.Random, shape: Shape, compiled: list[Part]) -> tuple[str, str]:
    message = render(compiled, rng)
    if rng.random() < CASE_NOISE_SHARE:
        message = _case_noise(rng, message)
    if rng.random() < HEADER_SHARE:
        weights = LEVEL_WEIGHTS.get(shape.category, {"info": 1.0})
        level = rng.choices(list(weights), weights=list(weights.values()))[0]
        if rng.random() < LEVEL_NOISE_SHARE:
            level = rng.choice(headers.LEVELS)
        message = headers.wrap(rng, shape.system, level, message, access_line=shape.category == HTTP_STATUS)
    if rng.random() < TRAILING_SPACE_SHARE:
        message += rng.choice([" ", "  ", "\t"])
    source = rng.choice(headers.profile_for(shape.system).sources)
    return source, message


def generate_rows(shapes: Sequence[Shape], seed: int, rows_per_template: int) -> pd.DataFrame:
    """Rows for the given ``shapes``; each shape draws from its own seeded stream.

    Seeding per shape keeps a shape's rows the same when other templates are added or removed.
    Exact duplicate messages are dropped (first one kept).
    """
    if rows_per_template < 1:
        raise ValueError(f"rows_per_template must be >= 1, got {rows_per_template}")
    records: list[tuple[str, str, str, str]] = []
    for shape in shapes:
        if shape.category not in CATEGORIES:
            raise TemplateError(f"{shape.shape}: unknown category {shape.category!r}; use a name from log_classifier/taxonomy.py")
        compiled = compile_template(shape.template)
        rng = random.Random(f"{seed}/{shape.shape}")
        for _ in range(rows_per_template):
            source, message = _row(rng, shape, compiled)
            records.append((source, message, shape.category, shape.shape))
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    before = len(frame)
    frame = frame.drop_duplicates(subset="log_message", keep="first").reset_index(drop=True)
    if len(frame) < before:
        logger.info("dropped %d duplicate messages", before - len(frame))
    return frame


def generate(seed: int = DEFAULT_SEED, rows_per_template: int = DEFAULT_ROWS_PER_TEMPLATE) -> pd.DataFrame:
    """The training frame (columns ``source, log_message, target_label, shape``) for ``seed``."""
    return generate_rows(load_shapes(), seed, rows_per_template)


def write_csv(frame: pd.DataFrame, output: Path) -> None:
    """Write ``frame`` the one way that keeps the file byte-identical for a seed."""
    output.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(output, index=False, lineterminator="\n", encoding="utf-8")


def summary(frame: pd.DataFrame) -> str:
    """One line: rows, systems, shapes, rows per category."""
    per_category = ", ".join(f"{c}={n}" for c, n in frame["target_label"].value_counts().sort_index().items())
    return (f"{len(frame)} rows, {frame['source'].nunique()} sources, {frame['shape'].nunique()} shapes; "
            f"rows per category: {per_category}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.generate", description=__doc__.split("\n")[0])
    parser.add_argument("--output", required=True, type=Path, help="CSV file to write")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--rows-per-template", type=int, default=DEFAULT_ROWS_PER_TEMPLATE,
                        help=f"rows generated per template (default {DEFAULT_ROWS_PER_TEMPLATE})")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    frame = generate(args.seed, args.rows_per_template)
    write_csv(frame, args.output)
    logger.info("wrote %s", args.output)
    print(summary(frame))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
