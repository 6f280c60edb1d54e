"""The web page in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright)
against the real app under uvicorn. Run with `make e2e` (or `pytest -m e2e`)."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from helpers import make_settings
from live_server import serve

from log_classifier.config import PROJECT_DIR
from log_classifier.taxonomy import CATEGORIES, UNCLASSIFIED

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SAMPLE_LOGS = PROJECT_DIR / "resources" / "sample_logs.csv"
SCREENSHOT = PROJECT_DIR / "assets" / "web_page.png"
TIMEOUT_MS = 60_000

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium: `make e2e` installs it with apt"),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from log_classifier.api.app import create_app

    store = tmp_path_factory.mktemp("patterns") / "patterns.db"
    with serve(create_app(make_settings(pattern_store=str(store), pattern_flush_s=0.1))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements.txt)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def test_upload_table_filters_charts_and_download(base_url: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    expected_csv = httpx.post(
        f"{base_url}/classify/?explain=true",
        files={"file": ("sample_logs.csv", SAMPLE_LOGS.read_bytes(), "text/csv")},
        timeout=60,
    ).text
    expected = list(csv.DictReader(io.StringIO(expected_csv)))
    labels = [row["target_label"] for row in expected]

    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    requested: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{base_url}/")
    assert page.title() == "Log classification"
    page.set_input_files("#file-input", str(SAMPLE_LOGS))
    page.click("#upload-button")
    page.wait_for_selector("#results:not([hidden])")
    rows = page.locator("#results-table tbody tr")
    assert rows.count() == len(expected)
    assert page.text_content("#row-count") == f"{len(expected)} rows classified"
    assert page.text_content("#status-text") == "Classified sample_logs.csv."

    # The table shows the server's answer, row for row.
    header = page.locator("#results-table thead th").all_text_contents()
    assert header == ["#", "source", "log_message", "target_label", "classified_by", "confidence", "reason",
                      "pattern_id"]
    label_column = header.index("target_label") + 1
    shown = page.locator(f"#results-table tbody td:nth-child({label_column})").all_text_contents()
    assert shown == labels
    assert set(shown) <= set(CATEGORIES) | {UNCLASSIFIED}

    # The category chart: one bar per category (nine + Unclassified), counts as in the answer.
    bars = page.locator("#category-chart g.bar")
    assert bars.count() == len(CATEGORIES) + 1
    counts = {bars.nth(i).get_attribute("data-key"): int(bars.nth(i).get_attribute("data-count") or 0)
              for i in range(bars.count())}
    assert counts == {name: labels.count(name) for name in (*CATEGORIES, UNCLASSIFIED)}
    stage_counts = page.locator("#stage-chart g.bar").evaluate_all(
        "bars => Object.fromEntries(bars.map(b => [b.dataset.key, Number(b.dataset.count)]))")
    assert sum(stage_counts.values()) == len(expected)
    assert stage_counts["regex"] == sum(row["classified_by"] == "regex" for row in expected)

    # Filters: by category, by stage, by free text, and back to everything.
    page.select_option("#category-filter", "Security Alert")
    assert page.locator(f"#results-table tbody td:nth-child({label_column})").all_text_contents() == [
        "Security Alert"] * labels.count("Security Alert")
    page.select_option("#category-filter", "")
    page.select_option("#stage-filter", "regex")
    assert rows.count() == stage_counts["regex"]
    page.select_option("#stage-filter", "")
    page.fill("#text-filter", "sshd")
    assert rows.count() == sum(row["source"] == "sshd" for row in expected)
    assert page.text_content("#match-count") == f"{rows.count()} of {len(expected)} rows match"
    page.fill("#text-filter", "")
    assert rows.count() == len(expected)

    # Download: the classified CSV, named by the server.
    with page.expect_download() as download_info:
        page.click("#download-button")
    download = download_info.value
    assert download.suggested_filename == "sample_logs_classified.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_text(encoding="utf-8") == expected_csv

    # Works offline: nothing requested outside this server, no script or CSP errors.
    assert all(url.startswith((base_url, "blob:", "data:")) for url in requested), requested
    assert problems == []

    page.select_option("#category-filter", "")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
    context.close()


def test_a_bad_upload_shows_the_servers_message(base_url: str, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    page = browser.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(f"{base_url}/")
    page.set_input_files("#file-input", str(bad))
    page.click("#upload-button")
    page.wait_for_selector("#error:not([hidden])")
    assert "Error 400: missing required column(s): source, log_message" in (page.text_content("#error") or "")
    assert page.is_hidden("#results")
    page.close()


def test_patterns_view_counts_sparklines_filters_and_new_marks(base_url: str, browser) -> None:  # type: ignore[no-untyped-def]
    now = time.time()
    old = datetime.fromtimestamp(now - 3 * 3600, tz=UTC).isoformat()
    lines = (
        [{"source": "e2e-batch", "log_message": f"Batch run {i} for shard {i} finished", "timestamp": old}
         for i in range(5)]
        + [{"source": "e2e-node", "log_message": "Kernel panic - not syncing: Fatal exception in interrupt"}] * 3
        + [{"source": "e2e-web", "log_message": f"User {i} updated their profile picture"} for i in range(2)]
    )
    results = httpx.post(f"{base_url}/classify/json", json={"logs": lines}, timeout=60).json()["results"]
    ids = {line["source"]: result["pattern_id"] for line, result in zip(lines, results)}
    deadline = time.monotonic() + 20
    while httpx.get(f"{base_url}/health", timeout=10).json()["pattern_store"]["pending_lines"]:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    expected = httpx.get(f"{base_url}/patterns?limit=50", timeout=10).json()

    context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id="UTC")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{base_url}/")
    page.wait_for_selector("#patterns-table[data-loaded]")
    rows = page.locator("#patterns-table tbody tr")
    # the table is the API's answer, largest first, each with a sparkline adding up to its count
    assert rows.evaluate_all("rows => rows.map(r => r.dataset.id)") == [item["id"] for item in expected["patterns"]]
    counts = [int(text) for text in page.locator("#patterns-table td.count").all_text_contents()]
    assert counts == [item["count"] for item in expected["patterns"]] and counts == sorted(counts, reverse=True)
    totals = page.locator("#patterns-table svg.spark").evaluate_all("svgs => svgs.map(s => Number(s.dataset.total))")
    assert totals == counts
    assert page.text_content("#pattern-summary") == f"{expected['total']} patterns, {expected['lines']} lines"
    mine = {ids["e2e-batch"]: 5, ids["e2e-node"]: 3, ids["e2e-web"]: 2}
    shown = dict(zip(rows.evaluate_all("rows => rows.map(r => r.dataset.id)"), counts))
    assert {pid: shown[pid] for pid in mine} == mine

    # "new since" an hour ago marks the patterns first seen after it, not the one from 3 hours ago
    since = datetime.fromtimestamp(now - 3600, tz=UTC).strftime("%Y-%m-%dT%H:%M")
    loaded = page.get_attribute("#patterns-table", "data-loaded")
    page.fill("#new-since", since)
    page.dispatch_event("#new-since", "change")
    page.wait_for_selector(f'#patterns-table[data-loaded]:not([data-loaded="{loaded}"])')
    marked = set(page.locator("#patterns-table tbody tr.new").evaluate_all("rows => rows.map(r => r.dataset.id)"))
    assert ids["e2e-node"] in marked and ids["e2e-web"] in marked and ids["e2e-batch"] not in marked

    # filters: by category, and a shorter window drops the 3-hour-old pattern
    loaded = page.get_attribute("#patterns-table", "data-loaded")
    page.select_option("#pattern-label", "Critical Error")
    page.wait_for_selector(f'#patterns-table[data-loaded]:not([data-loaded="{loaded}"])')
    assert set(page.locator("#patterns-table td.label").all_text_contents()) == {"Critical Error"}
    assert ids["e2e-node"] in rows.evaluate_all("rows => rows.map(r => r.dataset.id)")
    page.select_option("#pattern-label", "")
    loaded = page.get_attribute("#patterns-table", "data-loaded")
    page.select_option("#pattern-window", "3600")
    page.wait_for_selector(f'#patterns-table[data-loaded]:not([data-loaded="{loaded}"])')
    assert ids["e2e-batch"] not in rows.evaluate_all("rows => rows.map(r => r.dataset.id)")
    assert problems == []
    context.close()
