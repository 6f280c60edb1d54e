"""The driver's job: read the input, classify it on the executors (``worker``), let the driver finish
what they leave (``driver_llm``, ``pattern_counts``), write the answer beside ``--output`` and move it
there only when everything succeeded: a failed run leaves nothing at the output path."""

from __future__ import annotations

import functools
import logging
import time
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from log_classifier.config import Settings
from log_classifier.errors import InputError
from log_classifier.formats.reader import REQUIRED_COLUMNS
from log_classifier.formats.writer import EXPLAIN_COLUMNS, OUTPUT_COLUMN
from log_classifier.spark.driver_llm import join_llm_answers
from log_classifier.spark.file_formats import read_input, writer
from log_classifier.spark.hadoop_files import HadoopFiles
from log_classifier.spark.pattern_counts import write_pattern_counts
from log_classifier.spark.plan import (
    ANSWER_PREFIX,
    PATTERN_BUCKET,
    PATTERN_COLUMNS,
    PATTERN_TIME,
    PENDING_KEY,
    PENDING_SOURCE,
    PENDING_TEXT,
    JobPlan,
    PatternPlan,
)
from log_classifier.spark.worker import classify_batches

if TYPE_CHECKING:  # pyspark is imported when a job runs, not with this module
    from pyspark.sql import SparkSession

log = logging.getLogger(__name__)

SOURCE_COLUMN, MESSAGE_COLUMN = REQUIRED_COLUMNS
_COLUMN_PREFIX = "__lc_column_"


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

    files = HadoopFiles(spark)
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
        order_column = f"{ANSWER_PREFIX}row"
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
            classified, llm_keys = join_llm_answers(spark, settings, classified, added)
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
        writer(classified, output_format).save(temporary)
        files.rename(temporary, output_path)
        if pattern_store is not None:
            write_pattern_counts(counted, pattern_store, settings, added, positional[MESSAGE_COLUMN])
    finally:
        files.delete(temporary)
        if llm or patterns is not None:
            cached.unpersist()
    return rows.value, llm_keys


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
