"""The synthetic training-data generator: determinism, template syntax, coverage of the taxonomy."""

from __future__ import annotations

import hashlib
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from log_classifier.config import PROJECT_DIR
from log_classifier.taxonomy import CATEGORIES, DEPRECATION_WARNING, HTTP_STATUS, SYSTEM_NOTIFICATION
from training import headers
from training.fakers import FAKERS
from training.generate import (
    COLUMNS,
    Shape,
    TemplateError,
    compile_template,
    generate,
    generate_rows,
    load_shapes,
    render,
)
from training.headers import HeaderStyleError, load_styles

ROWS = 5  # enough rows per template to see every alternative a few times, fast enough for CI
UNFILLED = re.compile(r"\{[a-z0-9_]+\}")


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return generate(seed=7, rows_per_template=ROWS)


# --- template syntax -----------------------------------------------------------------------


def test_placeholders_alternatives_and_literal_brackets() -> None:
    rng = random.Random(1)
    line = render("sshd[[{pid}]]: [opened|closed] {{x}}", rng)
    assert re.fullmatch(r"sshd\[\d+\]: (opened|closed) \{x\}", line)


def test_every_alternative_is_reachable() -> None:
    rng = random.Random(3)
    seen = {render("[a|b|c|]", rng) for _ in range(200)}
    assert seen == {"a", "b", "c", ""}


def test_placeholder_inside_alternative_is_filled() -> None:
    rng = random.Random(5)
    lines = {render("by [{uid}|{user}]", rng) for _ in range(50)}
    assert all("{" not in line for line in lines)
    assert len(lines) > 10


@pytest.mark.parametrize(
    "bad", ["{nosuchplaceholder}", "unbalanced [a|b", "stray ] bracket", "brace { here", "two\nlines"]
)
def test_bad_templates_are_rejected(bad: str) -> None:
    with pytest.raises(TemplateError):
        compile_template(bad)


def test_every_faker_returns_nonempty_text_without_braces() -> None:
    rng = random.Random(11)
    for name, faker in FAKERS.items():
        for _ in range(30):
            value = faker(rng)
            assert isinstance(value, str) and value.strip(), name
            assert "{" not in value and "}" not in value, (name, value)


# --- every template ------------------------------------------------------------------------


def test_every_template_renders_with_all_placeholders_filled() -> None:
    rng = random.Random(0)
    for shape in load_shapes():
        compiled = compile_template(shape.template)
        for _ in range(ROWS):
            message = render(compiled, rng)
            assert not UNFILLED.search(message), (shape.shape, message)
            # literal braces may sit inside an alternative that was not picked
            literal_braces = shape.template.count("{{")
            assert message.count("{") <= literal_braces, (shape.shape, message)


def test_no_unfilled_placeholder_in_generated_rows(frame: pd.DataFrame) -> None:
    leftovers = frame[frame["log_message"].str.contains(UNFILLED)]
    assert leftovers.empty, leftovers.head().to_dict("records")


def test_every_system_has_a_profile() -> None:
    unknown = sorted({s.system for s in load_shapes() if s.system not in headers.SYSTEMS})
    assert unknown == []


# --- determinism ---------------------------------------------------------------------------


def test_same_seed_gives_identical_frame(frame: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(frame, generate(seed=7, rows_per_template=ROWS))


def test_different_seed_gives_different_frame(frame: pd.DataFrame) -> None:
    other = generate(seed=8, rows_per_template=ROWS)
    assert set(frame["log_message"]) != set(other["log_message"])
    overlap = len(set(frame["log_message"]) & set(other["log_message"])) / len(frame)
    assert overlap < 0.5


def test_a_shape_keeps_its_rows_when_other_templates_change() -> None:
    shapes = load_shapes()
    alone = generate_rows(shapes[:1], seed=3, rows_per_template=ROWS)
    together = generate_rows(shapes[:5], seed=3, rows_per_template=ROWS)
    pd.testing.assert_frame_equal(alone, together[together["shape"] == shapes[0].shape].reset_index(drop=True))


# Digests of output made by the generator before its templates and header formats became data files
# (issue 25), so they show that the data files and their interpreter make the very same bytes. A
# deliberate change of templates, fakers or header styles changes them: recompute them with the
# commands in the tests and say so in the commit. Unix timestamps in some headers follow the local
# time zone, so both run with TZ=UTC.
GENERATED_SHA256 = "5ce8be6c922f29bf52b55df8d34e8b0ce2ead67d484e9030e48c4fddfa3a72b9"  # --seed 42 --rows-per-template 2
HEADERS_SHA256 = "dfdda4812a885fce3a81f0f8c10a25fbd201befa16d0a0e059e9833772595da9"
_HEADERS_DIGEST = r"""
import hashlib, random
from training import headers
rng = random.Random("headers")
lines = [headers.wrap(rng, system, level, 'a "quoted" \\ mess\u00e4ge {x}', access_line=i % 3 == 0)
         for system in [*headers.SYSTEMS, "Some New System"] for level in headers.LEVELS for i in range(12)]
print(hashlib.sha256("\n".join(lines).encode()).hexdigest())
"""


def _run_utc(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], cwd=PROJECT_DIR, capture_output=True, text=True, check=True,
                          env={**os.environ, "TZ": "UTC"})


