"""Stage 3: an LLM through the Groq API for what the cheaper stages cannot place.

The implementation (prompt, batching, budget, circuit breaker) lives in `log_classifier.stages.llm`.
"""

from log_classifier.stages.llm import LlmClassifier, build_system_prompt

__all__ = ["LlmClassifier", "build_system_prompt"]
