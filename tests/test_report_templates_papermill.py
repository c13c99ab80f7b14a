"""Each report template runs under papermill with every parameter set to a value that is not its default."""

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TEMPLATES = Path(__file__).resolve().parents[1] / "segtools" / "reporting" / "templates"


def _defaults(template):
    import nbformat

    nb = nbformat.read(template, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    scope = {}
    exec(cell.source, scope)  # noqa: S102 - the template's own parameters cell: plain assignments
    return {k: v for k, v in scope.items() if not k.startswith("__")}


def _errors(nb):
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out.append(f"{o.get('ename')}: {o.get('evalue')}")
            elif o.get("output_type") == "stream" and o.get("name") == "stderr":
                out.append("stderr: " + o.get("text", "")[:300])
    return out


@pytest.mark.parametrize("kind", ["case", "customer", "lead"])
def test_template_runs_with_non_default_parameters(tmp_path, kind):
    import papermill as pm

    from segtools.leads import default_points
    from segtools.leads.suggest import write_points

    template = TEMPLATES / f"{kind}_report.ipynb"
    points = default_points("consulting")
    points.attrs["half_life_days"] = 45  # a complete table: its own decay
    write_points(points, tmp_path / "points.yml")
    case = tmp_path / "case"
    case.mkdir()
    params = {"case": "consulting", "points_path": str(tmp_path / "points.yml"), "snapshot_date": "2025-11-15",
              "n_segments": 3, "capacity": 40, "post_outcome": "proposal_sent", "keep_flagged": "meetings_held",
              "random_state": 7, "output_dir": str(tmp_path / "out")}
    defaults = _defaults(template)
    assert set(params) <= set(defaults)
    assert all(params[k] != defaults[k] for k in params), "every value given differs from the template's"
    nb = pm.execute_notebook(str(template), str(tmp_path / "report.ipynb"), parameters=params, cwd=str(case),
                             progress_bar=False, kernel_name="python3")
    assert _errors(nb) == []
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    run = summary["parameters"]
    assert run["snapshot date"] == "2025-11-15" and run["sales capacity"] == 40
    assert run["number of clusters"] == 3 and run["points table"] == "points.yml"
    assert "proposal_sent" in run["post-outcome columns"] and run["flagged columns kept"] == "meetings_held"
    assert not list(case.iterdir())  # nothing written where the notebook ran: output_dir was followed
    if kind != "customer":
        text = "\n".join("".join(o.get("data", {}).get("text/markdown", "")) for c in nb.cells
                         for o in c.get("outputs", []))
        assert "half-life of 45 days" in text  # the points table's own decay reached the report
