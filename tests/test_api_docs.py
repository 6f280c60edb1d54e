"""The API docs at /docs (issue 26): Swagger UI 5 served from this app with everything it loads, so it
works offline, under a CSP of this app only plus the hash of its inline initialiser. The page in a real
browser: tests/test_web_e2e.py."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient

REFERENCE = re.compile(r"""(?:src|href)=["']([^"']+)["']""")
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
CONTENT_TYPES = {".js": ("text/javascript", "application/javascript"), ".css": ("text/css",), ".png": ("image/png",)}


def test_docs_page_names_no_other_host_and_its_assets_are_served_here(app_client: TestClient) -> None:
    response = app_client.get("/docs")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert not re.search(r"(?:https?:)?//", response.text), "the page names another host"
    references = REFERENCE.findall(response.text)
    assert {ref.rsplit("/", 1)[-1] for ref in references} == {"swagger-ui.css", "swagger-ui-bundle.js", "favicon.png"}
    for ref in references:
        assert ref.startswith("/"), ref
        asset = app_client.get(ref)
        assert asset.status_code == 200, ref
        assert asset.headers["content-type"].startswith(CONTENT_TYPES[ref[ref.rindex("."):]]), (ref, asset.headers)
        if ref.endswith("swagger-ui-bundle.js"):
            # Swagger UI 4 cannot render the OpenAPI 3.1 that FastAPI writes ("Unable to render this definition")
            version = re.search(r'PACKAGE_VERSION:"(\d+)\.(\d+)\.(\d+)"', asset.text)
            assert version and int(version[1]) >= 5, version
    assert "url: '/openapi.json'" in response.text
    assert app_client.get("/openapi.json").json()["openapi"].startswith("3.1")


@pytest.mark.parametrize("path", ["/docs", "/docs/oauth2-redirect"])
def test_docs_csp_is_this_app_plus_the_inline_scripts_hashes(app_client: TestClient, path: str) -> None:
    response = app_client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    policy = dict(part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";"))
    scripts = INLINE_SCRIPT.findall(response.text)
    assert scripts  # Swagger UI's initialiser; the redirect page's script
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'" for script in scripts}
    assert set(policy["script-src"].split()) == {"'self'", *hashes}
    assert policy == {
        "default-src": "'self'", "script-src": policy["script-src"], "style-src": "'self'", "img-src": "'self' data:",
        "connect-src": "'self'", "object-src": "'none'", "base-uri": "'none'", "frame-ancestors": "'none'",
    }


def test_redoc_is_off(app_client: TestClient) -> None:
    """ReDoc 2 always loads its vendor's logo from that vendor's CDN; /docs shows the same schema."""
    assert app_client.get("/redoc").status_code == 404
