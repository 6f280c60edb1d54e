"""Size limits that hold while the body streams, and CORS headers on every answer (issue 11: 1, 2, 8).

Through a real uvicorn: whether the server stops reading early is a property of the whole stack.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from helpers import make_settings
from live_server import serve
from streaming_client import MB, json_logs_chunks, multipart_csv_chunks, stream_chunked

from log_classifier.api.app import create_app

ORIGIN = "https://logs.example.org"
KEY = "limits-key"
BOUNDARY = "limits-boundary-7c1f"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
SSH_FAILED = "Failed password for invalid user admin from 198.51.100.7 port 50122 ssh2"


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    settings = make_settings(max_upload_mb=2, max_json_logs=10, cors_origins=ORIGIN, api_keys=KEY)
    with serve(create_app(settings)) as url:
        yield url


def authorised(**extra: str) -> dict[str, str]:
    return {"X-API-Key": KEY, "Origin": ORIGIN, **extra}


@pytest.mark.slow
def test_chunked_upload_over_the_limit_is_refused_while_it_streams(base_url: str) -> None:
    answer = stream_chunked(base_url, "/classify/", multipart_csv_chunks(64 * MB, boundary=BOUNDARY),
                            content_type=MULTIPART, headers=authorised())

    assert answer.status == 413
    assert answer.json() == {"detail": "the upload is larger than the 2 MB limit (MAX_UPLOAD_MB)"}
    print(f"sent {answer.sent / MB:.2f} MB of 64 MB")
    assert answer.sent < 8 * MB, f"the client sent {answer.sent / MB:.1f} MB before the answer"
    assert answer.headers["access-control-allow-origin"] == ORIGIN
    assert httpx.get(f"{base_url}/health").status_code == 200


@pytest.mark.slow
def test_chunked_upload_under_the_limit_is_classified(base_url: str) -> None:
    answer = stream_chunked(base_url, "/classify/", multipart_csv_chunks(MB, boundary=BOUNDARY),
                            content_type=MULTIPART, headers=authorised())

    assert answer.status == 200, answer.body[:300]
    lines = answer.body.decode().splitlines()
    assert lines[0] == "source,log_message,target_label"
    assert len(lines) > 10_000


@pytest.mark.slow
def test_declared_length_over_the_limit_is_refused_with_cors_headers(base_url: str) -> None:
    body = b"source,log_message\n" + b"app,x\n" * (3 * MB // 6)
    response = httpx.post(f"{base_url}/classify/", files={"file": ("big.csv", body, "text/csv")},
                          headers=authorised(), timeout=30)

    assert response.status_code == 413
    assert "MAX_UPLOAD_MB" in response.json()["detail"]
    assert response.headers["access-control-allow-origin"] == ORIGIN


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/classify/json", "/feedback"])  # /feedback: pasted lines, the same cap
def test_json_body_over_its_byte_cap_is_refused_before_it_is_parsed(base_url: str, path: str) -> None:
    # 300k logs (about 20 MB) against MAX_JSON_LOGS=10: refused by bytes, after a few kB.
    answer = stream_chunked(base_url, path, json_logs_chunks(300_000),
                            content_type="application/json", headers=authorised())

    assert answer.status == 413
    detail = answer.json()["detail"]  # type: ignore[index]
    assert "MAX_JSON_BYTES" in detail and f"{10 * (2 * 2000 + 256)} bytes" in detail
    print(f"sent {answer.sent / MB:.2f} MB of about 20 MB")
    assert answer.sent < 8 * MB, f"the client sent {answer.sent / MB:.1f} MB before the answer"
    assert answer.headers["access-control-allow-origin"] == ORIGIN


@pytest.mark.slow
def test_json_under_the_byte_cap_is_still_counted_by_logs(base_url: str) -> None:
    logs = [{"source": "sshd", "log_message": SSH_FAILED}] * 11
    response = httpx.post(f"{base_url}/classify/json", json={"logs": logs}, headers=authorised(), timeout=30)
    assert response.status_code == 413
    assert "the limit is 10 (MAX_JSON_LOGS)" in response.json()["detail"]
    assert response.headers["access-control-allow-origin"] == ORIGIN


@pytest.mark.slow
@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("POST", "/classify/json", {"json": {"logs": [{"source": "sshd", "log_message": SSH_FAILED}]}}, 200),
        ("POST", "/classify/json", {"json": {"nope": 1}}, 400),
        ("POST", "/classify/", {"files": {"file": ("x.csv", b"src,msg\na,b\n", "text/csv")}}, 400),
        ("POST", "/classify/json", {"json": {"logs": []}, "headers": {"X-API-Key": "wrong"}}, 401),
        ("GET", "/no-such-page", {}, 404),
        ("GET", "/classify/json", {}, 405),
    ],
)
def test_every_answer_carries_the_cors_headers(base_url: str, method: str, path: str, kwargs: dict, status: int) -> None:
    headers = authorised(**kwargs.pop("headers", {}))
    response = httpx.request(method, f"{base_url}{path}", headers=headers, timeout=30, **kwargs)
    assert response.status_code == status, response.text[:300]
    assert response.headers["access-control-allow-origin"] == ORIGIN


def test_json_byte_cap_is_derived_from_the_log_limits_unless_set() -> None:
    assert make_settings().json_limit_bytes == 10_000 * (2 * 2000 + 256)
    assert make_settings(max_json_logs=5, max_message_chars=100).json_limit_bytes == 5 * (2 * 100 + 256)
    assert make_settings(max_json_bytes=4096).json_limit_bytes == 4096
    # Never above what an upload may be.
    assert make_settings(max_upload_mb=1, max_json_logs=1_000_000).json_limit_bytes == make_settings(
        max_upload_mb=1).upload_limit_bytes
