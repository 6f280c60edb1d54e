"""``--pattern-store``: the rows' pattern counts aggregated by Spark (per minute within
PATTERN_MINUTE_RETENTION_H, per hour before) and added to the service's pattern store by the driver,
after the answer is written, so that a backfill shows in ``GET /patterns``."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from log_classifier.config import Settings
from log_classifier.contract import Prediction
from log_classifier.spark.plan import PATTERN_BUCKET, PATTERN_COLUMNS, PATTERN_TIME
from log_classifier.text.pattern_key import PatternKey

if TYPE_CHECKING:  # pyspark is imported when a job runs, not with this module
    from pyspark.sql import DataFrame

log = logging.getLogger(__name__)

PATTERN_WRITE_ROWS = 5000
"""(pattern, bucket) counts per store transaction when the driver writes them."""


def write_pattern_counts(
    classified: DataFrame, location: str, settings: Settings, added: Sequence[str], message_column: str
) -> int:
    """Aggregate the rows per (pattern, bucket) with Spark and add them to the pattern store from the
    driver, in transactions of PATTERN_WRITE_ROWS counts. Returns the lines counted."""
    from pyspark.sql import functions as F

    from log_classifier.patterns.database import make_engines
    from log_classifier.patterns.store import PatternCounts, PatternStore, Retention
    from log_classifier.text.redaction import redact

    label, stage, confidence, reason = added[:4]
    grouped = (
        classified.where(F.col(PATTERN_COLUMNS[0]).isNotNull())
        .groupBy(*PATTERN_COLUMNS, PATTERN_BUCKET)
        .agg(F.count(F.lit(1)).alias("lines"), F.min(PATTERN_TIME).alias("first"), F.max(PATTERN_TIME).alias("last"),
             F.max(F.struct(PATTERN_TIME, label, stage, confidence, reason, message_column)).alias("latest"))
    )
    engines = make_engines(location)
    store = PatternStore(engines, Retention(settings.pattern_minute_retention_h, settings.pattern_retention_days))
    batch: dict[str, PatternCounts] = {}
    entries = lines = 0
    try:
        for row in grouped.toLocalIterator():
            pid = row[PATTERN_COLUMNS[0]]
            latest = row["latest"]
            item = batch.get(pid)
            if item is None:
                key = PatternKey(row[PATTERN_COLUMNS[1]], row[PATTERN_COLUMNS[2]], row[PATTERN_COLUMNS[3]])
                prediction = Prediction(latest[label], latest[stage], float(latest[confidence]), latest[reason])
                item = batch[pid] = PatternCounts(pid, key, prediction, redact(str(latest[message_column]))[:1000],
                                                  row["first"], row["last"])
            item.first_seen, item.last_seen = min(item.first_seen, row["first"]), max(item.last_seen, row["last"])
            item.minutes[row[PATTERN_BUCKET]] = row["lines"]
            entries += 1
            lines += row["lines"]
            if entries >= PATTERN_WRITE_ROWS:
                store.write(list(batch.values()))
                batch, entries = {}, 0
        store.write(list(batch.values()))
    finally:
        engines.dispose()
    log.info("counted %d lines into the pattern store %s", lines, engines.description)
    return lines
