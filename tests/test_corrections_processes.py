"""Issue 21's "done when", with real uvicorn processes: on real lines from systems the model never saw
(training/probe2_logs.csv), a person corrects half of each system's wrong patterns in one process; every
line of a corrected pattern then has the person's label there at once, in a second process on the same
store within 5 s, and after both are killed with SIGKILL and one is started again; the patterns nobody
corrected are no worse. With the store in a SQLite file and in PostgreSQL (a throwaway cluster)."""

from __future__ import annotations

import signal
import subprocess
import time
import uuid
from collections import Counter, defaultdict
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pandas as pd
import pytest
from live_server import uvicorn_process, uvicorn_processes

from log_classifier.config import PROJECT_DIR

pytestmark = pytest.mark.slow

PROBE = PROJECT_DIR / "training" / "probe2_logs.csv"
SYNC_S = 1.0
SECOND_PROCESS_WITHIN_S = 5.0


def service_env(store: str) -> dict[str, str]:
    return {"PATTERN_STORE": store, "PATTERN_FLUSH_S": "0.2", "CORRECTION_SYNC_S": str(SYNC_S)}


def service(store: str) -> AbstractContextManager[tuple[subprocess.Popen[bytes], str]]:
    return uvicorn_process(service_env(store))


def classify(url: str, frame: pd.DataFrame) -> list[dict]:
    logs = [{"source": s, "log_message": m} for s, m in zip(frame["source"], frame["log_message"])]
    answer = httpx.post(f"{url}/classify/json", json={"logs": logs}, timeout=120)
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]


def person_corrects_half(url: str, frame: pd.DataFrame, results: list[dict]) -> dict[str, str]:
    """Half of each system's wrong patterns (every other, in id order), corrected to their lines' label."""
    truth: dict[str, Counter[str]] = defaultdict(Counter)
    source_of: dict[str, str] = {}
    answer_of: dict[str, str] = {}
    for result, source, label in zip(results, frame["source"], frame["target_label"]):
        truth[result["pattern_id"]][label] += 1
        source_of[result["pattern_id"]] = source
        answer_of[result["pattern_id"]] = result["target_label"]
    wrong: dict[str, list[str]] = defaultdict(list)
    for pid, labels in sorted(truth.items()):
        if answer_of[pid] != labels.most_common(1)[0][0]:
            wrong[source_of[pid]].append(pid)
    chosen = {pid: truth[pid].most_common(1)[0][0] for pids in wrong.values() for pid in pids[::2]}
    assert len(chosen) >= 5, f"too few wrong patterns to test with: {dict(wrong)}"
    deadline = time.monotonic() + 30
    for pid, label in chosen.items():
        while True:  # the writer stores the pattern within a flush or two
            answer = httpx.put(f"{url}/patterns/{pid}/label", json={"label": label, "note": "probe2"}, timeout=30)
            if answer.status_code != 404 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert answer.status_code == 200, answer.text
    return chosen


def check_corrected(results: list[dict], chosen: dict[str, str]) -> list[str]:
    """Problems: lines of a corrected pattern without the person's label."""
    return [f"{r['pattern_id']}: {r['target_label']} by {r['classified_by']}" for r in results
            if r["pattern_id"] in chosen and (r["target_label"], r["classified_by"]) != (chosen[r["pattern_id"]], "feedback")]


def uncorrected_right(frame: pd.DataFrame, results: list[dict], chosen: dict[str, str]) -> int:
    return sum(r["target_label"] == label for r, label in zip(results, frame["target_label"])
               if r["pattern_id"] not in chosen)


def done_when(store: str) -> None:
    frame = pd.read_csv(PROBE, dtype=str, keep_default_na=False)
    with uvicorn_processes(service_env(store), service_env(store)) as [(first_proc, first), (second_proc, second)]:
        before = classify(first, frame)
        classify(second, frame)  # the second process has answered (and cached) every line before the correction
        chosen = person_corrects_half(first, frame, before)
        corrected_at = time.monotonic()

        after = classify(first, frame)
        assert check_corrected(after, chosen) == []
        assert uncorrected_right(frame, after, chosen) >= uncorrected_right(frame, before, chosen)
        while True:  # the second process polls the store's version every CORRECTION_SYNC_S
            elsewhere = classify(second, frame)
            problems = check_corrected(elsewhere, chosen)
            if not problems or time.monotonic() - corrected_at > SECOND_PROCESS_WITHIN_S:
                break
            time.sleep(0.2)
        assert problems == []
        assert time.monotonic() - corrected_at <= SECOND_PROCESS_WITHIN_S
        for proc in (first_proc, second_proc):
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
    with service(store) as (_, again):
        restarted = classify(again, frame)
        assert check_corrected(restarted, chosen) == []
        audit = httpx.get(f"{again}/corrections", timeout=30).json()
        assert audit["total"] == len(chosen) and {item["pattern_id"] for item in audit["corrections"]} == set(chosen)


def test_done_when_sqlite(tmp_path: Path) -> None:
    done_when(str(tmp_path / "patterns.db"))


def test_done_when_postgresql(postgres_url: str) -> None:
    import psycopg

    name = f"corrections_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    done_when(postgres_url.rsplit("/", 1)[0] + "/" + name)
