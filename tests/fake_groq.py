"""A fake Groq server for tests: real HTTP on 127.0.0.1, speaking POST /openai/v1/chat/completions
(Groq's path) and POST /v1/chat/completions (what OpenAI-compatible servers such as vLLM and Ollama
serve; point ``LLM_BASE_URL`` at ``fake.openai_base_url``).

It runs uvicorn in a background thread on a free port (``serve_fake_groq()`` or the ``fake_groq``
fixture), records every request it receives, and behaves as each test tells it to:

    fake.answer_by_rules(shuffle=True)     # label each log by keyword, ids in reverse order
    fake.answer_with("Banana")             # the same word for every id
    fake.fail_with(500)                    # or fail_with(429, retry_after="0.5")
    fake.hang(3.0)                         # sleep, then answer by rules
    fake.malformed()                       # content that is not JSON
    fake.retire("old-model")               # that model gets Groq's 404 model_not_found, always
    fake.retire("older", code="model_decommissioned")   # ... or Groq's 400 model_decommissioned

Each setter but ``retire`` takes ``times=n`` to apply to the next n requests only; otherwise it
becomes the default. Reasoning models (a name containing "gpt-oss") answer with a ``reasoning``
field next to the content, holding a decoy JSON answer that a correct client never reads.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

CHAT_PATH = "/openai/v1/chat/completions"
OPENAI_CHAT_PATH = "/v1/chat/completions"
REASONING_MARKER = "gpt-oss"
DECOY_LABEL = "Critical Error"
"""What the reasoning field of a reasoning model's answer claims for every id (never the answer)."""
STARTUP_TIMEOUT_S = 5.0
HANG_POLL_S = 0.02
MALFORMED_CONTENT = '{"1": "Error", '

# First match wins; the fake's own little classifier, so answers depend on what was sent.
KEYWORD_RULES: tuple[tuple[str, str], ...] = (
    ("deprecated", "Deprecation Warning"),
    ("failed password", "Security Alert"),
    ("kernel panic", "Critical Error"),
    ("memory", "Resource Usage"),
    ("http/1.1", "HTTP Status"),
    ("approval", "Workflow Error"),
    ("signed out", "User Action"),
    ("snapshot", "System Notification"),
    ("failed", "Error"),
)


def label_by_keyword(message: str) -> str:
    """The category the fake answers for ``message`` ("Unclassified" when no keyword matches)."""
    lowered = message.lower()
    return next((label for keyword, label in KEYWORD_RULES if keyword in lowered), "Unclassified")


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the server received it. Header names are lower case."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def system_prompt(self) -> str:
        return next(m["content"] for m in self.body["messages"] if m["role"] == "system")

    @property
    def logs(self) -> list[dict[str, str]]:
        """The ``logs`` list of the user message: ``[{"id", "source", "message"}, ...]``."""
        user = next(m["content"] for m in self.body["messages"] if m["role"] == "user")
        logs: list[dict[str, str]] = json.loads(user)["logs"]
        return logs


@dataclass(frozen=True)
class Behaviour:
    """How to answer one request."""

    kind: Literal["rules", "word", "status", "hang", "malformed", "retired"]
    shuffle: bool = False
    drop_ids: frozenset[str] = frozenset()
    word: str = ""
    status: int = 200
    retry_after: str | None = None
    seconds: float = 0.0


