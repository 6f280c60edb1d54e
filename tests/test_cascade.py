"""The cascade's routing: each stage sees only what earlier ones left, each shape once."""

from __future__ import annotations

import threading
from collections.abc import Hashable, Sequence
from concurrent.futures import ThreadPoolExecutor

import pytest

from log_classifier.cache import ResultCache
from log_classifier.cascade import Cascade
from log_classifier.contract import LogRecord, Outcome, Prediction, Stage


class KeywordStage:
    """A stage that labels messages containing `keyword` and records every batch it was given."""

    def __init__(self, name: Stage, keyword: str, label: str, *, outcome: Outcome = "decided") -> None:
        self.name = name
        self.keyword = keyword
        self.label = label
        self.outcome: Outcome = outcome
        self.batches: list[list[LogRecord]] = []

    def classify_batch(self, records: Sequence[LogRecord]) -> list[Prediction | None]:
        self.batches.append(list(records))
        return [
            Prediction(self.label, self.name, 1.0, self.name, self.outcome)
            if self.keyword in record.masked
            else None
            for record in records
        ]

    @property
    def seen(self) -> list[str]:
        return [record.masked for batch in self.batches for record in batch]


def make(cache_size: int = 0, routes: dict[str, Stage] | None = None):  # type: ignore[no-untyped-def]
    regex = KeywordStage("regex", "panic", "Critical Error")
    bert = KeywordStage("bert", "login", "User Action")
    llm = KeywordStage("llm", "lead", "Workflow Error")
    cascade = Cascade([regex, bert, llm], routes=routes, cache=ResultCache(cache_size))
    return cascade, regex, bert, llm


def test_each_stage_sees_only_what_earlier_stages_left() -> None:
    cascade, regex, bert, llm = make()
    messages = ["kernel panic", "user login ok", "lead stuck", "something else"]
    labels = [p.label for p in cascade.classify(["s"] * 4, messages)]
    assert labels == ["Critical Error", "User Action", "Workflow Error", "Unclassified"]
    assert regex.seen == messages
    assert bert.seen == ["user login ok", "lead stuck", "something else"]
    assert llm.seen == ["lead stuck", "something else"]


def test_rows_of_one_shape_are_classified_once_and_fan_out_in_order() -> None:
    cascade, regex, bert, llm = make()
    messages = ["login from 10.0.0.1", "login from 10.0.0.2", "panic at 0x1f", "login from 10.9.9.9"]
    predictions, stats = cascade.classify_with_stats(["s"] * 4, messages)
    assert [p.label for p in predictions] == ["User Action", "User Action", "Critical Error", "User Action"]
    assert regex.seen == ["login from <IP>", "panic at <HEX>"]
    assert bert.seen == ["login from <IP>"]
    assert stats.keys == 2 and stats.rows == 4


def test_routed_sources_skip_to_their_stage() -> None:
    cascade, regex, bert, llm = make(routes={"LegacyCRM": "llm"})
    predictions = cascade.classify(["LegacyCRM", "Other"], ["user login then lead", "user login then lead"])
    assert [p.stage for p in predictions] == ["llm", "bert"]
    assert [r.source for r in llm.batches[0]] == ["LegacyCRM"]
    assert all(r.source == "Other" for r in regex.batches[0])


def test_blank_messages_are_unclassified_and_kept() -> None:
    cascade, regex, *_ = make()
    predictions = cascade.classify(["s", "s", "s"], ["", "   ", "kernel panic"])
    assert [(p.label, p.reason) for p in predictions[:2]] == [("Unclassified", "empty log_message")] * 2
    assert predictions[2].label == "Critical Error"
    assert regex.seen == ["kernel panic"]


def test_cache_answers_repeated_shapes_across_calls() -> None:
    cascade, regex, bert, llm = make(cache_size=10)
    cascade.classify(["s"], ["login from 1.2.3.4"])
    predictions, stats = cascade.classify_with_stats(["s", "s"], ["login from 5.6.7.8", "kernel panic"])
    assert [p.label for p in predictions] == ["User Action", "Critical Error"]
    assert stats.cache_hits == 1
    assert regex.seen == ["login from <IP>", "kernel panic"]
    assert cascade.cache.stats()["hits"] == 1


