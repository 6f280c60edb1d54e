"""Stage 3: an LLM through the Groq API for what the cheaper stages cannot place.

The implementation (batching, budget, answers) lives in `log_classifier.stages.llm`, the prompt in
`log_classifier.stages.llm_prompt`;
`make_llm_stage(settings)` gives the stage, or a `DisabledLlm` that sends nothing when no key is set.
"""

from log_classifier.stages.llm import DisabledLlm, LlmClassifier, make_llm_stage
from log_classifier.stages.llm_prompt import build_system_prompt

__all__ = ["DisabledLlm", "LlmClassifier", "build_system_prompt", "make_llm_stage"]
