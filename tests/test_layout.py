"""The package layout: every import runs one way between the stages, and no module
imports itself back through others (see the ``factcheck`` package docstring)."""

from __future__ import annotations

import ast
from pathlib import Path

import factcheck

PACKAGE = Path(factcheck.__file__).parent

#: Higher layers may import lower ones, never the reverse; a stage imports freely within itself.
LAYERS = {
    "__init__": 7, "__main__": 7,  # the public facade and `python -m factcheck`
    "cli": 6,
    "parallel": 5,  # its workers load a model version; its writer stores
    "model": 4,
    "review": 3,
    "store": 2,
    "extraction": 1, "embed": 1,
    "records": 0, "errors": 0, "settings": 0,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path) -> set[str]:
    """Every factcheck module ``path`` imports, at the top or inside a function."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("factcheck")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.startswith("factcheck"):
                for alias in node.names:  # `from factcheck.store import fts` imports a module
                    candidate = f"{base}.{alias.name}"
                    found.add(candidate if resolve(candidate) else base)
    return {m for m in (resolve(name) for name in found) if m and m != module}


def resolve(name: str) -> str | None:
    """The module a dotted name refers to (a name inside a module resolves to that module)."""
    parts = name.split(".")
    while parts:
        path = PACKAGE.parent.joinpath(*parts)
        if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
            return ".".join(parts)
        parts.pop()
    return None


GRAPH = {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def test_every_stage_has_a_layer():
    assert {stage(m) for m in GRAPH} <= set(LAYERS), {stage(m) for m in GRAPH} - set(LAYERS)


def test_imports_run_one_way():
    against = sorted(
        f"{module} imports {target}"
        for module, targets in GRAPH.items() for target in targets
        # Importing the package root is implicit in every import (and gives __version__).
        if target != "factcheck" and stage(target) != stage(module) and LAYERS[stage(target)] >= LAYERS[stage(module)]
    )
    assert not against, "imports against the direction cli → model → review → store → extraction, embed → " \
                        "records, errors, settings:\n" + "\n".join(against)


def test_no_import_cycles():
    cycles, state, path = [], {}, []

    def visit(module):
        state[module] = "open"
        path.append(module)
        for target in sorted(GRAPH.get(module, ())):
            if target.endswith("__main__"):
                continue
            if state.get(target) == "open":
                cycles.append(" → ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = "done"

    for module in sorted(GRAPH):
        if module not in state:
            visit(module)
    # The package facade and the CLI group re-export what lies below them; a submodule
    # importing its own package's __init__ is Python's doing, not a design cycle.
    real = [c for c in cycles if not any(part in ("factcheck", "factcheck.cli") for part in c.split(" → ")[:1])]
    assert not real, "import cycles:\n" + "\n".join(real)
