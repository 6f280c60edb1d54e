"""Propose regex rules for frequent, label-pure message shapes in a labelled CSV.

    python -m training.mine_rules --data FILE.csv [--eps 0.1] [--min-samples 5]
        [--min-cluster-size 20] [--min-purity 1.0] [--output proposals.yaml] [--accept --model-dir DIR]

Steps: mask the messages (rules see masked text); skip rows the existing rules already cover
(resources/regex_rules.yaml and DIR/regex_rules.yaml); embed each distinct masked message once;
cluster with DBSCAN (cosine distance, each message weighted by its row count); for every cluster
with at least --min-cluster-size rows and a label share of at least --min-purity, build a pattern
from the tokens all its messages share (differing tokens become ``\\S+`` or a lazy gap). Each
proposal is then checked against the *whole* file: coverage (rows matched) and purity (share of
matched rows with the proposal's label); proposals below --min-purity are dropped.

The proposals are written in the format of resources/regex_rules.yaml; with --accept they are also
merged into DIR/regex_rules.yaml, which the model directory's cascade loads after the base rules.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from log_classifier.config import BASE_RULES_FILE
from log_classifier.contract import LogRecord
from log_classifier.errors import ConfigurationError
from log_classifier.model.embedders import Embedder
from log_classifier.model.store import RULES_FILE
from log_classifier.stages.regex import RegexClassifier, load_rules
from log_classifier.text.prepare import masked_text
from training.dataset import DatasetError, read_labelled_csv

log = logging.getLogger("training.mine_rules")

DEFAULT_EPS = 0.1
DEFAULT_MIN_SAMPLES = 5
DEFAULT_MIN_CLUSTER_SIZE = 20
DEFAULT_MIN_PURITY = 1.0
DEFAULT_OUTPUT = Path("build") / "rule_proposals.yaml"
MIN_LITERAL_WORDS = 2
"""A pattern needs this many shared words (3+ letters outside placeholders) to be specific enough."""

_PLACEHOLDER = re.compile(r"<[A-Z]+>")
_WORD = re.compile(r"[A-Za-z]{3,}")
_YAML_HEADER = (
    "# Regex rules mined from labelled data (python -m training.mine_rules); same format as\n"
    "# resources/regex_rules.yaml. Patterns match the MASKED message, case-insensitive, first match wins.\n"
)


@dataclass(frozen=True)
class Proposal:
    """A mined rule and how it fares on the whole file."""

    name: str
    label: str
    pattern: str
    coverage: int
    """Rows of the whole file the pattern matches."""
    purity: float
    """Share of the matched rows whose target_label is `label`."""
    cluster_rows: int
    """Rows of the cluster the pattern was built from."""

    def as_rule(self) -> dict[str, str]:
        return {"name": self.name, "label": self.label, "pattern": self.pattern}


# --------------------------------------------------------------------------- pattern building


def build_pattern(masked_messages: Sequence[str]) -> str | None:
    """A pattern matching every message of `masked_messages`, built from the tokens they share.

    Shared tokens (the longest common token subsequence) are kept literally, escaped; placeholders
    such as ``<NUM>`` stay as they are, since rules see masked text. A gap that is always the same
    number of tokens becomes that many ``\\S+``; a gap of varying length becomes a lazy run of
    tokens. Tokens are separated by single spaces, as in masked text. The pattern is anchored at a
    side where no message has extra tokens. Returns None when the shared part is too generic to be
    a rule.
    """
    token_lists = [message.split() for message in masked_messages if message.strip()]
    if not token_lists:
        return None
    common = token_lists[0]
    for tokens in token_lists[1:]:
        common = _lcs(common, tokens)
        if not common:
            return None
    if sum(1 for token in common if _WORD.search(_PLACEHOLDER.sub(" ", token))) < MIN_LITERAL_WORDS:
        return None
    # Gaps per message: before the first shared token, between each pair, after the last.
    gaps = [_gaps(tokens, common) for tokens in token_lists]
    parts: list[str] = []
    leading = {gap[0] for gap in gaps}
    parts.append("^" if leading == {0} else r"(?<!\S)")
    parts.append(_token_pattern(common[0]))
    for index in range(1, len(common)):
        sizes = {gap[index] for gap in gaps}
        parts.append(_joiner(sizes))
        parts.append(_token_pattern(common[index]))
    trailing = {gap[-1] for gap in gaps}
    parts.append("$" if trailing == {0} else r"(?!\S)")
    pattern = "".join(parts)
    compiled = re.compile(pattern, re.IGNORECASE)
    if not all(compiled.search(" ".join(tokens)) for tokens in token_lists):
        # Cannot happen with a consistent alignment; refuse rather than propose a wrong rule.
        log.warning("pattern %r does not match its own cluster; skipped", pattern)
        return None
    return pattern


def _token_pattern(token: str) -> str:
    # re.escape leaves placeholders such as <NUM> readable: < and > are not special.
    return re.escape(token)


def _joiner(sizes: set[int]) -> str:
    # Masked text has single spaces (mask_variables collapses whitespace), so a space is exact.
    if sizes == {0}:
        return " "
    if len(sizes) == 1:
        (size,) = sizes
        return r" (?:\S+ )" + (f"{{{size}}}" if size > 1 else "")
    return r" (?:\S+ )*?"


def _lcs(a: Sequence[str], b: Sequence[str]) -> list[str]:
    """Longest common subsequence of two token lists (dynamic programming)."""
    rows, cols = len(a), len(b)
    table = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows - 1, -1, -1):
        for j in range(cols - 1, -1, -1):
            table[i][j] = table[i + 1][j + 1] + 1 if a[i] == b[j] else max(table[i + 1][j], table[i][j + 1])
    result: list[str] = []
    i = j = 0
    while i < rows and j < cols:
        if a[i] == b[j]:
            result.append(a[i])
            i += 1
            j += 1
        elif table[i + 1][j] >= table[i][j + 1]:
            i += 1
        else:
            j += 1
    return result


def _gaps(tokens: Sequence[str], common: Sequence[str]) -> list[int]:
    """Token counts around and between the shared tokens in `tokens` (leftmost alignment)."""
    positions: list[int] = []
    start = 0
    for token in common:
        position = tokens.index(token, start)
        positions.append(position)
        start = position + 1
    gaps = [positions[0]]
    gaps.extend(positions[k] - positions[k - 1] - 1 for k in range(1, len(positions)))
    gaps.append(len(tokens) - positions[-1] - 1)
    return gaps


# --------------------------------------------------------------------------- mining


def label_slug(label: str) -> str:
    """'HTTP Status' → 'http-status'."""
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def mine(
    frame: pd.DataFrame,
    embedder: Embedder,
    *,
    existing: RegexClassifier,
    eps: float = DEFAULT_EPS,
    min_samples: int = DEFAULT_MIN_SAMPLES,
    min_cluster_size: int = DEFAULT_MIN_CLUSTER_SIZE,
    min_purity: float = DEFAULT_MIN_PURITY,
    taken_names: Iterable[str] = (),
) -> list[Proposal]:
    """Proposals for `frame` (columns log_message, target_label), checked against all its rows."""
    from sklearn.cluster import DBSCAN

    masked = [masked_text(message) for message in frame["log_message"]]
    labels = list(frame["target_label"])
    # Label counts per distinct masked message, over the whole file (for the final check)...
    everything: dict[str, Counter[str]] = {}
    for text, label in zip(masked, labels):
        everything.setdefault(text, Counter())[label] += 1
    # ...and over the rows no existing rule covers (what gets clustered).
    texts = list(everything)
    covered = existing.classify_batch([LogRecord("", text) for text in texts])
    pending = [text for text, prediction in zip(texts, covered) if prediction is None]
    log.info(
        "%d rows, %d distinct masked messages, %d not covered by existing rules",
        len(masked), len(texts), len(pending),
    )
    if not pending:
        return []
    weights = np.array([sum(everything[text].values()) for text in pending], dtype=float)
    vectors = embedder.encode(pending)
    # Weighted by rows: a shape seen 30 times is one distinct masked text but 30 samples.
    clusters = DBSCAN(eps=eps, min_samples=min_samples, metric="cosine").fit_predict(vectors, sample_weight=weights)

    taken = set(taken_names)
    counters: Counter[str] = Counter()
    seen_patterns: set[str] = {rule.pattern.pattern for rule in existing.rules}
    proposals: list[Proposal] = []
    for cluster_id in sorted(set(clusters) - {-1}):
        members = [text for text, cid in zip(pending, clusters) if cid == cluster_id]
        label_rows: Counter[str] = Counter()
        for text in members:
            label_rows.update(everything[text])
        rows = sum(label_rows.values())
        label, top = label_rows.most_common(1)[0]
        purity = top / rows
        if rows < min_cluster_size:
            log.info("cluster %d: %d rows, %s purity %.3f: not proposed: fewer rows than --min-cluster-size %d",
                     cluster_id, rows, label, purity, min_cluster_size)
            continue
        if purity < min_purity:
            log.info("cluster %d: %d rows, %s purity %.3f: not proposed: purity below --min-purity %.3f",
                     cluster_id, rows, label, purity, min_purity)
            continue
        pattern = build_pattern(members)
        if pattern is None:
            log.info("cluster %d (%s, %d rows): shared part too generic for a rule", cluster_id, label, rows)
            continue
        if pattern in seen_patterns:
            continue
        seen_patterns.add(pattern)
        compiled = re.compile(pattern, re.IGNORECASE)
        matched: Counter[str] = Counter()
        for text, counts in everything.items():
            if compiled.search(text):
                matched.update(counts)
        coverage = sum(matched.values())
        whole_purity = matched[label] / coverage if coverage else 0.0
        if whole_purity < min_purity:
            log.info("pattern %r: purity %.3f on the whole file < %.3f: dropped", pattern, whole_purity, min_purity)
            continue
        name = _next_name(label, counters, taken)
        proposals.append(Proposal(name, label, pattern, coverage, round(whole_purity, 4), rows))
    return proposals


def _next_name(label: str, counters: Counter[str], taken: set[str]) -> str:
    while True:
        counters[label] += 1
        name = f"mined-{label_slug(label)}-{counters[label]}"
        if name not in taken:
            taken.add(name)
            return name


# --------------------------------------------------------------------------- rules files


def write_rules(path: Path, rules: Sequence[dict[str, str]]) -> None:
    """Write a rules file (format of resources/regex_rules.yaml), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump({"rules": list(rules)}, sort_keys=False, allow_unicode=True, width=1000)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(_YAML_HEADER + body, encoding="utf-8")
    tmp.replace(path)