def test_transient_results_are_not_cached() -> None:
    regex = KeywordStage("regex", "never", "Error")
    flaky = KeywordStage("llm", "lead", "Workflow Error", outcome="llm_error")
    cascade = Cascade([regex, flaky], cache=ResultCache(10))
    cascade.classify(["s"], ["lead 1"])
    cascade.classify(["s"], ["lead 2"])
    assert len(flaky.batches) == 2


def test_cache_is_bounded_lru() -> None:
    cache = ResultCache(2)
    p = Prediction("Error", "bert", 0.9, "m")
    cache.put("a", p)
    cache.put("b", p)
    assert cache.get("a") == p
    cache.put("c", p)
    assert cache.get("b") is None and cache.get("a") == p and cache.get("c") == p
    assert len(cache) == 2


def _long_shapes(count: int) -> list[tuple[str, str]]:
    # Long non-ASCII shapes: 4 bytes a character in a Python string.
    return [("app", f"{n:06d} " + "сбой записи на диск 🔥 " * 25) for n in range(count)]


def test_cache_is_bounded_by_an_approximate_byte_budget() -> None:
    import gc
    import tracemalloc

    budget = 2 * 1024 * 1024
    cache = ResultCache(100_000, max_bytes=budget)
    prediction = Prediction("Error", "bert", 0.9, "model:x")
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for key in _long_shapes(20_000):  # about 40 MB of keys; only the cache keeps any of them
            cache.put(key, prediction)
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()

    stats = cache.stats()
    assert stats["bytes"] <= budget and stats["max_bytes"] == budget
    assert 0 < len(cache) < 20_000
    assert held < 2 * budget, f"the cache holds {held / 1e6:.1f} MB for a {budget / 1e6:.1f} MB budget"
    newest, oldest = _long_shapes(20_000)[-1], _long_shapes(1)[0]
    assert cache.get(newest) == prediction and cache.get(oldest) is None  # least recently used went first
    assert (stats := cache.stats())["hits"] == 1 and stats["misses"] == 1 and stats["hit_rate"] == 0.5


def test_cache_entry_bound_still_holds_for_small_entries() -> None:
    cache = ResultCache(3, max_bytes=10 * 1024 * 1024)
    prediction = Prediction("Error", "bert", 0.9, "m")
    for key in "abcde":
        cache.put(("s", key), prediction)
    assert len(cache) == 3 and cache.get(("s", "a")) is None and cache.get(("s", "e")) == prediction


# --- single-flight: concurrent misses for one key are computed once ---------------------------------

CALLERS = 8


class GatedStage(KeywordStage):
    """A KeywordStage that holds every batch until `gate` is opened (a slow model or LLM)."""

    def __init__(self, name: Stage, keyword: str, label: str, *, outcome: Outcome = "decided") -> None:
        super().__init__(name, keyword, label, outcome=outcome)
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.fail = False

    def classify_batch(self, records: Sequence[LogRecord]) -> list[Prediction | None]:
        answer = super().classify_batch(records)
        self.entered.set()
        assert self.gate.wait(10)
        if self.fail:
            raise RuntimeError("stage exploded")
        return answer


class WatchedCache(ResultCache):
    """A ResultCache that lets a test wait until `n` lookups were made: the cascade looks a key up and
    joins its flight under one lock, so a caller that missed here is registered as waiting (or owning)."""

    def __init__(self, max_size: int) -> None:
        super().__init__(max_size)
        self.lookups = 0
        self._looked_up = threading.Condition()

    def get(self, key: Hashable) -> Prediction | None:
        found = super().get(key)
        with self._looked_up:
            self.lookups += 1
            self._looked_up.notify_all()
        return found

    def wait_for_lookups(self, n: int) -> None:
        with self._looked_up:
            assert self._looked_up.wait_for(lambda: self.lookups >= n, 10), f"{self.lookups} lookups, not {n}"


def gated_cascade(deciding: Stage, outcome: Outcome = "decided") -> tuple[Cascade, list[KeywordStage], GatedStage]:
    stages: list[KeywordStage] = [KeywordStage("regex", "panic", "Critical Error"),
                                  KeywordStage("bert", "login", "User Action"),
                                  KeywordStage("llm", "lead", "Workflow Error")]
    index = [stage.name for stage in stages].index(deciding)
    gated = GatedStage(deciding, "burst", "Error", outcome=outcome)
    stages[index] = gated
    return Cascade(stages, cache=WatchedCache(100)), stages, gated


