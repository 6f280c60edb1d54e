"""How long a new request would wait for the contextual encoder, in seconds: what load shedding
(MAX_QUEUE_S) reads.

The encoder takes its callers in turn, one unit (`unit` texts) each (`embedding.FairLock`), so a big
upload does not stand in front of a small request: what does is one unit of every caller ahead of it.
The queue's length is therefore the sum over the callers of their waiting texts, up to one unit
each, plus the requests admitted but not at the encoder yet (parsing, masking, or waiting for a
worker thread: invisible to the encoder, but coming), each counted as the texts an admitted request
has brought on average (up to a unit). Divided by the encoder's rate, measured over its recent turns.
Without the second part a burst of requests would all be admitted while they queued for threads.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DEFAULT_UNIT = 64
"""Texts per turn of the encoder (`embedding.ENCODE_UNIT`)."""
INITIAL_ENCODE_RATE = 300.0
"""Texts per second assumed before the first turn is measured (below the encoder's rate on two cores in
docs/performance.md)."""
RATE_SMOOTHING = 0.2
"""Weight of the newest measurement in the rate and in the texts an admitted request brings."""


class _Admission:
    """One admitted request, until its first texts reach the encoder (or it ends without any)."""

    __slots__ = ("pending",)

    def __init__(self) -> None:
        self.pending = True


_admission: ContextVar[_Admission | None] = ContextVar("encoder_admission", default=None)


class Waiting:
    """The texts one call has handed to the encoder and that are not encoded yet."""

    __slots__ = ("texts",)

    def __init__(self, texts: int) -> None:
        self.texts = texts


class EncoderQueue:
    """The callers waiting for the encoder, admitted requests on their way, the encoder's rate. Thread-safe."""

    def __init__(self, initial_rate: float = INITIAL_ENCODE_RATE, unit: int = DEFAULT_UNIT) -> None:
        self._lock = threading.Lock()
        self._unit = unit
        self._callers: set[Waiting] = set()
        self._admitted = 0
        self._texts_per_request = 0.0
        self._rate = initial_rate

    @contextmanager
    def admitted(self) -> Iterator[None]:
        """Count the current request (and the threads its work runs in) as coming, until it arrives."""
        admission = _Admission()
        with self._lock:
            self._admitted += 1
        reset = _admission.set(admission)
        try:
            yield
        finally:
            _admission.reset(reset)
            self._arrive(admission, 0)  # it never reached the encoder: everything was cached or answered

    def add(self, texts: int) -> Waiting:
        """`texts` join the queue for one call (the request they belong to has arrived)."""
        admission = _admission.get()
        if admission is not None:
            self._arrive(admission, texts)
        waiting = Waiting(texts)
        with self._lock:
            self._callers.add(waiting)
        return waiting

    def done(self, waiting: Waiting, texts: int, seconds: float) -> None:
        """`texts` of `waiting` were encoded in `seconds`: they leave the queue and update the rate."""
        with self._lock:
            waiting.texts -= texts
            if texts and seconds > 0:
                self._rate += RATE_SMOOTHING * (texts / seconds - self._rate)

    def leave(self, waiting: Waiting) -> None:
        """The call is over (done, or stopped): what it had left will not be encoded."""
        with self._lock:
            self._callers.discard(waiting)

    @property
    def waiting(self) -> int:
        """Texts handed to the encoder and not encoded yet."""
        with self._lock:
            return sum(caller.texts for caller in self._callers)

    @property
    def rate(self) -> float:
        """Texts per second, measured over the recent encoder turns."""
        with self._lock:
            return self._rate

    def seconds(self) -> float:
        """How long a new request waits for its first turn, at the encoder's measured rate."""
        with self._lock:
            return self._ahead() / self._rate

    def status(self) -> dict[str, float | int]:
        with self._lock:
            return {"texts": sum(caller.texts for caller in self._callers), "callers": len(self._callers),
                    "requests_coming": self._admitted, "rate_per_s": round(self._rate, 1),
                    "seconds": round(self._ahead() / self._rate, 2)}

    def _ahead(self) -> float:
        """Texts encoded before a new caller's first turn: a unit (at most) of every caller, waiting or coming."""
        waiting = sum(min(caller.texts, self._unit) for caller in self._callers)
        return waiting + self._admitted * min(self._texts_per_request, self._unit)

    def _arrive(self, admission: _Admission, texts: int) -> None:
        with self._lock:
            if not admission.pending:
                return
            admission.pending = False
            self._admitted -= 1
            self._texts_per_request += RATE_SMOOTHING * (texts - self._texts_per_request)
