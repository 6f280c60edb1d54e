"""What the classification paths hand their rows to: counts gathered in memory, written by one
background thread every PATTERN_FLUSH_S and on shutdown.

``record(keys, predictions, times, examples)`` is the one call every receiver makes after
classifying a batch (`/classify/`, `/classify/json`, `/ingest`, the CLI; other receivers alike). It
only adds to in-memory counts under a short lock: it never touches the database and never raises, so
a slow or unreachable store cannot delay or fail a classification. The writer retries a failed
flush with the counts kept in memory, up to PATTERN_MAX_PENDING (pattern, minute) entries; lines that
do not fit are dropped, counted and logged.

Built by ``open_recorder(settings, ...)``; with PATTERN_STORE=off it is a ``NullRecorder``: same
interface, does nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from log_classifier.config import Settings
from log_classifier.contract import Prediction
from log_classifier.errors import StoreUnavailable
from log_classifier.patterns.database import make_engines, migrate
from log_classifier.patterns.store import MINUTE, PatternCounts, PatternStore, Retention
from log_classifier.patterns.timestamps import line_time
from log_classifier.text.pattern_key import PatternKey, pattern_id
from log_classifier.text.redaction import redact

log = logging.getLogger(__name__)

EXAMPLE_CHARS = 1000
"""An example line is cut to this many characters before it is stored."""
EXAMPLE_EVERY_S = 60.0
"""A pattern's example is added to its recent examples at most this often (per process)."""
PRUNE_EVERY_S = 60.0
COUNT_EVERY_S = 10.0
RETRY_MAX_S = 30.0
ID_CACHE_SIZE = 200_000
CLOSE_FLUSH_ATTEMPTS = 3

NewPatternsFn = Callable[[Sequence[PatternCounts]], None]
"""Told about the patterns a flush created (seen first ever): metrics, the new-pattern alert."""


class Recorder(Protocol):
    """What the routes call after classifying (see the module docstring)."""

    store: PatternStore | None

    def record(
        self,
        keys: Sequence[PatternKey | None],
        predictions: Sequence[Prediction],
        times: Sequence[object] | None = None,
        examples: Sequence[str] | None = None,
    ) -> None: ...

    def start(self) -> None: ...

    def close(self) -> None: ...

    def health(self) -> dict[str, Any]: ...

    def stats(self) -> dict[str, Any]: ...

    def require_store(self) -> PatternStore:
        """The store to query; StoreUnavailable when PATTERN_STORE=off."""
        ...


class NullRecorder:
    """PATTERN_STORE=off: remembers nothing."""

    store: PatternStore | None = None

    def record(
        self,
        keys: Sequence[PatternKey | None],
        predictions: Sequence[Prediction],
        times: Sequence[object] | None = None,
        examples: Sequence[str] | None = None,
    ) -> None:
        pass

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass

    def health(self) -> dict[str, Any]:
        return {"status": "off"}

    def stats(self) -> dict[str, Any]:
        return {}

    def require_store(self) -> PatternStore:
        raise StoreUnavailable("the pattern store is off (PATTERN_STORE=off)")


