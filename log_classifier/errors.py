"""The project's exceptions, in one place.

    ClassifierError
    ├── ConfigurationError      bad settings or model directory: the service refuses to start
    │   └── ModelMismatchError  a model directory built for another encoder / label set / version
    ├── AuthenticationError     API_KEYS is set and the request has no valid X-API-Key: 401
    ├── PermissionDenied        a valid key that may not do this (CORRECTION_API_KEYS): 403
    ├── NotFoundError           the thing asked for does not exist (an unknown pattern id): 404
    ├── StoreUnavailable        the pattern store is off or cannot be reached: 503
    ├── Overloaded              the encoder's queue is longer than MAX_QUEUE_S: 503 with Retry-After
    ├── RequestCancelled        the client went away: its remaining work is dropped (499, never read)
    ├── ProviderError           an LLM call failed (HTTP error, timeout, refused): the rows' reason, never raised out
    │   ├── ModelUnavailable    the provider does not serve that model (retired, unknown): the next one is asked
    │   └── MalformedAnswer     the model's reply is not a JSON object
    └── InputError              the user's upload or request is wrong: 400, with a message to fix it
        ├── PayloadTooLarge     larger than a limit: 413
        ├── InvalidLabel        a correction's label is not one of the nine categories: 422
        └── UnsupportedEncoding a Content-Encoding the service cannot undo: 415

`log_classifier.api.errors` maps these to HTTP statuses, in one place.
"""

from __future__ import annotations


class ClassifierError(Exception):
    """Base of every error this project raises on purpose."""


class ConfigurationError(ClassifierError):
    """Settings, rules or model files are unusable; raised at start-up."""


class ModelMismatchError(ConfigurationError):
    """The model directory does not fit this service (encoder, labels, library versions)."""


class AuthenticationError(ClassifierError):
    """The request lacks a valid API key."""


class PermissionDenied(ClassifierError):
    """The request's API key is valid but may not do this (CORRECTION_API_KEYS)."""


class NotFoundError(ClassifierError):
    """The request names something that does not exist (an unknown pattern id)."""


class StoreUnavailable(ClassifierError):
    """The pattern store is switched off (PATTERN_STORE=off) or cannot be reached right now."""


class Overloaded(ClassifierError):
    """More work is queued than MAX_QUEUE_S allows: the client should retry after `retry_after_s`."""

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class RequestCancelled(ClassifierError):
    """The request's client disconnected; raised between units of work to stop computing for it."""


class InputError(ClassifierError):
    """The client sent something we cannot classify; the message says what to fix."""


class PayloadTooLarge(InputError):
    """The request is larger than a limit (MAX_UPLOAD_MB, MAX_JSON_LOGS)."""


class UnsupportedEncoding(InputError):
    """The body's Content-Encoding is not one the service can decompress."""


class InvalidLabel(InputError):
    """A correction names a label outside the nine categories."""


class ProviderError(ClassifierError):
    """An LLM call failed after the SDK's own retries; the message says how ("RateLimitError 429").

    Raised by the provider (``stages/llm_providers.py``) in place of the SDK's exceptions; the LLM
    stage turns it into an ``llm error`` reason and counts it toward its circuit breaker.
    """


class ModelUnavailable(ProviderError):
    """The provider does not serve ``model`` (retired or unknown): a setting to fix, not a failure to count."""

    def __init__(self, model: str, code: str, detail: str) -> None:
        super().__init__(f"{model}: {code}: {detail}" if detail else f"{model}: {code}")
        self.model = model
        self.code = code
        """``model_not_found`` or ``model_decommissioned``."""
        self.detail = detail
        """The provider's own words, shortened."""


class MalformedAnswer(ProviderError):
    """The model's reply is not the JSON object it was asked for."""
