"""Split a labelled CSV by message shape (the `shape` column), for an honest held-out evaluation.

    python scripts/split_by_shape.py --data build/training_logs.csv --output-dir build/holdout
    python -m training.train --data build/holdout/train.csv --output-dir build/holdout/model
    python -m training.evaluate --data build/holdout/test.csv --model-dir build/holdout/model
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
from sklearn.model_selection import GroupShuffleSplit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--output-dir", type=Path, required=True)
    parser.add_argument("--test-size", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    frame = pd.read_csv(args.data, dtype=str, keep_default_na=False)
    splitter = GroupShuffleSplit(n_splits=1, test_size=args.test_size, random_state=args.seed)
    train_idx, test_idx = next(splitter.split(frame, groups=frame["shape"]))
    args.output_dir.mkdir(parents=True, exist_ok=True)
    frame.iloc[train_idx].to_csv(args.output_dir / "train.csv", index=False)
    frame.iloc[test_idx].to_csv(args.output_dir / "test.csv", index=False)
    print(f"{len(train_idx)} train rows, {len(test_idx)} test rows from "
          f"{frame.iloc[test_idx]['shape'].nunique()} held-out shapes")


if __name__ == "__main__":
    main()
