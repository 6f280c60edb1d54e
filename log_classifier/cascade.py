"""The cascade: regex → embeddings → LLM, over a whole batch, each message shape classified once.

Rows are grouped by their pattern key (source, header severity, masked message: `text.pattern_key`,
the one definition the Spark job and the pattern store share); each stage sees each pending key once and
only the keys the stages before it left unresolved; the result fans out to every row of the key.
Results are kept in a bounded LRU cache across requests.

People's corrections (`stages.feedback.CorrectionBook`) come first, before the cache: a key whose pattern a
person labelled gets that label whatever was cached or is being computed, and a change of the corrections
drops the cached answers it may change and keeps answers computed before it out of the cache.

Single-flight: a key that one call is computing is not computed again by a concurrent call; that
call waits for the first one's result and shares it, whichever stage decides it (so a burst of the
same new LLM-routed line makes one LLM call). A transient result (an LLM outage) is shared with
those waiting but not cached: the next call tries again. A call that fails (a stage raised, its
client went away) hands its keys back: those waiting compute them themselves and never receive
another request's exception.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import TYPE_CHECKING

from log_classifier.cache import ResultCache
from log_classifier.cancellation import raise_if_cancelled
from log_classifier.config import BASE_RULES_FILE, DEFAULT_MAX_MESSAGE_CHARS, Settings
from log_classifier.contract import LogRecord, Prediction, Processor, Stage
from log_classifier.stages.feedback import CorrectionBook, EmbedFn, SimilarStage
from log_classifier.taxonomy import UNCLASSIFIED
from log_classifier.text.pattern_key import PatternKey, PatternKeys
from log_classifier.text.prepare import classification_text

if TYPE_CHECKING:  # the stages import heavy libraries; load_classifier imports them when called
    from log_classifier.stages.embedding import EmbeddingClassifier
    from log_classifier.stages.llm import LlmStage

log = logging.getLogger(__name__)

EMPTY_MESSAGE = Prediction(UNCLASSIFIED, "none", 0.0, "empty log_message", "empty")
NO_LETTERS = Prediction(UNCLASSIFIED, "none", 0.0, "no letters in the message", "empty")
"""A line with nothing to classify (`{}`, `.`, a NUL, only digits): no label is better than a guess."""
NO_STAGE_DECIDED = Prediction(UNCLASSIFIED, "none", 0.0, "no stage was confident", "undecided")


@dataclass
class CascadeStats:
    """Counters for one call, for logs and metrics."""

    rows: int = 0
    keys: int = 0
    cache_hits: int = 0
    shared: int = 0
    """Keys another call was already computing: waited for, not computed again."""


Key = PatternKey


class Cascade:
    """Classifies batches of (source, message) with an ordered list of stages.

    `routes` maps a source to the name of the stage its rows start at (e.g. LegacyCRM → "llm").
    """

    def __init__(
        self,
        stages: Sequence[Processor],
        *,
        routes: Mapping[str, Stage] | None = None,
        cache: ResultCache | None = None,
        max_message_chars: int = DEFAULT_MAX_MESSAGE_CHARS,
        feedback: CorrectionBook | None = None,
    ) -> None:
        self.stages = list(stages)
        self.feedback = feedback if feedback is not None else CorrectionBook(None)
        self.feedback.on_change(self._corrections_changed)
        self.routes = dict(routes or {})
        stage_names = [stage.name for stage in self.stages]
        for source, stage_name in self.routes.items():
            if stage_name not in stage_names:
                raise ValueError(f"route {source!r} → {stage_name!r}: no such stage in {stage_names}")
        self.cache = cache if cache is not None else ResultCache(0)
        self.max_message_chars = max_message_chars
        # Keys being computed, with the future their result goes into; guarded with the cache by one lock,
        # so a key is always either cached, in flight, or free for exactly one caller to claim.
        self._in_flight: dict[Key, Future[Prediction | None]] = {}
        self._flight_lock = threading.Lock()

    def classify(self, sources: Sequence[str], messages: Sequence[str]) -> list[Prediction]:
        """One prediction per row, in order."""
        predictions, _ = self.classify_with_stats(sources, messages)
        return predictions

    def classify_with_stats(
        self, sources: Sequence[str], messages: Sequence[str]
    ) -> tuple[list[Prediction], CascadeStats]:
        predictions, _, stats = self.classify_keyed(sources, messages)
        return predictions, stats

    def classify_keyed(
        self, sources: Sequence[str], messages: Sequence[str]
    ) -> tuple[list[Prediction], list[Key | None], CascadeStats]:
        """Predictions, each row's pattern key (None for an empty message) and the call's counters."""
        if len(sources) != len(messages):
            raise ValueError("sources and messages differ in length")
        stats = CascadeStats(rows=len(messages))
        originals: dict[Key, str] = {}
        keys = self._keys(sources, messages, originals)
        distinct = [key for key in dict.fromkeys(keys) if key is not None]
        stats.keys = len(distinct)

        # People's corrections first, before the cache: a correction applies from the moment this process
        # knows it, whatever was cached or is being computed for the pattern.
        version = self.feedback.generation
        resolved: dict[Key, Prediction] = self.feedback.lookup(distinct)
        pending = [key for key in distinct if key not in resolved]
        while pending:
            owned, waiting = self._claim(pending, resolved, stats)
            try:
                self._compute(owned, originals, resolved, version)
            except BaseException as exc:
                self._abandon(owned, exc)
                raise
            # Our own keys are done first: a call never waits while holding keys others may wait for.
            pending = []
            for key, flight in waiting.items():
                result = flight.result()
                if result is None:  # its owner failed (or its client left): our own turn to compute it
                    pending.append(key)
                else:
                    resolved[key] = result
        if self.feedback.generation != version:  # a correction arrived while we computed: it wins
            resolved.update(self.feedback.lookup(distinct))

        predictions = [resolved[key] if key is not None else _nothing_to_classify(message)
                       for key, message in zip(keys, messages)]
        log.debug("classified %d rows, %d keys, %d cache hits, %d shared", stats.rows, stats.keys,
                  stats.cache_hits, stats.shared)
        return predictions, keys, stats

    def _claim(
        self, keys: Sequence[Key], resolved: dict[Key, Prediction], stats: CascadeStats
    ) -> tuple[dict[Key, Future[Prediction | None]], dict[Key, Future[Prediction | None]]]:
        """Each key is cached (into `resolved`), in flight (waited for) or claimed by this call (owned)."""
        owned: dict[Key, Future[Prediction | None]] = {}
        waiting: dict[Key, Future[Prediction | None]] = {}
        with self._flight_lock:
            for key in keys:
                cached = self.cache.get(key)
                if cached is not None:
                    resolved[key] = cached
                    stats.cache_hits += 1
                elif key in self._in_flight:
                    waiting[key] = self._in_flight[key]
                    stats.shared += 1
                else:
                    owned[key] = self._in_flight[key] = Future()
        return owned, waiting

    def _compute(self, owned: dict[Key, Future[Prediction | None]], originals: dict[Key, str],
                 resolved: dict[Key, Prediction], version: int) -> None:
        """Run the stages over the keys this call owns; each result is published as soon as it is known."""
        pending = list(owned)
        for index, stage in enumerate(self.stages):
            ready = [key for key in pending if self._starts_at(key.source) <= index]
            if not ready:
                continue
            raise_if_cancelled()  # the client has gone: stop, and hand the keys left to whoever waits
            outcomes = stage.classify_batch([LogRecord(key.source, key.masked, originals[key]) for key in ready])
            decided = {key: outcome for key, outcome in zip(ready, outcomes, strict=True) if outcome is not None}
            self._publish(decided, owned, version)
            resolved.update(decided)
            pending = [key for key in pending if key not in decided]
        undecided = dict.fromkeys(pending, NO_STAGE_DECIDED)
        self._publish(undecided, owned, version)
        resolved.update(undecided)

    def _publish(self, results: dict[Key, Prediction], owned: dict[Key, Future[Prediction | None]],
                 version: int) -> None:
        """Cache the results (transient ones are not; nor any computed before the corrections changed) and
        hand them to the calls waiting for them."""
        with self._flight_lock:
            current = self.feedback.generation == version
            for key, prediction in results.items():
                if current:
                    self.cache.put(key, prediction)
                del self._in_flight[key]
                owned.pop(key).set_result(prediction)

    def _corrections_changed(self) -> None:
        """The corrections changed: drop cached answers they may change (a corrected pattern, or one whose
        nearest corrected pattern moved). Only the regex rules' are kept: they come before similarity."""
        with self._flight_lock:
            dropped = self.cache.drop_where(lambda prediction: prediction.stage != "regex")
        log.debug("corrections changed: %d cached answers dropped", dropped)

    def _abandon(self, owned: dict[Key, Future[Prediction | None]], error: BaseException) -> None:
        """After this call failed (a stage raised, its client left): release the keys left.

        Those waiting for them get None, "compute it yourself", never this call's exception: it is
        about this call (its input, its client), and another request must not fail for it.
        """
        log.debug("abandoning %d keys after %s", len(owned), type(error).__name__)
        with self._flight_lock:
            for key, flight in owned.items():
                del self._in_flight[key]
                flight.set_result(None)
        owned.clear()

    def _starts_at(self, source: str) -> int:
        stage_name = self.routes.get(source)
        if stage_name is None:
            return 0
        return next(i for i, stage in enumerate(self.stages) if stage.name == stage_name)

    def _keys(
        self, sources: Sequence[str], messages: Sequence[str], originals: dict[Key, str]
    ) -> list[Key | None]:
        """The pattern key of each row (None: nothing to classify); fills `originals` with each key's first text."""
        key_of = PatternKeys()  # each distinct text masked once, each shape's severity read once
        keys: list[Key | None] = []
        for source, message in zip(sources, messages):
            # Very long lines are cut for classification only; the output keeps the full text.
            text = classification_text(message, self.max_message_chars)
            if not text:
                keys.append(None)
                continue
            key = key_of(source, text)
            keys.append(key)
            originals.setdefault(key, text)
        return keys


