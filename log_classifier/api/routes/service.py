"""`GET /health` and `GET /metrics`.

Both `async def` and non-blocking (they read counters): they answer on the event loop, never
waiting for a thread-pool slot, so probes stay fast while CSV uploads fill the pool.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST

from log_classifier.api.dependencies import AppMetrics, AppPatterns, Classifier

router = APIRouter(tags=["service"])


@router.get(
    "/health",
    summary="Liveness and what is loaded",
    description="`status`: \"ok\", or \"degraded\" when the LLM stage is on but every configured model is "
    "retired or unknown (rows for it come back Unclassified; still HTTP 200: the service answers). The embedding "
    "model (version, encoder, labels, thresholds, `fast_path`: on or off, its threshold, new shapes answered by it "
    "and embedded by the encoder), the result cache, and the LLM "
    "stage: `provider`, `enabled` and `reason` (\"ok\", or why not, e.g. every configured model retired), "
    "the `model` in use (null when none is left), the configured `models`, `dead_models` (name → the "
    "provider's error) and the circuit breaker. `pattern_store`: `status` ok, off or down (down makes the "
    "service `degraded`: lines are still classified, their counts wait in memory), the database, lines waiting "
    "to be written and their lag. `corrections`: `status` ok, off or down (the last poll of the store failed: the "
    "corrections known stay in force), corrected patterns, the store's corrections `version` loaded, "
    "`similarity` (CORRECTION_SIMILARITY or off) and `sync_s`.",
)
async def health(classifier: Classifier, patterns: AppPatterns) -> dict[str, Any]:
    answer = classifier.health()
    store = patterns.health()
    answer["pattern_store"] = store
    if store["status"] == "down":
        answer["status"] = "degraded"
    return answer


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    description="Rows classified by stage and category, request latency per endpoint, LLM outcomes, "
    "LLM model fallbacks and models available, whether the LLM circuit is open, result-cache hits/misses, "
    "alert webhooks sent and given up, corrected patterns by category and the corrections version, "
    "and the pattern store (patterns, new patterns by category, write "
    "errors, lag, dropped lines, unreadable timestamps), in the Prometheus text format. Alerting rules and a Grafana "
    "dashboard over these: `resources/prometheus/`, `resources/grafana/`.",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}}}},
)
async def prometheus_metrics(metrics: AppMetrics) -> Response:
    return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
