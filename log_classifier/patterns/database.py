"""Engines for PATTERN_STORE, and the schema migrations run at start-up.

- a file path or ``sqlite:///PATH``: an embedded SQLite file in WAL mode (readers never wait for the
  writer). Several processes may share it: each write transaction starts with ``BEGIN IMMEDIATE`` (it
  takes the write lock first, waiting up to SQLITE_BUSY_MS) and adds counts with atomic upserts;
- ``postgresql://...``: a PostgreSQL server through psycopg 3, for several processes or hosts.

Migrations (Alembic, `migrations/`) run under a lock (SQLite's write lock, PostgreSQL's advisory
lock), so processes starting together migrate once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import NullPool

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_MS = 30_000
CONNECT_TIMEOUT_S = 5
MIGRATION_LOCK_ID = 0x706174746572  # any constant: PostgreSQL's advisory lock for migrations ("patter")


@dataclass(frozen=True)
class Engines:
    """One engine for writes and one for reads (the same one on PostgreSQL)."""

    write: Engine
    read: Engine
    description: str
    """Where the store is, without credentials (for /health and logs)."""

    @property
    def dialect(self) -> str:
        return self.write.dialect.name

    def dispose(self) -> None:
        self.write.dispose()
        if self.read is not self.write:
            self.read.dispose()


def database_url(location: str) -> str:
    """The SQLAlchemy URL of a PATTERN_STORE value (not `off`)."""
    if location.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + location.split("://", 1)[1]
    if "://" in location:
        return location
    return f"sqlite:///{Path(location).expanduser().resolve()}"


def make_engines(location: str) -> Engines:
    """Engines for a PATTERN_STORE value; nothing connects yet."""
    url = database_url(location)
    if url.startswith("sqlite"):
        path = url.split(":///", 1)[1]
        write = _sqlite_engine(url, immediate=True)
        read = _sqlite_engine(url, immediate=False)
        return Engines(write, read, f"sqlite:{path}")
    engine = create_engine(
        url, pool_pre_ping=True, pool_size=4, max_overflow=4,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "log-classifier"},
    )
    return Engines(engine, engine, engine.url.render_as_string(hide_password=True))


def _sqlite_engine(url: str, *, immediate: bool) -> Engine:
    # NullPool: a connection per use is cheap for a local file and never outlives a fork (uvicorn workers).
    engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": SQLITE_BUSY_MS / 1000})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        # The driver's own transaction handling off: SQLAlchemy's begin event below issues BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def migrate(engines: Engines) -> None:
    """Bring the schema to the newest migration (a no-op when it is there); raises if unreachable."""
    if engines.dialect == "sqlite":
        path = engines.write.url.database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)  # data/ on the first start
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engines.write.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