class PatternRecorder:
    """In-memory counts and the one background writer. ``start()`` before use, ``close()`` after."""

    def __init__(
        self,
        store: PatternStore,
        *,
        flush_s: float = 1.0,
        max_pending: int = 200_000,
        on_new: NewPatternsFn | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store: PatternStore | None = store
        self._store = store
        self.flush_s = flush_s
        self.max_pending = max_pending
        self._on_new = on_new
        self._clock = clock
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()  # one flush at a time (the writer, close(), a caller)
        self._pending: dict[str, PatternCounts] = {}
        self._writing_lines = 0
        """Lines of the batch a flush is writing now (taken out of `_pending`, not yet committed)."""
        self._entries = 0  # (pattern, minute) pairs pending
        self._oldest: float | None = None  # arrival of the oldest line not yet written
        self._ids: dict[PatternKey, str] = {}
        self._example_written: dict[str, float] = {}
        self._wake = threading.Event()
        self._closed = False
        self._thread: threading.Thread | None = None
        self._ready = False  # migrated
        self._up = False
        self._last_error = ""
        self._retry_at = 0.0
        self._retry_s = flush_s
        self._next_prune = 0.0
        self._next_count = 0.0
        self._failure_logged_at = float("-inf")
        self._drop_logged_at = float("-inf")
        # counters for /metrics
        self.patterns = 0
        self.new_patterns: Counter[str] = Counter()
        self.write_errors = 0
        self.dropped_lines = 0
        self.unreadable_times = 0
        self.written_lines = 0

    # --- the request side: cheap, never raises ---

    def record(
        self,
        keys: Sequence[PatternKey | None],
        predictions: Sequence[Prediction],
        times: Sequence[object] | None = None,
        examples: Sequence[str] | None = None,
    ) -> None:
        """Count one classified batch. `keys` and `predictions` as `Cascade.classify_keyed` gives them
        (a None key, an empty line, is not counted); `times` the lines' own time values (ISO 8601 text,
        epoch s or ms; None or unreadable: now); `examples` the raw lines (redacted before storing)."""
        try:
            self._record(keys, predictions, times, examples)
        except Exception:  # counting must never fail a classification
            log.exception("could not count %d lines for the pattern store", len(keys))

    def _record(
        self,
        keys: Sequence[PatternKey | None],
        predictions: Sequence[Prediction],
        times: Sequence[object] | None,
        examples: Sequence[str] | None,
    ) -> None:
        now = self._clock()
        now_minute = int(now) - int(now) % MINUTE
        last: dict[PatternKey | None, int] = {key: index for index, key in enumerate(keys)}
        last.pop(None, None)
        if not last:
            return
        spans: dict[PatternKey, tuple[float, float]]
        minutes: dict[PatternKey, dict[int, int]]
        if times is None:
            # One arrival time for the whole batch: counting is one C-speed pass.
            counts = Counter(keys)
            minutes = {key: {now_minute: counts[key]} for key in last if key is not None}
            spans = dict.fromkeys(minutes, (now, now))
        else:
            minutes, spans = {}, {}
            unreadable = 0
            for key, value in zip(keys, times):
                if key is None:
                    continue
                at = line_time(value, now)
                if at is None:
                    if value is not None and value != "":
                        unreadable += 1
                    at = now
                minute = int(at) - int(at) % MINUTE
                per_minute = minutes.get(key)
                if per_minute is None:
                    minutes[key] = {minute: 1}
                    spans[key] = (at, at)
                else:
                    per_minute[minute] = per_minute.get(minute, 0) + 1
                    first, latest = spans[key]
                    if at < first or at > latest:
                        spans[key] = (min(first, at), max(latest, at))
            if unreadable:
                with self._lock:
                    self.unreadable_times += unreadable
        self._merge(
            [
                (self._id(key), key, predictions[index], examples[index][: EXAMPLE_CHARS * 2] if examples else "",
                 spans[key], minutes[key])
                for key, index in last.items()
                if key is not None
            ],
            now,
        )

    def _id(self, key: PatternKey) -> str:
        known = self._ids.get(key)
        if known is None:
            if len(self._ids) >= ID_CACHE_SIZE:
                self._ids.clear()
            known = self._ids[key] = pattern_id(key)
        return known

    def _merge(
        self,
        rows: list[tuple[str, PatternKey, Prediction, str, tuple[float, float], dict[int, int]]],
        now: float,
    ) -> None:
        dropped = 0
        with self._lock:
            for pid, key, prediction, example, (first, latest), per_minute in rows:
                item = self._pending.get(pid)
                if item is None:
                    if self._entries + len(per_minute) > self.max_pending:
                        dropped += sum(per_minute.values())
                        continue
                    self._pending[pid] = PatternCounts(pid, key, prediction, example, first, latest, dict(per_minute))
                    self._entries += len(per_minute)
                    continue
                for minute, lines in per_minute.items():
                    if minute in item.minutes:
                        item.minutes[minute] += lines
                    elif self._entries < self.max_pending:
                        item.minutes[minute] = lines
                        self._entries += 1
                    else:
                        dropped += lines
                item.prediction = prediction
                if latest >= item.last_seen:
                    item.example, item.last_seen = example or item.example, latest
                item.first_seen = min(item.first_seen, first)
            if self._pending and self._oldest is None:
                self._oldest = now
            if dropped:
                self.dropped_lines += dropped
        if dropped:
            self._log_drop(dropped)

    # --- the writer thread ---

    def start(self) -> None:
        """Migrate the schema (an unreachable database is retried by the writer) and start the writer."""
        if self._thread is not None:
            return
        self._connect()
        self._thread = threading.Thread(target=self._run, name="pattern-writer", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop the writer and write what is pending (a few attempts); then release the connections."""
        self._closed = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(30)
        for attempt in range(CLOSE_FLUSH_ATTEMPTS):
            if self.flush():
                break
            time.sleep(0.2 * (attempt + 1))
        with self._lock:
            lost = sum(item.lines for item in self._pending.values())
        if lost:
            log.error("pattern store unreachable at shutdown: %d counted lines were not written (%s)",
                      lost, self._last_error)
        self._store.engines.dispose()

    def flush(self) -> bool:
        """Write what is pending, in one transaction. False when the store could not take it (the counts
        stay pending, as far as PATTERN_MAX_PENDING allows)."""
        with self._flush_lock:
            return self._flush()

    def _flush(self) -> bool:
        if not self._ready and not self._connect():
            return False
        with self._lock:
            batch, oldest = self._pending, self._oldest
            self._pending, self._entries, self._oldest = {}, 0, None
            # Still pending for /health until the transaction ends: "0 pending" means written.
            self._writing_lines = sum(item.lines for item in batch.values())
        if not batch:
            return True
        try:
            return self._write(batch, oldest)
        finally:
            with self._lock:
                self._writing_lines = 0

    def _write(self, batch: dict[str, PatternCounts], oldest: float | None) -> bool:
        items = list(batch.values())
        now = self._clock()
        try:
            for item in items:
                # redacting again after a failed write changes nothing: the placeholders are not redacted
                item.example = redact(item.example)[:EXAMPLE_CHARS]
                item.write_example = now - self._example_written.get(item.id, float("-inf")) >= EXAMPLE_EVERY_S
            created = self._store.write(items)
        except Exception as exc:
            self._failed(exc)
            self._requeue(batch, oldest)
            return False
        self._up = True
        self._retry_s = self.flush_s
        if len(self._example_written) > ID_CACHE_SIZE:
            self._example_written.clear()
        for item in items:
            if item.write_example:
                self._example_written[item.id] = now
        self.written_lines += sum(item.lines for item in items)
        if created:
            self.patterns += len(created)
            self.new_patterns.update(item.prediction.label for item in created)
            if self._on_new is not None:
                try:
                    self._on_new(created)
                except Exception:
                    log.exception("new-pattern hook failed")
        return True

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait(self.flush_s)
            if self._closed:
                return
            now = self._clock()
            if now < self._retry_at:
                continue
            try:
                if self.flush():
                    self._housekeeping(now)
                    continue
            except Exception:  # the writer must outlive any one bad batch
                log.exception("pattern store writer failed")
            self._retry_at = now + self._retry_s
            self._retry_s = min(self._retry_s * 2, RETRY_MAX_S)

    def _housekeeping(self, now: float) -> None:
        try:
            if now >= self._next_prune:
                self._next_prune = now + PRUNE_EVERY_S
                self._store.prune(now)
            if now >= self._next_count:
                self._next_count = now + COUNT_EVERY_S
                self.patterns = self._store.count_patterns()
        except Exception as exc:
            self._failed(exc)

    def _connect(self) -> bool:
        try:
            migrate(self._store.engines)
        except Exception as exc:
            self._failed(exc)
            return False
        if not self._ready:
            log.info("pattern store ready: %s", self._store.engines.description)
        self._ready = self._up = True
        return True

    def _requeue(self, batch: dict[str, PatternCounts], oldest: float | None) -> None:
        rows = [(item.id, item.key, item.prediction, item.example, (item.first_seen, item.last_seen), item.minutes)
                for item in batch.values()]
        self._merge(rows, oldest if oldest is not None else self._clock())
        with self._lock:
            if oldest is not None and (self._oldest is None or oldest < self._oldest):
                self._oldest = oldest

    def _failed(self, exc: BaseException) -> None:
        self.write_errors += 1
        self._up = False
        self._last_error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
        now = time.monotonic()
        if now - self._failure_logged_at >= RETRY_MAX_S:
            self._failure_logged_at = now
            log.warning("pattern store %s unavailable (%s); counts are kept in memory and retried",
                        self._store.engines.description, self._last_error)

    def _log_drop(self, lines: int) -> None:
        now = time.monotonic()
        if now - self._drop_logged_at >= RETRY_MAX_S:
            self._drop_logged_at = now
            log.warning("pattern store behind: %d lines dropped from the pattern counts (PATTERN_MAX_PENDING=%d); "
                        "see log_classifier_pattern_dropped_lines_total", lines, self.max_pending)

    # --- reporting ---

    def lag_s(self) -> float:
        oldest = self._oldest
        return 0.0 if oldest is None else max(0.0, self._clock() - oldest)

    def health(self) -> dict[str, Any]:
        with self._lock:
            pending = sum(item.lines for item in self._pending.values()) + self._writing_lines
        return {
            "status": "ok" if self._up else "down",
            "database": self._store.engines.description,
            "pending_lines": pending,
            "lag_s": round(self.lag_s(), 3),
            "last_error": None if self._up else self._last_error,
        }

    def stats(self) -> dict[str, Any]:
        return {
            "up": self._up,
            "patterns": self.patterns,
            "new_patterns": dict(self.new_patterns),
            "write_errors": self.write_errors,
            "dropped_lines": self.dropped_lines,
            "unreadable_times": self.unreadable_times,
            "written_lines": self.written_lines,
            "lag_s": self.lag_s(),
        }

    def require_store(self) -> PatternStore:
        return self._store


def open_recorder(
    location: str, *, flush_s: float = 1.0, max_pending: int = 200_000, retention: Retention | None = None,
    on_new: NewPatternsFn | None = None,
) -> PatternRecorder | NullRecorder:
    """The recorder for a PATTERN_STORE value, started; a NullRecorder for `off`."""
    if location.strip().lower() == "off":
        return NullRecorder()
    recorder = PatternRecorder(PatternStore(make_engines(location), retention), flush_s=flush_s,
                               max_pending=max_pending, on_new=on_new)
    recorder.start()
    return recorder


def recorder_for(settings: Settings, on_new: NewPatternsFn | None = None) -> PatternRecorder | NullRecorder:
    """`open_recorder` with PATTERN_STORE, PATTERN_FLUSH_S, PATTERN_MAX_PENDING and the retention settings."""
    return open_recorder(
        settings.pattern_store, flush_s=settings.pattern_flush_s, max_pending=settings.pattern_max_pending,
        retention=Retention(settings.pattern_minute_retention_h, settings.pattern_retention_days), on_new=on_new,
    )
