"""The pattern store below the HTTP layer: line times, the recorder and its writer, the store's
queries, SQLite and PostgreSQL (a throwaway cluster of Debian's server), several processes at once."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from log_classifier.config import PROJECT_DIR
from log_classifier.contract import Prediction
from log_classifier.patterns.database import make_engines, migrate
from log_classifier.patterns.recorder import PatternRecorder, open_recorder
from log_classifier.patterns.store import DAY, HOUR, PatternStore, Retention, Window
from log_classifier.patterns.timestamps import line_time
from log_classifier.text.pattern_key import pattern_id, pattern_key

NOW = 1_796_612_400.0  # 2026-12-07T03:00:00Z
CRITICAL = Prediction("Critical Error", "regex", 1.0, "rule:disk")
NOTICE = Prediction("System Notification", "bert", 0.93, "model:test")
DISK = pattern_key("storage", "disk 7 failed on /dev/sda")
LOGIN = pattern_key("sshd", "user alice logged in from 10.1.2.3")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-12-07T03:00:00Z", NOW),
        ("2026-12-07T04:00:00+01:00", NOW),
        ("2026-12-07T03:00:00.250Z", NOW + 0.25),
        ("2026-12-07 03:00:00", NOW),  # no offset: UTC
        (NOW, NOW),
        (int(NOW * 1000), NOW),  # epoch milliseconds (Fluent Bit's date in ms)
        (str(int(NOW)), NOW),
        ("yesterday", None),
        ("", None),
        (None, None),
        (True, None),
        ({"t": 1}, None),
        ("2099-01-01T00:00:00Z", None),  # a clock far ahead: not believed
    ],
)
def test_line_time(value: object, expected: float | None) -> None:
    assert line_time(value, NOW) == expected


def _recorder(location: str, **kwargs: object) -> PatternRecorder:
    recorder = open_recorder(location, flush_s=0.1, **kwargs)  # type: ignore[arg-type]
    assert isinstance(recorder, PatternRecorder)
    return recorder


def test_counts_add_up_per_window_and_pattern(tmp_path: Path) -> None:
    recorder = _recorder(str(tmp_path / "p.db"))
    try:
        now = time.time()
        hour_ago, day_ago = now - HOUR, now - DAY - 10
        keys = [DISK, LOGIN, DISK, None, DISK]
        recorder.record(keys, [CRITICAL, NOTICE, CRITICAL, CRITICAL, CRITICAL],
                        [hour_ago, day_ago, "not a time", None, None],
                        ["disk 7 failed on /dev/sda", "user alice logged in from 10.1.2.3", "disk 8 failed on /dev/sdb",
                         "", "disk 9 failed on /dev/sdc"])
        recorder.record([LOGIN] * 4, [NOTICE] * 4)
        assert recorder.flush()
        store = recorder.store
        assert store is not None
        items, total, lines = store.list_patterns(Window(now - 2 * DAY, now + 60), time.time())
        assert (total, lines) == (2, 8)  # the empty line (no key) is no pattern
        assert {item["id"]: item["count"] for item in items} == {pattern_id(DISK): 3, pattern_id(LOGIN): 5}
        items, total, lines = store.list_patterns(Window(now - 2 * HOUR, now + 60), time.time())
        assert {item["id"]: item["count"] for item in items} == {pattern_id(DISK): 3, pattern_id(LOGIN): 4}
        disk = next(item for item in items if item["id"] == pattern_id(DISK))
        assert disk["label"] == "Critical Error" and disk["pattern"] == DISK.masked
        assert recorder.stats()["unreadable_times"] == 1
        # the example is the latest line, redacted as for the LLM
        login = store.get_pattern(pattern_id(LOGIN), Window(now - 2 * DAY, now + 60), time.time(), "hour")
        assert "10.1.2.3" not in login["example"] and "<IP>" in login["example"]
        assert sum(point["count"] for point in login["series"]) == login["count"] == 5
        assert store.list_patterns(Window(now - 2 * DAY, now + 60), time.time(), q="DEV/SD")[1] == 1
        assert store.list_patterns(Window(now - 2 * DAY, now + 60), time.time(), label="Critical Error")[1] == 1
    finally:
        recorder.close()


def test_unreachable_store_keeps_counts_bounded_and_counts_what_it_drops(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    recorder = _recorder(str(blocker / "p.db"), max_pending=100)  # its folder cannot be created
    try:
        recorder.record([DISK] * 5, [CRITICAL] * 5)
        assert not recorder.flush()
        assert recorder.health()["status"] == "down" and recorder.health()["pending_lines"] == 5
        keys = [pattern_key("s", "line shape " + "x" * i) for i in range(150)]  # 150 more patterns: 99 fit
        recorder.record([key for key in keys if key.masked], [NOTICE] * 150)
        stats = recorder.stats()
        assert stats["write_errors"] >= 1
        assert recorder.health()["pending_lines"] + stats["dropped_lines"] == 155
    finally:
        recorder.close()


def test_pruning_keeps_hours_after_minutes_are_gone(tmp_path: Path) -> None:
    engines = make_engines(str(tmp_path / "p.db"))
    migrate(engines)
    store = PatternStore(engines, Retention(minute_hours=1, days=2))
    recorder = PatternRecorder(store, flush_s=0.1)
    now = time.time()
    recorder.record([DISK, DISK, LOGIN], [CRITICAL, CRITICAL, NOTICE], [now - 3 * HOUR, now, now - 3 * DAY])
    assert recorder.flush()
    store.prune(now)
    items, total, lines = store.list_patterns(Window(now - 5 * HOUR, now + 60), now)
    assert (total, lines) == (1, 2)  # 3 h ago is read from the hour buckets; LOGIN was last seen 3 days ago
    assert store.count_patterns() == 1
    engines.dispose()


_WRITER = """
import sys, time
from log_classifier.contract import Prediction
from log_classifier.patterns.recorder import open_recorder
from log_classifier.text.pattern_key import pattern_key
recorder = open_recorder(sys.argv[1], flush_s=0.05)
names = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf"]
keys = [pattern_key("s", f"shape {names[i % 7]} x {i}") for i in range(1000)]
for _ in range(20):
    recorder.record(keys, [Prediction("Critical Error", "regex", 1.0, "r")] * len(keys))
    time.sleep(0.01)
