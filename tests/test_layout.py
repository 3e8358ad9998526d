"""The code's layout holds what docs/architecture.md says of it: no import cycles, and the
stages import only earlier stages and the shared modules, never a later one."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "plangen"
ARCHITECTURE = Path(__file__).resolve().parent.parent / "docs" / "architecture.md"
#: What each stage may import besides itself: the top-level shared modules and office.
SHARED = {"model", "serial", "problems", "errors", "files", "text", "office"}
MAY_IMPORT = {
    "office": {"errors", "problems", "model"},
    "inputs": SHARED,
    "template": SHARED,
    "outputs": SHARED | {"inputs", "template"},
    "accessibility": SHARED,
}


def modules() -> dict[str, Path]:
    found = {}
    for path in SOURCE.rglob("*.py"):
        parts = ("plangen", *path.relative_to(SOURCE).with_suffix("").parts)
        name = ".".join(parts).removesuffix(".__init__")
        found[name] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> Iterator[str]:
    """The plangen modules a module imports, wherever the import stands in it."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("plangen"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield full if full in known else node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name.startswith("plangen"))


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: {target for target in imports(path, known) if target in known}
            for name, path in known.items()}


def stage(module: str) -> str:
    """'plangen.inputs.read' -> 'inputs'; 'plangen.model' -> 'model'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_no_module_imports_itself_round_a_cycle() -> None:
    edges = graph()
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str], done: set[str]) -> None:
        for target in sorted(edges[node]):
            if target in path:
                cycles.append([*path[path.index(target):], target])
            elif target not in done:
                visit(target, [*path, target], done)
        done.add(node)

    done: set[str] = set()
    for start in sorted(edges):
        if start not in done:
            visit(start, [start], done)
    assert cycles == []


def test_each_stage_imports_only_what_comes_before_it() -> None:
    wrong = []
    for module, targets in graph().items():
        allowed = MAY_IMPORT.get(stage(module))
        if allowed is None:  # the top-level modules: cli and build import every stage
            continue
        for target in targets:
            if stage(target) != stage(module) and stage(target) not in allowed:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_the_architecture_page_names_every_module() -> None:
    page = ARCHITECTURE.read_text(encoding="utf-8")
    unnamed = [name for name, path in modules().items() if path.name != "__init__.py"
               and f"`{name.rsplit('.', 1)[1]}`" not in page]
    assert unnamed == [], "add a line for each to docs/architecture.md"
