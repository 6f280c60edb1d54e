"""Who the LLM stage talks to: the provider's SDK client, and what each model family accepts.

Two providers speak the same chat-completions API:

- ``groq``: Groq's own SDK (``GROQ_API_KEY``, ``GROQ_MODEL``, ``GROQ_BASE_URL``); the SDK appends
  ``/openai/v1/...`` to the base URL;
- ``openai-compatible``: the ``openai`` SDK pointed at ``LLM_BASE_URL`` (vLLM, Ollama, llama.cpp's
  server, LM Studio all serve ``POST {LLM_BASE_URL}/chat/completions``); ``LLM_API_KEY`` is optional.

Everything the stage must know about a model family (extra request options, room for reasoning
tokens) is in ``MODEL_FAMILIES``; everything about how a provider says "this model does not exist
(any more)" is in ``retired_model_code``.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from log_classifier.config import Settings

if TYPE_CHECKING:  # both SDKs are imported only when their provider is used
    import groq
    import openai

RETIRED_MODEL_CODES = frozenset({"model_not_found", "model_decommissioned"})
"""Groq's error codes for a model that does not exist or was retired (404 and 400)."""
ERROR_MESSAGE_CHARS = 200


@dataclass(frozen=True)
class ModelFamily:
    """Request options for the models whose name matches ``pattern`` (fnmatch, case-insensitive)."""

    pattern: str
    provider: str | None = None
    """Only for this provider (the same model takes other options elsewhere); None: any."""
    options: Mapping[str, Any] = field(default_factory=dict)
    """Extra fields of the chat-completions request."""
    reasoning_tokens: int = 0
    """Completion tokens a reasoning model may spend before its answer (added to the answer's budget)."""


MODEL_FAMILIES: tuple[ModelFamily, ...] = (
    # OpenAI's open-weight reasoning models (Groq "openai/gpt-oss-120b", vLLM "openai/gpt-oss-20b",
    # Ollama "gpt-oss:20b"): reasoning_effort takes only low/medium/high (medium by default).
    # Low is plenty to pick one of nine names; the reasoning comes in its own field and is ignored.
    ModelFamily("*gpt-oss*", options={"reasoning_effort": "low"}, reasoning_tokens=1024),
    # Qwen3 on Groq ("qwen/qwen3-32b", "qwen/qwen3.6-27b"): "none" switches reasoning off. vLLM would
    # reject "none" for the same name ("Qwen/Qwen3-32B"), hence Groq only.
    ModelFamily("qwen/qwen3*", provider="groq", options={"reasoning_effort": "none"}),
    # Thinking models served locally (Ollama "qwen3:8b", vLLM "Qwen/Qwen3-8B", "deepseek-r1:14b"):
    # servers differ in how thinking is switched off, so it stays on and is given room.
    ModelFamily("*qwen3*", reasoning_tokens=2048),
    ModelFamily("*deepseek-r1*", reasoning_tokens=2048),
)
"""First match wins; a model that matches none is sent the plain request (temperature 0, JSON mode)."""

PLAIN = ModelFamily("*")


def model_family(model: str, provider: str) -> ModelFamily:
    """The request options for ``model`` served by ``provider``."""
    name = model.casefold()
    return next(
        (
            family
            for family in MODEL_FAMILIES
            if family.provider in (None, provider) and fnmatch.fnmatchcase(name, family.pattern)
        ),
        PLAIN,
    )


@dataclass
class Provider:
    """A configured SDK client, the models to try in order, and the SDK's error classes."""

    name: str
    client: Any
    """``groq.Groq`` or ``openai.OpenAI``: both have ``chat.completions.create`` and ``close``."""
    models: tuple[str, ...]
    model_setting: str
    """The setting that names the models (what the user must change when they are retired)."""
    status_error: type[groq.APIStatusError] | type[openai.APIStatusError]
    """The SDK's ``APIStatusError``: the server answered 4xx/5xx."""
    api_error: type[groq.APIError] | type[openai.APIError]
    """The SDK's ``APIError``: timeouts, refused connections, and the above."""
    extra_headers: Mapping[str, Any] = field(default_factory=dict)
    """Sent with every request (``Authorization`` omitted when a local server takes no key)."""


def disabled_reason(settings: Settings) -> str | None:
    """Why the settings leave the LLM stage off, or None when it can run."""
    if settings.llm_provider == "groq" and not settings.groq_api_key.strip():
        return "no GROQ_API_KEY"
    return None


def configured_models(settings: Settings) -> tuple[str, ...]:
    """The models of the selected provider, in the order they are tried."""
    return tuple(settings.llm_model if settings.llm_provider == "openai-compatible" else settings.groq_model)


def make_provider(settings: Settings) -> Provider:
    """The SDK client for ``settings.llm_provider`` (call only when ``disabled_reason`` is None)."""
    if settings.llm_provider == "openai-compatible":
        import openai  # imported only when used: the Groq path does not need it

        key = settings.llm_api_key.strip()
        openai_client = openai.OpenAI(
            # The SDK insists on a key at construction; without one, each request omits the header
            # explicitly (the SDK's own way), so no placeholder ever goes over the wire.
            api_key=key or "unused",
            base_url=settings.llm_base_url.strip(),
            timeout=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
        )
        return Provider(
            "openai-compatible", openai_client, configured_models(settings), "LLM_MODEL",
            openai.APIStatusError, openai.APIError,
            extra_headers={} if key else {"Authorization": openai.Omit()},
        )
    import groq

    groq_client = groq.Groq(
        api_key=settings.groq_api_key,
        base_url=settings.groq_base_url or None,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )
    return Provider("groq", groq_client, configured_models(settings), "GROQ_MODEL", groq.APIStatusError, groq.APIError)


def retired_model_code(status: int, body: object) -> str | None:
    """``model_not_found`` / ``model_decommissioned`` when an error answer says the model is gone.

    Groq answers ``{"error": {"message": ..., "type": "invalid_request_error", "code": "model_not_found"}}``
    (404; 400 with ``model_decommissioned``). Local servers say it in words: vLLM "The model `x` does
    not exist." (404), Ollama 'model "x" not found, try pulling it first' (404).
    """
    error = body.get("error", body) if isinstance(body, dict) else body
    if not isinstance(error, dict):
        return None
    code = error.get("code")
    if status in (400, 404) and code in RETIRED_MODEL_CODES:
        return str(code)
    message = str(error.get("message") or "").casefold()
    if status == 404 and "model" in message and ("not found" in message or "does not exist" in message):
        return "model_not_found"
    return None


def error_message(body: object) -> str:
    """The provider's own words from an error body, shortened for logs and /health."""
    error = body.get("error", body) if isinstance(body, dict) else body
    message = error.get("message") if isinstance(error, dict) else error
    return str(message or "")[:ERROR_MESSAGE_CHARS]
