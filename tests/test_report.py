"""Report runs: every case through papermill, and a run on hostile own files.

The slow part (about 20 s a report) runs once per session; the tests then check many
things on the same outputs.
"""

import hashlib
import json
import re

import nbformat
import pandas as pd
import papermill as pm
import pytest

from segtools.cli import main
from segtools.data import WORLDS, load_case, make_case
from segtools.reporting import OUTPUT_FILES, ReportError, TEMPLATES, prepare_output, template_path

CODE_MARKERS = ('class="jp-CodeMirrorEditor', 'class="highlight', 'class="jp-InputPrompt',
                "from segtools", "import pandas", "customer_segments(")


@pytest.fixture(scope="session")
def case_reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    status = main(["report", "--all-cases", "--out", str(out), "--force"])
    assert status == 0
    return out


def _read(folder):
    html = (folder / "report.html").read_text(encoding="utf-8")
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    segments = pd.read_csv(folder / "customer_segments.csv", dtype={"customer_id": "str"})
    priorities = pd.read_csv(folder / "lead_priorities.csv", dtype={"lead_id": "str"})
    return html, summary, segments, priorities


@pytest.mark.parametrize("kind", sorted(TEMPLATES))
def test_templates_are_stored_unexecuted_with_kernelspec_and_parameters(kind):
    nb = nbformat.read(template_path(kind), as_version=4)
    assert nb.metadata.kernelspec.name == "python3"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert all(not c.outputs and c.execution_count is None for c in nb.cells if c.cell_type == "code")
    # papermill must read every parameter the runner passes (a comment it cannot parse hides one)
    names = set(pm.inspect_notebook(str(template_path(kind))))
    assert {"case", "customers_path", "transactions_path", "leads_path", "mapping_path", "points_path",
            "snapshot_date", "n_segments", "capacity", "output_dir"} <= names


@pytest.mark.parametrize("world", WORLDS)
def test_case_report_html_has_no_code_and_holds_the_tables(case_reports, world):
    html, summary, _, _ = _read(case_reports / world)
    for marker in CODE_MARKERS:
        assert marker not in html, marker
    assert "<script" not in html  # self-contained: nothing is fetched from a CDN
    assert "<h1" in html and load_case(world).title in html
    assert html.count("<table") >= 6
    for text in ("Customer segments", "Recommended actions", "Lead priorities", "Call first",
                 "call list", "From lead to customer", "data:image/png;base64"):
        assert text in html, text
    for segment in summary["sizes"]["segments"]:
        if summary["sizes"]["segments"][segment]:
            assert segment in html


@pytest.mark.parametrize("world", WORLDS)
def test_case_exports_match_the_inputs_row_for_row(case_reports, world):
    _, summary, segments, priorities = _read(case_reports / world)
    case = load_case(world)
    assert segments["customer_id"].tolist() == case.customers["customer_id"].tolist()
    assert sorted(priorities["lead_id"]) == sorted(case.leads["lead_id"])
    assert summary["rows_in"] == {t: len(case.tables[t]) for t in ("customers", "transactions", "leads")}
    assert summary["rows_out"] == {"customer_segments": len(case.customers), "lead_priorities": len(case.leads)}
    assert sum(summary["sizes"]["segments"].values()) == len(case.customers)
    assert segments["segment"].value_counts().to_dict() == {k: v for k, v in summary["sizes"]["segments"].items() if v}
    open_leads = int((case.leads["status"] == "open").sum())
    ranked = priorities["rank"].dropna().astype(int)
    assert sorted(ranked) == list(range(1, open_leads + 1))
    assert priorities["rank"].isna().sum() == len(case.leads) - open_leads
    assert priorities["call_this_period"].sum() == min(200, open_leads)
    assert priorities.loc[priorities["call_this_period"], "rank"].max() == min(200, open_leads)
    assert set(priorities["tier"]) <= {"hot", "warm", "cold", "closed"}
    assert (priorities["tier"] == "closed").sum() == len(case.leads) - open_leads
    top = priorities.dropna(subset=["rank"])
    assert top["score"].is_monotonic_decreasing
    assert segments["recommended_action"].notna().all()


