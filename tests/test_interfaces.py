"""The user-facing surfaces around the cascade: POST /classify/json, the CLI, /metrics, request ids
and JSON logs, the web page's files. Through the real app (TestClient) and real files."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_groq import FakeGroq, serve_fake_groq
from fastapi.testclient import TestClient
from helpers import SHIPPED_MODEL_DIR, make_settings
from prometheus_client.parser import text_string_to_metric_families

from log_classifier import cli
from log_classifier.api.metrics import Metrics
from log_classifier.config import PROJECT_DIR
from log_classifier.contract import Prediction
from log_classifier.taxonomy import CATEGORIES, UNCLASSIFIED

API_KEY = "test-key-1"
ALLOWED_LABELS = set(CATEGORIES) | {UNCLASSIFIED}
SAMPLE_LOGS = PROJECT_DIR / "resources" / "sample_logs.csv"
# Extra columns, a formula cell, a multi-line message, an empty message, an existing target_label.
MIXED_CSV = (
    "id,source,log_message,target_label\n"
    '1,nginx,"10.0.0.1 - - [01/Jan/2025:00:00:01 +0000] ""GET /a HTTP/1.1"" 404 12",old\n'
    "2,sshd,Failed password for root from 203.0.113.4 port 22 ssh2,\n"
    "3,LegacyCRM,Lead 77 could not be routed: no territory matches,\n"
    '4,kernel,"Kernel panic - not syncing: Attempted to kill init!\n  CPU: 1",\n'
    "5,=cmd|' /C calc'!A0,@SUM(1+1) failed,\n"
    "6,app,,\n"
    "7,backup,Nightly snapshot of volume vol-22 finished,\n"
)
SSH_LINE = {"source": "sshd", "log_message": "Failed password for invalid user oracle from 203.0.113.9 port 40522 ssh2"}


def classify_csv(client: TestClient, body: bytes, *, explain: bool, name: str = "logs.csv") -> str:
    response = client.post(f"/classify/?explain={str(explain).lower()}", files={"file": (name, body, "text/csv")})
    assert response.status_code == 200, response.text
    return response.text


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """/metrics as {(sample name, sorted labels): value}."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def sample(samples: dict, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture(scope="module")
def fake_llm() -> Iterator[FakeGroq]:
    with serve_fake_groq() as fake:
        yield fake


@pytest.fixture(scope="module")
def strict_client(fake_llm: FakeGroq) -> Iterator[TestClient]:
    """An app that differs from the session one: API key required, JSON logs, an LLM (the fake Groq)."""
    from log_classifier.api.app import create_app

    settings = make_settings(
        api_keys=[API_KEY],
        log_json=True,
        groq_api_key="gsk-test",
        groq_base_url=fake_llm.base_url,
        llm_max_retries=0,
        llm_timeout_s=5.0,
        llm_breaker_failures=1000,
        cache_size=0,
    )
    with TestClient(create_app(settings), headers={"X-API-Key": API_KEY}) as client:
        yield client


# --- POST /classify/json -------------------------------------------------------------------------


def test_json_results_come_back_in_input_order_and_match_the_csv_endpoint(app_client: TestClient) -> None:
    lines = [{"source": r["source"], "log_message": r["log_message"]} for r in csv_rows(MIXED_CSV)]
    response = app_client.post("/classify/json", json={"logs": lines})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == len(lines)
    assert set(results[0]) == {"target_label", "classified_by", "confidence", "reason", "pattern_id"}
    from_csv = csv_rows(classify_csv(app_client, MIXED_CSV.encode(), explain=True))
    assert [(r["target_label"], r["classified_by"], f"{r['confidence']:.4f}", r["reason"], r["pattern_id"] or "")
            for r in results] == [
        (r["target_label"], r["classified_by"], r["confidence"], r["reason"], r["pattern_id"]) for r in from_csv
    ]
    assert results[1] == {"target_label": "Security Alert", "classified_by": "regex", "confidence": 1.0,
                          "reason": "rule:sshd-failed-password", "pattern_id": results[1]["pattern_id"]}
    assert results[5]["reason"] == "empty log_message"
    assert {r["target_label"] for r in results} <= ALLOWED_LABELS


