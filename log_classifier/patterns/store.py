"""Reading and writing the pattern store: one `PatternStore` over `database.Engines`.

Writes are idempotent in shape and additive in counts: a flush is one transaction of atomic upserts
(``INSERT … ON CONFLICT DO UPDATE SET count = count + excluded.count``), so several processes on
one SQLite file or one PostgreSQL database add their lines without losing or double-counting any.
Which patterns a flush created is what its ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` inserted:
exactly one writer sees a pattern as new, whoever else saw it at the same moment.

Windows: counts are kept per minute for the last PATTERN_MINUTE_RETENTION_H and per hour for
PATTERN_RETENTION_DAYS. A window is read from minute buckets where they are kept and from hour
buckets before that, so it snaps to whole minutes (whole hours in the older part).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, and_, case, delete, func, literal, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from log_classifier.contract import Prediction
from log_classifier.errors import NotFoundError
from log_classifier.patterns.database import Engines
from log_classifier.patterns.schema import examples, hour_counts, minute_counts, patterns
from log_classifier.text.pattern_key import PatternKey

MINUTE = 60
HOUR = 3600
DAY = 86_400
EXAMPLES_KEPT = 5
"""Recent example lines kept per pattern (GET /patterns/{id} shows them)."""
STEPS = {"minute": MINUTE, "hour": HOUR, "day": DAY}
MAX_SERIES_POINTS = 10_000


@dataclass
class PatternCounts:
    """What one flush writes for one pattern: its latest answer, an example and its lines per minute."""

    id: str
    key: PatternKey
    prediction: Prediction
    example: str
    first_seen: float
    last_seen: float
    minutes: dict[int, int] = field(default_factory=dict)
    """Minute bucket (epoch seconds of its start) → lines."""
    write_example: bool = True
    """Add `example` to the pattern's recent examples (at most once a minute per pattern and process)."""

    @property
    def lines(self) -> int:
        return sum(self.minutes.values())