@dataclass
class FakeGroq:
    """The server's state: what to answer next and what it has received."""

    port: int = 0
    requests: list[RecordedRequest] = field(default_factory=list)
    max_in_flight: int = 0
    """The most requests the server was handling at the same time."""
    _in_flight: int = 0
    _default: Behaviour = field(default_factory=lambda: Behaviour("rules"))
    _script: deque[Behaviour] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _retired: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        """What goes into ``groq_base_url`` (the SDK appends ``/openai/v1/...``)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:
        """What goes into ``llm_base_url`` for the OpenAI-compatible provider."""
        return f"http://127.0.0.1:{self.port}/v1"

    def retire(self, model: str, *, code: Literal["model_not_found", "model_decommissioned"] = "model_not_found") -> None:
        """From now on, requests for ``model`` get Groq's error for a retired model."""
        with self._lock:
            self._retired[model] = code

    def answer_by_rules(self, *, shuffle: bool = False, drop_ids: frozenset[str] = frozenset(), times: int | None = None) -> None:
        self._set(Behaviour("rules", shuffle=shuffle, drop_ids=drop_ids), times)

    def answer_with(self, word: str, *, times: int | None = None) -> None:
        self._set(Behaviour("word", word=word), times)

    def fail_with(self, status: int, *, retry_after: str | None = None, times: int | None = None) -> None:
        self._set(Behaviour("status", status=status, retry_after=retry_after), times)

    def hang(self, seconds: float, *, times: int | None = None) -> None:
        self._set(Behaviour("hang", seconds=seconds), times)

    def malformed(self, *, times: int | None = None) -> None:
        self._set(Behaviour("malformed"), times)

    def _set(self, behaviour: Behaviour, times: int | None) -> None:
        with self._lock:
            if times is None:
                self._default = behaviour
            else:
                self._script.extend([behaviour] * times)

    def _next(self, recorded: RecordedRequest) -> Behaviour:
        with self._lock:
            self.requests.append(recorded)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            code = self._retired.get(recorded.body.get("model", ""))
            if code is not None:  # a retired model fails the same way every time; the script waits
                return Behaviour("retired", word=code, status=404 if code == "model_not_found" else 400)
            return self._script.popleft() if self._script else self._default

    def _done(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def build_app(self) -> FastAPI:
        app = FastAPI()

        @app.post(CHAT_PATH)
        @app.post(OPENAI_CHAT_PATH)
        async def chat_completions(request: Request) -> JSONResponse:
            body = await request.json()
            behaviour = self._next(RecordedRequest(request.url.path, dict(request.headers), body))
            try:
                return await self._answer(behaviour, body)
            finally:
                self._done()

        return app

    async def _answer(self, behaviour: Behaviour, body: dict[str, Any]) -> JSONResponse:
        if behaviour.kind == "retired":
            return JSONResponse(_retired_model_error(body["model"], behaviour.word), status_code=behaviour.status)
        if behaviour.kind == "status":
            headers = {"retry-after": behaviour.retry_after} if behaviour.retry_after else {}
            error = {"error": {"message": f"fake failure {behaviour.status}", "type": "fake_error"}}
            return JSONResponse(error, status_code=behaviour.status, headers=headers)
        if behaviour.kind == "hang":
            # Wakes up early when the server stops, so teardown does not wait for a hang.
            until = time.monotonic() + behaviour.seconds
            while time.monotonic() < until and not self._stopping.is_set():
                await asyncio.sleep(HANG_POLL_S)
        logs = RecordedRequest(CHAT_PATH, {}, body).logs
        if behaviour.kind == "malformed":
            content = MALFORMED_CONTENT
        elif behaviour.kind == "word":
            content = json.dumps({log["id"]: behaviour.word for log in logs})
        else:
            answers = [(log["id"], label_by_keyword(log["message"])) for log in logs if log["id"] not in behaviour.drop_ids]
            content = json.dumps(dict(reversed(answers) if behaviour.shuffle else answers))
        return JSONResponse(_completion(body["model"], content, logs))


def _retired_model_error(model: str, code: str) -> dict[str, Any]:
    # Groq's own wording and shape for these two errors.
    if code == "model_not_found":
        message = f"The model `{model}` does not exist or you do not have access to it."
    else:
        message = f"The model `{model}` has been decommissioned and is no longer supported."
    return {"error": {"message": message, "type": "invalid_request_error", "code": code}}


def _completion(model: str, content: str, logs: list[dict[str, str]]) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if REASONING_MARKER in model:
        decoy = json.dumps({log["id"]: DECOY_LABEL for log in logs})
        message["reasoning"] = f"The user wants categories. Draft: {decoy}. Now answer in JSON."
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        "system_fingerprint": "fp_fake",
        "x_groq": {"id": "req_fake"},
    }


@contextmanager
def serve_fake_groq() -> Iterator[FakeGroq]:
    """Run a ``FakeGroq`` on a free port of 127.0.0.1 for the duration of the block."""
    fake = FakeGroq()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    fake.port = sock.getsockname()[1]
    config = uvicorn.Config(
        fake.build_app(), log_level="warning", lifespan="off", ws="none", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="fake-groq")
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("fake Groq server did not start")
        time.sleep(0.01)
    try:
        yield fake
    finally:
        fake._stopping.set()
        server.should_exit = True
        thread.join(STARTUP_TIMEOUT_S)
        sock.close()


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def fake_groq() -> Iterator[FakeGroq]:
    """A running fake Groq server that answers by keyword rules until told otherwise."""
    with serve_fake_groq() as fake:
        yield fake
