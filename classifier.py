"""The classifier: a cascade of stages, cheapest first, over a whole batch of log lines.

    rows ─▶ mask variables (log_classifier/text/masking.py), group by (source, masked message)
         ─▶ result cache ─▶ regex rules ─▶ embeddings + logistic regression ─▶ LLM ─▶ Unclassified

Each stage sees each message shape once, and only the shapes the stages before it left unresolved;
sources listed in LLM_SOURCES start at the LLM stage. The code lives in `log_classifier.cascade`;
this module is its documented entry point.

From the shell: `python classifier.py INPUT.csv --output OUTPUT.csv [--explain]`.
"""

from log_classifier.cascade import Cascade, LoadedClassifier, load_classifier
from log_classifier.contract import LogRecord, Prediction, Processor

__all__ = ["Cascade", "LoadedClassifier", "LogRecord", "Prediction", "Processor", "load_classifier"]

if __name__ == "__main__":
    from log_classifier.cli import main

    raise SystemExit(main())
