"""Text preparation: masking variable parts (for grouping and the model) and redaction (for the LLM)."""
