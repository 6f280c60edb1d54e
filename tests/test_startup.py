"""Starting the service: an invalid setting is one line naming it (no traceback), and a started
service says in one log line which stages are on."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from helpers import make_settings

from log_classifier.api.app import create_app
from log_classifier.config import PROJECT_DIR, Settings, get_settings
from log_classifier.errors import ConfigurationError

# The exit codes the systemd unit does not restart on (resources/log-classifier.service).
EXIT_BAD_SETTING, EXIT_STARTUP_FAILED = 2, 3
UNIT = PROJECT_DIR / "resources" / "log-classifier.service"
BAD_THRESHOLD = ("error: invalid setting BERT_THRESHOLD='2': must be less than or equal to 1 "
                 "(environment or .env; see .env.example)")


def _clean_env(**values: str) -> dict[str, str]:
    """The test's environment without the developer's settings leaking in."""
    settings = {field.upper() for field in Settings.model_fields}
    env = {name: value for name, value in os.environ.items() if name.upper() not in settings}
    return {**env, "HF_HUB_OFFLINE": "1", "GROQ_API_KEY": "", **values}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_invalid_settings_are_one_line_naming_variable_value_and_what_is_allowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("EMBEDDING_BACKEND", "gpu")
    monkeypatch.setenv("MAX_UPLOAD_MB", "lots")
    with pytest.raises(ConfigurationError) as caught:
        get_settings(_env_file=None)
    message = str(caught.value)
    assert "\n" not in message
    assert "EMBEDDING_BACKEND='gpu': must be 'onnx' or 'torch'" in message
    assert "MAX_UPLOAD_MB='lots': must be a valid integer" in message


def test_an_invalid_secret_setting_is_named_but_its_value_is_not_echoed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALERT_WEBHOOK_URL", "hooks.example.test/T0/B0/s3cr3t-token")
    with pytest.raises(ConfigurationError) as caught:
        get_settings(_env_file=None)
    assert str(caught.value).startswith("invalid setting ALERT_WEBHOOK_URL=(hidden): ALERT_WEBHOOK_URL must start with")
    assert "s3cr3t" not in str(caught.value)


def test_cli_with_a_bad_setting_exits_2_with_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "classifier.py"), str(PROJECT_DIR / "resources" / "sample_logs.csv"),
         "--output", str(tmp_path / "out.csv"), "--no-progress"],
        cwd=tmp_path, env=_clean_env(BERT_THRESHOLD="2"), capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [BAD_THRESHOLD]
    assert not (tmp_path / "out.csv").exists()


def test_cli_with_a_bad_setting_in_dot_env_exits_2_with_one_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("LLM_TIMEOUT_S=soon\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(PROJECT_DIR / "classifier.py"), str(PROJECT_DIR / "resources" / "sample_logs.csv"),
         "--output", str(tmp_path / "out.csv"), "--no-progress"],
        cwd=tmp_path, env=_clean_env(), capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: invalid setting LLM_TIMEOUT_S='soon': must be a valid number, unable to parse string as a number "
        "(environment or .env; see .env.example)"
    ]


def _uvicorn(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "uvicorn", "server:app", "--host", "127.0.0.1", "--port", str(_free_port())],
        cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120,
    )


def test_uvicorn_refuses_to_start_with_a_bad_setting_in_one_line() -> None:
    done = _uvicorn(_clean_env(BERT_THRESHOLD="2"))
    output = done.stdout + done.stderr
    assert done.returncode == EXIT_BAD_SETTING
    assert BAD_THRESHOLD in output.splitlines()
    assert "Traceback" not in output


@pytest.mark.slow
def test_uvicorn_refuses_to_start_with_an_unusable_model_dir_in_one_line(tmp_path: Path) -> None:
    """A setting only the model loading can check (the lifespan): still one line, no traceback."""
    done = _uvicorn(_clean_env(MODEL_DIR=str(tmp_path)))
    output = done.stdout + done.stderr
    assert done.returncode == EXIT_STARTUP_FAILED
    assert f"error: MODEL_DIR={tmp_path}: metadata.json is missing (run `make train`)" in output
    assert "Traceback" not in output
    assert "Application startup failed" in output


def test_start_up_logs_one_line_with_the_stages_and_why_the_llm_is_off(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="log_classifier.api.app")
    with TestClient(create_app(make_settings(api_keys="k1"))) as client:
        version = client.app.state.classifier.model_version  # type: ignore[attr-defined]
    lines = [record.getMessage() for record in caplog.records if record.getMessage().startswith("stages:")]
    assert lines == [
        f"stages: regex on; embeddings on (model {version}, onnx encoder, fast path on); "
        "LLM off (no GROQ_API_KEY: its rows come back Unclassified); X-API-Key required on /classify and /ingest"
    ]


def test_start_up_line_names_the_llm_model_when_it_is_on(caplog: pytest.LogCaptureFixture, fake_groq) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="log_classifier.api.app")
    settings = make_settings(groq_api_key="test-key", groq_base_url=fake_groq.base_url, embedding_fast_path=False)
    with TestClient(create_app(settings)):
        pass
    [line] = [record.getMessage() for record in caplog.records if record.getMessage().startswith("stages:")]
    assert "fast path off); LLM on (groq, openai/gpt-oss-120b); no API key required (API_KEYS empty)" in line


def test_the_systemd_unit_serves_on_loopback_and_does_not_restart_on_a_configuration_error() -> None:
    unit = dict(line.split("=", 1) for line in UNIT.read_text(encoding="utf-8").splitlines()
                if "=" in line and not line.startswith("#"))
    assert unit["ExecStart"].split()[1:4] == ["server:app", "--host", "127.0.0.1"]
    assert unit["ExecStart"].split()[0].endswith("/venv/bin/uvicorn")
    assert unit["RestartPreventExitStatus"].split() == [str(EXIT_BAD_SETTING), str(EXIT_STARTUP_FAILED)]
    assert unit["Restart"] == "on-failure"
