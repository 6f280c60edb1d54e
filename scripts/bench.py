"""Benchmark (not a test): the per-row reference design against the live service, in one run.

    make bench            # or: .venv/bin/python scripts/bench.py [--large-rows 1000000]

Prints, for each data set, rows/s of the reference design (one `encode([msg])` + `predict_proba`
per row, timed on a sample) and of `POST /classify/` on a live uvicorn server, their ratio, the
distinct (source, masked message) shapes, and the server's peak RSS during that request. Then the
costs that matter on their own: masking lines/s on one core, the µs per line of reading structured
fields (plain and structured lines; `--only-text` prints just that), encoder shapes/s (the service's
contextual embedder on new masked shapes), and the embedding stage's new shapes/s with its fast
path (and the share of shapes the fast path answered: the generated sets share the training
templates, the real set's systems were never trained on). `EMBEDDING_FAST_PATH=false` measures
the service without it. Data sets, each new to the server's cache:

- original-style synthetic set: 2.4k generated rows from 200 templates (raw lines nearly all
  distinct, header host names and wording keep ~1k shapes apart), like the original system's set;
- worst case: 2.4k generated rows, nearly every row its own template or header variant;
- 32k real lines: the dev set's real templates with new numbers (as in production: few shapes,
  almost no line repeated);
- 1M rows of the same kind in one request (`--large-rows`).

Then the pattern store's cost: the large request against a fresh server with PATTERN_STORE=off and
against one with a fresh SQLite store (each server new, so both start with a cold cache), and how
long after the answer the store held every line. `--store-only` runs just that part.

The machine is shared and timings are noisy: compare figures within one run.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import sys
import tempfile
import time
from pathlib import Path

import httpx
from _server import uvicorn_server

from log_classifier.config import PROJECT_DIR
from log_classifier.text.masking import mask_variables
from log_classifier.text.prepare import classification_text, masked_text

DEV_SET = PROJECT_DIR.parent / "shared" / "data" / "real_logs_dev.csv"
STRUCTURED_PROBE = PROJECT_DIR / "training" / "probe_structured_logs.csv"
PLAIN_PROBES = (PROJECT_DIR / "training" / "probe_logs.csv", PROJECT_DIR / "training" / "probe2_logs.csv")
_DIGITS = re.compile(r"\d+")


def write_csv(path: Path, rows: list[tuple[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "log_message"])
        writer.writerows(rows)


def real_templates_with_new_numbers(dev: list[tuple[str, str]], rows: int, rng: random.Random) -> list[tuple[str, str]]:
    """Real lines with every number redrawn (same length); 3-digit numbers stay (they may be status codes)."""

    def redraw(match: re.Match[str]) -> str:
        digits = match.group()
        return digits if len(digits) == 3 else "".join(rng.choice("0123456789") for _ in digits)

    return [(source, _DIGITS.sub(redraw, message)) for source, message in (rng.choice(dev) for _ in range(rows))]


def datasets(workdir: Path, large_rows: int, dev_set: Path = DEV_SET) -> dict[str, Path]:
    from training.generate import generate

    rng = random.Random(1234)
    files: dict[str, Path] = {}
    pool = generate(seed=1234, rows_per_template=12)
    shapes = sorted(set(pool["shape"]))
    chosen = set(rng.sample(shapes, 200))
    some = pool[pool["shape"].isin(chosen)]
    some_rows = list(zip(some["source"], some["log_message"]))
    rng.shuffle(some_rows)
    files["original-style synthetic, 2.4k"] = workdir / "synthetic.csv"
    write_csv(files["original-style synthetic, 2.4k"], some_rows[:2400])
    every = generate(seed=4321, rows_per_template=2)
    every_rows = list(zip(every["source"], every["log_message"]))
    rng.shuffle(every_rows)
    files["synthetic worst case, 2.4k"] = workdir / "every.csv"
    write_csv(files["synthetic worst case, 2.4k"], every_rows[:2400])
    if not dev_set.is_file():
        print(f"NOTE: no dev set at {dev_set}: the real-line sets (32k and {large_rows // 1000}k rows) are skipped. "
              "Point --dev-set (make bench DEV_SET=PATH) at a labelled CSV with source and log_message columns.",
              file=sys.stderr)
        return files
    with dev_set.open(encoding="utf-8") as handle:
        dev = [(row["source"], row["log_message"]) for row in csv.DictReader(handle)]
    files["real templates, new numbers, 32k"] = workdir / "real32k.csv"
    write_csv(files["real templates, new numbers, 32k"], real_templates_with_new_numbers(dev, 32_000, rng))
    name = f"real templates, new numbers, {large_rows // 1000}k"
    files[name] = workdir / "large.csv"
    write_csv(files[name], real_templates_with_new_numbers(dev, large_rows, rng))
    return files


def read_rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["source"], row["log_message"]) for row in csv.DictReader(handle)]


class Reference:
    """The reference design: one encode([msg]) and predict_proba per row (max_seq_length 256)."""

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import joblib
        from sentence_transformers import SentenceTransformer

        from log_classifier.model.embedders import default_model_dir

        self.model = SentenceTransformer(str(default_model_dir()), device="cpu")
        self.classifier = joblib.load(PROJECT_DIR / "models" / "classifier.joblib")
        self.model.encode(["warm up"])

    def rows_per_second(self, messages: list[str]) -> float:
        start = time.perf_counter()
        for message in messages:
            vector = self.model.encode([message])
            self.classifier.predict_proba([message], vector)
        return len(messages) / (time.perf_counter() - start)


def masking_lines_per_second(messages: list[str]) -> tuple[float, float]:
    """(lines/s of wall clock, lines per CPU-second) for mask_variables on distinct lines, one thread."""
    lines = list(dict.fromkeys(messages))
    mask_variables(lines[0])
    wall, cpu = time.perf_counter(), time.process_time()
    for line in lines:
        mask_variables(line)
    return len(lines) / (time.perf_counter() - wall), len(lines) / (time.process_time() - cpu)


def preparation_micros(messages: list[str]) -> tuple[float, float, float]:
    """µs per distinct line of reading the fields (`classification_text`), of the whole preparation
    (reading, then masking the prepared text) and of masking the raw line instead; one thread, CPU
    time, each masking with a fresh masker (its memo would otherwise answer the second pass)."""
    from log_classifier.text.masking import Masker, load_rules

    lines = list(dict.fromkeys(messages))
    classification_text(lines[0])
    start = time.process_time()
    prepared = [classification_text(line) for line in lines]
    reading = time.process_time() - start
    masker = Masker(load_rules())
    start = time.process_time()
    for text in prepared:
        masker(text)
    masking = time.process_time() - start
    masker = Masker(load_rules())
    start = time.process_time()
    for line in lines:
        masker(line.strip())
    raw = time.process_time() - start
    return (reading / len(lines) * 1e6, (reading + masking) / len(lines) * 1e6, raw / len(lines) * 1e6)


def structured_reading_report() -> str:
    """One line: the cost of text preparation per line, on plain and on structured lines."""
    rng = random.Random(1)

    def redrawn(path: Path, copies: int) -> list[str]:
        # Small sets: repeated with new digits so the timing is not noise.
        rows = read_rows(path) if path.is_file() else []
        return [_DIGITS.sub(lambda m: str(rng.randint(1, 9)) * len(m.group()), message)
                for _ in range(copies) for _, message in rows]

    plain = redrawn(PLAIN_PROBES[0], 10) + redrawn(PLAIN_PROBES[1], 10)
    parts = []
    for label, lines in (("plain lines (probe sets)", plain), ("structured lines (structured probe)",
                                                               redrawn(STRUCTURED_PROBE, 40))):
        if lines:
            reading, whole, raw = preparation_micros(lines)
            parts.append(f"{label}: {reading:.1f} µs to read the fields, {whole:.1f} µs read and masked "
                         f"(masking the raw line instead: {raw:.1f} µs)")
    return "text preparation per distinct line, one thread, CPU: " + "; ".join(parts)


def encoder_shapes_per_second(texts: list[str]) -> float:
    """New masked shapes/s through the service's embedder, as configured (ONNX, EMBEDDING_THREADS)."""
    from log_classifier.config import get_settings
    from log_classifier.model.embedders import make_embedder

    settings = get_settings()
    embedder = make_embedder(
        settings.embedding_backend, embedding_model=settings.embedding_model, onnx_dir=settings.onnx_model_dir,
        batch_size=settings.embedding_batch_size, max_seq_length=settings.max_seq_length,
        workers=settings.embedding_threads,
    )
    try:
        embedder.encode(texts[:8])
        start = time.perf_counter()
        embedder.encode(texts)
        return len(texts) / (time.perf_counter() - start)
    finally:
        close = getattr(embedder, "close", None)
        if close is not None:
            close()


