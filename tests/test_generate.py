"""The synthetic training-data generator: determinism, template syntax, coverage of the taxonomy."""

from __future__ import annotations

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


def test_cli_writes_byte_identical_files(tmp_path: Path) -> None:
    outputs = []
    for name in ("a.csv", "b.csv"):
        out = tmp_path / name
        result = subprocess.run(
            [sys.executable, "-m", "training.generate", "--output", str(out), "--seed", "5", "--rows-per-template", "2"],
            cwd=PROJECT_DIR, capture_output=True, text=True, check=True,
        )
        assert "shapes" in result.stdout and len(result.stdout.strip().splitlines()) == 1
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    written = pd.read_csv(tmp_path / "a.csv", dtype=str, keep_default_na=False)
    assert tuple(written.columns) == COLUMNS
    assert len(written) > 500


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
