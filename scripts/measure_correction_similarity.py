"""How far may a person's correction spread to similar patterns? Measured, not guessed.

    python scripts/measure_correction_similarity.py [--data FILE ...] [--model-dir DIR] [--rounds 20] \
        [--round-up] [--same-mistake]

Simulates issue 21's loop on labelled lines the model never trained on (by default the dev set and
both probe sets; add `build/holdout/test.csv` with `--model-dir build/holdout/model` for held-out
generator shapes): the lines are classified by the service's own cascade (no LLM) and grouped into
patterns by the one pattern key; in every round a person corrects a random half of each source's
wrong patterns; every other pattern whose nearest corrected pattern is at least `t` similar (cosine of
their embeddings) takes that pattern's label. Per threshold it prints, averaged over the rounds,
how many uncorrected patterns followed a correction, how many of those were wrong before and right
after (gained) and right before and wrong after (lost), the precision of what followed, and the
pattern accuracy of the uncorrected patterns before → after. `--round-up`: a source with one wrong pattern
gets it corrected (without it, half of one is none, and the real-line figures leave out exactly the
corrections that cost); `--same-mistake`: a pattern follows only when the model gives it the label the
person overrode (the service's guard, stages/feedback.py). The README's table: `--rounds 10 --round-up
--same-mistake` on the default real sets, and on build/holdout/test.csv with --model-dir build/holdout/model.
Both embeddings are measured: the static vectors of the fast path (~40 µs a pattern) and the contextual
encoder (what the service uses).
"""

from __future__ import annotations

import argparse
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from log_classifier.cascade import load_classifier
from log_classifier.config import get_settings
from log_classifier.model.embedders import StaticEmbedder
from log_classifier.text.pattern_key import PatternKey

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = [Path("../shared/data/real_logs_dev.csv"), ROOT / "training/probe_logs.csv",
                ROOT / "training/probe2_logs.csv"]
THRESHOLDS = (0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99)


def patterns_of(frames: Sequence[pd.DataFrame], model_dir: Path | None) -> pd.DataFrame:
    """One row per pattern: key, source, masked text, true label (majority of its lines), the model's label."""
    settings = get_settings(groq_api_key="", pattern_store="off", **({"model_dir": model_dir} if model_dir else {}))
    loaded = load_classifier(settings)
    try:
        rows = []
        for frame in frames:
            predictions, keys, _ = loaded.cascade.classify_keyed(list(frame["source"]), list(frame["log_message"]))
            rows += [(key, truth, prediction.label) for key, truth, prediction
                     in zip(keys, frame["target_label"], predictions) if key is not None]
    finally:
        loaded.close()
    truths: dict[PatternKey, Counter[str]] = defaultdict(Counter)
    predicted: dict[PatternKey, str] = {}
    for key, truth, label in rows:
        truths[key][truth] += 1
        predicted[key] = label
    return pd.DataFrame([{"key": key, "source": key.source, "masked": key.masked,
                          "truth": counts.most_common(1)[0][0], "predicted": predicted[key]}
                         for key, counts in truths.items()])


def simulate(patterns: pd.DataFrame, vectors: np.ndarray, *, rounds: int, same_source: bool,
             round_up: bool = False, same_mistake: bool = False) -> pd.DataFrame:
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    similarity = vectors @ vectors.T
    truth, predicted, sources = (patterns[c].to_numpy() for c in ("truth", "predicted", "source"))
    wrong_by_source: dict[str, list[int]] = defaultdict(list)
    for index in np.flatnonzero(truth != predicted):
        wrong_by_source[sources[index]].append(int(index))
    results = []
    for threshold in THRESHOLDS:
        totals: Counter[str] = Counter()
        for seed in range(rounds):
            rng = random.Random(seed)
            corrected = np.array(sorted(i for wrong in wrong_by_source.values()
                                        for i in rng.sample(wrong, (len(wrong) + round_up) // 2)), dtype=int)
            others = np.setdiff1d(np.arange(len(patterns)), corrected)
            if len(corrected) == 0:
                continue
            sims = similarity[np.ix_(others, corrected)]
            if same_source:
                sims = np.where(sources[others][:, None] == sources[corrected][None, :], sims, -1.0)
            nearest = sims.argmax(axis=1)
            follows = sims[np.arange(len(others)), nearest] >= threshold
            if same_mistake:  # only where the model gives the neighbour the label the person overrode
                follows &= predicted[others] == predicted[corrected][nearest]
            new_label = np.where(follows, truth[corrected][nearest], predicted[others])
            before_right = predicted[others] == truth[others]
            after_right = new_label == truth[others]
            totals["patterns"] += len(others)
            totals["followed"] += int(follows.sum())
            totals["followed_right"] += int((follows & after_right).sum())
            totals["gained"] += int((~before_right & after_right).sum())
            totals["lost"] += int((before_right & ~after_right).sum())
            totals["right_before"] += int(before_right.sum())
            totals["right_after"] += int(after_right.sum())
        n = max(totals["patterns"], 1)
        results.append({
            "threshold": threshold,
            "followed": totals["followed"] / rounds,
            "gained": totals["gained"] / rounds,
            "lost": totals["lost"] / rounds,
            "precision": totals["followed_right"] / max(totals["followed"], 1),
            "accuracy_before": totals["right_before"] / n,
            "accuracy_after": totals["right_after"] / n,
        })
    return pd.DataFrame(results)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="+", default=DEFAULT_DATA)
    parser.add_argument("--model-dir", type=Path)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--round-up", action="store_true",
                        help="a source with an odd number of wrong patterns gets the larger half corrected (one of one)")
    parser.add_argument("--same-mistake", action="store_true",
                        help="a pattern follows only when the model gives it the label the person overrode")
    args = parser.parse_args(argv)
    frames = [pd.read_csv(path, dtype=str, keep_default_na=False) for path in args.data if path.is_file()]
    patterns = patterns_of(frames, args.model_dir)
    wrong = int((patterns["truth"] != patterns["predicted"]).sum())
    print(f"{len(patterns)} patterns from {sum(len(f) for f in frames)} lines, {wrong} wrong before any correction")
    settings = get_settings()
    texts = list(patterns["masked"])
    embedders = {"static": StaticEmbedder(settings.static_model_dir).encode}
    from log_classifier.model.embedders import make_embedder
    encoder = make_embedder(settings.embedding_backend, embedding_model=settings.embedding_model,
                            onnx_dir=settings.onnx_model_dir, batch_size=settings.embedding_batch_size,
                            max_seq_length=settings.max_seq_length, workers=1)
    embedders["encoder"] = encoder.encode
    pd.set_option("display.width", 160)
    for name, encode in embedders.items():
        vectors = np.asarray(encode(texts), dtype=np.float32)
        for same_source in (False, True):
            print(f"\n{name} vectors, nearest corrected pattern {'of the same source' if same_source else 'anywhere'}"
                  f" ({args.rounds} rounds, half of each source's wrong patterns corrected):")
            print(simulate(patterns, vectors, rounds=args.rounds, same_source=same_source, round_up=args.round_up,
                           same_mistake=args.same_mistake)
                  .to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    encoder.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
