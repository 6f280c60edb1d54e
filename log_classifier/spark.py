"""Classify log archives with Apache Spark: the service's cascade on every executor.

    python -m log_classifier.spark --input 'logs/*.csv' --output out/ [--format csv|parquet|json]
        [--input-format csv|parquet|json] [--master 'local[2]'] [--explain] [--llm] [--partitions N]
        [--pattern-store URL]

or the same arguments after ``spark-submit ... log_classifier/spark.py`` (README, "Spark").

How it works:

- The input is read with Spark's readers (CSV with a header, Parquet, JSON lines); it needs the
  columns ``source`` and ``log_message``, every other column is passed through untouched.
- ``mapInPandas`` hands Arrow batches to the Python workers. Each worker process loads the cascade
  once (a lazy per-process singleton built by ``load_classifier`` from the driver's ``Settings``)
  and keeps it, with its LRU result cache, for every batch and task it runs after that. Masking,
  per-batch dedup and the stages are the service's own: the same rows get the same labels.
- Executors never call the LLM. Without ``--llm`` its stage is off (rows it would get come back
  ``Unclassified``, as from a service without a key). With ``--llm`` the executors run regex +
  embeddings and mark what is left; the driver takes the *distinct* pattern keys (``text.pattern_key``)
  left across the whole data set, classifies them once with the service's LLM stage (its
  concurrency, budget, circuit breaker and redaction) and joins the answers back.
- The answer is written with Spark's writers into a temporary directory beside ``--output`` and
  renamed to it only when the job succeeded: a failed run leaves nothing at the output path.
- With ``--pattern-store URL`` (a PATTERN_STORE value: a SQLite path or postgresql://...) the rows'
  pattern counts go to the service's pattern store, so a backfill shows in ``GET /patterns``. Each row
  counts at its ``timestamp`` column (ISO 8601 or epoch s/ms) when there is one, else at the job's start.
  The counts are aggregated by Spark (per minute within PATTERN_MINUTE_RETENTION_H, per hour before) and
  written by the driver after the answer is written: a failed job writes no counts.

Exit codes: 0 done; 2 bad input, bad settings or a failed job (a one-line message on stderr).
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import sys
import threading
import time
import uuid
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from log_classifier.cache import ResultCache
from log_classifier.cascade import NO_STAGE_DECIDED, Cascade, LoadedClassifier, load_classifier
from log_classifier.config import Settings, get_settings
from log_classifier.contract import LogRecord, Prediction, Stage
from log_classifier.errors import ClassifierError, InputError
from log_classifier.tables.reader import REQUIRED_COLUMNS
from log_classifier.tables.writer import EXPLAIN_COLUMNS, OUTPUT_COLUMN, prediction_values
from log_classifier.taxonomy import UNCLASSIFIED
from log_classifier.text.pattern_key import PatternKey, pattern_id, pattern_key
from log_classifier.text.prepare import classification_text

if TYPE_CHECKING:  # pyspark and pandas are imported when a job runs, not with this module
    import pandas as pd
    from pyspark.sql import DataFrame, SparkSession

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ERROR = 2
FORMATS = ("csv", "parquet", "json")
SOURCE_COLUMN, MESSAGE_COLUMN = REQUIRED_COLUMNS
DEFAULT_LOCAL_MASTER = "local[*]"
# Shuffles in a local run are small (the distinct LLM keys); Spark's default of 200 tasks is slow here.
LOCAL_SHUFFLE_PARTITIONS = 4
_EXTENSION_FORMATS = {".csv": "csv", ".parquet": "parquet", ".json": "json", ".jsonl": "json", ".ndjson": "json"}
# Codecs Spark's text readers undo by themselves: the format is the suffix before them.
_COMPRESSION_SUFFIXES = frozenset({".gz", ".bz2", ".deflate", ".lz4", ".snappy", ".zst", ".xz"})

# Internal columns of --pattern-store: each row's pattern and the bucket (epoch s) and time it counts at.
PATTERN_COLUMNS = ("__lc_pattern_id", "__lc_pattern_source", "__lc_pattern_severity", "__lc_pattern_masked")
PATTERN_BUCKET = "__lc_pattern_bucket"
PATTERN_TIME = "__lc_pattern_time"
PATTERN_WRITE_ROWS = 5000
"""(pattern, bucket) counts per store transaction when the driver writes them."""

# Internal columns of the --llm path: the source and pattern id a row left for the LLM, and its text.
PENDING_SOURCE = "__lc_pending_source"
PENDING_KEY = "__lc_pending_key"
PENDING_TEXT = "__lc_pending_text"
_ANSWER_PREFIX = "__lc_answer_"
_COLUMN_PREFIX = "__lc_column_"

DEFERRED = Prediction(UNCLASSIFIED, "none", 0.0, "llm deferred to the Spark driver", "llm_deferred")
"""What the executors' stand-in LLM stage answers; transient, so no worker cache keeps it."""


