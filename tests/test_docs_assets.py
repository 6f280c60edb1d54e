"""The docs' pictures of the service are current: assets/web_page.png and the README's alert example
show what this code and model answer today. When one fails, run `make docs-assets`."""

from __future__ import annotations

import json
import sys
from collections import Counter

from fastapi.testclient import TestClient

from log_classifier.config import PROJECT_DIR

sys.path.insert(0, str(PROJECT_DIR / "scripts"))
import docs_assets  # noqa: E402  (scripts/ is not a package)

STALE = "stale: run `make docs-assets`"


def test_the_screenshot_shows_the_current_model_and_counts(app_client: TestClient) -> None:
    shown = docs_assets.png_text(docs_assets.SCREENSHOT.read_bytes(), docs_assets.PNG_KEY)
    assert shown is not None, f"assets/web_page.png says nothing about what it shows: {STALE}"
    answer = app_client.post("/classify/?explain=true", files={
        "file": ("sample_logs.csv", docs_assets.SAMPLE_LOGS.read_bytes(), "text/csv")})
    version = app_client.app.state.classifier.model_version  # type: ignore[attr-defined]
    assert json.loads(shown) == docs_assets.shown_counts(answer.text, version), STALE


def test_the_readme_alert_example_is_what_the_current_model_sends(app_client: TestClient) -> None:
    alert = docs_assets.readme_alert((PROJECT_DIR / "README.md").read_text(encoding="utf-8"))
    version = app_client.app.state.classifier.model_version  # type: ignore[attr-defined]
    assert alert["model_version"] == version, STALE
    assert f"model {version})" in alert["text"], STALE
    logs = [{"source": record["host"], "log_message": record["message"]} for record in docs_assets.FEED]
    labels = [result["target_label"] for result in app_client.post("/classify/json", json={"logs": logs}).json()["results"]]
    alerting = Counter(label for label in labels if label in ("Critical Error", "Security Alert"))
    assert alert["counts"] == dict(alerting), STALE
    assert {sample["label"] for sample in alert["samples"]} == set(alerting), STALE


def test_png_text_round_trip() -> None:
    png = docs_assets.SCREENSHOT.read_bytes()
    tagged = docs_assets.png_with_text(docs_assets.png_with_text(png, "k", "one"), "k", "two")
    assert docs_assets.png_text(tagged, "k") == "two"
    assert docs_assets.png_text(tagged, docs_assets.PNG_KEY) == docs_assets.png_text(png, docs_assets.PNG_KEY)
