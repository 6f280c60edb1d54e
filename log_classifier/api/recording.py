"""`classify_and_record`: classify a batch from a feed and record it like every feed is recorded.

`POST /ingest`, `POST /v1/logs` (OTLP) and the syslog receiver all go through here, so a line counts
the same in `/metrics`, the alerts and the pattern store whichever way it arrived.
"""

from __future__ import annotations

from collections.abc import Sequence

from log_classifier.alerts import Alerter
from log_classifier.api.metrics import Metrics
from log_classifier.cascade import EMPTY_MESSAGE, LoadedClassifier
from log_classifier.contract import Prediction
from log_classifier.patterns.recorder import Recorder
from log_classifier.text.pattern_key import PatternKey


def classify_and_record(
    classifier: LoadedClassifier,
    metrics: Metrics,
    alerter: Alerter,
    patterns: Recorder,
    sources: Sequence[str],
    messages: Sequence[str | None],
    *,
    times: Sequence[object] | None = None,
    no_message: Prediction = EMPTY_MESSAGE,
) -> tuple[list[Prediction], list[PatternKey | None]]:
    """One prediction and pattern key per row, in order; rows whose message is None get `no_message`
    (not classified, no pattern).

    Every row, with or without a message, is counted in the metrics and shown to the alerter; rows with a
    pattern are counted in the pattern store at their own time (`times`: each row's time as the line stated
    it, for `patterns.timestamps.line_time`; None or an unreadable one: the arrival time).
    CPU work: call it off the event loop.
    """
    present = [i for i, message in enumerate(messages) if message is not None]
    decided, decided_keys, _ = classifier.cascade.classify_keyed(
        [sources[i] for i in present], [messages[i] or "" for i in present]
    )
    predictions = [no_message] * len(messages)
    keys: list[PatternKey | None] = [None] * len(messages)
    for i, prediction, key in zip(present, decided, decided_keys):
        predictions[i] = prediction
        keys[i] = key
    texts = [message or "" for message in messages]
    metrics.observe_predictions(predictions)
    alerter.observe(sources, texts, predictions)
    patterns.record(keys, predictions, times, texts)
    return predictions, keys
