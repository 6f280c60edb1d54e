"""Reading and writing CSV: the fast validation pass and the overlapped chunk pipeline."""

from __future__ import annotations

import csv
import io
import random
import threading
import time
from collections.abc import Sequence

import pytest

from log_classifier.contract import Prediction
from log_classifier.errors import InputError
from log_classifier.formats import reader
from log_classifier.formats.writer import ClassifyFn, iter_classified_csv
from log_classifier.output_fields import csv_cell, field_names, output_fields


def _upload(lines: list[str]) -> io.BytesIO:
    return io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))


def test_a_nul_byte_past_the_first_block_is_found_with_its_line() -> None:
    lines = ["source,log_message"] + [f"app,line {i} " + "x" * 80 for i in range(20_000)]  # ~1.8 MB
    lines[15_000] = "app,has a \x00 inside"
    with pytest.raises(InputError, match="line 15001 contains a NUL byte"):
        reader.check_layout(_upload(lines))


def test_a_problem_before_the_nul_byte_is_reported_first() -> None:
    filler = [f"app,padding {i} " + "x" * 80 for i in range(1000)]  # past the 64 kB sniffed for binary data
    lines = ["source,log_message", *filler, "app,one,too many", "app,a \x00 b"]
    with pytest.raises(InputError, match="line 1002 has 3 fields"):
        reader.check_layout(_upload(lines))


def test_render_quotes_carriage_returns_and_neutralises_formulas() -> None:
    text = reader.render([["=1+2", "-5", "plain"], ["a\rb", "@x", "+3.5"]], neutralise_formulas=True)
    assert list(csv.reader(io.StringIO(text))) == [["'=1+2", "-5", "plain"], ["a\rb", "'@x", "+3.5"]]
    assert text.splitlines()[1].startswith('"a')  # the row with "\r" is fully quoted


def _slow_classifier(calls: list[int]) -> ClassifyFn:
    lock = threading.Lock()
    rng = random.Random(3)

    def classify(sources: Sequence[str], messages: Sequence[str]) -> tuple[list[Prediction], list[None]]:
        with lock:
            calls.append(len(messages))
            delay = rng.random() / 50
        time.sleep(delay)  # chunks finish out of order
        return ([Prediction("Error" if "fail" in m else "User Action", "regex", 1.0, s) for s, m in zip(sources, messages)],
                [None] * len(messages))

    return classify


def test_chunks_classified_in_parallel_come_back_in_order() -> None:
    lines = ["source,log_message,extra"] + [f"src{i},{'fail' if i % 7 == 0 else 'login'} {i},x{i}" for i in range(1000)]
    calls: list[int] = []
    classify = _slow_classifier(calls)
    upload = _upload(lines)
    layout = reader.check_layout(upload)
    text = "".join(iter_classified_csv(classify, upload, layout, explain=True, chunk_rows=100,
                                       neutralise_formulas=True))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(calls) == 10
    assert [row["extra"] for row in rows] == [f"x{i}" for i in range(1000)]
    assert [row["reason"] for row in rows] == [f"src{i}" for i in range(1000)]
    assert all((row["target_label"] == "Error") == (i % 7 == 0) for i, row in enumerate(rows))


def test_a_client_that_stops_reading_leaves_no_chunk_running() -> None:
    lines = ["source,log_message"] + [f"app,line {i}" for i in range(5000)]
    calls: list[int] = []
    classify = _slow_classifier(calls)
    upload = _upload(lines)
    layout = reader.check_layout(upload)
    answer = iter_classified_csv(classify, upload, layout, explain=False, chunk_rows=100,
                                 neutralise_formulas=False)
    next(answer), next(answer)  # the header and the first chunk
    answer.close()
    settled = len(calls)
    time.sleep(0.1)
    assert len(calls) == settled < 50  # nothing classified after the close, far from all 50 chunks


class CountingUpload(io.BytesIO):
    """An upload that counts the bytes read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def read1(self, size: int = -1) -> bytes:
        chunk = super().read1(size)
        self.bytes_read += len(chunk)
        return chunk

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        count = super().readinto(buffer)
        self.bytes_read += count
        return count


@pytest.mark.parametrize(("rows", "read_again"), [(999, False), (1001, True)])
def test_an_upload_of_a_chunk_or_less_is_parsed_once(rows: int, read_again: bool) -> None:
    lines = ["source,log_message,extra"] + [f"src{i},{'fail' if i % 7 == 0 else 'login'} {i},x{i}" for i in range(rows)]
    upload = CountingUpload(_upload(lines).getvalue())
    layout = reader.check_layout(upload, keep_rows=1000)
    assert (layout.kept is None) == read_again
    after_validation = upload.bytes_read
    text = "".join(iter_classified_csv(_slow_classifier([]), upload, layout, explain=False, chunk_rows=300,
                                       neutralise_formulas=True))
    # Read again only when the upload was too big to keep; the answer is the same either way.
    assert (upload.bytes_read > after_validation) == read_again
    assert [row["extra"] for row in csv.DictReader(io.StringIO(text))] == [f"x{i}" for i in range(rows)]
    again = reader.check_layout(upload, keep_rows=0)
    assert again.kept is None and again.rows == layout.rows == rows


def test_output_fields_round_the_confidence_and_a_csv_cell_keeps_four_decimals() -> None:
    prediction = Prediction("Security Alert", "regex", 0.123456, "rule:x")
    assert output_fields(prediction, "5be1c0a3f2d94e17") == {
        "target_label": "Security Alert", "classified_by": "regex", "confidence": 0.1235, "reason": "rule:x",
        "pattern_id": "5be1c0a3f2d94e17",
    }
    assert output_fields(prediction, None, explain=False) == {"target_label": "Security Alert"}
    assert list(output_fields(prediction)) == list(field_names(explain=True))
    whole = output_fields(Prediction("Unclassified", "none", 1, "empty log_message"))  # an int confidence too
    assert [csv_cell(value) for value in whole.values()] == ["Unclassified", "none", "1.0000", "empty log_message", ""]
