"""Syslog messages and their framing: RFC 5424, the BSD format (RFC 3164) and RFC 6587's two TCP framings.

`parse_message` turns one frame into what the classifier takes. The source is the APP-NAME (RFC 5424),
else the TAG (RFC 3164), else the HOSTNAME, else "syslog"; the time is the header's timestamp. The
message the classifier sees is the PRI followed by the MSG part (`<34>Failed password for ...`):
the PRI's severity is what the model's header-severity feature reads (`text.severity`), and the
pattern key keeps lines of different severities apart. A frame that is not syslog at all is a
plain message with source "syslog"; invalid UTF-8 is replaced, never fatal.

`StreamFramer` cuts a TCP byte stream into frames: octet-counting (`LEN SP <PRI>...`) or newline
framing, chosen per frame, across any segment boundaries, holding at most `max_frame` bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

PLAIN_SOURCE = "syslog"
"""The source of a frame that is not syslog (no valid `<PRI>`)."""
MAX_PRI = 191  # facility 23, severity 7

_PRI = re.compile(r"<(\d{1,3})>")
_RFC5424 = re.compile(r"(\d{1,2}) (\S+) (\S+) (\S+) (\S+) (\S+) ?")
_BSD_TIME = re.compile(
    r"(?:\d+: )?[*.]?(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(?P<day>\d{1,2}) "
    r"(?:(?P<year1>\d{4}) )?(?P<hms>\d{2}:\d{2}:\d{2})(?:\.\d+)?(?: (?P<year2>\d{4}))?(?: [A-Z]{3,4})?:? +"
)
_ISO_TIME = re.compile(r"(?P<iso>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})?) +")
_TAG = r"(?P<tag>[A-Za-z0-9_][\w.\-/@]{0,47})(?:\[[^\]\s]{0,32}\])?: ?"
_HOST_TAG = re.compile(r"(?P<host>(?!%)\S+(?<!:)) " + _TAG)
_ONLY_TAG = re.compile(_TAG)
_HOST = re.compile(r"(?P<host>(?!%)\S+(?<!:)) +")
_MONTHS = {name: number for number, name in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1)}


@dataclass(frozen=True)
class SyslogMessage:
    """One received frame, as the classifier takes it."""

    source: str
    text: str | None
    """`<PRI>MSG` (or the whole frame when it is not syslog), cut to `max_chars`; None when empty."""
    time: datetime | None
    """The header's timestamp (UTC when the header states no zone); None when there is none."""
    pri: int | None = None
    hostname: str = ""
    app_name: str = ""
    msg: str = ""


def parse_message(frame: bytes, *, max_chars: int, now: datetime | None = None) -> SyslogMessage:
    """RFC 5424 when the PRI is followed by a version, else RFC 3164 (leniently), else a plain message."""
    line = frame.decode("utf-8", errors="replace").strip("\r\n\x00 ")
    pri_match = _PRI.match(line)
    if pri_match is None or int(pri_match.group(1)) > MAX_PRI:
        return SyslogMessage(PLAIN_SOURCE, line.strip()[:max_chars] or None, None, msg=line)
    pri = int(pri_match.group(1))
    rest = line[pri_match.end():]
    header = _RFC5424.match(rest)
    if header is not None and header.group(1) == "1":
        return _rfc5424(pri, header, rest, max_chars)
    return _rfc3164(pri, rest, max_chars, now or datetime.now(UTC))


def _rfc5424(pri: int, header: re.Match[str], rest: str, max_chars: int) -> SyslogMessage:
    _, timestamp, hostname, app_name, _procid, _msgid = header.groups()
    msg = _after_structured_data(rest, header.end())
    hostname, app_name = _nil(hostname), _nil(app_name)
    return _message(pri, app_name or hostname, msg, _iso_time(timestamp), max_chars, hostname=hostname,
                    app_name=app_name)


def _rfc3164(pri: int, rest: str, max_chars: int, now: datetime) -> SyslogMessage:
    time: datetime | None = None
    if (stamp := _BSD_TIME.match(rest)) is not None:
        time = _bsd_time(stamp, now)
        rest = rest[stamp.end():]
    elif (stamp := _ISO_TIME.match(rest)) is not None:
        time = _iso_time(stamp.group("iso"))
        rest = rest[stamp.end():]
    hostname = tag = ""
    if (found := _HOST_TAG.match(rest)) is not None:
        hostname, tag, rest = found.group("host"), found.group("tag"), rest[found.end():]
    elif (found := _ONLY_TAG.match(rest)) is not None:
        tag, rest = found.group("tag"), rest[found.end():]
    elif stamp is not None and (found := _HOST.match(rest)) is not None:
        hostname, rest = found.group("host"), rest[found.end():]
    return _message(pri, tag or hostname, rest, time, max_chars, hostname=hostname, app_name=tag)


def _message(pri: int, source: str, msg: str, time: datetime | None, max_chars: int, *, hostname: str,
             app_name: str) -> SyslogMessage:
    msg = msg.strip().removeprefix("\ufeff").strip()  # RFC 5424 marks a UTF-8 MSG with a BOM
    text = f"<{pri}>{msg}"[:max_chars] if msg else None
    return SyslogMessage(source or PLAIN_SOURCE, text, time, pri, hostname, app_name, msg)


