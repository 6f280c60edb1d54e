"""Reading an uploaded CSV strictly and in chunks, and writing the answer chunk by chunk.

Encodings: UTF-8, with or without BOM; UTF-16 when the file starts with a UTF-16 BOM. Anything
else is rejected with a message naming the problem (a silent Latin-1 fallback would turn binary
garbage into "text"). Values are kept as the exact strings of the input.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from log_classifier.errors import InputError

REQUIRED_COLUMNS = ("source", "log_message")
TIMESTAMP_COLUMN = "timestamp"
MAX_FIELD_CHARS = 10_000_000
_SNIFF_BYTES = 65536
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(_FORMULA_START)
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")

csv.field_size_limit(MAX_FIELD_CHARS)


@dataclass(frozen=True)
class CsvLayout:
    """What a validation pass learned about an upload."""

    encoding: str
    header: list[str]
    rows: int
    kept: list[list[str]] | None = field(default=None, repr=False, compare=False)
    """The data rows themselves, when the upload was small enough to keep (`check_layout`'s `keep_rows`):
    then the validation pass was the only pass."""

    @property
    def source_index(self) -> int:
        return column_index(self.header, "source")

    @property
    def message_index(self) -> int:
        return column_index(self.header, "log_message")

    @property
    def timestamp_index(self) -> int | None:
        """Where the optional `timestamp` column is (each line's own time, for the pattern store), or None."""
        return next((index for index, column in enumerate(self.header) if column.strip() == TIMESTAMP_COLUMN), None)


def column_index(header: Sequence[str], name: str) -> int:
    """Where the column `name` is; spaces around a header name are tolerated (`source, log_message`)."""
    return next(index for index, column in enumerate(header) if column.strip() == name)


def detect_encoding(stream: BinaryIO) -> str:
    """UTF-8 (BOM optional) or BOM-marked UTF-16; raises InputError for binary data."""
    stream.seek(0)
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    if not head.strip():
        raise InputError("the file is empty: upload a CSV with a header row and at least one log line")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        raise InputError("the file looks binary (it contains NUL bytes): upload a UTF-8 text CSV")
    return "utf-8-sig"


def _text(stream: BinaryIO, encoding: str) -> io.TextIOWrapper:
    stream.seek(0)
    return io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")


def iter_rows(stream: BinaryIO, encoding: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) for every non-blank record, header included; InputError on bad CSV."""
    text = _text(stream, encoding)
    reader = csv.reader(text, strict=True)
    # UTF-8 cannot hide a NUL inside another character: find_nul_line checked the bytes already.
    check_nul = encoding != "utf-8-sig"
    try:
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"malformed CSV near line {reader.line_num}: {exc}; check quoting") from exc
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"the file is not valid {'UTF-16' if encoding == 'utf-16' else 'UTF-8'} "
                    f"(byte {exc.object[exc.start:exc.start + 1]!r} cannot be decoded): save it as UTF-8"
                ) from exc
            # detect_encoding only sniffs the head; a NUL further on must not slip through.
            if check_nul and "\x00" in "".join(fields):
                raise _nul_error(reader.line_num)
            if fields:
                yield reader.line_num, fields
    finally:
        text.detach()


def _nul_error(line: int) -> InputError:
    return InputError(f"line {line} contains a NUL byte: the file looks binary; upload a UTF-8 text CSV")


def find_nul_line(stream: BinaryIO, block_bytes: int = 1 << 20) -> int | None:
    """The physical line of the first NUL byte in the stream, or None; reads in blocks (C speed)."""
    stream.seek(0)
    newlines = 0
    try:
        while block := stream.read(block_bytes):
            at = block.find(b"\x00")
            if at >= 0:
                return newlines + block.count(b"\n", 0, at) + 1
            newlines += block.count(b"\n")
        return None
    finally:
        stream.seek(0)


def check_layout(stream: BinaryIO, *, keep_rows: int = 0) -> CsvLayout:
    """Read the whole upload once and check it: header, columns, field counts, encoding.

    An upload of at most `keep_rows` data rows is kept (`CsvLayout.kept`), so `iter_chunks` does not
    read it again: one pass. A bigger one is read a second time, chunk by chunk, so memory follows
    a chunk, not the file, and a broken row deep in it is still a 400 before any answer is sent.
    """
    encoding = detect_encoding(stream)
    nul_line = find_nul_line(stream) if encoding == "utf-8-sig" else None
    rows = iter_rows(stream, encoding)  # a generator: close() releases its decoder
    try:
        return _check_rows(rows, encoding, nul_line=nul_line, keep_rows=keep_rows)
    finally:
        # Closed here, not whenever it is garbage-collected (maybe after the stream is closed).
        close = getattr(rows, "close", None)
        if close is not None:
            close()


def _check_rows(
    rows: Iterator[tuple[int, list[str]]], encoding: str, *, nul_line: int | None = None, keep_rows: int = 0
) -> CsvLayout:
    first = next(rows, None)
    if first is None:
        raise InputError("the file is empty: upload a CSV with a header row and at least one log line")
    header = first[1]  # as written: the answer gives every column name back byte for byte
    stripped = Counter(name.strip() for name in header)
    missing = [column for column in REQUIRED_COLUMNS if column not in stripped]
    if missing:
        raise InputError(
            f"missing required column(s): {', '.join(missing)}; the header row must name "
            f"{' and '.join(REQUIRED_COLUMNS)} (found: {', '.join(header) or 'nothing'})"
        )
    # Counter, not header.count per name: that is quadratic, and 100k columns took a minute.
    duplicated = sorted(
        {name for name, times in Counter(header).items() if times > 1}
        | {column for column in REQUIRED_COLUMNS if stripped[column] > 1}
    )
    if duplicated:
        raise InputError(f"duplicate column name(s) in the header: {', '.join(duplicated)}; rename them")
    count = 0
    width = len(header)
    kept: list[list[str]] | None = [] if keep_rows > 0 else None
    for line, fields in rows:
        if nul_line is not None and line >= nul_line:
            break
        if len(fields) != width:
            raise InputError(
                f"line {line} has {len(fields)} fields but the header has {width}: "
                "quote values that contain commas or line breaks"
            )
        count += 1
        if kept is not None:
            if count > keep_rows:
                kept = None  # too big to keep: it will be read again in chunks
            else:
                kept.append(fields)
    if nul_line is not None:
        # Problems on earlier lines were reported first, as a reader going line by line would.
        raise _nul_error(nul_line)
    if count == 0:
        raise InputError("the CSV has a header but no rows: add at least one log line")
    return CsvLayout(encoding, header, count, kept)


def iter_chunks(stream: BinaryIO, layout: CsvLayout, chunk_rows: int) -> Iterator[list[list[str]]]:
    """The data rows (header skipped) in lists of at most `chunk_rows`; the kept rows when the
    validation pass kept them (the stream is not read again)."""
    if layout.kept is not None:
        for start in range(0, len(layout.kept), chunk_rows):
            yield layout.kept[start : start + chunk_rows]
        return
    rows = iter_rows(stream, layout.encoding)
    next(rows)
    chunk: list[list[str]] = []
    for _, fields in rows:
        chunk.append(fields)
        if len(chunk) >= chunk_rows:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def neutralise(value: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula with `'` (OWASP); plain numbers are left."""
    if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def render(rows: Sequence[Sequence[str]], *, neutralise_formulas: bool) -> str:
    """CSV text for `rows` (header or data)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if neutralise_formulas:
        # Only cells that start like a formula go through neutralise (a tuple lookup per cell).
        rows = [[neutralise(value) if value[:1] in _FORMULA_FIRST else value for value in row] for row in rows]
    # Python < 3.12 leaves a lone "\r" unquoted when the line terminator is "\n", which splits the
    # row for any reader; such rows are written fully quoted instead. One test for the whole chunk
    # first: a "\r" inside a value is rare.
    if not any("\r" in value for row in rows for value in row):
        writer.writerows(rows)
        return buffer.getvalue()
    quoting_writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in rows:
        (quoting_writer if any("\r" in value for value in row) else writer).writerow(row)
    return buffer.getvalue()