class DeferredLlm:
    """The LLM stage on an executor: answers ``DEFERRED``; the rows' pattern keys go to the driver.

    Transient answers are not cached, so every batch shows this stage each of its pending keys.
    """

    name: Stage = "llm"

    def classify_batch(self, records: Sequence[LogRecord]) -> list[Prediction]:
        return [DEFERRED] * len(records)


@dataclass(frozen=True)
class JobPlan:
    """What each Python worker needs to classify a batch; pickled into every task."""

    settings_json: str
    defer_llm: bool
    source_column: str
    message_column: str
    added_columns: tuple[str, ...]
    """Where the label (and explain cells) go: the frame's names for OUTPUT_COLUMN, *EXPLAIN_COLUMNS."""
    patterns: PatternPlan | None = None


@dataclass(frozen=True)
class PatternPlan:
    """--pattern-store: where each row's time is, the job's start and the minute retention (hours)."""

    timestamp_column: str | None
    started: float
    minute_retention_h: int


# --- the Python-worker side -------------------------------------------------------------------

_WORKER_LOCK = threading.Lock()
_WORKER_LOADED: dict[str, LoadedClassifier] = {}
_WORKER_CASCADES: dict[tuple[str, bool], tuple[Cascade, DeferredLlm | None]] = {}


def worker_cascade(settings_json: str, defer_llm: bool) -> tuple[Cascade, DeferredLlm | None]:
    """This process's cascade for these settings, loaded on first use and kept (with its cache)."""
    with _WORKER_LOCK:
        found = _WORKER_CASCADES.get((settings_json, defer_llm))
        if found is None:
            loaded = _WORKER_LOADED.get(settings_json)
            if loaded is None:
                # No API key in these settings: the LLM stage is the disabled one; nothing leaves the worker.
                loaded = load_classifier(Settings.model_validate_json(settings_json))
                _WORKER_LOADED[settings_json] = loaded
                log.info("python worker %d loaded the cascade", os.getpid())
            found = _with_deferred_llm(loaded.cascade) if defer_llm else (loaded.cascade, None)
            _WORKER_CASCADES[(settings_json, defer_llm)] = found
        return found


def _with_deferred_llm(full: Cascade) -> tuple[Cascade, DeferredLlm]:
    """The same stages and routes, with the LLM stage replaced by ``DeferredLlm`` (own cache: the
    full cascade caches the disabled LLM's answers, which must not stand in for deferring)."""
    deferred = DeferredLlm()
    stages = [deferred if stage.name == "llm" else stage for stage in full.stages]
    cascade = Cascade(stages, routes=full.routes, cache=ResultCache(full.cache.max_size),
                      max_message_chars=full.max_message_chars)
    return cascade, deferred


