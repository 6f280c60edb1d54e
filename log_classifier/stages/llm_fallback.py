"""The LLM stage's model fallback chain: the configured models in order, minus those found gone.

``GROQ_MODEL`` / ``LLM_MODEL`` is a list. A model the provider calls retired or unknown is dropped
for the life of the process (the fix is a setting, not a retry) and the next one takes over at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

logger = logging.getLogger(__name__)


class ModelChain:
    """The configured models in order; the first one not found dead is in use. Thread-safe."""

    def __init__(self, models: Sequence[str], setting: str) -> None:
        self.models = tuple(models)
        self.setting = setting
        self._lock = threading.Lock()
        self._dead: dict[str, str] = {}
        self.fallbacks = 0
        """Batches sent again to the next model because the one they were sent to is gone."""

    def current(self) -> str | None:
        with self._lock:
            return self._current()

    def mark_dead(self, model: str, code: str, message: str) -> str | None:
        """Record that the provider no longer serves ``model``; the model to ask next, if any."""
        with self._lock:
            first_news = model not in self._dead
            if first_news:
                self._dead[model] = f"{code}: {message}" if message else code
            following = self._current()
            if following is not None:
                self.fallbacks += 1
        if first_news:  # once per model and process: the fix is a setting, not a retry
            if following is not None:
                logger.warning(
                    "llm model %r is unavailable (%s: %s); using %r from now on. "
                    "Set %s to current models (README: choosing an LLM model)",
                    model, code, message, following, self.setting,
                )
            else:
                logger.warning(
                    "llm model %r is unavailable (%s: %s) and no other model is left: LLM-routed rows "
                    "come back Unclassified. Set %s to a current model and restart",
                    model, code, message, self.setting,
                )
        return following

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"model": self._current(), "models": list(self.models), "dead_models": dict(self._dead),
                    "fallbacks": self.fallbacks}

    def _current(self) -> str | None:
        return next((model for model in self.models if model not in self._dead), None)