def test_json_empty_list_is_an_empty_answer(app_client: TestClient) -> None:
    response = app_client.post("/classify/json", json={"logs": []})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_json_more_than_max_json_logs_is_413_saying_the_limit(app_client: TestClient) -> None:
    limit = app_client.app.state.settings.max_json_logs  # type: ignore[attr-defined]
    response = app_client.post("/classify/json", json={"logs": [{"source": "a", "log_message": "b"}] * (limit + 1)})
    assert response.status_code == 413
    detail = response.json()["detail"]
    assert f"{limit + 1} logs" in detail and f"the limit is {limit} (MAX_JSON_LOGS)" in detail


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ({"logs": [{"source": "sshd"}]}, "logs.0.log_message: Field required"),
        ({"lines": []}, "logs: Field required; lines: Extra inputs are not permitted"),
        ({"logs": [{"source": "a", "log_message": 5}]}, "logs.0.log_message: Input should be a valid string"),
        ({"logs": [{"source": "a", "log_message": "b", "extra": 1}]}, "logs.0.extra: Extra inputs are not permitted"),
    ],
)
def test_json_bad_bodies_are_400_naming_the_field(app_client: TestClient, body: dict, complaint: str) -> None:
    response = app_client.post("/classify/json", json=body)
    assert response.status_code == 400
    assert response.json()["detail"] == complaint  # and no hint about multipart uploads


def test_json_needs_the_api_key_when_keys_are_set(strict_client: TestClient) -> None:
    body = {"logs": [SSH_LINE]}
    assert strict_client.post("/classify/json", json=body, headers={"X-API-Key": "wrong"}).status_code == 401
    response = strict_client.post("/classify/json", json=body)
    assert response.status_code == 200
    assert response.json()["results"][0]["target_label"] == "Security Alert"


def test_openapi_documents_the_json_endpoint_with_examples(app_client: TestClient) -> None:
    schema = app_client.get("/openapi.json").json()
    operation = schema["paths"]["/classify/json"]["post"]
    assert {"200", "400", "401", "413"} <= set(operation["responses"])
    assert "MAX_JSON_LOGS" in operation["description"]
    request_ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    request_schema = schema["components"]["schemas"][request_ref]
    assert request_schema["examples"][0]["logs"][0]["source"] == "sshd"
    response_schema = schema["components"]["schemas"]["ClassifyJsonResponse"]
    assert response_schema["examples"][0]["results"][0]["target_label"] in CATEGORIES
    assert "/metrics" in schema["paths"]


# --- CLI -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("explain", [False, True])
def test_cli_output_equals_the_api_output_row_for_row(
    app_client: TestClient, loaded_classifier, tmp_path: Path, explain: bool, capsys: pytest.CaptureFixture[str]  # type: ignore[no-untyped-def]
) -> None:
    source = tmp_path / "mixed.csv"
    source.write_bytes(MIXED_CSV.encode())
    output = tmp_path / "out.csv"
    argv = [str(source), "--output", str(output), "--no-progress"] + (["--explain"] if explain else [])
    code = cli.main(argv, settings=make_settings(), classifier=loaded_classifier)
    assert code == 0
    api_text = classify_csv(app_client, MIXED_CSV.encode(), explain=explain)
    assert output.read_text(encoding="utf-8").splitlines() == api_text.splitlines()
    assert not (tmp_path / "out.csv.part").exists()
    summary = capsys.readouterr().out
    labels = [row["target_label"] for row in csv_rows(api_text)]
    assert f"Classified {len(labels)} rows" in summary
    assert re.search(rf"^Security Alert\s+{labels.count('Security Alert')}\s", summary, re.M)
    assert re.search(rf"^Unclassified\s+{labels.count(UNCLASSIFIED)}\s", summary, re.M)
    assert re.search(r"^regex\s+\d+\s", summary, re.M)


