"""The LLM is told the categories' definitions from docs/taxonomy.md, the page users read: one source."""

from __future__ import annotations

from pathlib import Path

import pytest

from log_classifier.errors import ConfigurationError
from log_classifier.stages.llm_prompt import TAXONOMY_DOC, build_system_prompt, category_definitions
from log_classifier.taxonomy import CATEGORIES


def test_every_category_is_defined_by_its_row_of_the_docs_table() -> None:
    doc = TAXONOMY_DOC.read_text(encoding="utf-8")
    definitions = category_definitions()

    assert tuple(definitions) == CATEGORIES
    for category, definition in definitions.items():
        assert f"\n| {category} | {definition} | " in doc  # the whole cell, not a part of it
        assert f"\n- {category}: {definition}\n" in build_system_prompt() + "\n"


def test_editing_the_docs_table_changes_what_the_model_is_told(tmp_path: Path) -> None:
    old = "measured consumption or limits of memory, disk, CPU, vCPU, quota, connections"
    new = "how much memory, disk or CPU something uses"
    edited = tmp_path / "taxonomy.md"
    edited.write_text(TAXONOMY_DOC.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    prompt = build_system_prompt(category_definitions(edited))

    assert f"- Resource Usage: {new}\n" in prompt
    assert old not in prompt


def test_a_table_without_the_nine_categories_in_order_stops_the_start(tmp_path: Path) -> None:
    lines = TAXONOMY_DOC.read_text(encoding="utf-8").splitlines()
    broken = tmp_path / "taxonomy.md"
    broken.write_text("\n".join(line for line in lines if not line.startswith("| Workflow Error |")), encoding="utf-8")

    with pytest.raises(ConfigurationError, match="must define HTTP Status, .* in this order; it has .*User Action, "
                                                 "Deprecation Warning$"):
        category_definitions(broken)
    with pytest.raises(ConfigurationError, match="cannot read the category definitions"):
        category_definitions(tmp_path / "missing.md")
