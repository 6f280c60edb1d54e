"""Train the embedding stage on a labelled CSV and write a model directory.

    python -m training.train --data FILE.csv --output-dir DIR [--target-precision 0.97]

Steps: mask messages and read each line's header severity; drop rows the regex rules already
cover; leave categories with too few examples to the LLM; validate on a split by message *shape*
(the `shape` column when present, else the masked message) so the figure measures unseen
phrasings; choose the confidence threshold, overall and per label, that reaches the target
precision on that split; calibrate the fast path (a classifier on static vectors, trusted above
the confidence at which it changes at most 1 % of the full model's answers on that split and
costs no accuracy); refit on everything; write the directory.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import platform
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, classification_report, f1_score
from sklearn.model_selection import GroupShuffleSplit

from log_classifier.config import BASE_RULES_FILE, DEFAULT_MODEL_DIR
from log_classifier.contract import LogRecord
from log_classifier.errors import ConfigurationError
from log_classifier.model.estimator import EmbeddingTextClassifier
from log_classifier.model.store import FORMAT_VERSION, RULES_FILE, write_model
from log_classifier.stages.regex import RegexClassifier
from log_classifier.taxonomy import CATEGORIES
from log_classifier.text.masking import mask_variables
from log_classifier.text.prepare import classification_text
from training.dataset import DatasetError, read_labelled_csv

log = logging.getLogger("training.train")

DEFAULT_TARGET_PRECISION = 0.97
DEFAULT_MIN_EXAMPLES = 10
DEFAULT_THRESHOLD_FLOOR = 0.3
DEFAULT_THRESHOLD_CAP = 0.5
VALIDATION_FRACTION = 0.2
SEED = 42
DEFAULT_ONNX_DIR = DEFAULT_MODEL_DIR / "onnx"
DEFAULT_STATIC_DIR = DEFAULT_MODEL_DIR / "static"
FAST_PATH_THRESHOLDS = (0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99)
MAX_FAST_PATH_CHANGES = 0.01
"""The fast path may change at most this share of the full model's answers on unseen shapes."""
C_GRID = (4.0, 16.0, 64.0)
MIN_PREDICTIONS_PER_LABEL = 20
"""A label's own threshold is only lowered on at least this many validation predictions of it."""


