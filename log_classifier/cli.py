"""Classify a CSV file from the shell: `python classifier.py INPUT.csv --output OUTPUT.csv [--explain]`.

Same settings (environment / `.env`), same model loading, same strict CSV reading and the same
output rows as `POST /classify/`; the lines are counted in the pattern store (PATTERN_STORE) like the
service's. A progress bar goes to stderr; a summary of categories and
stages to stdout. A problem with the input, the settings or the model: a message and exit code 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from log_classifier.config import Settings, get_settings
from log_classifier.contract import STAGES, Prediction
from log_classifier.errors import ClassifierError
from log_classifier.formats import reader
from log_classifier.formats.writer import iter_classified_csv
from log_classifier.taxonomy import CATEGORIES, UNCLASSIFIED

if TYPE_CHECKING:  # the cascade imports the model stack: only loaded when a file is classified
    from log_classifier.cascade import LoadedClassifier

EXIT_OK = 0
EXIT_ERROR = 2
# Rows per chunk at most: the progress bar moves once per chunk. Output does not depend on it.
MAX_CHUNK_ROWS = 5000


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="classifier.py",
        description="Classify the log lines of a CSV (columns source, log_message) into the nine categories.",
        epilog="Settings (MODEL_DIR, GROQ_API_KEY, ...) come from the environment and .env, as for the server.",
    )
    parser.add_argument("input", type=Path, help="CSV with columns source and log_message")
    parser.add_argument(
        "-o", "--output", type=Path, default=None,
        help="where to write the classified CSV (default: INPUT_classified.csv next to the input)",
    )
    parser.add_argument("--explain", action="store_true", help="add classified_by, confidence and reason columns")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def main(
    argv: Sequence[str] | None = None, *, settings: Settings | None = None, classifier: LoadedClassifier | None = None
) -> int:
    """Run the CLI; returns the exit code. `settings`/`classifier` are for embedding (tests, notebooks)."""
    args = build_parser().parse_args(argv)
    output: Path = args.output or args.input.with_name(f"{args.input.stem}_classified.csv")
    try:
        if args.input.resolve() == output.resolve():
            raise ClassifierError("the output would overwrite the input: choose another --output")
        stats = _classify_file(args.input, output, explain=args.explain, progress=not args.no_progress,
                               settings=settings, classifier=classifier)
    except (ClassifierError, OSError) as exc:
        sys.stderr.write(f"error: {_describe(exc)}\n")
        return EXIT_ERROR
    write_summary(sys.stdout, stats, output=output)
    return EXIT_OK


class RunStats:
    """Counts of one run, for the summary table."""

    def __init__(self) -> None:
        self.categories: Counter[str] = Counter()
        self.stages: Counter[str] = Counter()
        self.seconds = 0.0

    @property
    def rows(self) -> int:
        return sum(self.categories.values())

    def observe(self, predictions: Sequence[Prediction]) -> None:
        self.categories.update(prediction.label for prediction in predictions)
        self.stages.update(prediction.stage for prediction in predictions)


def _classify_file(
    source: Path, output: Path, *, explain: bool, progress: bool, settings: Settings | None,
    classifier: LoadedClassifier | None,
) -> RunStats:
    from tqdm import tqdm

    settings = settings or get_settings()
    stats = RunStats()
    started = time.perf_counter()
    with source.open("rb") as stream:
        # The input is checked before the model is loaded: a bad file fails in a second, not after start-up.
        layout = reader.check_layout(stream, keep_rows=settings.csv_chunk_rows)
        if not output.parent.is_dir():  # said before the model loads, and not as the .part file's error
            raise ClassifierError(f"{output.parent}: the output folder does not exist (create it, or choose another --output)")
        owned = classifier is None  # one handed in (tests) belongs to the caller
        if classifier is None:
            from log_classifier.cascade import load_classifier

            classifier = load_classifier(settings)
        from log_classifier.patterns.recorder import recorder_for

        patterns = recorder_for(settings)
        cascade = classifier.cascade
        partial = output.with_name(output.name + ".part")
        # disable=None: tqdm shows the bar only when stderr is a terminal.
        bar = tqdm(total=layout.rows, unit="rows", file=sys.stderr, disable=None if progress else True,
                   leave=False, desc=source.name)

        def observe(predictions: Sequence[Prediction]) -> None:
            stats.observe(predictions)
            bar.update(len(predictions))

        try:
            # Written next to the target and renamed at the end: a failed run leaves no half-written output.
            with partial.open("w", encoding="utf-8", newline="") as out:
                for text in iter_classified_csv(
                    lambda sources, messages: cascade.classify_keyed(sources, messages)[:2],
                    stream,
                    layout,
                    explain=explain,
                    chunk_rows=min(settings.csv_chunk_rows, MAX_CHUNK_ROWS),
                    neutralise_formulas=settings.neutralise_formulas,
                    observe=observe,
                    record=patterns.record,
                ):
                    out.write(text)
            os.replace(partial, output)
        finally:
            bar.close()
            partial.unlink(missing_ok=True)
            patterns.close()  # writes the counts
            if owned:
                classifier.close()
    stats.seconds = time.perf_counter() - started
    return stats


def write_summary(out: TextIO, stats: RunStats, *, output: Path) -> None:
    """Two small tables: rows per category (taxonomy order) and per stage."""
    total = stats.rows or 1
    out.write(f"Classified {stats.rows} rows in {stats.seconds:.1f} s → {output}\n\n")
    width = max(len(name) for name in (*CATEGORIES, UNCLASSIFIED))
    out.write(f"{'category':<{width}}  {'rows':>8}  {'share':>6}\n")
    for name in (*CATEGORIES, UNCLASSIFIED):
        count = stats.categories.get(name, 0)
        out.write(f"{name:<{width}}  {count:>8}  {100 * count / total:>5.1f}%\n")
    out.write(f"\n{'stage':<{width}}  {'rows':>8}  {'share':>6}\n")
    for name in STAGES:
        count = stats.stages.get(name, 0)
        out.write(f"{name:<{width}}  {count:>8}  {100 * count / total:>5.1f}%\n")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"{exc.filename}: no such file"
    if isinstance(exc, OSError) and exc.filename:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


if __name__ == "__main__":
    raise SystemExit(main())