def classify_batches(batches: Iterable[pd.DataFrame], plan: JobPlan, rows: Any = None) -> Iterator[pd.DataFrame]:
    """The ``mapInPandas`` function: every batch back with the added columns filled in."""
    cascade, deferred = worker_cascade(plan.settings_json, plan.defer_llm)
    for frame in batches:
        yield classify_frame(frame, cascade, deferred, plan)
        if rows is not None:
            rows.add(len(frame))


def classify_frame(
    frame: pd.DataFrame, cascade: Cascade, deferred: DeferredLlm | None, plan: JobPlan
) -> pd.DataFrame:
    """One Arrow batch: labels (and explain columns, and the pending LLM keys) added to the frame."""
    sources = _texts(frame[plan.source_column])
    messages = _texts(frame[plan.message_column])
    predictions, keys, _ = cascade.classify_keyed(sources, messages)
    # The cascade fans one prediction object out to every row of its key: render each object once.
    rendered: dict[int, tuple[str, str, str, str]] = {}
    cells = [rendered.get(id(p)) or rendered.setdefault(id(p), prediction_values(p)) for p in predictions]
    out = frame  # this batch's own frame: columns are added (or replaced) in place
    for offset, name in enumerate(plan.added_columns):
        out[name] = [cell[offset] for cell in cells]
    if deferred is not None:
        # The pattern key the cascade grouped by (one definition: text.pattern_key), by its id.
        pending = [key if key is not None and prediction.outcome == "llm_deferred" else None
                   for key, prediction in zip(keys, predictions)]
        out[PENDING_SOURCE] = [key.source if key else None for key in pending]
        out[PENDING_KEY] = [pattern_id(key) if key else None for key in pending]
        out[PENDING_TEXT] = [classification_text(message, cascade.max_message_chars) if key else None
                             for key, message in zip(pending, messages)]
    if plan.patterns is not None:
        _add_pattern_columns(out, keys, plan.patterns)
    return out


def _add_pattern_columns(out: pd.DataFrame, keys: Sequence[PatternKey | None], plan: PatternPlan) -> None:
    """Each row's pattern (id, source, severity, masked message), its time and the bucket it counts in."""
    from log_classifier.patterns.store import HOUR, MINUTE
    from log_classifier.patterns.timestamps import line_time

    ids, sources, severities, masked = [], [], [], []
    for key in keys:
        ids.append(pattern_id(key) if key is not None else None)
        sources.append(key.source if key is not None else None)
        severities.append(key.severity if key is not None else None)
        masked.append(key.masked if key is not None else None)
    for name, values in zip(PATTERN_COLUMNS, (ids, sources, severities, masked)):
        out[name] = values
    if plan.timestamp_column is None:
        times = [plan.started] * len(keys)
    else:
        raw = out[plan.timestamp_column].tolist()
        times = [line_time(value if value == value else None, plan.started) or plan.started for value in raw]
    minute_from = plan.started - plan.minute_retention_h * HOUR
    # Per minute where the store keeps minutes, per hour before (older minute buckets would be pruned).
    out[PATTERN_TIME] = times
    out[PATTERN_BUCKET] = [int(at) - int(at) % (MINUTE if at >= minute_from else HOUR) for at in times]


def _texts(column: pd.Series) -> list[str]:
    # Nulls (None, or NaN in pandas' string dtype) are empty text, as an empty CSV cell is.
    return ["" if value is None or value != value else str(value) for value in column.tolist()]


# --- the driver side ---------------------------------------------------------------------------


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


def guess_format(path: str) -> str:
    """The input format from the path's extension (globs included; a compression suffix such as
    `.gz` is looked through: Spark reads `x.json.gz` as JSON); csv when it says nothing."""
    suffixes = [suffix.lower() for suffix in Path(path.rstrip("/")).suffixes]
    if suffixes and suffixes[-1] in _COMPRESSION_SUFFIXES:
        suffixes.pop()
    return _EXTENSION_FORMATS.get(suffixes[-1], "csv") if suffixes else "csv"


