"""Request bodies as they arrive, their Content-Encoding (gzip, deflate) undone, never past a limit.

Every route that reads a body itself decodes it here: `POST /classify/json` (`api/json_route.py`),
`POST /ingest` and `POST /v1/logs` (which takes gzip only, as OTLP does). The bytes on the wire are
held to MAX_JSON_BYTES by `BodySizeLimitMiddleware`; what they inflate to is held here, counted while
inflating: a gzip bomb is a 413 (`PayloadTooLarge`) once the limit is passed, never inflated in full.
A broken or truncated stream, or data after its end, is a 400 (`InputError`); an encoding other
than gzip, deflate or identity a 415 (`UnsupportedEncoding`). Parsing what comes out is the JSON
intake's job (`formats/json_intake.py`), or OTLP's (`receivers/otlp.py`).
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

from starlette.concurrency import run_in_threadpool

from log_classifier.errors import InputError, PayloadTooLarge, UnsupportedEncoding


class BodyDecoder:
    """Undoes a Content-Encoding chunk by chunk, never producing more than `limit` bytes."""

    _WBITS = {"gzip": zlib.MAX_WBITS | 16, "x-gzip": zlib.MAX_WBITS | 16, "deflate": zlib.MAX_WBITS}

    def __init__(self, content_encoding: str, *, limit: int, limit_name: str) -> None:
        encoding = content_encoding.strip().lower()
        if encoding in ("", "identity"):
            self._wbits: int | None = None
        elif encoding in self._WBITS:
            self._wbits = self._WBITS[encoding]
        else:
            raise UnsupportedEncoding(
                f"Content-Encoding {content_encoding.strip()!r} is not supported; send gzip, deflate or no encoding"
            )
        self.encoding = encoding
        self._limit = limit
        self._limit_name = limit_name
        self._inflater = zlib.decompressobj(self._wbits) if self._wbits is not None else None
        self._body = bytearray()  # grown in place: no second copy when the body is finished
        self._size = 0
        self._compressed = 0

    @property
    def inflates(self) -> bool:
        """True when the body is compressed (feeding it costs CPU)."""
        return self._wbits is not None

    def feed(self, data: bytes) -> None:
        if self._inflater is None:
            self._append(data)
            return
        self._compressed += len(data)
        while data:
            try:
                # max_length caps the output of one call: limit + 1 bytes at most ever exist.
                out = self._inflater.decompress(data, self._limit - self._size + 1)
            except zlib.error as exc:
                raise InputError(f"the body is not valid {self.encoding} data ({exc})") from None
            self._append(out)
            if self._inflater.unconsumed_tail:
                data = self._inflater.unconsumed_tail
            elif self._inflater.eof and self._inflater.unused_data and self._wbits == self._WBITS["gzip"]:
                data = self._inflater.unused_data  # the next member of a multi-member gzip stream
                self._inflater = zlib.decompressobj(self._wbits)
            elif self._inflater.eof and self._inflater.unused_data:
                raise InputError(f"the body has data after the end of its {self.encoding} stream")
            else:
                data = b""

    def finish(self) -> bytearray:
        if self._inflater is not None and self._compressed and not self._inflater.eof:
            raise InputError(f"the {self.encoding} body ends early (truncated)")
        return self._body

    def _append(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            what = "decompressed body" if self._inflater is not None else "body"
            raise PayloadTooLarge(f"the {what} is larger than {self._limit_name}")
        self._body += data


async def receive_body(chunks: AsyncIterator[bytes], *, content_encoding: str, limit: int, limit_name: str) -> bytearray:
    """The body, inflated, from its chunks as they arrive; more than `limit` bytes is a 413 at once
    (`limit_name` names the setting in its message)."""
    decoder = BodyDecoder(content_encoding, limit=limit, limit_name=limit_name)
    async for chunk in chunks:
        if decoder.inflates:
            await run_in_threadpool(decoder.feed, chunk)  # inflating is CPU work: off the event loop
        else:
            decoder.feed(chunk)
    return decoder.finish()
