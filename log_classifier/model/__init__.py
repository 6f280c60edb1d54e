"""The embedding model: encoders, the estimator over their vectors, and the model directory on disk."""
