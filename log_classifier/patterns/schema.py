"""The pattern store's tables (SQLAlchemy Core). Migrations (`migrations/versions`) create them;
this module is what the code reads and writes through.

Times are epoch seconds: buckets are integers (the bucket's start), first/last seen floats. Both
dialects compare and sum them alike, and nothing depends on a database's time zone.

`corrected_label` is a person's label (issue 21's corrections): when set it wins over `label`, the
cascade's latest answer, which the writer keeps updating either way.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

patterns = Table(
    "patterns",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("source", Text, nullable=False),
    Column("severity", String(32), nullable=False),
    Column("pattern", Text, nullable=False),
    Column("example", Text, nullable=False),
    Column("label", String(64), nullable=False),
    Column("classified_by", String(16), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("reason", Text, nullable=False),
    Column("first_seen", Float, nullable=False),
    Column("last_seen", Float, nullable=False),
    Column("corrected_label", String(64), nullable=True),
    Column("corrected_at", Float, nullable=True),
    Index("ix_patterns_last_seen", "last_seen"),
    Index("ix_patterns_source", "source"),
    Index("ix_patterns_corrected", "corrected_label"),
)


def _counts(name: str) -> Table:
    return Table(
        name,
        metadata,
        Column("pattern_id", String(16), primary_key=True),
        Column("bucket", BigInteger, primary_key=True),
        Column("count", BigInteger, nullable=False),
        Index(f"ix_{name}_bucket", "bucket"),
    )


minute_counts = _counts("pattern_minutes")
"""Lines per pattern per minute (bucket = the minute's first second), kept PATTERN_MINUTE_RETENTION_H."""
hour_counts = _counts("pattern_hours")
"""Lines per pattern per hour, kept PATTERN_RETENTION_DAYS."""

examples = Table(
    "pattern_examples",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pattern_id", String(16), nullable=False),
    Column("seen", Float, nullable=False),
    Column("example", Text, nullable=False),
    Index("ix_pattern_examples_pattern", "pattern_id", "seen"),
)
"""Recent example lines (redacted), a few per pattern."""

corrections = Table(
    "pattern_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("pattern_id", String(16), nullable=False),
    Column("action", String(16), nullable=False),
    Column("from_label", String(64), nullable=True),
    Column("to_label", String(64), nullable=True),
    Column("note", Text, nullable=False),
    Column("who", String(128), nullable=False),
    Column("at", Float, nullable=False),
    Column("undone_at", Float, nullable=True),
    Index("ix_pattern_corrections_at", "at"),
    Index("ix_pattern_corrections_pattern", "pattern_id"),
)
"""Every correction ("correct") and undo ("undo"), oldest first: the audit. Its highest id is the
corrections' version: every service process polls it (CORRECTION_SYNC_S) and reloads when it moves."""
