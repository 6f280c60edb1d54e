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


async def require_api_key(settings: AppSettings, key: Annotated[str | None, Depends(_api_key_header)]) -> None:
    """Pass when API_KEYS is empty or the request carries one of them (compared in constant time)."""
    if not settings.api_keys:
        return
    supplied = (key or "").encode()
    if not any(hmac.compare_digest(supplied, allowed.encode()) for allowed in settings.api_keys):
        raise AuthenticationError(f"missing or invalid {API_KEY_HEADER} header")
