"""The documented ways to start the service and to import its parts, each in a fresh process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from log_classifier.config import PROJECT_DIR
from log_classifier.taxonomy import CATEGORIES

STARTUP_TIMEOUT_S = 90.0
PUBLIC_MODULES = ("server", "classifier", "processor_regex", "processor_bert", "processor_llm")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(base: str, process: subprocess.Popen[str], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"uvicorn exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("uvicorn server:app did not become healthy")


@pytest.mark.slow
def test_uvicorn_server_app_serves_docs_and_classifies(tmp_path: Path) -> None:
    """`uvicorn server:app` from the project root, as every FastAPI tutorial starts an app."""
    port = _free_port()
    # From the project root, as users start it. The settings this test depends on are set in the
    # environment, which wins over a developer's .env in the checkout.
    env = {**os.environ, "GROQ_API_KEY": "", "LLM_PROVIDER": "groq", "API_KEYS": "", "HF_HUB_OFFLINE": "1",
           "LOG_JSON": "false", "MODEL_DIR": str(PROJECT_DIR / "models"), "EMBEDDING_BACKEND": "onnx",
           "ONNX_MODEL_DIR": str(PROJECT_DIR / "models" / "onnx"), "MAX_UPLOAD_MB": "1024"}
    log = (tmp_path / "uvicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, process, tmp_path / "uvicorn.log")
        assert "/docs-assets/swagger-ui-bundle.js" in httpx.get(f"{base}/docs", timeout=10).text
        bundle = httpx.get(f"{base}/docs-assets/swagger-ui-bundle.js", timeout=10)
        assert bundle.status_code == 200 and "SwaggerUIBundle" in bundle.text
        upload = "source,log_message,ticket\nsshd,Failed password for root from 203.0.113.9 port 22 ssh2,T-1\n"
        answer = httpx.post(f"{base}/classify/", files={"file": ("logs.csv", upload, "text/csv")}, timeout=60)
        assert answer.status_code == 200, answer.text
        header, row = answer.text.splitlines()
        assert header == "source,log_message,ticket,target_label"
        assert row.startswith("sshd,Failed password for root from 203.0.113.9 port 22 ssh2,T-1,")
        assert row.rsplit(",", 1)[1] in CATEGORIES
    finally:
        process.terminate()
        process.wait(20)
        log.close()


def test_public_modules_import_without_loading_anything() -> None:
    """Importing the five public modules builds no app, loads no model and reads no `.env`."""
    code = (
        "import sys\n"
        f"for name in {PUBLIC_MODULES!r}: __import__(name)\n"
        "import server\n"
        "assert 'app' not in vars(server), 'server.app was built at import'\n"
        "heavy = [m for m in ('onnxruntime', 'torch', 'sentence_transformers', 'sklearn') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_root_holds_only_the_public_modules() -> None:
    assert sorted(path.stem for path in PROJECT_DIR.glob("*.py")) == sorted(PUBLIC_MODULES)
