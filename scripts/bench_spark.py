"""Benchmark (not a test): the Spark job in local[2] against the service, on the same file.

    make bench                                   # scripts/bench.py, then this
    .venv/bin/python scripts/bench_spark.py [--rows 1000000] [--partitions 4] [--keep DIR]

Writes a CSV of real log lines (the dev set beside the repository, tiled and shuffled; generated
lines when it is absent) with an `id` column, then times, each with caches that have not seen it:
- the Spark job (`log_classifier.spark.run_job`, as `--master local[2] --partitions N`) on a session
  whose Python workers already loaded the model (a small warm-up job, as the service's start-up),
  and the same with the JVM start and the warm-up counted;
- `POST /classify/` of the same file to a live `uvicorn server:app`, after a one-row warm-up.
Prints rows/s of both, the ratio, and the share of rows whose labels agree (the acceptance check of
the Spark job: >= 99.9 %). No LLM key: both leave the LLM's rows Unclassified.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

import httpx
from _server import uvicorn_server

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT.parent / "shared" / "data" / "real_logs_dev.csv"


def write_input(path: Path, rows: int, seed: int, dev_set: Path = DEV_SET) -> str:
    """`rows` lines with columns id, source, log_message; returns where they came from."""
    if dev_set.is_file():
        with dev_set.open(encoding="utf-8", newline="") as handle:
            pool = [(row["source"], row["log_message"]) for row in csv.DictReader(handle)]
        origin = f"real dev lines ({len(pool)}) tiled"
    else:
        sys.path.insert(0, str(ROOT))
        from training.generate import generate

        frame = generate(seed=seed, rows_per_template=2)
        pool = list(zip(frame["source"], frame["log_message"]))
        origin = f"generated lines ({len(pool)}) tiled: no dev set at {dev_set} (--dev-set, make bench DEV_SET=PATH)"
    rng = random.Random(seed)
    tiled = [pool[i % len(pool)] for i in range(rows)]
    rng.shuffle(tiled)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "source", "log_message"])
        writer.writerows((i, source, message) for i, (source, message) in enumerate(tiled))
    return origin


def labels_from_csv(lines: Iterable[str]) -> dict[str, str]:
    return {row["id"]: row["target_label"] for row in csv.DictReader(lines)}


def run_service(path: Path, env: dict[str, str]) -> tuple[float, dict[str, str]]:
    with uvicorn_server(env, startup_timeout_s=600) as (base, _), httpx.Client(timeout=3600) as client:
        warm = b"id,source,log_message\n0,app,service started\n"
        client.post(f"{base}/classify/", files={"file": ("w.csv", warm, "text/csv")}).raise_for_status()
        with path.open("rb") as handle:
            started = time.perf_counter()
            response = client.post(f"{base}/classify/", files={"file": (path.name, handle, "text/csv")})
            elapsed = time.perf_counter() - started
        response.raise_for_status()
        return elapsed, labels_from_csv(response.text.splitlines())


def run_spark(path: Path, workdir: Path, partitions: int) -> tuple[float, float, dict[str, str]]:
    """(seconds to start Spark and load the workers, seconds of the job, labels by id)."""
    sys.path.insert(0, str(ROOT))
    from log_classifier.config import get_settings
    from log_classifier.spark import build_session, run_job

    settings = get_settings(groq_api_key="")
    started = time.perf_counter()
    spark = build_session("local[2]", app_name="bench-spark")
    # Like the service's start-up and warm-up request: the Python workers start and load the model.
    warm = workdir / "warm.csv"
    warm.write_text("id,source,log_message\n" + "".join(f"{i},app,service started\n" for i in range(64)),
                    encoding="utf-8")
    run_job(spark, settings, input_path=str(warm), output_path=str(workdir / "warm-out"), partitions=partitions)
    ready = time.perf_counter()
    output = workdir / "spark-out"
    run_job(spark, settings, input_path=str(path), output_path=str(output), partitions=partitions)
    done = time.perf_counter()
    spark.stop()
    labels: dict[str, str] = {}
    for part in sorted(output.glob("part-*.csv")):
        with part.open(encoding="utf-8", newline="") as handle:
            labels.update(labels_from_csv(handle))
    return ready - started, done - ready, labels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--partitions", type=int, default=4, help="Spark tasks (the input is one unsplittable CSV)")
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--dev-set", type=Path, default=DEV_SET,
                        help="real log lines (CSV with source, log_message) to tile; default: generated lines")
    parser.add_argument("--keep", type=Path, default=None, help="keep the input and outputs in this directory")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-spark-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "GROQ_API_KEY": "", "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    try:
        path = workdir / "input.csv"
        origin = write_input(path, args.rows, args.seed, args.dev_set)
        for old in ("spark-out", "warm-out"):
            shutil.rmtree(workdir / old, ignore_errors=True)
        start_s, spark_s, spark_labels = run_spark(path, workdir, args.partitions)
        service_s, service_labels = run_service(path, env)
        same = sum(1 for key, label in service_labels.items() if spark_labels.get(key) == label)
        print(f"data: {args.rows} rows, {origin}; load average {os.getloadavg()[0]:.1f}")
        print(f"{'run':<44} {'rows':>9} {'seconds':>8} {'rows/s':>8}")
        print(f"{'service POST /classify/':<44} {len(service_labels):>9} {service_s:>8.1f} {len(service_labels) / service_s:>8.0f}")
        label = f"spark local[2], {args.partitions} partitions"
        print(f"{label:<44} {len(spark_labels):>9} {spark_s:>8.1f} {len(spark_labels) / spark_s:>8.0f}")
        label = "  the same with JVM start and worker loading"
        total = start_s + spark_s
        print(f"{label:<44} {len(spark_labels):>9} {total:>8.1f} {len(spark_labels) / total:>8.0f}")
        print(f"spark / service speed: {service_s / spark_s:.2f}x; same label for {same} of {len(service_labels)} "
              f"rows ({100 * same / max(1, len(service_labels)):.3f} %)")
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
