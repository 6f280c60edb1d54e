"""The classified CSV, chunk by chunk: the one row-building path shared by the API and the CLI.

The answer is the input, every row in order and every column unchanged, with the columns of
`output_fields` added: ``target_label`` (and ``classified_by``, ``confidence``, ``reason``, ``pattern_id``
when explaining). A column the answer adds that the input already has (e.g. a labelled file) is
overwritten in place.

Each classified chunk is handed to ``record`` (the pattern store's recorder) with its pattern keys, its
`timestamp` column (when the CSV has one) and its messages.
"""

from __future__ import annotations

import contextvars
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import BinaryIO

from log_classifier.contract import Prediction
from log_classifier.formats import reader
from log_classifier.output_fields import EXPLAIN_FIELDS, LABEL_FIELD, csv_cell, field_names, output_fields
from log_classifier.text.pattern_key import PatternKey, pattern_id

OUTPUT_COLUMN = LABEL_FIELD
EXPLAIN_COLUMNS = EXPLAIN_FIELDS
"""The explain columns without the pattern id (the Spark job's --explain)."""

Keys = Sequence[PatternKey | None]
ClassifyFn = Callable[[Sequence[str], Sequence[str]], tuple[list[Prediction], Keys]]
"""(sources, messages) → one prediction and one pattern key (None: empty line) per row, in order; e.g.
``Cascade.classify_keyed`` without its stats."""

RecordFn = Callable[[Keys, Sequence[Prediction], Sequence[object] | None, Sequence[str]], None]
"""(keys, predictions, times or None, messages): ``Recorder.record`` of the pattern store."""

ObserveFn = Callable[[Sequence[Prediction]], None]
"""Called with each chunk's predictions (metrics, progress, summaries)."""


def output_header(layout: reader.CsvLayout, *, explain: bool) -> tuple[list[str], list[int]]:
    """The answer's header, and where each added column sits in it."""
    header = list(layout.header)
    positions = []
    for name in field_names(explain=explain):
        if name not in header:
            header.append(name)
        positions.append(header.index(name))
    return header, positions


def prediction_values(prediction: Prediction) -> tuple[str, str, str, str]:
    """The cells of OUTPUT_COLUMN and EXPLAIN_COLUMNS for one prediction: label, stage, confidence, reason."""
    label, stage, confidence, reason, _ = (csv_cell(value) for value in output_fields(prediction).values())
    return label, stage, confidence, reason


def csv_cells(prediction: Prediction, key: PatternKey | None, *, explain: bool) -> list[str]:
    """The cells a row gets, in `field_names` order (`key`: the row's pattern, None for an empty line)."""
    pattern = pattern_id(key) if explain and key is not None else None
    return [csv_cell(value) for value in output_fields(prediction, pattern, explain=explain).values()]


CHUNKS_IN_FLIGHT = 2
"""Chunks classified at once: while one is embedded (ONNX runs without the GIL), the next is masked."""


def iter_classified_csv(
    classify: ClassifyFn,
    stream: BinaryIO,
    layout: reader.CsvLayout,
    *,
    explain: bool,
    chunk_rows: int,
    neutralise_formulas: bool,
    observe: ObserveFn | None = None,
    record: RecordFn | None = None,
) -> Generator[str, None, None]:
    """CSV text: the header, then each chunk classified and rendered, in order.

    Reading, classifying and rendering overlap: up to CHUNKS_IN_FLIGHT chunks are being classified
    in worker threads while this generator parses the next one and renders the finished one, so
    memory follows a few chunks, not the file.
    """
    header, positions = output_header(layout, explain=explain)
    yield reader.render([header], neutralise_formulas=neutralise_formulas)
    width = len(header)
    source_at, message_at, time_at = layout.source_index, layout.message_index, layout.timestamp_index

    def classify_chunk(chunk: list[list[str]]) -> tuple[list[Prediction], Keys]:
        messages = [row[message_at] for row in chunk]
        predictions, keys = classify([row[source_at] for row in chunk], messages)
        if record is not None:
            record(keys, predictions, None if time_at is None else [row[time_at] for row in chunk], messages)
        return predictions, keys

    pending: deque[tuple[list[list[str]], Future[tuple[list[Prediction], Keys]]]] = deque()
    with ThreadPoolExecutor(CHUNKS_IN_FLIGHT, thread_name_prefix="classify-chunk") as pool:
        try:
            for chunk in reader.iter_chunks(stream, layout, chunk_rows):
                # In a copy of this request's context: the request id (alerts, logs) and its cancellation
                # reach the worker thread (a pool thread does not inherit contextvars by itself).
                pending.append((chunk, pool.submit(contextvars.copy_context().run, classify_chunk, chunk)))
                if len(pending) >= CHUNKS_IN_FLIGHT:
                    yield _finish(*pending.popleft(), width, positions, neutralise_formulas, observe)
            while pending:
                yield _finish(*pending.popleft(), width, positions, neutralise_formulas, observe)
        finally:
            # Stopped early (the client went away, or an error): drop what has not started.
            for _, future in pending:
                future.cancel()


def _finish(
    chunk: list[list[str]],
    future: Future[tuple[list[Prediction], Keys]],
    width: int,
    positions: list[int],
    neutralise_formulas: bool,
    observe: ObserveFn | None,
) -> str:
    predictions, keys = future.result()
    explain = len(positions) > 1
    # Rows of one shape share one Prediction object and one key: their cells are formatted once.
    cells: dict[tuple[int, PatternKey | None], list[str]] = {}
    for row, prediction, key in zip(chunk, predictions, keys):
        shape = (id(prediction), key if explain else None)
        values = cells.get(shape)
        if values is None:
            values = cells[shape] = csv_cells(prediction, key, explain=explain)
        if len(row) < width:
            row.extend([""] * (width - len(row)))
        for position, value in zip(positions, values):
            row[position] = value
    if observe is not None:
        observe(predictions)
    return reader.render(chunk, neutralise_formulas=neutralise_formulas)
