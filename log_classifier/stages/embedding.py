"""The embedding stage: sentence embeddings + logistic regression, trusted above a threshold.

One encoder serves every request, one unit of `ENCODE_UNIT` texts at a time, taken in turn
(`FairLock`): a one-line request that arrives while another client's upload of thousands of new
shapes is being embedded waits for at most one unit, not for the whole upload.

The threshold may differ per predicted label (chosen at training on held-out message shapes and
stored in the model metadata): below its label's threshold a row goes on rather than being
guessed. The header severity (`read_severity`, from the raw line: masking hides a Cisco digit or a
syslog PRI) is a feature of the model; a shape is classified once per severity.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from log_classifier.contract import LogRecord, Prediction, Stage
from log_classifier.model.embedders import Embedder
from log_classifier.text.severity import read_severity

PREDICT_SLICE = 2048
"""Texts whose features are held at once (memory follows this, not the number of new shapes)."""
ENCODE_UNIT = 64
"""Texts encoded in one turn of the encoder; about 0.1-0.2 s on two cores."""


class FairLock:
    """A mutex handed to waiters in arrival order (``threading.Lock`` is not fair: a thread that
    releases and re-acquires in a loop can keep it while others wait)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Event] = deque()

    def __enter__(self) -> None:
        with self._guard:
            if not self._held:
                self._held = True
                return
            turn = threading.Event()
            self._waiters.append(turn)
        turn.wait()  # release() hands the lock over: _held stays True

    def __exit__(self, *exc_info: object) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().set()
            else:
                self._held = False


class EmbeddingClassifier:
    """Labels a record when the classifier's top probability reaches the threshold of that label; else passes it on."""

    name: Stage = "bert"

    def __init__(
        self,
        embedder: Embedder,
        classifier: Any,
        *,
        threshold: float,
        version: str,
        thresholds: Mapping[str, float] | None = None,
    ) -> None:
        self.embedder = embedder
        self.classifier = classifier
        self.threshold = threshold
        self.thresholds = dict(thresholds or {})
        self.version = version
        self.labels = [str(label) for label in classifier.classes_]
        # One model shared by concurrent requests: one encode at a time also keeps 2 cores busy, not 4.
        self._turns = FairLock()

    def close(self) -> None:
        """Release the encoder's threads."""
        self.embedder.close()

    def threshold_for(self, label: str) -> float:
        """The confidence a prediction of `label` needs (the label's own, else the model's threshold)."""
        return self.thresholds.get(label, self.threshold)

    def classify_batch(self, records: Sequence[LogRecord]) -> list[Prediction | None]:
        if not records:
            return []
        # One prediction per distinct (text, header severity), one predict_proba for the whole batch;
        # each distinct text is embedded once.
        keys = [(record.message, read_severity(record.original or record.message)) for record in records]
        distinct = list(dict.fromkeys(keys))
        probabilities = self.predict_proba([text for text, _ in distinct], [severity for _, severity in distinct])
        by_key: dict[tuple[str, str], Prediction | None] = {}
        for key, row in zip(distinct, probabilities):
            best = int(np.argmax(row))
            label = self.labels[best]
            confidence = float(row[best])
            by_key[key] = (
                Prediction(label, "bert", round(confidence, 4), f"model:{self.version}")
                if confidence >= self.threshold_for(label)
                else None
            )
        return [by_key[key] for key in keys]

    def predict_proba(self, texts: Sequence[str], severities: Sequence[str] | None = None) -> np.ndarray:
        """Class probabilities per (masked) text, columns in the order of `labels`.

        `severities`: the header severity of each text's raw line (`read_severity`); none by default.
        """
        # In slices, so a chunk with tens of thousands of new shapes never holds all their features at once.
        parts = []
        for start in range(0, len(texts), PREDICT_SLICE):
            piece = list(texts[start : start + PREDICT_SLICE])
            position = {text: index for index, text in enumerate(dict.fromkeys(piece))}
            encoded = self._encode(list(position))
            vectors = encoded[[position[text] for text in piece]] if len(position) < len(piece) else encoded
            piece_severities = None if severities is None else list(severities[start : start + PREDICT_SLICE])
            parts.append(self.classifier.predict_proba(piece, vectors, piece_severities))
        return np.vstack(parts) if parts else np.zeros((0, len(self.labels)))

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of `texts`, one turn of the encoder per `ENCODE_UNIT` texts."""
        vectors = []
        for start in range(0, len(texts), ENCODE_UNIT):
            with self._turns:
                vectors.append(self.embedder.encode(texts[start : start + ENCODE_UNIT]))
        return np.vstack(vectors)
