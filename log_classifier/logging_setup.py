"""Logging for the service: plain or JSON lines, each carrying the id of the request it belongs to.

``configure_logging(settings)`` installs one handler on the root logger (replacing the one it
installed before, so calling it again — another app in the same process — does not double lines).
``request_id_var`` holds the current request's id (set by ``api.middleware.RequestIdMiddleware``).

No client can start a log line of its own: whatever a message carries (an upload's file name, a
request path, any header) is written on one line, control characters escaped (``one_line``); in
plain mode the lines of a traceback after the first are indented. JSON lines are one line by
construction.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import TextIO

from log_classifier.config import Settings

REQUEST_ID_HEADER = "X-Request-ID"
NO_REQUEST = "-"
PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
_HANDLER_NAME = "log-classifier"
# Control characters (C0, DEL, C1) and the Unicode line/paragraph separators; tab is harmless.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r"}
CONTINUATION_INDENT = "    "
_JSON_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
# Accepted from clients as is; anything else (too long, spaces, control characters) is replaced,
# so a client cannot forge log lines through the header.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:\-]{1,128}")
# uvicorn's own loggers do not propagate; in JSON mode they are routed through the root handler.
_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default=NO_REQUEST)


class RequestIdFilter(logging.Filter):
    """Adds ``record.request_id`` (the current request's id, or "-")."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


def one_line(text: str) -> str:
    """`text` with line breaks and other control characters escaped (\\n, \\r, \\x1b, \\u2028)."""
    return _UNSAFE_CHARS.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


class PlainFormatter(logging.Formatter):
    """The plain line format; the message is kept on one line (see ``one_line``), and every further
    line of a traceback is indented, so no physical line but the first can look like a record."""

    def format(self, record: logging.LogRecord) -> str:
        safe = logging.makeLogRecord(record.__dict__)
        safe.msg, safe.args = one_line(record.getMessage()), None
        text = super().format(safe).replace("\r", "\\r")
        return ("\n" + CONTINUATION_INDENT).join(text.split("\n"))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: timestamp, level, logger, message, request_id (+ exception)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "timestamp": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # json.dumps escapes C0 controls; these three still break lines for some readers (str.splitlines).
        return json.dumps(entry, ensure_ascii=False, default=str).translate(_JSON_LINE_BREAKS)


class _StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to whatever ``sys.stderr`` is at the time of the record (test capture included)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


def configure_logging(settings: Settings) -> logging.Handler:
    """Install (or replace) the service's root handler from ``log_json`` and ``log_level``."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler.get_name() == _HANDLER_NAME:
            root.removeHandler(handler)
    handler = _StderrHandler()
    handler.set_name(_HANDLER_NAME)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if settings.log_json else PlainFormatter(PLAIN_FORMAT))
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    if settings.log_json:
        for name in _UVICORN_LOGGERS:
            uvicorn_logger = logging.getLogger(name)
            uvicorn_logger.handlers.clear()
            uvicorn_logger.propagate = True
    return handler


def incoming_request_id(value: str | None) -> str:
    """The client's id when it is a safe token, else a fresh one."""
    if value and _SAFE_REQUEST_ID.fullmatch(value):
        return value
    return uuid.uuid4().hex
