"""The regex stage: rules from a data file, first match wins, the rule name is the reason."""

from pathlib import Path

import pytest

from log_classifier.config import BASE_RULES_FILE
from log_classifier.contract import LogRecord
from log_classifier.errors import ConfigurationError
from log_classifier.stages.regex import RegexClassifier, load_rules
from log_classifier.taxonomy import CATEGORIES
from log_classifier.text.masking import mask_variables

SHIPPED_RULES = BASE_RULES_FILE


def classify(classifier: RegexClassifier, *messages: str):  # type: ignore[no-untyped-def]
    return classifier.classify_batch([LogRecord("test", mask_variables(m)) for m in messages])


def test_shipped_rules_load_with_known_labels_and_unique_names() -> None:
    rules = load_rules(SHIPPED_RULES)
    assert len(rules) >= 8
    assert {rule.label for rule in rules} <= set(CATEGORIES)
    assert len({rule.name for rule in rules}) == len(rules)


@pytest.mark.parametrize(
    ("message", "label", "rule"),
    [
        ("Failed password for invalid user admin from 198.51.100.7 port 2201 ssh2", "Security Alert", "sshd-failed-password"),
        ("Accepted publickey for deploy from 10.0.0.5 port 50022 ssh2", "User Action", "sshd-accepted-login"),
        ('172.16.0.9 - - [02/Jun/2025:08:00:00 +0000] "POST /api/cart HTTP/1.1" 500 17', "HTTP Status", "http-access-line"),
        ("Kernel panic - not syncing: VFS: Unable to mount root fs", "Critical Error", "kernel-panic"),
        ("The --foo flag is deprecated and will be removed in v3", "Deprecation Warning", "deprecated-keyword"),
    ],
)
def test_shipped_rules_label_known_shapes(message: str, label: str, rule: str) -> None:
    [prediction] = classify(RegexClassifier(load_rules(SHIPPED_RULES)), message)
    assert prediction is not None
    assert (prediction.label, prediction.stage, prediction.reason) == (label, "regex", f"rule:{rule}")


def test_unmatched_message_is_passed_on() -> None:
    assert classify(RegexClassifier(load_rules(SHIPPED_RULES)), "Thumbnail worker finished batch 7") == [None]


def test_first_matching_rule_wins(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n"
        "  - {name: first, label: Error, pattern: 'disk'}\n"
        "  - {name: second, label: Critical Error, pattern: 'disk failure'}\n",
        encoding="utf-8",
    )
    [prediction] = classify(RegexClassifier.from_files(rules), "disk failure on sda")
    assert prediction is not None and prediction.reason == "rule:first" and prediction.label == "Error"


def test_files_are_concatenated_in_order_and_missing_files_skipped(tmp_path: Path) -> None:
    first = tmp_path / "a.yaml"
    first.write_text("rules:\n  - {name: a, label: Error, pattern: 'alpha'}\n", encoding="utf-8")
    second = tmp_path / "b.yaml"
    second.write_text("rules:\n  - {name: b, label: Error, pattern: 'beta'}\n", encoding="utf-8")
    classifier = RegexClassifier.from_files(first, tmp_path / "missing.yaml", second)
    assert [rule.name for rule in classifier.rules] == ["a", "b"]


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("rules:\n  - {name: x, label: Nonsense, pattern: 'a'}\n", "unknown label 'Nonsense'"),
        ("rules:\n  - {name: x, label: Error, pattern: '(unclosed'}\n", "invalid pattern"),
        ("rules:\n  - {name: x, label: Error}\n", "needs name, label and pattern"),
        ("rules: [\n", "cannot read regex rules"),
    ],
)
def test_bad_rule_files_fail_loudly(tmp_path: Path, text: str, complaint: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=complaint.replace("(", r"\(")):
        load_rules(path)
