"""Alembic's environment for the pattern store: always run on a connection `database.migrate` hands over."""

from __future__ import annotations

from alembic import context

from log_classifier.patterns.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
