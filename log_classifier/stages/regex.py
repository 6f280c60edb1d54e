"""The regex stage: named rules from a data file, compiled once, first match wins."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from log_classifier.contract import LogRecord, Prediction, Stage
from log_classifier.errors import ConfigurationError
from log_classifier.taxonomy import CATEGORIES


@dataclass(frozen=True, slots=True)
class RegexRule:
    """One rule: its name is recorded as the reason of every row it labels."""

    name: str
    label: str
    pattern: re.Pattern[str]


def load_rules(path: Path) -> list[RegexRule]:
    """Read and compile a rules file (see resources/regex_rules.yaml for the format)."""
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigurationError(f"cannot read regex rules {path}: {exc}") from exc
    rules: list[RegexRule] = []
    for index, entry in enumerate(document.get("rules") or []):
        try:
            name, label, pattern = str(entry["name"]), str(entry["label"]), str(entry["pattern"])
        except (KeyError, TypeError) as exc:
            raise ConfigurationError(f"{path}: rule #{index + 1} needs name, label and pattern") from exc
        if label not in CATEGORIES:
            raise ConfigurationError(f"{path}: rule {name!r} has unknown label {label!r}")
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error as exc:
            raise ConfigurationError(f"{path}: rule {name!r} has an invalid pattern: {exc}") from exc
        rules.append(RegexRule(name, label, compiled))
    return rules


class RegexClassifier:
    """Labels a record when one of its rules matches the (masked) message."""

    name: Stage = "regex"

    def __init__(self, rules: Sequence[RegexRule]) -> None:
        self.rules = tuple(rules)

    @classmethod
    def from_files(cls, *paths: Path) -> RegexClassifier:
        """Rules from each existing file, in order (base rules first, then a model's mined rules)."""
        rules: list[RegexRule] = []
        for path in paths:
            if path.is_file():
                rules.extend(load_rules(path))
        return cls(rules)

    def classify_batch(self, records: Sequence[LogRecord]) -> list[Prediction | None]:
        return [self._classify(record.masked) for record in records]

    def _classify(self, message: str) -> Prediction | None:
        for rule in self.rules:
            if rule.pattern.search(message):
                return Prediction(rule.label, "regex", 1.0, f"rule:{rule.name}")
        return None
