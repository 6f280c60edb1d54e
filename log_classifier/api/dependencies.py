"""What routes receive through `Depends`: the loaded cascade, the settings, the metrics, the alert
sender, the pattern store's recorder, the API-key check.

All `async def`: they do no blocking work, and a sync dependency would take a thread-pool slot
(the pool that CSV streaming fills under load) just to read an attribute.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from log_classifier.alerts import Alerter
from log_classifier.api.errors import API_KEY_HEADER
from log_classifier.api.metrics import Metrics
from log_classifier.cascade import LoadedClassifier
from log_classifier.config import Settings
from log_classifier.errors import AuthenticationError
from log_classifier.patterns.recorder import Recorder


async def get_classifier(request: Request) -> LoadedClassifier:
    """The cascade loaded in the lifespan."""
    return request.app.state.classifier


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    return request.app.state.settings


async def get_metrics(request: Request) -> Metrics:
    return request.app.state.metrics


async def get_alerter(request: Request) -> Alerter:
    """The alert webhook sender started in the lifespan (a NullAlerter when alerts are off)."""
    return request.app.state.alerter


async def get_patterns(request: Request) -> Recorder:
    """The pattern store's recorder started in the lifespan (a NullRecorder with PATTERN_STORE=off)."""
    return request.app.state.patterns


Classifier = Annotated[LoadedClassifier, Depends(get_classifier)]
AppSettings = Annotated[Settings, Depends(get_app_settings)]
AppMetrics = Annotated[Metrics, Depends(get_metrics)]
AppAlerter = Annotated[Alerter, Depends(get_alerter)]
AppPatterns = Annotated[Recorder, Depends(get_patterns)]

_api_key_header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False, description="Required when API_KEYS is set")


ANONYMOUS = "anonymous"
"""Who a request is when API_KEYS is empty."""


async def require_api_key(
    request: Request, settings: AppSettings, key: Annotated[str | None, Depends(_api_key_header)]
) -> str:
    """Pass when API_KEYS is empty or the request carries one of them (compared in constant time); returns
    the key's name (`name:key` entries; a short hash of a bare key), also kept in `request.state.api_key_name`."""
    name = ANONYMOUS
    if settings.api_keys:
        supplied = (key or "").encode()
        found = None
        for allowed, allowed_name in settings.named_api_keys.items():
            if hmac.compare_digest(supplied, allowed.encode()):
                found = allowed_name
        if found is None:
            raise AuthenticationError(f"missing or invalid {API_KEY_HEADER} header")
        name = found
    request.state.api_key_name = name
    return name


ApiKeyName = Annotated[str, Depends(require_api_key)]
