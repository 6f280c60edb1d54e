"""Reading and checking a labelled training CSV (source, log_message, target_label)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from log_classifier.taxonomy import CATEGORIES

REQUIRED_COLUMNS = ("source", "log_message", "target_label")


class DatasetError(ValueError):
    """The training file cannot be used; the message says why and what to fix."""


def read_labelled_csv(path: Path) -> pd.DataFrame:
    """Read a labelled CSV; extra columns are kept, values are strings, blank messages dropped."""
    if not path.is_file():
        raise DatasetError(f"{path}: no such file")
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError as exc:
        raise DatasetError(f"{path}: the file is empty") from exc
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DatasetError(f"{path}: not a readable UTF-8 CSV ({exc})") from exc
    frame.columns = [str(column).strip() for column in frame.columns]
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise DatasetError(
            f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(REQUIRED_COLUMNS)}"
        )
    frame = frame[frame["log_message"].str.strip() != ""].reset_index(drop=True)
    if frame.empty:
        raise DatasetError(f"{path}: no rows with a log_message")
    frame["target_label"] = frame["target_label"].str.strip()
    unknown = sorted(set(frame["target_label"]) - set(CATEGORIES))
    if unknown:
        raise DatasetError(
            f"{path}: unknown target_label value(s) {unknown}; use the categories: {', '.join(CATEGORIES)}"
        )
    return frame
