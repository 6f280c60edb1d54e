"""``--llm``: the distinct pattern keys the executors left, classified once on the driver by the
service's LLM stage (its concurrency, budget, circuit breaker and redaction) and joined back onto
their rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from log_classifier.cascade import NO_STAGE_DECIDED
from log_classifier.config import Settings
from log_classifier.contract import LogRecord, Prediction
from log_classifier.formats.writer import prediction_values
from log_classifier.spark.plan import ANSWER_PREFIX, PENDING_KEY, PENDING_SOURCE, PENDING_TEXT
from log_classifier.text.pattern_key import pattern_key

if TYPE_CHECKING:  # pyspark is imported when a job runs, not with this module
    from pyspark.sql import DataFrame, SparkSession


def join_llm_answers(
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
    answer_columns = [f"{ANSWER_PREFIX}{name}" for name in added]
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
