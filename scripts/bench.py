"""Benchmark (not a test): the per-row reference loop against the service, in one run.

    make bench            # or: .venv/bin/python scripts/bench.py [--large-rows 500000]

Prints rows/s for the reference design (one `encode([msg])` + `predict_proba` per row, on a
sample) and for `POST /classify/` of a live uvicorn server on the same data, the ratio, the
server's peak RSS and the cache hit rate. Data sets, all new to the server's cache:
- 2.4k generated rows from 200 templates (raw lines nearly all distinct, as in typical synthetic sets);
- 2.4k generated rows where almost every row is its own template/header variant (worst case);
- real dev-set lines tiled to 32k rows (heavy repetition, as in production logs);
- a large generated file (500k rows by default) with little repetition.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]

DEV_SET = ROOT.parent / "shared" / "data" / "real_logs_dev.csv"


def write_csv(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "log_message"])
        writer.writerows(rows)


def datasets(workdir: Path, large_rows: int) -> dict[str, Path]:
    from training.generate import generate

    rng = random.Random(1234)
    files: dict[str, Path] = {}
    pool = generate(seed=1234, rows_per_template=12)
    # Like a typical synthetic set: raw lines almost all distinct, a few hundred shapes behind them.
    shapes = sorted(set(pool["shape"]))
    chosen = set(rng.sample(shapes, 200))
    some = pool[pool["shape"].isin(chosen)]
    some_rows = list(zip(some["source"], some["log_message"]))
    rng.shuffle(some_rows)
    files["synthetic 2.4k, 200 shapes"] = workdir / "low.csv"
    write_csv(files["synthetic 2.4k, 200 shapes"], some_rows[:2400])
    # Harsher: every row a different template or header variant.
    every = generate(seed=4321, rows_per_template=2)
    every_rows = list(zip(every["source"], every["log_message"]))
    rng.shuffle(every_rows)
    files["synthetic 2.4k, ~2k shapes"] = workdir / "every.csv"
    write_csv(files["synthetic 2.4k, ~2k shapes"], every_rows[:2400])
    if DEV_SET.is_file():
        with DEV_SET.open(encoding="utf-8") as handle:
            dev = [(row["source"], row["log_message"]) for row in csv.DictReader(handle)]
        tiled = [dev[i % len(dev)] for i in range(32_000)]
        rng.shuffle(tiled)
        files["real dev lines tiled to 32k"] = workdir / "real32k.csv"
        write_csv(files["real dev lines tiled to 32k"], tiled)
    big = generate(seed=99, rows_per_template=max(1, large_rows // 1200 + 1))
    big_rows = list(zip(big["source"], big["log_message"]))[:large_rows]
    files[f"large generated file, {len(big_rows)} rows"] = workdir / "large.csv"
    write_csv(files[f"large generated file, {len(big_rows)} rows"], big_rows)
    return files


def reference_rows_per_second(path: Path, sample: int) -> float:
    """The reference design: one encode([msg]) and predict_proba per row (max_seq_length 256)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import joblib
    from sentence_transformers import SentenceTransformer

    from log_classifier.model.embedders import default_model_dir

    model = SentenceTransformer(str(default_model_dir()), device="cpu")
    classifier = joblib.load(ROOT / "models" / "classifier.joblib")
    with path.open(encoding="utf-8") as handle:
        messages = [row["log_message"] for row in csv.DictReader(handle)][:sample]
    model.encode([messages[0]])
    start = time.perf_counter()
    for message in messages:
        vector = model.encode([message])
        classifier.predict_proba([message], vector)
    return len(messages) / (time.perf_counter() - start)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large-rows", type=int, default=500_000)
    parser.add_argument("--reference-sample", type=int, default=300)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    files = datasets(workdir, args.large_rows)
    port = free_port()
    env = {**os.environ, "GROQ_API_KEY": "", "HF_HUB_OFFLINE": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "server:app", "--port", str(port), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(timeout=1800) as client:
            for _ in range(600):
                try:
                    if client.get(f"{base}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            warm = b"source,log_message\napp,service started\n"
            client.post(f"{base}/classify/", files={"file": ("w.csv", warm, "text/csv")}).raise_for_status()
            print(f"{'data set':<42} {'rows':>8} {'ref rows/s':>11} {'svc rows/s':>11} {'ratio':>7} {'peak RSS MB':>12} {'cache hit':>10}")
            for name, path in files.items():
                reference = reference_rows_per_second(path, args.reference_sample) if "large" not in name else None
                with path.open("rb") as handle:
                    start = time.perf_counter()
                    response = client.post(f"{base}/classify/", files={"file": (path.name, handle, "text/csv")})
                    elapsed = time.perf_counter() - start
                response.raise_for_status()
                returned = sum(1 for _ in csv.reader(response.text.splitlines())) - 1
                with path.open(encoding="utf-8") as handle:
                    sent = sum(1 for _ in csv.reader(handle)) - 1
                rate = sent / elapsed
                cache = client.get(f"{base}/health").json()["cache"]
                ratio = f"{rate / reference:.1f}x" if reference else "-"
                ref = f"{reference:.0f}" if reference else "-"
                print(f"{name:<42} {sent:>8} {ref:>11} {rate:>11.0f} {ratio:>7} {peak_rss_mb(server.pid):>12.0f} "
                      f"{cache['hit_rate']:>10.2f}" + ("" if returned == sent else f"  ROWS LOST: {returned}"))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
