"""Real clients deliver logs to a real server: the OpenTelemetry Python SDK's OTLP/HTTP exporter,
Debian's syslog-ng (syslog over TCP, and its http() destination posting JSON batches to /ingest) and
Debian's rsyslog (TCP octet-counted, UDP). Every line is classified and counted in /metrics with
the labels /classify/json gives the same line."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from feed_checks import MIXED_LINES, counted_since, labels_from_classify_json, rows_classified
from helpers import make_settings
from live_server import serve

from log_classifier.api.app import create_app

pytestmark = pytest.mark.slow  # real servers and daemons

DELIVERY_TIMEOUT_S = 30.0


@dataclass
class Live:
    client: httpx.Client
    url: str


@pytest.fixture(scope="module")
def live() -> Iterator[Live]:
    with serve(create_app(make_settings())) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield Live(client, url)


def wait_for_rows(client: httpx.Client, before: Counter[tuple[str, str]], rows: int) -> Counter[tuple[str, str]]:
    """The rows counted since `before`, once `rows` of them have arrived (or the timeout passed)."""
    deadline = time.monotonic() + DELIVERY_TIMEOUT_S
    while True:
        counted = counted_since(client, before)
        if sum(counted.values()) >= rows or time.monotonic() > deadline:
            return counted
        time.sleep(0.2)


# --- OpenTelemetry Python SDK -----------------------------------------------------------------------

@pytest.mark.parametrize("compression", ["none", "gzip"])
def test_the_opentelemetry_sdk_exports_logs_over_otlp_http(live: Live, compression: str) -> None:
    from opentelemetry._logs import SeverityNumber
    from opentelemetry.exporter.otlp.proto.http import Compression
    from opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter
    from opentelemetry.sdk._logs import LoggerProvider
    from opentelemetry.sdk._logs.export import BatchLogRecordProcessor
    from opentelemetry.sdk.resources import Resource

    provider = LoggerProvider(resource=Resource.create({"service.name": "checkout", "host.name": "web-1"}))
    exporter = OTLPLogExporter(endpoint=f"{live.url}/v1/logs", timeout=10,
                               compression=Compression.Gzip if compression == "gzip" else Compression.NoCompression)
    provider.add_log_record_processor(BatchLogRecordProcessor(exporter))
    logger = provider.get_logger("checkout.payments")
    before = rows_classified(live.client)
    try:
        for line in MIXED_LINES:
            logger.emit(timestamp=time.time_ns(), severity_number=SeverityNumber.WARN, severity_text="WARN", body=line)
        assert provider.force_flush(10_000)
    finally:
        provider.shutdown()
    counted = wait_for_rows(live.client, before, len(MIXED_LINES))
    assert counted == Counter(labels_from_classify_json(live.client, ["checkout"] * len(MIXED_LINES), MIXED_LINES))
