"""Corrections (issue 21): the audit of every correction and undo; its highest id is the version
every service process polls.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pattern_corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("pattern_id", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("from_label", sa.String(64), nullable=True),
        sa.Column("to_label", sa.String(64), nullable=True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("who", sa.String(128), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
        sa.Column("undone_at", sa.Float, nullable=True),
    )
    op.create_index("ix_pattern_corrections_at", "pattern_corrections", ["at"])
    op.create_index("ix_pattern_corrections_pattern", "pattern_corrections", ["pattern_id"])
    op.create_index("ix_patterns_corrected", "patterns", ["corrected_label"])


def downgrade() -> None:
    op.drop_index("ix_patterns_corrected", "patterns")
    op.drop_table("pattern_corrections")