def _nothing_to_classify(message: str | None) -> Prediction:
    return EMPTY_MESSAGE if not (message or "").strip() else NO_LETTERS


@dataclass
class LoadedClassifier:
    """The cascade with the stages /health reports on (the same objects the cascade runs)."""

    cascade: Cascade
    model_version: str
    model_metadata: dict
    embedding: EmbeddingClassifier
    llm: LlmStage

    @property
    def corrections(self) -> CorrectionBook:
        """People's corrections as this process knows them (empty with PATTERN_STORE=off)."""
        return self.cascade.feedback

    def close(self) -> None:
        """Release what the stages own: the corrections' poller, the LLM client's threads and connections,
        the encoder's threads."""
        self.corrections.close()
        self.llm.close()
        self.embedding.close()

    def health(self) -> dict:
        metadata = self.model_metadata
        llm = self.llm.status()
        # Degraded, not down: every row is still answered, but rows for the LLM come back Unclassified
        # because every configured model is retired or unknown (an operator must set GROQ_MODEL/LLM_MODEL).
        degraded = llm["enabled"] and llm["model"] is None
        return {
            "status": "degraded" if degraded else "ok",
            "model": {
                "version": self.model_version,
                "encoder": metadata.get("encoder", {}).get("name"),
                "labels": metadata.get("labels"),
                "threshold": self.embedding.threshold,
                "thresholds_by_label": self.embedding.thresholds,
                "fast_path": self.embedding.status(),
            },
            "encoder_queue": self.embedding.queue_status(),
            "llm": llm,
            "corrections": self.corrections.status(),
            "cache": self.cascade.cache.stats(),
        }


