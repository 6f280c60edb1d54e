"""Distil all-MiniLM-L6-v2 into static token vectors (model2vec) for the embedding stage's fast path.

    python -m training.distill_static --output-dir models/static

Each word piece of MiniLM's vocabulary is run through MiniLM once; the outputs, reduced by PCA to
256 dimensions and weighted by token frequency (model2vec's `distill`), become a lookup table. A
line's static vector is then the mean of its word pieces' rows: ~40 µs a line instead of the
contextual encoder's 2-4 ms. The service uses it only where a classifier on these vectors is
confident enough (`training.train` calibrates how confident); the contextual encoder does the rest.

Writes `model.safetensors`, `tokenizer.json`, `config.json` (~15 MB, float16) and `encoder.json`,
whose name carries a hash of the vectors: the distillation is not bit-for-bit repeatable (PCA's
randomised solver), and a fast path only loads beside the vectors it was trained on. Needs torch,
transformers and model2vec's distillation helpers (development only; the service needs model2vec
and tokenizers). Nothing is downloaded: the source is the packaged MiniLM directory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

log = logging.getLogger("training.distill_static")

PCA_DIMS = 256


def distil(output_dir: Path, model_dir: str = "") -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from model2vec.distill import distill

    from log_classifier.model.embedders import (
        STATIC_INFO_FILE,
        STATIC_VECTORS_FILE,
        default_model_dir,
        encoder_name,
        static_encoder_name,
    )

    source = Path(model_dir) if model_dir else default_model_dir()
    model = distill(model_name=str(source), pca_dims=PCA_DIMS)
    # Written next to the target, then renamed: a failed run leaves the previous directory intact.
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".static-", dir=output_dir.parent))
    try:
        model.save_pretrained(str(staging))
        (staging / "README.md").unlink(missing_ok=True)  # a model card written for a hub upload
        config_path = staging / "config.json"
        config = json.loads(config_path.read_text(encoding="utf-8"))
        config["tokenizer_name"] = encoder_name(model_dir)  # not this machine's path to it
        config_path.write_text(json.dumps(config, indent=4) + "\n", encoding="utf-8")
        digest = hashlib.sha256((staging / STATIC_VECTORS_FILE).read_bytes()).hexdigest()
        info = {"name": static_encoder_name(encoder_name(model_dir), digest), "sha256": digest,
                "distilled_from": encoder_name(model_dir),
                "dimension": PCA_DIMS, "method": "model2vec distill, PCA 256, SIF weighting, float16"}
        (staging / STATIC_INFO_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        if output_dir.exists():
            shutil.rmtree(output_dir)
        staging.rename(output_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("wrote %s", output_dir)
    return output_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.distill_static", description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, required=True,
                        help="directory to write the static vectors to (models/static for the service)")
    parser.add_argument("--embedding-model", default="", help="local model directory (default: the packaged MiniLM)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    distil(args.output_dir, args.embedding_model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
