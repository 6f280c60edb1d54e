"""Run the full cascade over a labelled CSV and report how it does.

    python -m training.evaluate --data FILE.csv [--model-dir DIR] [--output-dir build/eval]
        [--categories "HTTP Status,Resource Usage,..."]

The cascade is the service's own (classifier.load_classifier) with settings from the environment
and .env, MODEL_DIR overridden by --model-dir; the LLM stage takes part only if GROQ_API_KEY is set.

Printed and written to OUTPUT_DIR/metrics.json: overall accuracy and macro-F1; precision, recall,
F1 and support per category (Unclassified counts as a prediction); per stage the share of rows it
decided and its accuracy on them ("none": nothing decided); rows that reached the LLM stage;
per header family (`log_classifier.text.severity.read_header`: syslog, json, cisco, postgresql, ...,
"bare") the rows, their accuracy and the severities their headers stated; per line format (plain,
or a structured record: kv, json, cef, leef; `log_classifier.text.structured`) the rows and their
accuracy, template-balanced where the data names templates;
with a `template` (or `shape`) column, the template-balanced accuracy (mean over templates of
each template's accuracy); with --categories, accuracy and macro-F1 over rows of those categories.
OUTPUT_DIR/confusion_matrix.png shows true against predicted labels.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import classification_report, confusion_matrix, f1_score

from log_classifier.cascade import load_classifier
from log_classifier.config import Settings, get_settings
from log_classifier.contract import STAGES, Prediction
from log_classifier.errors import ConfigurationError
from log_classifier.taxonomy import CATEGORIES, UNCLASSIFIED
from log_classifier.text.severity import read_header
from log_classifier.text.structured import PLAIN, line_format
from training.dataset import DatasetError, read_labelled_csv

log = logging.getLogger("training.evaluate")

DEFAULT_OUTPUT_DIR = Path("build") / "eval"
METRICS_FILE = "metrics.json"
CONFUSION_FILE = "confusion_matrix.png"
TEMPLATE_COLUMNS = ("template", "shape")
"""Columns naming the template a row came from; the first one present is used."""


def evaluate_predictions(
    frame: pd.DataFrame, predictions: Sequence[Prediction], *, categories: Sequence[str] | None = None
) -> dict[str, Any]:
    """Figures for `predictions` against `frame["target_label"]` (one prediction per row)."""
    truth = frame["target_label"].to_numpy(dtype=object)
    predicted = np.array([p.label for p in predictions], dtype=object)
    stages = np.array([p.stage for p in predictions], dtype=object)
    present = set(truth) | set(predicted)
    labels = [label for label in (*CATEGORIES, UNCLASSIFIED) if label in present]
    true_labels = [label for label in CATEGORIES if label in set(truth)]
    report = classification_report(truth, predicted, labels=labels, output_dict=True, zero_division=0)
    correct = truth == predicted
    rows = len(truth)
    reached_llm = np.array(
        [p.stage in ("llm", "none") and p.outcome != "empty" for p in predictions], dtype=bool
    )

    figures: dict[str, Any] = {
        "rows": rows,
        "accuracy": _round(correct.mean()),
        # Macro-F1 over the true categories: Unclassified is a prediction, not a class to be good at.
        "macro_f1": _round(f1_score(truth, predicted, labels=true_labels, average="macro", zero_division=0)),
        "per_category": {
            label: {
                "precision": _round(report[label]["precision"]),
                "recall": _round(report[label]["recall"]),
                "f1": _round(report[label]["f1-score"]),
                "support": int(report[label]["support"]),
            }
            for label in labels
        },
        "unclassified_rows": int((predicted == UNCLASSIFIED).sum()),
        "stages": {},
        # Every non-empty row the regex and embedding stages left reached the LLM stage; it labels
        # some ("llm") and gives the rest back unresolved ("none": disabled, budget, circuit open).
        "llm_rows": int(reached_llm.sum()),
        "llm_labelled_rows": int((stages == "llm").sum()),
        "unresolved_reasons": dict(Counter(p.reason for p in predictions if p.stage == "none").most_common()),
        "confusion": {"labels": labels, "matrix": confusion_matrix(truth, predicted, labels=labels).tolist()},
    }
    for stage in STAGES:
        decided = stages == stage
        count = int(decided.sum())
        if count:
            figures["stages"][stage] = {
                "rows": count,
                "coverage": _round(count / rows),
                "accuracy": _round(correct[decided].mean()),
            }

    # Per header family (syslog, json, cisco, postgresql, ..., "bare" without a header): where the
    # model does well or not by the format the line came in, and the severity the header stated.
    headers = [read_header(str(message)) for message in frame["log_message"]]
    families = np.array([header.family for header in headers], dtype=object)
    figures["per_header_family"] = {
        family: {
            "rows": int((families == family).sum()),
            "accuracy": _round(correct[families == family].mean()),
            "severities": dict(Counter(h.severity for h, f in zip(headers, families) if f == family).most_common()),
        }
        for family in sorted(set(families), key=lambda name: (-(families == name).sum(), name))
    }

    column = next((name for name in TEMPLATE_COLUMNS if name in frame.columns), None)
    if column is not None:
        per_template = pd.Series(correct).groupby(frame[column].to_numpy()).mean()
        figures["template_balanced"] = {
            "column": column,
            "templates": int(len(per_template)),
            "accuracy": _round(per_template.mean()),
        }

    # Per line format (plain, or a structured record: kv, json, cef, leef; `text.structured`), and
    # plain against structured, template-balanced where the data names templates.
    formats = np.array([line_format(str(message).strip()) for message in frame["log_message"]], dtype=object)
    figures["per_format"] = {}
    for name, mask in [(fmt, formats == fmt) for fmt in sorted(set(formats), key=lambda f: -(formats == f).sum())] + [
            ("structured", formats != PLAIN)]:
        if not mask.any() or (name == "structured" and mask.all() and len(set(formats)) == 1):
            continue
        entry = {"rows": int(mask.sum()), "accuracy": _round(correct[mask].mean())}
        if column is not None:
            by_template = pd.Series(correct[mask]).groupby(frame[column].to_numpy()[mask]).mean()
            entry["templates"] = int(len(by_template))
            entry["template_balanced"] = _round(by_template.mean())
        figures["per_format"][name] = entry

    if categories:
        subset = np.isin(truth, list(categories))
        figures["subset"] = {
            "categories": list(categories),
            "rows": int(subset.sum()),
            "accuracy": _round(correct[subset].mean()) if subset.any() else None,
            "macro_f1": _round(
                f1_score(truth, predicted, labels=list(categories), average="macro", zero_division=0)
            ),
        }
    return figures


def _round(value: float) -> float:
    return round(float(value), 4)


def plot_confusion(figures: dict[str, Any], path: Path, *, title: str) -> None:
    """Write the confusion matrix (rows: true label, columns: predicted) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt

    labels = figures["confusion"]["labels"]
    matrix = np.array(figures["confusion"]["matrix"])
    size = 1.2 + 0.75 * len(labels)
    fig, ax = plt.subplots(figsize=(size + 2, size))
    try:
        # Colour by share of the true label's rows, so rare categories are as visible as big ones.
        totals = matrix.sum(axis=1, keepdims=True)
        shares = np.divide(matrix, totals, out=np.zeros(matrix.shape, dtype=float), where=totals > 0)
        image = ax.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
        fig.colorbar(image, ax=ax, label="share of the true label's rows")
        ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
        ax.set_yticks(range(len(labels)), labels)
        ax.set_xlabel("predicted")
        ax.set_ylabel("true")
        ax.set_title(title)
        for i in range(len(labels)):
            for j in range(len(labels)):
                if matrix[i, j]:
                    ax.text(j, i, str(matrix[i, j]), ha="center", va="center",
                            color="white" if shares[i, j] > 0.5 else "black", fontsize=8)
        fig.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=100)
    finally:
        plt.close(fig)


