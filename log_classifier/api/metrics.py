"""Prometheus metrics for one app: `GET /metrics` in the text exposition format.

Each app gets its own ``CollectorRegistry`` (never the process-global one), so several apps in one
process (tests) do not clash. What is counted:

- rows classified, by stage and category (every endpoint that classifies);
- request latency per endpoint (the route template, never the raw path: bounded label values);
- LLM outcomes, from each prediction's ``outcome`` field: decided by the "llm" stage = answered;
  ``llm_error`` / ``llm_budget`` / ``llm_circuit`` / ``llm_invalid_answer`` / ``llm_models_dead`` /
  ``llm_shutdown`` = failed (the row came back Unclassified). Rows are counted, not HTTP calls: a row
  the cache answered with an earlier LLM answer counts as answered;
- result-cache hits and misses, read from the cascade's cache at scrape time;
- new shapes the embedding stage handled by path (fast path / contextual encoder), read at scrape time;
- LLM model fallbacks (a batch sent again to the next model because one was retired) and the
  models still available, read from the LLM stage at scrape time;
- whether the LLM circuit breaker is open (read at scrape time);
- alert webhooks delivered and given up (log_classifier.alerts);
- the syslog receiver's messages, drops, cut-off clients and connections (read at scrape time);
- the pattern store (log_classifier.patterns), read from its recorder at scrape time: patterns stored, new
  patterns by category, write errors, write lag, whether it is up, lines written, lines dropped and lines
  whose own timestamp could not be read.

Every (stage, category) series of rows_classified, and every kind of llm_failed_rows, exists from
start-up at 0, so that Prometheus' increase()/rate() (resources/prometheus/alerts.yml) see the first
rows too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import Scope

from log_classifier.contract import STAGES, Outcome, Prediction
from log_classifier.taxonomy import CATEGORIES, UNCLASSIFIED

if TYPE_CHECKING:
    from log_classifier.receivers.syslog_server import SyslogReceiver

NAMESPACE = "log_classifier"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
UNMATCHED_ENDPOINT = "unmatched"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
LLM_FAILURE_KINDS: dict[Outcome, str] = {
    "llm_error": "error",
    "llm_budget": "budget",
    "llm_circuit": "circuit",
    "llm_invalid_answer": "invalid_answer",
    "llm_models_dead": "models_dead",
    "llm_shutdown": "shutdown",
}
"""The ``kind`` label of ``llm_failed_rows`` for each failed LLM outcome."""


class Metrics:
    """The app's metrics and their registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.rows = Counter(
            "rows_classified", "Log rows classified, by the stage that decided and the category",
            ["stage", "category"], namespace=NAMESPACE, registry=self.registry,
        )
        self.latency = Histogram(
            "request_duration_seconds", "Time from request to the last byte of the response, per endpoint",
            ["method", "endpoint"], namespace=NAMESPACE, buckets=LATENCY_BUCKETS, registry=self.registry,
        )
        self.requests = Counter(
            "requests", "HTTP requests, per endpoint and status code",
            ["method", "endpoint", "status"], namespace=NAMESPACE, registry=self.registry,
        )
        self.llm_answered = Counter(
            "llm_answered_rows", "Rows whose answer came from the LLM stage (cached LLM answers included)",
            namespace=NAMESPACE, registry=self.registry,
        )
        self.llm_failed = Counter(
            "llm_failed_rows",
            "Rows the LLM stage could not answer: error, budget, circuit (open), invalid_answer, models_dead, shutdown",
            ["kind"], namespace=NAMESPACE, registry=self.registry,
        )
        self.alert_webhooks_sent = Counter(
            "alert_webhooks_sent", "Alert webhook posts the receiver accepted (2xx)",
            namespace=NAMESPACE, registry=self.registry,
        )
        self.alert_webhook_failures = Counter(
            "alert_webhook_failures", "Alert webhook posts given up after their retries (timeouts, refused, non-2xx)",
            namespace=NAMESPACE, registry=self.registry,
        )
        for stage in STAGES:
            for category in (*CATEGORIES, UNCLASSIFIED):
                self.rows.labels(stage=stage, category=category)
        for kind in LLM_FAILURE_KINDS.values():
            self.llm_failed.labels(kind=kind)

    def observe_predictions(self, predictions: Sequence[Prediction]) -> None:
        """Count a batch of predictions (by stage/category, and LLM outcomes)."""
        counts: dict[tuple[str, str], int] = {}
        answered = 0
        failed: dict[str, int] = {}
        for prediction in predictions:
            key = (prediction.stage, prediction.label)
            counts[key] = counts.get(key, 0) + 1
            if prediction.stage == "llm" and prediction.outcome == "decided":
                answered += 1
            elif (kind := LLM_FAILURE_KINDS.get(prediction.outcome)) is not None:
                failed[kind] = failed.get(kind, 0) + 1
        for (stage, category), count in counts.items():
            self.rows.labels(stage=stage, category=category).inc(count)
        if answered:
            self.llm_answered.inc(answered)
        for kind, count in failed.items():
            self.llm_failed.labels(kind=kind).inc(count)

    def observe_request(self, scope: Scope, status: int, seconds: float) -> None:
        """Count a finished HTTP request and its latency (`api.middleware.RequestTimingMiddleware` calls it)."""
        endpoint = _endpoint(scope)
        method = _method(scope)
        self.latency.labels(method=method, endpoint=endpoint).observe(seconds)
        self.requests.labels(method=method, endpoint=endpoint, status=str(status)).inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class CacheCollector(Collector):
    """Reads the cascade's result-cache counters at scrape time (nothing before the model is loaded)."""

    def __init__(self, cache_stats: Callable[[], dict[str, Any] | None]) -> None:
        self._cache_stats = cache_stats

    def collect(self) -> Iterable[CounterMetricFamily | GaugeMetricFamily]:
        stats = self._cache_stats()
        if stats is None:
            return
        yield CounterMetricFamily(f"{NAMESPACE}_cache_hits", "Message shapes answered from the result cache",
                                  value=stats["hits"])
        yield CounterMetricFamily(f"{NAMESPACE}_cache_misses", "Message shapes not in the result cache",
                                  value=stats["misses"])
        yield GaugeMetricFamily(f"{NAMESPACE}_cache_entries", "Message shapes held in the result cache",
                                value=stats["size"])
        yield GaugeMetricFamily(f"{NAMESPACE}_cache_bytes", "Approximate bytes held by the result cache",
                                value=stats["bytes"])


