"""The int8 ONNX path stays close to sentence-transformers and classifies the same."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from log_classifier.model.embedders import SentenceTransformerEmbedder
from log_classifier.stages.embedding import FairLock
from log_classifier.text.masking import mask_variables


@pytest.mark.slow
def test_onnx_embeddings_match_torch_and_classify_the_same(loaded_classifier) -> None:  # type: ignore[no-untyped-def]
    from training.generate import generate

    bert = loaded_classifier.embedding
    onnx = bert.embedder
    assert type(onnx).__name__ == "OnnxEmbedder"  # the default backend
    sample = generate(seed=5, rows_per_template=1).sample(300, random_state=5)
    texts = list(dict.fromkeys(mask_variables(m) for m in sample["log_message"]))
    torch_vectors = SentenceTransformerEmbedder(max_seq_length=64).encode(texts)
    onnx_vectors = onnx.encode(texts)
    cosine = (torch_vectors * onnx_vectors).sum(axis=1)
    assert cosine.min() >= 0.97
    torch_proba = bert.classifier.predict_proba(texts, torch_vectors)
    onnx_proba = bert.classifier.predict_proba(texts, onnx_vectors)
    same = torch_proba.argmax(axis=1) == onnx_proba.argmax(axis=1)
    confident = torch_proba.max(axis=1) >= bert.threshold
    # Where the torch path is confident enough to decide, the ONNX path decides the same; near the
    # decision boundary a few borderline lines may flip, but accuracy against the truth holds.
    assert same[confident].mean() >= 0.97
    truth = dict(zip((mask_variables(m) for m in sample["log_message"]), sample["target_label"]))
    expected = np.array([truth[text] for text in texts])
    classes = bert.classifier.classes_
    torch_accuracy = (classes[torch_proba.argmax(axis=1)] == expected).mean()
    onnx_accuracy = (classes[onnx_proba.argmax(axis=1)] == expected).mean()
    assert abs(torch_accuracy - onnx_accuracy) <= 0.02
    assert np.allclose(np.linalg.norm(onnx_vectors, axis=1), 1.0, atol=1e-4)


def test_onnx_encode_keeps_input_order(loaded_classifier) -> None:  # type: ignore[no-untyped-def]
    onnx = loaded_classifier.embedding.embedder
    texts = ["a much longer line about a backup job that finished", "short", "medium length line"]
    together = onnx.encode(texts)
    alone = np.stack([onnx.encode([text])[0] for text in texts])
    # int8 dynamic quantisation scales per batch, so batch-mates move a vector slightly; order must hold.
    cosine = (together * alone).sum(axis=1)
    assert cosine.min() >= 0.99
    assert (together @ alone.T).argmax(axis=1).tolist() == [0, 1, 2]
    assert onnx.encode([]).shape == (0, onnx.dimension)


def test_fair_lock_hands_over_in_arrival_order() -> None:
    lock = FairLock()
    order: list[str] = []
    release_first = threading.Event()
    holding = threading.Event()

    def holder() -> None:
        with lock:
            order.append("first")
            holding.set()
            release_first.wait(5)
        # Re-acquires at once, as a big request's next unit does: it must queue behind the waiter.
        with lock:
            order.append("first again")

    def waiter() -> None:
        with lock:
            order.append("waiter")

    first = threading.Thread(target=holder)
    first.start()
    assert holding.wait(5)
    second = threading.Thread(target=waiter)
    second.start()
    deadline = time.monotonic() + 5
    while len(lock._waiters) < 1:  # the waiter is queued (its turn is an Event in the lock's queue)
        assert time.monotonic() < deadline, "the waiter never queued"
        time.sleep(0.001)
    release_first.set()
    first.join(5)
    second.join(5)
    assert order == ["first", "waiter", "first again"]


def _live_onnx_threads() -> int:
    return sum(1 for thread in threading.enumerate() if thread.name.startswith("onnx") and thread.is_alive())


def test_closing_the_classifier_stops_the_encoder_threads_and_encode_still_answers() -> None:
    """LoadedClassifier.close() releases the ONNX worker threads; a late encode runs on the caller's thread."""
    from helpers import make_settings

    from log_classifier.cascade import load_classifier

    loaded = load_classifier(make_settings(embedding_threads=2))
    texts = [f"worker {index} finished job batch-{index} in {index} ms" for index in range(8)]
    before = loaded.embedding.embedder.encode(texts)  # starts the pool's two threads
    running = _live_onnx_threads()
    loaded.close()
    assert _live_onnx_threads() == running - 2
    after = loaded.embedding.embedder.encode(texts)
    np.testing.assert_allclose(after, before, rtol=1e-6, atol=1e-6)
    loaded.close()  # idempotent
