"""The Patterns view's label control in a real headless Chromium against the real app under uvicorn: a
person corrects a pattern with the page's API key, the row is marked corrected, the next line of the
pattern gets the person's label, Undo returns it to the model; a wrong key shows the server's message."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from helpers import make_settings
from live_server import serve
from test_web_e2e import CHROMIUM, TIMEOUT_MS, browser  # noqa: F401  (the browser fixture)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium: `make e2e` installs it with apt"),
]
KEY = {"X-API-Key": "s3cret"}
LINE = {"source": "e2e-billing", "log_message": "Invoice run 41 produced 0 documents"}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from log_classifier.api.app import create_app

    store = tmp_path_factory.mktemp("patterns") / "patterns.db"
    with serve(create_app(make_settings(pattern_store=str(store), pattern_flush_s=0.1, api_keys="ops:s3cret"))) as url:
        yield url


def classify(base_url: str) -> dict:
    answer = httpx.post(f"{base_url}/classify/json", json={"logs": [LINE]}, headers=KEY, timeout=60)
    return answer.json()["results"][0]


def test_label_control_corrects_marks_and_undoes(base_url: str, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    first = classify(base_url)
    pid = first["pattern_id"]
    wanted = "Workflow Error" if first["target_label"] != "Workflow Error" else "Error"
    deadline = time.monotonic() + 20
    while httpx.get(f"{base_url}/health", timeout=10).json()["pattern_store"]["pending_lines"]:
        assert time.monotonic() < deadline
        time.sleep(0.1)

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{base_url}/")
    page.fill("#api-key", "s3cret")
    page.click("#pattern-refresh")
    row = page.locator(f'#patterns-table tbody tr[data-id="{pid}"]')
    row.wait_for()
    assert row.get_attribute("data-corrected") == "false"

    # a wrong key: the server's 401 is shown, nothing changes
    page.fill("#api-key", "wrong")
    row.locator("select.label-control").select_option(wanted)
    page.wait_for_selector("#pattern-error:not([hidden])")
    assert "401" in page.text_content("#pattern-error")
    assert httpx.get(f"{base_url}/patterns/{pid}", headers=KEY, timeout=10).json()["corrected"] is False

    page.fill("#api-key", "s3cret")
    row.locator("select.label-control").select_option(wanted)
    page.wait_for_selector(f'#patterns-table tbody tr[data-id="{pid}"][data-corrected="true"]')
    assert row.locator("td.label").text_content() == wanted
    assert "corrected" in row.get_attribute("class")
    assert row.locator("button.undo-correction").is_visible()
    after = classify(base_url)
    assert (after["target_label"], after["classified_by"]) == (wanted, "feedback")
    audit = httpx.get(f"{base_url}/corrections", headers=KEY, timeout=10).json()["corrections"]
    assert audit[0]["who"] == "ops" and audit[0]["to_label"] == wanted

    # a reload shows the pattern marked corrected (from GET /patterns)
    page.click("#pattern-refresh")
    page.wait_for_selector(f'#patterns-table tbody tr[data-id="{pid}"][data-corrected="true"]')

    row.locator("button.undo-correction").click()
    page.wait_for_selector(f'#patterns-table tbody tr[data-id="{pid}"][data-corrected="false"]')
    assert row.locator("td.label").text_content() == first["target_label"]
    assert classify(base_url)["classified_by"] != "feedback"
    assert problems == []