def project_root() -> Path:
    """The directory that holds the ``log_classifier`` package this process imported."""
    return Path(__file__).resolve().parent.parent


def build_session(master: str | None, *, app_name: str = "log-classifier") -> SparkSession:
    """The SparkSession. Under spark-submit (or with a cluster --master) Spark's own configuration
    is left alone; a local run is pinned to 127.0.0.1, no UI, this Python, and workers that import
    the ``log_classifier`` of this process's project root."""
    from pyspark.sql import SparkSession

    under_submit = "PYSPARK_GATEWAY_PORT" in os.environ  # spark-submit started the JVM already
    builder = SparkSession.builder.appName(app_name)
    if master is not None:
        builder = builder.master(master)
    local = (master or ("" if under_submit else DEFAULT_LOCAL_MASTER)).startswith("local")
    if local:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # PySpark starts its local Python workers with $PYSPARK_PYTHON: this very interpreter (venv).
        os.environ["PYSPARK_PYTHON"] = sys.executable
        python_path = os.pathsep.join(filter(None, [str(project_root()), os.environ.get("PYTHONPATH")]))
        builder = (
            builder.master(master or DEFAULT_LOCAL_MASTER)
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", str(LOCAL_SHUFFLE_PARTITIONS))
            .config("spark.executorEnv.PYTHONPATH", python_path)
        )
    return builder.getOrCreate()


