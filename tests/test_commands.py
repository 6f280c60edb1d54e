"""The commands people type: their --help names the command as typed and explains every option;
their errors name the problem; the README shows what the Makefile and the code do."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import make_settings

from log_classifier.api.app import create_app
from log_classifier.cli import main as cli_main
from log_classifier.config import PROJECT_DIR

TRAINING_COMMANDS = ("train", "evaluate", "generate", "mine_rules", "export_onnx", "distill_static")
README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", TRAINING_COMMANDS)
def test_training_commands_help_names_the_command_and_every_option(name: str) -> None:
    done = subprocess.run([sys.executable, "-m", f"training.{name}", "--help"], cwd=PROJECT_DIR,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: python -m training.{name} ")
    # argparse puts the help on the option's line or on the next one; an option without help has neither.
    lines = done.stdout.split("options:", 1)[1].splitlines()
    seen = 0
    for index, line in enumerate(lines):
        match = re.match(r"^  (--[a-z-]+)(?: [A-Z_]+)?(\s{2,}\S.*)?$", line)
        if match and match.group(1) != "--help":
            next_line = lines[index + 1] if index + 1 < len(lines) else ""
            has_help = match.group(2) or re.match(r"^\s{10,}\S", next_line)
            assert has_help, f"python -m training.{name}: {match.group(1)} has no help"
            seen += 1
    assert seen


def test_cli_says_the_output_folder_is_missing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-such-folder"
    code = cli_main([str(PROJECT_DIR / "resources" / "sample_logs.csv"), "--output", str(missing / "out.csv"),
                     "--no-progress"], settings=make_settings())
    assert code == 2
    assert capsys.readouterr().err == (f"error: {missing}: the output folder does not exist "
                                       "(create it, or choose another --output)\n")
    assert not missing.exists()


def test_env_example_names_every_endpoint_the_api_keys_protect() -> None:
    schema = create_app(make_settings()).openapi()
    guarded = sorted({path.rstrip("/").rsplit("/json", 1)[0] for path, operations in schema["paths"].items()
                      if any("security" in operation for operation in operations.values())})
    assert {"/classify", "/ingest"} <= set(guarded)
    comment = re.search(r"((?:^#.*\n)+)API_KEYS=", (PROJECT_DIR / ".env.example").read_text(encoding="utf-8"),
                        flags=re.MULTILINE)
    assert comment is not None
    for path in guarded:
        assert path in comment.group(1), f".env.example's API_KEYS comment does not mention {path}"


def test_readme_reload_example_watches_only_the_code() -> None:
    """`--reload` alone polls every file under the project, virtualenvs included (~20k files)."""
    for line in README.splitlines():
        if "uvicorn" in line and "--reload" in line:
            assert "--reload-dir log_classifier" in line, line


def test_readme_shows_the_installed_console_command() -> None:
    scripts = re.search(r"\[project\.scripts\]\n(\S+) = ", (PROJECT_DIR / "pyproject.toml").read_text(encoding="utf-8"))
    assert scripts is not None and f"`{scripts.group(1)} " in README


def test_gitignore_ignores_the_readme_virtualenvs() -> None:
    ignored = (PROJECT_DIR / ".gitignore").read_text(encoding="utf-8").split()
    assert {"venv/", ".venv/"} <= set(ignored)


def test_readme_make_targets_exist() -> None:
    targets = set(re.findall(r"^([a-z][a-z0-9-]*):", (PROJECT_DIR / "Makefile").read_text(encoding="utf-8"),
                             flags=re.MULTILINE))
    mentioned = set(re.findall(r"`make ([a-z][a-z0-9-]*)", README))
    assert mentioned <= targets, sorted(mentioned - targets)
    assert {"docs-assets", "spark-package", "pyenv"} <= targets


@pytest.mark.slow
def test_mine_rules_says_why_a_cluster_is_not_proposed(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    from test_training import MINING_ROWS, mining_rows, write_csv

    from training import mine_rules

    data = write_csv(tmp_path / "mine.csv", mining_rows())
    caplog.set_level(logging.INFO, logger="training.mine_rules")
    code = mine_rules.main(["--data", str(data), "--min-cluster-size", str(MINING_ROWS * 10),
                            "--output", str(tmp_path / "p.yaml")])
    assert code == 0
    reasons = [record.getMessage() for record in caplog.records if "not proposed" in record.getMessage()]
    assert reasons and all(
        reason.endswith(f"not proposed: fewer rows than --min-cluster-size {MINING_ROWS * 10}") for reason in reasons
    ), reasons