def train(
    data: Path,
    output_dir: Path,
    *,
    target_precision: float = DEFAULT_TARGET_PRECISION,
    min_examples: int = DEFAULT_MIN_EXAMPLES,
    embedding_model: str = "",
    embedding_backend: str = "onnx",
    onnx_dir: Path = DEFAULT_ONNX_DIR,
    max_seq_length: int = 64,
    embedding_cache: Path | None = None,
    static_dir: Path | None = DEFAULT_STATIC_DIR,
    extra_data: Sequence[Path] = (),
    c_grid: Sequence[float] = C_GRID,
) -> dict[str, Any]:
    """Train and write `output_dir`; returns the metadata written. `extra_data`: people's corrections
    (`with_corrections`)."""
    frame = read_labelled_csv(data)
    # The text the stages see (a structured line's meaningful fields, text.prepare) and its severity,
    # read by the same functions the service uses (the pattern key and the embedding stage).
    prepared = [classification_text(message) for message in frame["log_message"]]
    frame["masked"] = [mask_variables(text) for text in prepared]
    frame["severity"] = EmbeddingTextClassifier.severities_of(prepared)
    frame["shape"] = frame["shape"] if "shape" in frame.columns else frame["masked"]
    if extra_data:
        frame = with_corrections(frame, extra_data)

    rules = RegexClassifier.from_files(BASE_RULES_FILE, output_dir / RULES_FILE)
    covered = [p is not None for p in rules.classify_batch([LogRecord("", m) for m in frame["masked"]])]
    learnable = frame[~np.array(covered)]
    counts = learnable["target_label"].value_counts()
    rare = {label: int(count) for label, count in counts.items() if count < min_examples}
    learnable = learnable[~learnable["target_label"].isin(list(rare))]
    labels = sorted(set(learnable["target_label"]), key=CATEGORIES.index)
    if len(labels) < 2:
        raise DatasetError(
            "too few examples to learn: need at least two categories with "
            f"{min_examples}+ rows not covered by regex rules; counts: "
            + ", ".join(f"{label}={int(count)}" for label, count in counts.items())
        )
    for label, count in rare.items():
        log.warning("category %r has only %d examples (< %d): left to the LLM", label, count, min_examples)

    from log_classifier.model.embedders import make_embedder

    embedder = make_embedder(
        embedding_backend, embedding_model=embedding_model, onnx_dir=onnx_dir, batch_size=16,
        max_seq_length=max_seq_length,
    )
    # One row per distinct (masked text, severity, label): repeated shapes add no information.
    distinct = distinct_rows(learnable)
    log.info("embedding %d distinct masked messages (%d rows)", distinct["masked"].nunique(), len(learnable))
    vectors = _encode(embedder, distinct["masked"].tolist(), embedding_cache)
    y = distinct["target_label"].to_numpy()
    severities = distinct["severity"].tolist()

    texts = distinct["masked"].tolist()
    groups = distinct["shape"].to_numpy()
    train_idx, val_idx = _split(y, groups)
    validation, full_answers = _shape_split_validation(
        texts, vectors, y, groups, labels, target_precision, severities=severities, split=(train_idx, val_idx),
        c_grid=c_grid,
    )
    final = _new_classifier(validation["C"]).fit(texts, vectors, y, severities)

    fast_section, fast_final = None, None
    if static_dir is not None:
        from log_classifier.model.embedders import StaticEmbedder

        static = StaticEmbedder(static_dir, max_seq_length=max_seq_length)
        static_vectors = static.encode(texts)
        fast_validation = _fast_path_validation(
            texts, static_vectors, y, groups, severities, (train_idx, val_idx), full_answers, validation["C"]
        )
        fast_section = {"encoder": {"name": static.name, "dimension": static.dimension},
                        "threshold": fast_validation["threshold"], "validation": fast_validation}
        if fast_validation["threshold"] is not None:
            fast_final = _new_classifier(validation["C"]).fit(texts, static_vectors, y, severities)
        else:
            log.warning("the fast path would change the full model's answers or cost accuracy: none written")

    digest = hashlib.sha256(data.read_bytes())
    for path in extra_data:  # the corrections are part of what the model was trained on
        digest.update(path.read_bytes())
    data_hash = digest.hexdigest()
    metadata: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "model_version": f"lr-{data_hash[:10]}",
        "labels": [str(label) for label in final.classes_],
        "left_to_llm": rare,
        "encoder": {"name": embedder.name, "dimension": embedder.dimension, "max_seq_length": max_seq_length,
                    "trained_with_backend": embedding_backend},
        "threshold": validation["threshold"],
        "thresholds_by_label": validation["thresholds_by_label"],
        "threshold_target_precision": target_precision,
        "classifier": {"type": "LogisticRegression over embedding + TF-IDF words + header severity",
                       "C": validation["C"], "class_weight": "balanced", "tfidf_weight": final.tfidf_weight,
                       "severity_weight": final.severity_weight, "severity_levels": list(final.severity_levels_),
                       "vocabulary": len(final.vectorizer_.vocabulary_)},
        "versions": _versions(),
        "data": {
            "file": data.name,
            "sha256": data_hash,
            "rows": int(len(frame)),
            "rows_covered_by_rules": int(sum(covered)),
            "distinct_masked_trained_on": int(len(distinct)),
            "severity_counts": {str(k): int(v) for k, v in frame["severity"].value_counts().items()},
            "counts": {str(k): int(v) for k, v in frame["target_label"].value_counts().items()},
        },
        "metrics": {"shape_split": validation},
    }
    if fast_final is not None:
        metadata["fast_path"] = fast_section
    elif fast_section is not None:
        metadata["metrics"]["fast_path_rejected"] = fast_section["validation"]
    write_model(output_dir, final, metadata, fast_final)
    return metadata


def with_corrections(frame: pd.DataFrame, extra_data: Sequence[Path]) -> pd.DataFrame:
    """`frame` plus the rows of `extra_data` (python -m training.corrections), weighted above it: a corrected
    pattern (masked text and header severity) keeps only the person's rows — the training data's rows of the
    same pattern, whatever their label, are dropped — so the person's label is the only one the model sees
    for it. Each corrected pattern is its own shape in the shape split."""
    extra = pd.concat([read_labelled_csv(path) for path in extra_data], ignore_index=True)
    prepared = [classification_text(message) for message in extra["log_message"]]  # as for the training rows
    extra["masked"] = [mask_variables(text) for text in prepared]
    extra["severity"] = EmbeddingTextClassifier.severities_of(prepared)
    extra["shape"] = "correction:" + extra["masked"]
    corrected = set(zip(extra["masked"], extra["severity"]))
    overridden = np.array([pair in corrected for pair in zip(frame["masked"], frame["severity"])], dtype=bool)
    log.info("%d correction rows (%d patterns) replace %d training rows of the same patterns",
             len(extra), len(corrected), int(overridden.sum()))
    return pd.concat([frame[~overridden], extra[list(frame.columns.intersection(extra.columns))]],
                     ignore_index=True).fillna("")


