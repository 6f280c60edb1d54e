"""Export all-MiniLM-L6-v2 to ONNX and quantise it to int8 for the fast embedding path.

    python -m training.export_onnx --output-dir models/onnx

Writes `model-int8.onnx` and `tokenizer.json`. Needs torch and onnx (development only); the
service then runs the model with onnxruntime and tokenizers, without importing torch.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

log = logging.getLogger("training.export_onnx")

OPSET = 17


def export(output_dir: Path, model_dir: str = "") -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    from log_classifier.model.embedders import default_model_dir, encoder_name

    source = Path(model_dir) if model_dir else default_model_dir()
    model = AutoModel.from_pretrained(str(source), attn_implementation="eager").eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            return self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state

    output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "model.onnx"
        dummy = torch.ones((2, 16), dtype=torch.long)
        torch.onnx.export(
            LastHiddenState(),
            (dummy, dummy),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                          "last_hidden_state": {0: "batch", 1: "tokens"}},
            opset_version=OPSET,
            dynamo=False,
        )
        target = output_dir / "model-int8.onnx"
        quantize_dynamic(
            str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    shutil.copyfile(source / "tokenizer.json", output_dir / "tokenizer.json")
    info = {"name": encoder_name(model_dir), "dimension": int(model.config.hidden_size), "quantization": "int8 dynamic, per channel"}
    (output_dir / "encoder.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    log.info("wrote %s (%.1f MB)", target, target.stat().st_size / 1e6)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.export_onnx", description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=Path("models/onnx"),
                        help="directory to write model-int8.onnx and tokenizer.json to (default models/onnx)")
    parser.add_argument("--embedding-model", default="", help="local model directory (default: the packaged MiniLM)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    export(args.output_dir, args.embedding_model)
    return 0


if __name__ == "__main__":
    sys.exit(main())
