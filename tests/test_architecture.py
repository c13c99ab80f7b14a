"""The package's shape, read from its source with ``ast``: import graph, layers, private names, sizes.

The import graph has one node per module of ``segtools`` and one edge per import statement,
wherever it stands (top of the module or inside a function), absolute or relative.
``from a.b import c`` is an edge to ``a.b.c`` when that is a module, else to ``a.b``.
Lazy ``__getattr__`` loaders (``import_module(f"...")``) are not edges: they run on first
attribute access, never at import time, and only ever reach the package's own children.
"""

from __future__ import annotations

import ast
import itertools
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

import segtools

ROOT = Path(segtools.__file__).resolve().parent
PACKAGE = "segtools"

MAX_TOP_LEVEL_MODULES = 6
MAX_LINES = 400
WORLDS = "segtools.data._worlds"

#: (importer package, packages or modules it must never import, why)
LAYERS = [
    ("segtools.data", ["segtools.customers", "segtools.leads", "segtools.compare", "segtools.over_time",
                       "segtools.audiences", "segtools.engines", "segtools.plots", "segtools.widgets",
                       "segtools.reporting", "segtools.workbook", "segtools.cli"],
     "data is the bottom layer: it knows the tables, not the analyses"),
    ("segtools.customers", ["segtools.leads", "segtools.compare", "segtools.audiences", "segtools.engines",
                            "segtools.plots", "segtools.widgets", "segtools.reporting", "segtools.workbook",
                            "segtools.cli"], "customer and lead segmentation stand side by side, below the rest"),
    ("segtools.leads", ["segtools.customers", "segtools.compare", "segtools.audiences", "segtools.engines",
                        "segtools.plots", "segtools.widgets", "segtools.reporting", "segtools.workbook",
                        "segtools.cli"], "customer and lead segmentation stand side by side, below the rest"),
    ("segtools.audiences", ["segtools.plots", "segtools.widgets", "segtools.reporting", "segtools.workbook",
                            "segtools.cli"], "the software chapter's segments are tables; charts and reports sit above"),
    ("segtools.engines", ["segtools.plots", "segtools.widgets", "segtools.reporting", "segtools.workbook",
                          "segtools.cli"], "engines compute the definitions; reports and the command sit above"),
    ("segtools.compare", ["segtools.plots", "segtools.widgets", "segtools.reporting", "segtools.workbook",
                          "segtools.cli"], "compare computes tables; charts and reports sit above it"),
    ("segtools.over_time", ["segtools.plots", "segtools.widgets", "segtools.reporting", "segtools.workbook",
                            "segtools.cli"], "over_time computes tables; charts and reports sit above it"),
    ("segtools.plots", ["segtools.reporting", "segtools.workbook", "segtools.cli"],
     "charts are used by reports and notebooks, not the other way round"),
    ("segtools.widgets", ["segtools.reporting", "segtools.workbook", "segtools.cli"],
     "widgets are used by notebooks, not by reports"),
    ("segtools.reporting", ["segtools.workbook", "segtools.cli"], "the CLI and the notebooks call reporting"),
]


# --------------------------------------------------------------------------------------------- the checker


