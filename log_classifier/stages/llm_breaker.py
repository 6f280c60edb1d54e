"""The LLM stage's circuit breaker: after enough consecutive failed calls, stop calling for a while.

A sick provider would otherwise make every request wait out its timeouts and retries. Only the
provider's own failures count (the stage decides which); a probe call after the cool-down decides
whether the circuit closes again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)


class CircuitBreaker:
    """Opens after ``threshold`` consecutive failed calls; after ``cooldown_s`` one probe call may
    go through (half-open): its success closes the circuit, its failure opens it again. Thread-safe."""

    def __init__(self, threshold: int, cooldown_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._threshold = threshold
        self._cooldown_s = cooldown_s
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    def allow(self) -> bool:
        with self._lock:
            if self._opened_at is None:
                return True
            if self._probing or self._clock() - self._opened_at < self._cooldown_s:
                return False
            self._probing = True
            return True

    def record_success(self) -> None:
        with self._lock:
            if self._opened_at is not None:
                logger.info("llm circuit closed")
            self._failures = 0
            self._opened_at = None
            self._probing = False

    def release(self) -> None:
        """A call that neither succeeded nor failed (no model left to ask): let another probe go."""
        with self._lock:
            self._probing = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            self._probing = False
            if self._failures >= self._threshold:
                if self._opened_at is None:
                    logger.warning(
                        "llm circuit opened after %d consecutive failures; cooling down %.1f s",
                        self._failures,
                        self._cooldown_s,
                    )
                self._opened_at = self._clock()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            if self._opened_at is None:
                state, retry_in = "closed", 0.0
            else:
                retry_in = max(0.0, self._cooldown_s - (self._clock() - self._opened_at))
                state = "open" if retry_in > 0 and not self._probing else "half-open"
            return {
                "state": state,
                "consecutive_failures": self._failures,
                "retry_in_s": round(retry_in, 1),
            }
