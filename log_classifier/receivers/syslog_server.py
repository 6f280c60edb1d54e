"""The syslog receiver: UDP and TCP listeners in the service's own event loop, started and stopped by
the app's lifespan (no second daemon to deploy).

Frames are queued as bytes; one worker task takes them in batches (SYSLOG_BATCH_LINES lines, or what
arrived within SYSLOG_BATCH_MS) and parses and classifies each batch in the thread pool, off the event
loop, through the same `record` step as `POST /ingest`. A TCP client waits when the queue is full
(TCP back-pressure); a UDP datagram that finds it full is dropped and logged. A connection costs a
coroutine and its unfinished frame (at most SYSLOG_MAX_FRAME_BYTES), and at most
SYSLOG_MAX_CONNECTIONS are open; a client that sends more than SYSLOG_MAX_FRAME_BYTES without a
newline gets its line cut and the connection closed. Nothing one client sends stops
the receiver for the others. On shutdown the listeners close, open connections are ended, and
what was already received is classified before the lifespan goes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import anyio.to_thread

from log_classifier.config import Settings
from log_classifier.receivers.syslog import StreamFramer, parse_message

log = logging.getLogger(__name__)

Record = Callable[..., Any]
"""`record(sources, messages, *, times=...)`: `api.recording.classify_and_record` with its collaborators bound."""
"""Classify and record one batch: (sources, messages) → whatever; CPU work, run in the thread pool."""
READ_BYTES = 65536
QUEUE_BATCHES = 20
"""The queue holds this many full batches before TCP clients wait and UDP datagrams are dropped."""
_STOP = None


class SyslogReceiver:
    """Listens on SYSLOG_TCP_PORT and/or SYSLOG_UDP_PORT (0 = any free port; see `tcp_port`/`udp_port`)."""

    def __init__(self, settings: Settings, record: Record) -> None:
        self._settings = settings
        self._record = record
        self._max_frame = settings.syslog_max_frame_bytes
        self._queue: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=settings.syslog_batch_lines * QUEUE_BATCHES)
        self._tcp: asyncio.Server | None = None
        self._udp: asyncio.DatagramTransport | None = None
        self._connections: set[asyncio.Task[None]] = set()
        self._worker: asyncio.Task[None] | None = None
        self.tcp_port: int | None = None
        self.udp_port: int | None = None
        self.received = {"tcp": 0, "udp": 0}
        self.dropped = 0
        """UDP messages that found the queue full."""
        self.cut_off = 0
        """TCP connections closed for a line longer than SYSLOG_MAX_FRAME_BYTES."""
        self.refused = 0
        """TCP connections closed at once: SYSLOG_MAX_CONNECTIONS were open."""

    @property
    def listening(self) -> bool:
        return self.tcp_port is not None or self.udp_port is not None

    @property
    def connections(self) -> int:
        """TCP connections open now."""
        return len(self._connections)

    async def start(self) -> None:
        """Listen on the configured ports; nothing at all when neither is set."""
        settings = self._settings
        if settings.syslog_tcp_port is None and settings.syslog_udp_port is None:
            return
        host = settings.syslog_host
        self._worker = asyncio.create_task(self._run(), name="syslog-batches")
        if settings.syslog_tcp_port is not None:
            self._tcp = await asyncio.start_server(self._serve_connection, host, settings.syslog_tcp_port)
            self.tcp_port = self._tcp.sockets[0].getsockname()[1]
            log.info("syslog: listening on %s TCP port %d", host, self.tcp_port)
        if settings.syslog_udp_port is not None:
            loop = asyncio.get_running_loop()
            transport, _ = await loop.create_datagram_endpoint(
                lambda: _DatagramReceiver(self._take_datagram), local_addr=(host, settings.syslog_udp_port)
            )
            self._udp = transport
            self.udp_port = transport.get_extra_info("sockname")[1]
            log.info("syslog: listening on %s UDP port %d", host, self.udp_port)

    async def close(self) -> None:
        """Stop listening, end the connections, classify what was received, stop the worker."""
        if self._tcp is not None:
            self._tcp.close()
        if self._udp is not None:
            self._udp.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        if self._tcp is not None:
            await self._tcp.wait_closed()
        if self._worker is not None:
            await self._queue.put(_STOP)
            await self._worker

    # --- receiving ---------------------------------------------------------------------------------

    async def _serve_connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        peer = writer.get_extra_info("peername")
        if len(self._connections) >= self._settings.syslog_max_connections:
            self.refused += 1
            log.warning("syslog: %d connections open (SYSLOG_MAX_CONNECTIONS); closing the one from %s",
                        len(self._connections), peer)
            writer.close()
            return
        self._connections.add(task)
        framer = StreamFramer(self._max_frame)
        try:
            while data := await reader.read(READ_BYTES):
                for frame in framer.feed(data):
                    self.received["tcp"] += 1
                    await self._queue.put(frame)
                if framer.cut_off:
                    self.cut_off += 1
                    log.warning("syslog: a line of more than %d bytes without a newline from %s: cut, and the "
                                "connection closed", self._max_frame, peer)
                    return
            for frame in framer.finish():
                self.received["tcp"] += 1
                await self._queue.put(frame)
        except (ConnectionError, OSError) as exc:
            log.info("syslog: connection from %s ended: %s", peer, exc)
        finally:
            self._connections.discard(task)
            writer.close()

    def _take_datagram(self, data: bytes) -> None:
        frame = data[: self._max_frame]
        if not frame.strip():
            return
        self.received["udp"] += 1
        try:
            self._queue.put_nowait(frame)
        except asyncio.QueueFull:
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.warning("syslog: the queue is full; %d UDP messages dropped so far", self.dropped)

    # --- classifying -------------------------------------------------------------------------------

    async def _run(self) -> None:
        settings = self._settings
        wait_s = settings.syslog_batch_ms / 1000
        loop = asyncio.get_running_loop()
        stopping = False
        while not stopping:
            frame = await self._queue.get()
            if frame is None:  # _STOP
                break
            batch = [frame]
            deadline = loop.time() + wait_s
            while len(batch) < settings.syslog_batch_lines:
                try:
                    frame = self._queue.get_nowait() if not self._queue.empty() else await asyncio.wait_for(
                        self._queue.get(), max(deadline - loop.time(), 0))
                except TimeoutError:
                    break
                if frame is None:  # _STOP
                    stopping = True
                    break
                batch.append(frame)
            await self._classify(batch)

    async def _classify(self, batch: list[bytes]) -> None:
        try:
            await anyio.to_thread.run_sync(self._parse_and_record, batch)
        except Exception:  # one bad batch must not stop the receiver
            log.exception("syslog: classifying a batch of %d messages failed", len(batch))

    def _parse_and_record(self, batch: list[bytes]) -> None:
        messages = [parse_message(frame, max_chars=self._settings.max_message_chars) for frame in batch]
        self._record([message.source for message in messages], [message.text for message in messages],
                     times=[message.time.timestamp() if message.time else None for message in messages])
        log.info("syslog: classified %d messages", len(messages))


class _DatagramReceiver(asyncio.DatagramProtocol):
    def __init__(self, take: Callable[[bytes], None]) -> None:
        self._take = take

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self._take(data)

    def error_received(self, exc: Exception) -> None:
        log.info("syslog: UDP error: %s", exc)

