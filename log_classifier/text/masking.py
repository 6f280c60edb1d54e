"""`mask_variables`: turn the variable parts of a log line into placeholders.

Two lines that differ only in ids, numbers, addresses and names get the same masked text, so the
cascade classifies each *shape* once, and the embedding model sees the words that carry meaning.
HTTP status codes and severity words are kept: they decide categories.

The instructions are data, `resources/masking_rules.yaml` (Drain3-style `regex → mask` pairs and
one `keep` rule), given to a `Masker`, compiled once, applied in order. Speed: one RE2 scan of an
ASCII line against every rule's prefilter decides which rules can match at all; only those run (on
real log lines two to four of the ~25; figures in docs/performance.md). Lines that differ only in
the values of their digits (one template, new numbers) are masked once: rules that never look at a
digit's value (found from their parse trees) mask them alike.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re2
import yaml

from log_classifier.config import MASKING_RULES_FILE

# re's own parser (not in the type stubs): the parse tree shows which rules tell digits apart.
sre_parse: Any = importlib.import_module("re._parser")
sre: Any = importlib.import_module("re._constants")

_FIELDS = {"name", "regex", "mask", "keep", "when", "ignore_case", "plain", "prefilter"}
# What a `keep` rule protects waits behind a marker until the end: a private-use character (not a
# word character, digit or space) on each side of the kept text, whose digits are turned into
# letters so that no later rule sees a number there. A marker the line does not contain is used.
_MARKERS = "\ue000\ue001\ue002\ue003\ue004\ue005\ue006\ue007"
_DIGITS_TO_LETTERS = str.maketrans("0123456789", "abcdefghij")
_LETTERS_TO_DIGITS = str.maketrans("abcdefghij", "0123456789")
# Lines that differ only in the values of their ASCII digits are masked alike by rules that never
# look at a digit's value (see Masker.__call__): this is the shape they are memoised under.
_DIGITS_TO_SEVEN = str.maketrans("0123456789", "7777777777")
_SHAPE_MEMO_SIZE = 100_000
_DIGITS = frozenset(range(ord("0"), ord("9") + 1))


@dataclass(frozen=True)
class MaskingRule:
    """One compiled instruction of the rules file."""

    name: str
    pattern: re.Pattern[str]
    mask: str
    keep: bool = False
    when: re.Pattern[str] | None = None
    plain: re.Pattern[str] | None = None
    prefilter: tuple[str, ...] = ()


def load_rules(path: Path = MASKING_RULES_FILE) -> tuple[MaskingRule, ...]:
    """Read and compile a masking rules file (default: the shipped one); ValueError naming the rule on any mistake."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ValueError(f"{path}: expected a mapping with a 'rules' list")
    return tuple(_rule(entry, path) for entry in data["rules"])


def _rule(entry: Any, path: Path) -> MaskingRule:
    name = entry.get("name", "?") if isinstance(entry, dict) else "?"
    where = f"{path}: masking rule {name!r}"
    if not isinstance(entry, dict) or "name" not in entry or "regex" not in entry:
        raise ValueError(f"{where}: each rule needs a name and a regex")
    unknown = set(entry) - _FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    keep = bool(entry.get("keep", False))
    if keep == ("mask" in entry):
        raise ValueError(f"{where}: give either a mask or keep: true")
    flags = re.IGNORECASE if entry.get("ignore_case") else 0
    try:
        pattern = re.compile(entry["regex"], flags)
        when = re.compile(entry["when"], flags) if "when" in entry else None
        plain = re.compile(entry["plain"], flags) if "plain" in entry else None
    except re.error as exc:
        raise ValueError(f"{where}: {exc}") from exc
    if keep and "keep" not in pattern.groupindex:
        raise ValueError(f"{where}: keep: true needs a group named 'keep' in the regex")
    prefilter = entry.get("prefilter", ())
    return MaskingRule(
        name=entry["name"],
        pattern=pattern,
        mask=str(entry.get("mask", "")),
        keep=keep,
        when=when,
        plain=plain,
        prefilter=(prefilter,) if isinstance(prefilter, str) else tuple(prefilter),
    )


