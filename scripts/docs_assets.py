"""Regenerate the docs' pictures of the running service (`make docs-assets`): not a test.

    .venv/bin/python scripts/docs_assets.py

* `assets/web_page.png`: the upload page with `resources/sample_logs.csv` classified, in Debian's
  headless chromium through Playwright (as `make e2e`). The PNG carries, in a tEXt chunk, the model
  version and the category and stage counts it shows; tests/test_docs_assets.py fails when they
  differ from what the current code and model answer (then run this again).
* The README's alert example (between the `alert-example` markers): the webhook body the service
  really posts for a small feed (FEED), with its times fixed so the file does not change on every run.

The service runs from the shipped model with no LLM key, under uvicorn on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import sys
import tempfile
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the tests' live server and webhook receiver

README = ROOT / "README.md"
SCREENSHOT = ROOT / "assets" / "web_page.png"
SAMPLE_LOGS = ROOT / "resources" / "sample_logs.csv"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PNG_KEY = "log-classifier"  # the tEXt keyword of what the screenshot shows
ALERT_START, ALERT_END = "<!-- alert-example:start -->", "<!-- alert-example:end -->"
# The feed of the README's alert example: a kernel panic, a routine line and two failed ssh logins.
FEED = [
    {"host": "node-7", "message": "Kernel panic - not syncing: Fatal exception in interrupt"},
    {"host": "web-1", "message": "Nightly backup of volume vol-19 completed successfully"},
    {"host": "bastion", "message": "Failed password for invalid user oracle from 203.0.113.9 port 40522 ssh2"},
    {"host": "bastion", "message": "Failed password for invalid user oracle from 203.0.113.9 port 40523 ssh2"},
]
FEED_REQUEST_ID = "feed-0001"
# Times in the example are fixed: they are the only parts that change from run to run.
FIXED_TIMES = {"window_s": 0.4, "first_seen": "2026-11-29T12:00:00+00:00", "last_seen": "2026-11-29T12:00:00+00:00"}


# --- what the screenshot shows, kept inside the PNG ----------------------------------------------


def png_with_text(png: bytes, key: str, text: str) -> bytes:
    """`png` with a tEXt chunk `key: text` before its first IDAT (any earlier one of that key dropped)."""
    chunks = list(_chunks(png))
    body = key.encode("latin-1") + b"\0" + text.encode("latin-1")
    out = [png[:8]]
    inserted = False
    for kind, data in chunks:
        if kind == b"tEXt" and data.split(b"\0", 1)[0] == key.encode("latin-1"):
            continue
        if kind == b"IDAT" and not inserted:
            out.append(_chunk(b"tEXt", body))
            inserted = True
        out.append(_chunk(kind, data))
    return b"".join(out)


def png_text(png: bytes, key: str) -> str | None:
    """The text of the tEXt chunk `key`, or None."""
    for kind, data in _chunks(png):
        name, _, value = data.partition(b"\0")
        if kind == b"tEXt" and name == key.encode("latin-1"):
            return value.decode("latin-1")
    return None


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    chunks, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        chunks.append((png[at + 4:at + 8], png[at + 8:at + 8 + length]))
        at += 12 + length
    return chunks


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def shown_counts(classified_csv: str, model_version: str) -> dict[str, Any]:
    """What the page shows for a classified CSV (explain columns): model, categories, stages."""
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(classified_csv)))
    return {"model_version": model_version,
            "categories": dict(sorted(Counter(row["target_label"] for row in rows).items())),
            "stages": dict(sorted(Counter(row["classified_by"] for row in rows).items()))}


# --- the README's alert example ------------------------------------------------------------------


def format_alert(alert: dict[str, Any]) -> str:
    """The webhook body as the README shows it: one group of keys a line."""
    dump = json.dumps

    def pairs(keys: list[str]) -> str:
        return ", ".join(f"{dump(key)}: {dump(alert[key], ensure_ascii=False)}" for key in keys)

    samples = (",\n              ").join(dump(sample, ensure_ascii=False) for sample in alert["samples"])
    return (f"{{{pairs(['text'])},\n {pairs(['counts'])},\n \"samples\": [{samples}],\n"
            f" {pairs(['request_id', 'model_version', 'window_s'])},\n {pairs(['first_seen', 'last_seen'])}}}")


def readme_alert(readme: str) -> dict[str, Any]:
    """The alert example in the README, parsed."""
    block = readme.split(ALERT_START, 1)[1].split(ALERT_END, 1)[0]
    return json.loads(re.search(r"```json\n(.*?)```", block, flags=re.DOTALL).group(1))  # type: ignore[union-attr]


def with_alert(readme: str, alert: dict[str, Any]) -> str:
    head, rest = readme.split(ALERT_START, 1)
    _, tail = rest.split(ALERT_END, 1)
    return f"{head}{ALERT_START}\n```json\n{format_alert(alert)}\n```\n{ALERT_END}{tail}"


# --- regenerating ----------------------------------------------------------------------------------


def main() -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    import httpx
    from helpers import make_settings
    from live_server import serve
    from webhook_receiver import webhook_receiver

    from log_classifier.api.app import create_app

    with webhook_receiver() as receiver, tempfile.TemporaryDirectory() as store_dir:
        # A throwaway pattern store: the page's Patterns view shows the sample's patterns.
        app = create_app(make_settings(alert_webhook_url=receiver.url, alert_cooldown_s=60, alert_max_samples=1,
                                       pattern_store=str(Path(store_dir) / "patterns.db"), pattern_flush_s=0.1))
        with serve(app) as base, httpx.Client(base_url=base, timeout=60) as client:
            version = app.state.classifier.model_version
            feed = "".join(json.dumps(record) + "\n" for record in FEED).encode()
            client.post("/ingest", content=feed, headers={"X-Request-ID": FEED_REQUEST_ID}).raise_for_status()
            alert = {**receiver.next_post(timeout=30), **FIXED_TIMES}
            alert["text"] = re.sub(r"in the last [0-9.]+ s", "in the last 1 s", alert["text"])
            answer = client.post("/classify/?explain=true",
                                 files={"file": ("sample_logs.csv", SAMPLE_LOGS.read_bytes(), "text/csv")})
            answer.raise_for_status()
            shown = shown_counts(answer.text, version)
            png = screenshot(base)
    SCREENSHOT.write_bytes(png_with_text(png, PNG_KEY, json.dumps(shown, sort_keys=True)))
    README.write_text(with_alert(README.read_text(encoding="utf-8"), alert), encoding="utf-8")
    print(f"wrote {SCREENSHOT.relative_to(ROOT)} ({shown}) and the README's alert example (model {version})")
    return 0


def screenshot(base: str) -> bytes:
    """The upload page after classifying the sample, full page, 1280 wide."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise SystemExit(f"needs {CHROMIUM} (Debian's chromium; make docs-assets installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
            page.goto(f"{base}/")
            page.set_input_files("#file-input", str(SAMPLE_LOGS))
            page.click("#upload-button")
            page.wait_for_selector("#results:not([hidden])")
            page.wait_for_selector("#patterns-table[data-loaded]")
            return page.screenshot(full_page=True)
        finally:
            browser.close()


if __name__ == "__main__":
    raise SystemExit(main())