def merge_rules(path: Path, proposals: Sequence[Proposal]) -> list[Proposal]:
    """Append to the rules file at `path` (created if missing) the proposals whose pattern is new."""
    existing: list[dict[str, str]] = []
    if path.is_file():
        load_rules(path)  # raises ConfigurationError naming the problem if the file is unusable
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        existing = [
            {"name": str(entry["name"]), "label": str(entry["label"]), "pattern": str(entry["pattern"])}
            for entry in document.get("rules") or []
        ]
    patterns = {entry["pattern"] for entry in existing}
    names = {entry["name"] for entry in existing}
    added = [p for p in proposals if p.pattern not in patterns and p.name not in names]
    write_rules(path, existing + [p.as_rule() for p in added])
    load_rules(path)  # what the service will read back
    return added


def _rule_names(*paths: Path) -> set[str]:
    names: set[str] = set()
    for path in paths:
        if path.is_file():
            names.update(rule.name for rule in load_rules(path))
    return names


# --------------------------------------------------------------------------- command line


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not in (0, 1]")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive integer")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.mine_rules", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="labelled CSV: source, log_message, target_label")
    parser.add_argument("--eps", type=float, default=DEFAULT_EPS, help="DBSCAN radius, cosine distance")
    parser.add_argument("--min-samples", type=_positive_int, default=DEFAULT_MIN_SAMPLES,
                        help="DBSCAN min_samples (rows, as messages are weighted by their row count)")
    parser.add_argument("--min-cluster-size", type=_positive_int, default=DEFAULT_MIN_CLUSTER_SIZE,
                        help="rows a cluster needs for a proposal")
    parser.add_argument("--min-purity", type=_fraction, default=DEFAULT_MIN_PURITY,
                        help="share of a cluster's rows (and of a pattern's matches) with one label")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT,
                        help=f"proposals file (default {DEFAULT_OUTPUT})")
    parser.add_argument("--model-dir", type=Path, help="model directory whose regex_rules.yaml counts as existing")
    parser.add_argument("--accept", action="store_true", help="merge the proposals into MODEL_DIR/regex_rules.yaml")
    parser.add_argument("--embedding-model", default="", help="local model directory (default: the packaged MiniLM)")
    args = parser.parse_args(argv)
    if args.accept and args.model_dir is None:
        parser.error("--accept needs --model-dir DIR (the model directory to write regex_rules.yaml into)")
    if not 0.0 < args.eps < 2.0:
        parser.error(f"--eps {args.eps}: a cosine distance must be in (0, 2)")
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")

    model_rules = args.model_dir / RULES_FILE if args.model_dir is not None else None
    rule_files = [BASE_RULES_FILE] + ([model_rules] if model_rules is not None else [])
    try:
        if args.model_dir is not None and args.model_dir.exists() and not args.model_dir.is_dir():
            raise ConfigurationError(f"--model-dir {args.model_dir} is not a directory")
        frame = read_labelled_csv(args.data)
        existing = RegexClassifier.from_files(*rule_files)
        from log_classifier.model.embedders import SentenceTransformerEmbedder

        embedder = SentenceTransformerEmbedder(args.embedding_model)
        proposals = mine(
            frame, embedder, existing=existing, eps=args.eps, min_samples=args.min_samples,
            min_cluster_size=args.min_cluster_size, min_purity=args.min_purity,
            taken_names=_rule_names(*rule_files),
        )
        write_rules(args.output, [p.as_rule() for p in proposals])
        added = merge_rules(model_rules, proposals) if args.accept and model_rules is not None else None
    except (DatasetError, ConfigurationError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _print_report(proposals, len(frame), args.output, model_rules, added)
    return 0


def _print_report(
    proposals: Sequence[Proposal], rows: int, output: Path, model_rules: Path | None, added: list[Proposal] | None
) -> None:
    lines = [f"{len(proposals)} proposal(s) from {rows} rows, written to {output}"]
    for p in proposals:
        lines.append(
            f"  {p.name:<32} {p.label:<20} coverage {p.coverage:>6} ({p.cluster_rows} in cluster)  "
            f"purity {p.purity:.3f}  {p.pattern}"
        )
    if added is not None:
        lines.append(f"accepted {len(added)} new rule(s) into {model_rules}"
                     + (f" ({len(proposals) - len(added)} already there)" if len(added) < len(proposals) else ""))
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
