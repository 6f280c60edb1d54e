"""People's corrections in the cascade: exact ones (`feedback`) and the patterns that follow them (`similar`).

`CorrectionBook` holds, in this process, every corrected pattern of the store: its id → the person's
label, and its encoder embedding for similarity. The cascade asks it first, before its result cache:
a line of a corrected pattern gets the person's label (`classified_by=feedback`, confidence 1.0,
reason `correction:<pattern id>`) before the regex rules, the model and the LLM.

`SimilarStage` runs after the regex rules (they are exact) and before the model: a pattern whose
encoder embedding is at least CORRECTION_SIMILARITY cosine-similar to its nearest corrected pattern (any
source) takes that pattern's label (`classified_by=similar`, reason `similar:<pattern id>`, the
similarity as confidence). It embeds only while at least one correction exists, and the embedding stage
reuses those vectors (`EmbeddingClassifier.embed(keep=True)`): no text is encoded twice.

Sync across processes: a thread polls the store's corrections version (the highest audit id, one
indexed `max()`) every CORRECTION_SYNC_S and reloads when it moved; the process that takes a correction
reloads before it answers (`refresh`). A reload drops the result cache's answers that a correction may
change (all but the regex rules').
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from log_classifier.contract import LogRecord, Prediction, Stage
from log_classifier.text.pattern_key import PatternKey, pattern_id
from log_classifier.text.severity import read_severity

if TYPE_CHECKING:  # numpy and the database layer load only when corrections are in use
    import numpy as np

    from log_classifier.patterns.corrections import ActiveCorrection, CorrectionStore

log = logging.getLogger(__name__)

EmbedFn = Callable[[Sequence[str], bool], "np.ndarray"]
"""(texts, keep) → one encoder vector per text; `keep`: the embedding stage will want them next."""
ChangedFn = Callable[[], None]
ModelLabelsFn = Callable[[Sequence[str], Sequence[str], "np.ndarray"], list[str]]
FastLabelsFn = Callable[[Sequence[tuple[str, str]]], dict[tuple[str, str], str]]
"""(masked text, severity) keys → the fast path's label where it is confident."""
"""(masked texts, header severities, encoder vectors) → the embedding model's top label for each."""
LOG_EVERY_S = 30.0
SLICE = 2048


class Neighbour(NamedTuple):
    """A text's nearest corrected pattern."""

    pattern_id: str
    label: str
    """The person's label."""
    model_label: str
    """The cascade's answer for the corrected pattern: the label the person overrode."""
    similarity: float


