"""Alert webhooks: rows classified into watched categories (ALERT_CATEGORIES) become a POST to
ALERT_WEBHOOK_URL, at most one per category per ALERT_COOLDOWN_S; counts accumulate in between.

Classification never waits for a webhook: ``observe`` only adds counts and a few samples under a
lock; a background thread builds the payload (redacting the samples), posts it with a short timeout
and a bounded number of attempts, and counts deliveries and give-ups in the app's metrics. A failing
receiver is logged once per cooldown window, not once per attempt.

The body is Slack-compatible (a ``text`` line) and carries the details for other receivers::

    {"text": "2 Critical Error, 1 Security Alert in the last 12 s (log classifier, model 2026-...)",
     "counts": {"Critical Error": 2, "Security Alert": 1},
     "samples": [{"source": "...", "message": "...", "label": "...", "request_id": "..."}],
     "request_id": "...", "model_version": "...", "window_s": 12.0, "first_seen": "...", "last_seen": "..."}

With ALERT_NEW_PATTERNS=true the pattern store's writer also calls ``new_pattern`` for the first line
ever seen of a pattern labelled in ALERT_CATEGORIES: one post per pattern, no cooldown, at most
NEW_PATTERN_QUEUE waiting (more are dropped and logged)::

    {"text": "New pattern (Critical Error) from node-7: Kernel panic - ...", "new_pattern": true,
     "pattern": {"id": "...", "source": "...", "severity": "...", "pattern": "...", "label": "...",
                 "classified_by": "...", "confidence": 1.0, "reason": "...", "first_seen": "..."},
     "example": "...", "model_version": "..."}

``make_alerter(settings, ...)`` builds the sender; with ALERT_WEBHOOK_URL empty it is a ``NullAlerter``:
same interface, does nothing.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from log_classifier.config import Settings
from log_classifier.contract import Prediction
from log_classifier.logging_setup import request_id_var
from log_classifier.text.redaction import redact

log = logging.getLogger(__name__)

WEBHOOK_TIMEOUT_S = 5.0
"""Per attempt: connect, write and read each. A receiver that hangs costs the sender thread this long."""
WEBHOOK_ATTEMPTS = 3
RETRY_BACKOFF_S = (0.5, 2.0)
"""Pauses between attempts (the last one repeats if there are more attempts than pauses)."""
SAMPLE_MESSAGE_CHARS = 300
SAMPLE_SOURCE_CHARS = 100
USER_AGENT = "log-classifier-alerts/1"
MAX_RESPONSE_BYTES = 65536
NEW_PATTERN_QUEUE = 100


class Alerter(Protocol):
    """What the API calls after each classification."""

    def observe(self, sources: Sequence[str], messages: Sequence[str], predictions: Sequence[Prediction]) -> None:
        """Note the rows in watched categories; returns at once, never raises."""

    def new_pattern(self, pattern: dict[str, Any]) -> None:
        """Queue a new-pattern alert (`pattern`: the store's fields, its `example` redacted); never raises."""

    def start(self) -> None: ...

    def close(self) -> None: ...


class NullAlerter:
    """Alerts switched off (no ALERT_WEBHOOK_URL): does nothing."""

    def observe(self, sources: Sequence[str], messages: Sequence[str], predictions: Sequence[Prediction]) -> None:
        pass

    def new_pattern(self, pattern: dict[str, Any]) -> None:
        pass

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass
class _Pending:
    """What one category gathered since its last alert."""

    count: int = 0
    first_seen: float = 0.0  # wall clock
    last_seen: float = 0.0
    samples: list[tuple[str, str, str]] = field(default_factory=list)  # (source, message, request_id), raw, whole


@dataclass(frozen=True)
class AlertCounters:
    """Where deliveries and give-ups are counted (the app's Prometheus counters)."""

    sent: Callable[[], None]
    failed: Callable[[], None]


class WebhookAlerter:
    """Posts alerts to a webhook from one background thread. ``start()`` before use, ``close()`` after."""

    def __init__(
        self,
        url: str,
        *,
        categories: Sequence[str],
        cooldown_s: float,
        max_samples: int,
        model_version: str,
        counters: AlertCounters,
        timeout_s: float = WEBHOOK_TIMEOUT_S,
        attempts: int = WEBHOOK_ATTEMPTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.categories = frozenset(categories)
        self.cooldown_s = cooldown_s
        self.max_samples = max_samples
        self.model_version = model_version
        self._counters = counters
        self._timeout_s = timeout_s
        self._attempts = max(1, attempts)
        self._clock = clock
        self._cond = threading.Condition()
        self._pending: dict[str, _Pending] = {}
        self._last_sent: dict[str, float] = {}
        self._last_request_id = ""
        self._closed = False
        self._thread: threading.Thread | None = None
        # urllib, not httpx: httpx logs every request URL at INFO, and a webhook URL often holds a secret.
        self._opener = urllib.request.build_opener(_NoRedirects())
        self._failure_logged_at: float | None = None
        self._failures_unlogged = 0
        self._new_patterns: deque[dict[str, Any]] = deque()

    # --- the request side: cheap, never raises ---

    def observe(self, sources: Sequence[str], messages: Sequence[str], predictions: Sequence[Prediction]) -> None:
        try:
            self._observe(sources, messages, predictions)
        except Exception:  # an alert must never fail a classification
            log.exception("could not note rows for an alert")

    def _observe(self, sources: Sequence[str], messages: Sequence[str], predictions: Sequence[Prediction]) -> None:
        hits = [i for i, prediction in enumerate(predictions) if prediction.label in self.categories]
        if not hits:
            return
        request_id = request_id_var.get()
        now = time.time()
        with self._cond:
            for i in hits:
                label = predictions[i].label
                pending = self._pending.get(label)
                if pending is None:
                    pending = self._pending[label] = _Pending(first_seen=now)
                pending.count += 1
                pending.last_seen = now
                if len(pending.samples) < self.max_samples:
                    # Kept whole and raw (a reference, no copy): the sender thread redacts the whole text and
                    # only then cuts it; a cut first could split a secret so that no redaction rule sees it.
                    pending.samples.append((sources[i], messages[i], request_id))
            self._last_request_id = request_id
            self._cond.notify()

    def new_pattern(self, pattern: dict[str, Any]) -> None:
        with self._cond:
            if len(self._new_patterns) >= NEW_PATTERN_QUEUE:
                log.warning("new-pattern alert for %s dropped: %d alerts already waiting", pattern.get("id"),
                            NEW_PATTERN_QUEUE)
                return
            self._new_patterns.append(pattern)
            self._cond.notify()

    # --- the sender thread ---

    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="alert-webhook", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop the sender. Alerts still pending are dropped; a post in flight gets up to a second, then
        the (daemon) thread is left to end with its timeout."""
        with self._cond:
            self._closed = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(1.0)

    def _run(self) -> None:
        while True:
            new_pattern: dict[str, Any] | None = None
            with self._cond:
                while True:
                    if self._closed:
                        return
                    if self._new_patterns:
                        new_pattern = self._new_patterns.popleft()
                        break
                    due, wait_s = self._take_due(self._clock())
                    if due:
                        break
                    self._cond.wait(wait_s)
                request_id = self._last_request_id
            try:
                if new_pattern is not None:
                    self._deliver(self._new_pattern_payload(new_pattern))
                    continue
                self._deliver(self._payload(due, request_id))
            except Exception:  # the thread must outlive any one bad alert
                log.exception("alert webhook sender failed")

    def _take_due(self, now: float) -> tuple[dict[str, _Pending], float | None]:
        """Categories whose cooldown has passed, removed from pending; else how long to wait."""
        due: dict[str, _Pending] = {}
        wait_s: float | None = None
        for label in list(self._pending):
            ready_at = self._last_sent.get(label, float("-inf")) + self.cooldown_s
            if ready_at <= now:
                due[label] = self._pending.pop(label)
                self._last_sent[label] = now
            else:
                wait_s = ready_at - now if wait_s is None else min(wait_s, ready_at - now)
        return due, wait_s

    def _payload(self, due: dict[str, _Pending], request_id: str) -> dict[str, Any]:
        first = min(p.first_seen for p in due.values())
        last = max(p.last_seen for p in due.values())
        # Taxonomy order of ALERT_CATEGORIES would be nicer, but biggest first reads best in a chat line.
        ordered = sorted(due.items(), key=lambda item: (-item[1].count, item[0]))
        counts = {label: pending.count for label, pending in ordered}
        window_s = max(time.time() - first, 0.0)
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        samples = [
            {
                "source": _cut(redact(source), SAMPLE_SOURCE_CHARS),
                "message": _cut(redact(message), SAMPLE_MESSAGE_CHARS),
                "label": label,
                "request_id": sample_request_id,
            }
            for label, pending in ordered
            for source, message, sample_request_id in pending.samples
        ]
        return {
            "text": f"{summary} in the last {_duration(window_s)} (log classifier, model {self.model_version})",
            "counts": counts,
            "samples": samples,
            "request_id": request_id,
            "model_version": self.model_version,
            "window_s": round(window_s, 1),
            "first_seen": _iso(first),
            "last_seen": _iso(last),
        }

    def _new_pattern_payload(self, pattern: dict[str, Any]) -> dict[str, Any]:
        details = {name: value for name, value in pattern.items() if name != "example"}
        example = _cut(str(pattern.get("example", "")), SAMPLE_MESSAGE_CHARS)
        source = _cut(str(pattern.get("source", "")), SAMPLE_SOURCE_CHARS)
        return {
            "text": f"New pattern ({pattern.get('label')}) from {source or 'an unnamed source'}: {example} "
                    f"(log classifier, model {self.model_version})",
            "new_pattern": True,
            "pattern": details,
            "example": example,
            "model_version": self.model_version,
        }

    def _deliver(self, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        error = ""
        for attempt in range(self._attempts):
            if attempt:
                pause = RETRY_BACKOFF_S[min(attempt - 1, len(RETRY_BACKOFF_S) - 1)]
                with self._cond:
                    if self._cond.wait_for(lambda: self._closed, pause):
                        return
            status, error = self._post(body)
            if 200 <= status < 300:
                self._counters.sent()
                log.info("alert webhook sent: %s", payload["text"])
                return
            if 400 <= status < 500 and status not in (408, 429):
                break  # the receiver refuses this payload; retrying will not change its mind
        self._counters.failed()
        self._log_failure(error)

    def _post(self, body: bytes) -> tuple[int, str]:
        """(HTTP status, "") or (0 / status, what went wrong). Never raises for network trouble."""
        request = urllib.request.Request(
            self.url, data=body, method="POST",
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
        )
        try:
            with self._opener.open(request, timeout=self._timeout_s) as response:
                response.read(MAX_RESPONSE_BYTES)
                return response.status, ""
        except urllib.error.HTTPError as exc:
            exc.close()
            return exc.code, f"HTTP {exc.code}"
        except (OSError, ValueError) as exc:  # URLError, timeouts, refused, reset; a bad URL
            reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
            return 0, f"{type(reason).__name__}: {reason}" if str(reason) else type(reason).__name__

    def _log_failure(self, error: str) -> None:
        now = self._clock()
        if self._failure_logged_at is not None and now - self._failure_logged_at < self.cooldown_s:
            self._failures_unlogged += 1
            return
        more = f" ({self._failures_unlogged} more failed since the last report)" if self._failures_unlogged else ""
        log.warning(
            "alert webhook not delivered after %d attempt(s): %s%s; further failures are reported at most "
            "once per %.0f s and counted in log_classifier_alert_webhook_failures_total",
            self._attempts, error, more, self.cooldown_s,
        )
        self._failure_logged_at = now
        self._failures_unlogged = 0


def make_alerter(settings: Settings, *, model_version: str, counters: AlertCounters) -> Alerter:
    """A WebhookAlerter for ALERT_WEBHOOK_URL, or a NullAlerter when it is empty."""
    if not settings.alert_webhook_url:
        return NullAlerter()
    return WebhookAlerter(
        settings.alert_webhook_url,
        categories=settings.alert_categories,
        cooldown_s=settings.alert_cooldown_s,
        max_samples=settings.alert_max_samples,
        model_version=model_version,
        counters=counters,
    )


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failed delivery (urllib would turn the POST into a GET without the alert)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds:.1f} s"  # one burst: "in the last 0.0 s", never a second that did not pass
    if seconds < 90:
        return f"{round(seconds)} s"
    if seconds < 5400:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat(timespec="seconds")
