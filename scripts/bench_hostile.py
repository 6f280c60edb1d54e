"""Benchmark (not a test): what hostile and departing clients cost a live server (issue 24).

    .venv/bin/python scripts/bench_hostile.py [--clients 20] [--shapes 1000] [--give-up 3]

Starts `uvicorn server:app` on a free port (fast path off, so every new shape costs the encoder),
then prints:
1. gzip bombs (`[{},{},…]` and `{}\\n` x 30 million, ~90-300 kB on the wire) to `/ingest`: the status,
   seconds to the answer, the server's resident memory growth (peak, from /proc), and the slowest of
   the probes sent meanwhile;
2. `--clients` clients sending `--shapes` new shapes each to `/classify/json` and giving up after
   `--give-up` seconds: the server's CPU seconds in each second after they left (it should fall to
   ~0 within a second or two), and a probe's latency meanwhile;
3. a soak at about twice what the encoder sustains: how many requests were shed (503 + Retry-After)
   and the p50 / p99 latency of those accepted.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from _server import uvicorn_server

WORDS = ("replica shard cursor ledger beacon quota vault relay socket buffer kernel daemon cache queue token lease "
         "index tenant bucket volume mirror pipeline batch worker scheduler gateway router stream cluster segment "
         "snapshot journal checksum handshake session backlog partition").split()
TICKS = os.sysconf("SC_CLK_TCK")


def shapes(count: int, rng: random.Random) -> list[dict[str, str]]:
    return [{"source": "bench", "log_message": " ".join(rng.sample(WORDS, 7))} for _ in range(count)]


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def probe_while(base: str, running: threading.Event, latencies: list[float]) -> None:
    with httpx.Client(base_url=base, timeout=60) as client:
        while running.is_set():
            started = time.monotonic()
            client.get("/health")
            latencies.append(time.monotonic() - started)
            time.sleep(0.1)


def post_bomb(base: str, body: bytes, result: dict[str, httpx.Response]) -> None:
    result["r"] = httpx.post(f"{base}/ingest", content=body, headers={"Content-Encoding": "gzip"}, timeout=120)


def bombs(base: str, pid: int) -> None:
    for name, inner in (("[{},{},…] x 30M", b"[" + b"{}," * 30_000_000 + b"{}]"), ("{}\\n x 30M", b"{}\n" * 30_000_000)):
        body = gzip.compress(inner, compresslevel=9)
        del inner
        before, peak = rss_mb(pid), 0.0
        running, latencies = threading.Event(), list[float]()
        running.set()
        prober = threading.Thread(target=probe_while, args=(base, running, latencies))
        prober.start()
        started = time.monotonic()
        result: dict[str, httpx.Response] = {}
        sender = threading.Thread(target=post_bomb, args=(base, body, result))
        sender.start()
        while sender.is_alive():
            peak = max(peak, rss_mb(pid))
            time.sleep(0.01)
        elapsed = time.monotonic() - started
        running.clear()
        prober.join()
        print(f"bomb {name} ({len(body) / 1024:.0f} kB gzip): {result['r'].status_code} in {elapsed:.2f} s, "
              f"server RSS +{max(peak - before, 0):.0f} MB at peak, slowest probe meanwhile "
              f"{max(latencies, default=0):.2f} s", flush=True)


def departing_clients(base: str, pid: int, clients: int, count: int, give_up: float) -> None:
    rng = random.Random(11)
    bodies = [shapes(count, rng) for _ in range(clients)]

    def send(logs: list[dict[str, str]]) -> None:
        try:
            httpx.post(f"{base}/classify/json", json={"logs": logs}, timeout=give_up)
        except httpx.HTTPError:
            pass

    threads = [threading.Thread(target=send, args=(logs,)) for logs in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    left_at = cpu_seconds(pid)
    probe_started = time.monotonic()
    httpx.post(f"{base}/classify/json", json={"logs": shapes(1, rng)}, timeout=60)
    probe = time.monotonic() - probe_started
    per_second = []
    last = left_at
    for _ in range(6):
        time.sleep(1.0)
        now = cpu_seconds(pid)
        per_second.append(now - last)
        last = now
    print(f"{clients} clients x {count} new shapes, gone after {give_up:g} s: server CPU s in each second after "
          f"they left {[round(x, 2) for x in per_second]}; a new probe took {probe:.2f} s", flush=True)


def soak(base: str, seconds: float) -> None:
    rng = random.Random(12)
    # Measure the sustainable rate: one request of 256 new shapes, alone.
    started = time.monotonic()
    httpx.post(f"{base}/classify/json", json={"logs": shapes(256, rng)}, timeout=120).raise_for_status()
    rate = 256 / (time.monotonic() - started)
    batch = 64
    interval = batch / (2 * rate)  # twice the sustainable rate
    accepted: list[float] = []
    shed = 0
    lock = threading.Lock()

    def one(logs: list[dict[str, str]]) -> None:
        nonlocal shed
        begun = time.monotonic()
        response = httpx.post(f"{base}/classify/json", json={"logs": logs}, timeout=120)
        with lock:
            if response.status_code == 503:
                shed += 1
            else:
                accepted.append(time.monotonic() - begun)

    threads = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        thread = threading.Thread(target=one, args=(shapes(batch, rng),))
        thread.start()
        threads.append(thread)
        time.sleep(interval)
    for thread in threads:
        thread.join()
    accepted.sort()
    p99 = accepted[min(len(accepted) - 1, int(0.99 * len(accepted)))] if accepted else 0.0
    print(f"soak at 2x the sustainable {rate:.0f} shapes/s for {seconds:g} s: {len(threads)} requests, {shed} shed "
          f"(503), accepted p50 {statistics.median(accepted) if accepted else 0:.2f} s, p99 {p99:.2f} s", flush=True)


@contextmanager
def running_server(max_queue_s: str) -> Iterator[tuple[str, int]]:
    with uvicorn_server({"EMBEDDING_FAST_PATH": "false", "MAX_QUEUE_S": max_queue_s, "LOG_LEVEL": "WARNING"}) as (
        base, server
    ):
        yield base, server.pid


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--shapes", type=int, default=1000)
    parser.add_argument("--give-up", type=float, default=3.0)
    parser.add_argument("--soak-s", type=float, default=20.0)
    parser.add_argument("--max-queue-s", default="5", help="MAX_QUEUE_S for the soak (the others run without shedding)")
    args = parser.parse_args()
    with running_server("3600") as (base, pid):
        bombs(base, pid)
        departing_clients(base, pid, args.clients, args.shapes, args.give_up)
    with running_server(args.max_queue_s) as (base, pid):
        soak(base, args.soak_s)
        print(f"(MAX_QUEUE_S={args.max_queue_s})")


if __name__ == "__main__":
    main()
