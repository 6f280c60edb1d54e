"""Corrections in the pattern store: a person's label on a pattern, its audit, and the version the
service processes poll.

A correction sets ``patterns.corrected_label`` (which wins over ``label``, the cascade's latest answer)
and adds a row to ``pattern_corrections``; an undo clears it, marks the correction undone and adds its
own row. Each change is one committed transaction before the caller answers. The highest id of
``pattern_corrections`` is the version: it moves on every correction and undo, so a process that
polls it (``CorrectionBook``, every CORRECTION_SYNC_S) knows when to reload.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update

from log_classifier.errors import NotFoundError
from log_classifier.patterns.database import Engines
from log_classifier.patterns.schema import corrections, patterns
from log_classifier.patterns.store import Window, iso


@dataclass(frozen=True)
class ActiveCorrection:
    """A pattern a person labelled, as the cascade needs it."""

    pattern_id: str
    label: str
    masked: str
    """The pattern's masked message: what similar patterns are compared with."""
    model_label: str = ""
    """The cascade's own answer for the pattern (the label the person overrode)."""


@dataclass(frozen=True)
class NewPattern:
    """A pattern `POST /feedback` names before any line of it was counted: created with the cascade's answer."""

    source: str
    severity: str
    masked: str
    example: str
    label: str
    classified_by: str
    confidence: float
    reason: str


@dataclass(frozen=True)
class CorrectionRequest:
    pattern_id: str
    label: str
    note: str = ""
    new: NewPattern | None = None
    """How to create the pattern when the store lacks it; None: an unknown id is a NotFoundError."""


@dataclass(frozen=True)
class Corrected:
    pattern_id: str
    label: str
    previous_label: str


