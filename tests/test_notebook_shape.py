"""Every teaching notebook keeps the workbook's shape and is stored cleanly executed.

nbval checks that outputs reproduce; this checks what nbval does not: the parts every notebook
promises (objectives, time, parameters, exercises with hidden solutions, takeaways) and that the
stored outputs come from one top-to-bottom run without errors, warnings or absolute paths.
"""

import re
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ABSOLUTE_PATH = re.compile(r"(/work/|/tmp/|/home/|/root/|[A-Z]:\\\\Users)")


def test_the_ordered_notebooks_are_all_there():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers == list(range(len(numbers))) and len(numbers) >= 9, [p.name for p in NOTEBOOKS]


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.stem)
def notebook(request):
    return nbformat.read(request.param, as_version=4)


def _text(nb, kind="markdown"):
    return "\n".join(c.source for c in nb.cells if c.cell_type == kind).lower()


def test_title_objectives_time_and_takeaways(notebook):
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    markdown = _text(notebook)
    assert "objectives" in markdown and ("time needed" in markdown or "time:" in markdown)
    assert "takeaways" in markdown
    assert notebook.metadata["kernelspec"]["name"] == "python3"


def test_parameters_cell_for_papermill(notebook):
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].cell_type == "code"


def test_at_least_three_exercises_each_with_a_hidden_solution(notebook):
    solutions = [c for c in notebook.cells if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) >= 3
    for cell in solutions:
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True
    assert len(re.findall(r"\*\*exercise \d", _text(notebook))) >= 3


def test_stored_outputs_are_one_clean_top_to_bottom_run(notebook):
    code = [c for c in notebook.cells if c.cell_type == "code"]
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "re-run with make notebooks"
    for cell in code:
        for output in cell.outputs:
            assert output.output_type != "error", cell.source[:80]
            assert not (output.output_type == "stream" and output.name == "stderr"), cell.source[:80]
            text = output.get("text", "") + str(output.get("data", {}).get("text/plain", ""))
            assert not ABSOLUTE_PATH.search(text), f"absolute path in the output of: {cell.source[:80]}"
            assert "Warning" not in text, cell.source[:80]