@pytest.mark.slow
def test_cli_as_a_script_matches_the_api_on_the_sample_file(app_client: TestClient, tmp_path: Path) -> None:
    """`python classifier.py` in a fresh process: its own settings (environment) and its own model load."""
    output = tmp_path / "sample_classified.csv"
    env = {**os.environ, "MODEL_DIR": str(SHIPPED_MODEL_DIR), "GROQ_API_KEY": "", "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "classifier.py"), str(SAMPLE_LOGS), "--output", str(output), "--explain"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    api_text = classify_csv(app_client, SAMPLE_LOGS.read_bytes(), explain=True)
    assert output.read_text(encoding="utf-8").splitlines() == api_text.splitlines()
    assert "category" in done.stdout and "stage" in done.stdout


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        (None, "no such file"),
        (b"a,b\n1,2\n", "missing required column(s): source, log_message"),
        (b"source,log_message\na,b,c\n", "line 2 has 3 fields but the header has 2"),
    ],
)
def test_cli_errors_are_a_message_and_exit_code_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, complaint: str
) -> None:
    source = tmp_path / "in.csv"
    if content is not None:
        source.write_bytes(content)
    output = tmp_path / "out.csv"
    # A bad input fails before the model is loaded: the model directory here does not even exist.
    code = cli.main([str(source), "-o", str(output)], settings=make_settings(model_dir=tmp_path / "no-model"))
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and complaint in err
    assert not output.exists()


