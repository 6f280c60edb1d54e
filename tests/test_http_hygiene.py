"""HTTP hygiene (issue 11: 9, 10, 15): log lines clients cannot forge, a CSP on every HTML answer,
probes that answer while the thread pool is full."""

from __future__ import annotations

import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fake_groq import FakeGroq
from fastapi.testclient import TestClient
from helpers import make_settings
from live_server import serve

from log_classifier.api.app import create_app
from log_classifier.api.web import CONTENT_SECURITY_POLICY

SSH_FAILED = "Failed password for invalid user admin from 198.51.100.7 port 50122 ssh2"
PLAIN_RECORD_START = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) ")
FORGED = "FORGED 2026-01-01 00:00:00,000 CRITICAL log_classifier [x] the server was hacked"


def multipart_with_raw_filename(filename: bytes, body: bytes) -> tuple[bytes, str]:
    """A multipart body whose file name bytes are sent as they are (httpx would escape them)."""
    boundary = "hygiene-boundary"
    content = (
        f"--{boundary}\r\n".encode()
        + b'Content-Disposition: form-data; name="file"; filename="' + filename + b'"\r\n'
        + b"Content-Type: text/csv\r\n\r\n" + body + f"\r\n--{boundary}--\r\n".encode()
    )
    return content, f"multipart/form-data; boundary={boundary}"


# --- 9. no client string starts a log line ---------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("log_json", [False, True])
def test_client_strings_cannot_start_a_log_line(capsys: pytest.CaptureFixture[str], log_json: bool) -> None:
    csv_body = f"source,log_message\nsshd,{SSH_FAILED}\n".encode()
    # (A lone CR in a part header is refused by the multipart parser: the path below carries one.)
    names = [b"logs\n" + FORGED.encode() + b".csv", b"logs\n\x0b\x85" + FORGED.encode() + b".csv",
             "logs\u2028".encode() + FORGED.encode() + b"\x1b[2K.csv"]
    with serve(create_app(make_settings(log_level="INFO", log_json=log_json))) as base_url:
        capsys.readouterr()
        with httpx.Client(base_url=base_url, timeout=30) as client:
            for name in names:
                content, content_type = multipart_with_raw_filename(name, csv_body)
                response = client.post("/classify/", content=content, headers={"Content-Type": content_type})
                assert response.status_code == 200, response.text
            # The request path is logged too (URL-decoded by the server).
            assert client.get("/nothing%0A" + FORGED.replace(" ", "%20") + "%0D%0Ax").status_code == 404
            assert client.get("/health", headers={"X-Request-ID": "id\t" + FORGED,
                                                  "User-Agent": "ua\t" + FORGED}).status_code == 200
        err = capsys.readouterr().err

    lines = [line for line in err.splitlines() if line]  # every line break a log reader might honour
    assert any("classifying" in line for line in lines) and any("/nothing" in line for line in lines)
    for line in lines:
        assert "\x1b" not in line, line
        if log_json:
            json.loads(line)
        else:
            assert PLAIN_RECORD_START.match(line) or line.startswith(" "), line  # a record, or an indented traceback line
    assert "FORGED" in err  # the strings were logged, escaped, on the line they belong to
    assert not any(line.startswith("FORGED") for line in lines)


# --- 10. a CSP on every HTML answer ----------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/static/index.html"])
def test_the_page_has_its_csp_wherever_it_is_served(app_client: TestClient, path: str) -> None:
    response = app_client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "<title>Log classification</title>" in response.text
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY


def test_every_html_answer_of_the_app_has_a_csp(app_client: TestClient) -> None:
    paths = [route.path for route in app_client.app.routes if "GET" in getattr(route, "methods", ())]  # type: ignore[attr-defined]
    html = 0
    for path in [*paths, "/static/index.html"]:
        response = app_client.get(path)
        if response.headers.get("content-type", "").startswith("text/html"):
            html += 1
            assert "content-security-policy" in response.headers, path
    assert html >= 4  # /, /static/index.html, /docs, /docs/oauth2-redirect (the docs' own: tests/test_api_docs.py)


# --- 15. probes do not wait for the thread pool ----------------------------------------------------

LLM_SOURCE = "HygieneCRM"
UPLOADS = 48  # more than the 40 threads of the default pool


@pytest.mark.slow
def test_health_and_metrics_answer_while_the_thread_pool_is_full(fake_groq: FakeGroq) -> None:
    fake_groq.hang(30)  # every upload's LLM rows hold its thread until its budget is spent
    settings = make_settings(groq_api_key="k", groq_base_url=fake_groq.base_url, groq_model="fake-model",
                             llm_sources=LLM_SOURCE, llm_budget_s=4, llm_timeout_s=30, llm_max_retries=0)
    with serve(create_app(settings)) as base_url:
        start = threading.Barrier(UPLOADS + 1)

        def upload(number: int) -> int:
            body = f"source,log_message\n{LLM_SOURCE},Approval {number} stalled for ticket {number}\n".encode()
            with httpx.Client(base_url=base_url, timeout=60) as client:
                start.wait(timeout=30)
                return client.post("/classify/", files={"file": ("a.csv", body, "text/csv")}).status_code

        def timed(method: str, path: str, **kwargs: object) -> tuple[int, float]:
            started = time.monotonic()
            response = httpx.request(method, f"{base_url}{path}", timeout=60, **kwargs)  # type: ignore[arg-type]
            return response.status_code, time.monotonic() - started

        with ThreadPoolExecutor(max_workers=UPLOADS + 3) as pool:
            uploads = [pool.submit(upload, number) for number in range(UPLOADS)]
            start.wait(timeout=30)
            time.sleep(1.0)  # the uploads are parsed and waiting for the LLM, one thread each
            control = pool.submit(timed, "POST", "/classify/json",
                                  json={"logs": [{"source": "sshd", "log_message": SSH_FAILED}]})
            health = pool.submit(timed, "GET", "/health")
            metrics = pool.submit(timed, "GET", "/metrics")
            health_status, health_seconds = health.result()
            metrics_status, metrics_seconds = metrics.result()
            control_status, control_seconds = control.result()
            assert [future.result() for future in uploads] == [200] * UPLOADS

    print(f"/health {health_seconds:.2f} s, /metrics {metrics_seconds:.2f} s, sync route {control_seconds:.2f} s")
    assert control_status == 200 and control_seconds > 1.5  # the pool was full: a sync route had to wait
    assert health_status == 200 and health_seconds < 1.0
    assert metrics_status == 200 and metrics_seconds < 1.0
