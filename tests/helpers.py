"""Helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

from log_classifier.config import PROJECT_DIR, Settings

SHIPPED_MODEL_DIR = Path(os.environ.get("TEST_MODEL_DIR", PROJECT_DIR / "models"))


def make_settings(**overrides: object) -> Settings:
    """Settings from defaults and `overrides` only: no .env, no environment leaking in."""
    # The pattern store is off unless a test is about it (then it passes a temporary path or a PostgreSQL URL).
    values: dict[str, object] = {"model_dir": SHIPPED_MODEL_DIR, "groq_api_key": "", "pattern_store": "off"}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]  # pydantic-settings' init-only argument
