"""Schemathesis against the app's own OpenAPI schema: no operation answers with a server error."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from helpers import make_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from log_classifier.api.app import create_app

# (Its pytest plugin's lazy loader breaks on pytest 9, so each operation runs its strategy here.)

OPERATIONS = [("/health", "GET"), ("/metrics", "GET"), ("/classify/", "POST"), ("/classify/json", "POST"),
              ("/ingest", "POST"), ("/v1/logs", "POST"), ("/patterns", "GET"), ("/patterns/compare", "GET"),
              ("/patterns/{pattern_id}", "GET"),
              ("/patterns/{pattern_id}/label", "PUT"), ("/patterns/{pattern_id}/label", "DELETE"), ("/feedback", "POST"),
              ("/corrections", "GET")]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    # schemathesis runs the app's lifespan itself (the model is loaded once) and calls it in-process.
    store = tmp_path_factory.mktemp("patterns") / "patterns.db"
    return schemathesis.openapi.from_asgi(
        "/openapi.json", create_app(make_settings(max_json_logs=50, pattern_store=str(store)))
    )


@pytest.mark.slow
def test_schema_lists_the_fuzzed_operations(api_schema: Any) -> None:
    listed = sorted((op.path, op.method.upper()) for op in (r.ok() for r in api_schema.get_all_operations()))
    assert listed == sorted(OPERATIONS)  # a new route must be added to OPERATIONS to be fuzzed


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "method", "mode"),
    # Operations without parameters or body have no negative cases.
    [(path, method, GenerationMode.POSITIVE) for path, method in OPERATIONS]
    + [(path, method, GenerationMode.NEGATIVE) for path, method in OPERATIONS if method == "POST"],
)
def test_api_never_answers_with_a_server_error(api_schema: Any, path: str, method: str, mode: GenerationMode) -> None:
    @hypothesis_settings(max_examples=100, deadline=None, database=None,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(case=api_schema[path][method].as_strategy(mode))
    def fuzz(case: Any) -> None:
        case.call_and_validate(checks=[not_a_server_error])

    fuzz()
