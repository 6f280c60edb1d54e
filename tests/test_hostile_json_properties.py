"""Property tests: any hostile JSON feed (lone surrogates, NULs, huge numbers, nesting) gets one
answer per record in valid JSON from `/ingest` and `/classify/json`."""

from __future__ import annotations

from typing import Any

import pytest
from csv_upload import ALLOWED_LABELS
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

_PROPERTY = hypothesis_settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)

# Hostile JSON (issue 24): Hypothesis's default text never holds a surrogate, so they are drawn
# explicitly, with NULs, fullwidth letters, numbers beyond a double and nesting.
# (st.text() would drop the surrogates of its alphabet: the characters are joined by hand.)
_HOSTILE_TEXT = st.lists(st.characters() | st.characters(categories=["Cs"])
                         | st.sampled_from("\x00\u2028\uff2b\uff45\u3000{}[]\\\""), max_size=30).map("".join)
_HOSTILE_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _HOSTILE_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_HOSTILE_TEXT, inner, max_size=3), max_leaves=12,
)
_HOSTILE_RECORD = st.fixed_dictionaries({"log": _HOSTILE_VALUE}, optional={"host": _HOSTILE_TEXT, "n": _HOSTILE_VALUE})


def _as_sent(value: Any) -> bytes:
    """JSON with every non-ASCII character escaped (the only way a lone surrogate is sent), inf as 1e999."""
    import json

    return json.dumps(value, ensure_ascii=True).replace("-Infinity", "-1e999").replace("Infinity", "1e999").encode()


@pytest.mark.slow
@_PROPERTY
@given(records=st.lists(_HOSTILE_RECORD, max_size=5), ndjson=st.booleans())
@example(records=[{"log": "disk \ud800 full", "host": "\udfff", "n": float("inf")}], ndjson=False)
def test_any_hostile_feed_is_answered_record_for_record_in_valid_json(app_client: TestClient, records: list,
                                                                      ndjson: bool) -> None:
    import json

    body = b"\n".join(_as_sent(record) for record in records) if ndjson else _as_sent(records)
    response = app_client.post("/ingest?explain=true", content=body)
    assert response.status_code == 200, response.text[:300]
    response.content.decode("utf-8")  # strict: no surrogate escaped into the answer
    answered = [json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} in the answer"))
                for line in response.text.split("\n")[:-1]]  # not splitlines(): U+2028 may be in a string
    assert len(answered) == len(records)
    assert {record["target_label"] for record in answered} <= ALLOWED_LABELS


@pytest.mark.slow
@_PROPERTY
@given(logs=st.lists(st.fixed_dictionaries({"source": _HOSTILE_TEXT, "log_message": _HOSTILE_TEXT}), max_size=5))
@example(logs=[{"source": "a\udc00", "log_message": "Kernel panic \ud800"}])
def test_any_hostile_json_lines_are_classified_one_result_each(app_client: TestClient, logs: list) -> None:
    response = app_client.post("/classify/json", content=_as_sent({"logs": logs}),
                               headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text[:300]
    results = response.json()["results"]
    assert len(results) == len(logs) and {result["target_label"] for result in results} <= ALLOWED_LABELS
