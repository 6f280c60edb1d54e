"""The pattern store: every classified line counted under its pattern, kept in SQLite or PostgreSQL.

    timestamps.py   a line's own time (ISO 8601, epoch s/ms), else its arrival
    schema.py       the tables (SQLAlchemy Core)         migrations/   Alembic, run at start-up
    database.py     engines from PATTERN_STORE           store.py      writes (atomic upserts) and queries
    recorder.py     in-memory counts + the one background writer the routes hand their rows to
    corrections.py  a person's label on a pattern, its audit, the version processes poll
"""
