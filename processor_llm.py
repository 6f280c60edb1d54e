"""Stage 3: an LLM through the Groq API for what the cheaper stages cannot place.

The implementation (prompt, batching, budget, circuit breaker) lives in `log_classifier.stages.llm`;
`make_llm_stage(settings)` gives the stage, or a `DisabledLlm` that sends nothing when no key is set.
"""

from log_classifier.stages.llm import DisabledLlm, LlmClassifier, build_system_prompt, make_llm_stage

__all__ = ["DisabledLlm", "LlmClassifier", "build_system_prompt", "make_llm_stage"]
