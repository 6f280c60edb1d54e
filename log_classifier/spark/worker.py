"""The Python-worker side of the Spark job: the ``mapInPandas`` function that classifies Arrow batches.

Each worker process loads the cascade once (a lazy per-process singleton built by ``load_classifier``
from the driver's ``Settings``) and keeps it, with its LRU result cache, for every batch and task it
runs after that. Masking, per-batch dedup and the stages are the service's own: the same rows get
the same labels. Executors never call the LLM: its stage is the disabled one, or ``DeferredLlm``,
which leaves the rows' pattern keys for the driver (``driver_llm``).

The functions here are pickled by reference (``log_classifier.spark.worker.*``): the workers import
this module from the ``log_classifier`` they are given.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from log_classifier.cache import ResultCache
from log_classifier.cascade import Cascade, LoadedClassifier, load_classifier
from log_classifier.config import Settings
from log_classifier.contract import LogRecord, Prediction, Stage
from log_classifier.formats.writer import prediction_values
from log_classifier.spark.plan import (
    PATTERN_BUCKET,
    PATTERN_COLUMNS,
    PATTERN_TIME,
    PENDING_KEY,
    PENDING_SOURCE,
    PENDING_TEXT,
    JobPlan,
    PatternPlan,
)
from log_classifier.taxonomy import UNCLASSIFIED
from log_classifier.text.pattern_key import PatternKey, pattern_id
from log_classifier.text.prepare import classification_text

if TYPE_CHECKING:  # pandas is imported when a job runs, not with this module
    import pandas as pd

log = logging.getLogger(__name__)

DEFERRED = Prediction(UNCLASSIFIED, "none", 0.0, "llm deferred to the Spark driver", "llm_deferred")
"""What the executors' stand-in LLM stage answers; transient, so no worker cache keeps it."""


class DeferredLlm:
    """The LLM stage on an executor: answers ``DEFERRED``; the rows' pattern keys go to the driver.

    Transient answers are not cached, so every batch shows this stage each of its pending keys.
    """

    name: Stage = "llm"

    def classify_batch(self, records: Sequence[LogRecord]) -> list[Prediction]:
        return [DEFERRED] * len(records)


_WORKER_LOCK = threading.Lock()
_WORKER_LOADED: dict[str, LoadedClassifier] = {}
_WORKER_CASCADES: dict[tuple[str, bool], tuple[Cascade, DeferredLlm | None]] = {}


def worker_cascade(settings_json: str, defer_llm: bool) -> tuple[Cascade, DeferredLlm | None]:
    """This process's cascade for these settings, loaded on first use and kept (with its cache)."""
    with _WORKER_LOCK:
        found = _WORKER_CASCADES.get((settings_json, defer_llm))
        if found is None:
            loaded = _WORKER_LOADED.get(settings_json)
            if loaded is None:
                # No API key in these settings: the LLM stage is the disabled one; nothing leaves the worker.
                loaded = load_classifier(Settings.model_validate_json(settings_json))
                _WORKER_LOADED[settings_json] = loaded
                log.info("python worker %d loaded the cascade", os.getpid())
            found = _with_deferred_llm(loaded.cascade) if defer_llm else (loaded.cascade, None)
            _WORKER_CASCADES[(settings_json, defer_llm)] = found
        return found


def _with_deferred_llm(full: Cascade) -> tuple[Cascade, DeferredLlm]:
    """The same stages and routes, with the LLM stage replaced by ``DeferredLlm`` (own cache: the
    full cascade caches the disabled LLM's answers, which must not stand in for deferring)."""
    deferred = DeferredLlm()
    stages = [deferred if stage.name == "llm" else stage for stage in full.stages]
    cascade = Cascade(stages, routes=full.routes, cache=ResultCache(full.cache.max_size),
                      max_message_chars=full.max_message_chars)
    return cascade, deferred


def classify_batches(batches: Iterable[pd.DataFrame], plan: JobPlan, rows: Any = None) -> Iterator[pd.DataFrame]:
    """The ``mapInPandas`` function: every batch back with the added columns filled in."""
    cascade, deferred = worker_cascade(plan.settings_json, plan.defer_llm)
    for frame in batches:
        yield classify_frame(frame, cascade, deferred, plan)
        if rows is not None:
            rows.add(len(frame))


def classify_frame(
    frame: pd.DataFrame, cascade: Cascade, deferred: DeferredLlm | None, plan: JobPlan
) -> pd.DataFrame:
    """One Arrow batch: labels (and explain columns, and the pending LLM keys) added to the frame."""
    sources = _texts(frame[plan.source_column])
    messages = _texts(frame[plan.message_column])
    predictions, keys, _ = cascade.classify_keyed(sources, messages)
    # The cascade fans one prediction object out to every row of its key: render each object once.
    rendered: dict[int, tuple[str, str, str, str]] = {}
    cells = [rendered.get(id(p)) or rendered.setdefault(id(p), prediction_values(p)) for p in predictions]
    out = frame  # this batch's own frame: columns are added (or replaced) in place
    for offset, name in enumerate(plan.added_columns):
        out[name] = [cell[offset] for cell in cells]
    if deferred is not None:
        # The pattern key the cascade grouped by (one definition: text.pattern_key), by its id.
        pending = [key if key is not None and prediction.outcome == "llm_deferred" else None
                   for key, prediction in zip(keys, predictions)]
        out[PENDING_SOURCE] = [key.source if key else None for key in pending]
        out[PENDING_KEY] = [pattern_id(key) if key else None for key in pending]
        out[PENDING_TEXT] = [classification_text(message, cascade.max_message_chars) if key else None
                             for key, message in zip(pending, messages)]
    if plan.patterns is not None:
        _add_pattern_columns(out, keys, plan.patterns)
    return out


def _add_pattern_columns(out: pd.DataFrame, keys: Sequence[PatternKey | None], plan: PatternPlan) -> None:
    """Each row's pattern (id, source, severity, masked message), its time and the bucket it counts in."""
    from log_classifier.patterns.store import HOUR, MINUTE
    from log_classifier.patterns.timestamps import line_time

    ids, sources, severities, masked = [], [], [], []
    for key in keys:
        ids.append(pattern_id(key) if key is not None else None)
        sources.append(key.source if key is not None else None)
        severities.append(key.severity if key is not None else None)
        masked.append(key.masked if key is not None else None)
    for name, values in zip(PATTERN_COLUMNS, (ids, sources, severities, masked)):
        out[name] = values
    if plan.timestamp_column is None:
        times = [plan.started] * len(keys)
    else:
        raw = out[plan.timestamp_column].tolist()
        times = [line_time(value if value == value else None, plan.started) or plan.started for value in raw]
    minute_from = plan.started - plan.minute_retention_h * HOUR
    # Per minute where the store keeps minutes, per hour before (older minute buckets would be pruned).
    out[PATTERN_TIME] = times
    out[PATTERN_BUCKET] = [int(at) - int(at) % (MINUTE if at >= minute_from else HOUR) for at in times]


def _texts(column: pd.Series) -> list[str]:
    # Nulls (None, or NaN in pandas' string dtype) are empty text, as an empty CSV cell is.
    return ["" if value is None or value != value else str(value) for value in column.tolist()]