recorder.close()
assert recorder.stats()["write_errors"] == 0 or recorder.health()["status"] == "ok"
"""


def _two_processes(location: str) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, location], cwd=PROJECT_DIR) for _ in range(2)]
    assert [proc.wait(120) for proc in procs] == [0, 0]
    engines = make_engines(location)
    store = PatternStore(engines)
    now = time.time()
    items, total, lines = store.list_patterns(Window(now - HOUR, now + 60), now)
    assert (total, lines) == (7, 2 * 20 * 1000)
    # exactly one process saw each pattern as new: first_seen / counts are shared
    assert store.count_patterns() == 7
    engines.dispose()


@pytest.mark.slow
def test_two_processes_on_one_sqlite_file_count_every_line_once(tmp_path: Path) -> None:
    _two_processes(str(tmp_path / "shared.db"))


@pytest.mark.slow
def test_postgresql_two_processes_and_a_late_database(postgres_url: str) -> None:
    import psycopg

    _two_processes(postgres_url)
    # a database that does not exist yet is an unreachable store: counts wait, then are written
    late = postgres_url.rsplit("/", 1)[0] + "/late_patterns"
    recorder = _recorder(late)
    try:
        recorder.record([DISK] * 3, [CRITICAL] * 3)
        assert not recorder.flush() and recorder.health()["status"] == "down"
        with psycopg.connect(postgres_url.replace("postgresql://", "postgresql://", 1), autocommit=True) as conn:
            conn.execute("CREATE DATABASE late_patterns")
        assert recorder.flush() and recorder.health()["status"] == "ok"
        store = recorder.store
        assert store is not None
        now = time.time()
        assert store.list_patterns(Window(now - HOUR, now + 60), now)[2] == 3
        # the queries behind /patterns/{id} and /patterns/compare, and pruning, in PostgreSQL's dialect
        recorder.record([LOGIN] * 4 + [DISK], [NOTICE] * 4 + [CRITICAL], [now - 3 * DAY] * 4 + [now - 2 * DAY])
        assert recorder.flush()
        detail = store.get_pattern(pattern_id(DISK), Window(now - 3 * DAY, now + 60), now, "day")
        assert detail["count"] == 4 and sum(point["count"] for point in detail["series"]) == 4
        compared = store.compare(Window(now - 4 * DAY, now - DAY), Window(now - HOUR, now + 60), now, min_count=1)
        assert [item["id"] for item in compared["gone"]] == [pattern_id(LOGIN)]
        assert [item["id"] for item in compared["changed"]] == [pattern_id(DISK)]
        assert store.list_patterns(Window(now - HOUR, now + 60), now, q="FAILED", label="Critical Error")[1] == 1
        store.prune(now + 30 * DAY + 2 * HOUR)  # everything is past the retention then
        assert store.count_patterns() == 0
    finally:
        recorder.close()
