"""The Spark job (log_classifier.spark) in local[2] mode, on one shared SparkSession.

The labels are compared with the service's own cascade on the same rows; files go through Spark's
real readers and writers in tmp_path; the LLM is the local fake Groq server.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from fake_groq import FakeGroq, label_by_keyword
from helpers import make_settings

from log_classifier import spark as spark_job
from log_classifier.cascade import LoadedClassifier
from log_classifier.formats.writer import EXPLAIN_COLUMNS, OUTPUT_COLUMN, prediction_values
from log_classifier.stages.llm import REASON_DISABLED
from log_classifier.text.masking import mask_variables

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ADDED = (OUTPUT_COLUMN, *EXPLAIN_COLUMNS)

EDGE_ROWS = [
    ("nginx", '10.0.0.5 - - [12/Mar/2025:10:01:22 +0000] "GET /api/orders/17 HTTP/1.1" 200 512', " padded "),
    ("kernel", "Kernel panic - not syncing: VFS: Unable to mount root fs", "=SUM(A1:A9)"),
    ("billing", "Invoice export job 5521 failed:\nmalformed record at line 12", 'quote " and, comma'),
    ("webapp", "", "empty message"),
    ("", "User u_4410 logged out", "empty source"),
    ("LegacyCRM", "Escalation rule for ticket 8812 failed: no on-call manager assigned", "routed to the LLM"),
    ("monitor", "Disk /data at 94% of 2 TB — ünïcödé", "unicode"),
    # Issue 24: one shape at two header severities from one source; nothing to classify; fullwidth.
    ("core-rtr1", "%SYS-6-EVT: process restarted on slot 3", "severity 6"),
    ("core-rtr1", "%SYS-1-EVT: process restarted on slot 3", "severity 1, same shape"),
    ("app", "{} .", "no letters"),
    ("kernel", "Ｋｅｒｎｅｌ ｐａｎｉｃ - not syncing: Fatal exception", "fullwidth"),
]


def sample_rows() -> list[tuple[str, str, str]]:
    """~170 generated rows of many shapes, plus the awkward ones above: (source, log_message, note)."""
    from training.generate import generate

    generated = generate(seed=7, rows_per_template=1).iloc[::8]
    rows = [(source, message, f"g{i}") for i, (source, message) in
            enumerate(zip(generated["source"], generated["log_message"]))]
    return rows + EDGE_ROWS


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv_parts(directory: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for part in sorted(directory.glob("part-*.csv")):
        with part.open(newline="", encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


def expected_cells(classifier: LoadedClassifier, sources: Sequence[str], messages: Sequence[str]) -> list[tuple]:
    return [prediction_values(p) for p in classifier.cascade.classify(list(sources), list(messages))]


def run(argv: Sequence[str], spark: Any, **settings: object) -> int:
    return spark_job.main(list(argv), settings=make_settings(**settings), spark=spark)


def assert_issue_24_rows(by_note: dict[str, dict[str, Any]]) -> None:
    """The header severity is part of a shape, lines without letters are Unclassified, fullwidth is read as ASCII."""
    assert by_note["severity 1, same shape"]["target_label"] == "Critical Error"  # not severity 6's label
    assert by_note["severity 6"]["target_label"] != "Critical Error"
    assert by_note["no letters"]["reason"] == "no letters in the message"
    assert by_note["fullwidth"]["target_label"] == "Critical Error"


def assert_nothing_written(output: Path) -> None:
    assert not output.exists()
    assert not list(output.parent.glob(output.name + ".tmp-*")), "a temporary output was left behind"


def test_workers_import_the_project_under_test(spark: Any) -> None:
    import log_classifier

    seen = spark.sparkContext.parallelize([0, 1], 2).map(lambda _: __import__("log_classifier").__file__).collect()
    assert seen == [log_classifier.__file__] * 2
    assert Path(log_classifier.__file__).resolve().is_relative_to(PROJECT_ROOT)


def test_csv_labels_equal_the_cascade_and_columns_are_kept(
    spark: Any, loaded_classifier: LoadedClassifier, tmp_path: Path
) -> None:
    rows = sample_rows()
    source = write_csv(tmp_path / "logs.csv", ["id", "source", "log_message", "note"],
                       [(str(i), s, m, n) for i, (s, m, n) in enumerate(rows)])
    output = tmp_path / "out"

    assert run(["--input", str(source), "--output", str(output), "--explain", "--partitions", "3"], spark) == 0

    assert (output / "_SUCCESS").is_file()
    got = read_csv_parts(output)
    assert [row["id"] for row in got] == [str(i) for i in range(len(rows))]  # every row once, in order
    assert list(got[0]) == ["id", "source", "log_message", "note", *ADDED]
    assert [(row["source"], row["log_message"], row["note"]) for row in got] == rows
    expected = expected_cells(loaded_classifier, [r[0] for r in rows], [r[1] for r in rows])
    assert [tuple(row[name] for name in ADDED) for row in got] == expected
    assert_issue_24_rows({row["note"]: row for row in got})
    stages = {cells[1] for cells in expected}
    assert {"regex", "bert", "none"} <= stages  # the sample exercises every outcome
    # without --llm the LLM stage is off, as in a keyless service
    assert next(row for row in got if row["note"] == "routed to the LLM")["reason"] == REASON_DISABLED


def test_parquet_round_trip_keeps_typed_columns(
    spark: Any, loaded_classifier: LoadedClassifier, tmp_path: Path
) -> None:
    rows = sample_rows()[:60] + EDGE_ROWS
    table = pa.table({
        "id": pa.array([2**60 + i if i % 7 else None for i in range(len(rows))], pa.int64()),
        "source": [r[0] for r in rows],
        "log_message": [r[1] for r in rows],
        "score": pa.array([i / 3 for i in range(len(rows))], pa.float64()),
        "seen_at": pa.array([datetime(2026, 11, 29, 12, i % 60, 7) for i in range(len(rows))], pa.timestamp("us")),
        "target_label": ["old label"] * len(rows),  # a labelled file: the column is overwritten in place
    })
    source = tmp_path / "logs.parquet"
    pq.write_table(table, source)
    output = tmp_path / "out"

    assert run(["--input", str(source), "--output", str(output), "--format", "parquet"], spark) == 0

    got = pq.read_table(output)
    assert got.column_names == table.column_names
    for name in ("id", "source", "log_message", "score"):
        assert got.column(name).to_pylist() == table.column(name).to_pylist(), name
    assert [value.replace(tzinfo=None) for value in got.column("seen_at").to_pylist()] == \
        table.column("seen_at").to_pylist()
    expected = expected_cells(loaded_classifier, [r[0] for r in rows], [r[1] for r in rows])
    assert got.column("target_label").to_pylist() == [cells[0] for cells in expected]


def test_json_round_trip(spark: Any, loaded_classifier: LoadedClassifier, tmp_path: Path) -> None:
    rows = sample_rows()[:40] + EDGE_ROWS
    source = tmp_path / "logs.jsonl"
    with source.open("w", encoding="utf-8") as handle:
        for i, (src, message, note) in enumerate(rows):
            handle.write(json.dumps({"n": i, "source": src, "log_message": message, "meta": {"note": note}}) + "\n")
    output = tmp_path / "out"

    assert run(["--input", str(source), "--output", str(output), "--format", "json", "--explain"], spark) == 0

    got = [json.loads(line) for part in sorted(output.glob("part-*.json")) for line in part.read_text().splitlines()]
    assert [row["n"] for row in got] == list(range(len(rows)))
    assert [(row["source"], row["log_message"], row["meta"]["note"]) for row in got] == rows
    expected = expected_cells(loaded_classifier, [r[0] for r in rows], [r[1] for r in rows])
    assert [tuple(row[name] for name in ADDED) for row in got] == expected
    assert_issue_24_rows({row["meta"]["note"]: row for row in got})


def test_llm_gets_each_distinct_key_once(
    spark: Any, loaded_classifier: LoadedClassifier, fake_groq: FakeGroq, tmp_path: Path
) -> None:
    shapes = [
        "Refund approval for order {} stalled: approver role vacant",
        "Option --legacy-auth-{} is deprecated; use --auth-mode=oidc",
        "Agent {} signed out of the CRM console",
        "Snapshot {} of the customer table taken",
        "Queue {} did something nobody can name",
    ]
    # Each LLM-bound shape on many rows with different numbers, spread over three partitions.
    rows = [("LegacyCRM", shape.format(1000 + 17 * i)) for i in range(12) for shape in shapes]
    rows += [(s, m) for s, m, _ in sample_rows()[:30]]
    source = write_csv(tmp_path / "logs.csv", ["source", "log_message", "odd.name`"],
                       [(s, m, str(i)) for i, (s, m) in enumerate(rows)])
    output = tmp_path / "out"
    llm = {"groq_api_key": "test-key", "groq_base_url": fake_groq.base_url, "groq_model": "fake-model",
           "llm_batch_size": 4, "llm_concurrency": 2, "llm_max_retries": 0}

    assert run(["--input", str(source), "--output", str(output), "--llm", "--explain", "--partitions", "3"],
               spark, **llm) == 0

    # What the service (no key) would have handed to the LLM: those rows' distinct keys.
    keyless = loaded_classifier.cascade.classify([s for s, _ in rows], [m for _, m in rows])
    pending = {(s, mask_variables(m.strip())) for (s, m), p in zip(rows, keyless) if p.outcome == "llm_disabled"}
    assert len(pending) >= len(shapes)
    sent = [(log["source"], log["message"]) for request in fake_groq.requests for log in request.logs]
    assert len(sent) == len(pending)  # one call per distinct key, however many rows and partitions
    assert {(s, mask_variables(m)) for s, m in sent} == pending
    got = read_csv_parts(output)
    assert [(row["source"], row["log_message"]) for row in got] == rows
    assert [row["odd.name`"] for row in got] == [str(i) for i in range(len(rows))]
    for row, before in zip(got, keyless):
        if before.outcome == "llm_disabled":
            assert (row["target_label"], row["classified_by"]) == (label_by_keyword(row["log_message"]), "llm")
        else:
            assert (row["target_label"], row["classified_by"]) == (before.label, before.stage)


def test_each_worker_loads_the_cascade_once_and_keeps_its_cache(spark: Any, tmp_path: Path) -> None:
    rows = [("app", f"service {name} started in {i} ms") for i in range(40) for name in ("db", "web")]
    source = write_csv(tmp_path / "logs.csv", [" source", "log_message "], rows)  # header spaces: as the service

    for run_number in range(2):
        assert run(["--input", str(source), "--output", str(tmp_path / f"out{run_number}"), "--partitions", "2"],
                   spark) == 0

    def report(batches: Iterator[Any]) -> Iterator[Any]:
        import os

        import pandas as pd

        from log_classifier.spark import worker as job  # the module the workers' cascades live in

        for _ in batches:
            hits = sum(loaded.cascade.cache.hits for loaded in job._WORKER_LOADED.values())
            yield pd.DataFrame({"pid": [os.getpid()], "loaded": [len(job._WORKER_LOADED)], "hits": [hits]})

    # Through mapInPandas too: Spark keeps separate Python workers for DataFrame (Arrow) tasks and RDD tasks.
    probe = spark.range(8).repartition(8).mapInPandas(report, "pid long, loaded long, hits long")
    reports = {(row.pid, row.loaded, row.hits) for row in probe.collect()}
    loaded = [(count, hits) for _, count, hits in reports if count]
    assert loaded, "no Python worker kept a cascade"
    assert all(count == 1 for count, _ in loaded)  # one load per worker for these settings, however many tasks
    assert any(hits > 0 for _, hits in loaded)  # the second run found the shapes in the worker's cache


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("no_message.csv", "source,text\napp,hello\n", "missing required column(s): log_message"),
        ("garbage.parquet", "this is not parquet", "garbage.parquet"),
        ("absent-*.csv", None, "absent-*.csv"),
        ("extra_field.csv", "source,log_message\napp,ok\napp,one,two\n", "Malformed CSV record: app,one,two"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: str | None, message: str
) -> None:
    source = tmp_path / name
    if content is not None:
        source.write_text(content, encoding="utf-8")
    output = tmp_path / "out"

    assert run(["--input", str(source), "--output", str(output)], spark) == 2

    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert error.startswith("error: ") and message in error
    assert_nothing_written(output)


def test_failing_workers_leave_nothing_at_the_output(
    spark: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_csv(tmp_path / "logs.csv", ["source", "log_message"], [("app", "service started")])
    output = tmp_path / "out"

    # The model directory is checked where the model loads: in the Python workers, mid-job.
    assert run(["--input", str(source), "--output", str(output)], spark, model_dir=tmp_path / "no-model") == 2

    assert "no-model" in capsys.readouterr().err.strip().splitlines()[-1]
    assert_nothing_written(output)


def test_existing_output_is_refused(spark: Any, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "logs.csv", ["source", "log_message"], [("app", "service started")])
    output = tmp_path / "out"
    output.mkdir()
    (output / "keep.txt").write_text("mine")

    assert run(["--input", str(source), "--output", str(output)], spark) == 2

    assert (output / "keep.txt").read_text() == "mine"


def test_module_entry_point_reports_a_missing_input(tmp_path: Path) -> None:
    source = tmp_path / "absent.csv"
    output = tmp_path / "out"

    done = subprocess.run(
        [sys.executable, "-m", "log_classifier.spark", "--input", str(source), "--output", str(output),
         "--master", "local[1]"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=180,
    )

    assert done.returncode == 2
    assert done.stderr.strip() == f"error: {source}: no such file or directory"
    assert_nothing_written(output)


@pytest.mark.parametrize(("path", "expected"), [
    ("logs/x.json.gz", "json"), ("logs/x.jsonl.bz2", "json"), ("logs/*.ndjson.zst", "json"),
    ("logs/x.csv.gz", "csv"), ("logs/x.parquet", "parquet"), ("logs/x.gz", "csv"), ("logs/2026-11-*", "csv"),
])
def test_guess_format_looks_through_a_compression_suffix(path: str, expected: str) -> None:
    assert spark_job.guess_format(path) == expected