def distinct_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct (masked text, header severity, label) of a frame with those columns."""
    return frame.drop_duplicates(["masked", "severity", "target_label"]).reset_index(drop=True)


def _encode(embedder: Any, texts: list[str], cache: Path | None) -> np.ndarray:
    """Embed each distinct text once; with `cache`, vectors from earlier runs (same encoder) are reused.

    The cache is a developer's convenience when iterating on the generator (`--embedding-cache`):
    an .npz of texts and vectors, rewritten with what this run added.
    """
    unique = list(dict.fromkeys(texts))
    known: dict[str, np.ndarray] = {}
    if cache is not None and cache.is_file():
        with np.load(cache, allow_pickle=False) as stored:
            if str(stored["encoder"]) == embedder.name:
                known = dict(zip(stored["texts"].tolist(), stored["vectors"]))
    missing = [text for text in unique if text not in known]
    if missing:
        log.info("embedding %d texts (%d from the cache)", len(missing), len(unique) - len(missing))
        known.update(zip(missing, embedder.encode(missing)))
    if cache is not None and missing:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("wb") as handle:
            np.savez(handle, encoder=np.array(embedder.name), texts=np.array(list(known)),
                     vectors=np.stack(list(known.values())).astype(np.float32))
    return np.stack([known[text] for text in texts]).astype(np.float32) if texts else np.zeros((0, embedder.dimension))


def _new_classifier(c: float) -> EmbeddingTextClassifier:
    return EmbeddingTextClassifier(C=c, random_state=SEED)


def _split(y: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation rows, whole shapes on one side or the other."""
    splitter = GroupShuffleSplit(n_splits=1, test_size=VALIDATION_FRACTION, random_state=SEED)
    train_idx, val_idx = next(splitter.split(y, y, groups))
    return train_idx, val_idx


def _shape_split_validation(
    texts: list[str],
    vectors: np.ndarray, y: np.ndarray, groups: np.ndarray, labels: list[str], target_precision: float,
    *, severities: list[str] | None = None, split: tuple[np.ndarray, np.ndarray] | None = None,
    c_grid: Sequence[float] = C_GRID,
) -> tuple[dict[str, Any], np.ndarray]:
    """Hold out whole shapes, fit on the rest, measure, and calibrate the thresholds.

    Returns the report and, per validation row, what the service would answer ("" = not confident).
    """
    train_idx, val_idx = split if split is not None else _split(y, groups)
    if len(set(y[train_idx])) < 2:
        raise DatasetError(
            f"too few distinct message shapes to validate on unseen shapes ({len(set(groups))} shapes); "
            "add more varied examples (several phrasings per category)"
        )
    truth = y[val_idx]
    # Regularisation is chosen on unseen shapes by what the service delivers without an LLM: the
    # shape-balanced share of rows labelled correctly *and* confidently (an abstention counts as a
    # miss). Ties (to 0.005) go to the smaller C.
    candidates = []
    def severities_at(index: np.ndarray) -> list[str] | None:
        return None if severities is None else [severities[i] for i in index]

    for c in c_grid:
        model = _new_classifier(c).fit(
            [texts[i] for i in train_idx], vectors[train_idx], y[train_idx], severities_at(train_idx)
        )
        probabilities = model.predict_proba([texts[i] for i in val_idx], vectors[val_idx], severities_at(val_idx))
        hits = (model.classes_[probabilities.argmax(axis=1)] == truth) & (probabilities.max(axis=1) >= DEFAULT_THRESHOLD_CAP)
        delivered = float(pd.Series(hits).groupby(groups[val_idx]).mean().mean())
        candidates.append((-round(delivered * 200) / 200, c, model, probabilities))
    _, best_c, model, probabilities = min(candidates, key=lambda item: item[:2])
    predicted = model.classes_[probabilities.argmax(axis=1)]
    confidence = probabilities.max(axis=1)
    threshold = _calibrate(confidence, predicted == truth, target_precision)
    thresholds_by_label = {
        str(label): _calibrate(confidence[predicted == label], (predicted == truth)[predicted == label],
                               target_precision, min_kept=MIN_PREDICTIONS_PER_LABEL)
        for label in labels
    }
    kept = confidence >= np.array([thresholds_by_label.get(str(label), threshold) for label in predicted])
    report = classification_report(truth, predicted, labels=labels, output_dict=True, zero_division=0)
    answers = np.where(kept, predicted.astype(str), "")
    return {
        "split": "by message shape",
        "C": best_c,
        "validation_shapes": int(len(set(groups[val_idx]))),
        "validation_rows": int(len(val_idx)),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "threshold": threshold,
        "thresholds_by_label": thresholds_by_label,
        "coverage_at_threshold": round(float(kept.mean()), 4),
        "precision_at_threshold": round(float((predicted == truth)[kept].mean()) if kept.any() else 0.0, 4),
        "precision_at_threshold_by_label": {
            str(label): round(float((predicted == truth)[kept & (predicted == label)].mean()), 4)
            for label in labels if (kept & (predicted == label)).any()
        },
        "per_category": {
            label: {k: round(float(report[label][k]), 4) for k in ("precision", "recall", "f1-score", "support")}
            for label in labels
        },
    }, answers


