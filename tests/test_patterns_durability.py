"""The pattern store survives the process: a real uvicorn process killed with SIGKILL after a flush, or
stopped with SIGTERM right after its last answer, has counted every line once it is started again."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from live_server import uvicorn_process

pytestmark = pytest.mark.slow

FLUSH_S = 0.5


def service(store: Path, flush_s: float = FLUSH_S) -> AbstractContextManager[tuple[subprocess.Popen[bytes], str]]:
    return uvicorn_process({"PATTERN_STORE": str(store), "PATTERN_FLUSH_S": str(flush_s)})


def post_lines(url: str, first: int, count: int) -> None:
    for start in range(first, first + count, 2500):
        records = [
            {"log": f"worker {i % 40} finished job {i} for tenant t{i % 7} in {i % 997} ms", "host": f"svc-{i % 10}"}
            for i in range(start, min(start + 2500, first + count))
        ]
        answer = httpx.post(f"{url}/ingest", content="\n".join(json.dumps(r) for r in records),
                            headers={"Content-Type": "application/x-ndjson"}, timeout=120)
        assert answer.status_code == 200


def counted(url: str) -> int:
    return httpx.get(f"{url}/patterns", timeout=30).json()["lines"]


def flushed(url: str, lines: int) -> None:
    """Wait until the store holds `lines` lines and nothing is pending: a flush has written them."""
    deadline = time.monotonic() + 30
    while not (counted(url) == lines and httpx.get(f"{url}/health", timeout=30).json()["pattern_store"]["pending_lines"] == 0):
        assert time.monotonic() < deadline, "the writer did not flush"
        time.sleep(0.1)


def test_every_line_counted_across_kill_9_and_sigterm(tmp_path: Path) -> None:
    store = tmp_path / "patterns.db"
    with service(store) as (proc, url):
        post_lines(url, 0, 10_000)
        flushed(url, 10_000)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    # A flush interval longer than the test: only the shutdown can write the last 2,500.
    with service(store, flush_s=300) as (proc, url):
        assert counted(url) == 10_000
        post_lines(url, 10_000, 2_500)
        proc.send_signal(signal.SIGTERM)  # right after the last answer: the shutdown writes what is pending
        assert proc.wait(60) in (0, -signal.SIGTERM)  # uvicorn re-raises the signal after its graceful shutdown
    with service(store) as (proc, url):
        assert counted(url) == 12_500