def test_cli_missing_model_is_exit_code_2_naming_the_setting(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main([str(SAMPLE_LOGS), "-o", str(tmp_path / "o.csv")], settings=make_settings(model_dir=tmp_path))
    assert code == 2
    assert "MODEL_DIR" in capsys.readouterr().err


def test_cli_script_exit_code_for_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    done = subprocess.run([sys.executable, str(PROJECT_DIR / "classifier.py"), str(bad)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "looks binary" in done.stderr and "Traceback" not in done.stderr


# --- /metrics --------------------------------------------------------------------------------------


def test_metrics_count_rows_by_stage_and_category_latency_and_cache(app_client: TestClient) -> None:
    before = scrape(app_client)
    body = {"logs": [SSH_LINE, SSH_LINE, {"source": "app", "log_message": ""}]}
    assert app_client.post("/classify/json", json=body).status_code == 200
    # The same shape as SSH_LINE (other address and port): answered from the cache the request above filled.
    classify_csv(app_client, b"source,log_message\nsshd,Failed password for invalid user oracle from 10.9.9.9 port 22 ssh2\n",
                 explain=False)
    after = scrape(app_client)

    def delta(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    rows = "log_classifier_rows_classified_total"
    assert delta(rows, stage="regex", category="Security Alert") == 3
    assert delta(rows, stage="none", category=UNCLASSIFIED) == 1
    latency = "log_classifier_request_duration_seconds_count"
    assert delta(latency, method="POST", endpoint="/classify/json") == 1
    assert delta(latency, method="POST", endpoint="/classify/") == 1
    assert delta("log_classifier_requests_total", method="POST", endpoint="/classify/json", status="200") == 1
    # One shape: the first request misses, the second hits.
    assert delta("log_classifier_cache_hits_total") >= 1
    assert sample(after, "log_classifier_cache_misses_total") >= 1


def test_metrics_latency_labels_are_route_templates_not_raw_paths(app_client: TestClient) -> None:
    app_client.get("/no/such/page/12345")
    app_client.get("/static/app.js")
    samples = scrape(app_client)
    endpoints = {dict(labels).get("endpoint") for name, labels in samples if name.startswith("log_classifier_request")}
    assert "unmatched" in endpoints and "/static" in endpoints
    assert not any(endpoint and "12345" in endpoint for endpoint in endpoints)


def test_metrics_method_label_values_are_bounded(app_client: TestClient) -> None:
    """A client-chosen HTTP method must not become a new label value (unbounded series)."""
    app_client.request("BREW12345", "/health")
    methods = {dict(labels).get("method") for name, labels in scrape(app_client) if name.startswith("log_classifier_request")}
    assert "other" in methods
    assert not any(method and "BREW" in method for method in methods)


def test_metrics_count_llm_answers_and_failures(strict_client: TestClient, fake_llm: FakeGroq) -> None:
    before = scrape(strict_client)
    crm = {"source": "LegacyCRM", "log_message": "Invoice approval for order 7781 stalled: approver role vacant"}
    fake_llm.answer_by_rules()
    answered = strict_client.post("/classify/json", json={"logs": [crm]}).json()["results"]
    assert answered[0]["classified_by"] == "llm" and answered[0]["target_label"] == "Workflow Error"
    fake_llm.fail_with(500, times=1)
    failed = strict_client.post("/classify/json", json={"logs": [crm]}).json()["results"]
    assert failed[0]["reason"].startswith("llm error")
    after = scrape(strict_client)
    assert sample(after, "log_classifier_llm_answered_rows_total") - sample(before, "log_classifier_llm_answered_rows_total") == 1
    assert sample(after, "log_classifier_llm_failed_rows_total", kind="error") - sample(
        before, "log_classifier_llm_failed_rows_total", kind="error") == 1


def test_metrics_count_every_llm_failure_outcome() -> None:
    metrics = Metrics()
    metrics.observe_predictions([
        Prediction("Error", "llm", 0.9, "llm:model"),
        Prediction(UNCLASSIFIED, "none", 0.0, "llm error: APITimeoutError", "llm_error"),
        Prediction(UNCLASSIFIED, "none", 0.0, "llm budget exhausted", "llm_budget"),
        Prediction(UNCLASSIFIED, "none", 0.0, "llm circuit open", "llm_circuit"),
        Prediction(UNCLASSIFIED, "none", 0.0, "llm disabled: no GROQ_API_KEY", "llm_disabled"),
        Prediction(UNCLASSIFIED, "llm", 0.0, "llm answer not a category: Banana", "llm_invalid_answer"),
        Prediction(UNCLASSIFIED, "none", 0.0, "llm models dead: x (model_not_found)", "llm_models_dead"),
        Prediction(UNCLASSIFIED, "none", 0.0, "llm stopped: service shutting down", "llm_shutdown"),
        # The wording of a reason means nothing to the metrics: only the outcome field counts.
        Prediction(UNCLASSIFIED, "none", 0.0, "llm error lookalike", "undecided"),
    ])
    text = metrics.exposition().decode()
    assert "log_classifier_llm_answered_rows_total 1.0" in text
    for kind in ("error", "budget", "circuit", "invalid_answer", "models_dead", "shutdown"):
        assert f'log_classifier_llm_failed_rows_total{{kind="{kind}"}} 1.0' in text
    assert 'log_classifier_rows_classified_total{category="Unclassified",stage="none"} 7.0' in text


# --- request ids and logs --------------------------------------------------------------------------


def test_request_id_is_echoed_or_generated(app_client: TestClient) -> None:
    assert app_client.get("/health", headers={"X-Request-ID": "abc-123.4"}).headers["x-request-id"] == "abc-123.4"
    generated = app_client.get("/health").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    # Not a safe token (spaces, too long): replaced, so it cannot forge log lines.
    for unsafe in ("two words", "x" * 200):
        assert re.fullmatch(r"[0-9a-f]{32}", app_client.get("/health", headers={"X-Request-ID": unsafe}).headers["x-request-id"])
    # Errors carry it too.
    assert app_client.post("/classify/json", json={}, headers={"X-Request-ID": "err-1"}).headers["x-request-id"] == "err-1"


def test_json_logs_are_one_object_per_line_with_the_request_id(
    strict_client: TestClient, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    response = strict_client.post("/classify/json", json={"logs": [SSH_LINE]}, headers={"X-Request-ID": "req-42"})
    assert response.headers["x-request-id"] == "req-42"
    lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all(set(entry) >= {"timestamp", "level", "logger", "message", "request_id"} for entry in entries)
    mine = [entry for entry in entries if entry["request_id"] == "req-42"]
    assert any(entry["logger"] == "log_classifier.api.routes.classify" and entry["message"] == "classified 1 JSON logs" for entry in mine)
    assert any(entry["logger"] == "log_classifier.access" and "POST /classify/json 200" in entry["message"] for entry in mine)
    assert all(entry["level"] == "INFO" for entry in mine)


# --- web page files (the browser test is tests/test_web_e2e.py, marker e2e) -----------------------


def test_web_page_and_its_script_are_served_with_a_strict_csp(app_client: TestClient) -> None:
    page = app_client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert '<script src="/static/app.js"' in page.text and "http" not in page.text.split("<body>")[0].replace(
        "http-equiv", "")
    script = app_client.get("/static/app.js")
    assert script.status_code == 200 and "/classify/?explain=true" in script.text
    assert app_client.get("/static/app.css").status_code == 200
