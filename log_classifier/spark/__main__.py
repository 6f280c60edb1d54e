"""``python -m log_classifier.spark ...``, and the script spark-submit runs
(``spark-submit ... log_classifier/spark/__main__.py ...``)."""

import sys
from pathlib import Path

if __name__ == "__main__":
    # spark-submit runs this file as a script: drop its directory from sys.path (the package's modules
    # would shadow top-level names) and import the package by its full name, so the functions shipped
    # to the executors are ``log_classifier.spark.worker.*`` (pickled by reference), never copies
    # from ``__main__``.
    if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
        sys.path.pop(0)
    from log_classifier.spark.cli import main

    raise SystemExit(main())
