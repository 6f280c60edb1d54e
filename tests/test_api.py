"""POST /classify/ and GET /health through the real app (lifespan, shipped model, no LLM key)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient

from log_classifier.taxonomy import CATEGORIES, UNCLASSIFIED

SAMPLE = (
    "id,source,log_message,note\n"
    '1,nginx,"203.0.113.5 - - [10/Oct/2025:13:55:36 +0000] ""GET /index.html HTTP/1.1"" 200 2326",keep me\n'
    "2,sshd,Failed password for invalid user test from 198.51.100.23 port 52211 ssh2,\n"
    "3,LegacyCRM,Lead 4411 could not be assigned: no matching territory rule,x\n"
    "4,kernel,\"Kernel panic - not syncing: Attempted to kill init!\n  CPU: 0 PID: 1 Comm: init\",multi-line\n"
    "5,app,,blank message\n"
)


def post(client: TestClient, body: bytes | str, *, explain: bool = False, name: str = "logs.csv"):  # type: ignore[no-untyped-def]
    data = body.encode("utf-8") if isinstance(body, str) else body
    return client.post(f"/classify/?explain={str(explain).lower()}", files={"file": (name, data, "text/csv")})


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_rows_come_back_in_order_with_input_columns_unchanged(app_client: TestClient) -> None:
    response = post(app_client, SAMPLE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    out = rows(response.text)
    inp = rows(SAMPLE)
    assert list(out[0].keys()) == ["id", "source", "log_message", "note", "target_label"]
    assert [{k: r[k] for k in inp[0]} for r in out] == inp
    labels = [r["target_label"] for r in out]
    assert labels[0] == "HTTP Status"
    assert labels[1] == "Security Alert"
    assert labels[2] == UNCLASSIFIED  # LegacyCRM goes to the LLM, which is off without a key
    assert labels[3] == "Critical Error"
    assert labels[4] == UNCLASSIFIED
    assert set(labels) <= set(CATEGORIES) | {UNCLASSIFIED}


def test_explain_adds_stage_confidence_and_reason(app_client: TestClient) -> None:
    out = rows(post(app_client, SAMPLE, explain=True).text)
    assert list(out[0].keys())[-4:] == ["classified_by", "confidence", "reason", "pattern_id"]
    assert len(out[1]["pattern_id"]) == 16 and out[4]["pattern_id"] == ""  # an empty line has no pattern
    assert out[1]["classified_by"] == "regex" and out[1]["reason"] == "rule:sshd-failed-password"
    assert out[2]["classified_by"] == "none" and "llm disabled" in out[2]["reason"]
    assert out[4]["reason"] == "empty log_message"
    assert all(0.0 <= float(r["confidence"]) <= 1.0 for r in out)


def test_embedding_stage_labels_lines_no_rule_covers(app_client: TestClient) -> None:
    body = "source,log_message\napp,Nightly backup of volume vol-0a12 completed successfully in 42s\n"
    [row] = rows(post(app_client, body, explain=True).text)
    assert row["classified_by"] == "bert"
    assert row["target_label"] == "System Notification"
    assert float(row["confidence"]) >= 0.3


def test_existing_target_label_column_is_overwritten_in_place(app_client: TestClient) -> None:
    body = "target_label,source,log_message\nwrong,sshd,Failed password for root from 10.0.0.1 port 22 ssh2\n"
    response = post(app_client, body)
    assert response.text.splitlines()[0] == "target_label,source,log_message"
    assert rows(response.text)[0]["target_label"] == "Security Alert"


def test_utf8_bom_and_crlf_are_accepted(app_client: TestClient) -> None:
    body = "\ufeffsource,log_message\r\nsshd,Accepted password for alice from 10.1.1.1 port 4242 ssh2\r\n"
    response = post(app_client, body)
    assert response.status_code == 200
    assert rows(response.text) == [
        {"source": "sshd", "log_message": "Accepted password for alice from 10.1.1.1 port 4242 ssh2",
         "target_label": "User Action"}
    ]


def test_formula_cells_are_neutralised(app_client: TestClient) -> None:
    body = "source,log_message,n\n=cmd|' /C calc'!A0,@SUM(1+1) failed,-12\n"
    [row] = rows(post(app_client, body).text)
    assert row["source"] == "'=cmd|' /C calc'!A0"
    assert row["log_message"] == "'@SUM(1+1) failed"
    assert row["n"] == "-12"  # a plain number is not a formula


def test_content_disposition_names_the_output(app_client: TestClient) -> None:
    response = post(app_client, SAMPLE, name="prod logs.csv")
    assert response.headers["content-disposition"] == 'attachment; filename="prodlogs_classified.csv"'


BAD_UPLOADS = [
    (b"", "the file is empty"),
    (b"   \n\n", "the file is empty"),
    (b"a,b\n1,2\n", "missing required column(s): source, log_message"),
    (b"source,text\n1,2\n", "missing required column(s): log_message"),
    (b"source,log_message\n", "header but no rows"),
    (b"source,log_message,source\na,b,c\n", "duplicate column name(s) in the header: source"),
    (b"source,log_message\na,b,c\n", "line 2 has 3 fields but the header has 2"),
    (b'source,log_message\na,"unterminated\n', "malformed CSV near line"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks binary"),
    ("source,log_message\nx,caf\xe9\n".encode("latin-1"), "not valid UTF-8"),
]


@pytest.mark.parametrize(("body", "complaint"), BAD_UPLOADS)
def test_bad_uploads_get_400_saying_what_to_fix(app_client: TestClient, body: bytes, complaint: str) -> None:
    response = post(app_client, body)
    assert response.status_code == 400
    assert complaint in response.json()["detail"]


def test_missing_file_field_is_400(app_client: TestClient) -> None:
    response = app_client.post("/classify/", data={"other": "x"})
    assert response.status_code == 400
    assert "form field 'file'" in response.json()["detail"]


def test_health_reports_model_and_disabled_llm(app_client: TestClient) -> None:
    body = app_client.get("/health").json()
    assert body["status"] == "ok"
    assert body["model"]["encoder"] == "all-MiniLM-L6-v2"
    assert set(body["model"]["labels"]) <= set(CATEGORIES)
    assert body["llm"]["enabled"] is False and "GROQ_API_KEY" in body["llm"]["reason"]


def test_openapi_documents_the_file_upload(app_client: TestClient) -> None:
    schema = app_client.get("/openapi.json").json()
    operation = schema["paths"]["/classify/"]["post"]
    content = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    ref = content["$ref"].rsplit("/", 1)[-1]
    file_schema = schema["components"]["schemas"][ref]["properties"]["file"]
    assert file_schema.get("format") == "binary" or file_schema.get("contentMediaType") == "application/octet-stream"
    assert {"200", "400", "413"} <= set(operation["responses"])
    assert "/docs-assets/swagger-ui-bundle.js" in app_client.get("/docs").text  # Swagger UI, served here


def test_shipped_sample_output_is_what_the_service_gives(app_client: TestClient) -> None:
    """resources/sample_logs_classified.csv is regenerated by `make sample`; it must not go stale."""
    from log_classifier.config import PROJECT_DIR

    sample = (PROJECT_DIR / "resources" / "sample_logs.csv").read_bytes()
    expected = (PROJECT_DIR / "resources" / "sample_logs_classified.csv").read_text(encoding="utf-8")
    response = post(app_client, sample, explain=True)
    assert response.status_code == 200
    assert rows(response.text) == rows(expected)
    assert len(rows(expected)) == len(rows(sample.decode("utf-8"))) >= 12


def test_csv_ingest_and_json_answers_explain_a_line_alike(app_client: TestClient) -> None:
    """One rendering of a prediction (`output_fields`): the CSV cells are the JSON values as text."""
    lines = [("sshd", "Failed password for invalid user test from 198.51.100.23 port 52211 ssh2"),
             ("app", "Nightly backup of volume vol-0a12 completed successfully in 42s"),
             ("LegacyCRM", "Lead 4411 could not be assigned: no matching territory rule"),
             ("app", "")]
    fields = ["target_label", "classified_by", "confidence", "reason", "pattern_id"]
    body = "source,log_message\n" + "".join(f"{source},{message}\n" for source, message in lines)
    from_csv = [{name: row[name] for name in fields} for row in rows(post(app_client, body, explain=True).text)]
    logs = [{"source": source, "log_message": message} for source, message in lines]
    results = app_client.post("/classify/json", json={"logs": logs}).json()["results"]
    ingested = app_client.post("/ingest?explain=true", json=logs)
    from_ingest = [{name: record[name] for name in fields} for record in map(json.loads, ingested.text.splitlines())]
    assert [list(result) for result in results] == [fields] * len(lines)
    assert from_ingest[:3] == results[:3]  # the empty line: /ingest says why ("no message field")
    assert from_ingest[3]["pattern_id"] is None and results[3]["pattern_id"] is None
    as_text = [{name: "" if value is None else f"{value:.4f}" if name == "confidence" else value
                for name, value in result.items()} for result in results]
    assert from_csv == as_text
    assert [result["classified_by"] for result in results[:3]] == ["regex", "bert", "none"]
