"""The project's exceptions, in one place.

    ClassifierError
    ├── ConfigurationError      bad settings or model directory: the service refuses to start
    │   └── ModelMismatchError  a model directory built for another encoder / label set / version
    └── InputError              the user's upload or request is wrong: a 4xx with a message to fix it
        ├── PayloadTooLarge     413
        └── (plain InputError)  400

`server.py` maps these to HTTP statuses in one place.
"""

from __future__ import annotations


class ClassifierError(Exception):
    """Base of every error this project raises on purpose."""


class ConfigurationError(ClassifierError):
    """Settings, rules or model files are unusable; raised at start-up."""


class ModelMismatchError(ConfigurationError):
    """The model directory does not fit this service (encoder, labels, library versions)."""


class InputError(ClassifierError):
    """The client sent something we cannot classify; the message says what to fix."""

    status_code = 400

    @classmethod
    def with_status(cls, status_code: int, message: str) -> "InputError":
        """An InputError answered with another 4xx status (401, 413, ...)."""
        error = cls(message)
        error.status_code = status_code
        return error


class PayloadTooLarge(InputError):
    """The upload is larger than MAX_UPLOAD_MB."""

    status_code = 413