def evaluate(
    data: Path, settings: Settings, output_dir: Path, *, categories: Sequence[str] | None = None
) -> dict[str, Any]:
    """Classify `data` with the cascade `settings` describe; write the PNG and JSON; return the figures."""
    frame = read_labelled_csv(data)
    loaded = load_classifier(settings)
    try:
        predictions = loaded.cascade.classify(list(frame["source"]), list(frame["log_message"]))
    finally:
        loaded.close()
    figures = evaluate_predictions(frame, predictions, categories=categories)
    figures = {
        "data": str(data),
        "model_dir": str(settings.model_dir),
        "model_version": loaded.model_version,
        "llm_enabled": bool(settings.groq_api_key.strip()),
        **figures,
    }
    output_dir.mkdir(parents=True, exist_ok=True)
    plot_confusion(figures, output_dir / CONFUSION_FILE, title=f"{data.name} — model {loaded.model_version}")
    (output_dir / METRICS_FILE).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return figures


def _categories(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in CATEGORIES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown categories {unknown or '[]'}; use comma-separated names from: {', '.join(CATEGORIES)}"
        )
    return names


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="labelled CSV: source, log_message, target_label")
    parser.add_argument("--model-dir", type=Path, help="model directory (default: MODEL_DIR from env/.env)")
    parser.add_argument("--output-dir", type=Path, default=DEFAULT_OUTPUT_DIR,
                        help=f"where to write {METRICS_FILE} and {CONFUSION_FILE} (default {DEFAULT_OUTPUT_DIR})")
    parser.add_argument("--categories", type=_categories,
                        help='comma-separated subset for an extra summary, e.g. "HTTP Status,Error"')
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    try:
        # The model is measured, not people's corrections of it: no pattern store.
        overrides: dict[str, object] = {"pattern_store": "off"}
        if args.model_dir is not None:
            overrides["model_dir"] = args.model_dir
        settings = get_settings(**overrides)
        figures = evaluate(args.data, settings, args.output_dir, categories=args.categories)
    except (DatasetError, ConfigurationError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _print_report(figures, args.output_dir)
    return 0


def _print_report(figures: dict[str, Any], output_dir: Path) -> None:
    lines = [
        f"{figures['rows']} rows, model {figures['model_version']}, "
        f"LLM {'enabled' if figures['llm_enabled'] else 'disabled (no GROQ_API_KEY)'}",
        f"accuracy {figures['accuracy']:.4f}  macro-F1 {figures['macro_f1']:.4f}  "
        f"unclassified {figures['unclassified_rows']}",
    ]
    if "template_balanced" in figures:
        balanced = figures["template_balanced"]
        lines.append(f"template-balanced accuracy {balanced['accuracy']:.4f} "
                     f"over {balanced['templates']} values of {balanced['column']!r}")
    if "subset" in figures:
        subset = figures["subset"]
        accuracy = "n/a" if subset["accuracy"] is None else f"{subset['accuracy']:.4f}"
        lines.append(f"on {len(subset['categories'])} categories ({subset['rows']} rows): "
                     f"accuracy {accuracy}  macro-F1 {subset['macro_f1']:.4f}")
    lines.append("per category:")
    for label, scores in figures["per_category"].items():
        lines.append(f"  {label:<22} P {scores['precision']:.3f}  R {scores['recall']:.3f}  "
                     f"F1 {scores['f1']:.3f}  n {scores['support']}")
    lines.append("per header family:")
    for family, scores in figures["per_header_family"].items():
        severities = ", ".join(f"{name} {count}" for name, count in scores["severities"].items())
        lines.append(f"  {family:<14} accuracy {scores['accuracy']:.4f}  n {scores['rows']:<6} severity: {severities}")
    lines.append("per line format (structured: every record format together):")
    for name, scores in figures["per_format"].items():
        balanced = (f"  template-balanced {scores['template_balanced']:.4f} over {scores['templates']}"
                    if "template_balanced" in scores else "")
        lines.append(f"  {name:<14} accuracy {scores['accuracy']:.4f}  n {scores['rows']:<6}{balanced}")
    lines.append("per stage:")
    for stage, scores in figures["stages"].items():
        lines.append(f"  {stage:<6} coverage {scores['coverage']:.4f} ({scores['rows']} rows)  "
                     f"accuracy {scores['accuracy']:.4f}")
    lines.append(f"rows that reached the LLM stage: {figures['llm_rows']} "
                 f"(labelled by it: {figures['llm_labelled_rows']})")
    for reason, count in figures["unresolved_reasons"].items():
        lines.append(f"  unresolved, {reason}: {count}")
    lines.append(f"wrote {output_dir / METRICS_FILE} and {output_dir / CONFUSION_FILE}")
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