def load_classifier(settings: Settings) -> LoadedClassifier:
    """Load every stage from settings: rules, embedding model and classifier, LLM client."""
    from log_classifier.model.embedders import StaticEmbedder, make_embedder
    from log_classifier.model.store import load_fast_path, load_model
    from log_classifier.stages.embedding import EmbeddingClassifier, FastPath
    from log_classifier.stages.llm import make_llm_stage
    from log_classifier.stages.regex import RegexClassifier

    embedder = make_embedder(
        settings.embedding_backend,
        embedding_model=settings.embedding_model,
        onnx_dir=settings.onnx_model_dir,
        batch_size=settings.embedding_batch_size,
        max_seq_length=settings.max_seq_length,
        workers=settings.embedding_threads,
    )
    stored = load_model(settings.model_dir, encoder=embedder.name, dimension=embedder.dimension)
    # BERT_THRESHOLD (the embedding stage's), when set, is one threshold for every label; else the model's own, per label.
    if settings.bert_threshold is not None:
        threshold, thresholds = settings.bert_threshold, {}
    else:
        threshold, thresholds = stored.threshold, stored.thresholds_by_label
    fast = None
    if settings.embedding_fast_path and stored.metadata.get("fast_path"):
        static = StaticEmbedder(settings.static_model_dir, max_seq_length=settings.max_seq_length)
        trained = load_fast_path(stored, encoder=static.name, dimension=static.dimension)
        if trained is not None:
            fast = FastPath(static, trained.classifier, trained.threshold)
    regex = RegexClassifier.from_files(BASE_RULES_FILE, stored.rules_path)
    embedding = EmbeddingClassifier(embedder, stored.classifier, threshold=threshold, thresholds=thresholds,
                                    version=stored.version, fast=fast)
    llm = make_llm_stage(settings)
    routes: dict[str, Stage] = {source: "llm" for source in settings.llm_sources}
    book = correction_book(settings, embedding.embed)
    cascade = Cascade(
        [regex, SimilarStage(book, embedding.top_labels, embedding.fast_labels), embedding, llm],
        routes=routes,
        cache=ResultCache(settings.cache_size, settings.cache_max_mb * 1024 * 1024),
        max_message_chars=settings.max_message_chars,
        feedback=book,
    )
    book.start()  # loads the corrections now (service, CLI and Spark job alike), then polls the store
    return LoadedClassifier(cascade, stored.version, stored.metadata, embedding, llm)


def correction_book(settings: Settings, embed: EmbedFn | None) -> CorrectionBook:
    """The corrections of PATTERN_STORE (migrated first: this may run before the recorder starts); an empty
    book with PATTERN_STORE=off. Not started."""
    if settings.pattern_store.strip().lower() == "off":
        return CorrectionBook(None)
    from log_classifier.patterns.corrections import CorrectionStore
    from log_classifier.patterns.database import make_engines, migrate

    engines = make_engines(settings.pattern_store)
    try:
        migrate(engines)
    except Exception as exc:  # unreachable now: the poller retries, the recorder migrates when it can
        log.warning("pattern store unreachable while loading corrections: %s", type(exc).__name__)
    return CorrectionBook(CorrectionStore(engines), sync_s=settings.correction_sync_s,
                          similarity=settings.correction_similarity, embed=embed)