class EmbeddingWorkCollector(Collector):
    """Reads, at scrape time, how many new message shapes the embedding stage's fast path answered and
    how many texts its contextual encoder embedded (nothing before the model is loaded)."""

    def __init__(self, embedding_work: Callable[[], dict[str, int] | None]) -> None:
        self._embedding_work = embedding_work

    def collect(self) -> Iterable[CounterMetricFamily]:
        work = self._embedding_work()
        if work is None:
            return
        family = CounterMetricFamily(
            f"{NAMESPACE}_embedding_shapes",
            "New message shapes the embedding stage handled, by path: fast (static vectors, confident) or encoder",
            labels=["path"],
        )
        for path in ("fast", "encoder"):
            family.add_metric([path], work[path])
        yield family


class LlmModelCollector(Collector):
    """Reads the LLM stage's model chain at scrape time (nothing before the model is loaded)."""

    def __init__(self, llm_status: Callable[[], dict[str, Any] | None]) -> None:
        self._llm_status = llm_status

    def collect(self) -> Iterable[CounterMetricFamily | GaugeMetricFamily]:
        status = self._llm_status()
        if status is None or not status["enabled"]:
            return
        yield CounterMetricFamily(
            f"{NAMESPACE}_llm_model_fallbacks",
            "LLM batches sent again to the next configured model because the model asked is retired or unknown",
            value=status["fallbacks"],
        )
        yield GaugeMetricFamily(
            f"{NAMESPACE}_llm_models_available",
            "Configured LLM models not found retired or unknown (0: every LLM-routed row is Unclassified)",
            value=len(status["models"]) - len(status["dead_models"]),
        )


