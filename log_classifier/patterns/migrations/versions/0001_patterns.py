"""The pattern store: patterns, per-minute and per-hour counts, recent examples.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patterns",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("severity", sa.String(32), nullable=False),
        sa.Column("pattern", sa.Text, nullable=False),
        sa.Column("example", sa.Text, nullable=False),
        sa.Column("label", sa.String(64), nullable=False),
        sa.Column("classified_by", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("first_seen", sa.Float, nullable=False),
        sa.Column("last_seen", sa.Float, nullable=False),
        sa.Column("corrected_label", sa.String(64), nullable=True),
        sa.Column("corrected_at", sa.Float, nullable=True),
    )
    op.create_index("ix_patterns_last_seen", "patterns", ["last_seen"])
    op.create_index("ix_patterns_source", "patterns", ["source"])
    for name in ("pattern_minutes", "pattern_hours"):
        op.create_table(
            name,
            sa.Column("pattern_id", sa.String(16), primary_key=True),
            sa.Column("bucket", sa.BigInteger, primary_key=True),
            sa.Column("count", sa.BigInteger, nullable=False),
        )
        op.create_index(f"ix_{name}_bucket", name, ["bucket"])
    op.create_table(
        "pattern_examples",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("pattern_id", sa.String(16), nullable=False),
        sa.Column("seen", sa.Float, nullable=False),
        sa.Column("example", sa.Text, nullable=False),
    )
    op.create_index("ix_pattern_examples_pattern", "pattern_examples", ["pattern_id", "seen"])


def downgrade() -> None:
    for name in ("pattern_examples", "pattern_hours", "pattern_minutes", "patterns"):
        op.drop_table(name)