@dataclass(frozen=True)
class Import:
    importer: str  # module doing the import
    target: str  # module imported (resolved to a module of the package when it is one)
    name: str  # the full dotted name written (module plus imported name for ``from`` imports)
    path: Path
    line: int

    def where(self, root: Path) -> str:
        return f"{self.path.relative_to(root.parent)}:{self.line}"


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Every ``.py`` file under ``root`` as its dotted module name (``pkg/a/__init__.py`` -> ``pkg.a``)."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _resolve_relative(importer: str, path: Path, level: int, module: str | None) -> str:
    base = importer.split(".") if _is_package(path) else importer.split(".")[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join([*base, *([module] if module else [])])


def _known(name: str, modules: dict[str, Path]) -> str:
    """The longest prefix of ``name`` that is a module of the package, or ``name`` itself if none is."""
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        if ".".join(parts[:n]) in modules:
            return ".".join(parts[:n])
    return name


def imports_of(root: Path, package: str) -> tuple[dict[str, Path], list[Import]]:
    """The package's modules and every import statement in them (function-level ones included)."""
    modules = module_files(root, package)
    found = []
    for importer, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    found.append(Import(importer, _known(alias.name, modules), alias.name, path, node.lineno))
            elif isinstance(node, ast.ImportFrom):
                base = (_resolve_relative(importer, path, node.level, node.module) if node.level
                        else node.module or "")
                if base == "__future__":
                    continue
                for alias in node.names:
                    full = f"{base}.{alias.name}" if alias.name != "*" else base
                    target = full if full in modules else _known(base, modules)
                    found.append(Import(importer, target, full, path, node.lineno))
    return modules, found


def graph_of(modules, imports) -> dict[str, dict[str, Import]]:
    """Module -> {module of the package it imports: the first such import statement}."""
    graph = {m: {} for m in modules}
    for imp in imports:
        if imp.target in modules and imp.target != imp.importer:
            graph[imp.importer].setdefault(imp.target, imp)
    return graph


def find_cycles(graph) -> list[list[str]]:
    """One cycle (``[a, b, ..., a]``) per strongly connected component of more than one module (Tarjan)."""
    index, low, on_stack, stack, components = {}, {}, set(), [], []
    counter = [0]

    def strongconnect(v):  # recursion depth is bounded by the number of modules (~100)
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(set(component))

    for v in sorted(graph):
        if v not in index:
            strongconnect(v)

    cycles = []
    for component in components:
        start = min(component)
        # breadth-first search inside the component for the shortest way back to ``start``
        previous, frontier = {start: None}, [start]
        back = None
        while frontier and back is None:
            nxt = []
            for v in frontier:
                for w in sorted(graph[v]):
                    if w == start:
                        back = v
                        break
                    if w in component and w not in previous:
                        previous[w] = v
                        nxt.append(w)
                if back is not None:
                    break
            frontier = nxt
        path = [back]
        while previous[path[-1]] is not None:
            path.append(previous[path[-1]])
        cycles.append([*reversed(path), start])
    return cycles


def describe_cycle(cycle, graph, root) -> str:
    steps = [f"  {a} -> {b}  ({graph[a][b].where(root)})" for a, b in itertools.pairwise(cycle)]
    return " -> ".join(cycle) + "\n" + "\n".join(steps)


def private_imports(imports) -> list[tuple[Import, str]]:
    """Imports of a private name (``_x``, not ``__x__``) from outside the package that owns it.

    ``a.b._x`` (module or name) belongs to package ``a.b``: only ``a.b`` and modules under it
    may import it. Every private part of the dotted name is checked.
    """
    bad = []
    for imp in imports:
        parts = imp.name.split(".")
        for i, part in enumerate(parts):
            if part.startswith("_") and not (part.startswith("__") and part.endswith("__")):
                owner = ".".join(parts[:i])
                if not (imp.importer == owner or imp.importer.startswith(owner + ".")):
                    bad.append((imp, owner))
                    break
    return bad


def _inside(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


# --------------------------------------------------------------------------------------------- the tests


@pytest.fixture(scope="module")
def tree():
    modules, imports = imports_of(ROOT, PACKAGE)
    return modules, imports, graph_of(modules, imports)


def test_the_graph_sees_every_kind_of_import(tree):
    modules, _, graph = tree
    assert len(modules) > 50 and "segtools.data._worlds.engine" in modules
    # a function-level import (cli imports reporting inside a function) is an edge
    assert "segtools.reporting" in graph["segtools.cli"]
    assert "segtools._validation" in graph["segtools.customers.rfm"]


def test_no_import_cycles(tree):
    _, _, graph = tree
    cycles = find_cycles(graph)
    assert not cycles, "import cycle(s) between modules of segtools:\n" + "\n".join(
        describe_cycle(c, graph, ROOT) for c in cycles)


def test_no_private_imports_across_packages(tree):
    _, imports, _ = tree
    bad = private_imports(imports)
    assert not bad, "private names imported from outside the package that owns them:\n" + "\n".join(
        f"  {imp.where(ROOT)}: {imp.importer} imports {imp.name} (private to {owner or 'the top level'}; "
        f"only {owner}.* may import it)" for imp, owner in bad)


def test_few_modules_at_the_top_of_the_package():
    top = sorted(p.name for p in ROOT.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, (
        f"{len(top)} modules directly in segtools/ ({', '.join(top)}); at most {MAX_TOP_LEVEL_MODULES}: "
        "put new ones in a subpackage")


def test_no_module_is_too_long(tree):
    modules, _, _ = tree
    long = {name: n for name, path in modules.items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"modules over {MAX_LINES} lines (split them): " + ", ".join(
        f"{modules[m].relative_to(ROOT.parent)} ({n} lines)" for m, n in sorted(long.items()))


def test_world_generators_know_no_analysis(tree):
    _, imports, _ = tree
    bad = [imp for imp in imports if _inside(imp.importer, WORLDS) and _inside(imp.name, PACKAGE)
           and not _inside(imp.name, WORLDS)]
    assert not bad, f"the world generators ({WORLDS}) may import only each other:\n" + "\n".join(
        f"  {imp.where(ROOT)}: {imp.importer} imports {imp.name}" for imp in bad)


@pytest.mark.parametrize("importer, forbidden, why", LAYERS, ids=[layer[0] for layer in LAYERS])
def test_data_flows_one_way(tree, importer, forbidden, why):
    _, imports, _ = tree
    bad = [(imp, f) for imp in imports if _inside(imp.importer, importer)
           for f in forbidden if _inside(imp.target, f) or _inside(imp.name, f)]
    assert not bad, f"{importer} must not import {', '.join(forbidden)} ({why}):\n" + "\n".join(
        f"  {imp.where(ROOT)}: {imp.importer} imports {imp.name}" for imp, _ in bad)


# --------------------------------------------------------------------------------------------- the checker's own test


def _write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_checker_catches_cycles_and_private_imports(tmp_path):
    root = tmp_path / "pkg"
    _write(root, {
        "__init__.py": "",
        "_shared.py": "",
        "a/__init__.py": "",
        "a/one.py": "from pkg.b import two\nfrom pkg import _shared\n",  # _shared: fine, pkg.a is inside pkg
        "a/_hidden.py": "",
        "a/inside.py": "from . import _hidden\n",  # fine: same package
        "b/__init__.py": "",
        "b/two.py": "def f():\n    from ..c import three\n",  # function-level, relative
        "b/sneaky.py": "from pkg.a._hidden import x\nfrom pkg.a import _hidden\nimport pkg.a._hidden\n",
        "c/__init__.py": "",
        "c/three.py": "import pkg.a.one\n",
        "c/clean.py": "from pkg.b import two\n",
    })
    modules, imports = imports_of(root, "pkg")
    graph = graph_of(modules, imports)
    assert find_cycles(graph) == [["pkg.a.one", "pkg.b.two", "pkg.c.three", "pkg.a.one"]]
    assert "pkg.b.two -> pkg.c.three  (pkg/b/two.py:2)" in describe_cycle(find_cycles(graph)[0], graph, root)
    bad = private_imports(imports)
    assert sorted((imp.importer, imp.name, imp.line, owner) for imp, owner in bad) == [
        ("pkg.b.sneaky", "pkg.a._hidden", 2, "pkg.a"),
        ("pkg.b.sneaky", "pkg.a._hidden", 3, "pkg.a"),
        ("pkg.b.sneaky", "pkg.a._hidden.x", 1, "pkg.a"),
    ]
    # breaking the cycle clears it
    (root / "c/three.py").write_text("", encoding="utf-8")
    modules, imports = imports_of(root, "pkg")
    assert find_cycles(graph_of(modules, imports)) == []
