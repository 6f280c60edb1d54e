"""The embedding stage's fast path: static vectors answer where their classifier is confident, the
contextual encoder embeds only the rest; training calibrates when to trust it; loading checks it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from helpers import SHIPPED_MODEL_DIR, make_settings

from log_classifier.cascade import load_classifier
from log_classifier.contract import LogRecord
from log_classifier.errors import ConfigurationError, ModelMismatchError
from log_classifier.model.embedders import Embedder, StaticEmbedder
from log_classifier.model.store import FAST_CLASSIFIER_FILE, METADATA_FILE, load_fast_path, load_model
from log_classifier.stages.embedding import EmbeddingClassifier, FastPath
from log_classifier.text.prepare import classification_text, masked_text
from training.train import FAST_PATH_THRESHOLDS, _fast_path_validation

STATIC_DIR = SHIPPED_MODEL_DIR / "static"


class CountingEmbedder:
    """An embedder that records every text it is asked to embed, around a real one."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.texts: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.encode(texts)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture(scope="module")
def generated_records() -> list[LogRecord]:
    """Lines of the generator's templates with another seed than training's: known kinds, new lines."""
    from training.generate import generate

    frame = generate(seed=7, rows_per_template=1).sample(n=600, random_state=3)
    # As the cascade builds them: the masked prepared text, and the prepared text as the original.
    return [LogRecord(source, masked_text(message), classification_text(message))
            for source, message in zip(frame["source"], frame["log_message"])]


def _stage(loaded_classifier, *, fast: bool, threshold: float | None = None):  # type: ignore[no-untyped-def]
    """The shipped stage rebuilt around a counting contextual encoder, with or without the fast path."""
    shipped: EmbeddingClassifier = loaded_classifier.embedding
    assert shipped.fast is not None, "the shipped model has a fast path"
    counting = CountingEmbedder(shipped.embedder)
    fast_path = None
    if fast:
        fast_path = FastPath(shipped.fast.embedder, shipped.fast.classifier,
                             shipped.fast.threshold if threshold is None else threshold)
    stage = EmbeddingClassifier(counting, shipped.classifier, threshold=shipped.threshold,
                                thresholds=shipped.thresholds, version="t", fast=fast_path)
    return stage, counting


def test_the_shipped_model_loads_its_fast_path(loaded_classifier) -> None:  # type: ignore[no-untyped-def]
    metadata = json.loads((SHIPPED_MODEL_DIR / METADATA_FILE).read_text(encoding="utf-8"))
    status = loaded_classifier.embedding.status()
    assert status["enabled"] is True
    assert status["threshold"] == metadata["fast_path"]["threshold"] >= min(FAST_PATH_THRESHOLDS)
    assert status["encoder"] == metadata["fast_path"]["encoder"]["name"]
    validation = metadata["fast_path"]["validation"]
    assert validation["changed"] <= 0.01
    assert validation["delivered_with_fast_path"] >= validation["delivered_full_model"]


def test_fast_path_skips_the_encoder_for_confident_shapes_and_agrees_with_it(  # type: ignore[no-untyped-def]
    loaded_classifier, generated_records: list[LogRecord]
) -> None:
    full_stage, full_encoder = _stage(loaded_classifier, fast=False)
    fast_stage, fast_encoder = _stage(loaded_classifier, fast=True)
    full = full_stage.classify_batch(generated_records)
    quick = fast_stage.classify_batch(generated_records)

    distinct_texts = set(record.masked for record in generated_records)
    assert set(full_encoder.texts) == distinct_texts
    # The encoder saw only what the fast path left: far fewer texts, none the fast path answered.
    assert len(fast_encoder.texts) < 0.6 * len(distinct_texts)
    fast_answered = {record.masked for record, answer in zip(generated_records, quick)
                     if answer is not None and answer.reason.endswith(":fast")}
    assert fast_answered and not fast_answered & set(fast_encoder.texts)
    assert fast_stage.counts["fast"] > 0 and fast_stage.counts["encoder"] == len(fast_encoder.texts)
    threshold = fast_stage.fast.threshold
    for answer in quick:
        if answer is not None and answer.reason.endswith(":fast"):
            assert answer.stage == "bert" and answer.confidence >= threshold
    # Rows the fast path did not answer get exactly the full path's answer; overall they agree almost always.
    for before, after in zip(full, quick):
        if after is None or not after.reason.endswith(":fast"):
            assert (before is None) == (after is None)
            assert before is None or after is None or (before.label, before.confidence) == (after.label, after.confidence)
    same = sum((a is None and b is None) or (a is not None and b is not None and a.label == b.label)
               for a, b in zip(full, quick))
    assert same / len(full) >= 0.97


def test_an_unreachable_fast_threshold_changes_nothing(loaded_classifier, generated_records) -> None:  # type: ignore[no-untyped-def]
    records = generated_records[:120]
    full_stage, _ = _stage(loaded_classifier, fast=False)
    never, encoder = _stage(loaded_classifier, fast=True, threshold=1.01)
    assert never.classify_batch(records) == full_stage.classify_batch(records)
    assert never.counts["fast"] == 0 and set(encoder.texts) == {record.masked for record in records}


