"""The error catalogue: every code raised in factcheck/ is catalogued, unique, used,
and tells its class (each hundred belongs to one class: factcheck.errors.RANGES).

The codes are read from the source with ``ast``: calls of an error class with
``code="Fnnn"``, and calls of a helper that passes one of its parameters on as an
error class's ``code=`` (``_bad(message, "F704", where)`` in verdict import,
``_verified_manifest(..., absent_code="F206", code="F207")``). The one place that picks
a code at run time, the SQLite mapping :func:`factcheck.store.db.store_error`, is
checked through its table.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections import Counter, defaultdict
from pathlib import Path

import factcheck
from factcheck import errors
from factcheck.store import db as store_db

PACKAGE = Path(factcheck.__file__).parent
CLASSES = {name: obj for name, obj in vars(errors).items()
           if inspect.isclass(obj) and issubclass(obj, errors.FactcheckError)}
#: (module, function) that build an error with a code computed at run time; checked apart.
DYNAMIC = {("store/db.py", "store_error")}
CODE = re.compile(r"\bF\d{3}\b")


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _modules() -> dict[str, ast.Module]:
    return {str(p.relative_to(PACKAGE)): ast.parse(p.read_text("utf-8")) for p in sorted(PACKAGE.rglob("*.py"))}


def _functions(tree: ast.Module):
    """(function, its innermost calls) for every def, so a call belongs to one function."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _enclosing(tree: ast.Module) -> dict[int, str]:
    """id(call) -> name of the innermost function around it."""
    owner: dict[int, str] = {}
    for fn in _functions(tree):
        for node in ast.walk(fn):
            if isinstance(node, ast.Call):
                owner[id(node)] = fn.name  # inner defs come later in ast.walk and win
    return owner


def raised_codes() -> tuple[list[tuple[str, str, str]], list[str]]:
    """([(class name, code, where)], [calls whose code could not be read])."""
    modules = _modules()
    # Helpers: function name -> [(class name, parameter name, positional index or None)].
    helpers: dict[str, list[tuple[str, str, int | None]]] = defaultdict(list)
    for tree in modules.values():
        for fn in _functions(tree):
            positional = [a.arg for a in fn.args.posonlyargs + fn.args.args]
            params = set(positional) | {a.arg for a in fn.args.kwonlyargs}
            for node in ast.walk(fn):
                if isinstance(node, ast.Call) and _name(node.func) in CLASSES:
                    for kw in node.keywords:
                        if kw.arg == "code" and isinstance(kw.value, ast.Name) and kw.value.id in params:
                            index = positional.index(kw.value.id) if kw.value.id in positional else None
                            helpers[fn.name].append((_name(node.func), kw.value.id, index))
    found, unread = [], []
    for module, tree in modules.items():
        owner = _enclosing(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name, where = _name(node.func), f"{module}:{node.lineno}"
            if name in CLASSES:
                for kw in node.keywords:
                    if kw.arg != "code":
                        continue
                    if isinstance(kw.value, ast.Constant):
                        found.append((name, kw.value.value, where))
                    elif not (isinstance(kw.value, ast.Name) and owner.get(id(node)) in helpers) \
                            and (module, owner.get(id(node))) not in DYNAMIC:
                        unread.append(f"{where} {ast.unparse(node)[:80]}")
            for cls, param, index in helpers.get(name, []):
                arg = next((kw.value for kw in node.keywords if kw.arg == param), None)
                if arg is None and index is not None and index < len(node.args):
                    arg = node.args[index]
                if arg is None:
                    continue  # a default, or the helper's own recursion
                if isinstance(arg, ast.Constant):
                    found.append((cls, arg.value, where))
                elif not (isinstance(arg, ast.Name) and owner.get(id(node)) in helpers):
                    unread.append(f"{where} {ast.unparse(node)[:80]}")
    return found, unread


def test_ranges_give_each_hundred_one_class():
    hundreds = Counter(h for ranges in errors.RANGES.values() for first, last in ranges
                       for h in range(first // 100, last // 100 + 1))
    assert all(n == 1 for n in hundreds.values()), hundreds
    for first, last in (r for ranges in errors.RANGES.values() for r in ranges):
        assert first % 100 == 0 and last == first + 99, (first, last)
    assert set(errors.RANGES) == set(CLASSES.values())
    for cls in CLASSES.values():
        assert errors.class_of(cls.code) is cls, cls  # a class's own code is in its range
    assert errors.class_of("F301") is errors.StoreError and errors.class_of("F605") is errors.InputError
    assert errors.class_of("F707") is errors.AnnotationError and errors.class_of("F901") is None
    assert errors.class_of("301") is None and errors.class_of("F30") is None


def test_every_code_raised_is_catalogued_and_tells_its_class():
    found, unread = raised_codes()
    assert not unread, f"codes the test cannot read (pass a literal, or a helper parameter): {unread}"
    assert len(found) > 80  # the walk sees the package (it once read only the top-level modules)
    wrong = [(cls, code, where) for cls, code, where in found if errors.class_of(code) is not CLASSES[cls]]
    assert not wrong, "codes outside their class's range (factcheck.errors.RANGES): " + "; ".join(
        f"{cls}({code}) at {where}" for cls, code, where in wrong)
    uncatalogued = sorted({code for _, code, _ in found} - set(errors.CODES))
    assert not uncatalogued, f"codes raised but not in factcheck.errors.CODES: {uncatalogued}"
    # A code means one kind of problem: one class raises it.
    by_code = defaultdict(set)
    for cls, code, _ in found:
        by_code[code].add(cls)
    assert all(len(classes) == 1 for classes in by_code.values()), {c: s for c, s in by_code.items() if len(s) > 1}


def test_the_sqlite_mapping_uses_store_codes():
    codes = [code for code, _, _ in store_db._KINDS]
    assert len(codes) == len(set(codes))
    assert all(errors.class_of(code) is errors.StoreError and code in errors.CODES for code in codes)


def test_every_catalogued_code_is_used_once_and_tells_a_class():
    tree = ast.parse((PACKAGE / "errors.py").read_text("utf-8"))
    catalogue = next(node.value for node in ast.walk(tree) if isinstance(node, ast.AnnAssign)
                     and getattr(node.target, "id", None) == "CODES")
    keys = [k.value for k in catalogue.keys]
    duplicates = sorted(code for code, n in Counter(keys).items() if n > 1)
    assert not duplicates, f"codes listed twice in CODES: {duplicates}"
    assert all(CODE.fullmatch(code) for code in keys)
    assert all(errors.class_of(code) is not None for code in keys), [c for c in keys if errors.class_of(c) is None]
    found, _ = raised_codes()
    used = ({code for _, code, _ in found} | {cls.code for cls in CLASSES.values()}
            | {code for code, _, _ in store_db._KINDS})
    unused = sorted(set(keys) - used)
    assert not unused, f"codes in CODES that nothing raises: {unused}"


def test_every_code_literal_in_the_package_is_catalogued():
    """A code written anywhere (a docstring, a message, a helper's argument) is one of CODES
    (errors.py itself, which also spells out the ranges, aside)."""
    loose = defaultdict(list)
    for module, tree in _modules().items():
        if module == "errors.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                for code in CODE.findall(node.value):
                    if code not in errors.CODES:
                        loose[code].append(module)
    assert not loose, f"codes mentioned in factcheck/ but not in CODES (renumbered?): {dict(loose)}"
