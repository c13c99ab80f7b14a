"""Report runs: the command, run_report and the papermill templates around build_report.

What a report computes is tested without a kernel in tests/test_report_build.py. Here:
how the options travel from the command to build_report (papermill replaced by an
in-process stand-in, no kernel), and a few real runs end to end (marked ``slow``: every
case through papermill, a rerun that must give the same bytes, hostile own files).
"""

import hashlib
import json
import re

import nbformat
import pandas as pd
import pytest

from conftest import write_own_files
from segtools.cli import main
from segtools.data import WORLDS, load_case, make_case
from segtools.reporting import OUTPUT_FILES, ReportError, build_report, prepare_output

CODE_MARKERS = ('class="jp-CodeMirrorEditor', 'class="highlight', 'class="jp-InputPrompt',
                "from segtools", "import pandas", "build_report(", "report.show")
TIMINGS = ("start_time", "end_time", "duration", "iopub.execute_input", "shell.execute_reply")


# -- no kernel: the path of the options ---------------------------------------------------------


@pytest.fixture
def no_kernel(monkeypatch):
    """papermill.execute_notebook run in this process: the template's cells up to the build, no display."""
    import papermill

    calls = []

    def execute(input_path, output_path, parameters, cwd, **_):
        nb = nbformat.read(input_path, as_version=4)
        namespace = {}
        with monkeypatch.context() as m:
            m.chdir(cwd)
            for cell in nb.cells:
                if cell.cell_type == "code" and not cell.source.startswith("report.show"):
                    exec(cell.source, namespace)
                    if "parameters" in cell.metadata.get("tags", []):
                        namespace.update(parameters)  # what papermill's injected cell does
        calls.append((dict(parameters), namespace["report"]))
        nbformat.write(nb, output_path)

    monkeypatch.setattr(papermill, "execute_notebook", execute)
    return calls


def test_snapshot_date_and_capacity_travel_from_the_command_to_build_report(no_kernel, tmp_path, capsys):
    out = tmp_path / "r"
    status = main(["report", "--case", "startup", "--out", str(out), "--capacity", "7",
                   "--snapshot-date", "2025-10-01", "--segments", "3"])
    assert status == 0, capsys.readouterr().err
    (parameters, report), = no_kernel
    assert (parameters["capacity"], parameters["snapshot_date"], parameters["n_segments"]) == (7, "2025-10-01", 3)
    assert report.snapshot_date == pd.Timestamp("2025-10-01") and report.summary["sizes"]["call_list"] == 7
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["parameters"]["sales capacity"] == 7 and summary["parameters"]["snapshot date"] == "2025-10-01"
    assert summary["template"] == "case_report.ipynb" and set(summary["files"]) == set(OUTPUT_FILES)
    assert int(pd.read_csv(out / "lead_priorities.csv")["call_this_period"].sum()) == 7
    assert len(report.tables["cluster profile"]) == 3


def test_own_files_go_to_the_template_as_absolute_paths(no_kernel, tmp_path, monkeypatch):
    case = make_case("consulting", random_state=3, n_customers=40, n_leads=60)
    case.leads.to_csv(tmp_path / "leads.csv", index=False)
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--leads", "leads.csv", "--points", "consulting", "--out", "r"]) == 0
    (parameters, report), = no_kernel
    assert parameters["leads_path"] == str(tmp_path / "leads.csv") and parameters["points_path"] == "consulting"
    assert report.kind == "leads" and report.parameters["points table"] == "consulting"
    assert sorted(p.name for p in (tmp_path / "r").iterdir()) == ["lead_priorities.csv", "report.html",
                                                                 "report.ipynb", "summary.json"]


def test_all_cases_pass_their_options_to_every_report(monkeypatch, tmp_path):
    from segtools.reporting import run as run_module

    seen = {}
    monkeypatch.setattr(run_module, "run_report", lambda out, **kw: seen.setdefault(kw["case"], kw) and {})
    assert main(["report", "--all-cases", "--out", str(tmp_path), "--capacity", "9",
                 "--snapshot-date", "2025-12-01"]) == 0
    assert list(seen) == list(WORLDS)
    assert {(kw["capacity"], kw["snapshot_date"]) for kw in seen.values()} == {(9, "2025-12-01")}


def test_force_replaces_only_the_report_files(tmp_path):
    (tmp_path / "report.html").write_text("old")
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ReportError, match="already exists"):
        prepare_output(tmp_path)
    prepare_output(tmp_path, force=True)  # only checks: nothing is removed before a new report succeeded
    assert (tmp_path / "report.html").read_text() == "old"
    from segtools.reporting.run import _swap_in

    stage = tmp_path.parent / "stage"
    stage.mkdir()
    (stage / "summary.json").write_text("{}")
    _swap_in(stage, tmp_path)
    assert not (tmp_path / "report.html").exists()  # an old report file the new run did not write goes
    assert (tmp_path / "summary.json").read_text() == "{}"
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert not stage.exists()


@pytest.mark.parametrize("where", ["equal", "inside"])
def test_an_output_folder_holding_an_input_is_refused_and_the_input_survives(tmp_path, where):
    inputs = tmp_path / "exports"
    inputs.mkdir()
    named_like_an_output = inputs / "customer_segments.csv"
    named_like_an_output.write_text("customer_id\nC1\n")
    out = inputs if where == "equal" else tmp_path
    for force in (False, True):
        with pytest.raises(ReportError, match="holds the input file"):
            prepare_output(out, force, inputs=[named_like_an_output])
    assert named_like_an_output.read_text() == "customer_id\nC1\n"


