"""Posting CSV files to `/classify/` and reading the answer back (shared by the upload tests)."""

from __future__ import annotations

import csv
import io

import httpx
from fastapi.testclient import TestClient

from log_classifier.taxonomy import CATEGORIES, UNCLASSIFIED

ALLOWED_LABELS = set(CATEGORIES) | {UNCLASSIFIED}
SSH_FAILED = "Failed password for invalid user admin from 198.51.100.7 port 50122 ssh2"
KERNEL_PANIC = "Kernel panic - not syncing: Attempted to kill init!"
EXPLAINED = ["target_label", "classified_by", "confidence", "reason", "pattern_id"]


def post_csv(client: TestClient | httpx.Client, body: bytes, *, explain: bool = False, name: str = "logs.csv",
             headers: dict[str, str] | None = None) -> httpx.Response:
    return client.post(
        f"/classify/?explain={str(explain).lower()}", files={"file": (name, body, "text/csv")}, headers=headers or {}
    )


def parse(text: str) -> list[list[str]]:
    """Every record of a CSV text, header included, as lists (order and duplicates kept)."""
    return list(csv.reader(io.StringIO(text, newline="")))


def as_dicts(text: str) -> list[dict[str, str]]:
    header, *records = parse(text)
    return [dict(zip(header, record)) for record in records]


def make_csv(header: list[str], records: list[list[str]], *, lineterminator: str = "\r\n",
             quoting: int = csv.QUOTE_MINIMAL) -> str:
    # "\r\n" by default: with "\n", Python 3.11's writer leaves a lone "\r" unquoted (a broken file).
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=lineterminator, quoting=quoting)
    writer.writerow(header)
    writer.writerows(records)
    return buffer.getvalue()
