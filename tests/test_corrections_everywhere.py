"""Service, CLI and Spark job give the same label for the same line, people's corrections included: the
CLI (PATTERN_STORE) and the Spark job's workers (--pattern-store) load the corrections with the cascade."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers import make_settings

pytestmark = pytest.mark.slow

LINES = [
    ("billing", "invoice run 41 produced 0 documents"),
    ("billing", "invoice run 42 produced 0 documents"),
    ("auth", "User 4711 logged in from 10.1.2.3"),
    ("auth", "User 4711 logged in from host 10.1.2.3"),
    ("nginx", 'GET /health HTTP/1.1" 200 12'),
    ("kernel", "Out of memory: Killed process 4242 (java)"),
]
CORRECTIONS = [
    {"source": "billing", "log_message": "invoice run 1 produced 0 documents", "target_label": "Workflow Error"},
    {"source": "auth", "log_message": "User 1 logged in from 10.0.0.1", "target_label": "Critical Error"},
]


def read_rows(paths: list[Path]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in paths:
        with path.open(newline="", encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def test_service_cli_and_spark_agree_with_corrections(spark: Any, tmp_path: Path) -> None:
    from log_classifier import cli
    from log_classifier import spark as spark_job
    from log_classifier.api.app import create_app

    store = str(tmp_path / "patterns.db")
    with TestClient(create_app(make_settings(pattern_store=store))) as client:
        client.post("/feedback", json={"logs": CORRECTIONS}).raise_for_status()
        answer = client.post("/classify/json", json={"logs": [{"source": s, "log_message": m} for s, m in LINES]})
        service = [(r["target_label"], r["classified_by"]) for r in answer.json()["results"]]
    assert service[:3] == [("Workflow Error", "feedback"), ("Workflow Error", "feedback"), ("Critical Error", "feedback")]

    source = tmp_path / "logs.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "log_message"])
        writer.writerows(LINES)
    cli_out = tmp_path / "cli.csv"
    assert cli.main([str(source), "--output", str(cli_out), "--explain", "--no-progress"],
                    settings=make_settings(pattern_store=store)) == 0
    spark_out = tmp_path / "spark"
    assert spark_job.main(["--input", str(source), "--output", str(spark_out), "--explain", "--pattern-store", store],
                          settings=make_settings(), spark=spark) == 0

    from_cli = [(r["target_label"], r["classified_by"]) for r in read_rows([cli_out])]
    from_spark = [(r["target_label"], r["classified_by"]) for r in read_rows(sorted(spark_out.glob("part-*.csv")))]
    assert from_cli == service
    assert from_spark == service