class LlmCircuitCollector(Collector):
    """Reads the LLM stage's circuit breaker at scrape time (nothing before the model is loaded; 0 when
    the stage is off)."""

    def __init__(self, llm_status: Callable[[], dict[str, Any] | None]) -> None:
        self._llm_status = llm_status

    def collect(self) -> Iterable[GaugeMetricFamily]:
        status = self._llm_status()
        if status is None:
            return
        state = status.get("circuit", {}).get("state", "closed")
        yield GaugeMetricFamily(
            f"{NAMESPACE}_llm_circuit_open",
            "1 while the LLM circuit breaker is open or waiting for its probe call, 0 when closed",
            value=0 if state == "closed" else 1,
        )


class PatternStoreCollector(Collector):
    """Reads the pattern store's recorder at scrape time (nothing when PATTERN_STORE=off)."""

    def __init__(self, store_stats: Callable[[], dict[str, Any] | None]) -> None:
        self._store_stats = store_stats

    def collect(self) -> Iterable[CounterMetricFamily | GaugeMetricFamily]:
        stats = self._store_stats()
        if not stats:
            return
        yield GaugeMetricFamily(f"{NAMESPACE}_patterns", "Patterns in the pattern store (all processes)",
                                value=stats["patterns"])
        new = CounterMetricFamily(f"{NAMESPACE}_new_patterns",
                                  "Patterns seen for the first time ever, written by this process, by category",
                                  labels=["category"])
        for category in (*CATEGORIES, UNCLASSIFIED):
            new.add_metric([category], stats["new_patterns"].get(category, 0))
        yield new
        yield CounterMetricFamily(f"{NAMESPACE}_pattern_store_write_errors",
                                  "Failed pattern store writes (and connection attempts); the counts are retried",
                                  value=stats["write_errors"])
        yield GaugeMetricFamily(f"{NAMESPACE}_pattern_store_lag_seconds",
                                "Age of the oldest counted line not yet written to the pattern store",
                                value=stats["lag_s"])
        yield GaugeMetricFamily(f"{NAMESPACE}_pattern_store_up", "1 when the last pattern store write succeeded",
                                value=1 if stats["up"] else 0)
        yield CounterMetricFamily(f"{NAMESPACE}_pattern_lines_written", "Lines counted into the pattern store",
                                  value=stats["written_lines"])
        yield CounterMetricFamily(f"{NAMESPACE}_pattern_dropped_lines",
                                  "Lines not counted: the store was unreachable for longer than PATTERN_MAX_PENDING allows",
                                  value=stats["dropped_lines"])
        yield CounterMetricFamily(f"{NAMESPACE}_unreadable_timestamps",
                                  "Lines whose own timestamp could not be read (counted at their arrival time)",
                                  value=stats["unreadable_times"])


class CorrectionsCollector(Collector):
    """Reads the corrections this process knows at scrape time (rows they answered are in rows_classified,
    stage="feedback" and stage="similar")."""

    def __init__(self, book: Callable[[], Any]) -> None:
        self._book = book

    def collect(self) -> Iterable[CounterMetricFamily | GaugeMetricFamily]:
        book = self._book()
        if book is None or book.store is None:
            return
        by_label = book.counts_by_label()
        corrected = GaugeMetricFamily(f"{NAMESPACE}_corrected_patterns",
                                      "Patterns a person labelled (all processes, as of the last sync), by the "
                                      "person's category", labels=["category"])
        for category in CATEGORIES:
            corrected.add_metric([category], by_label.get(category, 0))
        yield corrected
        yield GaugeMetricFamily(f"{NAMESPACE}_corrections_version",
                                "The store's corrections version this process has loaded", value=book.version)
        yield GaugeMetricFamily(f"{NAMESPACE}_corrections_sync_up",
                                "1 when the last poll of the store's corrections succeeded", value=1 if book.up else 0)