@dataclass(frozen=True)
class Window:
    """[start, end) in epoch seconds."""

    start: float
    end: float

    @property
    def seconds(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Retention:
    minute_hours: int = 48
    days: int = 30


def iso(epoch: float) -> str:
    """ISO 8601 in UTC, to the second."""
    return datetime.fromtimestamp(epoch, tz=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


_EFFECTIVE_LABEL = func.coalesce(patterns.c.corrected_label, patterns.c.label)


class PatternStore:
    """The store's Python API: `write` (the recorder's flush), `prune`, and the queries behind /patterns."""

    def __init__(self, engines: Engines, retention: Retention | None = None) -> None:
        self.engines = engines
        self.retention = retention or Retention()

    # --- writing ---

    def write(self, batch: Sequence[PatternCounts]) -> list[PatternCounts]:
        """Add `batch` in one transaction; returns the patterns this write created (seen first here)."""
        if not batch:
            return []
        insert = self._insert_fn()
        rows = [_pattern_row(item) for item in batch]
        with self.engines.write.begin() as connection:
            created_ids: set[str] = set()
            for chunk in _chunks(rows, 500):
                created = connection.execute(
                    insert(patterns).on_conflict_do_nothing(index_elements=[patterns.c.id]).returning(patterns.c.id),
                    chunk,
                )
                created_ids.update(created.scalars())
            known = [row for row in rows if row["id"] not in created_ids]
            if known:
                upsert = insert(patterns)
                new = upsert.excluded
                upsert = upsert.on_conflict_do_update(
                    index_elements=[patterns.c.id],
                    set_={
                        "last_seen": case((new.last_seen > patterns.c.last_seen, new.last_seen),
                                          else_=patterns.c.last_seen),
                        "first_seen": case((new.first_seen < patterns.c.first_seen, new.first_seen),
                                           else_=patterns.c.first_seen),
                        "example": case((new.last_seen >= patterns.c.last_seen, new.example),
                                        else_=patterns.c.example),
                        # A line answered by a person's correction keeps the cascade's own answer in `label`
                        # (DELETE /patterns/{id}/label returns the pattern to it).
                        "label": case((new.classified_by == "feedback", patterns.c.label), else_=new.label),
                        "classified_by": case((new.classified_by == "feedback", patterns.c.classified_by),
                                              else_=new.classified_by),
                        "confidence": case((new.classified_by == "feedback", patterns.c.confidence),
                                           else_=new.confidence),
                        "reason": case((new.classified_by == "feedback", patterns.c.reason), else_=new.reason),
                    },
                )
                for chunk in _chunks(known, 500):
                    connection.execute(upsert, chunk)
            self._add_counts(connection, batch)
            example_rows = [{"pattern_id": item.id, "seen": item.last_seen, "example": item.example}
                            for item in batch if item.write_example]
            if example_rows:
                connection.execute(examples.insert(), example_rows)
        return [item for item in batch if item.id in created_ids]

    def _add_counts(self, connection: Connection, batch: Sequence[PatternCounts]) -> None:
        insert = self._insert_fn()
        for table, size in ((minute_counts, MINUTE), (hour_counts, HOUR)):
            counts: dict[tuple[str, int], int] = {}
            for item in batch:
                for minute, lines in item.minutes.items():
                    bucket = minute - minute % size
                    counts[(item.id, bucket)] = counts.get((item.id, bucket), 0) + lines
            if not counts:
                continue
            upsert = insert(table)
            upsert = upsert.on_conflict_do_update(
                index_elements=[table.c.pattern_id, table.c.bucket],
                set_={"count": table.c["count"] + upsert.excluded["count"]},
            )
            rows = [{"pattern_id": pid, "bucket": bucket, "count": lines} for (pid, bucket), lines in counts.items()]
            for chunk in _chunks(rows, 1000):
                connection.execute(upsert, chunk)

    def prune(self, now: float) -> None:
        """Drop minute buckets older than the minute retention, hour buckets and unseen patterns older
        than the retention (a corrected pattern is kept), and examples beyond EXAMPLES_KEPT a pattern."""
        minute_cutoff = now - self.retention.minute_hours * HOUR
        cutoff = now - self.retention.days * DAY
        ranked = select(
            examples.c.id,
            func.row_number().over(partition_by=examples.c.pattern_id, order_by=examples.c.seen.desc()).label("rank"),
        ).subquery()
        with self.engines.write.begin() as connection:
            connection.execute(delete(minute_counts).where(minute_counts.c.bucket < minute_cutoff - MINUTE))
            connection.execute(delete(hour_counts).where(hour_counts.c.bucket < cutoff - HOUR))
            stale = select(patterns.c.id).where(patterns.c.last_seen < cutoff, patterns.c.corrected_label.is_(None))
            connection.execute(delete(examples).where(examples.c.pattern_id.in_(stale)))
            connection.execute(delete(patterns).where(patterns.c.id.in_(stale)))
            connection.execute(
                delete(examples).where(examples.c.id.in_(select(ranked.c.id).where(ranked.c.rank > EXAMPLES_KEPT)))
            )

    def count_patterns(self) -> int:
        with self.engines.read.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(patterns)).scalar_one())

    def ping(self) -> None:
        """Raises when the database cannot be reached."""
        with self.engines.read.connect() as connection:
            connection.execute(select(literal(1)))

    # --- reading ---

    def window_rows(self, window: Window, now: float, *, with_bucket: bool = False) -> Any:
        """A subquery of (pattern_id, count[, bucket]) rows in `window`: minute buckets where they are
        kept, hour buckets before."""
        split = _ceil(now - self.retention.minute_hours * HOUR, HOUR)
        start_minute = window.start - window.start % MINUTE
        if start_minute >= split:
            parts = [_between(minute_counts, start_minute, window.end, with_bucket)]
        else:
            parts = [_between(hour_counts, window.start - window.start % HOUR, min(split, window.end), with_bucket)]
            if window.end > split:
                parts.append(_between(minute_counts, split, window.end, with_bucket))
        return union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()

    def window_counts(self, window: Window, now: float) -> Select[Any]:
        """(pattern_id, count) of the lines in `window`."""
        rows = self.window_rows(window, now)
        return select(rows.c.pattern_id, func.sum(rows.c["count"]).label("count")).group_by(rows.c.pattern_id)

    def list_patterns(
        self, window: Window, now: float, *, source: str | None = None, label: str | None = None,
        q: str | None = None, order: str = "count", limit: int = 100, offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int, int]:
        """(patterns with their count in `window`, patterns matching, their lines) for one page."""
        counts = self.window_counts(window, now).subquery()
        query = (
            select(*_PATTERN_COLUMNS, counts.c["count"])
            .join_from(patterns, counts, counts.c.pattern_id == patterns.c.id)
            .where(*_filters(source, label, q))
        )
        order_by = {"count": counts.c["count"], "first_seen": patterns.c.first_seen, "last_seen": patterns.c.last_seen}
        page = query.order_by(order_by[order].desc(), patterns.c.id).limit(limit).offset(offset)
        matching = query.subquery()
        with self.engines.read.connect() as connection:
            items = [_pattern_dict(row._mapping) for row in connection.execute(page)]
            totals: Any = connection.execute(
                select(func.count(), func.coalesce(func.sum(matching.c["count"]), 0))
            ).one()
            total, lines = totals
        return items, int(total or 0), int(lines or 0)

    def get_pattern(self, pattern_id: str, window: Window, now: float, step: str) -> dict[str, Any]:
        """One pattern with its count and series in `window` and its recent examples; NotFoundError if unknown."""
        size = STEPS[step]
        counts = self.window_counts(window, now).subquery()
        with self.engines.read.connect() as connection:
            row = connection.execute(select(*_PATTERN_COLUMNS).where(patterns.c.id == pattern_id)).first()
            if row is None:
                raise NotFoundError(f"no pattern with id {pattern_id!r}")
            buckets = self._buckets(connection, pattern_id, window, now)
            recent: Any = connection.execute(
                select(examples.c.seen, examples.c.example).where(examples.c.pattern_id == pattern_id)
                .order_by(examples.c.seen.desc()).limit(EXAMPLES_KEPT)
            ).all()
            count = connection.execute(select(counts.c["count"]).where(counts.c.pattern_id == pattern_id)).scalar()
        item = _pattern_dict(row._mapping)
        item["count"] = int(count or 0)
        first = window.start - window.start % size
        series: dict[float, int] = {}
        point = first
        while point < window.end:
            series[point] = 0
            point += size
        for bucket, lines in buckets:
            at = bucket - bucket % size
            series[at] = series.get(at, 0) + int(lines)
        item["series"] = [{"start": iso(at), "count": lines} for at, lines in sorted(series.items())]
        item["examples"] = [{"seen": iso(float(seen)), "example": text} for seen, text in recent]
        return item

    def _buckets(self, connection: Connection, pattern_id: str, window: Window, now: float) -> list[tuple[int, int]]:
        rows = self.window_rows(window, now, with_bucket=True)
        query = select(rows.c.bucket, rows.c["count"]).where(rows.c.pattern_id == pattern_id)
        result: Any = connection.execute(query)
        return [(int(bucket), int(lines)) for bucket, lines in result]

    def compare(
        self, baseline: Window, target: Window, now: float, *, source: str | None = None, label: str | None = None,
        min_count: int = 5, min_ratio: float = 2.0, limit: int = 100,
    ) -> dict[str, Any]:
        """Patterns new in `target`, gone from it, and changed in rate between the two windows."""
        base = self.window_counts(baseline, now).subquery()
        tgt = self.window_counts(target, now).subquery()
        with self.engines.read.connect() as connection:
            rows: dict[str, dict[str, Any]] = {}
            for which, counts in (("baseline_count", base), ("target_count", tgt)):
                query = (
                    select(*_PATTERN_COLUMNS, counts.c["count"])
                    .join_from(patterns, counts, counts.c.pattern_id == patterns.c.id)
                    .where(*_filters(source, label, None))
                )
                for row in connection.execute(query):
                    values = row._mapping
                    item = rows.get(values["id"])
                    if item is None:
                        item = rows[values["id"]] = _pattern_dict(values)
                        item.pop("count")
                        item["baseline_count"] = item["target_count"] = 0
                    item[which] = int(values["count"])
        return classify_changes(list(rows.values()), baseline, target, min_count=min_count, min_ratio=min_ratio,
                                limit=limit)

    def _insert_fn(self) -> Any:
        # Both dialects' INSERT has on_conflict_do_update / do_nothing with the same arguments.
        return postgresql.insert if self.engines.dialect == "postgresql" else sqlite.insert


