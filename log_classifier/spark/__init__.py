"""Classify log archives with Apache Spark: the service's cascade on every executor.

    python -m log_classifier.spark --input 'logs/*.csv' --output out/ [--format csv|parquet|json]
        [--input-format csv|parquet|json] [--master 'local[2]'] [--explain] [--llm] [--partitions N]
        [--pattern-store URL]

or the same arguments after ``spark-submit ... log_classifier/spark/__main__.py`` (README, "Spark").

How it works:

- The input is read with Spark's readers (CSV with a header, Parquet, JSON lines); it needs the
  columns ``source`` and ``log_message``, every other column is passed through untouched.
- ``mapInPandas`` hands Arrow batches to the Python workers, each of which loads the cascade once and
  keeps it, with its LRU result cache: the same rows get the service's labels.
- Executors never call the LLM. Without ``--llm`` its stage is off (rows it would get come back
  ``Unclassified``, as from a service without a key). With ``--llm`` the executors run regex +
  embeddings and mark what is left; the driver takes the *distinct* pattern keys (``text.pattern_key``)
  left across the whole data set, classifies them once with the service's LLM stage and joins the
  answers back.
- The answer is written with Spark's writers into a temporary directory beside ``--output`` and
  renamed to it only when the job succeeded: a failed run leaves nothing at the output path.
- With ``--pattern-store URL`` (a PATTERN_STORE value: a SQLite path or postgresql://...) the rows'
  pattern counts go to the service's pattern store, so a backfill shows in ``GET /patterns``. Each row
  counts at its ``timestamp`` column (ISO 8601 or epoch s/ms) when there is one, else at the job's start.

Exit codes: 0 done; 2 bad input, bad settings or a failed job (a one-line message on stderr).

Modules (one job each):

    cli.py           the arguments and exit codes          job.py           the driver's job, end to end
    worker.py        the Python workers' batch function    plan.py          what the driver hands the workers
    driver_llm.py    --llm: distinct keys on the driver    pattern_counts.py  --pattern-store counts
    file_formats.py  which format, Spark's reader/writer   hadoop_files.py  exists / rename / delete
    session.py       the SparkSession (local or submit)    failures.py      a failed job in one line
    __main__.py      `python -m` and spark-submit's script
"""

from log_classifier.spark.cli import EXIT_ERROR, EXIT_OK, build_parser, main
from log_classifier.spark.failures import describe_error
from log_classifier.spark.file_formats import FORMATS, guess_format, read_input
from log_classifier.spark.job import run_job
from log_classifier.spark.session import build_session

__all__ = [
    "EXIT_ERROR",
    "EXIT_OK",
    "FORMATS",
    "build_parser",
    "build_session",
    "describe_error",
    "guess_format",
    "main",
    "read_input",
    "run_job",
]