def _after_structured_data(rest: str, start: int) -> str:
    """The MSG after RFC 5424's STRUCTURED-DATA (`-` or `[id k="v" ...]...`, quotes escape `\\"`, `\\]`, `\\\\`)."""
    if rest.startswith("-", start):
        return rest[start + 1:]
    pos = start
    while rest.startswith("[", pos):
        quoted = False
        pos += 1
        while pos < len(rest):
            char = rest[pos]
            if quoted and char == "\\":
                pos += 2
                continue
            if char == '"':
                quoted = not quoted
            elif char == "]" and not quoted:
                break
            pos += 1
        else:
            return rest[start:]  # unterminated: keep everything as the message rather than lose it
        pos += 1
    return rest[pos:]


def _nil(value: str) -> str:
    return "" if value == "-" else value


def _iso_time(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _bsd_time(stamp: re.Match[str], now: datetime) -> datetime | None:
    hour, minute, second = (int(part) for part in stamp.group("hms").split(":"))
    year_text = stamp.group("year1") or stamp.group("year2")
    try:
        time = datetime(int(year_text) if year_text else now.year, _MONTHS[stamp.group("mon")], int(stamp.group("day")),
                        hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None
    if not year_text and time > now + timedelta(days=1):  # "Dec 31" received on January 1st
        time = time.replace(year=time.year - 1)
    return time


_OCTET_COUNT = re.compile(rb"([1-9]\d{0,8}) ")
_MAX_COUNT_DIGITS = 9


class StreamFramer:
    """Cuts one TCP connection's bytes into syslog frames (RFC 6587), per frame either:

    * octet-counting, `MSG-LEN SP SYSLOG-MSG`, recognised by digits, a space and `<`; a frame longer
      than `max_frame` keeps its first `max_frame` bytes and the rest is skipped as it arrives;
    * newline framing (LF or CRLF): a line longer than `max_frame` is cut, and a line that passes
      `max_frame` bytes before its newline arrives ends the stream: its first `max_frame` bytes are
      the last frame and `cut_off` is set (the caller closes the connection: nothing bounds such a
      client otherwise).
    """

    def __init__(self, max_frame: int) -> None:
        self.max_frame = max_frame
        self._buffer = bytearray()
        self._scanned = 0  # bytes of the buffer known to hold no newline
        self._skip = 0  # bytes of an over-long octet-counted frame still to discard
        self.cut_off = False
        """A line passed `max_frame` bytes without a newline: the stream is over."""

    def feed(self, data: bytes) -> list[bytes]:
        """The frames `data` completes, in order."""
        if self.cut_off:
            return []
        self._buffer += data
        frames: list[bytes] = []
        buffer = self._buffer
        while buffer and not self.cut_off:
            if self._skip:
                dropped = min(self._skip, len(buffer))
                del buffer[:dropped]
                self._skip -= dropped
                continue
            counted = self._octet_counted(frames)
            if counted is None:  # cannot tell yet: wait for more bytes
                break
            if counted:
                continue
            if not self._newline_framed(frames):
                break
        return frames

    def finish(self) -> list[bytes]:
        """What is left when the connection ends: a last line without its newline, or a cut-short frame."""
        rest, self._buffer = bytes(self._buffer), bytearray()
        if self._skip or not rest.strip():
            return []
        count = _OCTET_COUNT.match(rest)
        if count is not None and rest[count.end():count.end() + 1] == b"<":
            rest = rest[count.end():]
        return [rest[: self.max_frame]]

    def _octet_counted(self, frames: list[bytes]) -> bool | None:
        """True when a frame was taken, False when the buffer is not octet-counted, None to wait."""
        buffer = self._buffer
        if not buffer[:1].isdigit():
            return False
        count = _OCTET_COUNT.match(buffer)
        if count is None:
            digits = len(buffer) - len(buffer.lstrip(b"0123456789"))
            return None if digits == len(buffer) and digits <= _MAX_COUNT_DIGITS else False
        if len(buffer) == count.end():
            return None
        if buffer[count.end()] != ord("<"):
            return False
        length, start = int(count.group(1)), count.end()
        kept = min(length, self.max_frame)
        if len(buffer) - start < kept:
            return None
        frames.append(bytes(buffer[start:start + kept]))
        consumed = min(len(buffer), start + length)
        self._skip = start + length - consumed
        del buffer[:consumed]
        self._scanned = 0
        return True

    def _newline_framed(self, frames: list[bytes]) -> bool:
        """Take one line; False when the buffer holds no complete line yet."""
        buffer = self._buffer
        end = buffer.find(b"\n", self._scanned)
        if end < 0:
            if len(buffer) > self.max_frame:
                frames.append(bytes(buffer[: self.max_frame]))
                buffer.clear()
                self._scanned = 0
                self.cut_off = True
            else:
                self._scanned = len(buffer)
            return False
        line = bytes(buffer[:end]).rstrip(b"\r")
        del buffer[: end + 1]
        self._scanned = 0
        if line.strip():
            frames.append(line[: self.max_frame])
        return True