def _fast_path_validation(
    texts: list[str], static_vectors: np.ndarray, y: np.ndarray, groups: np.ndarray, severities: list[str],
    split: tuple[np.ndarray, np.ndarray], full_answers: np.ndarray, c: float,
) -> dict[str, Any]:
    """The lowest confidence at which the classifier on static vectors may answer instead of the full model.

    On the validation shapes: where the fast path is at least that confident its answer is taken,
    elsewhere the full model's (`full_answers`, "" where it abstains). The threshold must change at
    most `MAX_FAST_PATH_CHANGES` of the full model's answers and leave the shape-balanced share of
    right answers no lower. None if no threshold does.
    """
    train_idx, val_idx = split
    model = _new_classifier(c).fit([texts[i] for i in train_idx], static_vectors[train_idx], y[train_idx],
                                   [severities[i] for i in train_idx])
    probabilities = model.predict_proba([texts[i] for i in val_idx], static_vectors[val_idx],
                                        [severities[i] for i in val_idx])
    predicted = model.classes_[probabilities.argmax(axis=1)].astype(str)
    confidence = probabilities.max(axis=1)
    truth, shapes = y[val_idx], groups[val_idx]

    def delivered(answers: np.ndarray) -> float:
        return float(pd.Series(answers == truth).groupby(shapes).mean().mean())

    baseline = delivered(full_answers)
    tried = []
    for threshold in FAST_PATH_THRESHOLDS:
        taken = confidence >= threshold
        combined = np.where(taken, predicted, full_answers)
        row = {"threshold": threshold, "coverage": round(float(taken.mean()), 4),
               "changed": round(float((combined != full_answers).mean()), 4),
               "delivered": round(delivered(combined), 4)}
        tried.append(row)
        if row["changed"] <= MAX_FAST_PATH_CHANGES and delivered(combined) >= baseline:
            return {"threshold": threshold, "coverage": row["coverage"], "changed": row["changed"],
                    "delivered_full_model": round(baseline, 4), "delivered_with_fast_path": row["delivered"],
                    "validation_rows": int(len(val_idx))}
    return {"threshold": None, "delivered_full_model": round(baseline, 4), "tried": tried,
            "validation_rows": int(len(val_idx))}


def _calibrate(confidence: np.ndarray, correct: np.ndarray, target_precision: float, *, min_kept: int = 1) -> float:
    """Lowest threshold whose kept predictions (at least `min_kept`) reach `target_precision`,
    within [floor, cap].

    The cap keeps the model in charge of most rows when no LLM key is set: below it, rows go on to
    the LLM, and without one they come back Unclassified. Per label, a category whose confident
    answers on unseen shapes are reliable gets a lower threshold; one that is not stays at the cap.
    """
    for threshold in np.round(np.arange(DEFAULT_THRESHOLD_FLOOR, DEFAULT_THRESHOLD_CAP + 1e-9, 0.01), 2):
        kept = confidence >= threshold
        if kept.sum() >= min_kept and correct[kept].mean() >= target_precision:
            return float(threshold)
    return DEFAULT_THRESHOLD_CAP


def _versions() -> dict[str, str]:
    import joblib
    import sentence_transformers
    import sklearn
    import torch

    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "sentence-transformers": sentence_transformers.__version__,
        "torch": torch.__version__,
        "numpy": np.__version__,
        "joblib": joblib.__version__,
        "pandas": pd.__version__,
    }


