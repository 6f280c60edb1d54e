"""The one way the bench scripts start the service: `uvicorn server:app` as a process of its own on a
free port of 127.0.0.1, waited for until /health answers, stopped (SIGTERM, then SIGKILL) afterwards.

    with uvicorn_server({"EMBEDDING_FAST_PATH": "false"}) as (base_url, process):
        httpx.post(f"{base_url}/classify/json", ...)

The server reads its settings from this environment and `.env` as `make run` does; `env` goes on top.
(The tests start theirs with tests/live_server.py: in a thread, or a process with the shipped model.)
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT_S = 120.0  # the lifespan loads the embedding model; a busy machine takes a while
STOP_TIMEOUT_S = 60.0  # SIGTERM lets the lifespan finish (the pattern store writes what is pending)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def uvicorn_server(env: Mapping[str, str] | None = None, *,
                   startup_timeout_s: float = STARTUP_TIMEOUT_S) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Yield (base URL, process) once the service answers /health; stop it when the block ends."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(port),
         "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, **(env or {})},
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout_s
        while True:
            try:
                if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None:
                raise SystemExit(f"the server exited with status {process.returncode} before answering /health")
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not answer /health within {startup_timeout_s:.0f} s")
            time.sleep(0.2)
        yield base_url, process
    finally:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
