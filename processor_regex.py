"""Stage 1: regex rules for known, repetitive patterns (rules in resources/regex_rules.yaml).

The implementation lives in `log_classifier.stages.regex`.
"""

from log_classifier.stages.regex import RegexClassifier, RegexRule, load_rules

__all__ = ["RegexClassifier", "RegexRule", "load_rules"]