def burst(cascade: Cascade, gated: GatedStage, message: str = "burst of 42") -> list[object]:
    """CALLERS calls with the same line at once; the first holds the stage until the others wait."""
    with ThreadPoolExecutor(CALLERS) as pool:
        first = pool.submit(cascade.classify_with_stats, ["s"], [message])
        assert gated.entered.wait(10)
        others = [pool.submit(cascade.classify_with_stats, ["s"], [message]) for _ in range(CALLERS - 1)]
        assert isinstance(cascade.cache, WatchedCache)
        cascade.cache.wait_for_lookups(CALLERS)  # the others reached the cascade and found the key in flight
        gated.gate.set()
        results: list[object] = []
        for future in [first, *others]:
            try:
                results.append(future.result(10))
            except RuntimeError as exc:
                results.append(exc)
        return results


@pytest.mark.parametrize("deciding", ["regex", "bert", "llm"])
def test_concurrent_misses_for_one_key_are_computed_once_in_every_stage(deciding: Stage) -> None:
    cascade, stages, gated = gated_cascade(deciding)
    results = burst(cascade, gated)

    for stage in stages:
        assert stage.seen.count("burst of <NUM>") <= 1, stage.name  # no stage saw the key twice
    assert gated.seen == ["burst of <NUM>"]
    predictions = [result[0] for result in results]  # type: ignore[index]
    assert predictions == [[Prediction("Error", deciding, 1.0, deciding)]] * CALLERS
    assert sorted(result[1].shared for result in results) == [0] + [1] * (CALLERS - 1)  # type: ignore[index]


def test_a_transient_result_is_shared_with_the_waiters_but_not_cached() -> None:
    cascade, _, gated = gated_cascade("llm", outcome="llm_error")
    results = burst(cascade, gated)

    assert [result[0] for result in results] == [[Prediction("Error", "llm", 1.0, "llm", "llm_error")]] * CALLERS  # type: ignore[index]
    assert gated.seen == ["burst of <NUM>"]
    cascade.classify(["s"], ["burst of 43"])  # the next call asks again
    assert gated.seen == ["burst of <NUM>"] * 2


def test_a_failing_computation_frees_the_key_and_its_waiters_compute_it_themselves() -> None:
    cascade, _, gated = gated_cascade("bert")
    gated.fail = True
    results = burst(cascade, gated)

    # Every caller failed with its own exception (each computed the key itself: the stage still fails).
    assert all(isinstance(result, RuntimeError) and str(result) == "stage exploded" for result in results)
    assert len(gated.seen) == CALLERS
    gated.fail = False
    assert cascade.classify(["s"], ["burst of 44"]) == [Prediction("Error", "bert", 1.0, "bert")]


class PoisonedStage(GatedStage):
    """Raises for a whole batch when one of its records holds "poison" (an input only one request sent)."""

    def classify_batch(self, records: Sequence[LogRecord]) -> list[Prediction | None]:
        answer = super().classify_batch(records)
        if any("poison" in record.masked for record in records):
            raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")
        return answer


def test_one_request_s_failure_is_never_handed_to_another_request_waiting_for_the_same_line() -> None:
    regex = KeywordStage("regex", "panic", "Critical Error")
    poisoned = PoisonedStage("bert", "burst", "Error")
    cache = WatchedCache(100)
    cascade = Cascade([regex, poisoned, KeywordStage("llm", "lead", "Workflow Error")], cache=cache)
    with ThreadPoolExecutor(2) as pool:
        # Request A: the clean line and a poisoned one, in one batch; it owns the clean line's key.
        first = pool.submit(cascade.classify, ["s", "s"], ["burst of 42", "poison pill"])
        assert poisoned.entered.wait(10)
        # Request B: only the clean line; it finds A computing it and waits.
        second = pool.submit(cascade.classify_with_stats, ["s"], ["burst of 43"])
        cache.wait_for_lookups(3)  # A's two keys and B's one: B found its key in flight and waits
        poisoned.gate.set()
        with pytest.raises(UnicodeEncodeError):
            first.result(10)
        predictions, stats = second.result(10)
    assert predictions == [Prediction("Error", "bert", 1.0, "bert")]  # B's own answer, not A's exception
    assert stats.shared == 1  # it did wait for A first
    assert poisoned.seen == ["burst of <NUM>", "poison pill", "burst of <NUM>"]


