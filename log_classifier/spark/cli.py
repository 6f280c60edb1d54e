"""``python -m log_classifier.spark``: the arguments, the job run once, and what the user sees
(a summary line, or one ``error:`` line and exit code 2)."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from log_classifier.config import Settings, get_settings
from log_classifier.errors import ClassifierError, InputError
from log_classifier.spark.failures import describe_error
from log_classifier.spark.file_formats import FORMATS, guess_format
from log_classifier.spark.job import run_job
from log_classifier.spark.session import build_session

if TYPE_CHECKING:  # pyspark is imported when a job runs, not with this module
    from pyspark.sql import SparkSession

EXIT_OK = 0
EXIT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m log_classifier.spark",
        description="Classify log files (columns source, log_message) with Spark, the same way the service does.",
        epilog="Settings (MODEL_DIR, GROQ_API_KEY, LLM_CONCURRENCY, ...) come from the environment and .env.",
    )
    parser.add_argument("--input", required=True, help="file, directory or glob (any Hadoop file system path)")
    parser.add_argument("--output", required=True, help="directory to create with the part files (must not exist)")
    parser.add_argument("--format", choices=FORMATS, default="csv", help="output format (default csv)")
    parser.add_argument("--input-format", choices=FORMATS, default=None,
                        help="input format (default: from the input's extension, else csv)")
    parser.add_argument("--master", default=None,
                        help="Spark master, e.g. 'local[2]' (default: spark-submit's, else local[*])")
    parser.add_argument("--explain", action="store_true", help="add classified_by, confidence and reason columns")
    parser.add_argument("--llm", action="store_true",
                        help="send the distinct shapes the other stages leave to the LLM, once, from the driver")
    parser.add_argument("--partitions", type=int, default=None,
                        help="classify in N tasks: contiguous ranges of the input (one shuffle; row order is kept)")
    parser.add_argument("--pattern-store", default=None, metavar="URL",
                        help="count the rows' patterns into this pattern store (a SQLite path or postgresql://...), "
                        "like the service's PATTERN_STORE")
    return parser


def main(
    argv: Sequence[str] | None = None, *, settings: Settings | None = None, spark: SparkSession | None = None
) -> int:
    """Run the job; returns the exit code. ``settings``/``spark`` are for embedding (tests, notebooks)."""
    args = build_parser().parse_args(argv)
    if args.partitions is not None and args.partitions < 1:
        sys.stderr.write("error: --partitions must be at least 1\n")
        return EXIT_ERROR
    # pyspark 4.3 warns on every run that it does not "fully" support pandas 3; the tests check the
    # round trips this job relies on, so the warning is noise here.
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
    try:
        check_local_input(args.input)
        settings = settings or get_settings()
        session = spark or build_session(args.master)
        rows, llm_keys = run_job(
            session,
            settings,
            input_path=args.input,
            output_path=args.output,
            output_format=args.format,
            input_format=args.input_format or guess_format(args.input),
            explain=args.explain,
            llm=args.llm,
            partitions=args.partitions,
            pattern_store=args.pattern_store,
        )
    except ClassifierError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_ERROR
    except Exception as exc:  # noqa: BLE001  a failed job (bad records, worker errors): one line, exit 2
        sys.stderr.write(f"error: the Spark job failed: {describe_error(exc)}\n")
        return EXIT_ERROR
    llm_note = f"; {llm_keys} distinct keys sent to the LLM" if args.llm else ""
    sys.stdout.write(f"Classified {rows} rows → {args.output}{llm_note}\n")
    return EXIT_OK


def check_local_input(path: str) -> None:
    """A plain local path (no URI scheme, no glob) that does not exist fails before Spark starts."""
    if "://" in path or path.startswith("file:") or any(char in path for char in "*?[{"):
        return
    if not Path(path).exists():
        raise InputError(f"{path}: no such file or directory")
