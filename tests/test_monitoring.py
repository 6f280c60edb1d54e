"""The Grafana dashboard and the Prometheus alerting rules use only metrics the service exports.

The exported names come from the real app's /metrics after a classification (not from a list kept
by hand). promtool itself checks and unit-tests the rules (`make rules`, part of `make test`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from fake_groq import serve_fake_groq
from fastapi.testclient import TestClient
from helpers import make_settings
from prometheus_client.parser import text_string_to_metric_families

from log_classifier.api.app import create_app
from log_classifier.config import PROJECT_DIR
from log_classifier.taxonomy import CATEGORIES, UNCLASSIFIED

DASHBOARD = PROJECT_DIR / "resources" / "grafana" / "log_classifier.json"
ALERT_RULES = PROJECT_DIR / "resources" / "prometheus" / "alerts.yml"
OUR_METRIC = re.compile(r"\blog_classifier[_:][A-Za-z0-9_:]*")
SUFFIXES = {"counter": ("_total", "_created"), "histogram": ("_bucket", "_sum", "_count", "_created"),
            "gauge": ("",), "summary": ("_sum", "_count", "_created")}


@pytest.fixture(scope="module")
def llm_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The real app with the LLM stage on, against the fake Groq server (its metrics exist only then), and a
    pattern store (its metrics too)."""
    store = tmp_path_factory.mktemp("patterns") / "patterns.db"
    with serve_fake_groq() as fake, TestClient(create_app(make_settings(
        groq_api_key="test-key", groq_base_url=fake.base_url, groq_model="fake-model", llm_max_retries=0,
        pattern_store=str(store),
    ))) as client:
        yield client


@pytest.fixture(scope="module")
def exported(llm_client: TestClient) -> dict[str, str]:
    """Every sample name /metrics can show, with its type, after a classification that used every stage."""
    response = llm_client.post("/classify/json", json={"logs": [
        {"source": "kernel", "log_message": "Kernel panic - not syncing: Fatal exception"},
        {"source": "LegacyCRM", "log_message": "Escalation rule for ticket 8812 failed: no on-call manager"}]})
    assert response.status_code == 200
    assert [r["classified_by"] for r in response.json()["results"]] == ["regex", "llm"]
    names: dict[str, str] = {}
    for family in text_string_to_metric_families(llm_client.get("/metrics").text):
        for suffix in SUFFIXES.get(family.type, ("",)):
            names[family.name + suffix] = family.type
        for sample in family.samples:
            names[sample.name] = family.type
    return names


def dashboard_queries() -> Iterator[tuple[str, str]]:
    """(where, PromQL) for every query in the dashboard: panel targets and template variables."""
    dashboard = json.loads(DASHBOARD.read_text())

    def panels(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        for panel in items:
            yield panel
            yield from panels(panel.get("panels", []))

    for panel in panels(dashboard["panels"]):
        for target in panel.get("targets", []):
            yield panel["title"], target["expr"]
    for variable in dashboard["templating"]["list"]:
        query = variable.get("query")
        if isinstance(query, dict):
            yield f"variable {variable['name']}", query["query"]


def rule_queries() -> Iterator[tuple[str, str]]:
    for group in yaml.safe_load(ALERT_RULES.read_text())["groups"]:
        for rule in group["rules"]:
            yield rule.get("alert") or rule["record"], rule["expr"]


@pytest.mark.slow  # an app of its own, with the LLM stage and a pattern store
def test_the_metrics_the_alerting_rules_need_are_exported(exported: dict[str, str]) -> None:
    assert exported["log_classifier_rows_classified_total"] == "counter"
    assert exported["log_classifier_llm_circuit_open"] == "gauge"
    assert exported["log_classifier_alert_webhook_failures_total"] == "counter"
    assert exported["log_classifier_alert_webhooks_sent_total"] == "counter"
    assert exported["log_classifier_request_duration_seconds_bucket"] == "histogram"
    assert exported["log_classifier_llm_models_available"] == "gauge"
    assert exported["log_classifier_llm_model_fallbacks_total"] == "counter"


@pytest.mark.slow  # an app of its own, with the LLM stage and a pattern store
@pytest.mark.parametrize("source", ["dashboard", "rules"])
def test_queries_reference_only_exported_metrics(exported: dict[str, str], source: str) -> None:
    queries = list(dashboard_queries() if source == "dashboard" else rule_queries())
    assert len(queries) >= 7
    for where, expr in queries:
        used = OUR_METRIC.findall(expr)
        # The service's own metrics only (Prometheus' `up` is the one exception, for the down alert).
        assert used or re.search(r"\bup\{", expr), f"{where}: {expr}"
        unknown = sorted(set(used) - set(exported))
        assert not unknown, f"{where} uses {unknown}, which /metrics does not export"


@pytest.mark.slow  # an app of its own, with the LLM stage and a pattern store
def test_counters_end_in_total_and_durations_are_in_seconds(exported: dict[str, str]) -> None:
    for name, kind in exported.items():
        if kind == "counter":
            assert name.endswith(("_total", "_created")), name
        assert "_ms" not in name and "milliseconds" not in name, name


def test_every_category_series_exists_from_the_start(app_client: TestClient) -> None:
    # Bounded label values, all present at 0 before they first happen: increase() sees the first burst.
    text = app_client.get("/metrics").text
    categories = set(re.findall(r'log_classifier_rows_classified_total\{category="([^"]+)"', text))
    assert categories == {*CATEGORIES, UNCLASSIFIED}
    stages = set(re.findall(r'log_classifier_rows_classified_total\{category="[^"]+",stage="([^"]+)"', text))
    assert stages == {"feedback", "regex", "similar", "bert", "llm", "none"}


def samples(client: TestClient) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(client.get("/metrics").text) for sample in family.samples}


def test_requests_are_counted_and_timed_per_route_and_status(app_client: TestClient) -> None:
    def key(name: str, **labels: str) -> tuple[str, frozenset[tuple[str, str]]]:
        return name, frozenset(labels.items())

    before = samples(app_client)
    assert app_client.post("/ingest", content=b'{"message": "Kernel panic - not syncing"}\n').status_code == 200
    assert app_client.post("/ingest", content=b'{"message": ').status_code == 400
    assert app_client.get("/patterns/not-a-pattern-id").status_code == 404
    after = samples(app_client)

    def moved(name: str, **labels: str) -> float:
        return after[key(name, **labels)] - before.get(key(name, **labels), 0.0)

    requests = "log_classifier_requests_total"
    assert moved(requests, method="POST", endpoint="/ingest", status="200") == 1
    assert moved(requests, method="POST", endpoint="/ingest", status="400") == 1
    # The route's template, not the path asked for: one series per route whatever clients send.
    assert moved(requests, method="GET", endpoint="/patterns/{pattern_id}", status="404") == 1
    assert not any("not-a-pattern-id" in value for _, labels in after for _, value in labels)
    assert moved("log_classifier_request_duration_seconds_count", method="POST", endpoint="/ingest") == 2
    assert moved("log_classifier_request_duration_seconds_sum", method="POST", endpoint="/ingest") > 0
    assert moved("log_classifier_rows_classified_total", stage="regex", category="Critical Error") == 1
