"""GET /patterns, /patterns/{id}, /patterns/compare through the real app, fed by /ingest, /classify/json
and /classify/ with the lines' own timestamps; the new-pattern webhook; /health and /metrics."""

from __future__ import annotations

import csv
import json
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from helpers import make_settings
from webhook_receiver import webhook_receiver

from log_classifier.config import PROJECT_DIR

PROBE = PROJECT_DIR / "training" / "probe_logs.csv"
HOUR, DAY = 3600, 86_400
SYSTEMS = ["sshd", "postgresql", "apache", "nginx", "kernel", "elasticsearch", "postfix", "spark", "kafka", "nova"]
NEW, GONE, TRIPLED = {"sshd", "postgresql"}, {"apache", "nginx"}, "kernel"


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat().replace("+00:00", "Z")


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from log_classifier.api.app import create_app

    store = tmp_path_factory.mktemp("patterns") / "patterns.db"
    with TestClient(create_app(make_settings(pattern_store=str(store), pattern_flush_s=0.1))) as test_client:
        yield test_client


def wait_written(client: TestClient, timeout: float = 20.0) -> None:
    """Until the writer has nothing pending."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        store = client.get("/health").json()["pattern_store"]
        if store["pending_lines"] == 0 and store["status"] == "ok":
            return
        time.sleep(0.05)
    raise AssertionError("the pattern store did not catch up")


def all_pages(client: TestClient, query: str, limit: int = 7) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    items: list[dict[str, Any]] = []
    cursor = ""
    while True:
        page = client.get(f"/patterns?{query}&limit={limit}{cursor}")
        assert page.status_code == 200, page.text
        body = page.json()
        items += body["patterns"]
        if body["next_cursor"] is None:
            return items, body
        cursor = f"&cursor={body['next_cursor']}"


@pytest.mark.slow
def test_two_days_of_ten_systems_new_gone_changed_and_day_counts(client: TestClient) -> None:
    with PROBE.open(encoding="utf-8") as handle:
        lines = [row for row in csv.DictReader(handle) if row["source"] in SYSTEMS and row["log_message"].strip()]
    day1 = (int(time.time()) // HOUR) * HOUR - 2 * DAY + 2 * HOUR  # hour-aligned, inside the hour retention
    day2 = day1 + DAY
    # copies of each line per day: 2 and 2 (steady), 2 and 6 (tripled), only day 1 (gone), only day 2 (new)
    copies = {system: (2, 2) for system in SYSTEMS}
    copies.update({system: (2, 0) for system in GONE} | {system: (0, 2) for system in NEW} | {TRIPLED: (2, 6)})
    records: list[dict[str, Any]] = []
    sent = Counter()
    for day, start in ((0, day1), (1, day2)):
        chosen = [row for row in lines for _ in range(copies[row["source"]][day])]
        for i, row in enumerate(chosen):
            at = start + (i + 0.5) * DAY / len(chosen)
            # the three ways shippers state a time: ISO 8601 with Z, epoch seconds (Fluent Bit), with an offset
            stamp: dict[str, Any] = [{"timestamp": iso(at)}, {"date": at},
                                     {"@timestamp": datetime.fromtimestamp(at, tz=UTC).astimezone().isoformat()}][i % 3]
            records.append({"log": row["log_message"], "host": row["source"], **stamp})
        sent[day] = len(chosen)
    ids: dict[str, set[str]] = {system: set() for system in SYSTEMS}
    for start in range(0, len(records), 500):
        batch = records[start : start + 500]
        answer = client.post("/ingest?explain=true", content="\n".join(json.dumps(r) for r in batch),
                             headers={"Content-Type": "application/x-ndjson"})
        assert answer.status_code == 200
        for record, line in zip(batch, answer.text.splitlines()):
            ids[record["host"]].add(json.loads(line)["pattern_id"])
    wait_written(client)

    # each day's counts add up to the lines sent that day, over every page
    for day, start in ((0, day1), (1, day2)):
        items, body = all_pages(client, f"start={iso(start)}&end={iso(start + DAY)}")
        assert sum(item["count"] for item in items) == body["lines"] == sent[day]
        assert len(items) == body["total"] == len({item["id"] for item in items})

    query = (f"baseline_start={iso(day1)}&baseline_end={iso(day2)}&target_start={iso(day2)}"
             f"&target_end={iso(day2 + DAY)}&limit=1000")
    compared = client.get(f"/patterns/compare?{query}").json()
    assert {item["id"] for item in compared["new"]} == set().union(*(ids[s] for s in NEW))
    assert {item["id"] for item in compared["gone"]} == set().union(*(ids[s] for s in GONE))
    assert {item["id"] for item in compared["changed"]} == ids[TRIPLED]
    assert all(item["ratio"] == pytest.approx(3.0) and item["score"] > 0 for item in compared["changed"])
    assert compared["new_total"] == len(compared["new"])
    assert all(item["baseline_count"] == 0 and item["target_count"] > 0 for item in compared["new"])

    # one pattern's series over the two days adds up to its count
    some = next(iter(ids[TRIPLED]))
    detail = client.get(f"/patterns/{some}?start={iso(day1)}&end={iso(day2 + DAY)}&step=hour").json()
    assert sum(point["count"] for point in detail["series"]) == detail["count"] > 0
    assert len(detail["series"]) == 48 and detail["examples"]
    assert detail["source"] == TRIPLED


@pytest.mark.slow
def test_classify_json_and_csv_count_at_their_own_times(client: TestClient) -> None:
    at = int(time.time()) - 5 * HOUR
    message = "Backup job 4411 for tenant quokka finished"
    result = client.post("/classify/json", json={"logs": [
        {"source": "backupd", "log_message": message, "timestamp": iso(at)},
        {"source": "backupd", "log_message": message.replace("4411", "4412"), "timestamp": at * 1000},
        {"source": "backupd", "log_message": message, "timestamp": "not a time"},
    ]}).json()["results"]
    pid = result[0]["pattern_id"]
    assert [r["pattern_id"] for r in result] == [pid] * 3
    csv_body = f"source,log_message,timestamp\nbackupd,{message},{iso(at)}\n".encode()
    answer = client.post("/classify/?explain=true", files={"file": ("b.csv", csv_body, "text/csv")})
    assert answer.text.splitlines()[1].endswith("," + pid)
    wait_written(client)
    window = f"start={iso(at - 60)}&end={iso(at + 60)}"
    assert client.get(f"/patterns/{pid}?{window}&step=minute").json()["count"] == 3  # the unreadable one is now
    assert client.get(f"/patterns/{pid}").json()["count"] == 4
    assert client.get(f"/patterns?source=backupd&q=QUOKKA&{window}").json()["lines"] == 3
    metrics = client.get("/metrics").text
    assert "log_classifier_unreadable_timestamps_total 1.0" in metrics
    assert "log_classifier_pattern_store_up 1.0" in metrics
    assert 'log_classifier_new_patterns_total{category="' in metrics


@pytest.mark.parametrize(
    ("query", "status", "names"),
    [
        ("/patterns?start=yesterday", 400, "start"),
        ("/patterns?start=2026-12-06T00:00:00Z&end=2026-12-05T00:00:00Z", 400, "end"),
        ("/patterns?start=2020-01-01T00:00:00Z&end=2026-01-01T00:00:00Z", 400, "start"),
        ("/patterns/compare?target_start=2026-13-01", 400, "target_start"),
        ("/patterns/compare?baseline_end=2026-12-01T00:00:00Z&baseline_start=2026-12-02T00:00:00Z", 400, "baseline_end"),
        ("/patterns?label=Errors", 400, "label"),
        ("/patterns?cursor=bm9wZQ", 400, "cursor"),
        ("/patterns?limit=1001", 400, "limit"),
        ("/patterns/0123456789abcdef?start=2026-01-01T00:00:00Z&end=2026-12-01T00:00:00Z&step=minute", 400, "step"),
        ("/patterns/not-an-id", 404, "not-an-id"),
    ],
)
def test_bad_queries_name_the_parameter(app_client: TestClient, query: str, status: int, names: str) -> None:
    # checked before the store is asked: the session app (store off) answers them
    answer = app_client.get(query)
    assert answer.status_code == status
    assert names in answer.json()["detail"]


@pytest.mark.slow
def test_unknown_pattern_id_is_404(client: TestClient) -> None:
    answer = client.get("/patterns/0123456789abcdef")
    assert answer.status_code == 404 and "0123456789abcdef" in answer.json()["detail"]


def test_store_off_answers_503_and_health_says_off(app_client: TestClient) -> None:
    assert app_client.get("/patterns").status_code == 503
    assert app_client.get("/health").json()["pattern_store"] == {"status": "off"}


@pytest.mark.slow
def test_first_line_of_a_watched_pattern_sends_one_new_pattern_webhook(tmp_path: Path) -> None:
    from log_classifier.api.app import create_app

    with webhook_receiver() as receiver:
        settings = make_settings(pattern_store=str(tmp_path / "p.db"), pattern_flush_s=0.1, alert_new_patterns=True,
                                 alert_webhook_url=receiver.url, alert_cooldown_s=3600)
        with TestClient(create_app(settings)) as client:
            line = {"source": "node-7", "log_message": "Kernel panic - not syncing: Fatal exception in interrupt"}
            quiet = {"source": "app", "log_message": "User 8812 logged in"}
            client.post("/classify/json", json={"logs": [line, quiet]})
            wait_written(client)
            posts = [receiver.next_post(10), receiver.next_post(10)]  # the category alert and the new pattern
            new = next(post for post in posts if post.get("new_pattern"))
            assert new["pattern"]["label"] == "Critical Error" and new["pattern"]["source"] == "node-7"
            assert new["example"] == line["log_message"] and "Critical Error" in new["text"]
            client.post("/classify/json", json={"logs": [line]})  # seen before: no new-pattern alert
            wait_written(client)
            time.sleep(0.5)
            assert receiver.posts.empty()


@pytest.mark.slow
def test_unreachable_postgresql_at_start_still_classifies_and_reports_degraded() -> None:
    import socket

    from log_classifier.api.app import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here
    settings = make_settings(pattern_store=f"postgresql://nobody@127.0.0.1:{port}/patterns", pattern_flush_s=0.1)
    with TestClient(create_app(settings)) as client:
        answer = client.post("/classify/json", json={"logs": [{"source": "sshd", "log_message": "session opened"}]})
        assert answer.status_code == 200 and answer.json()["results"][0]["pattern_id"]
        health = client.get("/health").json()
        assert health["status"] == "degraded" and health["pattern_store"]["status"] == "down"
        assert "nobody" in health["pattern_store"]["database"]
        assert client.get("/patterns").status_code == 503
        assert "log_classifier_pattern_store_up 0.0" in client.get("/metrics").text


def test_the_cli_counts_its_lines_in_the_store(tmp_path: Path, loaded_classifier: Any) -> None:
    from log_classifier import cli
    from log_classifier.patterns.database import make_engines
    from log_classifier.patterns.store import PatternStore, Window

    at = int(time.time()) - 2 * HOUR
    source = tmp_path / "in.csv"
    source.write_text("source,log_message,timestamp\n"
                      + "".join(f"cron,Job {i} for host h{i} started,{iso(at)}\n" for i in range(40))
                      + "cron,,\n", encoding="utf-8")
    store_path = tmp_path / "p.db"
    code = cli.main([str(source), "--output", str(tmp_path / "out.csv"), "--no-progress"],
                    settings=make_settings(pattern_store=str(store_path)), classifier=loaded_classifier)
    assert code == 0
    store = PatternStore(make_engines(str(store_path)))
    items, total, lines = store.list_patterns(Window(at - 60, at + 60), time.time())
    assert (total, lines) == (1, 40) and items[0]["source"] == "cron"
    store.engines.dispose()
