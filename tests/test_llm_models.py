"""Which model the LLM stage asks, and how: retired models and the fallback chain, per-family
request options, and OpenAI-compatible servers. Real SDKs against the local fake server."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fake_groq import DECOY_LABEL, FakeGroq
from fastapi.testclient import TestClient
from helpers import make_settings
from pydantic import ValidationError

from log_classifier.api.app import create_app
from log_classifier.config import DEFAULT_GROQ_MODEL, PROJECT_DIR, Settings
from log_classifier.contract import LogRecord, Prediction
from log_classifier.stages.llm import LlmStage, make_llm_stage
from log_classifier.stages.llm_providers import model_family, retired_model_code

KEY = "gsk_models_test_key_0123456789"
RETIRED = "llama-3.3-70b-versatile"  # retired by Groq on 2026-08-16
CURRENT = "openai/gpt-oss-120b"
RECORDS = [
    LogRecord("LegacyCRM", "Refund approval for order 7781 stalled: approver role vacant"),
    LogRecord("LegacyCRM", "Option --legacy-auth is deprecated; use --auth-mode=oidc"),
]
LABELS = ["Workflow Error", "Deprecation Warning"]
MODELS_DEAD = Prediction("Unclassified", "none", 0.0, "llm models unavailable: set GROQ_MODEL", "llm_models_dead")


@pytest.fixture
def make_llm() -> Iterator[Any]:
    built: list[LlmStage] = []

    def make(**overrides: Any) -> LlmStage:
        values: dict[str, Any] = {"groq_api_key": KEY, "llm_timeout_s": 5.0, "llm_max_retries": 0,
                                  "llm_breaker_failures": 1}
        values.update(overrides)
        llm = make_llm_stage(make_settings(**values))
        built.append(llm)
        return llm

    yield make
    for llm in built:
        llm.close()


def labelled_by(model: str) -> list[Prediction]:
    return [Prediction(label, "llm", 1.0, f"llm:{model}") for label in LABELS]


# --- a current default ------------------------------------------------------------------------------


def test_the_default_model_is_current_everywhere_a_user_copies_it_from() -> None:
    assert make_settings().groq_model == [DEFAULT_GROQ_MODEL] == [CURRENT]
    for path in (".env.example", "resources/postman_collection.json", "log_classifier/api/schemas.py"):
        text = (PROJECT_DIR / path).read_text(encoding="utf-8")
        for retired in (RETIRED, "deepseek-r1-distill-llama-70b", "mixtral-8x7b-32768", "llama3-70b-8192"):
            assert retired not in text, (path, retired)


# --- fallback chain ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "status"), [("model_not_found", 404), ("model_decommissioned", 400)])
def test_a_retired_model_falls_back_to_the_next_in_the_same_call(
    fake_groq: FakeGroq, make_llm: Any, caplog: pytest.LogCaptureFixture, code: str, status: int
) -> None:
    fake_groq.retire(RETIRED, code=code)  # type: ignore[arg-type]  # the parametrised codes are the Literal's
    llm = make_llm(groq_base_url=fake_groq.base_url, groq_model=f"{RETIRED}, {CURRENT}")
    caplog.set_level(logging.WARNING)

    assert llm.classify_batch(RECORDS) == labelled_by(CURRENT)

    first, second = fake_groq.requests
    assert (first.body["model"], second.body["model"]) == (RETIRED, CURRENT)
    assert first.logs == second.logs  # the same batch, sent again at once
    status_now = llm.status()
    assert status_now["model"] == CURRENT
    assert status_now["reason"] == "ok"
    assert list(status_now["dead_models"]) == [RETIRED]
    assert status_now["dead_models"][RETIRED].startswith(f"{code}: The model `{RETIRED}`")
    assert status_now["fallbacks"] == 1
    assert status_now["circuit"]["consecutive_failures"] == 0  # breaker_failures=1 would have opened it
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and RETIRED in r.getMessage()]
    assert len(warnings) == 1 and "Set GROQ_MODEL" in warnings[0].getMessage()
    assert KEY not in caplog.text

    # The dead model is not asked again, and not logged again.
    assert llm.classify_batch(RECORDS[:1]) == labelled_by(CURRENT)[:1]
    assert [r.body["model"] for r in fake_groq.requests[2:]] == [CURRENT]
    assert len([r for r in caplog.records if RETIRED in r.getMessage()]) == 1


def test_when_every_model_is_dead_rows_say_so_and_nothing_more_is_sent(
    fake_groq: FakeGroq, make_llm: Any, caplog: pytest.LogCaptureFixture
) -> None:
    fake_groq.retire(RETIRED)
    fake_groq.retire("mixtral-8x7b-32768", code="model_decommissioned")
    llm = make_llm(groq_base_url=fake_groq.base_url, groq_model=f"{RETIRED},mixtral-8x7b-32768")

    predictions = llm.classify_batch(RECORDS)

    assert predictions == [MODELS_DEAD] * 2
    assert all(p.transient for p in predictions)
    assert len(fake_groq.requests) == 2
    status = llm.status()
    assert status["model"] is None
    assert status["reason"] == (
        "every model in GROQ_MODEL is retired or unknown to the provider: set GROQ_MODEL to a current model"
    )
    assert set(status["dead_models"]) == {RETIRED, "mixtral-8x7b-32768"}
    assert status["circuit"]["state"] == "closed"
    assert "no other model is left" in caplog.text and "Set GROQ_MODEL" in caplog.text

    assert llm.classify_batch(RECORDS[:1]) == [MODELS_DEAD]
    assert len(fake_groq.requests) == 2


def test_other_client_errors_are_not_mistaken_for_a_retired_model(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.fail_with(404, times=1)  # a 404 without a model code (e.g. a wrong base URL)
    llm = make_llm(groq_base_url=fake_groq.base_url, groq_model=f"{CURRENT},qwen/qwen3-32b")

    predictions = llm.classify_batch(RECORDS[:1])

    assert predictions == [Prediction("Unclassified", "none", 0.0, "llm error: NotFoundError 404", "llm_error")]
    assert llm.status()["dead_models"] == {}
    assert len(fake_groq.requests) == 1


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        # Groq, as the SDKs hand the body over (groq: whole body; openai: the "error" object).
        (404, {"error": {"message": "The model `x` does not exist", "type": "invalid_request_error",
                         "code": "model_not_found"}}, "model_not_found"),
        (400, {"message": "The model `x` has been decommissioned", "type": "invalid_request_error",
               "code": "model_decommissioned"}, "model_decommissioned"),
        # vLLM and Ollama say it in words.
        (404, {"object": "error", "message": "The model `x` does not exist.", "type": "NotFoundError", "code": 404},
         "model_not_found"),
        (404, {"error": {"message": 'model "qwen3:8b" not found, try pulling it first', "type": "api_error"}},
         "model_not_found"),
        # Not a model problem.
        (404, {"error": {"message": "Unknown request URL: POST /v2/chat", "type": "invalid_request_error"}}, None),
        (400, {"error": {"message": "bad json", "code": "json_validate_failed"}}, None),
        (500, {"error": {"message": "model not found", "code": "model_not_found"}}, None),
        (404, "plain text", None),
    ],
)
def test_retired_model_detection(status: int, body: object, expected: str | None) -> None:
    assert retired_model_code(status, body) == expected


# --- per-family request options ----------------------------------------------------------------------


def test_a_reasoning_model_gets_low_effort_and_its_reasoning_is_never_read(fake_groq: FakeGroq, make_llm: Any) -> None:
    llm = make_llm(groq_base_url=fake_groq.base_url, groq_model=CURRENT)

    # The fake puts a decoy answer ("Critical Error" for every id) in the reasoning field.
    assert llm.classify_batch(RECORDS) == labelled_by(CURRENT)
    assert DECOY_LABEL not in LABELS

    (request,) = fake_groq.requests
    assert request.body["reasoning_effort"] == "low"
    assert request.body["response_format"] == {"type": "json_object"}
    assert request.body["temperature"] == 0
    # Room for the reasoning on top of the answer's tokens, or the answer is cut off.
    assert request.body["max_completion_tokens"] >= 1024


@pytest.mark.parametrize(
    ("model", "options"),
    [
        ("openai/gpt-oss-20b", {"reasoning_effort": "low"}),
        ("qwen/qwen3-32b", {"reasoning_effort": "none"}),
        ("llama-3.1-8b-instant", {}),
        ("meta-llama/llama-4-scout-17b-16e-instruct", {}),
    ],
)
def test_reasoning_options_go_only_to_models_that_take_them(
    fake_groq: FakeGroq, make_llm: Any, model: str, options: dict[str, str]
) -> None:
    make_llm(groq_base_url=fake_groq.base_url, groq_model=model).classify_batch(RECORDS[:1])

    (request,) = fake_groq.requests
    assert request.body["model"] == model
    assert {key: request.body[key] for key in ("reasoning_effort",) if key in request.body} == options


def test_model_families_are_matched_by_name_pattern_and_provider() -> None:
    local = "openai-compatible"
    assert model_family("gpt-oss:20b", local).options == {"reasoning_effort": "low"}  # Ollama's tag
    assert model_family("OpenAI/GPT-OSS-120B", "groq").options == {"reasoning_effort": "low"}
    assert model_family("qwen/qwen3-32b", "groq").options == {"reasoning_effort": "none"}
    # The same name on vLLM: no Groq-only option (vLLM rejects "none"), room to think instead.
    assert model_family("Qwen/Qwen3-32B", local).options == {} and model_family("Qwen/Qwen3-32B", local).reasoning_tokens > 0
    assert model_family("qwen3:8b", local).options == {} and model_family("qwen3:8b", local).reasoning_tokens > 0
    assert model_family("llama3.2:3b", local).options == {} and model_family("llama3.2:3b", local).reasoning_tokens == 0


# --- OpenAI-compatible servers -----------------------------------------------------------------------


def test_openai_compatible_server_without_a_key(fake_groq: FakeGroq, make_llm: Any) -> None:
    llm = make_llm(groq_api_key="", llm_provider="openai-compatible", llm_base_url=fake_groq.openai_base_url,
                   llm_model="qwen3:8b")

    assert llm.classify_batch(RECORDS) == labelled_by("qwen3:8b")

    (request,) = fake_groq.requests
    assert request.path == "/v1/chat/completions"
    assert request.body["model"] == "qwen3:8b"
    assert "authorization" not in request.headers
    assert "reasoning_effort" not in request.body
    assert request.body["response_format"] == {"type": "json_object"}
    assert [log["id"] for log in request.logs] == ["1", "2"]
    assert llm.status()["provider"] == "openai-compatible"
    assert llm.status()["model"] == "qwen3:8b"


def test_openai_compatible_server_with_a_key_and_a_fallback(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.retire("llama3:70b")
    llm = make_llm(groq_api_key="", llm_provider="openai-compatible", llm_base_url=fake_groq.openai_base_url,
                   llm_model="llama3:70b,gpt-oss:20b", llm_api_key="local-secret")

    assert llm.classify_batch(RECORDS) == labelled_by("gpt-oss:20b")

    assert [r.body["model"] for r in fake_groq.requests] == ["llama3:70b", "gpt-oss:20b"]
    assert all(r.headers["authorization"] == "Bearer local-secret" for r in fake_groq.requests)
    assert fake_groq.requests[1].body["reasoning_effort"] == "low"
    assert llm.status()["dead_models"]["llama3:70b"].startswith("model_not_found")
    assert "local-secret" not in repr(llm.status())


def test_openai_compatible_models_dead_names_llm_model(fake_groq: FakeGroq, make_llm: Any) -> None:
    fake_groq.retire("gone:1b")
    llm = make_llm(llm_provider="openai-compatible", llm_base_url=fake_groq.openai_base_url, llm_model="gone:1b")

    (prediction,) = llm.classify_batch(RECORDS[:1])

    assert (prediction.reason, prediction.outcome) == ("llm models unavailable: set LLM_MODEL", "llm_models_dead")
    assert "set LLM_MODEL" in llm.status()["reason"]


def test_the_groq_provider_without_a_key_is_off_and_says_why(fake_groq: FakeGroq, make_llm: Any) -> None:
    llm = make_llm(groq_api_key="", groq_base_url=fake_groq.base_url)

    assert llm.classify_batch(RECORDS[:1])[0].outcome == "llm_disabled"
    assert llm.status()["reason"] == "no GROQ_API_KEY"
    assert fake_groq.requests == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"llm_provider": "openai-compatible", "llm_model": "qwen3:8b"}, "needs LLM_BASE_URL"),
        ({"llm_provider": "openai-compatible", "llm_base_url": "http://127.0.0.1:1/v1"}, "needs LLM_MODEL"),
        ({"groq_model": " , "}, "GROQ_MODEL is empty"),
    ],
)
def test_an_incomplete_provider_is_a_start_up_error(overrides: dict[str, str], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(_env_file=None, **overrides)  # type: ignore[call-arg]  # pydantic-settings' init-only argument


def test_model_lists_are_comma_separated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GROQ_MODEL", f" {RETIRED} ,{CURRENT},")
    monkeypatch.setenv("LLM_MODEL", "qwen3:8b")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]  # pydantic-settings' init-only argument
    assert settings.groq_model == [RETIRED, CURRENT]
    assert settings.llm_model == ["qwen3:8b"]


# --- through the app: /health, /metrics, shutdown -----------------------------------------------------

CRM_LOGS = [{"source": "LegacyCRM", "log_message": record.masked} for record in RECORDS]


@contextmanager
def app_with(**overrides: Any) -> Iterator[TestClient]:
    values: dict[str, Any] = {"llm_timeout_s": 5.0, "llm_max_retries": 0, "llm_sources": "LegacyCRM"}
    values.update(overrides)
    with TestClient(create_app(make_settings(**values))) as client:
        yield client


def metric(client: TestClient, name: str) -> float:
    line = next(line for line in client.get("/metrics").text.splitlines() if line.startswith(name + " "))
    return float(line.split()[-1])


@pytest.mark.slow  # loads the embedding model
def test_app_falls_back_from_the_retired_default_and_reports_it(fake_groq: FakeGroq) -> None:
    fake_groq.retire(RETIRED)
    with app_with(groq_api_key=KEY, groq_base_url=fake_groq.base_url, groq_model=f"{RETIRED},{CURRENT}") as client:
        results = client.post("/classify/json", json={"logs": CRM_LOGS}).json()["results"]
        whole = client.get("/health").json()
        health = whole["llm"]
        fallbacks = metric(client, "log_classifier_llm_model_fallbacks_total")
        available = metric(client, "log_classifier_llm_models_available")

    assert [(r["target_label"], r["classified_by"], r["reason"]) for r in results] == [
        (label, "llm", f"llm:{CURRENT}") for label in LABELS
    ]
    assert health["model"] == CURRENT and health["reason"] == "ok"
    assert whole["status"] == "ok"  # one model left: not degraded
    assert list(health["dead_models"]) == [RETIRED]
    assert health["dead_models"][RETIRED].startswith("model_not_found: ")
    assert (fallbacks, available) == (1.0, 1.0)


@pytest.mark.slow  # loads the embedding model
def test_app_on_an_openai_compatible_server_and_when_its_model_goes_away(fake_groq: FakeGroq) -> None:
    with app_with(llm_provider="openai-compatible", llm_base_url=fake_groq.openai_base_url, llm_model="qwen3:8b") as client:
        first = client.post("/classify/json", json={"logs": CRM_LOGS[:1]}).json()["results"]
        fake_groq.retire("qwen3:8b")  # removed from the server while the service runs
        later = client.post("/classify/json", json={"logs": CRM_LOGS[1:]}).json()["results"]
        whole = client.get("/health").json()
        health = whole["llm"]
        available = metric(client, "log_classifier_llm_models_available")

    assert whole["status"] == "degraded"
    assert (first[0]["target_label"], first[0]["reason"]) == (LABELS[0], "llm:qwen3:8b")
    assert [(r.path, r.body["model"]) for r in fake_groq.requests] == [("/v1/chat/completions", "qwen3:8b")] * 2
    assert "authorization" not in fake_groq.requests[0].headers
    assert (later[0]["target_label"], later[0]["reason"]) == ("Unclassified", "llm models unavailable: set LLM_MODEL")
    assert health["model"] is None
    assert health["reason"] == (
        "every model in LLM_MODEL is retired or unknown to the provider: set LLM_MODEL to a current model"
    )
    assert available == 0.0


@pytest.mark.slow  # loads the embedding model
def test_a_request_in_flight_at_shutdown_gets_unclassified_rows(fake_groq: FakeGroq) -> None:
    # The ASGI app driven directly (TestClient's portal stops before a late response can be read):
    # the lifespan's shutdown closes the LLM stage while a request waits for the LLM.
    fake_groq.hang(10.0)
    app = create_app(make_settings(groq_api_key=KEY, groq_base_url=fake_groq.base_url, llm_sources="LegacyCRM",
                                   llm_batch_size=1, llm_concurrency=1, llm_timeout_s=20.0, llm_max_retries=0))

    async def scenario() -> tuple[httpx.Response, float]:
        lifespan = app.router.lifespan_context(app)
        await lifespan.__aenter__()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
            request = asyncio.create_task(client.post("/classify/json", json={"logs": CRM_LOGS}))
            while not fake_groq.requests:
                await asyncio.sleep(0.01)
            stopping = time.monotonic()
            await lifespan.__aexit__(None, None, None)
            response = await asyncio.wait_for(request, timeout=5.0)
            return response, time.monotonic() - stopping

    response, waited = asyncio.run(scenario())

    assert response.status_code == 200
    assert [(r["target_label"], r["reason"]) for r in response.json()["results"]] == [
        ("Unclassified", "llm stopped: service shutting down")
    ] * 2
    assert len(fake_groq.requests) == 1  # the second batch was never sent
    assert waited < 2.0  # answered at shutdown, not after the LLM's 10 s
