"""A real HTTP webhook receiver on 127.0.0.1 for the alert tests: records every POST it gets.

`behaviour` decides how it answers: "ok" (204), a status code (e.g. 500), or "hang" (accepts the
connection, reads the request, never answers until the receiver stops).
"""

from __future__ import annotations

import json
import queue
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Receiver:
    url: str
    behaviour: str | int = "ok"
    posts: queue.Queue[dict[str, Any]] = field(default_factory=queue.Queue)  # the accepted ones
    headers: list[dict[str, str]] = field(default_factory=list)
    hits: int = 0
    stop: threading.Event = field(default_factory=threading.Event)

    def next_post(self, timeout: float) -> dict[str, Any]:
        """The next alert body accepted within `timeout` seconds (queue.Empty otherwise)."""
        return self.posts.get(timeout=timeout)


@contextmanager
def webhook_receiver(behaviour: str | int = "ok") -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802  (http.server's naming)
            receiver = state["receiver"]
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.hits += 1
            receiver.headers.append(dict(self.headers))
            if receiver.behaviour == "hang":
                receiver.stop.wait(30)
                return
            status = 204 if receiver.behaviour == "ok" else int(receiver.behaviour)
            if status < 300:
                receiver.posts.put(json.loads(body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver = Receiver(url=f"http://127.0.0.1:{server.server_address[1]}/hooks/alerts", behaviour=behaviour)
    state["receiver"] = receiver
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        receiver.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/hooks/alerts"