def test_the_setting_turns_the_fast_path_off() -> None:
    loaded = load_classifier(make_settings(embedding_fast_path=False))
    try:
        assert loaded.embedding.fast is None
        assert loaded.health()["model"]["fast_path"]["enabled"] is False
        loaded.cascade.classify(["app"], ["Nightly backup of volume vol-3 finished in 42 seconds"])
        assert loaded.embedding.counts == {"fast": 0, "encoder": 1}
    finally:
        loaded.close()


def test_health_reports_the_fast_path_and_its_work(app_client) -> None:  # type: ignore[no-untyped-def]
    body = "source,log_message\napp,Quarterly archive job 7731 for tenant zeta-9 completed without errors\n"
    assert app_client.post("/classify/", files={"file": ("l.csv", body, "text/csv")}).status_code == 200
    fast = app_client.get("/health").json()["model"]["fast_path"]
    assert fast["enabled"] is True and fast["fast"] + fast["full"] >= 1
    exported = app_client.get("/metrics").text
    for path, count in (("fast", fast["fast"]), ("encoder", fast["full"])):
        assert f'log_classifier_embedding_shapes_total{{path="{path}"}} {float(count)}' in exported


# --------------------------------------------------------------------------- loading checks


def _copy_model(tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(SHIPPED_MODEL_DIR, target, ignore=shutil.ignore_patterns("onnx", "static"))
    return target


def test_a_fast_path_for_other_static_vectors_fails_at_load(tmp_path: Path) -> None:
    directory = _copy_model(tmp_path)
    metadata = json.loads((directory / METADATA_FILE).read_text(encoding="utf-8"))
    metadata["fast_path"]["encoder"]["name"] = "some-other-static-model"
    (directory / METADATA_FILE).write_text(json.dumps(metadata), encoding="utf-8")
    stored = load_model(directory, encoder="all-MiniLM-L6-v2", dimension=384)
    static = StaticEmbedder(STATIC_DIR)
    with pytest.raises(ModelMismatchError, match="some-other-static-model.*EMBEDDING_FAST_PATH=false"):
        load_fast_path(stored, encoder=static.name, dimension=static.dimension)


def test_a_missing_fast_classifier_fails_at_load(tmp_path: Path) -> None:
    directory = _copy_model(tmp_path)
    (directory / FAST_CLASSIFIER_FILE).unlink()
    with pytest.raises(ConfigurationError, match=FAST_CLASSIFIER_FILE):
        load_classifier(make_settings(model_dir=directory, onnx_model_dir=SHIPPED_MODEL_DIR / "onnx"))


def test_static_vectors_other_than_the_trained_ones_fail_at_load(tmp_path: Path) -> None:
    """A re-distilled or damaged vectors file is caught by its hash (distillation is not bit-for-bit
    repeatable, and the fast path was trained on one file)."""
    copied = tmp_path / "static"
    shutil.copytree(STATIC_DIR, copied)
    vectors = bytearray((copied / "model.safetensors").read_bytes())
    vectors[-1] ^= 0xFF
    (copied / "model.safetensors").write_bytes(bytes(vectors))
    with pytest.raises(ConfigurationError, match="not the file encoder.json describes"):
        StaticEmbedder(copied)
    assert StaticEmbedder(STATIC_DIR).name.endswith(json.loads((STATIC_DIR / "encoder.json").read_text())["sha256"][:12])


def test_missing_static_vectors_fail_at_load_and_say_how_to_go_on(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="distill_static.*EMBEDDING_FAST_PATH=false"):
        load_classifier(make_settings(static_model_dir=tmp_path / "nowhere"))


# --------------------------------------------------------------------------- calibration at training


def _calibration_data(rows: int = 600) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Three classes that words alone separate, in 60 shapes."""
    rng = np.random.default_rng(0)
    words = {"Error": "failed crashed refused", "User Action": "logged signed clicked",
             "Resource Usage": "memory disk percent"}
    labels = np.array(list(words))[rng.integers(0, 3, rows)]
    groups = np.array([f"{label}-{i % 20}" for i, label in enumerate(labels)])
    texts = [f"{words[label]} item{group.split('-')[1]}" for label, group in zip(labels, groups)]
    informative = np.eye(3)[[list(words).index(label) for label in labels]] + rng.normal(0, 0.05, (rows, 3))
    return texts, informative.astype(np.float32), labels, groups, ["none"] * rows


def test_calibration_trusts_vectors_that_carry_the_answer() -> None:
    texts, vectors, labels, groups, severities = _calibration_data()
    split = (np.arange(0, 480), np.arange(480, 600))
    full_answers = labels[480:].astype(str)  # a full model that is always right
    result = _fast_path_validation(texts, vectors, labels, groups, severities, split, full_answers, 16.0)
    assert result["threshold"] == FAST_PATH_THRESHOLDS[0]
    assert result["changed"] == 0.0 and result["coverage"] > 0.5


def test_calibration_refuses_a_fast_path_that_would_change_answers() -> None:
    texts, vectors, labels, groups, severities = _calibration_data()
    split = (np.arange(0, 480), np.arange(480, 600))
    # A full model whose answers the (word-driven) fast path disagrees with on every row it would take.
    wrong = np.roll(labels[480:], 1).astype(str)
    result = _fast_path_validation(texts, vectors, labels, groups, severities, split, wrong, 16.0)
    assert result["threshold"] is None
    assert [row["threshold"] for row in result["tried"]] == list(FAST_PATH_THRESHOLDS)