class SyslogCollector(Collector):
    """The receiver's counters in /metrics, read at scrape time (nothing while it does not listen)."""

    def __init__(self, receiver: Callable[[], SyslogReceiver | None]) -> None:
        self._receiver = receiver

    def collect(self) -> Iterable[CounterMetricFamily | GaugeMetricFamily]:
        receiver = self._receiver()
        if receiver is None or not receiver.listening:
            return
        received = CounterMetricFamily(f"{NAMESPACE}_syslog_messages", "Syslog messages received, by transport",
                                       labels=["transport"])
        for transport, count in receiver.received.items():
            received.add_metric([transport], count)
        yield received
        yield CounterMetricFamily(f"{NAMESPACE}_syslog_dropped", "UDP syslog messages dropped: the queue was full",
                                  value=receiver.dropped)
        yield CounterMetricFamily(f"{NAMESPACE}_syslog_cut_off", "TCP syslog clients cut off for a line longer "
                                  "than SYSLOG_MAX_FRAME_BYTES", value=receiver.cut_off)
        yield CounterMetricFamily(f"{NAMESPACE}_syslog_refused_connections", "TCP syslog connections closed at "
                                  "once because SYSLOG_MAX_CONNECTIONS were open", value=receiver.refused)
        yield GaugeMetricFamily(f"{NAMESPACE}_syslog_connections", "Open TCP syslog connections",
                                value=receiver.connections)


def _method(scope: Scope) -> str:
    # The client chooses the method: anything but the usual ones is one bounded label value.
    method = str(scope.get("method", ""))
    return method if method in KNOWN_METHODS else "other"


def _endpoint(scope: Scope) -> str:
    # The router writes the matched route into the (shared) scope; its template bounds the label values.
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str) and path:
        return path
    # A mounted app (the static files) leaves no route, but the mount sets its prefix as root_path.
    mounted = scope.get("root_path")
    return mounted if isinstance(mounted, str) and mounted else UNMATCHED_ENDPOINT


def install_metrics(app: FastAPI) -> Metrics:
    """Create the app's metrics (`app.py` has `RequestTimingMiddleware` tell `observe_request` of every request;
    `GET /metrics` is in `routes/service.py`)."""
    metrics = Metrics()
    metrics.registry.register(CacheCollector(lambda: _cache_stats(app)))
    metrics.registry.register(EmbeddingWorkCollector(lambda: _embedding_work(app)))
    metrics.registry.register(LlmModelCollector(lambda: _llm_status(app)))
    metrics.registry.register(LlmCircuitCollector(lambda: _llm_status(app)))
    metrics.registry.register(PatternStoreCollector(lambda: _store_stats(app)))
    metrics.registry.register(CorrectionsCollector(lambda: _corrections(app)))
    metrics.registry.register(SyslogCollector(lambda: getattr(app.state, "syslog", None)))
    app.state.metrics = metrics
    return metrics


def _cache_stats(app: FastAPI) -> dict[str, Any] | None:
    classifier = getattr(app.state, "classifier", None)
    return None if classifier is None else classifier.cascade.cache.stats()


def _embedding_work(app: FastAPI) -> dict[str, int] | None:
    classifier = getattr(app.state, "classifier", None)
    return None if classifier is None else classifier.embedding.work()


def _store_stats(app: FastAPI) -> dict[str, Any] | None:
    patterns = getattr(app.state, "patterns", None)
    return None if patterns is None else patterns.stats()


def _corrections(app: FastAPI) -> Any:
    classifier = getattr(app.state, "classifier", None)
    return None if classifier is None else classifier.corrections


def _llm_status(app: FastAPI) -> dict[str, Any] | None:
    classifier = getattr(app.state, "classifier", None)
    return None if classifier is None else classifier.llm.status()