def per_row_costs(path: Path) -> list[tuple[str, float]]:
    """CPU microseconds per row of each step the service takes, in this process (all threads counted)."""
    from log_classifier.cascade import load_classifier
    from log_classifier.config import get_settings
    from log_classifier.formats import reader

    costs: list[tuple[str, float]] = []
    with path.open("rb") as stream:
        start = time.process_time()
        layout = reader.check_layout(stream)
        costs.append(("validation pass", time.process_time() - start))
        start = time.process_time()
        chunks = list(reader.iter_chunks(stream, layout, 50_000))
        costs.append(("parse pass", time.process_time() - start))
    sources = [row[layout.source_index] for chunk in chunks for row in chunk]
    messages = [row[layout.message_index] for chunk in chunks for row in chunk]
    classifier = load_classifier(get_settings(groq_api_key="", pattern_store="off"))
    try:
        start = time.process_time()
        predictions = classifier.cascade.classify(sources, messages)
        costs.append(("cascade, new shapes (mask, group, embed)", time.process_time() - start))
        start = time.process_time()
        classifier.cascade.classify(sources, messages)
        costs.append(("cascade, shapes cached (mask, group)", time.process_time() - start))
    finally:
        classifier.close()
    rows = [[source, message, prediction.label] for source, message, prediction in zip(sources, messages, predictions)]
    start = time.process_time()
    reader.render(rows, neutralise_formulas=True)
    costs.append(("render", time.process_time() - start))
    return [(step, seconds / len(rows) * 1e6) for step, seconds in costs]


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak_rss(pid: int) -> None:
    """Peak RSS from now on (Linux: writing 5 to clear_refs resets VmHWM)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        pass  # then the peak is since the server started


def stage_shapes_per_second(rows: list[tuple[str, str]]) -> tuple[float, float]:
    """New shapes/s through the whole embedding stage as configured (fast path, then the encoder for
    the rest), and the share of shapes the fast path answered."""
    from log_classifier.cascade import load_classifier
    from log_classifier.config import get_settings
    from log_classifier.contract import LogRecord

    loaded = load_classifier(get_settings(pattern_store="off"))
    try:
        records = list({masked_text(message): LogRecord(source, masked_text(message), classification_text(message))
                        for source, message in rows}.values())
        loaded.embedding.classify_batch(records[:8])
        before = dict(loaded.embedding.counts)
        start = time.perf_counter()
        loaded.embedding.classify_batch(records[8:])
        elapsed = time.perf_counter() - start
        fast = loaded.embedding.counts["fast"] - before["fast"]
        return (len(records) - 8) / elapsed, fast / max(1, len(records) - 8)
    finally:
        loaded.close()


def server_env(store: str) -> dict[str, str]:
    return {"GROQ_API_KEY": "", "HF_HUB_OFFLINE": "1", "PATTERN_STORE": store}


def store_on_and_off(path: Path, workdir: Path, repeats: int) -> None:
    """The large request with the pattern store off and on, each against a fresh server, alternating
    `repeats` times (the best of each counts: the machine is shared and the first run pays for cold files)."""
    sent = len(read_rows(path))
    print(f"\npattern store, one request of {sent:,} rows (fresh server each, cold cache, off/on alternating):")
    seconds: dict[str, float] = {}
    runs = [("off", "off"), ("on (SQLite)", "")] * repeats
    for run, (label, store) in enumerate(runs):
        store = store or str(workdir / f"patterns-{run}.db")
        with uvicorn_server(server_env(store)) as (base, _):
            with httpx.Client(timeout=1800) as client:
                warm = b"source,log_message\napp,service started\n"
                client.post(f"{base}/classify/", files={"file": ("w.csv", warm, "text/csv")}).raise_for_status()
                with path.open("rb") as handle:
                    start = time.perf_counter()
                    response = client.post(f"{base}/classify/", files={"file": (path.name, handle, "text/csv")})
                    response.raise_for_status()
                    took = time.perf_counter() - start
                    seconds[label] = min(took, seconds.get(label, took))
                del response
                note = ""
                if store != "off":
                    answered = time.perf_counter()
                    while True:
                        counted = client.get(f"{base}/patterns", params={"limit": 1}).json()["lines"]
                        if counted >= sent or time.perf_counter() - answered > 60:
                            break
                        time.sleep(0.1)
                    note = (f"; {counted:,} lines in the store "
                            f"{time.perf_counter() - answered:.1f} s after the answer")
                print(f"  store {label:<12} {took:>7.1f} s  {sent / took:>9,.0f} rows/s{note}", flush=True)
    off, on = seconds["off"], seconds["on (SQLite)"]
    print(f"  best of {repeats}: off {off:.1f} s, on {on:.1f} s; on / off {on / off:.3f} "
          f"({(on / off - 1) * 100:+.1f} %; the goal is at most +10 %)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large-rows", type=int, default=1_000_000)
    parser.add_argument("--reference-sample", type=int, default=300)
    parser.add_argument("--data", action="append", default=[], metavar="NAME=CSV",
                        help="also measure this CSV (source, log_message); e.g. held-out shapes with MODEL_DIR "
                             "set to a model trained without them")
    parser.add_argument("--only-data", action="store_true", help="measure only the --data files")
    parser.add_argument("--dev-set", type=Path, default=DEV_SET,
                        help="real log lines (CSV with source, log_message) the real-line sets are built from; "
                             f"without it they are skipped (default: {DEV_SET})")
    parser.add_argument("--store-repeats", type=int, default=2, help="off/on rounds of the store comparison")
    parser.add_argument("--store-only", action="store_true",
                        help="only the large request with the pattern store off and on")
    parser.add_argument("--only-text", action="store_true",
                        help="print only the text preparation costs (structured reading, masking) and stop")
    args = parser.parse_args()
    if args.only_text:
        print(structured_reading_report())
        return 0
    workdir = Path(tempfile.mkdtemp(prefix="bench-"))
    files = {} if args.only_data else datasets(workdir, args.large_rows, args.dev_set)
    large = next((path for name, path in files.items() if name.endswith(f"{args.large_rows // 1000}k")
                  and "32k" not in name), None)
    if args.store_only:
        if large is None:
            print(f"(no {args.dev_set}: no large request to measure)", file=sys.stderr)
            return 1
        store_on_and_off(large, workdir, args.store_repeats)
        return 0
    for item in args.data:
        name, _, path = item.partition("=")
        files[name] = Path(path)
    reference = Reference()
    # The store's own cost is measured below, on and off.
    with uvicorn_server(server_env("off")) as (base, server):
        with httpx.Client(timeout=1800) as client:
            warm = b"source,log_message\napp,service started\n"
            client.post(f"{base}/classify/", files={"file": ("w.csv", warm, "text/csv")}).raise_for_status()
            print(f"load average before: {os.getloadavg()[0]:.1f} (2 cores; other work on the machine slows both sides)")
            print(f"{'data set':<36} {'rows':>8} {'shapes':>7} {'ref rows/s':>10} {'svc rows/s':>10} {'ratio':>7} "
                  f"{'seconds':>8} {'peak RSS MB':>11}")
            for name, path in files.items():
                rows = read_rows(path)
                sent = len(rows)
                shapes = len({(source, masked_text(message)) for source, message in rows})
                ref = reference.rows_per_second([message for _, message in rows[: args.reference_sample]])
                del rows
                reset_peak_rss(server.pid)
                with path.open("rb") as handle:
                    start = time.perf_counter()
                    response = client.post(f"{base}/classify/", files={"file": (path.name, handle, "text/csv")})
                    elapsed = time.perf_counter() - start
                response.raise_for_status()
                returned = sum(1 for _ in csv.reader(io.StringIO(response.text))) - 1
                del response
                rate = sent / elapsed
                print(f"{name:<36} {sent:>8} {shapes:>7} {ref:>10.0f} {rate:>10.0f} {rate / ref:>6.0f}x "
                      f"{elapsed:>8.1f} {peak_rss_mb(server.pid):>11.0f}"
                      + ("" if returned == sent else f"  ROWS BACK: {returned}"), flush=True)

    if large is not None:
        store_on_and_off(large, workdir, args.store_repeats)
    print()
    real = next((path for name, path in files.items() if "32k" in name), None)
    sample = read_rows(real or next(iter(files.values())))
    wall, cpu = masking_lines_per_second([message for _, message in sample])
    print(f"masking, distinct lines of {'the 32k real set' if real else 'the synthetic set'}, one thread: "
          f"{wall:,.0f} lines/s wall clock, {cpu:,.0f} lines per CPU-second")
    print(structured_reading_report())
    worst = files.get("synthetic worst case, 2.4k")
    measured = [("the worst-case set", read_rows(worst) if worst else []), ("the 32k real set", sample if real else [])]
    measured += [(name, read_rows(files[name])) for name in (item.partition("=")[0] for item in args.data)]
    for label, rows in measured:
        texts = list(dict.fromkeys(masked_text(message) for _, message in rows))
        if texts:
            print(f"encoder, {len(texts)} new masked shapes of {label}: {encoder_shapes_per_second(texts):,.0f} shapes/s")
            rate, fast_share = stage_shapes_per_second(rows)
            print(f"embedding stage (fast path, then the encoder), the same shapes: {rate:,.0f} shapes/s, "
                  f"{fast_share:.0%} answered by the fast path")
    if real:
        print("per row, the 32k real set, CPU microseconds: "
              + ", ".join(f"{step} {micros:.1f}" for step, micros in per_row_costs(real)))
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
