"""A fixed set of worker threads that share LLM calls fairly between concurrent requests.

A plain thread pool is one FIFO queue: a request with 200 batches queued first makes a one-line
request wait for all of them, and run out of its own time budget while the LLM is healthy. Here each
caller (one ``classify_batch`` call) has its own queue and the workers take the callers' next jobs in
turn (round-robin), so a small request waits for at most about one call per worker.

``close()`` answers every queued or running job with ``None`` at once (its caller then reports the
records as stopped), instead of cancelling futures: a waiting request never sees a CancelledError.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(eq=False)
class _Job(Generic[T]):
    call: Callable[[], T]
    future: Future[T | None] = field(default_factory=Future)


class FairPool(Generic[T]):
    """``workers`` daemon threads running jobs round-robin between their owners."""

    def __init__(self, workers: int, *, thread_name_prefix: str) -> None:
        self._cond = threading.Condition()
        self._queues: dict[Hashable, deque[_Job[T]]] = {}  # insertion order = whose turn is next
        self._running: set[_Job[T]] = set()
        self._closed = False
        self._workers = workers
        self._prefix = thread_name_prefix
        self._threads: list[threading.Thread] = []

    def submit(self, owner: Hashable, calls: Sequence[Callable[[], T]]) -> list[Future[T | None]]:
        """Queue ``calls`` for ``owner``; each future resolves to its result, or None once closed."""
        jobs = [_Job[T](call) for call in calls]
        with self._cond:
            if self._closed:
                for job in jobs:
                    job.future.set_result(None)
            else:
                self._start_workers()
                self._queues.setdefault(owner, deque()).extend(jobs)
                self._cond.notify(len(jobs))
        return [job.future for job in jobs]

    def withdraw(self, owner: Hashable) -> None:
        """Forget ``owner``'s jobs that have not started (its caller stopped waiting for them)."""
        with self._cond:
            for job in self._queues.pop(owner, ()):
                job.future.set_result(None)

    def close(self) -> None:
        """Stop the workers; every job not finished yet resolves to None now. Idempotent."""
        with self._cond:
            self._closed = True
            unfinished = [job for queue in self._queues.values() for job in queue] + list(self._running)
            self._queues.clear()
            self._running.clear()
            for job in unfinished:
                if not job.future.done():
                    job.future.set_result(None)
            self._cond.notify_all()

    def _start_workers(self) -> None:
        # Lazily, so building a stage that is never used starts no threads.
        while len(self._threads) < self._workers:
            thread = threading.Thread(target=self._work, name=f"{self._prefix}-{len(self._threads)}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def _next_job(self) -> _Job[T] | None:
        with self._cond:
            while not self._queues and not self._closed:
                self._cond.wait()
            if self._closed:
                return None
            owner, queue = next(iter(self._queues.items()))
            job = queue.popleft()
            del self._queues[owner]
            if queue:
                self._queues[owner] = queue  # to the back of the line: the next owner goes first
            self._running.add(job)
            return job

    def _work(self) -> None:
        while (job := self._next_job()) is not None:
            try:
                result: T | None = job.call()
                error: BaseException | None = None
            except BaseException as exc:  # the job's caller gets it, as from a plain pool
                result, error = None, exc
            with self._cond:
                self._running.discard(job)
                if not job.future.done():  # close() may have answered it already
                    if error is None:
                        job.future.set_result(result)
                    else:
                        job.future.set_exception(error)
