"""The job's file formats (CSV, Parquet, JSON lines): which one a path holds, and how Spark's readers
and writers are set for each so that rows and cells come back as the service reads and writes them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from log_classifier.errors import InputError
from log_classifier.formats.reader import REQUIRED_COLUMNS
from log_classifier.spark.failures import describe_error

if TYPE_CHECKING:  # pyspark is imported when a job runs, not with this module
    from pyspark.sql import DataFrame, SparkSession

FORMATS = ("csv", "parquet", "json")
_EXTENSION_FORMATS = {".csv": "csv", ".parquet": "parquet", ".json": "json", ".jsonl": "json", ".ndjson": "json"}
# Codecs Spark's text readers undo by themselves: the format is the suffix before them.
_COMPRESSION_SUFFIXES = frozenset({".gz", ".bz2", ".deflate", ".lz4", ".snappy", ".zst", ".xz"})


def guess_format(path: str) -> str:
    """The input format from the path's extension (globs included; a compression suffix such as
    `.gz` is looked through: Spark reads `x.json.gz` as JSON); csv when it says nothing."""
    suffixes = [suffix.lower() for suffix in Path(path.rstrip("/")).suffixes]
    if suffixes and suffixes[-1] in _COMPRESSION_SUFFIXES:
        suffixes.pop()
    return _EXTENSION_FORMATS.get(suffixes[-1], "csv") if suffixes else "csv"


def read_input(spark: SparkSession, path: str, input_format: str) -> DataFrame:
    """The input as a DataFrame with the required columns; InputError when it cannot be read or
    has not got them. (Malformed records further in fail the job later: FAILFAST.)"""
    reader = spark.read.option("mode", "FAILFAST")
    try:
        if input_format == "csv":
            # RFC 4180 quoting (doubled quotes), quoted line breaks, every value a string as written.
            frame = (reader.option("header", True).option("multiLine", True).option("escape", '"')
                     .option("inferSchema", False).csv(path))
        elif input_format == "json":
            frame = reader.json(path)
        else:
            frame = reader.parquet(path)
    except Exception as exc:  # noqa: BLE001  Spark raises several kinds for a missing or unreadable path
        raise InputError(f"cannot read {path} as {input_format}: {describe_error(exc)}") from exc
    if input_format == "csv":
        # Header names as the service reads them: surrounding spaces dropped (Spark drops a BOM itself).
        stripped = {name: name.strip() for name in frame.columns if name != name.strip()}
        if stripped and len({*frame.columns, *stripped.values()}) == len(frame.columns) + len(stripped):
            frame = frame.withColumnsRenamed(stripped)
    missing = [column for column in REQUIRED_COLUMNS if column not in frame.columns]
    if missing:
        raise InputError(
            f"{path}: missing required column(s): {', '.join(missing)} "
            f"(found: {', '.join(frame.columns) or 'nothing'})"
        )
    internal = [column for column in frame.columns if column.startswith("__lc_")]
    if internal:
        raise InputError(f"{path}: column names starting with __lc_ are reserved: {', '.join(internal)}")
    return frame


def writer(frame: DataFrame, output_format: str) -> Any:
    """Spark's writer for ``frame`` in ``output_format``; it refuses to write over an existing path."""
    spark_writer = frame.write.mode("errorifexists")
    if output_format == "csv":
        # Doubled quotes (RFC 4180) and values kept exactly: Spark trims spaces when writing by default.
        return (spark_writer.format("csv").option("header", True).option("escape", '"')
                .option("ignoreLeadingWhiteSpace", False).option("ignoreTrailingWhiteSpace", False))
    if output_format == "json":
        return spark_writer.format("json").option("ignoreNullFields", False)
    return spark_writer.format("parquet")