def classify_changes(
    items: list[dict[str, Any]], baseline: Window, target: Window, *, min_count: int, min_ratio: float, limit: int
) -> dict[str, Any]:
    """new / gone / changed from items carrying baseline_count and target_count (see README "Patterns").

    ratio = (target lines / target seconds) ÷ (baseline lines / baseline seconds); score = the pattern's
    term of the symmetric KL divergence between the windows' pattern shares, (p - q) · ln(p / q).
    """
    new = [item for item in items if item["target_count"] and not item["baseline_count"]]
    gone = [item for item in items if item["baseline_count"] and not item["target_count"]]
    both = [item for item in items if item["baseline_count"] and item["target_count"]]
    base_lines = sum(item["baseline_count"] for item in items) or 1
    target_lines = sum(item["target_count"] for item in items) or 1
    changed = []
    for item in both:
        ratio = (item["target_count"] / target.seconds) / (item["baseline_count"] / baseline.seconds)
        if max(item["baseline_count"], item["target_count"]) < min_count:
            continue
        if ratio < min_ratio and ratio > 1 / min_ratio:
            continue
        p, q = item["target_count"] / target_lines, item["baseline_count"] / base_lines
        item["ratio"] = round(ratio, 4)
        item["score"] = round((p - q) * math.log(p / q), 6)
        changed.append(item)
    new.sort(key=lambda item: (-item["target_count"], item["id"]))
    gone.sort(key=lambda item: (-item["baseline_count"], item["id"]))
    changed.sort(key=lambda item: (-item["score"], item["id"]))
    return {
        "new": new[:limit], "gone": gone[:limit], "changed": changed[:limit],
        "new_total": len(new), "gone_total": len(gone), "changed_total": len(changed),
    }


