"""Run an ASGI app under a real uvicorn in a background thread, on a free port of 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

STARTUP_TIMEOUT_S = 60.0  # the lifespan loads the embedding model


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """Yield the base URL while the server runs (lifespan included); stop it afterwards."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # bound before the server starts: no race for the port
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", ws="none", timeout_graceful_shutdown=2))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="live-server")
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError("the app did not start under uvicorn")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


PROCESS_START_TIMEOUT_S = 90


@contextmanager
def uvicorn_process(env: dict[str, str]) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`uvicorn server:app` as its own process (for kill -9, SIGTERM and several processes on one store),
    with the shipped model, no LLM key and `env` on top of this environment; yields (process, base URL)
    once /health answers, and kills it afterwards if it is still running."""
    with uvicorn_processes(env) as [started]:
        yield started


@contextmanager
def uvicorn_processes(*envs: dict[str, str]) -> Iterator[list[tuple[subprocess.Popen[bytes], str]]]:
    """Several `uvicorn_process`es, one per env, started together (their model loads overlap) and
    yielded once every one answers /health; each is killed afterwards if it is still running."""
    started: list[tuple[subprocess.Popen[bytes], str]] = []
    try:
        for env in envs:
            started.append(_start_process(env))
        deadline = time.monotonic() + PROCESS_START_TIMEOUT_S
        for proc, url in started:
            _wait_healthy(proc, url, deadline)
        yield started
    finally:
        for proc, _ in started:
            if proc.poll() is None:
                proc.kill()
                proc.wait(30)


def _start_process(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    from helpers import SHIPPED_MODEL_DIR

    from log_classifier.config import PROJECT_DIR

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    full_env = {**os.environ, "GROQ_API_KEY": "", "MODEL_DIR": str(SHIPPED_MODEL_DIR), "LOG_LEVEL": "WARNING", **env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=PROJECT_DIR, env=full_env,
    )
    return proc, f"http://127.0.0.1:{port}"


def _wait_healthy(proc: subprocess.Popen[bytes], url: str, deadline: float) -> None:
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, "the service did not start"
        time.sleep(0.2)