def test_header_severity_is_part_of_a_shape_in_one_call_and_across_calls() -> None:
    # %FAC-6- and %FAC-1- mask alike; the model reads the stated severity, so they are two patterns.
    cascade, regex, *_ = make(cache_size=10)
    lines = ["%PLATFORM-6-EVT: service restarted on module 3", "%PLATFORM-1-EVT: service restarted on module 3"]
    _, keys, stats = cascade.classify_keyed(["core-rtr1"] * 2, lines)
    assert stats.keys == 2
    assert [key.severity for key in keys if key] == ["info", "critical"]
    assert keys[0].masked == keys[1].masked  # type: ignore[union-attr]
    # A cached info line never answers for a critical one of the same shape.
    cascade.classify(["edge"], ["<14>Dec  1 10:00:00 h app: disk 3 degraded"])
    _, stats = cascade.classify_with_stats(["edge"], ["<10>Dec  1 10:00:00 h app: disk 3 degraded"])
    assert stats.cache_hits == 0
    assert len(regex.seen) == 4


def test_pattern_ids_are_stable_and_tell_severities_apart() -> None:
    from log_classifier.text.pattern_key import PatternKey, pattern_id, pattern_key

    key = pattern_key("fw", "%ASA-4-106023: Deny tcp src outside:10.0.0.1/5 dst inside:10.0.0.2/80")
    assert key == PatternKey("fw", "warning", key.masked) and "<IP>" in key.masked
    # The same value in every process (no salted hash): a fixed expectation, computed by hand here.
    import hashlib
    assert pattern_id(key) == hashlib.sha256("\x1f".join(key).encode()).hexdigest()[:16]
    assert pattern_id(key) != pattern_id(key._replace(severity="critical"))
    assert pattern_id(key) != pattern_id(key._replace(source="fw2"))


# --- issue 24, item 7: nothing to classify; compatibility forms ------------------------------------


@pytest.mark.parametrize("message", ["{}", "[]", ".", "\x00", "--- 12:30 ---", "\u3000\u3001"])
def test_lines_without_letters_are_unclassified_with_a_reason(message: str) -> None:
    cascade, regex, bert, llm = make()
    [prediction] = cascade.classify(["s"], [message])
    assert prediction == Prediction("Unclassified", "none", 0.0, "no letters in the message", "empty")
    assert regex.seen == bert.seen == llm.seen == []
    assert cascade.classify(["s"], ["  "])[0].reason == "empty log_message"


def test_fullwidth_text_reaches_the_stages_as_plain_text() -> None:
    cascade, regex, *_ = make()
    predictions = cascade.classify(["s", "s"], ["kernel panic", "ｋｅｒｎｅｌ　ｐａｎｉｃ"])
    assert predictions[0] == predictions[1] and predictions[0].label == "Critical Error"
    assert regex.seen == ["kernel panic"]  # one shape: the same text after NFKC


def test_training_prepares_lines_with_the_serving_function() -> None:
    import inspect

    import training.train as train
    from log_classifier.text.prepare import classification_text, masked_text

    assert masked_text("Ｋｅｒｎｅｌ ｐａｎｉｃ on node-7") == masked_text("Kernel panic on node-7")
    assert classification_text("{}") == "" and classification_text(" ｘ ") == "x"
    source = inspect.getsource(train.train)
    assert "classification_text(message)" in source and "mask_variables(text) for text in prepared" in source


def test_batch_keying_reads_each_shapes_severity_once_and_agrees_with_pattern_key() -> None:
    # PatternKeys reads the severity once per (masked text, PRI, Cisco level): same keys as line by line.
    from log_classifier.text.pattern_key import PatternKeys, pattern_key
    from log_classifier.text.prepare import classification_text
    from training.generate import generate

    generated = generate(seed=11, rows_per_template=1)
    lines = [classification_text(m) for m in generated["log_message"]]
    lines += [f"<{pri}>Dec  1 10:00:0{pri % 10} host app: disk {pri} degraded" for pri in range(0, 192, 7)]
    lines += [f"%LINK-{n}-UPDOWN: Interface Gi0/{n}, changed state to down" for n in range(8)]
    lines += ["2026-01-01 10:00:00 ERROR job 7 failed", "2026-01-01 10:00:01 INFO job 8 failed"]
    keys = PatternKeys()
    batch = [keys(source, line) for source, line in zip(["s"] * len(lines), lines) if line]
    assert batch == [pattern_key("s", line) for line in lines if line]
    assert len({key.severity for key in batch if key.masked.startswith("%LINK")}) == 4  # all four buckets