def _c_grid(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of numbers: {text!r}") from None
    if not values or any(value <= 0 for value in values):
        raise argparse.ArgumentTypeError(f"C values must be positive: {text!r}")
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.train", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="labelled CSV: source, log_message, target_label")
    parser.add_argument("--output-dir", type=Path, required=True, help="model directory to write")
    parser.add_argument("--target-precision", type=float, default=DEFAULT_TARGET_PRECISION,
                        help="precision each label's confidence threshold is calibrated towards on held-out shapes, "
                             f"kept within [{DEFAULT_THRESHOLD_FLOOR}, {DEFAULT_THRESHOLD_CAP}] (default {DEFAULT_TARGET_PRECISION})")
    parser.add_argument("--min-examples", type=int, default=DEFAULT_MIN_EXAMPLES,
                        help="categories with fewer rows are left to the LLM")
    parser.add_argument("--embedding-model", default="", help="local model directory (default: the packaged MiniLM)")
    parser.add_argument("--embedding-backend", choices=("onnx", "torch"), default="onnx",
                        help="embed with the int8 ONNX export (default, as the service) or sentence-transformers")
    parser.add_argument("--onnx-dir", type=Path, default=DEFAULT_ONNX_DIR,
                        help="the int8 ONNX encoder for --embedding-backend onnx (make onnx writes it)")
    parser.add_argument("--embedding-cache", type=Path,
                        help="optional .npz reusing embeddings across runs (for iterating on the data)")
    parser.add_argument("--static-dir", type=Path, default=DEFAULT_STATIC_DIR,
                        help="static vectors for the fast path (python -m training.distill_static)")
    parser.add_argument("--no-fast-path", action="store_true", help="train no fast path")
    parser.add_argument("--c-grid", type=_c_grid, default=C_GRID, metavar="C[,C...]",
                        help="regularisation values the shape split chooses from (default "
                             f"{','.join(f'{c:g}' for c in C_GRID)}); one value pins it (make train pins the released one)")
    parser.add_argument("--extra-data", type=Path, action="append", default=[],
                        help="people's corrections (python -m training.corrections), repeatable: a corrected pattern's "
                        "rows replace every --data row of the same pattern (masked text + header severity), so the "
                        "person's label is the only one the model learns for it")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        metadata = train(args.data, args.output_dir, target_precision=args.target_precision,
                         min_examples=args.min_examples, embedding_model=args.embedding_model,
                         embedding_backend=args.embedding_backend, onnx_dir=args.onnx_dir,
                         embedding_cache=args.embedding_cache,
                         static_dir=None if args.no_fast_path else args.static_dir, extra_data=args.extra_data,
                         c_grid=args.c_grid)
    except (DatasetError, ConfigurationError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _print_report(metadata, args.output_dir)
    return 0


def _print_report(metadata: dict[str, Any], output_dir: Path) -> None:
    validation = metadata["metrics"]["shape_split"]
    lines = [
        f"model {metadata['model_version']} written to {output_dir}",
        f"rows {metadata['data']['rows']} (covered by rules {metadata['data']['rows_covered_by_rules']}), "
        f"distinct masked messages trained on {metadata['data']['distinct_masked_trained_on']}",
        f"shape-split validation: {validation['validation_shapes']} unseen shapes, "
        f"accuracy {validation['accuracy']}, macro-F1 {validation['macro_f1']}",
        f"threshold {validation['threshold']} (target precision {metadata['threshold_target_precision']}): "
        f"coverage {validation['coverage_at_threshold']}, precision {validation['precision_at_threshold']}",
        "thresholds by label: " + ", ".join(f"{label} {value}" for label, value in validation["thresholds_by_label"].items()),
    ]
    fast = metadata.get("fast_path")
    if fast:
        check = fast["validation"]
        lines.append(f"fast path ({fast['encoder']['name']}): threshold {fast['threshold']}, answers {check['coverage']:.0%} "
                     f"of unseen shapes, changes {check['changed']:.1%} of the full model's answers, delivered "
                     f"{check['delivered_full_model']} -> {check['delivered_with_fast_path']}")
    elif "fast_path_rejected" in metadata["metrics"]:
        lines.append("fast path: none (it would change the full model's answers or cost accuracy)")
    for label, scores in validation["per_category"].items():
        lines.append(f"  {label:<22} P {scores['precision']:.3f}  R {scores['recall']:.3f}  "
                     f"F1 {scores['f1-score']:.3f}  n {int(scores['support'])}")
    for label, count in metadata["left_to_llm"].items():
        lines.append(f"  {label}: only {count} examples, left to the LLM")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
