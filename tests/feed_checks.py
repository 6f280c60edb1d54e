"""What a feed's lines must come to: the rows `/metrics` counts, and the labels `/classify/json` gives."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

# A mixed set: several categories and stages, one line with non-ASCII text.
MIXED_LINES = (
    "Kernel panic - not syncing: Fatal exception in interrupt",
    "Failed password for invalid user oracle from 203.0.113.9 port 40522 ssh2",
    "Nightly backup of volume vol-19 completed successfully",
    "User u_5531 signed out",
    "GET /api/v1/orders HTTP/1.1 status: 503 len: 211 time: 0.43",
    "Disk usage on /var reached 93% on node-7",
    "Function 'process_payment' is deprecated and will be removed in v3.0 — 日志",
)


HttpClient = Any
"""A TestClient or an httpx.Client with the server's base URL."""


def rows_classified(client: HttpClient) -> Counter[tuple[str, str]]:
    """`log_classifier_rows_classified_total` by (stage, category)."""
    counts: Counter[tuple[str, str]] = Counter()
    for family in text_string_to_metric_families(client.get("/metrics").text):
        if family.name == "log_classifier_rows_classified":
            for sample in family.samples:
                if sample.name.endswith("_total"):
                    counts[(sample.labels["stage"], sample.labels["category"])] += int(sample.value)
    return counts


def labels_from_classify_json(client: HttpClient, sources: Sequence[str], messages: Sequence[str]) -> list[tuple[str, str]]:
    """(stage, category) per line, as `POST /classify/json` answers the same lines."""
    logs = [{"source": source, "log_message": message} for source, message in zip(sources, messages)]
    results = client.post("/classify/json", json={"logs": logs}).json()["results"]
    return [(result["classified_by"], result["target_label"]) for result in results]


def counted_since(client: HttpClient, before: Counter[tuple[str, str]]) -> Counter[tuple[str, str]]:
    after = rows_classified(client)
    return Counter({key: after[key] - before[key] for key in after if after[key] != before[key]})