class CorrectionStore:
    """Corrections over the pattern store's engines."""

    def __init__(self, engines: Engines) -> None:
        self.engines = engines

    def version(self) -> int:
        """The highest correction/undo id (0: none ever)."""
        with self.engines.read.connect() as connection:
            return int(connection.execute(select(func.coalesce(func.max(corrections.c.id), 0))).scalar_one())

    def active(self) -> tuple[int, list[ActiveCorrection]]:
        """(version, every corrected pattern), read in one transaction so they agree."""
        with self.engines.read.begin() as connection:
            version = int(connection.execute(select(func.coalesce(func.max(corrections.c.id), 0))).scalar_one())
            rows: Any = connection.execute(
                select(patterns.c.id, patterns.c.corrected_label, patterns.c.pattern, patterns.c.label)
                .where(patterns.c.corrected_label.is_not(None))
            ).all()
        return version, [ActiveCorrection(pid, label, masked, model) for pid, label, masked, model in rows]

    def correct(self, requests: Sequence[CorrectionRequest], who: str, now: float) -> list[Corrected]:
        """Apply `requests` in one transaction (all or none); one result per request, in order.
        NotFoundError for an unknown id without `new`."""
        ids = list(dict.fromkeys(request.pattern_id for request in requests))
        results: list[Corrected] = []
        with self.engines.write.begin() as connection:
            current: dict[str, tuple[str, str | None]] = {}
            for start in range(0, len(ids), 500):
                query: Any = select(patterns.c.id, patterns.c.label, patterns.c.corrected_label).where(
                    patterns.c.id.in_(ids[start : start + 500]))
                if self.engines.dialect == "postgresql":
                    query = query.with_for_update()
                found: Any = connection.execute(query)
                current.update({pid: (label, corrected) for pid, label, corrected in found})
            created = []
            for request in requests:
                if request.pattern_id in current:
                    continue
                if request.new is None:
                    raise NotFoundError(f"no pattern with id {request.pattern_id!r}")
                new = request.new
                created.append({
                    "id": request.pattern_id, "source": new.source, "severity": new.severity, "pattern": new.masked,
                    "example": new.example, "label": new.label, "classified_by": new.classified_by,
                    "confidence": new.confidence, "reason": new.reason, "first_seen": now, "last_seen": now,
                })
                current[request.pattern_id] = (new.label, None)
            if created:
                connection.execute(patterns.insert(), created)
            audit = []
            for request in requests:
                label, corrected = current[request.pattern_id]
                previous = corrected or label
                results.append(Corrected(request.pattern_id, request.label, previous))
                current[request.pattern_id] = (label, request.label)
                audit.append({"pattern_id": request.pattern_id, "action": "correct", "from_label": previous,
                              "to_label": request.label, "note": request.note, "who": who, "at": now})
            final = {request.pattern_id: request.label for request in requests}
            for pid, label in final.items():
                connection.execute(update(patterns).where(patterns.c.id == pid)
                                   .values(corrected_label=label, corrected_at=now))
            connection.execute(corrections.insert(), audit)
        return results

    def undo(self, pattern_id: str, who: str, now: float) -> Corrected | None:
        """Return `pattern_id` to the cascade's answer; None when it was not corrected. NotFoundError if unknown."""
        with self.engines.write.begin() as connection:
            query: Any = select(patterns.c.label, patterns.c.corrected_label).where(patterns.c.id == pattern_id)
            if self.engines.dialect == "postgresql":
                query = query.with_for_update()
            row: Any = connection.execute(query).first()
            if row is None:
                raise NotFoundError(f"no pattern with id {pattern_id!r}")
            label, corrected = row
            if corrected is None:
                return None
            connection.execute(update(patterns).where(patterns.c.id == pattern_id)
                               .values(corrected_label=None, corrected_at=None))
            connection.execute(
                update(corrections)
                .where(corrections.c.pattern_id == pattern_id, corrections.c.action == "correct",
                       corrections.c.undone_at.is_(None))
                .values(undone_at=now)
            )
            connection.execute(corrections.insert(), [{
                "pattern_id": pattern_id, "action": "undo", "from_label": corrected, "to_label": label,
                "note": "", "who": who, "at": now,
            }])
        return Corrected(pattern_id, label, corrected)

    def audit(self, window: Window, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """Corrections and undos in `window`, newest first: (one page, how many in the window)."""
        where = (corrections.c.at >= window.start, corrections.c.at < window.end)
        query = (
            select(corrections, patterns.c.source, patterns.c.pattern)
            .join_from(corrections, patterns, patterns.c.id == corrections.c.pattern_id, isouter=True)
            .where(*where).order_by(corrections.c.id.desc()).limit(limit).offset(offset)
        )
        with self.engines.read.connect() as connection:
            rows = connection.execute(query).all()
            total = int(connection.execute(select(func.count()).select_from(corrections).where(*where)).scalar_one())
        items = []
        for row in rows:
            values = row._mapping
            items.append({
                "id": values["id"], "pattern_id": values["pattern_id"], "source": values["source"],
                "pattern": values["pattern"], "action": values["action"], "who": values["who"],
                "at": iso(values["at"]), "from_label": values["from_label"], "to_label": values["to_label"],
                "note": values["note"], "undone": values["undone_at"] is not None,
                "undone_at": iso(values["undone_at"]) if values["undone_at"] is not None else None,
            })
        return items, total

    def followers(self, pattern_id: str, limit: int = 100) -> list[dict[str, Any]]:
        """Uncorrected patterns whose latest answer followed `pattern_id`'s correction (reason similar:<id>)."""
        query = (
            select(patterns.c.id, patterns.c.source, patterns.c.pattern, patterns.c.label, patterns.c.confidence,
                   patterns.c.last_seen)
            .where(patterns.c.reason == f"similar:{pattern_id}", patterns.c.corrected_label.is_(None))
            .order_by(patterns.c.last_seen.desc()).limit(limit)
        )
        with self.engines.read.connect() as connection:
            rows: Any = connection.execute(query)
            return [{"id": pid, "source": source, "pattern": masked, "label": label,
                     "similarity": round(float(confidence), 4), "last_seen": iso(seen)}
                    for pid, source, masked, label, confidence, seen in rows]

    def corrected_examples(self) -> list[tuple[str, str, str]]:
        """(source, example line, label) of every corrected pattern's kept examples (for training)."""
        from log_classifier.patterns.schema import examples

        with self.engines.read.connect() as connection:
            rows: Any = connection.execute(
                select(patterns.c.id, patterns.c.source, patterns.c.example, patterns.c.corrected_label)
                .where(patterns.c.corrected_label.is_not(None)).order_by(patterns.c.id)
            ).all()
            kept: Any = connection.execute(
                select(examples.c.pattern_id, examples.c.example)
                .where(examples.c.pattern_id.in_(select(patterns.c.id).where(patterns.c.corrected_label.is_not(None))))
                .order_by(examples.c.pattern_id, examples.c.seen)
            ).all()
        by_pattern: dict[str, list[str]] = {}
        for pid, line in kept:
            by_pattern.setdefault(pid, []).append(line)
        out = []
        for pid, source, example, label in rows:
            lines = list(dict.fromkeys([example, *by_pattern.get(pid, [])]))
            out += [(source, line, label) for line in lines if line]
        return out
