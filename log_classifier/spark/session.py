"""The SparkSession the job runs on: Spark's own configuration under spark-submit or on a cluster;
a local run pinned to 127.0.0.1, no UI, this Python, and workers that import this project's
``log_classifier``."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from log_classifier.config import PROJECT_DIR

if TYPE_CHECKING:  # pyspark is imported when a job runs, not with this module
    from pyspark.sql import SparkSession

DEFAULT_LOCAL_MASTER = "local[*]"
# Shuffles in a local run are small (the distinct LLM keys); Spark's default of 200 tasks is slow here.
LOCAL_SHUFFLE_PARTITIONS = 4


def build_session(master: str | None, *, app_name: str = "log-classifier") -> SparkSession:
    """The SparkSession. Under spark-submit (or with a cluster --master) Spark's own configuration
    is left alone; a local run is pinned to 127.0.0.1, no UI, this Python, and workers that import
    the ``log_classifier`` of this process's project root (``config.PROJECT_DIR``: the directory
    that holds the package this process imported)."""
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
        python_path = os.pathsep.join(filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")]))
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