def test_an_empty_output_folder_name_is_refused():
    with pytest.raises(ReportError, match="output folder is empty"):
        prepare_output("   ")


def test_a_failed_forced_run_leaves_the_previous_report_intact(monkeypatch, tmp_path):
    import papermill as pm

    from segtools.reporting import run as run_module

    out = tmp_path / "report"
    out.mkdir()
    (out / "report.html").write_text("the previous report")

    def fail(*args, **kwargs):
        raise pm.PapermillExecutionError(0, 3, "boom", "ValueError", "boom", [])

    monkeypatch.setattr(pm, "execute_notebook", fail)
    with pytest.raises(run_module.ReportFailed, match="untouched"):
        run_module.run_report(out, case="startup", force=True)
    assert (out / "report.html").read_text() == "the previous report"


# -- end to end, with a kernel ------------------------------------------------------------------


@pytest.fixture(scope="session")
def case_reports(tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    status = main(["report", "--all-cases", "--out", str(out), "--force"])
    assert status == 0
    return out


@pytest.mark.slow
@pytest.mark.parametrize("world", WORLDS)
def test_case_report_html_has_no_code_and_holds_the_tables(case_reports, world):
    html = (case_reports / world / "report.html").read_text(encoding="utf-8")
    summary = json.loads((case_reports / world / "summary.json").read_text(encoding="utf-8"))
    for marker in CODE_MARKERS:
        assert marker not in html, marker
    assert "<script" not in html  # self-contained: nothing is fetched from a CDN
    assert "<h1" in html and load_case(world).title in html
    assert html.count("<table") >= 6
    for text in ("Customer segments", "Recommended actions", "Lead priorities", "Call first",
                 "call list", "From lead to customer", "data:image/png;base64"):
        assert text in html, text
    for segment, n in summary["sizes"]["segments"].items():
        if n:
            assert segment.replace("'", "&#x27;") in html or segment in html, segment
    assert html.count('alt="') == 2 and 'alt="A chart"' not in html


@pytest.mark.slow
@pytest.mark.parametrize("world", WORLDS)
def test_the_kernel_writes_what_build_report_writes(case_reports, world, tmp_path):
    report = build_report(case=world, out=tmp_path)
    for name in ("customer_segments.csv", "lead_priorities.csv"):
        assert (case_reports / world / name).read_bytes() == (tmp_path / name).read_bytes(), name
    summary = json.loads((case_reports / world / "summary.json").read_text(encoding="utf-8"))
    assert {k: summary[k] for k in report.summary} == report.summary
    assert summary["report"] == "case" and summary["template"] == "case_report.ipynb"
    assert set(summary["files"]) == set(OUTPUT_FILES)


@pytest.mark.slow
def test_a_rerun_gives_the_same_bytes_and_no_timings(case_reports, capsys, kernels):
    folder = case_reports / "consulting"
    before = {name: (folder / name).read_bytes() for name in ("report.ipynb", "report.html")}
    assert main(["report", "--case", "consulting", "--out", str(folder), "--force"]) == 0
    assert kernels() == [] and not (case_reports / ".consulting.partial").exists()  # nothing left running or behind
    for name, data in before.items():
        assert (folder / name).read_bytes() == data, name
    text = before["report.ipynb"].decode("utf-8")
    for key in TIMINGS:
        assert f'"{key}"' not in text, key
    nb = nbformat.reads(text, as_version=4)
    assert [c.id for c in nb.cells][:2] == ["cell-00", "injected-parameters"]


@pytest.mark.slow
def test_rerun_without_force_refuses_and_leaves_the_report(case_reports, capsys):
    before = (case_reports / "retail" / "report.html").read_bytes()
    assert main(["report", "--case", "retail", "--out", str(case_reports / "retail")]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (case_reports / "retail" / "report.html").read_bytes() == before


HOSTILE_NAMES = ['<script>alert("x")</script>', "=HYPERLINK(\"http://evil\",\"click\")", "+31 6 1234",
                 "@SUM(A1)", "<img src=x onerror=alert(1)>", "-2+3"]


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def hostile_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    case, files = write_own_files(folder, HOSTILE_NAMES)
    frame = pd.read_csv(files["leads"])
    frame["company"] = frame["name"]
    frame.to_csv(files["leads"], index=False)
    hashes = {t: _sha(p) for t, p in files.items()}
    out = folder / "report"
    status = main(["report", "--customers", str(files["customers"]), "--transactions", str(files["transactions"]),
                   "--leads", str(files["leads"]), "--out", str(out), "--capacity", "10"])
    return status, out, files, hashes, case


@pytest.mark.slow
def test_own_files_report_runs_and_never_modifies_its_inputs(hostile_report):
    status, out, files, hashes, case = hostile_report
    assert status == 0
    assert {t: _sha(p) for t, p in files.items()} == hashes
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["rows_in"] == {t: len(case.tables[t]) for t in files}
    assert summary["parameters"]["customers file"] == "customers.csv"
    assert summary["sizes"]["call_list"] == 10
    assert str(files["customers"].parent) not in (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_hostile_names_are_escaped_in_html_and_neutralised_in_csv(hostile_report):
    _, out, _, _, _ = hostile_report
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    seg = (out / "customer_segments.csv").read_text(encoding="utf-8")
    pri = (out / "lead_priorities.csv").read_text(encoding="utf-8")
    assert "\n'=1+2," in seg and "\n=1+2" not in seg
    assert "\n'@SUM(9)," in pri and "\n@SUM(9)" not in pri
    for text in (seg, pri):
        for line in text.splitlines()[1:]:
            for cell in line.split(","):
                assert not re.match(r"^[=+@\t\r]", cell), line