def test_case_summary_records_the_run(case_reports):
    _, summary, _, _ = _read(case_reports / "agency")
    assert summary["report"] == "case" and summary["template"] == "case_report.ipynb"
    assert summary["parameters"]["case"] == "agency"
    assert summary["parameters"]["snapshot date"] == "2026-01-01"
    assert summary["parameters"]["sales capacity"] == 200
    assert set(summary["files"]) == set(OUTPUT_FILES)


def test_rerun_without_force_refuses_and_leaves_the_report(case_reports, capsys):
    before = (case_reports / "retail" / "report.html").read_bytes()
    assert main(["report", "--case", "retail", "--out", str(case_reports / "retail")]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (case_reports / "retail" / "report.html").read_bytes() == before


def test_force_replaces_only_the_report_files(tmp_path):
    (tmp_path / "report.html").write_text("old")
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ReportError, match="already exists"):
        prepare_output(tmp_path)
    prepare_output(tmp_path, force=True)
    assert not (tmp_path / "report.html").exists()
    assert (tmp_path / "notes.txt").read_text() == "mine"


HOSTILE_NAMES = ['<script>alert("x")</script>', "=HYPERLINK(\"http://evil\",\"click\")", "+31 6 1234",
                 "@SUM(A1)", "<img src=x onerror=alert(1)>", "-2+3"]


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    case = make_case("consulting", seed=3, n_customers=40, n_leads=60)
    rename = {"C00001": "=1+2", "L00001": "@SUM(9)"}
    files = {}
    for table in ("customers", "transactions", "leads"):
        df = case.tables[table].copy()
        for col in ("customer_id", "lead_id"):
            if col in df:
                df[col] = df[col].replace(rename)
        if table == "leads":
            df["name"] = [HOSTILE_NAMES[i % len(HOSTILE_NAMES)] for i in range(len(df))]
            df["company"] = df["name"]
        files[table] = folder / f"{table}.csv"
        df.to_csv(files[table], index=False)
    hashes = {t: _sha(p) for t, p in files.items()}
    out = folder / "report"
    status = main(["report", "--customers", str(files["customers"]), "--transactions", str(files["transactions"]),
                   "--leads", str(files["leads"]), "--out", str(out), "--capacity", "10"])
    return status, out, files, hashes, case


def test_own_files_report_runs_and_never_modifies_its_inputs(hostile_report):
    status, out, files, hashes, case = hostile_report
    assert status == 0
    assert {t: _sha(p) for t, p in files.items()} == hashes
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["rows_in"] == {t: len(case.tables[t]) for t in files}
    assert summary["parameters"]["customers file"] == "customers.csv"
    assert str(files["customers"].parent) not in (out / "report.html").read_text(encoding="utf-8")


def test_hostile_names_are_escaped_in_html(hostile_report):
    _, out, _, _, _ = hostile_report
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_hostile_ids_are_neutralised_in_csv(hostile_report):
    _, out, _, _, _ = hostile_report
    seg = (out / "customer_segments.csv").read_text(encoding="utf-8")
    pri = (out / "lead_priorities.csv").read_text(encoding="utf-8")
    assert "\n'=1+2," in seg and "\n=1+2" not in seg
    assert "\n'@SUM(9)," in pri and "\n@SUM(9)" not in pri
    for text in (seg, pri):
        for line in text.splitlines()[1:]:
            for cell in line.split(","):
                assert not re.match(r"^[=+@\t\r]", cell), line


def test_stored_templates_match_their_generator(tmp_path):
    import runpy

    runpy.run_path(str(template_path("case").parent / "make_templates.py"))["main"](tmp_path)
    for kind, name in TEMPLATES.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == template_path(kind).read_text(encoding="utf-8"), name
