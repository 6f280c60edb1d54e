"""The training workbench end to end, through its command lines and real files in tmp_path:
train → serve → classify, training errors, rule mining with --accept, evaluation, model checks."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from helpers import make_settings

from log_classifier import cli
from log_classifier.contract import LogRecord
from log_classifier.errors import ConfigurationError, ModelMismatchError
from log_classifier.model.embedders import DEFAULT_ENCODER_NAME
from log_classifier.model.store import CLASSIFIER_FILE, FORMAT_VERSION, METADATA_FILE, RULES_FILE, load_model
from log_classifier.stages.llm import REASON_DISABLED
from log_classifier.stages.regex import RegexClassifier
from log_classifier.taxonomy import CATEGORIES, ERROR, RESOURCE_USAGE, SECURITY_ALERT, UNCLASSIFIED
from log_classifier.text.masking import mask_variables
from training import evaluate, mine_rules, train

pytestmark = pytest.mark.slow

DIMENSION = 384  # all-MiniLM-L6-v2

# Three shapes per category, none covered by resources/regex_rules.yaml; {n} and {ip} vary per row.
SHAPES: dict[str, tuple[str, ...]] = {
    "HTTP Status": (
        "GET /api/v2/items/{n} 200 {n}ms",
        "upstream {ip} answered 502 Bad Gateway for POST /checkout after {n} ms",
        "Request to /v1/users/{n} completed with status 404 in {n}ms",
    ),
    "Resource Usage": (
        "Memory usage at {n}% of {n} MB on node web-{n}",
        "Disk /var/lib at {n}% of {n} GB",
        "CPU load {n}% over the last 5 minutes on worker-{n}",
    ),
    "Critical Error": (
        "Primary database cluster unreachable, all writes failing for {n} seconds",
        "RAID array md{n} degraded beyond recovery, filesystem remounted read-only",
        "Storage controller {n} reported a fatal hardware fault, host shutting down",
    ),
    "Error": (
        "Thumbnail worker could not decode image img_{n}.png",
        "Export job {n} failed: malformed record at line {n}",
        "Failed to send notification email for ticket {n}: SMTP timeout",
    ),
    "Security Alert": (
        "Blocked {n} requests from {ip} matching SQL injection signature",
        "User {n} granted admin rights outside change window",
        "Firewall denied inbound connection from {ip} to port {n}",
    ),
    "System Notification": (
        "Nightly snapshot of volume vol-{n} finished in {n} seconds",
        "Service nginx restarted successfully on web-{n}",
        "Scheduled cleanup removed {n} temporary files",
    ),
    "User Action": (
        "User u_{n} signed out",
        "User {n} updated their profile picture",
        "Account {n} created via signup form",
    ),
    "Workflow Error": (
        "Refund approval for order {n} stalled: approver role vacant",
        "Lead {n} could not be routed, no territory matches",
        "Escalation rule for ticket {n} failed: no on-call group assigned",
    ),
    "Deprecation Warning": (
        "API version v{n} reaches end of life next quarter; migrate to v{n}",
        "Setting max_conn_per_host is obsolete and ignored since release {n}",
        "Endpoint /v1/export is scheduled for retirement; use /v2/export instead",
    ),
}
ROWS_PER_SHAPE = 5


def fill(template: str, rng: random.Random) -> str:
    """`template` with a fresh number for each {n} and a fresh address for each {ip}."""
    text = re.sub(r"\{n\}", lambda _: str(rng.randint(1, 99999)), template)
    return re.sub(r"\{ip\}", lambda _: f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}", text)


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def labelled_rows(seed: int, rows_per_shape: int = ROWS_PER_SHAPE) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [
        {"source": "app", "log_message": fill(template, rng), "target_label": label, "template": f"{label}/{index}"}
        for label, templates in SHAPES.items()
        for index, template in enumerate(templates)
        for _ in range(rows_per_shape)
    ]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model trained once for this module through the training command line."""
    root = tmp_path_factory.mktemp("trained")
    data = write_csv(root / "train.csv", labelled_rows(seed=1))
    assert train.main(["--data", str(data), "--output-dir", str(root / "model")]) == 0
    return root / "model"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No .env and no service variables leaking into get_settings()."""
    monkeypatch.chdir(tmp_path)
    for name in ("GROQ_API_KEY", "MODEL_DIR", "EMBEDDING_MODEL", "BERT_THRESHOLD", "LLM_SOURCES"):
        monkeypatch.delenv(name, raising=False)
    yield


# --------------------------------------------------------------------------- (a) train → serve


def test_trained_model_serves_known_shapes_through_the_api(model_dir: Path) -> None:
    metadata = json.loads((model_dir / METADATA_FILE).read_text(encoding="utf-8"))
    assert sorted(metadata["labels"]) == sorted(CATEGORIES)
    assert metadata["data"]["rows"] == len(SHAPES) * 3 * ROWS_PER_SHAPE
    assert not list(model_dir.glob("*.tmp"))

    rng = random.Random(99)  # fresh ids: the same shapes, not the same lines
    sample = [(label, fill(templates[0], rng)) for label, templates in SHAPES.items()]
    body = io.StringIO()
    writer = csv.writer(body)
    writer.writerow(["source", "log_message"])
    writer.writerows([("app", message) for _, message in sample])

    from log_classifier.api.app import create_app

    with TestClient(create_app(make_settings(model_dir=model_dir))) as client:
        response = client.post("/classify/?explain=true", files={"file": ("logs.csv", body.getvalue(), "text/csv")})
        health = client.get("/health").json()
    assert response.status_code == 200, response.text
    out = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["log_message"] for row in out] == [message for _, message in sample]
    assert [row["target_label"] for row in out] == [label for label, _ in sample]
    assert {row["classified_by"] for row in out} == {"bert"}
    # The full model, or its fast path where training found that safe.
    assert {row["reason"] for row in out} <= {f"model:{metadata['model_version']}", f"model:{metadata['model_version']}:fast"}
    assert health["model"]["version"] == metadata["model_version"]


# --------------------------------------------------------------------------- (b) training errors


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        pytest.param("source,message,label\napp,Disk full,Error\n", "missing column(s) log_message, target_label",
                     id="missing-columns"),
        pytest.param("", "the file is empty", id="empty-file"),
        pytest.param("source,log_message,target_label\n", "no rows with a log_message", id="header-only"),
        pytest.param("source,log_message,target_label\napp,Disk full,Oops\n", "unknown target_label value(s) ['Oops']",
                     id="unknown-label"),
    ],
)
def test_training_refuses_unusable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, complaint: str
) -> None:
    data = tmp_path / "data.csv"
    data.write_text(content, encoding="utf-8")
    assert train.main(["--data", str(data), "--output-dir", str(tmp_path / "model")]) != 0
    err = capsys.readouterr().err
    assert "error:" in err and complaint in err
    assert not (tmp_path / "model").exists()


def test_training_refuses_a_single_learnable_category(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(5)
    rows = [{"source": "app", "log_message": fill(SHAPES[ERROR][0], rng), "target_label": ERROR} for _ in range(12)]
    rows += [{"source": "app", "log_message": fill(SHAPES[RESOURCE_USAGE][1], rng), "target_label": RESOURCE_USAGE}
             for _ in range(2)]
    data = write_csv(tmp_path / "data.csv", rows)
    assert train.main(["--data", str(data), "--output-dir", str(tmp_path / "model")]) != 0
    err = capsys.readouterr().err
    assert "too few examples to learn" in err
    assert "Error=12" in err and "Resource Usage=2" in err
    assert not (tmp_path / "model").exists()


def test_training_refuses_too_few_shapes_to_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Two categories, one shape each: a split by shape leaves one category to train on.
    rng = random.Random(6)
    rows = [{"source": "app", "log_message": fill(SHAPES[label][0], rng), "target_label": label}
            for label in (ERROR, RESOURCE_USAGE) for _ in range(12)]
    data = write_csv(tmp_path / "data.csv", rows)
    assert train.main(["--data", str(data), "--output-dir", str(tmp_path / "model")]) != 0
    assert "too few distinct message shapes" in capsys.readouterr().err
    assert not (tmp_path / "model").exists()


def test_training_a_missing_file_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert train.main(["--data", str(tmp_path / "nope.csv"), "--output-dir", str(tmp_path / "model")]) != 0
    assert "nope.csv: no such file" in capsys.readouterr().err
    assert not (tmp_path / "model").exists()


# --------------------------------------------------------------------------- (c) rule mining

MINING_SHAPES = {
    # the worker name is not a masked token: it varies, so the pattern must generalise over it
    ERROR: "Replication worker {worker} lost its lease on partition {n} and gave up after {n} retries",
    RESOURCE_USAGE: "Tenant quota check: {n} of {n} vCPU and {n} GB memory allocated in pool {worker}",
    SECURITY_ALERT: "WAF blocked cross-site scripting payload from {ip} targeting the login form",
}
MINING_ROWS = 30


def mining_rows() -> list[dict[str, str]]:
    rng = random.Random(7)
    workers = ("alpha", "bravo", "charlie", "delta")
    return [
        {"source": "app", "log_message": fill(template.replace("{worker}", rng.choice(workers)), rng),
         "target_label": label}
        for label, template in MINING_SHAPES.items()
        for _ in range(MINING_ROWS)
    ]


def test_mined_rules_cover_repeated_shapes_and_accept_writes_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = mining_rows()
    data = write_csv(tmp_path / "mine.csv", rows)
    proposals = tmp_path / "proposals.yaml"
    model = tmp_path / "model"
    code = mine_rules.main(["--data", str(data), "--min-cluster-size", "20", "--output", str(proposals),
                            "--accept", "--model-dir", str(model)])
    assert code == 0
    out = capsys.readouterr().out

    proposed = yaml.safe_load(proposals.read_text(encoding="utf-8"))["rules"]
    assert sorted(rule["label"] for rule in proposed) == sorted(MINING_SHAPES)
    for rule in proposed:
        assert re.fullmatch(r"mined-[a-z-]+-\d+", rule["name"])
        # the report line: name, label, coverage == the shape's rows, purity 1.0
        assert re.search(rf"{re.escape(rule['name'])}\s+{re.escape(rule['label'])}\s+coverage\s+{MINING_ROWS}\b"
                         r".*purity 1\.000", out), out
    # rules see masked text: placeholders are kept literally
    assert any("<NUM>" in rule["pattern"] for rule in proposed)

    accepted = RegexClassifier.from_files(model / RULES_FILE)
    assert [rule.name for rule in accepted.rules] == [rule["name"] for rule in proposed]
    predictions = accepted.classify_batch([LogRecord("app", mask_variables(row["log_message"])) for row in rows])
    assert [p.label if p else None for p in predictions] == [row["target_label"] for row in rows]
    # each rule covers exactly the rows of its own shape
    for rule in accepted.rules:
        assert sum(1 for p in predictions if p and p.reason == f"rule:{rule.name}") == MINING_ROWS


def test_accepting_again_adds_no_duplicate_patterns(tmp_path: Path) -> None:
    rules_file = tmp_path / "model" / RULES_FILE
    first = [mine_rules.Proposal("mined-error-1", ERROR, r"^Job <NUM> failed$", 10, 1.0, 10)]
    assert mine_rules.merge_rules(rules_file, first) == first
    again = first + [mine_rules.Proposal("mined-error-2", ERROR, r"^Task <NUM> crashed$", 8, 1.0, 8)]
    assert [p.name for p in mine_rules.merge_rules(rules_file, again)] == ["mined-error-2"]
    loaded = RegexClassifier.from_files(rules_file)
    assert [rule.pattern.pattern for rule in loaded.rules] == [r"^Job <NUM> failed$", r"^Task <NUM> crashed$"]


def test_build_pattern_keeps_shared_tokens_and_generalises_the_rest() -> None:
    pattern = mine_rules.build_pattern([
        "<TS> web-<NUM> Replication worker alpha lost its lease",
        "Replication worker bravo lost its lease",
    ])
    assert pattern == r"(?<!\S)Replication worker (?:\S+ )lost its lease$"
    assert mine_rules.build_pattern(["<NUM> ok", "<NUM> no"]) is None  # too generic to be a rule


def test_mining_errors_exit_non_zero_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "bad.csv"
    data.write_text("source,text\napp,hello\n", encoding="utf-8")
    assert mine_rules.main(["--data", str(data), "--output", str(tmp_path / "p.yaml")]) != 0
    assert "missing column(s) log_message, target_label" in capsys.readouterr().err
    assert not (tmp_path / "p.yaml").exists()
    with pytest.raises(SystemExit) as exit_info:
        mine_rules.main(["--data", str(data), "--accept"])
    assert exit_info.value.code != 0
    assert "--accept needs --model-dir" in capsys.readouterr().err


# --------------------------------------------------------------------------- (d) evaluation


def test_evaluate_writes_png_and_json_consistent_with_the_input(
    model_dir: Path, tmp_path: Path, clean_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = labelled_rows(seed=3, rows_per_shape=2)
    # LegacyCRM is routed to the LLM, which is disabled here: these rows come back Unclassified.
    rows += [{"source": "LegacyCRM", "log_message": "Lead 4411 could not be routed, no territory matches",
              "target_label": "Workflow Error", "template": "crm"}] * 2
    data = write_csv(tmp_path / "eval.csv", rows)
    output = tmp_path / "eval"
    seven = [label for label in CATEGORIES if label not in ("Workflow Error", "Deprecation Warning")]
    code = evaluate.main(["--data", str(data), "--model-dir", str(model_dir), "--output-dir", str(output),
                          "--categories", ",".join(seven)])
    assert code == 0
    out = capsys.readouterr().out

    png = (output / evaluate.CONFUSION_FILE).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    figures = json.loads((output / evaluate.METRICS_FILE).read_text(encoding="utf-8"))
    total = len(rows)
    assert figures["rows"] == total
    assert figures["llm_enabled"] is False
    assert figures["llm_rows"] == 2 and figures["llm_labelled_rows"] == 0
    assert figures["unclassified_rows"] == 2
    matrix = figures["confusion"]["matrix"]
    labels = figures["confusion"]["labels"]
    assert labels == [*CATEGORIES, UNCLASSIFIED]
    assert sum(map(sum, matrix)) == total
    correct = sum(matrix[i][i] for i in range(len(labels)))
    assert figures["accuracy"] == round(correct / total, 4)
    assert correct == total - 2  # known shapes right; the two LLM-routed rows Unclassified
    supports = {label: scores["support"] for label, scores in figures["per_category"].items()}
    assert supports["Workflow Error"] == 3 * 2 + 2 and supports[ERROR] == 3 * 2 and supports[UNCLASSIFIED] == 0
    assert figures["stages"]["bert"]["rows"] == total - 2
    assert figures["stages"]["none"] == {"rows": 2, "coverage": round(2 / total, 4), "accuracy": 0.0}
    assert figures["unresolved_reasons"] == {REASON_DISABLED: 2}
    assert sum(stage["rows"] for stage in figures["stages"].values()) == total
    balanced = figures["template_balanced"]
    assert balanced["column"] == "template" and balanced["templates"] == len(SHAPES) * 3 + 1
    assert balanced["accuracy"] == round((len(SHAPES) * 3) / (len(SHAPES) * 3 + 1), 4)
    assert figures["subset"]["categories"] == seven
    assert figures["subset"]["rows"] == 7 * 3 * 2 and figures["subset"]["accuracy"] == 1.0
    assert f"accuracy {figures['accuracy']:.4f}" in out and "rows that reached the LLM stage: 2" in out


def test_evaluate_rejects_unknown_categories(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        evaluate.main(["--data", str(tmp_path / "x.csv"), "--categories", "Error,Nonsense"])
    assert exit_info.value.code != 0
    assert "unknown categories ['Nonsense']" in capsys.readouterr().err


# --------------------------------------------------------------------------- (e) model checks at load


def edited_copy(model_dir: Path, target: Path, **metadata_changes: object) -> Path:
    shutil.copytree(model_dir, target)
    metadata = json.loads((target / METADATA_FILE).read_text(encoding="utf-8"))
    metadata.update(metadata_changes)
    (target / METADATA_FILE).write_text(json.dumps(metadata), encoding="utf-8")
    return target


def test_the_trained_model_loads(model_dir: Path) -> None:
    stored = load_model(model_dir, encoder=DEFAULT_ENCODER_NAME, dimension=DIMENSION)
    assert sorted(stored.labels) == sorted(CATEGORIES)


def test_model_built_with_another_encoder_fails_at_load(model_dir: Path, tmp_path: Path) -> None:
    directory = edited_copy(model_dir, tmp_path / "m", encoder={"name": "bge-small-en", "dimension": DIMENSION})
    with pytest.raises(ModelMismatchError, match="built with encoder 'bge-small-en'.*all-MiniLM-L6-v2"):
        load_model(directory, encoder=DEFAULT_ENCODER_NAME, dimension=DIMENSION)


def test_model_with_an_unknown_label_fails_at_load(model_dir: Path, tmp_path: Path) -> None:
    metadata = json.loads((model_dir / METADATA_FILE).read_text(encoding="utf-8"))
    directory = edited_copy(model_dir, tmp_path / "m", labels=[*metadata["labels"][:-1], "Cosmic Rays"])
    with pytest.raises(ModelMismatchError, match=r"labels \['Cosmic Rays'\] are not categories"):
        load_model(directory, encoder=DEFAULT_ENCODER_NAME, dimension=DIMENSION)


def test_model_with_a_corrupt_classifier_fails_at_load(model_dir: Path, tmp_path: Path) -> None:
    directory = edited_copy(model_dir, tmp_path / "m")
    (directory / CLASSIFIER_FILE).write_bytes(b"not a joblib pickle")
    with pytest.raises(ConfigurationError, match=f"{CLASSIFIER_FILE} is unreadable"):
        load_model(directory, encoder=DEFAULT_ENCODER_NAME, dimension=DIMENSION)


def test_model_for_another_embedding_size_fails_at_load(model_dir: Path) -> None:
    with pytest.raises(ModelMismatchError, match="expects 384-dimensional embeddings"):
        load_model(model_dir, encoder=DEFAULT_ENCODER_NAME, dimension=768)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"encoder": "x"}, "encoder", "valid dictionary"),
        ({"threshold": None}, "threshold", "valid number"),
        ({"threshold": 1.5}, "threshold", "less than or equal to 1"),
        ({"labels": []}, "labels", "at least 1 item"),
        ({"versions": None}, "versions", "valid dictionary"),
    ],
)
def test_malformed_metadata_fails_at_load_naming_the_field(
    model_dir: Path, tmp_path: Path, changes: dict[str, object], field: str, message: str
) -> None:
    directory = edited_copy(model_dir, tmp_path / "m", **changes)
    with pytest.raises(ConfigurationError, match=rf"{METADATA_FILE} is malformed \({field}: .*{message}"):
        load_model(directory, encoder=DEFAULT_ENCODER_NAME, dimension=DIMENSION)


def test_metadata_of_another_format_fails_at_load(model_dir: Path, tmp_path: Path) -> None:
    assert json.loads((model_dir / METADATA_FILE).read_text(encoding="utf-8"))["format"] == FORMAT_VERSION
    directory = edited_copy(model_dir, tmp_path / "m", format=FORMAT_VERSION + 1)
    with pytest.raises(ModelMismatchError, match=f"format {FORMAT_VERSION + 1}, this service reads format {FORMAT_VERSION}"):
        load_model(directory, encoder=DEFAULT_ENCODER_NAME, dimension=DIMENSION)


def test_cli_with_malformed_metadata_exits_2_with_a_message(
    model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    directory = edited_copy(model_dir, tmp_path / "m", encoder="x", threshold=None)
    source = tmp_path / "in.csv"
    source.write_text("source,log_message\napp,Disk usage at 91% of quota\n", encoding="utf-8")

    code = cli.main([str(source), "--output", str(tmp_path / "out.csv"), "--no-progress"],
                    settings=make_settings(model_dir=directory))

    assert code == cli.EXIT_ERROR == 2
    err = capsys.readouterr().err
    [message] = [line for line in err.splitlines() if line.startswith("error: ")]
    assert message.startswith("error: MODEL_DIR=") and "encoder: " in message and "threshold: " in message
    assert "Traceback" not in err
    assert not (tmp_path / "out.csv").exists()


def test_the_c_grid_option_pins_or_lists_regularisation_values() -> None:
    import argparse

    from training.train import _c_grid

    assert _c_grid("16") == (16.0,)
    assert _c_grid("4,16,64") == (4.0, 16.0, 64.0)
    for bad in ("", "a,16", "0", "-4,16"):
        with pytest.raises(argparse.ArgumentTypeError):
            _c_grid(bad)
