"""Who the LLM stage talks to: the provider's SDK client, and what each model family accepts.

The stage sees one call, ``Provider.complete`` (messages in, the reply's text out), and the
project's exceptions (``ProviderError``, ``ModelUnavailable``); the SDKs' exception types and their
``status_code`` / ``body`` are read here and nowhere else.

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from log_classifier.config import Settings
from log_classifier.errors import ModelUnavailable, ProviderError

if TYPE_CHECKING:  # both SDKs are imported only when their provider is used
    import groq
    import openai

RETIRED_MODEL_CODES = frozenset({"model_not_found", "model_decommissioned"})
"""Groq's error codes for a model that does not exist or was retired (404 and 400)."""
ERROR_MESSAGE_CHARS = 200
TEMPERATURE = 0.0


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


Message = Mapping[str, str]
"""One chat message: ``{"role": "system" | "user", "content": ...}``."""


class Provider(Protocol):
    """The LLM stage's one way out: messages in, the model's text out, our exceptions on failure."""

    name: str
    """``groq`` or ``openai-compatible`` (``/health`` shows it)."""
    models: tuple[str, ...]
    """The models to try, in order."""
    model_setting: str
    """The setting that names the models (what the user must change when they are retired)."""

    def complete(self, model: str, messages: Sequence[Message], *, answer_tokens: int) -> str:
        """The reply's text (empty if none) to ``messages``, in JSON mode at temperature 0.

        ``answer_tokens`` bounds the answer; a reasoning model gets its family's room on top. Raises
        ``ModelUnavailable`` when the provider no longer serves ``model``, ``ProviderError`` when the
        call failed after the SDK's retries (HTTP error, timeout, refused connection).
        """
        ...

    def close(self) -> None:
        """Release the HTTP connections; a call in flight fails."""
        ...


class SdkProvider:
    """A ``Provider`` over a chat-completions SDK client: ``groq.Groq`` or ``openai.OpenAI``.

    The SDK does the timeouts and retries (``retry-after`` on 429 included), as configured by
    ``make_provider``; its exceptions end here, turned into ours.
    """

    def __init__(
        self,
        name: str,
        client: Any,
        models: Sequence[str],
        model_setting: str,
        *,
        status_error: type[groq.APIStatusError] | type[openai.APIStatusError],
        api_error: type[groq.APIError] | type[openai.APIError],
        extra_headers: Mapping[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.models = tuple(models)
        self.model_setting = model_setting
        self._client = client  # both SDKs have chat.completions.create and close
        self._status_error = status_error  # the server answered 4xx/5xx
        self._api_error = api_error  # timeouts, refused connections, and the above
        # Sent with every request (``Authorization`` omitted when a local server takes no key).
        self._extra_headers = dict(extra_headers or {})

    def complete(self, model: str, messages: Sequence[Message], *, answer_tokens: int) -> str:
        family = model_family(model, self.name)
        try:
            completion = self._client.chat.completions.create(
                model=model,
                messages=[dict(message) for message in messages],
                temperature=TEMPERATURE,
                response_format={"type": "json_object"},
                max_completion_tokens=answer_tokens + family.reasoning_tokens,
                extra_headers=dict(self._extra_headers),
                **family.options,
            )
        except self._status_error as err:
            code = retired_model_code(err.status_code, err.body)
            if code is not None:
                raise ModelUnavailable(model, code, error_message(err.body)) from err
            raise ProviderError(f"{type(err).__name__} {err.status_code}") from err
        except self._api_error as err:  # APITimeoutError, APIConnectionError, ...
            raise ProviderError(type(err).__name__) from err
        # The answer is the message content only; a reasoning model's "reasoning" field is never read.
        content = completion.choices[0].message.content if completion.choices else None
        return content or ""

    def close(self) -> None:
        self._client.close()


def disabled_reason(settings: Settings) -> str | None:
    """Why the settings leave the LLM stage off, or None when it can run."""
    if settings.llm_provider == "groq" and not settings.groq_api_key.strip():
        return "no GROQ_API_KEY"
    return None


def configured_models(settings: Settings) -> tuple[str, ...]:
    """The models of the selected provider, in the order they are tried."""
    return tuple(settings.llm_model if settings.llm_provider == "openai-compatible" else settings.groq_model)


def make_provider(settings: Settings) -> SdkProvider:
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
        return SdkProvider(
            "openai-compatible", openai_client, configured_models(settings), "LLM_MODEL",
            status_error=openai.APIStatusError, api_error=openai.APIError,
            extra_headers={} if key else {"Authorization": openai.Omit()},
        )
    import groq

    groq_client = groq.Groq(
        api_key=settings.groq_api_key,
        base_url=settings.groq_base_url or None,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )
    return SdkProvider("groq", groq_client, configured_models(settings), "GROQ_MODEL",
                       status_error=groq.APIStatusError, api_error=groq.APIError)


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