def test_cli_writes_the_reference_file_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    result = _run_utc(["-m", "training.generate", "--output", str(out), "--seed", "42", "--rows-per-template", "2"])
    assert "shapes" in result.stdout and len(result.stdout.strip().splitlines()) == 1
    assert hashlib.sha256(out.read_bytes()).hexdigest() == GENERATED_SHA256
    written = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert tuple(written.columns) == COLUMNS
    assert len(written) > 4000


def test_every_header_style_writes_the_reference_lines() -> None:
    """Every system (and the generic profile), every level, access and other lines: the headers
    are the ones the formatters wrote when they were code."""
    assert _run_utc(["-c", _HEADERS_DIGEST]).stdout.strip() == HEADERS_SHA256


# --- coverage of the taxonomy --------------------------------------------------------------


def test_columns_and_labels(frame: pd.DataFrame) -> None:
    assert tuple(frame.columns) == COLUMNS
    assert set(frame["target_label"]) == set(CATEGORIES)
    assert (frame["log_message"].str.strip() != "").all()


def test_enough_systems_and_shapes(frame: pd.DataFrame) -> None:
    assert frame["source"].nunique() >= 20
    assert frame["shape"].nunique() >= 300
    shapes_per_category = frame.groupby("target_label")["shape"].nunique()
    assert shapes_per_category.min() >= 15, shapes_per_category.to_dict()


def test_shape_ids_are_stable_and_unique() -> None:
    ids = [s.shape for s in load_shapes()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"(ops|fail|svc|fam|str)-\d{4}", i) for i in ids)
    assert ids[0] == "ops-0000"


# --- data files ----------------------------------------------------------------------------


