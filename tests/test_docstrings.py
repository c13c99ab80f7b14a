"""Every public function and class of segtools that takes arguments documents them (numpydoc).

A user reads ``help(segtools.leads.gains_table)`` before the source: the ``Parameters``
section must name every argument, and a function that returns something has ``Returns``.
The examples in the docstrings run under ``pytest --doctest-modules segtools``.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "segtools"


def _public_modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if any(p.startswith("_") and p != "__init__" for p in parts) or "templates" in parts:
            continue  # private modules (and the world generators) are not the public API
        yield path


def _arguments(fn: ast.FunctionDef) -> list[str]:
    args = fn.args
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    names += [f"*{args.vararg.arg}"] if args.vararg else []
    names += [f"**{args.kwarg.arg}"] if args.kwarg else []
    return [n for n in names if n not in ("self", "cls")]


def _returns_something(fn: ast.FunctionDef) -> bool:
    if fn.name == "__init__":
        return False
    if isinstance(fn.returns, ast.Constant) and fn.returns.value is None:
        return False
    nested = {id(n) for f in ast.walk(fn) if isinstance(f, (ast.FunctionDef, ast.Lambda)) and f is not fn
              for n in ast.walk(f)}
    return any(isinstance(n, ast.Return) and n.value is not None and id(n) not in nested for n in ast.walk(fn))


def _documented(doc: str, names: list[str]) -> list[str]:
    """The problems of one docstring: missing sections or undocumented arguments."""
    problems = []
    if names:
        if "Parameters\n" not in doc:
            return ["no Parameters section"]
        section = doc.split("Parameters\n", 1)[1]
        for name in names:
            bare = name.lstrip("*")
            if not any(line.strip().startswith((bare, f"*{bare}", f"**{bare}")) or
                       f", {bare}" in line or f"{bare}," in line for line in section.splitlines()):
                problems.append(f"argument {name!r} not in Parameters")
    return problems


def _items():
    for path in _public_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                yield path, node, node
            elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                init = next((n for n in node.body if isinstance(n, ast.FunctionDef) and n.name == "__init__"), None)
                if init is not None:
                    yield path, node, init  # a class documents its constructor's arguments
                for member in node.body:
                    if (isinstance(member, ast.FunctionDef) and not member.name.startswith("_")
                            and member.name not in ("fit", "transform", "predict", "predict_proba", "fit_transform",
                                                    "get_feature_names_out", "score")
                            and not any(isinstance(d, ast.Name) and d.id == "property" for d in member.decorator_list)
                            and _arguments(member)):
                        yield path, member, member


def test_every_public_callable_documents_its_parameters_and_returns():
    missing = []
    for path, owner, fn in _items():
        doc = ast.get_docstring(owner) or ""
        where = f"{path.relative_to(PACKAGE.parent)}:{owner.lineno} {owner.name}"
        if not doc:
            missing.append(f"{where}: no docstring")
            continue
        problems = _documented(doc, _arguments(fn))
        if isinstance(owner, ast.FunctionDef) and _returns_something(fn) and "Returns\n" not in doc \
                and "Yields\n" not in doc:
            problems.append("no Returns section")
        missing += [f"{where}: {p}" for p in problems]
    assert not missing, "numpydoc gaps:\n" + "\n".join(missing)


@pytest.mark.parametrize("doc, names, expected", [
    ("Sum.\n\nParameters\n----------\na, b : int\n", ["a", "b"], []),
    ("Sum.\n\nParameters\n----------\na : int\n", ["a", "b"], ["argument 'b' not in Parameters"]),
    ("Sum.", ["a"], ["no Parameters section"]),
])
def test_the_checker_finds_what_is_missing(doc, names, expected):
    assert _documented(doc, names) == expected