def run_job(
    spark: SparkSession,
    settings: Settings,
    *,
    input_path: str,
    output_path: str,
    output_format: str = "csv",
    input_format: str = "csv",
    explain: bool = False,
    llm: bool = False,
    partitions: int | None = None,
    pattern_store: str | None = None,
) -> tuple[int, int]:
    """Classify ``input_path`` into ``output_path``; returns (rows, distinct keys sent to the LLM)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    files = _FileSystem(spark)
    if files.exists(output_path):
        raise InputError(f"{output_path} already exists: remove it or choose another --output")
    frame = read_input(spark, input_path, input_format)
    if settings.groq_api_key.strip() and not llm:
        log.warning("GROQ_API_KEY is set but --llm is not: rows the regex and embedding stages leave are Unclassified")

    # Spark resolves mapInPandas' columns by name and trips over dots in them: the job runs on
    # positional names and the input's names come back at the end.
    names = list(frame.columns)
    frame = frame.toDF(*(f"{_COLUMN_PREFIX}{index}" for index in range(len(names))))
    positional = dict(zip(names, frame.columns))
    # The pattern store wants each pattern's stage, confidence and reason: computed, and dropped unless --explain.
    computed = (OUTPUT_COLUMN, *EXPLAIN_COLUMNS) if explain or pattern_store else (OUTPUT_COLUMN,)
    added = tuple(positional.get(name, name) for name in computed)
    patterns = None
    if pattern_store:
        from log_classifier.patterns.database import make_engines, migrate

        migrate(make_engines(pattern_store))  # an unreachable store fails the job before any work
        patterns = PatternPlan(positional.get("timestamp"), time.time(), settings.pattern_minute_retention_h)
    plan = JobPlan(_worker_settings_json(settings, pattern_store), llm, positional[SOURCE_COLUMN], positional[MESSAGE_COLUMN], added,
                   patterns)
    order_column = None
    if partitions is not None:
        # Contiguous ranges of the input, in order, one per task: one shuffle, and the part files
        # keep the input's row order (the range partitioner orders the tasks; the local sort the
        # rows that several input splits sent to one task).
        order_column = f"{_ANSWER_PREFIX}row"
        frame = (frame.withColumn(order_column, F.monotonically_increasing_id())
                 .repartitionByRange(partitions, order_column).sortWithinPartitions(order_column))
    rows = spark.sparkContext.accumulator(0)
    schema = _output_schema(frame.schema, added, pending=llm, patterns=patterns is not None)
    classified = frame.mapInPandas(functools.partial(classify_batches, plan=plan, rows=rows), schema)

    llm_keys = 0
    temporary = f"{output_path.rstrip('/')}.tmp-{uuid.uuid4().hex[:12]}"
    if llm or patterns is not None:
        # Kept once computed: collecting the LLM keys or the pattern counts would otherwise classify twice.
        classified = classified.persist(StorageLevel.MEMORY_AND_DISK)
    cached = classified
    try:
        if llm:
            classified, llm_keys = _join_llm_answers(spark, settings, classified, added)
        if order_column is not None:
            classified = classified.drop(order_column)
        counted = classified
        if patterns is not None:
            hidden = [*PATTERN_COLUMNS, PATTERN_BUCKET, PATTERN_TIME]
            if not explain:
                hidden += [positional.get(name, name) for name in EXPLAIN_COLUMNS]
            classified = classified.drop(*hidden)
        original = {column: name for name, column in positional.items()}
        classified = classified.toDF(*(original.get(column, column) for column in classified.columns))
        _writer(classified, output_format).save(temporary)
        files.rename(temporary, output_path)
        if pattern_store is not None:
            write_pattern_counts(counted, pattern_store, settings, added, positional[MESSAGE_COLUMN])
    finally:
        files.delete(temporary)
        if llm or patterns is not None:
            cached.unpersist()
    return rows.value, llm_keys


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


def _worker_settings_json(settings: Settings, pattern_store: str | None = None) -> str:
    # What was set explicitly (arguments, environment, .env) travels to the workers; defaults are
    # resolved there, so a default MODEL_DIR means the models/ beside the package the workers import.
    # Executors never call the LLM: the key and the LLM client's knobs stay on the driver (which
    # sources go to the LLM, llm_sources, is routing and does travel).
    values = {
        name: value
        for name, value in settings.model_dump(mode="json", exclude_unset=True).items()
        if not name.startswith("groq_") and not (name.startswith("llm_") and name != "llm_sources")
    }
    values["groq_api_key"] = ""
    # People's corrections come from --pattern-store (the workers load them with the cascade); without it
    # the workers open no store at all (not a data/patterns.db of their own).
    values["pattern_store"] = pattern_store or "off"
    return Settings.model_validate(values).model_dump_json(exclude_unset=True)


def _output_schema(schema: Any, added: Sequence[str], *, pending: bool, patterns: bool = False) -> Any:
    """The input's schema with the added string columns (replacing same-named input columns)."""
    from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

    fields = list(schema.fields)
    names = [field.name for field in fields]
    extra = (*added, PENDING_SOURCE, PENDING_KEY, PENDING_TEXT) if pending else tuple(added)
    if patterns:
        extra = (*extra, *PATTERN_COLUMNS, PATTERN_BUCKET, PATTERN_TIME)
    types = {PATTERN_BUCKET: LongType(), PATTERN_TIME: DoubleType()}
    for name in extra:
        replacement = StructField(name, types.get(name, StringType()), True)
        if name in names:
            fields[names.index(name)] = replacement
        else:
            fields.append(replacement)
            names.append(name)
    return StructType(fields)


