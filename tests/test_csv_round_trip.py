"""Any CSV with the required columns comes back exactly (property tests, Hypothesis), and formula-like
cells are neutralised by the OWASP rule unless that is turned off."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from typing import Any

import pytest
from csv_upload import ALLOWED_LABELS, make_csv, parse, post_csv
from fastapi.testclient import TestClient
from helpers import make_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from log_classifier.api.app import create_app

_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=25)
_SPECIAL = st.sampled_from(["", ",", '"', '""', "\n", "\r\n", "\r", "a,b", 'x "y" z', "-12", "+3.5", "1e5", "-",
                            "=SUM(A1)", "@cmd", "\tx", "é", "🔥", "שלום", "\u2028"])
_VALUE = st.one_of(
    _TEXT,
    _SPECIAL,
    st.builds(lambda head, tail: head + tail, st.sampled_from(["=", "+", "-", "@", "\t", "\r"]), _TEXT),
)
_RESERVED = {"source", "log_message", "target_label", "classified_by", "confidence", "reason"}
_NAME = _TEXT.filter(lambda name: name.strip() not in _RESERVED and not name.startswith("\ufeff"))
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


@st.composite
def csv_uploads(draw: st.DrawFn) -> tuple[list[str], list[list[str]], bytes]:
    others = draw(st.lists(_NAME, max_size=4, unique=True))
    header = list(others)
    header.insert(draw(st.integers(0, len(header))), "source")
    header.insert(draw(st.integers(0, len(header))), "log_message")
    records = draw(st.lists(st.lists(_VALUE, min_size=len(header), max_size=len(header)), min_size=1, max_size=6))
    lineterminator, quoting = draw(st.sampled_from([("\r\n", csv.QUOTE_MINIMAL), ("\n", csv.QUOTE_ALL)]))
    text = make_csv(header, records, lineterminator=lineterminator, quoting=quoting)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]))
    return header, records, text.encode(encoding)


def owasp(value: str) -> str:
    """The OWASP rule the answer must follow: formula-like cells get a leading apostrophe."""
    return "'" + value if value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value) else value


@pytest.fixture(scope="module")
def raw_client() -> Iterator[TestClient]:
    """An app with formula neutralisation off: the answer must hold the exact input."""
    with TestClient(create_app(make_settings(neutralise_formulas=False))) as client:
        yield client


_PROPERTY = hypothesis_settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@pytest.mark.slow
@_PROPERTY
@given(upload=csv_uploads())
def test_any_csv_round_trips_exactly_without_neutralisation(raw_client: TestClient, upload: Any) -> None:
    header, records, body = upload
    response = post_csv(raw_client, body)

    assert response.status_code == 200, response.text[:300]
    out_header, *out_records = parse(response.content.decode("utf-8"))
    assert out_header == header + ["target_label"]
    assert [r[:-1] for r in out_records] == records
    assert {r[-1] for r in out_records} <= ALLOWED_LABELS


@pytest.mark.slow
@_PROPERTY
@given(upload=csv_uploads())
def test_any_csv_round_trips_with_formulas_neutralised(app_client: TestClient, upload: Any) -> None:
    header, records, body = upload
    response = post_csv(app_client, body)

    assert response.status_code == 200, response.text[:300]
    out_header, *out_records = parse(response.content.decode("utf-8"))
    assert out_header == [owasp(name) for name in header] + ["target_label"]
    assert [r[:-1] for r in out_records] == [[owasp(value) for value in record] for record in records]
    assert {r[-1] for r in out_records} <= ALLOWED_LABELS


FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1"]
SAFE = ["12", "-12", "+3.5", "-1e5", "a=b", "plain", ""]


def formula_upload() -> tuple[list[str], list[list[str]]]:
    # Formula cells everywhere: the first column, the message, the columns either side of target_label.
    header = ["=id", "source", "log_message", "before", "target_label", "after"]
    records = [[f, f, f, f, "old", f] for f in FORMULAS] + [[s, "app", s, s, "old", s] for s in SAFE]
    return header, records


@pytest.mark.slow
def test_formulas_are_neutralised_in_every_column_by_default(app_client: TestClient) -> None:
    header, records = formula_upload()
    response = post_csv(app_client, make_csv(header, records).encode(), explain=True)

    out_header, *out = parse(response.text)
    assert out_header == ["'=id", "source", "log_message", "before", "target_label", "after",
                          "classified_by", "confidence", "reason", "pattern_id"]
    for record, row in zip(records[: len(FORMULAS)], out):
        value = record[0]
        assert [row[0], row[1], row[2], row[3], row[5]] == ["'" + value] * 5
        assert row[4] in ALLOWED_LABELS
    for record, row in zip(records[len(FORMULAS):], out[len(FORMULAS):]):
        assert [row[0], row[2], row[3], row[5]] == [record[0]] * 4  # numbers and plain text untouched


@pytest.mark.slow
def test_formulas_are_left_alone_when_neutralisation_is_off(raw_client: TestClient) -> None:
    header, records = formula_upload()
    response = post_csv(raw_client, make_csv(header, records).encode())

    out_header, *out = parse(response.text)
    assert out_header == header
    assert [[r[0], r[1], r[2], r[3], r[5]] for r in out] == [[r[0], r[1], r[2], r[3], r[5]] for r in records]
