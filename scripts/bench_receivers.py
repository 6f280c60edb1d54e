"""Benchmark (not a test): how many lines a second the syslog receiver (TCP, octet-counted) and
`POST /v1/logs` (protobuf, batches of 1000 records) classify and count, end to end.

    .venv/bin/python scripts/bench_receivers.py [--lines 20000]

Runs the app under uvicorn in this process (settings from the environment / `.env`, syslog on free
ports), sends LINES lines of a few known shapes with varying numbers (the cache answers most of them:
this measures the receivers, not the model) and waits until /metrics has counted them all.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from feed_checks import MIXED_LINES, rows_classified  # noqa: E402
from live_server import serve  # noqa: E402
from otlp_payloads import record, request, resource, resource_logs, text  # noqa: E402

from log_classifier.api.app import create_app  # noqa: E402
from log_classifier.config import get_settings  # noqa: E402


def line(i: int) -> str:
    return f"{MIXED_LINES[i % len(MIXED_LINES)]} (event {i})"


def wait_counted(client: httpx.Client, start: int, total: int) -> None:
    while sum(rows_classified(client).values()) < start + total:
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20_000)
    count = parser.parse_args().lines
    app = create_app(get_settings(syslog_tcp_port=0))
    with serve(app) as url, httpx.Client(base_url=url, timeout=120) as client:
        start = sum(rows_classified(client).values())
        began = time.perf_counter()
        with socket.create_connection(("127.0.0.1", app.state.syslog.tcp_port)) as sock:
            for i in range(count):
                frame = f"<11>1 2026-12-07T03:00:00Z web-1 app{i % 7} - - - {line(i)}".encode()
                sock.sendall(str(len(frame)).encode() + b" " + frame)
        wait_counted(client, start, count)
        took = time.perf_counter() - began
        print(f"syslog TCP: {count} lines in {took:.2f} s = {count / took:,.0f} lines/s")

        start = sum(rows_classified(client).values())
        began = time.perf_counter()
        for first in range(0, count, 1000):
            batch = request(resource_logs(resource(service_name="checkout"), "bench",
                                          *[record(text(line(i))) for i in range(first, min(first + 1000, count))]))
            client.post("/v1/logs", content=batch.SerializeToString(),
                        headers={"Content-Type": "application/x-protobuf"}).raise_for_status()
        wait_counted(client, start, count)
        took = time.perf_counter() - began
        print(f"OTLP protobuf: {count} records in {took:.2f} s = {count / took:,.0f} records/s")


if __name__ == "__main__":
    main()