def _join_llm_answers(
    spark: SparkSession, settings: Settings, classified: DataFrame, added: Sequence[str]
) -> tuple[DataFrame, int]:
    """The distinct pending keys classified once on the driver, joined back onto their rows."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    keys = (
        classified.where(F.col(PENDING_KEY).isNotNull())
        .groupBy(PENDING_SOURCE, PENDING_KEY)
        .agg(F.min(PENDING_TEXT).alias(PENDING_TEXT))  # min: the same text every run
        .collect()
    )
    records = [LogRecord(row[PENDING_SOURCE], pattern_key(row[PENDING_SOURCE], row[PENDING_TEXT]).masked,
                         row[PENDING_TEXT]) for row in keys]
    answers = classify_on_driver(settings, records)
    answer_columns = [f"{_ANSWER_PREFIX}{name}" for name in added]
    answer_schema = StructType(
        [StructField(PENDING_SOURCE, StringType(), False), StructField(PENDING_KEY, StringType(), False)]
        + [StructField(name, StringType(), True) for name in answer_columns]
    )
    answer_rows = [
        (row[PENDING_SOURCE], row[PENDING_KEY], *prediction_values(prediction)[: len(added)])
        for row, prediction in zip(keys, answers)
    ]
    output_columns = [name for name in classified.columns if name not in (PENDING_SOURCE, PENDING_KEY, PENDING_TEXT)]
    # Broadcast: a hash join that streams the rows keeps their order (the driver holds these keys
    # anyway), and a hot key cannot pile its rows onto one task.
    answer_frame = F.broadcast(spark.createDataFrame(answer_rows, answer_schema))
    joined = classified.join(answer_frame, on=[PENDING_SOURCE, PENDING_KEY], how="left")
    replaced = {
        name: F.when(F.col(PENDING_KEY).isNotNull(), F.col(answer)).otherwise(F.col(name)).alias(name)
        for name, answer in zip(added, answer_columns)
    }
    return joined.select([replaced.get(name, F.col(name)) for name in output_columns]), len(records)


def write_pattern_counts(
    classified: DataFrame, location: str, settings: Settings, added: Sequence[str], message_column: str
) -> int:
    """Aggregate the rows per (pattern, bucket) with Spark and add them to the pattern store from the
    driver, in transactions of PATTERN_WRITE_ROWS counts. Returns the lines counted."""
    from pyspark.sql import functions as F

    from log_classifier.patterns.database import make_engines
    from log_classifier.patterns.store import PatternCounts, PatternStore, Retention
    from log_classifier.text.redaction import redact

    label, stage, confidence, reason = added[:4]
    grouped = (
        classified.where(F.col(PATTERN_COLUMNS[0]).isNotNull())
        .groupBy(*PATTERN_COLUMNS, PATTERN_BUCKET)
        .agg(F.count(F.lit(1)).alias("lines"), F.min(PATTERN_TIME).alias("first"), F.max(PATTERN_TIME).alias("last"),
             F.max(F.struct(PATTERN_TIME, label, stage, confidence, reason, message_column)).alias("latest"))
    )
    engines = make_engines(location)
    store = PatternStore(engines, Retention(settings.pattern_minute_retention_h, settings.pattern_retention_days))
    batch: dict[str, PatternCounts] = {}
    entries = lines = 0
    try:
        for row in grouped.toLocalIterator():
            pid = row[PATTERN_COLUMNS[0]]
            latest = row["latest"]
            item = batch.get(pid)
            if item is None:
                key = PatternKey(row[PATTERN_COLUMNS[1]], row[PATTERN_COLUMNS[2]], row[PATTERN_COLUMNS[3]])
                prediction = Prediction(latest[label], latest[stage], float(latest[confidence]), latest[reason])
                item = batch[pid] = PatternCounts(pid, key, prediction, redact(str(latest[message_column]))[:1000],
                                                  row["first"], row["last"])
            item.first_seen, item.last_seen = min(item.first_seen, row["first"]), max(item.last_seen, row["last"])
            item.minutes[row[PATTERN_BUCKET]] = row["lines"]
            entries += 1
            lines += row["lines"]
            if entries >= PATTERN_WRITE_ROWS:
                store.write(list(batch.values()))
                batch, entries = {}, 0
        store.write(list(batch.values()))
    finally:
        engines.dispose()
    log.info("counted %d lines into the pattern store %s", lines, engines.description)
    return lines


def classify_on_driver(settings: Settings, records: Sequence[LogRecord]) -> list[Prediction]:
    """The service's LLM stage over the distinct keys: one slice of concurrent requests at a time,
    each slice under the stage's own time budget, circuit breaker and redaction."""
    from log_classifier.stages.llm import make_llm_stage

    if not records:
        return []
    answers: list[Prediction] = []
    stage = make_llm_stage(settings)
    try:
        step = settings.llm_batch_size * settings.llm_concurrency
        for start in range(0, len(records), step):
            part = records[start : start + step]
            answers.extend(answer or NO_STAGE_DECIDED for answer in stage.classify_batch(part))
    finally:
        stage.close()
    return answers