class Masker:
    """Applies masking rules in order; callable on one message."""

    def __init__(self, rules: tuple[MaskingRule, ...]) -> None:
        self.rules = rules
        regex_set = re2.Set.SearchSet()
        self._needs: list[frozenset[int]] = []
        for rule in rules:
            try:
                self._needs.append(frozenset(regex_set.Add(prefilter) for prefilter in rule.prefilter))
            except re2.error as exc:
                raise ValueError(f"masking rule {rule.name!r}: bad prefilter: {exc}") from exc
        regex_set.Compile()
        self._scan: Callable[[bytes], list[int] | None] = regex_set.Match
        # The rules to run for each set of prefilters found (a handful of distinct sets in practice).
        self._plans: dict[frozenset[int], tuple[MaskingRule, ...]] = {}
        # Rules whose regex, condition or prefilter tells one digit from another ("0x", HTTP status codes).
        self._reads_digits = frozenset(rule.name for rule in rules if not _digit_blind(rule))
        self._by_shape: dict[str, str | None] = {}

    def __call__(self, message: str) -> str:
        if not message.isascii():
            # RE2's classes are ASCII ones; a line with other characters simply runs every rule.
            return self._apply(self.rules, message)
        plan = self._plan(message)
        if any(rule.name in self._reads_digits for rule in plan):
            return self._apply(plan, message)
        # Every rule that can match here treats all digits alike, so a line masks like its copy with
        # every digit a 7, as long as no digit is left in the result (then the two results are equal).
        shape = message.translate(_DIGITS_TO_SEVEN)
        try:
            masked = self._by_shape[shape]
        except KeyError:
            shape_plan = self._plan(shape)
            masked = None
            if not any(rule.name in self._reads_digits for rule in shape_plan):
                masked = self._apply(shape_plan, shape)
                masked = None if "7" in masked else masked
            if len(self._by_shape) >= _SHAPE_MEMO_SIZE:
                self._by_shape.clear()
            self._by_shape[shape] = masked
        return self._apply(plan, message) if masked is None else masked

    def _apply(self, plan: tuple[MaskingRule, ...], message: str) -> str:
        text = message
        marker = ""
        for rule in plan:
            if rule.when is not None and rule.when.search(text) is None:
                continue
            if not rule.keep:
                text = rule.pattern.sub(rule.mask, text)
                continue
            marker = marker or next((m for m in _MARKERS if m not in message), "")
            if marker:
                text = rule.pattern.sub(functools.partial(_protect, marker=marker), text)
        if marker and marker in text:
            text = _restore(text, marker)
        # Runs of white space become one space (str.split and re's \s agree on what is a space).
        return " ".join(text.split())

    def _plan(self, message: str) -> tuple[MaskingRule, ...]:
        found = frozenset(self._scan(message.encode()) or ())
        plan = self._plans.get(found)
        if plan is None:
            plan = tuple(rule for rule, needs in zip(self.rules, self._needs) if needs <= found)
            self._plans[found] = plan
        return plan


def _digit_blind(rule: MaskingRule) -> bool:
    """True when no part of the rule can tell one ASCII digit from another (all match alike)."""
    patterns = [rule.pattern.pattern] + ([rule.when.pattern] if rule.when else []) + list(rule.prefilter)
    return all(_blind(sre_parse.parse(pattern)) for pattern in patterns)


def _blind(tree: Any) -> bool:
    groups: dict[int, Any] = {}

    def digits_in(items: Any) -> set[int] | None:
        """The ASCII digits a character class matches (None: it cannot be told)."""
        found: set[int] = set()
        negate = False
        for op, value in items:
            if op is sre.NEGATE:
                negate = True
            elif op is sre.LITERAL:
                found |= {value} & _DIGITS
            elif op is sre.RANGE:
                found |= set(range(value[0], value[1] + 1)) & _DIGITS
            elif op is sre.CATEGORY:
                if value in (sre.CATEGORY_DIGIT, sre.CATEGORY_WORD, sre.CATEGORY_NOT_SPACE):
                    found |= _DIGITS
                elif value not in (sre.CATEGORY_NOT_DIGIT, sre.CATEGORY_NOT_WORD, sre.CATEGORY_SPACE):
                    return None
            else:
                return None
        return set(_DIGITS - found) if negate else found

    def walk(node: Any) -> bool:
        for op, value in node:
            if op in (sre.LITERAL, sre.NOT_LITERAL):
                if value in _DIGITS:
                    return False
            elif op is sre.IN:
                digits = digits_in(value)
                if digits is None or digits not in (set(), _DIGITS):
                    return False
            elif op is sre.SUBPATTERN:
                groups[value[0]] = value[3]
                if not walk(value[3]):
                    return False
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                if not walk(value[2]):
                    return False
            elif op is sre.BRANCH:
                if not all(walk(branch) for branch in value[1]):
                    return False
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                if not walk(value[1]):
                    return False
            elif op is sre.GROUPREF:
                # Comparing text is blind only if the group cannot hold a digit.
                if value not in groups or not _no_digits(groups[value]):
                    return False
            elif op not in (sre.AT, sre.ANY):
                return False
        return True

    return walk(tree)


def _no_digits(node: Any) -> bool:
    """True when what `node` matches never contains a digit (literals and alternatives of them)."""
    for op, value in node:
        if op is sre.LITERAL:
            if value in _DIGITS:
                return False
        elif op is sre.BRANCH:
            if not all(_no_digits(branch) for branch in value[1]):
                return False
        elif op is sre.SUBPATTERN:
            if not _no_digits(value[3]):
                return False
        else:
            return False
    return True


def _protect(match: re.Match[str], *, marker: str) -> str:
    start, end = match.span("keep")
    text = match.string
    hidden = text[start:end].translate(_DIGITS_TO_LETTERS)
    return text[match.start() : start] + marker + hidden + marker + text[end : match.end()]


@functools.lru_cache(maxsize=len(_MARKERS))
def _marked(marker: str) -> re.Pattern[str]:
    return re.compile(f"{marker}([a-j]*){marker}")


def _restore(text: str, marker: str) -> str:
    # A later rule may have swallowed a marked value (e.g. into <USER>); the others come back.
    return _marked(marker).sub(lambda match: match.group(1).translate(_LETTERS_TO_DIGITS), text)


@functools.lru_cache(maxsize=1)
def default_masker() -> Masker:
    """The masker given the shipped instructions (resources/masking_rules.yaml), built on first use."""
    return Masker(load_rules(MASKING_RULES_FILE))


def mask_variables(message: str) -> str:
    """Return `message` with variable tokens replaced by placeholders such as ``<IP>`` and ``<NUM>``."""
    return default_masker()(message)
