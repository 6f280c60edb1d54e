"""The embedding stage: sentence embeddings + logistic regression, trusted above a threshold.

One encoder serves every request, one unit of `ENCODE_UNIT` texts at a time, taken in turn
(`FairLock`): a one-line request that arrives while another client's upload of thousands of new
shapes is being embedded waits for at most one unit, not for the whole upload.

The fast path: where a second classifier, over static vectors distilled from the same MiniLM
(`StaticEmbedder`, a lookup and a mean, no model run), is at least `fast.threshold` confident, its
answer is taken and the contextual encoder (far dearer; costs in docs/performance.md) is not run.
Training chose that threshold on unseen shapes as the lowest at which the fast path changes at most
1 % of the full model's answers and costs no accuracy (`training.train`); the contextual encoder
embeds the rest.

The threshold may differ per predicted label (chosen at training on held-out message shapes and
stored in the model metadata): below its label's threshold a row goes on rather than being
guessed. The header severity (`read_severity`, from the unmasked prepared line a record carries as
`original`: masking hides a Cisco digit or a syslog PRI; a structured record's fields state it as
`level=<bucket>`) is a feature of the model; a shape is classified once per severity.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from log_classifier.cancellation import raise_if_cancelled
from log_classifier.contract import EMBEDDING_STAGE, LogRecord, Prediction, Stage
from log_classifier.model.embedders import Embedder
from log_classifier.stages.encoder_queue import EncoderQueue
from log_classifier.text.severity import read_severity

PREDICT_SLICE = 2048
"""Texts whose features are held at once (memory follows this, not the number of new shapes)."""
ENCODE_UNIT = 64
"""Texts encoded in one turn of the encoder (a fraction of a second; docs/performance.md)."""
KEPT_VECTORS = 20_000
"""Most vectors kept between the similarity stage and this one (a few MB; each is taken once)."""


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


@dataclass(frozen=True)
class FastPath:
    """Static vectors and a classifier over them, trusted at or above `threshold`."""

    embedder: Embedder
    classifier: Any
    threshold: float


class EmbeddingClassifier:
    """Labels a record when the classifier's top probability reaches the threshold of that label; else passes it on."""

    name: Stage = EMBEDDING_STAGE

    def __init__(
        self,
        embedder: Embedder,
        classifier: Any,
        *,
        threshold: float,
        version: str,
        thresholds: Mapping[str, float] | None = None,
        fast: FastPath | None = None,
    ) -> None:
        self.embedder = embedder
        self.fast = fast
        self.classifier = classifier
        self.threshold = threshold
        self.thresholds = dict(thresholds or {})
        self.version = version
        self.labels = [str(label) for label in classifier.classes_]
        # One model shared by concurrent requests: one encode at a time also keeps 2 cores busy, not 4.
        self._turns = FairLock()
        self.queue = EncoderQueue(unit=ENCODE_UNIT)
        """Who waits for the encoder and its measured rate: how long a new request would wait (load shedding)."""
        self._counts_lock = threading.Lock()
        self.counts = {"fast": 0, "encoder": 0}
        """Distinct texts answered by the fast path, and texts the contextual encoder embedded (the `path` label of
        the embedding_shapes metric)."""
        self._kept: dict[str, np.ndarray] = {}  # vectors `embed(keep=True)` made for this stage, taken once

    def work(self) -> dict[str, int]:
        """How much work each path did: `counts`, read at once."""
        with self._counts_lock:
            return dict(self.counts)

    def status(self) -> dict[str, Any]:
        """The fast path's state and how much work each path did, for /health. There, `encoder` names the static
        vectors and `full` counts the contextual encoder's texts (field names /health has always had)."""
        work = self.work()
        counts = {"fast": work["fast"], "full": work["encoder"]}
        if self.fast is None:
            return {"enabled": False, **counts}
        return {"enabled": True, "encoder": self.fast.embedder.name, "threshold": self.fast.threshold, **counts}

    def queue_status(self) -> dict[str, Any]:
        """The encoder's queue for /health: texts waiting, requests on their way, its rate, how long that is."""
        return self.queue.status()

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
        keys = [(record.masked, read_severity(record.original or record.masked)) for record in records]
        distinct = list(dict.fromkeys(keys))
        by_key: dict[tuple[str, str], Prediction | None] = self._fast_answers(distinct) if self.fast else {}
        rest = [key for key in distinct if key not in by_key]
        probabilities = self.predict_proba([text for text, _ in rest], [severity for _, severity in rest])
        for key, row in zip(rest, probabilities):
            best = int(np.argmax(row))
            label = self.labels[best]
            confidence = float(row[best])
            by_key[key] = (
                Prediction(label, EMBEDDING_STAGE, round(confidence, 4), f"model:{self.version}")
                if confidence >= self.threshold_for(label)
                else None
            )
        return [by_key[key] for key in keys]

    def fast_labels(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """The label the fast path answers for each (masked text, severity) it is confident about (no fast path:
        none). Cheap (static vectors): the similarity stage uses it to skip what cannot follow a correction."""
        if self.fast is None:
            return {}
        return {key: answer.label for key, answer in self._fast_answers(keys, count=False).items() if answer is not None}

    def _fast_answers(self, keys: Sequence[tuple[str, str]], *, count: bool = True) -> dict[tuple[str, str], Prediction | None]:
        """The keys the fast path is confident about, with its answer."""
        fast = self.fast
        assert fast is not None
        answers: dict[tuple[str, str], Prediction | None] = {}
        for start in range(0, len(keys), PREDICT_SLICE):
            raise_if_cancelled()
            piece = keys[start : start + PREDICT_SLICE]
            texts = [text for text, _ in piece]
            position = {text: index for index, text in enumerate(dict.fromkeys(texts))}
            vectors = fast.embedder.encode(list(position))
            rows = fast.classifier.predict_proba(texts, vectors[[position[text] for text in texts]],
                                                 [severity for _, severity in piece])
            for key, row in zip(piece, rows):
                best = int(np.argmax(row))
                label, confidence = self.labels[best], float(row[best])
                if confidence >= fast.threshold and confidence >= self.threshold_for(label):
                    answers[key] = Prediction(label, EMBEDDING_STAGE, round(confidence, 4), f"model:{self.version}:fast")
        if count:
            with self._counts_lock:
                self.counts["fast"] += len(answers)
        return answers

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

    def top_labels(self, texts: Sequence[str], severities: Sequence[str], vectors: np.ndarray) -> list[str]:
        """The full model's most likely label per (masked text, severity, encoder vector), whatever its confidence."""
        rows = self.classifier.predict_proba(list(texts), vectors, list(severities))
        return [self.labels[int(index)] for index in np.argmax(rows, axis=1)]

    def embed(self, texts: Sequence[str], keep: bool = False) -> np.ndarray:
        """Encoder embeddings of `texts` (for the corrections' similarity stage). `keep`: this stage will
        classify the same texts next, so their vectors are kept (at most KEPT_VECTORS) and not encoded again."""
        vectors = self._encode(texts)
        if keep:
            with self._counts_lock:
                for text, vector in zip(texts, vectors):
                    self._kept[text] = vector
                while len(self._kept) > KEPT_VECTORS:
                    self._kept.pop(next(iter(self._kept)))
        return vectors

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of `texts`, one turn of the encoder per `ENCODE_UNIT` texts (vectors `embed` kept are
        taken, once, instead). Between turns, a request whose client has gone stops here (`RequestCancelled`)."""
        kept: dict[int, np.ndarray] = {}
        if self._kept:
            with self._counts_lock:
                for index, text in enumerate(texts):
                    vector = self._kept.pop(text, None)
                    if vector is not None:
                        kept[index] = vector
        todo = [text for index, text in enumerate(texts) if index not in kept]
        vectors = []
        waiting = self.queue.add(len(todo))
        try:
            for start in range(0, len(todo), ENCODE_UNIT):
                unit = todo[start : start + ENCODE_UNIT]
                raise_if_cancelled()
                with self._turns:
                    raise_if_cancelled()  # the client may have left while this request waited for its turn
                    started = time.perf_counter()
                    vectors.append(self.embedder.encode(unit))
                    self.queue.done(waiting, len(unit), time.perf_counter() - started)
                with self._counts_lock:
                    self.counts["encoder"] += len(unit)
        finally:
            self.queue.leave(waiting)
        if not kept:
            return np.vstack(vectors)
        encoded = iter(np.vstack(vectors)) if vectors else iter(())
        return np.vstack([kept[index] if index in kept else next(encoded) for index in range(len(texts))])
