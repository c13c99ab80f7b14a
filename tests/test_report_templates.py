"""The papermill templates only display: parameters, one build_report call, report.show cells."""

import ast
import re
import runpy

import nbformat
import papermill as pm
import pytest

from segtools.reporting import TEMPLATES, build_report, strip_timings, template_path, templates_dir

PARAMETERS = {"case", "customers_path", "transactions_path", "leads_path", "mapping_path", "points_path",
              "snapshot_date", "n_segments", "capacity", "post_outcome", "keep_flagged", "random_state", "output_dir",
              "engine"}


def _code(kind):
    nb = nbformat.read(template_path(kind), as_version=4)
    return nb, [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_templates_are_stored_unexecuted_with_kernelspec_and_parameters(kind):
    nb, code = _code(kind)
    assert nb.metadata.kernelspec.name == "python3"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] is nb.cells[0]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert [c.id for c in nb.cells] == [f"cell-{i:02d}" for i in range(len(nb.cells))]
    # papermill must read every parameter the runner passes (a comment it cannot parse hides one)
    assert PARAMETERS == set(pm.inspect_notebook(str(template_path(kind))))
    for line in tagged[0].source.splitlines():
        comment = line.partition("#")[2]
        assert "=" not in comment and "'" not in comment, line


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_templates_hold_only_display_code(kind):
    """After the parameters: import build_report, ``report = build_report(...)``, then ``report.show("x")``."""
    _, code = _code(kind)
    statements = [s for c in code[1:] for s in ast.parse(c.source).body]
    imports = [s for s in statements if isinstance(s, ast.ImportFrom)]
    assert [(s.module, [a.name for a in s.names]) for s in imports] == [("segtools.reporting", ["build_report"])]
    builds = [s for s in statements if isinstance(s, ast.Assign)]
    assert len(builds) == 1 and ast.unparse(builds[0].targets[0]) == "report"
    assert ast.unparse(builds[0].value.func) == "build_report"
    assert {k.arg for k in builds[0].value.keywords} >= {"case", "snapshot_date", "capacity", "n_segments", "out"}
    shows = [s for s in statements if s not in imports and s not in builds]
    assert shows and all(re.fullmatch(r'report\.show\("\w+"\)', ast.unparse(s).replace("'", '"')) for s in shows)
    # the cells show every section build_report makes for this template, in order
    sections = ast.literal_eval(next(k.value for k in builds[0].value.keywords if k.arg == "sections"))
    names = [ast.literal_eval(s.value.args[0]) for s in shows]
    assert names == build_report(case="consulting", sections=sections).sections


def test_stored_templates_match_their_generator(tmp_path):
    runpy.run_path(str(templates_dir() / "make_templates.py"))["main"](tmp_path)
    for kind, name in TEMPLATES.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == template_path(kind).read_text(encoding="utf-8"), name


def test_templates_are_package_data_next_to_the_code():
    import segtools.reporting

    assert templates_dir().parent.samefile(segtools.reporting.__path__[0])
    assert sorted(p.name for p in templates_dir().glob("*.ipynb")) == sorted(TEMPLATES.values())


def test_strip_timings_leaves_no_per_run_value(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1", id="cell-00"),
                                         nbformat.v4.new_code_cell("x = 2", metadata={"tags": ["injected-parameters"]})])
    nb.metadata["papermill"] = {"start_time": "2026-01-01T10:00", "end_time": "2026-01-01T10:01", "duration": 60.0,
                                "parameters": {"x": 2}, "version": "2.7.0"}
    for c in nb.cells:
        c.metadata["papermill"] = {"start_time": "t", "end_time": "t", "duration": 1.0, "status": "completed"}
        c.metadata["execution"] = {"iopub.status.busy": "t"}
    path = tmp_path / "report.ipynb"
    nbformat.write(nb, path)
    strip_timings(path)
    clean = nbformat.read(path, as_version=4)
    assert clean.metadata.papermill == {"parameters": {"x": 2}, "version": "2.7.0"}
    assert [c.metadata.get("papermill") for c in clean.cells] == [{"status": "completed"}] * 2
    assert all("execution" not in c.metadata for c in clean.cells)
    assert [c.id for c in clean.cells] == ["cell-00", "injected-parameters"]
