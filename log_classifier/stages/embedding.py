"""The embedding stage: sentence embeddings + logistic regression, trusted above a threshold.

One encoder serves every request, one unit of `ENCODE_UNIT` texts at a time, taken in turn
(`FairLock`): a one-line request that arrives while another client's upload of thousands of new
shapes is being embedded waits for at most one unit, not for the whole upload.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Sequence
from typing import Any

import numpy as np

from log_classifier.contract import LogRecord, Prediction, Stage
from log_classifier.model.embedders import Embedder

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
    """Labels a record when the classifier's top probability reaches `threshold`; else passes it on."""

    name: Stage = "bert"

    def __init__(self, embedder: Embedder, classifier: Any, *, threshold: float, version: str) -> None:
        self.embedder = embedder
        self.classifier = classifier
        self.threshold = threshold
        self.version = version
        self.labels = [str(label) for label in classifier.classes_]
        # One model shared by concurrent requests: one encode at a time also keeps 2 cores busy, not 4.
        self._turns = FairLock()

    def classify_batch(self, records: Sequence[LogRecord]) -> list[Prediction | None]:
        if not records:
            return []
        # Each distinct text is embedded once; one predict_proba for the whole batch.
        texts = list(dict.fromkeys(record.message for record in records))
        probabilities = self.predict_proba(texts)
        by_text: dict[str, Prediction | None] = {}
        for text, row in zip(texts, probabilities):
            best = int(np.argmax(row))
            confidence = float(row[best])
            by_text[text] = (
                Prediction(self.labels[best], "bert", round(confidence, 4), f"model:{self.version}")
                if confidence >= self.threshold
                else None
            )
        return [by_text[record.message] for record in records]

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities per text, columns in the order of `labels`."""
        # In slices, so a chunk with tens of thousands of new shapes never holds all their features at once.
        parts = []
        for start in range(0, len(texts), PREDICT_SLICE):
            piece = texts[start : start + PREDICT_SLICE]
            parts.append(self.classifier.predict_proba(piece, self._encode(piece)))
        return np.vstack(parts) if parts else np.zeros((0, len(self.labels)))

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of `texts`, one turn of the encoder per `ENCODE_UNIT` texts."""
        vectors = []
        for start in range(0, len(texts), ENCODE_UNIT):
            with self._turns:
                vectors.append(self.embedder.encode(texts[start : start + ENCODE_UNIT]))
        return np.vstack(vectors)