def _writer(frame: DataFrame, output_format: str) -> Any:
    writer = frame.write.mode("errorifexists")
    if output_format == "csv":
        # Doubled quotes (RFC 4180) and values kept exactly: Spark trims spaces when writing by default.
        return (writer.format("csv").option("header", True).option("escape", '"')
                .option("ignoreLeadingWhiteSpace", False).option("ignoreTrailingWhiteSpace", False))
    if output_format == "json":
        return writer.format("json").option("ignoreNullFields", False)
    return writer.format("parquet")


class _FileSystem:
    """Exists / rename / delete on whatever Hadoop file system a path names (local, HDFS, S3, ...)."""

    def __init__(self, spark: SparkSession) -> None:
        context: Any = spark.sparkContext  # py4j handles: untyped
        self._jvm: Any = context._jvm
        self._conf: Any = context._jsc.hadoopConfiguration()

    def _resolve(self, path: str) -> tuple[Any, Any]:
        hadoop_path = self._jvm.org.apache.hadoop.fs.Path(path)
        return hadoop_path.getFileSystem(self._conf), hadoop_path

    def exists(self, path: str) -> bool:
        fs, hadoop_path = self._resolve(path)
        return bool(fs.exists(hadoop_path))

    def rename(self, source: str, target: str) -> None:
        fs, source_path = self._resolve(source)
        target_path = self._jvm.org.apache.hadoop.fs.Path(target)
        parent = target_path.getParent()
        if parent is not None:
            fs.mkdirs(parent)
        if fs.exists(target_path) or not fs.rename(source_path, target_path):
            raise ClassifierError(f"could not move the finished output from {source} to {target}")

    def delete(self, path: str) -> None:
        fs, hadoop_path = self._resolve(path)
        if fs.exists(hadoop_path):
            fs.delete(hadoop_path, True)


def describe_error(exc: BaseException) -> str:
    """One line for the user: our own message, or the telling line of a Spark / Python-worker error."""
    if isinstance(exc, ClassifierError):
        return str(exc)
    text = _root_java_message(exc) or str(exc).strip()
    if "Traceback (most recent call last)" in text:
        # A Python worker failed: the last line of its traceback names the error.
        tail = text.rsplit("Traceback (most recent call last)", 1)[1]
        lines = [line.strip() for line in tail.splitlines() if line.strip() and not line.startswith(" ")]
        text = lines[-1] if lines else text
    first = next((line.strip() for line in text.splitlines() if line.strip()), type(exc).__name__)
    if "JAVA_GATEWAY" in first:
        first += " (Spark needs Java 17+: check `java -version`)"
    return first[:500]


def _root_java_message(exc: BaseException) -> str | None:
    """The innermost cause of a JVM exception raised through py4j (its message says what is wrong)."""
    java = getattr(exc, "java_exception", None)
    if java is None:
        return None
    try:
        cause = java
        while cause.getCause() is not None:
            cause = cause.getCause()
        return str(cause.getMessage() or cause.toString())
    except Exception:  # noqa: BLE001  the gateway may be gone; the Python-side text is enough then
        return None


if __name__ == "__main__":
    # spark-submit runs this file as a script: drop its directory from sys.path (its modules would
    # shadow top-level names) and run the package's module, so the functions shipped to the
    # executors are ``log_classifier.spark.*`` (pickled by reference), not copies from ``__main__``.
    if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
        sys.path.pop(0)
    from log_classifier.spark import main as _main

    raise SystemExit(_main())
