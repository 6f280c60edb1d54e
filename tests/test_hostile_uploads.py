"""Hostile and odd CSV uploads: encodings, broken quoting, binary, huge lines and headers; each gets
a clean 400 or a correct answer, never a 500, through the app (TestClient)."""

from __future__ import annotations

import codecs
import random
import time
from typing import Any

import httpx
import pytest
from csv_upload import ALLOWED_LABELS, EXPLAINED, KERNEL_PANIC, SSH_FAILED, as_dicts, make_csv, parse, post_csv
from fastapi.testclient import TestClient

from log_classifier.taxonomy import UNCLASSIFIED
from log_classifier.text.pattern_key import pattern_id, pattern_key


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
