"""Hardening: hostile input, LLM faults, access control, privacy, concurrency, schema fuzzing.

Everything goes through real boundaries: HTTP through the app (TestClient, or a real uvicorn for the
concurrency test), the LLM through the fake Groq server (tests/fake_groq.py) speaking Groq's API.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import random
import re
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import schemathesis
from fake_groq import FakeGroq, closed_port_url
from fastapi.testclient import TestClient
from helpers import make_settings
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from live_server import serve
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from log_classifier.api.app import create_app
from log_classifier.taxonomy import CATEGORIES, UNCLASSIFIED
from log_classifier.text.pattern_key import pattern_id, pattern_key

ALLOWED_LABELS = set(CATEGORIES) | {UNCLASSIFIED}
SSH_FAILED = "Failed password for invalid user admin from 198.51.100.7 port 50122 ssh2"
KERNEL_PANIC = "Kernel panic - not syncing: Attempted to kill init!"
EXPLAINED = ["target_label", "classified_by", "confidence", "reason", "pattern_id"]


def post_csv(client: TestClient | httpx.Client, body: bytes, *, explain: bool = False, name: str = "logs.csv",
             headers: dict[str, str] | None = None) -> httpx.Response:
    return client.post(
        f"/classify/?explain={str(explain).lower()}", files={"file": (name, body, "text/csv")}, headers=headers or {}
    )


def parse(text: str) -> list[list[str]]:
    """Every record of a CSV text, header included, as lists (order and duplicates kept)."""
    return list(csv.reader(io.StringIO(text, newline="")))


def as_dicts(text: str) -> list[dict[str, str]]:
    header, *records = parse(text)
    return [dict(zip(header, record)) for record in records]


def make_csv(header: list[str], records: list[list[str]], *, lineterminator: str = "\r\n",
             quoting: int = csv.QUOTE_MINIMAL) -> str:
    # "\r\n" by default: with "\n", Python 3.11's writer leaves a lone "\r" unquoted (a broken file).
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator=lineterminator, quoting=quoting)
    writer.writerow(header)
    writer.writerows(records)
    return buffer.getvalue()


# --- 1. hostile and odd uploads --------------------------------------------------------------------


def _ok_bom(response: httpx.Response) -> None:
    assert parse(response.text) == [
        ["source", "log_message", *EXPLAINED],
        ["sshd", SSH_FAILED, "Security Alert", "regex", "1.0000", "rule:sshd-failed-password",
         pattern_id(pattern_key("sshd", SSH_FAILED))],
    ]


def _ok_utf16(response: httpx.Response) -> None:
    rows = as_dicts(response.content.decode("utf-8"))  # the answer is UTF-8 whatever came in
    assert [(r["source"], r["log_message"]) for r in rows] == [("sshd", SSH_FAILED), ("app", "Überweisung fehlgeschlagen ✓")]
    assert rows[0]["target_label"] == "Security Alert" and rows[1]["target_label"] in ALLOWED_LABELS


STACK_TRACE = (
    "Unhandled exception in worker 3\n"
    "Traceback (most recent call last):\r\n"
    '  File "/srv/app/jobs.py", line 42, in run\n'
    '    raise RuntimeError("boom, really")\n'
    "RuntimeError: boom, really"
)


def _ok_stack_trace(response: httpx.Response) -> None:
    rows = as_dicts(response.text)
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert rows[1]["log_message"] == STACK_TRACE
    assert rows[2]["log_message"] == KERNEL_PANIC and rows[2]["target_label"] == "Critical Error"


def _ok_blank(response: httpx.Response) -> None:
    rows = as_dicts(response.text)
    assert [(r["id"], r["log_message"], r["target_label"], r["reason"]) for r in rows] == [
        ("1", "", UNCLASSIFIED, "empty log_message"),
        ("2", "   ", UNCLASSIFIED, "empty log_message"),
        ("3", SSH_FAILED, "Security Alert", "rule:sshd-failed-password"),
    ]


LONG_MESSAGE = SSH_FAILED + " " + "x" * 100_000


def _ok_long(response: httpx.Response) -> None:
    [row] = as_dicts(response.text)
    assert row["log_message"] == LONG_MESSAGE  # the output keeps the full text
    assert row["target_label"] == "Security Alert"  # classified on the first MAX_MESSAGE_CHARS


def _ok_extra_columns(response: httpx.Response) -> None:
    header, *records = parse(response.text)
    assert header == ["a", "source", "b", "log_message", "", "c d", *EXPLAINED]
    assert [r[:7] for r in records] == [["1", "sshd", " spaced ", SSH_FAILED, "", "x,y", "Security Alert"]]


WIDE = 100_000


def _ok_wide(response: httpx.Response) -> None:
    header, *records = parse(response.text)
    assert header == [f"c{i}" for i in range(WIDE)] + ["source", "log_message", *EXPLAINED]
    assert [r[:3] + r[WIDE:WIDE + 3] for r in records] == [["v0", "v1", "v2", "sshd", SSH_FAILED, "Security Alert"]] * 2
    assert all(r[: WIDE] == [f"v{i}" for i in range(WIDE)] for r in records)


def _ok_cr_only(response: httpx.Response) -> None:
    assert [(r["id"], r["target_label"]) for r in as_dicts(response.text)] == [
        ("1", "Security Alert"), ("2", "Critical Error")
    ]


QUOTED = 'user said "hello, world" and ""left""'


def _ok_quotes(response: httpx.Response) -> None:
    [row] = as_dicts(response.text)
    assert row["log_message"] == QUOTED and row["note"] == '"'


EMOJI_RTL = "🔥 فشل الاتصال بقاعدة البيانات ‏(db-1)‏ — שגיאה 🚨 \u202eevil\u202c"


def _ok_emoji(response: httpx.Response) -> None:
    [row] = as_dicts(response.text)
    assert row["source"] == "سيرفر-١" and row["log_message"] == EMOJI_RTL
    assert row["target_label"] in ALLOWED_LABELS


def _random_bytes(seed: int, size: int, *, high_only: bool = False) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(0x80 if high_only else 0, 256) for _ in range(size))


# (id, body, expected status, substring of the 400 detail or a check of the 200 answer)
UPLOADS: list[tuple[str, bytes, int, Any]] = [
    ("utf8-bom", codecs.BOM_UTF8 + f"source,log_message\r\nsshd,{SSH_FAILED}\r\n".encode(), 200, _ok_bom),
    ("utf16-le-bom", f"source,log_message\nsshd,{SSH_FAILED}\napp,Überweisung fehlgeschlagen ✓\n".encode("utf-16"),
     200, _ok_utf16),
    ("utf16-be-bom", codecs.BOM_UTF16_BE
     + f"source,log_message\nsshd,{SSH_FAILED}\napp,Überweisung fehlgeschlagen ✓\n".encode("utf-16-be"), 200, _ok_utf16),
    ("utf16-bom-broken", codecs.BOM_UTF16_LE + "source,log_message\n".encode("utf-16-le") + b"\x00\xdc\x41", 400,
     "not valid UTF-16"),
    ("latin-1", "source,log_message\nbilling,Zahlung für Müller fehlgeschlagen\n".encode("latin-1"), 400,
     "not valid UTF-8"),
    ("latin-1-after-64k", ("source,log_message\n" + f"sshd,{SSH_FAILED}\n" * 2000 + "app,caf\xe9\n").encode("latin-1"),
     400, "not valid UTF-8"),
    ("multi-line-stack-trace", make_csv(["id", "source", "log_message"],
                                        [["1", "sshd", SSH_FAILED], ["2", "worker", STACK_TRACE], ["3", "kernel", KERNEL_PANIC]]).encode(),
     200, _ok_stack_trace),
    ("blank-message", f'id,source,log_message\n1,app,\n2,app,"   "\n3,sshd,{SSH_FAILED}\n'.encode(), 200, _ok_blank),
    ("100k-char-line", make_csv(["source", "log_message"], [["sshd", LONG_MESSAGE]]).encode(), 200, _ok_long),
    ("duplicate-columns", f"source,log_message,log_message\nsshd,{SSH_FAILED},x\n".encode(), 400,
     "duplicate column name(s) in the header: log_message"),
    ("duplicate-other-columns", f"id,source,id,log_message\n1,sshd,2,{SSH_FAILED}\n".encode(), 400,
     "duplicate column name(s) in the header: id"),
    ("extra-columns-kept", f'a,source,b,log_message,,c d\n1,sshd," spaced ",{SSH_FAILED},,"x,y"\n'.encode(), 200,
     _ok_extra_columns),
    ("unterminated-quote", f'source,log_message\nsshd,"{SSH_FAILED}\nkernel,{KERNEL_PANIC}\n'.encode(), 400,
     "malformed CSV near line"),
    ("quote-inside-unquoted-field", b'source,log_message\nsshd,abc"def\n', 200,
     lambda response: [r["log_message"] for r in as_dicts(response.text)] == ['abc"def'] or pytest.fail(response.text)),
    ("too-many-fields", f"source,log_message\nsshd,{SSH_FAILED},extra\n".encode(), 400,
     "line 2 has 3 fields but the header has 2"),
    ("too-few-fields", b"source,log_message\nsshd\n", 400, "line 2 has 1 fields but the header has 2"),
    ("binary-garbage-seed-1", _random_bytes(1, 4096), 400, "binary"),
    ("binary-garbage-seed-2", _random_bytes(2, 300), 400, "binary"),
    ("binary-garbage-no-nul", _random_bytes(3, 4096, high_only=True), 400, "not valid UTF-8"),
    ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", 400, "looks binary"),
    ("gzip", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\xcb\x48\xcd\xc9\xc9\x07\x00", 400, "looks binary"),
    ("header-only", b"source,log_message\n", 400, "header but no rows"),
    ("header-only-crlf-blank-lines", b"source,log_message\r\n\r\n\r\n", 400, "header but no rows"),
    ("empty", b"", 400, "the file is empty"),
    ("nul-in-message", f"source,log_message\nsshd,{SSH_FAILED}\x00\n".encode(), 400, "NUL"),
    ("nul-after-64k", ("source,log_message\n" + f"sshd,{SSH_FAILED}\n" * 2000 + "app,a\x00b\n").encode(), 400, "NUL"),
    ("huge-number-of-columns", make_csv([f"c{i}" for i in range(WIDE)] + ["source", "log_message"],
                                        [[f"v{i}" for i in range(WIDE)] + ["sshd", SSH_FAILED]] * 2).encode(), 200, _ok_wide),
    ("cr-only-line-endings", f"id,source,log_message\r1,sshd,{SSH_FAILED}\r2,kernel,{KERNEL_PANIC}\r".encode(), 200,
     _ok_cr_only),
    ("embedded-quotes", make_csv(["source", "log_message", "note"], [["app", QUOTED, '"']]).encode(), 200, _ok_quotes),
    ("emoji-rtl", make_csv(["source", "log_message"], [["سيرفر-١", EMOJI_RTL]]).encode(), 200, _ok_emoji),
    ("missing-columns", b"src,message\na,b\n", 400, "missing required column(s): source, log_message"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("body", "status", "expect"), [case[1:] for case in UPLOADS], ids=[case[0] for case in UPLOADS])
def test_hostile_uploads_are_answered_cleanly(app_client: TestClient, body: bytes, status: int, expect: Any) -> None:
    started = time.monotonic()
    response = post_csv(app_client, body, explain=True)

    assert response.status_code == status, response.text[:500]
    if status == 400:
        assert expect in response.json()["detail"]
    elif expect is not None:
        expect(response)
    assert time.monotonic() - started < 20
    assert app_client.get("/health").status_code == 200


def test_non_ascii_upload_filename_is_not_a_server_error(app_client: TestClient) -> None:
    response = post_csv(app_client, f"source,log_message\nsshd,{SSH_FAILED}\n".encode(), name="журнал 日志.csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="logs_classified.csv"'


def test_header_names_come_back_byte_for_byte(app_client: TestClient) -> None:
    body = f' id ,source, log_message ," note ",x \n1,sshd,{SSH_FAILED},kept,y\n'.encode()
    response = post_csv(app_client, body)

    assert response.status_code == 200, response.text
    assert parse(response.text) == [
        [" id ", "source", " log_message ", " note ", "x ", "target_label"],
        ["1", "sshd", SSH_FAILED, "kept", "y", "Security Alert"],
    ]


def test_a_required_column_twice_once_with_spaces_is_a_duplicate(app_client: TestClient) -> None:
    response = post_csv(app_client, f"source,log_message, source\nsshd,{SSH_FAILED},x\n".encode())
    assert response.status_code == 400
    assert "duplicate column name(s) in the header: source" in response.json()["detail"]


# --- 2. property: any CSV with the required columns round-trips ------------------------------------

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


# Hostile JSON (issue 24): Hypothesis's default text never holds a surrogate, so they are drawn
# explicitly, with NULs, fullwidth letters, numbers beyond a double and nesting.
# (st.text() would drop the surrogates of its alphabet: the characters are joined by hand.)
_HOSTILE_TEXT = st.lists(st.characters() | st.characters(categories=["Cs"])
                         | st.sampled_from("\x00\u2028\uff2b\uff45\u3000{}[]\\\""), max_size=30).map("".join)
_HOSTILE_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _HOSTILE_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_HOSTILE_TEXT, inner, max_size=3), max_leaves=12,
)
_HOSTILE_RECORD = st.fixed_dictionaries({"log": _HOSTILE_VALUE}, optional={"host": _HOSTILE_TEXT, "n": _HOSTILE_VALUE})


def _as_sent(value: Any) -> bytes:
    """JSON with every non-ASCII character escaped (the only way a lone surrogate is sent), inf as 1e999."""
    import json

    return json.dumps(value, ensure_ascii=True).replace("-Infinity", "-1e999").replace("Infinity", "1e999").encode()


@pytest.mark.slow
@_PROPERTY
@given(records=st.lists(_HOSTILE_RECORD, max_size=5), ndjson=st.booleans())
@example(records=[{"log": "disk \ud800 full", "host": "\udfff", "n": float("inf")}], ndjson=False)
def test_any_hostile_feed_is_answered_record_for_record_in_valid_json(app_client: TestClient, records: list,
                                                                      ndjson: bool) -> None:
    import json

    body = b"\n".join(_as_sent(record) for record in records) if ndjson else _as_sent(records)
    response = app_client.post("/ingest?explain=true", content=body)
    assert response.status_code == 200, response.text[:300]
    response.content.decode("utf-8")  # strict: no surrogate escaped into the answer
    answered = [json.loads(line, parse_constant=lambda name: pytest.fail(f"{name} in the answer"))
                for line in response.text.split("\n")[:-1]]  # not splitlines(): U+2028 may be in a string
    assert len(answered) == len(records)
    assert {record["target_label"] for record in answered} <= ALLOWED_LABELS


@pytest.mark.slow
@_PROPERTY
@given(logs=st.lists(st.fixed_dictionaries({"source": _HOSTILE_TEXT, "log_message": _HOSTILE_TEXT}), max_size=5))
@example(logs=[{"source": "a\udc00", "log_message": "Kernel panic \ud800"}])
def test_any_hostile_json_lines_are_classified_one_result_each(app_client: TestClient, logs: list) -> None:
    response = app_client.post("/classify/json", content=_as_sent({"logs": logs}),
                               headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text[:300]
    results = response.json()["results"]
    assert len(results) == len(logs) and {result["target_label"] for result in results} <= ALLOWED_LABELS


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


# --- 3. formula injection --------------------------------------------------------------------------

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


# --- 4. LLM faults and privacy through the full API ------------------------------------------------

GROQ_KEY = "gsk_HARDENING_groq_key_must_never_be_logged_42"
CLIENT_KEY = "client-key-HARDENING-never-logged-77"
LLM_SOURCE = "HardeningCRM"
LLM_ROWS = [
    (LLM_SOURCE, "Refund approval for order 7781 stalled: approver role vacant"),
    (LLM_SOURCE, "Option --legacy-auth is deprecated; use --auth-mode=oidc"),
    ("sshd", SSH_FAILED),
    ("kernel", KERNEL_PANIC),
]
LLM_CSV = make_csv(["id", "source", "log_message"], [[str(i), s, m] for i, (s, m) in enumerate(LLM_ROWS, 1)]).encode()
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.SflKxwRJSMeKKF2QT4fwpM"
PRIVATE = (
    "login for bob.smith@example.com from 10.20.30.40 failed: password=hunter2 "
    f"token=tok_9f8e7d Bearer abcDEF123456789xyz session {JWT} key AKIAIOSFODNN7EXAMPLE"
)
# Masking turns digits into <NUM>, which used to break these patterns: the LLM got most of each secret.
PRIVATE_BITS = ["bob.smith", "example.com", "10.20.30.40", "hunter", "tok_", "abcDEF", "SflKxwRJ", "eyJhbGci", "AKIA"]


@contextmanager
def llm_app(base_url: str, **overrides: Any) -> Iterator[TestClient]:
    values: dict[str, Any] = {
        "groq_api_key": GROQ_KEY,
        "groq_base_url": base_url,
        "groq_model": "fake-model",
        "llm_sources": LLM_SOURCE,
        "llm_timeout_s": 5.0,
        "llm_max_retries": 0,
        "llm_budget_s": 10.0,
        "llm_batch_size": 20,
    }
    values.update(overrides)
    with TestClient(create_app(make_settings(**values))) as client:
        yield client


def classify_llm_rows(client: TestClient) -> tuple[list[dict[str, str]], float]:
    started = time.monotonic()
    response = post_csv(client, LLM_CSV, explain=True)
    elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    rows = as_dicts(response.text)
    assert [(r["id"], r["source"], r["log_message"]) for r in rows] == [
        (str(i), s, m) for i, (s, m) in enumerate(LLM_ROWS, 1)
    ]
    # The rows the regex stage knows are classified as usual, whatever the LLM does.
    assert [(r["target_label"], r["classified_by"]) for r in rows[2:]] == [("Security Alert", "regex"), ("Critical Error", "regex")]
    return rows, elapsed


def llm_outcomes(rows: list[dict[str, str]]) -> list[tuple[str, str, str]]:
    return [(r["target_label"], r["classified_by"], r["reason"]) for r in rows[:2]]


@pytest.mark.slow
def test_llm_answers_reach_the_rows(fake_groq: FakeGroq) -> None:
    with llm_app(fake_groq.base_url) as client:
        rows, _ = classify_llm_rows(client)
    assert llm_outcomes(rows) == [
        ("Workflow Error", "llm", "llm:fake-model"), ("Deprecation Warning", "llm", "llm:fake-model")
    ]
    assert len(fake_groq.requests) == 1
    assert [log["source"] for log in fake_groq.requests[0].logs] == [LLM_SOURCE, LLM_SOURCE]


@pytest.mark.slow
def test_llm_without_key_is_unclassified_and_silent(fake_groq: FakeGroq) -> None:
    with llm_app(fake_groq.base_url, groq_api_key="") as client:
        rows, _ = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm disabled: no GROQ_API_KEY")] * 2
    assert fake_groq.requests == []


@pytest.mark.slow
def test_llm_host_unreachable() -> None:
    with llm_app(closed_port_url(), llm_max_retries=1) as client:
        rows, elapsed = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm error: APIConnectionError")] * 2
    assert elapsed < 10


@pytest.mark.slow
def test_llm_http_500(fake_groq: FakeGroq) -> None:
    fake_groq.fail_with(500)
    with llm_app(fake_groq.base_url, llm_max_retries=1) as client:
        rows, _ = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm error: InternalServerError 500")] * 2
    assert len(fake_groq.requests) == 2  # one try and one retry, no more


@pytest.mark.slow
def test_llm_429_retry_after_is_honoured_and_bounded(fake_groq: FakeGroq) -> None:
    fake_groq.fail_with(429, retry_after="0.5", times=1)
    with llm_app(fake_groq.base_url, llm_max_retries=1, llm_budget_s=2) as client:
        rows, elapsed = classify_llm_rows(client)
        assert llm_outcomes(rows) == [
            ("Workflow Error", "llm", "llm:fake-model"), ("Deprecation Warning", "llm", "llm:fake-model")
        ]
        assert len(fake_groq.requests) == 2  # the 429, then the retry after 0.5 s
        assert 0.5 <= elapsed < 5

        # A server that asks for a longer wait than the budget leaves is cut short by the budget.
        fake_groq.fail_with(429, retry_after="5")
        started = time.monotonic()
        response = post_csv(client, make_csv(["source", "log_message"], [[LLM_SOURCE, "Ticket escalation failed"]]).encode(),
                            explain=True)
        assert time.monotonic() - started < 5
        [row] = as_dicts(response.text)
        assert (row["target_label"], row["classified_by"], row["reason"]) == (UNCLASSIFIED, "none", "llm budget exhausted")


@pytest.mark.slow
def test_llm_hanging_server_is_bounded_by_the_budget(fake_groq: FakeGroq) -> None:
    fake_groq.hang(60)
    with llm_app(fake_groq.base_url, llm_timeout_s=30, llm_budget_s=2) as client:
        rows, elapsed = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm budget exhausted")] * 2
    assert elapsed < 8


@pytest.mark.slow
def test_llm_hanging_server_is_bounded_by_the_timeout(fake_groq: FakeGroq) -> None:
    fake_groq.hang(60)
    with llm_app(fake_groq.base_url, llm_timeout_s=1, llm_max_retries=1, llm_budget_s=30) as client:
        rows, elapsed = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm error: APITimeoutError")] * 2
    assert elapsed < 8  # two 1 s attempts and a back-off


@pytest.mark.slow
@pytest.mark.parametrize(
    ("answer", "reason"),
    [("Banana", "llm answer not a category: Banana"), ("ERROR: it failed", "llm answer not a category: ERROR: it failed")],
)
def test_llm_nonsense_answers_are_unclassified(fake_groq: FakeGroq, answer: str, reason: str) -> None:
    fake_groq.answer_with(answer)
    with llm_app(fake_groq.base_url) as client:
        rows, _ = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "llm", reason)] * 2


@pytest.mark.slow
def test_llm_malformed_answer_is_unclassified(fake_groq: FakeGroq) -> None:
    fake_groq.malformed()
    with llm_app(fake_groq.base_url) as client:
        rows, _ = classify_llm_rows(client)
    assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm error: malformed answer")] * 2


@pytest.mark.slow
def test_llm_circuit_breaker_stops_calling_a_failing_server(fake_groq: FakeGroq) -> None:
    fake_groq.fail_with(500)
    with llm_app(fake_groq.base_url, llm_batch_size=1, llm_concurrency=1, llm_breaker_failures=2) as client:
        rows, _ = classify_llm_rows(client)
        assert llm_outcomes(rows) == [(UNCLASSIFIED, "none", "llm error: InternalServerError 500")] * 2
        assert len(fake_groq.requests) == 2
        assert client.get("/health").json()["llm"]["circuit"]["state"] == "open"

        fake_groq.answer_by_rules()  # recovered, but the circuit is open for its cool-down
        body = make_csv(["source", "log_message"], [[LLM_SOURCE, f"Approval {n} failed"] for n in ("one", "two", "three")])
        later = as_dicts(post_csv(client, body.encode(), explain=True).text)
        assert [(r["target_label"], r["reason"]) for r in later] == [(UNCLASSIFIED, "llm circuit open")] * 3
        assert len(fake_groq.requests) == 2  # nothing more reached the server


@pytest.mark.slow
def test_llm_receives_redacted_text_and_no_key_is_logged(fake_groq: FakeGroq, caplog: pytest.LogCaptureFixture) -> None:
    body = make_csv(["source", "log_message"], [[LLM_SOURCE, PRIVATE]]).encode()
    with llm_app(fake_groq.base_url, api_keys=CLIENT_KEY, log_level="DEBUG") as client:
        caplog.set_level(logging.DEBUG)
        assert post_csv(client, body, headers={"X-API-Key": CLIENT_KEY}).status_code == 200
        fake_groq.fail_with(500)  # failures log more
        retry = make_csv(["source", "log_message"], [[LLM_SOURCE, PRIVATE + " again"]]).encode()
        assert post_csv(client, retry, headers={"X-API-Key": CLIENT_KEY}).status_code == 200
        assert post_csv(client, retry, headers={"X-API-Key": "wrong-" + CLIENT_KEY}).status_code == 401

    sent = [log["message"] for request in fake_groq.requests for log in request.logs]
    assert sent[0] == (
        "login for <EMAIL> from <IP> failed: password=<SECRET> token=<SECRET> Bearer <TOKEN> session <TOKEN> "
        "key <SECRET>"
    )
    assert len(sent) == 2
    for bit in PRIVATE_BITS:
        assert all(bit not in str(request.body) for request in fake_groq.requests), bit
    assert fake_groq.requests[0].headers["authorization"] == f"Bearer {GROQ_KEY}"  # the key was in use

    assert caplog.records, "nothing was logged: the check below would prove nothing"
    for record in caplog.records:
        text = record.getMessage() + repr(record.args)
        text += logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        assert GROQ_KEY not in text and CLIENT_KEY not in text, record.name


@pytest.mark.slow
def test_llm_redaction_can_be_turned_off(fake_groq: FakeGroq) -> None:
    body = make_csv(["source", "log_message"], [[LLM_SOURCE, PRIVATE]]).encode()
    with llm_app(fake_groq.base_url, llm_redact=False) as client:
        assert post_csv(client, body).status_code == 200
    assert [log["message"] for log in fake_groq.requests[0].logs] == [PRIVATE]


# --- 5. access control and CORS --------------------------------------------------------------------

ORIGIN = "https://logs.example.org"


@pytest.fixture(scope="module")
def guarded_client() -> Iterator[TestClient]:
    with TestClient(create_app(make_settings(api_keys="k1,k2", cors_origins=ORIGIN))) as client:
        yield client


SMALL_CSV = f"source,log_message\nsshd,{SSH_FAILED}\n".encode()
SMALL_JSON = {"logs": [{"source": "sshd", "log_message": SSH_FAILED}]}


def call(client: TestClient, endpoint: str, key: str | None) -> httpx.Response:
    headers = {} if key is None else {"X-API-Key": key}
    if endpoint == "csv":
        return post_csv(client, SMALL_CSV, headers=headers)
    return client.post("/classify/json", json=SMALL_JSON, headers=headers)


@pytest.mark.slow
@pytest.mark.parametrize("endpoint", ["csv", "json"])
@pytest.mark.parametrize("key", [None, "", "k3", "k1,k2", "K2", "k", "k2k2"])
def test_classify_needs_a_valid_api_key(guarded_client: TestClient, endpoint: str, key: str | None) -> None:
    response = call(guarded_client, endpoint, key)
    assert response.status_code == 401
    assert response.json() == {"detail": "missing or invalid X-API-Key header"}


@pytest.mark.slow
@pytest.mark.parametrize("endpoint", ["csv", "json"])
@pytest.mark.parametrize("key", ["k1", "k2"])
def test_classify_with_a_valid_api_key(guarded_client: TestClient, endpoint: str, key: str) -> None:
    response = call(guarded_client, endpoint, key)
    assert response.status_code == 200
    assert "Security Alert" in response.text


@pytest.mark.slow
def test_401_names_the_header_to_send(guarded_client: TestClient) -> None:
    response = call(guarded_client, "json", "wrong")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "X-API-Key"


@pytest.mark.slow
def test_bad_body_without_key_is_401_not_a_validation_message(guarded_client: TestClient) -> None:
    assert guarded_client.post("/classify/json", json={"nope": 1}).status_code == 401
    assert guarded_client.post("/classify/", data={"x": "y"}).status_code == 401


@pytest.mark.slow
def test_health_is_open_when_keys_are_set(guarded_client: TestClient) -> None:
    assert guarded_client.get("/health").status_code == 200


def preflight(client: TestClient, origin: str) -> httpx.Response:
    return client.options(
        "/classify/", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                               "Access-Control-Request-Headers": "x-api-key"}
    )


@pytest.mark.slow
def test_cors_is_off_by_default(app_client: TestClient) -> None:
    response = preflight(app_client, ORIGIN)
    assert "access-control-allow-origin" not in response.headers
    simple = app_client.get("/health", headers={"Origin": ORIGIN})
    assert "access-control-allow-origin" not in simple.headers


@pytest.mark.slow
def test_cors_allows_only_the_configured_origins(guarded_client: TestClient) -> None:
    allowed = preflight(guarded_client, ORIGIN)
    assert allowed.status_code == 200  # no API key needed for a preflight
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "x-api-key" in allowed.headers["access-control-allow-headers"].lower()

    other = preflight(guarded_client, "https://evil.example.com")
    assert "access-control-allow-origin" not in other.headers
    simple = guarded_client.get("/health", headers={"Origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN


# --- 6. concurrency: 16 different files at once against a real uvicorn -----------------------------

FILES = 16
ROWS_PER_FILE = 250
TEMPLATES = [
    ("sshd", "Failed password for invalid user u{n} from 198.51.100.{m} port {p} ssh2", "Security Alert"),
    ("kernel", "Kernel panic - not syncing: VFS unable to mount root fs on unknown-block({m},{n})", "Critical Error"),
    ("nginx", '10.0.{m}.{n} - - [10/Oct/2025:13:55:36 +0000] "GET /api/v{n}/items HTTP/1.1" 404 {p}', "HTTP Status"),
    ("sshd", "Accepted publickey for user{n} from 203.0.113.{m} port {p} ssh2", "User Action"),
    ("app", "", UNCLASSIFIED),
    # No rule covers these: the embedding stage decides, with words of each file's own (its own keys).
    ("app", "Nightly {word} backup of volume vol-{n} completed successfully in {m}s", None),
    ("app", "Disk usage for {word} on /data at {m}% of quota", None),
]
WORDS = ["amber", "birch", "cobalt", "delta", "ember", "fjord", "garnet", "harbor",
         "indigo", "juniper", "krypton", "lagoon", "maple", "nectar", "onyx", "prairie"]


def concurrent_file(number: int) -> tuple[bytes, list[tuple[str, str, str, str | None]]]:
    """A file of its own: ids, a marker column and a sequence of lines no other file has."""
    rng = random.Random(number)
    expected = []
    for row in range(ROWS_PER_FILE):
        source, template, label = TEMPLATES[(row * (number + 1) + number) % len(TEMPLATES)]
        message = template.format(n=rng.randrange(1000), m=rng.randrange(1, 255), p=rng.randrange(1024, 65535),
                                  word=WORDS[number])
        expected.append((f"f{number}-r{row}", source, message, label))
    header = ["id", "source", "log_message", f"marker_{number}"]
    body = make_csv(header, [[i, s, m, f"file-{number}"] for i, s, m, _ in expected])
    return body.encode(), expected


@pytest.mark.slow
def test_sixteen_different_files_at_once_do_not_mix() -> None:
    files = [concurrent_file(number) for number in range(FILES)]
    start = threading.Barrier(FILES)

    def upload(number: int) -> httpx.Response:
        with httpx.Client(base_url=base_url, timeout=120) as client:
            start.wait(timeout=30)
            return post_csv(client, files[number][0], name=f"file{number}.csv")

    with serve(create_app(make_settings(csv_chunk_rows=100))) as base_url:
        with ThreadPoolExecutor(max_workers=FILES) as pool:
            responses = list(pool.map(upload, range(FILES)))
        assert httpx.get(f"{base_url}/health").status_code == 200
        # The lines the embedding stage decided, asked again one file at a time.
        alone = {}
        for number in range(FILES):
            lines = [{"source": s, "log_message": m} for _, s, m, label in files[number][1] if label is None]
            results = httpx.post(f"{base_url}/classify/json", json={"logs": lines}, timeout=60).json()["results"]
            alone.update({(line["source"], line["log_message"]): r["target_label"] for line, r in zip(lines, results)})

    for number, response in enumerate(responses):
        assert response.status_code == 200, (number, response.text[:300])
        header, *records = parse(response.text)
        assert header == ["id", "source", "log_message", f"marker_{number}", "target_label"]
        assert [tuple(r) for r in records] == [
            (i, s, m, f"file-{number}", label or alone[(s, m)]) for i, s, m, label in files[number][1]
        ]


# --- 7. schemathesis against the app's own OpenAPI schema ------------------------------------------
# (Its pytest plugin's lazy loader breaks on pytest 9, so each operation runs its strategy here.)

OPERATIONS = [("/health", "GET"), ("/metrics", "GET"), ("/classify/", "POST"), ("/classify/json", "POST"),
              ("/ingest", "POST"), ("/v1/logs", "POST"), ("/patterns", "GET"), ("/patterns/compare", "GET"),
              ("/patterns/{pattern_id}", "GET"),
              ("/patterns/{pattern_id}/label", "PUT"), ("/patterns/{pattern_id}/label", "DELETE"), ("/feedback", "POST"),
              ("/corrections", "GET")]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    # schemathesis runs the app's lifespan itself (the model is loaded once) and calls it in-process.
    store = tmp_path_factory.mktemp("patterns") / "patterns.db"
    return schemathesis.openapi.from_asgi(
        "/openapi.json", create_app(make_settings(max_json_logs=50, pattern_store=str(store)))
    )


@pytest.mark.slow
def test_schema_lists_the_fuzzed_operations(api_schema: Any) -> None:
    listed = sorted((op.path, op.method.upper()) for op in (r.ok() for r in api_schema.get_all_operations()))
    assert listed == sorted(OPERATIONS)  # a new route must be added to OPERATIONS to be fuzzed


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "method", "mode"),
    # Operations without parameters or body have no negative cases.
    [(path, method, GenerationMode.POSITIVE) for path, method in OPERATIONS]
    + [(path, method, GenerationMode.NEGATIVE) for path, method in OPERATIONS if method == "POST"],
)
def test_api_never_answers_with_a_server_error(api_schema: Any, path: str, method: str, mode: GenerationMode) -> None:
    @hypothesis_settings(max_examples=100, deadline=None, database=None,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(case=api_schema[path][method].as_strategy(mode))
    def fuzz(case: Any) -> None:
        case.call_and_validate(checks=[not_a_server_error])

    fuzz()
