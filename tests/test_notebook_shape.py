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


# ------------------------------------------------------------------ exercises, claims and languages (issue 14)
EXERCISE = re.compile(r"\*\*Exercise (\d+)\.\*\*")
LANGUAGE_LABELS = ("**Nederlands.**", "**Deutsch.**", "**Italiano.**", "**Español.**")


def _tags(cell):
    return cell.metadata.get("tags", [])


def test_every_exercise_has_a_folded_explained_solution(notebook):
    cells = notebook.cells
    starts = [i for i, c in enumerate(cells) if c.cell_type == "markdown" for _ in EXERCISE.findall(c.source)]
    assert len(starts) >= 4, "at least four exercises per notebook"
    bounds = sorted(set(starts)) + [len(cells)]
    for begin, end in zip(bounds, bounds[1:]):
        n_here = len(EXERCISE.findall(cells[begin].source))
        solutions = [c for c in cells[begin + 1:end] if "solution" in _tags(c)]
        assert len(solutions) >= n_here, f"an exercise without a solution cell: {cells[begin].source[:80]}"
        for cell in solutions:
            folded = cell.metadata.get("jupyter", {})
            assert folded.get("source_hidden") is True, cell.source[:80]
            assert not cell.get("outputs") or folded.get("outputs_hidden") is True, cell.source[:80]
            why = " ".join(line.lstrip("# ") for line in cell.source.splitlines()
                           if line.startswith("#") and not line.startswith("#!"))
            assert len(why.split()) >= 10, f"a solution without an explanation (# comment lines): {cell.source[:80]}"


def test_every_exercise_has_a_self_check(notebook, request):
    """Each **Exercise N.** of notebook NN is registered as ``NN.N``, and its notebook shows the ``check`` call."""
    from segtools.workbook.exercises import EXERCISES

    prefix = Path(request.node.callspec.params["notebook"]).name[:2]
    numbers = sorted({int(n) for c in notebook.cells if c.cell_type == "markdown" for n in EXERCISE.findall(c.source)})
    text = "".join(c.source for c in notebook.cells)
    for number in numbers:
        exercise_id = f"{prefix}.{number}"
        assert exercise_id in EXERCISES, f"exercise {exercise_id} has no self-check in segtools.workbook"
        assert f'check("{exercise_id}"' in text, f"notebook {prefix} never shows check(\"{exercise_id}\", ...)"


def test_claims_about_the_data_are_checked_by_code(notebook):
    checks = [c for c in notebook.cells if "claim-check" in _tags(c)]
    for cell in checks:
        assert cell.cell_type == "code" and "assert" in cell.source, cell.source[:80]
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, cell.source[:80]


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if 1 <= int(p.name[:2]) <= 7], ids=lambda p: p.stem)
def test_notebooks_01_to_07_check_at_least_three_claims(path):
    notebook = nbformat.read(path, as_version=4)
    assert sum("claim-check" in _tags(c) for c in notebook.cells) >= 3


def test_key_takeaways_in_the_languages_of_the_sources(notebook):
    takeaways = [c.source for c in notebook.cells if c.cell_type == "markdown" and "takeaways" in c.source.lower()]
    assert takeaways, "no key takeaways"
    text = takeaways[-1]
    missing = [label for label in LANGUAGE_LABELS if label not in text]
    assert not missing, f"key takeaways without {', '.join(missing)}"


def test_a_capstone_strings_the_four_steps_together():
    text = " ".join(c.source for p in NOTEBOOKS if p.name[:2] in ("07", "08")
                    for c in nbformat.read(p, as_version=4).cells if c.cell_type == "markdown")
    assert re.search(r"\*\*Exercise \d+\.\*\* \*Capstone", text), "07 or 08 needs a capstone exercise"
