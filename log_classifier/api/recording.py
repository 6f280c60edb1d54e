"""`classify_and_record`: classify a batch from a feed and record it like every feed is recorded.

`POST /ingest`, `POST /v1/logs` (OTLP) and the syslog receiver all go through here, so a line counts
the same in `/metrics` and the alerts (and whatever else observes classified feeds) whichever way it
arrived.
"""

from __future__ import annotations

from collections.abc import Sequence

from log_classifier.alerts import Alerter
from log_classifier.api.metrics import Metrics
from log_classifier.cascade import EMPTY_MESSAGE, LoadedClassifier
from log_classifier.contract import Prediction


def classify_and_record(
    classifier: LoadedClassifier,
    metrics: Metrics,
    alerter: Alerter,
    sources: Sequence[str],
    messages: Sequence[str | None],
    *,
    no_message: Prediction = EMPTY_MESSAGE,
) -> list[Prediction]:
    """One prediction per row, in order; rows whose message is None get `no_message` (not classified).

    Every row, with or without a message, is counted in the metrics and shown to the alerter.
    CPU work: call it off the event loop.
    """
    present = [i for i, message in enumerate(messages) if message is not None]
    decided = classifier.cascade.classify([sources[i] for i in present], [messages[i] or "" for i in present])
    predictions = [no_message] * len(messages)
    for i, prediction in zip(present, decided):
        predictions[i] = prediction
    metrics.observe_predictions(predictions)
    alerter.observe(sources, [message or "" for message in messages], predictions)
    return predictions
