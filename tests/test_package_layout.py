"""The package's shape: its import graph has no cycle, and its map (the package docstring) names every module.

Read from the source with `ast` (nothing is imported), imports inside functions included: an import
moved into a function to dodge a cycle is still a cycle.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import log_classifier

PACKAGE_DIR = Path(log_classifier.__file__).parent


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def import_graph() -> dict[str, set[str]]:
    """module -> the package's modules it imports, anywhere in its source."""
    modules = _modules()

    def owner(name: str) -> str | None:  # `a.b.name` -> the module `a.b` that defines `name`
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        imported: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
                    package = package[: len(package) - node.level + 1]
                    base = ".".join(package + ([node.module] if node.module else []))
                imported.add(base)
                imported.update(f"{base}.{alias.name}" for alias in node.names)
        targets = {owner(name) for name in imported if name.split(".")[0] == "log_classifier"}
        graph[module] = {target for target in targets if target is not None and target != module}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle as a path `[a, b, ..., a]`, or [] when there is none (depth-first search)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> list[str]:
        state[module] = 1
        path.append(module)
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                return path[path.index(target):] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[module] = 2
        return []

    for module in sorted(graph):
        if module not in state and (cycle := visit(module)):
            return cycle
    return []


def test_the_finder_sees_a_cycle_through_a_function_level_import() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_the_graph_reads_imports_inside_functions() -> None:
    graph = import_graph()
    # cascade imports the pattern store's modules only inside a function (when the store is on)
    assert "log_classifier.patterns.corrections" in graph["log_classifier.cascade"]


def test_the_package_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle == [], "import cycle: " + " -> ".join(cycle)


def test_the_top_level_packages_import_one_way() -> None:
    """No cycle between `api`, `stages`, `text`, `patterns`, ... either (`receivers` once imported `api.metrics`)."""
    packages: dict[str, set[str]] = {}
    for module, targets in import_graph().items():
        top = module.split(".")[1] if "." in module else module
        packages.setdefault(top, set()).update(target.split(".")[1] for target in targets if "." in target)
    graph = {name: {target for target in targets if target != name and target in packages}
             for name, targets in packages.items()}
    cycle = find_cycle(graph)
    assert cycle == [], "package cycle: " + " -> ".join(cycle)


def test_config_imports_no_text_code() -> None:
    """The settings are read by text preparation (the masking rules file, the message limit), never the reverse."""
    assert not {m for m in import_graph()["log_classifier.config"] if m.startswith("log_classifier.text")}


def map_entries() -> dict[str, str]:
    """The package docstring's map: entry name (`config.py`, `api/routes/`) -> its text, continuation lines included."""
    entries: dict[str, str] = {}
    name = ""
    for line in (log_classifier.__doc__ or "").splitlines():
        if line.startswith("    ") and not line.startswith("     "):
            name, _, text = line.strip().partition(" ")
            entries[name] = text
        elif line.startswith("     ") and name:
            entries[name] += " " + line.strip()
        else:
            name = ""
    return entries


def test_the_package_map_lists_every_module() -> None:
    entries = map_entries()
    missing = []
    for module, path in _modules().items():
        parts = module.split(".")[1:]
        if not parts or path.name == "__init__.py" or "versions" in parts:  # migrations: one file per change
            continue
        *package, name = parts
        where = "/".join(package) + "/" if package else f"{name}.py"
        listed = entries.get(where, "")
        if package and not re.search(rf"(?<![\w/]){re.escape(name)}\.py\b", listed):
            missing.append(f"{name}.py under {where}")
        elif not package and where not in entries:
            missing.append(where)
    assert not missing, "log_classifier/__init__.py's map does not list: " + ", ".join(missing)
    modules = {module.split(".")[1] for module in _modules() if "." in module}
    assert {name.split("/")[0].removesuffix(".py") for name in entries} <= modules  # nothing listed that is gone
