"""The encoder fine-tune (training.finetune_encoder): its sampling, and that a run is real and repeatable."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from log_classifier.model.embedders import FINETUNE_INFO_FILE, encoder_name
from training.finetune_encoder import FINETUNED_NAME, batches, finetune, training_pool

LINES = {
    "Security Alert": ["Failed password for user {n} from 10.0.0.{n}", "Blocked request from 10.1.1.{n}: signature {n}"],
    "System Notification": ["Backup job {n} finished", "Service worker-{n} started"],
    "Error": ["Request {n} failed: upstream timed out", "Could not parse record {n}"],
}


def _write_csv(path: Path, rows_per_shape: int = 4) -> Path:
    rows = [{"source": "app", "log_message": template.format(n=n), "target_label": label, "shape": f"{label}:{i}"}
            for label, templates in LINES.items() for i, template in enumerate(templates) for n in range(rows_per_shape)]
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_the_pool_holds_masked_distinct_texts_by_label_and_shape(tmp_path: Path) -> None:
    pool = training_pool(_write_csv(tmp_path / "data.csv"))
    assert list(pool) == ["Error", "Security Alert", "System Notification"]  # taxonomy order
    assert set(pool["Security Alert"]) == {"Security Alert:0", "Security Alert:1"}
    # masking folds a shape's variants together, as the embedding stage sees them
    assert all(len(texts) == 1 and "<" in texts[0] for by_shape in pool.values() for texts in by_shape.values())


def test_batches_draw_every_label_evenly_and_shapes_not_lines() -> None:
    pool = {"A": {"big": [f"a{i}" for i in range(1000)], **{f"s{j}": [f"s{j}"] for j in range(9)}},
            "B": {"b": ["b0", "b1"]}, "C": {"c": ["c0"]}}
    drawn = batches(pool, steps=200, labels_per_batch=3, per_label=5, seed=1)
    assert all(len(texts) == 15 and Counter(ids) == {0: 5, 1: 5, 2: 5} for texts, ids in drawn)
    a_texts = [t for texts, ids in drawn for t, i in zip(texts, ids) if i == 0]
    from_big = sum(t.startswith("a") for t in a_texts) / len(a_texts)
    assert 0.05 < from_big < 0.2  # one shape in ten, not 1000 lines in 1009
    assert drawn == batches(pool, steps=200, labels_per_batch=3, per_label=5, seed=1)
    assert drawn != batches(pool, steps=200, labels_per_batch=3, per_label=5, seed=2)


@pytest.mark.slow  # two short fine-tunes of MiniLM on the CPU (~20 s)
def test_a_fine_tune_moves_the_encoder_and_repeats_exactly(tmp_path: Path) -> None:
    from sentence_transformers import SentenceTransformer

    from log_classifier.model.embedders import default_model_dir

    data = _write_csv(tmp_path / "data.csv")
    settings = dict(steps=3, labels_per_batch=3, per_label=2, learning_rate=1e-4, margin=0.3, max_seq_length=32, seed=5)
    first = finetune(data, tmp_path / "one", **settings)  # type: ignore[arg-type]
    second = finetune(data, tmp_path / "two", **settings)  # type: ignore[arg-type]
    assert first["name"].startswith(FINETUNED_NAME + "-") and first["name"] == second["name"]
    assert json.loads((tmp_path / "one" / FINETUNE_INFO_FILE).read_text())["name"] == first["name"]
    assert encoder_name(str(tmp_path / "one")) == first["name"]  # what the export and the metadata record

    texts = ["Failed password for user 7 from 10.0.0.7", "Backup job 7 finished"]
    base = SentenceTransformer(str(default_model_dir()), device="cpu").encode(texts)
    one = SentenceTransformer(str(tmp_path / "one"), device="cpu").encode(texts)
    two = SentenceTransformer(str(tmp_path / "two"), device="cpu").encode(texts)
    assert not np.allclose(base, one, atol=1e-4)  # the weights moved
    np.testing.assert_array_equal(one, two)  # same data, seed and threads: same weights
