"""Export people's corrections as labelled training rows: the corrected patterns' example lines.

    python -m training.corrections --store URL --output corrections.csv

URL is a PATTERN_STORE value (a SQLite file path, sqlite:///PATH or postgresql://...). Each corrected
pattern gives its kept example lines (redacted as stored, a few per pattern) with the person's label, as
`source,log_message,target_label` rows; train with them through `python -m training.train --data ...
--extra-data corrections.csv`.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="the pattern store: a SQLite file path or postgresql://...")
    parser.add_argument("--output", type=Path, required=True, help="CSV to write (source, log_message, target_label)")
    args = parser.parse_args(argv)
    from sqlalchemy.exc import SQLAlchemyError

    from log_classifier.patterns.corrections import CorrectionStore
    from log_classifier.patterns.database import make_engines, migrate

    if "://" not in args.store and not Path(args.store).is_file():
        print(f"error: {args.store}: no such pattern store file", file=sys.stderr)
        return 2
    engines = make_engines(args.store)
    try:
        migrate(engines)
        rows = CorrectionStore(engines).corrected_examples()
    except SQLAlchemyError as exc:
        print(f"error: cannot read the pattern store ({type(exc).__name__})", file=sys.stderr)
        return 2
    finally:
        engines.dispose()
    with args.output.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "log_message", "target_label"])
        writer.writerows(rows)
    print(f"{len(rows)} example lines of corrected patterns written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