_PATTERN_COLUMNS = (
    patterns.c.id, patterns.c.source, patterns.c.severity, patterns.c.pattern, patterns.c.example,
    _EFFECTIVE_LABEL.label("label"), patterns.c.classified_by, patterns.c.confidence, patterns.c.reason,
    patterns.c.first_seen, patterns.c.last_seen, patterns.c.corrected_label,
)


def _pattern_dict(row: Any) -> dict[str, Any]:
    return {
        "id": row["id"],
        "source": row["source"],
        "severity": row["severity"],
        "pattern": row["pattern"],
        "example": row["example"],
        "label": row["label"],
        "classified_by": "feedback" if row["corrected_label"] is not None else row["classified_by"],
        "confidence": 1.0 if row["corrected_label"] is not None else round(float(row["confidence"]), 4),
        "reason": f"correction:{row['id']}" if row["corrected_label"] is not None else row["reason"],
        "corrected": row["corrected_label"] is not None,
        "count": int(row.get("count") or 0),
        "first_seen": iso(row["first_seen"]),
        "last_seen": iso(row["last_seen"]),
    }


def _filters(source: str | None, label: str | None, q: str | None) -> list[Any]:
    where: list[Any] = []
    if source:
        where.append(patterns.c.source == source)
    if label:
        where.append(_EFFECTIVE_LABEL == label)
    if q:
        needle = q.lower()
        where.append(
            func.lower(patterns.c.pattern).contains(needle, autoescape=True)
            | func.lower(patterns.c.example).contains(needle, autoescape=True)
        )
    return where


def _between(table: Any, start: float, end: float, with_bucket: bool) -> Select[Any]:
    columns = [table.c.pattern_id, table.c["count"]] + ([table.c.bucket] if with_bucket else [])
    return select(*columns).where(and_(table.c.bucket >= int(start), table.c.bucket < end))


def _ceil(value: float, size: int) -> float:
    return math.ceil(value / size) * size


def _pattern_row(item: PatternCounts) -> dict[str, Any]:
    return {
        "id": item.id,
        "source": item.key.source,
        "severity": item.key.severity,
        "pattern": item.key.masked,
        "example": item.example,
        "label": item.prediction.label,
        "classified_by": item.prediction.stage,
        "confidence": float(item.prediction.confidence),
        "reason": item.prediction.reason,
        "first_seen": item.first_seen,
        "last_seen": item.last_seen,
    }


def _chunks(rows: Sequence[dict[str, Any]], size: int) -> Iterable[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
