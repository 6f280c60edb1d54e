"""`python -m log_classifier.spark --pattern-store URL`: a backfill's pattern counts in the service's store."""

from __future__ import annotations

import csv
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from helpers import make_settings

from log_classifier import spark as spark_job
from log_classifier.patterns.database import make_engines
from log_classifier.patterns.store import DAY, HOUR, PatternStore, Window
from log_classifier.text.pattern_key import pattern_id, pattern_key
from log_classifier.text.prepare import classification_text

pytestmark = pytest.mark.slow


def test_the_job_counts_every_row_at_its_own_time(spark: Any, tmp_path: Path) -> None:
    now = time.time()
    rows = []
    for i in range(300):
        at = now - (i % 3) * DAY - 3 * HOUR  # today, yesterday, the day before (hour buckets)
        stamp = f"{at:.3f}" if i % 2 else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at))
        message = [f"Backup of volume vol-{i} completed in {i % 50} s", f"User u{i} logged in from 10.0.{i % 9}.1",
                   "Kernel panic - not syncing: Fatal exception"][i % 3]
        rows.append((str(i), ["backupd", "sshd", "kernel"][i % 3], message, stamp))
    rows.append(("empty", "webapp", "", ""))
    source = tmp_path / "logs.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "source", "log_message", "timestamp"])
        writer.writerows(rows)
    store_path = tmp_path / "patterns.db"
    output = tmp_path / "out"
    argv = ["--input", str(source), "--output", str(output), "--pattern-store", str(store_path), "--partitions", "2"]
    assert spark_job.main(argv, settings=make_settings(), spark=spark) == 0

    # the answer carries no hidden column, and no explain columns without --explain
    with next(output.glob("part-*.csv")).open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == ["id", "source", "log_message", "timestamp", "target_label"]

    expected = Counter(pattern_id(pattern_key(src, classification_text(msg, 2000))) for _, src, msg, _ in rows if msg)
    store = PatternStore(make_engines(str(store_path)))
    items, total, lines = store.list_patterns(Window(now - 4 * DAY, now + 60), time.time(), limit=1000)
    assert lines == 300 and {item["id"]: item["count"] for item in items} == dict(expected)
    kernel = pattern_id(pattern_key("kernel", "Kernel panic - not syncing: Fatal exception"))
    detail = store.get_pattern(kernel, Window(now - 4 * DAY, now + 60), time.time(), "day")
    assert detail["label"] == "Critical Error" and detail["classified_by"] == "regex" and detail["count"] == 100
    # yesterday's window holds exactly yesterday's rows
    day_items, _, day_lines = store.list_patterns(Window(now - DAY - 4 * HOUR, now - DAY - 2 * HOUR), time.time())
    assert day_lines == 100
    store.engines.dispose()
