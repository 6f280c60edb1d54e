"""Syslog frames → (source, text, time): RFC 5424 (the RFC's own examples), RFC 3164 variants, plain
lines; RFC 6587 framing across TCP segment boundaries and its limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from log_classifier.receivers.syslog import StreamFramer, parse_message
from log_classifier.text.pattern_key import pattern_key
from log_classifier.text.severity import read_severity

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def parse(frame: bytes, max_chars: int = 2000):  # type: ignore[no-untyped-def]
    return parse_message(frame, max_chars=max_chars, now=NOW)


# --- RFC 5424 ------------------------------------------------------------------------------------------

def test_rfc5424_with_a_bom_and_no_structured_data() -> None:
    got = parse(b"<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - "
                b"\xef\xbb\xbf'su root' failed for lonvick on /dev/pts/8")
    assert (got.source, got.text, got.hostname) == ("su", "<34>'su root' failed for lonvick on /dev/pts/8",
                                                    "mymachine.example.com")
    assert got.time == datetime(2003, 10, 11, 22, 14, 15, 3000, tzinfo=UTC)


def test_rfc5424_structured_data_with_escapes_is_not_part_of_the_message() -> None:
    got = parse(b'<165>1 2003-10-11T22:14:15.003000-07:00 mymachine.example.com evntslog - ID47 '
                b'[exampleSDID@32473 iut="3" eventSource="App\\]li \\"cation" eventID="1011"]'
                b'[examplePriority@32473 class="high"] An application event log entry...')
    assert (got.source, got.text) == ("evntslog", "<165>An application event log entry...")
    assert got.time == datetime(2003, 10, 11, 22, 14, 15, 3000, tzinfo=timezone(timedelta(hours=-7)))


def test_rfc5424_nil_values_fall_back_to_the_hostname_then_syslog() -> None:
    assert parse(b"<14>1 - host-7 - - - - disk check passed").source == "host-7"
    got = parse(b"<14>1 - - - - - - disk check passed")
    assert (got.source, got.time, got.text) == ("syslog", None, "<14>disk check passed")
    assert parse(b"<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - -").text is None  # no MSG


# --- RFC 3164 ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("frame", "source", "hostname", "msg", "time"),
    [
        (b"<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8", "su", "mymachine",
         "'su root' failed for lonvick on /dev/pts/8", datetime(2026, 10, 11, 22, 14, 15, tzinfo=UTC)),
        (b"<38>Dec  7 03:00:01 bastion sshd[4711]: Accepted publickey for deploy", "sshd", "bastion",
         "Accepted publickey for deploy", datetime(2026, 12, 7, 3, 0, 1, tzinfo=UTC)),
        (b"<13>Dec  7 03:00:00 logger-tag: no hostname (a local socket)", "logger-tag", "",
         "no hostname (a local socket)", datetime(2026, 12, 7, 3, 0, tzinfo=UTC)),
        (b"<13>2026-12-07T03:00:00.123456+00:00 web-1 nginx: GET / 200", "nginx", "web-1", "GET / 200",
         datetime(2026, 12, 7, 3, 0, 0, 123456, tzinfo=UTC)),
        (b"<189>123: *Mar  1 00:00:00.123: %SYS-5-CONFIG_I: Configured from console by vty0", "syslog", "",
         "%SYS-5-CONFIG_I: Configured from console by vty0", datetime(2026, 3, 1, tzinfo=UTC)),
        (b"<187>Dec 31 23:59:59 core-sw1 %LINK-3-UPDOWN: Interface Gi0/1, changed state to down", "core-sw1",
         "core-sw1", "%LINK-3-UPDOWN: Interface Gi0/1, changed state to down",
         datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)),  # no year: not in the future
        (b"<13>Dec  7 2026 03:00:00 fw1 kernel: DROP IN=eth0", "kernel", "fw1", "DROP IN=eth0",
         datetime(2026, 12, 7, 3, 0, tzinfo=UTC)),
        (b"<13>no header at all", "syslog", "", "no header at all", None),
        (b"<13>cron[12]: job started", "cron", "", "job started", None),
    ],
)
def test_rfc3164_variants(frame: bytes, source: str, hostname: str, msg: str, time: datetime | None) -> None:
    got = parse(frame)
    assert (got.source, got.hostname, got.msg, got.time) == (source, hostname, msg, time)
    assert got.text == f"<{got.pri}>{msg}"


def test_the_pri_severity_is_what_the_model_and_the_pattern_key_read() -> None:
    emerg = parse(b"<8>Dec  7 03:00:00 web-1 app: cache rebuilt")   # user.emerg
    notice = parse(b"<13>Dec  7 03:00:00 web-1 app: cache rebuilt")  # user.notice
    assert read_severity(emerg.text or "") == "critical" and read_severity(notice.text or "") == "info"
    assert pattern_key(emerg.source, emerg.text or "") != pattern_key(notice.source, notice.text or "")


def test_not_syslog_is_a_plain_message_from_syslog() -> None:
    for frame in (b"hello world", b"<999>out of range", b"2026-12-07 ERROR something broke"):
        got = parse(frame)
        assert (got.source, got.text, got.pri) == ("syslog", frame.decode(), None)


def test_invalid_utf8_is_replaced() -> None:
    got = parse(b"<11>Dec  7 03:00:00 h app: bad \xff\xfe bytes \xc3")
    assert got.text == "<11>bad \ufffd\ufffd bytes \ufffd"


def test_long_messages_are_cut_to_max_chars() -> None:
    got = parse(b"<11>Dec  7 03:00:00 h app: " + b"x" * 5000, max_chars=100)
    assert got.text == "<11>" + "x" * 96


# --- RFC 6587 framing ----------------------------------------------------------------------------------

def feed_in_pieces(framer: StreamFramer, data: bytes, size: int) -> list[bytes]:
    frames: list[bytes] = []
    for start in range(0, len(data), size):
        frames += framer.feed(data[start:start + size])
    return frames + framer.finish()


def octets(message: bytes) -> bytes:
    return str(len(message)).encode() + b" " + message


MESSAGES = [b"<13>1 - h app - - - first\nwith a newline inside", b"<14>Dec  7 03:00:00 h app: second",
            b"<15>" + "Ünïcödé ✓".encode() + b" third " + b"y" * 300]


@pytest.mark.parametrize("piece", [1, 2, 3, 7, 64, 4096])
def test_octet_counting_across_segment_boundaries(piece: int) -> None:
    stream = b"".join(octets(message) for message in MESSAGES)
    assert feed_in_pieces(StreamFramer(65536), stream, piece) == MESSAGES


@pytest.mark.parametrize("piece", [1, 5, 4096])
def test_newline_framing_and_mixed_framing(piece: int) -> None:
    stream = b"<13>one\r\n\n<14>two\n" + octets(b"<15>three\nstill three") + b"\n2026-12-07 plain line\nlast"
    assert feed_in_pieces(StreamFramer(65536), stream, piece) == [
        b"<13>one", b"<14>two", b"<15>three\nstill three", b"2026-12-07 plain line", b"last"]


def test_a_number_that_is_not_an_octet_count_is_a_line() -> None:
    assert feed_in_pieces(StreamFramer(65536), b"123 apples\n42\n", 1) == [b"123 apples", b"42"]


def test_an_oversized_octet_counted_frame_is_cut_and_the_rest_skipped() -> None:
    big = b"<13>" + b"z" * 10_000
    stream = octets(big) + octets(b"<14>next")
    assert feed_in_pieces(StreamFramer(1024), stream, 100) == [big[:1024], b"<14>next"]


def test_a_gigabyte_without_a_newline_is_cut_off_holding_one_frame() -> None:
    framer = StreamFramer(4096)
    frames = framer.feed(b"<13>complete line\n<13>")
    chunk = b"a" * 1000
    fed = 0
    while not framer.cut_off and fed < 1_000_000:  # a gigabyte, if the framer let it
        frames += framer.feed(chunk)
        fed += 1
    assert framer.cut_off and fed == 5
    assert frames == [b"<13>complete line", (b"<13>" + b"a" * 5000)[:4096]]
    assert len(framer._buffer) == 0  # noqa: SLF001  (nothing kept once cut off)
    assert framer.feed(b"more\n") == [] and framer.finish() == []


def test_frames_before_a_cut_off_line_in_the_same_read_are_kept() -> None:
    framer = StreamFramer(1024)
    assert framer.feed(b"<13>first\n" + b"B" * 5000) == [b"<13>first", b"B" * 1024]
    assert framer.cut_off


def test_a_long_line_that_ends_within_one_read_is_cut() -> None:
    assert StreamFramer(1024).feed(b"<13>" + b"w" * 3000 + b"\n<14>ok\n") == [b"<13>" + b"w" * 1020, b"<14>ok"]
