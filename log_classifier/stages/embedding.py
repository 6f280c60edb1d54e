"""The embedding stage: sentence embeddings + logistic regression, trusted above a threshold."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from log_classifier.contract import LogRecord, Prediction, Stage
from log_classifier.model.embedders import Embedder

PREDICT_SLICE = 2048


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
        self._lock = threading.Lock()

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
        with self._lock:
            for start in range(0, len(texts), PREDICT_SLICE):
                piece = texts[start : start + PREDICT_SLICE]
                parts.append(self.classifier.predict_proba(piece, self.embedder.encode(piece)))
        return np.vstack(parts) if parts else np.zeros((0, len(self.labels)))
