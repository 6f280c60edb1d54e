"""Fine-tune the sentence encoder on our labelled shapes, so its space is organised by category.

    python -m training.finetune_encoder --data build/holdout/train.csv --output-dir build/encoder

Starts from the packaged all-MiniLM-L6-v2 weights (nothing is fetched). Each step draws a batch of
`labels_per_batch` categories × `per_label` lines; within a category a *shape* (the generator's
template, the `shape` column) is drawn first and a line of it second, so a category's many-variant
templates do not crowd out its rare phrasings. The loss is sentence-transformers' batch-all triplet
loss on cosine distance: every line is pulled towards the lines of its category in the batch and
pushed from the others' by a margin. The text is what the embedding stage embeds (a structured line's
fields, masked; `text.prepare`, `text.masking`), cut at the service's token length.

Seeded and single-process: the same data, seed and thread count give the same weights. Writes a
sentence-transformers directory (fp32, ~90 MB: a build product, not shipped); `make train-encoder`
then exports it to int8 ONNX, distils the static vectors from it and retrains the regression.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

from log_classifier.taxonomy import CATEGORIES
from log_classifier.text.masking import mask_variables
from log_classifier.text.prepare import classification_text
from training.dataset import read_labelled_csv

log = logging.getLogger("training.finetune_encoder")

FINETUNED_NAME = "all-MiniLM-L6-v2-logs"
"""The fine-tuned encoder's name prefix; a hash of the training data and settings follows it."""


def training_pool(data: Path) -> dict[str, dict[str, list[str]]]:
    """label → shape → distinct masked texts, as the embedding stage sees them."""
    frame = read_labelled_csv(data)
    shapes = frame["shape"] if "shape" in frame.columns else frame["log_message"]
    pool: dict[str, dict[str, set[str]]] = {}
    for message, label, shape in zip(frame["log_message"], frame["target_label"], shapes):
        pool.setdefault(label, {}).setdefault(shape, set()).add(mask_variables(classification_text(message)))
    return {label: {shape: sorted(texts) for shape, texts in sorted(by_shape.items())}
            for label, by_shape in sorted(pool.items(), key=lambda item: CATEGORIES.index(item[0]))}


def batches(pool: dict[str, dict[str, list[str]]], steps: int, labels_per_batch: int, per_label: int,
            seed: int) -> list[tuple[list[str], list[int]]]:
    """`steps` batches of (texts, label ids), drawn label → shape → text."""
    rng = random.Random(seed)
    labels = list(pool)
    shapes = {label: list(by_shape) for label, by_shape in pool.items()}
    drawn = []
    for _ in range(steps):
        texts, ids = [], []
        for label in rng.sample(labels, min(labels_per_batch, len(labels))):
            for _ in range(per_label):
                shape = rng.choice(shapes[label])
                texts.append(rng.choice(pool[label][shape]))
                ids.append(labels.index(label))
        drawn.append((texts, ids))
    return drawn


def finetune(data: Path, output_dir: Path, *, steps: int, labels_per_batch: int, per_label: int,
             learning_rate: float, margin: float, max_seq_length: int, seed: int, model_dir: str = "") -> dict:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.losses import (
        BatchAllTripletLoss,
        BatchHardTripletLossDistanceFunction,
    )
    from transformers import get_linear_schedule_with_warmup

    from log_classifier.model.embedders import default_model_dir

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    source = Path(model_dir) if model_dir else default_model_dir()
    model = SentenceTransformer(str(source), device="cpu")
    model.max_seq_length = max_seq_length
    loss_fn = BatchAllTripletLoss(model, distance_metric=BatchHardTripletLossDistanceFunction.cosine_distance,
                                  margin=margin)
    pool = training_pool(data)
    log.info("%d categories, %d shapes, %d distinct texts", len(pool),
             sum(len(s) for s in pool.values()), sum(len(t) for s in pool.values() for t in s.values()))
    plan = batches(pool, steps, labels_per_batch, per_label, seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, weight_decay=0.01)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.1 * steps), steps)
    model.train()
    started, losses = time.monotonic(), []
    for step, (texts, ids) in enumerate(plan, 1):
        features = dict(model.preprocess(texts))
        loss = loss_fn([features], torch.tensor(ids))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        losses.append(float(loss.detach()))
        if step % 25 == 0 or step == steps:
            log.info("step %d/%d loss %.4f (%.0f s)", step, steps, float(np.mean(losses[-25:])),
                     time.monotonic() - started)
    model.eval()
    settings = {"steps": steps, "labels_per_batch": labels_per_batch, "per_label": per_label,
                "learning_rate": learning_rate, "margin": margin, "max_seq_length": max_seq_length, "seed": seed,
                "loss": "BatchAllTripletLoss, cosine distance", "data_sha256": _sha256(data)}
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:8]
    output_dir.mkdir(parents=True, exist_ok=True)
    model.save(str(output_dir))
    (output_dir / "README.md").unlink(missing_ok=True)  # a model card written for a hub upload
    info = {"name": f"{FINETUNED_NAME}-{digest}", "base": "all-MiniLM-L6-v2", "settings": settings,
            "seconds": round(time.monotonic() - started, 1), "threads": torch.get_num_threads(),
            "final_loss": round(float(np.mean(losses[-25:])), 4)}
    (output_dir / "finetune.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    log.info("wrote %s (%s) in %.0f s", output_dir, info["name"], info["seconds"])
    return info


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.finetune_encoder", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="labelled CSV (source, log_message, target_label, shape)")
    parser.add_argument("--output-dir", type=Path, required=True, help="where to write the fine-tuned encoder")
    parser.add_argument("--steps", type=int, default=240)
    parser.add_argument("--labels-per-batch", type=int, default=9)
    parser.add_argument("--per-label", type=int, default=6)
    parser.add_argument("--learning-rate", type=float, default=3e-5)
    parser.add_argument("--margin", type=float, default=0.3)
    parser.add_argument("--max-seq-length", type=int, default=64)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--embedding-model", default="", help="starting weights (default: the packaged MiniLM)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    finetune(args.data, args.output_dir, steps=args.steps, labels_per_batch=args.labels_per_batch,
             per_label=args.per_label, learning_rate=args.learning_rate, margin=args.margin,
             max_seq_length=args.max_seq_length, seed=args.seed, model_dir=args.embedding_model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
