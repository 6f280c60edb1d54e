"""Benchmark (not a test): how long a one-line request waits while another client's big upload of
new message shapes is being classified (issue 11, item 4).

    .venv/bin/python scripts/bench_fairness.py [--shapes 6000] [--probes 5]

Starts `uvicorn server:app` on a free port (settings from the environment / `.env`, LLM off unless
configured), uploads a CSV of SHAPES distinct lines no rule covers, and while it runs sends PROBES
one-line JSON requests (each a new shape) one second apart. Prints each probe's latency and the
upload's duration. The fast path is off (`EMBEDDING_FAST_PATH=false`): most of such an upload would
never reach the encoder, and the encoder's turn-taking is what this measures.
"""

from __future__ import annotations

import argparse
import random
import threading
import time

import httpx
from _server import uvicorn_server

WORDS = ("amber birch cobalt delta ember fjord garnet harbor indigo juniper krypton lagoon maple nectar onyx "
         "prairie quartz raven sierra tundra umber violet willow yarrow zephyr beacon canyon dune estuary "
         "falcon glacier heron island jetty kestrel").split()


def lines(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    found: set[str] = set()
    while len(found) < count:
        a, b, c, d = rng.sample(WORDS, 4)
        found.add(f"{a} {b} service reported {c} state for the {d} pipeline")
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shapes", type=int, default=6000)
    parser.add_argument("--probes", type=int, default=5)
    args = parser.parse_args()

    with uvicorn_server({"EMBEDDING_FAST_PATH": "false"}) as (base, _):
        body = "source,log_message\n" + "".join(f"bench,{line}\n" for line in lines(args.shapes, seed=7))
        upload_seconds: list[float] = []

        def upload() -> None:
            started = time.monotonic()
            httpx.post(f"{base}/classify/", files={"file": ("big.csv", body.encode(), "text/csv")},
                       timeout=600).raise_for_status()
            upload_seconds.append(time.monotonic() - started)

        thread = threading.Thread(target=upload)
        thread.start()
        time.sleep(2.0)
        probes = lines(args.shapes + args.probes, seed=8)[: args.probes]
        for number, line in enumerate(probes, 1):
            started = time.monotonic()
            httpx.post(f"{base}/classify/json", json={"logs": [{"source": "probe", "log_message": line}]},
                       timeout=120).raise_for_status()
            print(f"probe {number}: {time.monotonic() - started:.2f} s", flush=True)
            time.sleep(1.0)
        thread.join()
        print(f"upload of {args.shapes} new shapes: {upload_seconds[0]:.1f} s")


if __name__ == "__main__":
    main()
