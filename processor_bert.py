"""Stage 2: all-MiniLM-L6-v2 sentence embeddings + logistic regression, trusted above a threshold.

The implementation lives in `log_classifier.stages.embedding` (the encoders in
`log_classifier.model`). `BertClassifier` is the name this stage had in the original design.
"""

from log_classifier.stages.embedding import EmbeddingClassifier

BertClassifier = EmbeddingClassifier

__all__ = ["BertClassifier", "EmbeddingClassifier"]
