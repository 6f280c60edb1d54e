"""How `POST /classify/json` reads its body: JSON whatever the Content-Type says (curl -d sends a form
type), and a malformed body answered with where it breaks and what to send."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from fastapi.testclient import TestClient
from helpers import make_settings
from live_server import serve

from log_classifier.api.app import create_app

LINE = {"source": "sshd", "log_message": "Failed password for invalid user admin from 198.51.100.7 port 50122 ssh2"}
BODY = json.dumps({"logs": [LINE]})
SEND = 'Send {"logs": [{"source": "...", "log_message": "..."}]} (Content-Type: application/json)'


@pytest.mark.parametrize("content_type", [None, "application/x-www-form-urlencoded", "text/plain",
                                          "application/json; charset=utf-8"])
def test_a_json_body_is_read_as_json_whatever_the_content_type(app_client: TestClient, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = app_client.post("/classify/json", content=BODY.encode(), headers=headers)
    assert response.status_code == 200, response.text
    [result] = response.json()["results"]
    assert result["target_label"] == "Security Alert"


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('{"logs": [{"source": "sshd" "log_message": "x"}]}', "Expecting ',' delimiter at line 1, column 29"),
        ('{"logs": [\n  {"source": "sshd",\n   "log_message": "x",}\n]}',
         "Expecting property name enclosed in double quotes at line 3, column 23"),
        ("", None),
        ("source,log_message\nsshd,x\n", "Expecting value at line 1, column 1"),
    ],
)
def test_a_malformed_body_names_line_column_and_what_was_expected(
    app_client: TestClient, body: str, where: str | None
) -> None:
    response = app_client.post("/classify/json", content=body.encode(), headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    if where is None:  # no body at all (read by the JSON intake: formats/json_intake.py)
        assert detail == f"the body is empty. {SEND}; to upload a CSV file use POST /classify/"
        return
    assert detail == f"the body is not valid JSON: {where}. {SEND}; to upload a CSV file use POST /classify/"


def test_a_body_that_is_not_an_object_says_what_was_expected(app_client: TestClient) -> None:
    response = app_client.post("/classify/json", json=[LINE])
    assert response.status_code == 400
    assert response.json()["detail"] == (
        'Input should be a valid dictionary or object to extract fields from '
        '(expected {"logs": [{"source": "...", "log_message": "..."}]})'
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
def test_the_readme_curl_example_works_against_a_real_server() -> None:
    """`curl -d` as the README shows it (curl's default form content type), against a real uvicorn."""
    with serve(create_app(make_settings())) as base:
        done = subprocess.run(["curl", "-s", "-d", BODY, f"{base}/classify/json"],
                              capture_output=True, text=True, timeout=60)
        bad = subprocess.run(["curl", "-s", "-d", '{"logs": [', f"{base}/classify/json"],
                             capture_output=True, text=True, timeout=60)
    assert json.loads(done.stdout)["results"][0]["target_label"] == "Security Alert"
    assert json.loads(bad.stdout)["detail"].startswith(
        "the body is not valid JSON: Expecting value at line 1, column 11.")
