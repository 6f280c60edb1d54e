"""Stopping a request's work when its client has gone.

The HTTP layer binds a `CancelToken` to the request (a context variable: the threads the request's
work runs in get a copy of its context) and cancels it when the client disconnects. Long loops
call `raise_if_cancelled()` between units of work (a stage, an encoder turn, a wait for the LLM),
which raises `RequestCancelled`; the cascade then hands the keys it was computing back to whoever
else waits for them. Outside a request (the CLI, the Spark job, tests) no token is bound and
`raise_if_cancelled()` does nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from log_classifier.errors import RequestCancelled


class CancelToken:
    """Set once, from any thread, when the work it is bound to should stop."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


_current: ContextVar[CancelToken | None] = ContextVar("cancel_token", default=None)


@contextmanager
def bound(token: CancelToken) -> Iterator[CancelToken]:
    """Bind `token` to the current context (and the threads started from copies of it)."""
    reset = _current.set(token)
    try:
        yield token
    finally:
        _current.reset(reset)


def raise_if_cancelled() -> None:
    """Raise RequestCancelled when the current request's client has gone."""
    token = _current.get()
    if token is not None and token.cancelled:
        raise RequestCancelled("the client disconnected: its remaining work is dropped")
