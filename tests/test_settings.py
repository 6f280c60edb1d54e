"""Settings: .env.example documents every setting with its default; env parsing."""

from __future__ import annotations

import re

import pytest
from pydantic import ValidationError

from log_classifier.config import PROJECT_DIR, Settings

EXAMPLE = PROJECT_DIR / ".env.example"


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    names = set(re.findall(r"^([A-Z_]+)=", EXAMPLE.read_text(encoding="utf-8"), flags=re.MULTILINE))
    assert names == {name.upper() for name in Settings.model_fields}


def test_env_example_values_are_the_defaults(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(PROJECT_DIR)  # relative paths in the example are relative to the project
    from_example = Settings(_env_file=EXAMPLE)  # type: ignore[call-arg]
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    for name in Settings.model_fields:
        got, want = getattr(from_example, name), getattr(defaults, name)
        if hasattr(want, "resolve"):
            got, want = got.resolve(), want.resolve()
        assert got == want, name


def test_lists_are_comma_separated_and_blank_threshold_is_unset(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LLM_SOURCES", "LegacyCRM, OldERP ,")
    monkeypatch.setenv("API_KEYS", "k1,k2")
    monkeypatch.setenv("BERT_THRESHOLD", " ")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.llm_sources == ["LegacyCRM", "OldERP"]
    assert settings.api_keys == ["k1", "k2"]
    assert settings.bert_threshold is None
    assert "k1" not in repr(settings)


def test_alert_and_ingest_settings(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ALERT_CATEGORIES", "Security Alert, Workflow Error")
    monkeypatch.setenv("INGEST_MESSAGE_FIELDS", "text,body")
    monkeypatch.setenv("ALERT_WEBHOOK_URL", " https://hooks.example.test/T000/B000/secret ")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.alert_categories == ["Security Alert", "Workflow Error"]
    assert settings.ingest_message_fields == ["text", "body"]
    assert settings.alert_webhook_url == "https://hooks.example.test/T000/B000/secret"
    assert "secret" not in repr(settings)


def test_alert_settings_refuse_unknown_categories_and_non_http_urls(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("ALERT_CATEGORIES", "Critical Error,Critical error")
    with pytest.raises(ValidationError, match="unknown categories \\['Critical error'\\]"):
        Settings(_env_file=None)  # type: ignore[call-arg]
    monkeypatch.delenv("ALERT_CATEGORIES")
    monkeypatch.setenv("ALERT_WEBHOOK_URL", "hooks.example.test/alerts")
    with pytest.raises(ValidationError, match="must start with http:// or https://"):
        Settings(_env_file=None)  # type: ignore[call-arg]
