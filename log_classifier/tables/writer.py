"""The classified CSV, chunk by chunk: the one row-building path shared by the API and the CLI.

The answer is the input, every row in order and every column unchanged, with ``target_label``
added (and ``classified_by``, ``confidence``, ``reason`` when explaining). A column the answer adds
that the input already has (e.g. a labelled file) is overwritten in place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO

from log_classifier.contract import Prediction
from log_classifier.tables import reader

OUTPUT_COLUMN = "target_label"
EXPLAIN_COLUMNS = ("classified_by", "confidence", "reason")

ClassifyFn = Callable[[Sequence[str], Sequence[str]], list[Prediction]]
"""(sources, messages) → one prediction per row, in order; e.g. ``Cascade.classify``."""

ObserveFn = Callable[[Sequence[Prediction]], None]
"""Called with each chunk's predictions (metrics, progress, summaries)."""


def output_header(layout: reader.CsvLayout, *, explain: bool) -> tuple[list[str], list[int]]:
    """The answer's header, and where each added column sits in it."""
    added = (OUTPUT_COLUMN, *EXPLAIN_COLUMNS) if explain else (OUTPUT_COLUMN,)
    header = list(layout.header)
    positions = []
    for name in added:
        if name not in header:
            header.append(name)
        positions.append(header.index(name))
    return header, positions


def prediction_values(prediction: Prediction) -> tuple[str, str, str, str]:
    """The cells written for one prediction: label, stage, confidence (4 decimals), reason."""
    return prediction.label, prediction.stage, f"{prediction.confidence:.4f}", prediction.reason


def iter_classified_csv(
    classify: ClassifyFn,
    stream: BinaryIO,
    layout: reader.CsvLayout,
    *,
    explain: bool,
    chunk_rows: int,
    neutralise_formulas: bool,
    observe: ObserveFn | None = None,
) -> Iterator[str]:
    """CSV text: the header, then each chunk classified and rendered (memory follows the chunk)."""
    header, positions = output_header(layout, explain=explain)
    yield reader.render([header], neutralise_formulas=neutralise_formulas)
    width = len(header)
    source_at, message_at = layout.source_index, layout.message_index
    for chunk in reader.iter_chunks(stream, layout, chunk_rows):
        predictions = classify([row[source_at] for row in chunk], [row[message_at] for row in chunk])
        for row, prediction in zip(chunk, predictions):
            row.extend([""] * (width - len(row)))
            for position, value in zip(positions, prediction_values(prediction)):
                row[position] = value
        if observe is not None:
            observe(predictions)
        yield reader.render(chunk, neutralise_formulas=neutralise_formulas)