class CorrectionBook:
    """The corrections this process knows, kept in step with the store (see the module docstring).

    With `store` None (PATTERN_STORE=off) it is empty for good.
    """

    def __init__(
        self,
        store: CorrectionStore | None,
        *,
        sync_s: float = 2.0,
        similarity: float | None = None,
        embed: EmbedFn | None = None,
    ) -> None:
        self.store = store
        self.sync_s = sync_s
        self.similarity = similarity if embed is not None else None
        self._embed = embed
        self.version = -1
        """The store's corrections version this book reflects (-1: never loaded)."""
        self._labels: dict[str, str] = {}
        self._model_labels: dict[str, str] = {}
        self._masked: dict[str, str] = {}
        self.generation = 0
        """Moves on every change the cascade must see (labels, similarity vectors): cached answers computed
        under an older generation are not kept."""
        self._labels_loaded = 0  # reloads of the labels so far
        self._vectors_loaded = 0  # the reload the vectors were built for
        self._by_label: dict[str, int] = {}
        self._vector_ids: list[str] = []
        self._vectors: np.ndarray | None = None
        self._vector_cache: dict[str, np.ndarray] = {}  # pattern id → unit vector (masked text does not change)
        self._listeners: list[ChangedFn] = []
        self._lock = threading.Lock()  # one reload at a time
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.up = store is not None
        self.last_error = ""
        self._logged_at = float("-inf")

    # --- the cascade's side ---

    def __bool__(self) -> bool:
        return bool(self._labels)

    def on_change(self, listener: ChangedFn) -> None:
        """Call `listener` after every reload that changed the corrections (the cascade drops cached answers)."""
        self._listeners.append(listener)

    def lookup(self, keys: Sequence[PatternKey]) -> dict[PatternKey, Prediction]:
        """The person's label of each key that is a corrected pattern."""
        labels = self._labels
        if not labels:
            return {}
        found: dict[PatternKey, Prediction] = {}
        for key in keys:
            pid = pattern_id(key)
            label = labels.get(pid)
            if label is not None:
                found[key] = Prediction(label, "feedback", 1.0, f"correction:{pid}")
        return found

    def nearest(self, texts: Sequence[str]) -> tuple[np.ndarray | None, list[Neighbour | None]]:
        """The encoder vectors of `texts` (None when similarity is off or nothing is corrected) and, for each,
        its nearest corrected pattern when at least CORRECTION_SIMILARITY similar."""
        ids, matrix, threshold = self._vector_ids, self._vectors, self.similarity
        if threshold is None or not ids or matrix is None or self._embed is None or not texts:
            return None, [None] * len(texts)
        vectors = self._embed(list(texts), True)
        similarity = _unit(vectors) @ matrix.T
        best = similarity.argmax(axis=1)
        labels, models = self._labels, self._model_labels
        found: list[Neighbour | None] = []
        for row, index in enumerate(best):
            score = float(similarity[row, index])
            pid = ids[index]
            label = labels.get(pid)
            found.append(Neighbour(pid, label, models.get(pid, ""), min(score, 1.0))
                         if label is not None and score >= threshold else None)
        return vectors, found

    def overridden_labels(self) -> set[str]:
        """The cascade's answers that people overrode: only a pattern the model gives one of these may follow."""
        return set(self._model_labels.values())

    def counts_by_label(self) -> dict[str, int]:
        return dict(self._by_label)

    # --- keeping in step with the store ---

    def refresh(self, *, vectors: bool = True) -> bool:
        """Reload the labels when the store's version moved (True when something changed), then, with `vectors`,
        embed the corrected patterns that have no vector yet (`update_vectors`). Raises when the store fails."""
        if self.store is None:
            return False
        changed = False
        with self._lock:
            version = self.store.version()
            if version != self.version:
                version, active = self.store.active()
                changed = self.version != -1 or bool(active)
                self._load(active)
                self.version = version
                self._labels_loaded += 1
                if changed:
                    self.generation += 1
        if changed:
            log.info("corrections reloaded: %d corrected patterns (version %d)", len(self._labels), version)
            self._notify()
        if vectors:
            self.update_vectors()
        return changed

    def update_vectors(self) -> None:
        """Bring the similarity vectors up to the labels: embed what is new (each pattern once; a pattern's masked
        text never changes) and publish them. The poller calls it too, so a big `POST /feedback` need not wait."""
        if self.similarity is None or self._embed is None:
            return
        with self._lock:
            if self._vectors_loaded == self._labels_loaded:
                return
            loaded, labels, masked = self._labels_loaded, self._labels, self._masked
            missing = [pid for pid in labels if pid not in self._vector_cache]
            for start in range(0, len(missing), SLICE):
                piece = missing[start : start + SLICE]
                for pid, vector in zip(piece, _unit(self._embed([masked[pid] for pid in piece], False))):
                    self._vector_cache[pid] = vector
            ids = list(labels)
            matrix = None
            if ids:
                import numpy as np

                matrix = np.vstack([self._vector_cache[pid] for pid in ids])
            had = bool(self._vector_ids)
            self._vector_ids, self._vectors = ids, matrix
            self._vector_cache = {pid: self._vector_cache[pid] for pid in ids}  # undone ones go
            self._vectors_loaded = loaded
            if had or ids:
                self.generation += 1
        if had or ids:
            self._notify()

    def _notify(self) -> None:
        for listener in self._listeners:
            listener()

    def _load(self, active: Sequence[ActiveCorrection]) -> None:
        by_label: dict[str, int] = {}
        for item in active:
            by_label[item.label] = by_label.get(item.label, 0) + 1
        # Published whole, each an atomic attribute swap: readers never see half a reload.
        self._masked = {item.pattern_id: item.masked for item in active}
        self._model_labels = {item.pattern_id: item.model_label for item in active}
        self._by_label = by_label
        self._labels = {item.pattern_id: item.label for item in active}

    def start(self) -> None:
        """Load now (an unreachable store is retried by the poller) and start polling every sync_s."""
        if self.store is None or self._thread is not None:
            return
        self._poll()
        self._thread = threading.Thread(target=self._run, name="correction-sync", daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        if self.store is not None:
            self.store.engines.dispose()

    def _run(self) -> None:
        while not self._stop.wait(self.sync_s):
            self._poll()

    def _poll(self) -> None:
        try:
            self.refresh()
        except Exception as exc:  # the store is down: keep what we know, try again next time
            self.up = False
            self.last_error = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
            now = time.monotonic()
            if now - self._logged_at >= LOG_EVERY_S:
                self._logged_at = now
                log.warning("cannot read corrections from the pattern store (%s); keeping the %d known",
                            self.last_error, len(self._labels))
        else:
            self.up = True

    def status(self) -> dict[str, Any]:
        """For /health."""
        if self.store is None:
            return {"status": "off"}
        return {
            "status": "ok" if self.up else "down",
            "corrected_patterns": len(self._labels),
            "version": self.version,
            "similarity": self.similarity if self.similarity is not None else "off",
            "sync_s": self.sync_s,
        }


class SimilarStage:
    """A pattern close enough to a corrected one takes its label (see the module docstring) — only where the
    model makes the mistake the person corrected: its own answer for the pattern is the label the person
    overrode. A neighbour the model already tells apart (a routine line next to the failing one the person
    corrected: "completed: SUCCESS" beside "completed: FAILURE") keeps the model's answer."""

    name: Stage = "similar"

    def __init__(self, book: CorrectionBook, model_labels: ModelLabelsFn | None = None,
                 fast_labels: FastLabelsFn | None = None) -> None:
        self.book = book
        self.model_labels = model_labels
        self.fast_labels = fast_labels

    def classify_batch(self, records: Sequence[LogRecord]) -> list[Prediction | None]:
        if not self.book or self.book.similarity is None:
            return [None] * len(records)
        keys = [(record.masked, read_severity(record.original or record.masked)) for record in records]
        distinct = list(dict.fromkeys(keys))
        answers: dict[tuple[str, str], Prediction | None] = dict.fromkeys(distinct)
        # The model's answer where its fast path is confident (what the cascade would answer): a pattern whose
        # answer is no corrected pattern's overridden label cannot follow one, and is not embedded for it.
        # The rest is embedded here and the embedding stage reuses the vectors.
        fast = self.fast_labels(distinct) if self.fast_labels is not None and self.model_labels is not None else {}
        overridden = self.book.overridden_labels()
        candidates = [key for key in distinct if key not in fast or fast[key] in overridden]
        for start in range(0, len(candidates), SLICE):  # memory follows a slice, not the number of new shapes
            piece = candidates[start : start + SLICE]
            vectors, found = self.book.nearest([text for text, _ in piece])
            model = [fast.get(key, "") for key in piece]
            near = [index for index, neighbour in enumerate(found) if neighbour is not None and not model[index]]
            if near and vectors is not None and self.model_labels is not None:
                labels = self.model_labels([piece[i][0] for i in near], [piece[i][1] for i in near], vectors[near])
                for index, label in zip(near, labels):
                    model[index] = label
            for index, (key, neighbour) in enumerate(zip(piece, found)):
                if neighbour is None:
                    continue
                if self.model_labels is None or model[index] == neighbour.model_label:
                    answers[key] = Prediction(neighbour.label, "similar", round(neighbour.similarity, 4),
                                              f"similar:{neighbour.pattern_id}")
        return [answers[key] for key in keys]


def _unit(vectors: np.ndarray) -> np.ndarray:
    import numpy as np

    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2 or not len(vectors):
        return vectors.reshape(len(vectors), -1)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
