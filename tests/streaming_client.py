"""A raw HTTP/1.1 client that streams a chunked request body and records how much it sent.

httpx cannot tell how many bytes left the client before the server answered; this one sends a
chunk, looks for an answer, and stops as soon as one arrives (or the server closes the connection).
"""

from __future__ import annotations

import http.client
import json
import select
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

MB = 1024 * 1024
SEND_BUFFER_BYTES = 64 * 1024


@dataclass
class StreamedAnswer:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: int
    """Body bytes the client had sent when the answer arrived."""

    def json(self) -> object:
        return json.loads(self.body)


def stream_chunked(
    base_url: str, path: str, chunks: Iterator[bytes], *, content_type: str, headers: dict[str, str] | None = None
) -> StreamedAnswer:
    """POST `chunks` with `Transfer-Encoding: chunked` (no Content-Length)."""
    url = urlsplit(base_url)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # A small send buffer: `sent` then counts what the server could have read, not what the kernel queued.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)
    sock.settimeout(30)
    sock.connect((url.hostname, url.port))
    try:
        head = [f"POST {path} HTTP/1.1", f"Host: {url.netloc}", "Transfer-Encoding: chunked",
                f"Content-Type: {content_type}"]
        head += [f"{name}: {value}" for name, value in (headers or {}).items()]
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        sent = 0
        finished = True
        for chunk in chunks:
            if select.select([sock], [], [], 0)[0]:  # an answer (or a close) is waiting
                finished = False
                break
            try:
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                finished = False
                break
            sent += len(chunk)
        if finished:
            sock.sendall(b"0\r\n\r\n")
        response = http.client.HTTPResponse(sock)
        response.begin()
        body = response.read()
        return StreamedAnswer(response.status, {k.lower(): v for k, v in response.getheaders()}, body, sent)
    finally:
        sock.close()


def multipart_csv_chunks(total_bytes: int, *, boundary: str, filename: str = "big.csv",
                         chunk_bytes: int = 64 * 1024) -> Iterator[bytes]:
    """A multipart form with one CSV file field of about `total_bytes`, in chunks."""
    yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
           "Content-Type: text/csv\r\n\r\nsource,log_message\r\n").encode()
    row = b"app,Nightly backup of volume vol-19 completed successfully in 42s\r\n"
    chunk = row * (chunk_bytes // len(row))
    for _ in range(total_bytes // len(chunk)):
        yield chunk
    yield f"\r\n--{boundary}--\r\n".encode()


def json_logs_chunks(logs: int, *, chunk_logs: int = 1000) -> Iterator[bytes]:
    """`{"logs": [...]}` with `logs` entries, in chunks."""
    line = json.dumps({"source": "app", "log_message": "Disk usage on /data at 91% of quota"}).encode()
    yield b'{"logs": ['
    for start in range(0, logs, chunk_logs):
        count = min(chunk_logs, logs - start)
        yield (b"," if start else b"") + b",".join([line] * count)
    yield b"]}"
