"""Access control and CORS: API keys on the classify routes, open health, configured origins only."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from csv_upload import SSH_FAILED, post_csv
from fastapi.testclient import TestClient
from helpers import make_settings

from log_classifier.api.app import create_app

ORIGIN = "https://logs.example.org"


@pytest.fixture(scope="module")
def guarded_client() -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(api_keys="k1,k2", cors_origins=ORIGIN))) as client:
        yield client


SMALL_CSV = f"source,log_message\nsshd,{SSH_FAILED}\n".encode()
SMALL_JSON = {"logs": [{"source": "sshd", "log_message": SSH_FAILED}]}


def call(client: TestClient, endpoint: str, key: str | None) -> httpx.Response:
    headers = {} if key is None else {"X-API-Key": key}
    if endpoint == "csv":
        return post_csv(client, SMALL_CSV, headers=headers)
    return client.post("/classify/json", json=SMALL_JSON, headers=headers)


@pytest.mark.slow
@pytest.mark.parametrize("endpoint", ["csv", "json"])
@pytest.mark.parametrize("key", [None, "", "k3", "k1,k2", "K2", "k", "k2k2"])
def test_classify_needs_a_valid_api_key(guarded_client: TestClient, endpoint: str, key: str | None) -> None:
    response = call(guarded_client, endpoint, key)
    assert response.status_code == 401
    assert response.json() == {"detail": "missing or invalid X-API-Key header"}


@pytest.mark.slow
@pytest.mark.parametrize("endpoint", ["csv", "json"])
@pytest.mark.parametrize("key", ["k1", "k2"])
def test_classify_with_a_valid_api_key(guarded_client: TestClient, endpoint: str, key: str) -> None:
    response = call(guarded_client, endpoint, key)
    assert response.status_code == 200
    assert "Security Alert" in response.text


@pytest.mark.slow
def test_401_names_the_header_to_send(guarded_client: TestClient) -> None:
    response = call(guarded_client, "json", "wrong")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "X-API-Key"


@pytest.mark.slow
def test_bad_body_without_key_is_401_not_a_validation_message(guarded_client: TestClient) -> None:
    assert guarded_client.post("/classify/json", json={"nope": 1}).status_code == 401
    assert guarded_client.post("/classify/", data={"x": "y"}).status_code == 401


@pytest.mark.slow
def test_health_is_open_when_keys_are_set(guarded_client: TestClient) -> None:
    assert guarded_client.get("/health").status_code == 200


def preflight(client: TestClient, origin: str) -> httpx.Response:
    return client.options(
        "/classify/", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                               "Access-Control-Request-Headers": "x-api-key"}
    )


@pytest.mark.slow
def test_cors_is_off_by_default(app_client: TestClient) -> None:
    response = preflight(app_client, ORIGIN)
    assert "access-control-allow-origin" not in response.headers
    simple = app_client.get("/health", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in simple.headers


@pytest.mark.slow
def test_cors_allows_only_the_configured_origins(guarded_client: TestClient) -> None:
    allowed = preflight(guarded_client, ORIGIN)
    assert allowed.status_code == 200  # no API key needed for a preflight
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "x-api-key" in allowed.headers["access-control-allow-headers"].lower()

    other = preflight(guarded_client, "https://evil.example.com")
    assert "access-control-allow-origin" not in other.headers
    simple = guarded_client.get("/health", headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN
