"""Exists / rename / delete on whatever Hadoop file system a path names (local, HDFS, S3, ...),
through the driver's JVM: how the job writes its answer to a temporary directory and moves it
into place only when it succeeded."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from log_classifier.errors import ClassifierError

if TYPE_CHECKING:  # pyspark is imported when a job runs, not with this module
    from pyspark.sql import SparkSession


class HadoopFiles:
    """The Hadoop file systems of a SparkSession's configuration."""

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
