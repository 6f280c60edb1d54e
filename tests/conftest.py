"""Shared fixtures: settings that ignore the developer's .env, and one app per session."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from helpers import make_settings

# The fake Groq server's fixture (`fake_groq`) for every test module.
pytest_plugins = ("fake_groq",)

# The test machines cannot reach a model hub; make any attempt fail fast instead of hanging.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Nothing a test starts (the CLI, servers in subprocesses) writes data/patterns.db into the repository;
# tests of the pattern store point it at a temporary path or a PostgreSQL cluster of their own.
os.environ["PATTERN_STORE"] = "off"


@pytest.fixture(scope="session")
def app_client() -> Iterator[TestClient]:
    """The real app with the shipped model, no LLM key; loaded once for the session."""
    from log_classifier.api.app import create_app

    with TestClient(create_app(make_settings())) as client:
        yield client


@pytest.fixture(scope="session")
def loaded_classifier(app_client: TestClient):  # type: ignore[no-untyped-def]
    """The cascade the session app loaded (shares its embedding model)."""
    return app_client.app.state.classifier  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster for the session (tests/pg_server.py); skipped without Debian's binaries."""
    import pg_server

    if pg_server.binaries() is None:
        pytest.skip("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): `make test` installs it")
    with pg_server.postgres_cluster() as url:
        yield url


@pytest.fixture(scope="session")
def spark():  # type: ignore[no-untyped-def]
    """One local[2] SparkSession for the whole test session (a JVM start costs seconds).

    Its Python workers import ``log_classifier`` from the project root under test, run this
    interpreter, and everything binds to 127.0.0.1 with the UI off (see ``build_session``).
    """
    from log_classifier.spark import build_session

    session = build_session("local[2]", app_name="log-classifier-tests")
    yield session
    session.stop()