def test_a_new_system_is_a_new_data_file(tmp_path: Path) -> None:
    """A templates file with a system no profile names: its rows get shape ids from the file, the
    system name as source and headers of the generic profile; fragments are written out."""
    (tmp_path / "10_new.yaml").write_text(
        "shape_prefix: new\n"
        "fragments:\n  _WHO: '[alice|bob]'\n"
        "templates:\n"
        "  - [User Action, Acme Portal, '{_WHO} signed in from {ip}']\n"
        "  - [Error, Acme Portal, 'export {uuid} failed']\n",
        encoding="utf-8",
    )
    shapes = load_shapes(tmp_path)
    assert [(s.shape, s.system) for s in shapes] == [("new-0000", "Acme Portal"), ("new-0001", "Acme Portal")]
    assert shapes[0].template == "[alice|bob] signed in from {ip}"
    rows = generate_rows(shapes, seed=1, rows_per_template=50)
    assert set(rows["source"]) == {"Acme Portal"}
    assert rows["log_message"].str.contains(r"(?:alice|bob) signed in from \d+\.\d+\.\d+\.\d+").sum() > 40


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("templates:\n  - [Error, x, 'y']\n", "shape_prefix"),
        ("shape_prefix: a\ntemplates:\n  - [Error, 'x {_NOPE}']\n", "not \\[category, system, template\\]"),
        ("shape_prefix: a\ntemplates:\n  - [Error, x, 'y {_NOPE}']\n", "unknown fragment"),
    ],
)
def test_malformed_template_files_are_rejected(tmp_path: Path, text: str, problem: str) -> None:
    (tmp_path / "10_bad.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(TemplateError, match=problem):
        load_shapes(tmp_path)


def test_two_files_cannot_share_a_shape_prefix(tmp_path: Path) -> None:
    for name in ("10_a.yaml", "20_b.yaml"):
        (tmp_path / name).write_text("shape_prefix: dup\ntemplates:\n  - [Error, x, 'y']\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="already used by 10_a.yaml"):
        load_shapes(tmp_path)


_STYLE_HEAD = "severities: {java: {info: [INFO], warn: [WARN], error: [ERROR], crit: [FATAL]}}\nsyslog_severity: {}\n"


def test_a_header_style_draws_in_written_order(tmp_path: Path) -> None:
    path = tmp_path / "styles.yaml"
    path.write_text(_STYLE_HEAD + "styles:\n  s:\n    let: {n: '{randint(1,9)}'}\n"
                    "    line: '{n:03d} {severity(java)} {{x}} {msg|upper}'\n", encoding="utf-8")
    style = load_styles(path)["s"]
    line = style.render(random.Random(3), headers.profile_for("x"), "warn", "hello")
    rng = random.Random(3)
    assert line == f"{rng.randint(1, 9):03d} WARN {{x}} HELLO"


@pytest.mark.parametrize(
    ("line", "problem"),
    [("'{nosuchname}'", "unknown name"), ("'{msg|shout}'", "unknown filter"), ("'a { b'", "stray"),
     ("'{severity(klingon)}'", "unknown severity table"), ("{coin: 0.5}", "unknown construct"),
     ("'{msg.day}'", "only a bound date has attributes")],
)
def test_malformed_header_styles_are_rejected(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "styles.yaml"
    path.write_text(_STYLE_HEAD + f"styles:\n  s:\n    line: {line}\n", encoding="utf-8")
    with pytest.raises(HeaderStyleError, match=problem):
        load_styles(path)


def test_about_half_the_rows_carry_a_header() -> None:
    shape = Shape("ops-9999", SYSTEM_NOTIFICATION, "sshd", "session {uuid} restarted")
    rows = generate_rows([shape], seed=1, rows_per_template=400)
    bare = rows["log_message"].str.match(r"session [0-9a-f-]{36} restarted\s*$", case=False)
    assert 0.35 < 1 - bare.mean() < 0.65
    assert set(rows["source"]) == {"OpenSSH"}


@pytest.mark.parametrize(
    ("category", "forbidden"),
    [(SYSTEM_NOTIFICATION, r"\b(?:ERROR|FATAL|CRITICAL|WARN|WARNING|error|crit)\b"), (HTTP_STATUS, r"\[error\]")],
)
def test_header_severity_follows_the_category_with_some_noise(category: str, forbidden: str) -> None:
    shapes = [Shape(f"ops-{i:04d}", category, system, "all good here")
              for i, system in enumerate(["java-app", "python-app", "nginx", "apache", "postgres", "kubelet", "windows"])]
    rows = generate_rows(shapes, seed=2, rows_per_template=200)
    headed = rows[rows["log_message"] != "all good here"]
    contradicting = headed["log_message"].str.contains(forbidden).mean()
    # Real systems sometimes log a routine line at WARN or ERROR: a little noise, never the rule.
    assert contradicting < 0.15


def test_deprecation_headers_are_mostly_warnings() -> None:
    shape = Shape("ops-0001", DEPRECATION_WARNING, "java-app", "old thing is deprecated")
    rows = generate_rows([shape], seed=4, rows_per_template=400)
    headed = rows[rows["log_message"].str.contains(r"\d{2}:\d{2}")]
    assert not headed.empty
    assert headed["log_message"].str.contains(r"\bwarn(?:ing)?\b", case=False).mean() > 0.9


def test_structured_templates_render_records_the_reader_reads() -> None:
    """Every record template (systems named s-*) renders lines `text.structured` reads as records:
    valid JSON, CEF/LEEF headers, key=value with fields of meaning."""
    from log_classifier.text.structured import read_structured

    rng = random.Random(5)
    records = [shape for shape in load_shapes() if shape.shape.startswith("str-") and shape.system.startswith("s-")]
    assert len(records) >= 150
    for shape in records:
        compiled = compile_template(shape.template)
        for _ in range(8):
            message = render(compiled, rng)
            assert read_structured(message) is not None, (shape.shape, message)
