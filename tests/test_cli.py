"""The segtools command: bad files exit 2 with a clear message before any kernel starts."""

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import write_order_line_export
from segtools.cli import main
from segtools.data import WORLDS, datasets_dir

EXAMPLE = Path(__file__).resolve().parent.parent / "datasets" / "example_export"
GOOD_TX = "customer_id,date,amount\nC1,2025-01-03,10.5\nC2,2025-02-04,20\n"
GOOD_CUSTOMERS = "customer_id,name\nC1,Ann\nC2,Bob\n"


def run(argv, capsys):
    status = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


@pytest.fixture
def files(tmp_path):
    def write(name, text):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path
    write("customers.csv", GOOD_CUSTOMERS)
    return write


BAD_FILES = {
    "missing column": ("customer_id,date\nC1,2025-01-03\n", ["tx.csv", "'amount'", "column missing"]),
    "bad dates": ("customer_id,date,amount\nC1,2025-01-03,1\nC2,yesterday,2\nC1,2025-13-45,3\n",
                  ["tx.csv", "'date'", "2 rows", "not a date", "yesterday"]),
    "wrong delimiter": ("customer_id|date|amount\nC1|2025-01-03|1\n", ["tx.csv", "'customer_id'", "delimiter"]),
    "empty file": ("", ["tx.csv", "empty"]),
    "header only": ("customer_id,date,amount\n", ["tx.csv", "no transactions rows"]),
}


@pytest.mark.parametrize("problem", sorted(BAD_FILES))
def test_report_on_a_bad_file_exits_2_naming_file_column_and_problem(problem, files, tmp_path, capsys, kernels):
    text, expected = BAD_FILES[problem]
    tx = files("tx.csv", text)
    mapping = None
    if problem == "wrong delimiter":  # the mapping says semicolons; the file uses pipes
        mapping = files("mapping.yml", 'tables:\n  transactions:\n    file_options: {delimiter: ";"}\n')
    before = hashlib.sha256(tx.read_bytes()).hexdigest()
    argv = ["report", "--customers", str(tmp_path / "customers.csv"), "--transactions", str(tx),
            "--out", str(tmp_path / "out")] + (["--mapping", str(mapping)] if mapping else [])
    status, out, err = run(argv, capsys)
    assert status == 2
    for word in expected:
        assert word in err, (word, err)
    assert err.startswith("segtools: error: ")
    assert not (tmp_path / "out").exists()  # failed before any output
    assert not (tmp_path / ".out.partial").exists()  # the staging folder the kernel booted in is gone
    assert kernels() == []  # and so is the kernel, started while the files were checked
    assert hashlib.sha256(tx.read_bytes()).hexdigest() == before


def test_unknown_transaction_customer_is_a_bad_input(files, tmp_path, capsys):
    tx = files("tx.csv", GOOD_TX.replace("C2", "C9"))
    status, _, err = run(["report", "--customers", str(tmp_path / "customers.csv"), "--transactions", str(tx),
                          "--out", str(tmp_path / "out")], capsys)
    assert status == 2 and "customer_id" in err and "C9" in err


@pytest.mark.parametrize("argv, message", [
    (["report", "--out", "x"], "exactly one of"),
    (["report", "--case", "bakery", "--out", "x"], "unknown case 'bakery'"),
    (["report", "--case", "retail", "--leads", "l.csv", "--out", "x"], "exactly one of"),
    (["report", "--leads", "l.csv", "--out", "x"], "l.csv does not exist"),
    (["report", "--customers", "c.csv", "--out", "x"], "without transactions"),
    (["report", "--case", "retail", "--snapshot-date", "soon", "--out", "x"], "not a date"),
    (["report", "--case", "retail", "--mapping", "m.yml", "--out", "x"], "own files only"),
    (["report", "--leads", "l.csv", "--points", "nowhere.csv", "--out", "x"], "--points file nowhere.csv"),
])
def test_bad_arguments_exit_2_with_a_message(argv, message, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    status, _, err = run(argv, capsys)
    assert status == 2 and message in err, err
    assert not (tmp_path / "x").exists()


def test_customers_without_transactions_is_refused(files, tmp_path, capsys):
    status, _, err = run(["report", "--customers", str(tmp_path / "customers.csv"), "--out",
                          str(tmp_path / "o")], capsys)
    assert status == 2 and "without transactions" in err


def test_validate_good_file_exits_0_with_a_verdict(files, capsys):
    status, out, _ = run(["validate", "--table", "transactions", str(files("tx.csv", GOOD_TX))], capsys)
    assert status == 0
    assert "tx.csv is a valid transactions table: 2 rows" in out


def test_validate_bad_file_exits_1_and_lists_every_problem(files, capsys):
    text = "customer_id,date,amount\nC1,2025-01-03,x\nC2,someday,5\n"
    status, out, _ = run(["validate", "--table", "transactions", str(files("tx.csv", text))], capsys)
    assert status == 1
    assert "not a valid transactions table" in out
    assert "'date'" in out and "'amount'" in out
    assert "(lines: 3; e.g. 'someday')" in out and "(lines: 2; e.g. 'x')" in out  # the file's line numbers


def test_validate_the_example_export_with_its_mapping(capsys):
    mapping = str(EXAMPLE / "mapping.yml")
    status, out, _ = run(["validate", "--table", "customers", str(EXAMPLE / "klanten.csv"), "--mapping", mapping],
                         capsys)
    assert status == 0 and "150 rows" in out and "';'" in out
    status, out, _ = run(["validate", "--table", "transactions", str(EXAMPLE / "facturen.csv"), "--mapping",
                          mapping], capsys)
    assert status == 1
    assert "lines: 19; e.g. '31-11-2025'" in out and "lines: 44; e.g. '171,00 EUR'" in out


def test_datasets_list_names_every_world(capsys):
    status, out, _ = run(["datasets", "list"], capsys)
    assert status == 0
    assert [line.split()[0] for line in out.splitlines()] == list(WORLDS)
    assert "customers 1,200" in out


def test_datasets_export_copies_the_committed_files_exactly(tmp_path, capsys):
    status, _, _ = run(["datasets", "export", "consulting", str(tmp_path / "c")], capsys)
    assert status == 0
    for path in (datasets_dir() / "consulting").rglob("*.csv"):
        rel = path.relative_to(datasets_dir() / "consulting")
        assert (tmp_path / "c" / rel).read_bytes() == path.read_bytes(), rel


def test_datasets_export_refuses_a_non_empty_folder_without_force(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("x")
    status, _, err = run(["datasets", "export", "retail", str(tmp_path)], capsys)
    assert status == 2 and "--force" in err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
    status, _, err = run(["datasets", "export", "bakery", str(tmp_path / "new")], capsys)
    assert status == 2 and "unknown dataset 'bakery'" in err


def test_installed_command_exits_2_without_a_traceback(tmp_path):
    exe = shutil.which("segtools", path=str(Path(sys.executable).parent))
    assert exe, "the segtools console script is not installed in this environment"
    (tmp_path / "tx.csv").write_text("customer_id,date\nC1,2025-01-03\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text(GOOD_CUSTOMERS, encoding="utf-8")
    done = subprocess.run([exe, "report", "--customers", "c.csv", "--transactions", "tx.csv", "--out", "out"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "tx.csv" in done.stderr and "'amount'" in done.stderr


def test_example_export_is_reproduced_by_its_script(tmp_path):
    import runpy

    script = runpy.run_path(str(EXAMPLE / "make_example.py"))
    script["main"](tmp_path)
    for name in ("klanten.csv", "facturen.csv", "leads.csv"):
        assert (tmp_path / name).read_bytes() == (EXAMPLE / name).read_bytes(), name


def test_leads_without_the_columns_the_points_need_exit_2_before_the_kernel(files, tmp_path, capsys):
    leads = files("leads.csv", "lead_id,created_at,country\nL1,2025-01-03,NL\nL2,2025-02-03,DE\n")
    status, _, err = run(["report", "--leads", str(leads), "--out", str(tmp_path / "out")], capsys)
    assert status == 2 and "page_views" in err and "2 rows" in err
    status, _, err = run(["report", "--leads", str(leads), "--points", "startup", "--out", str(tmp_path / "out")],
                         capsys)
    assert status == 2 and "used by the points table" in err and "2 rows" in err
    assert not (tmp_path / "out").exists()


def test_leads_without_any_date_need_a_snapshot_date_before_the_kernel(tmp_path, capsys):
    # A lead export with no dates at all (as some public lead datasets are): say what to add, start no kernel.
    leads = tmp_path / "leads.csv"
    leads.write_text("Lead Number,Lead Source,TotalVisits,Converted\n660737,Olark Chat,0,0\n660727,Google,2,1\n")
    mapping = tmp_path / "mapping.yml"
    mapping.write_text('tables:\n  leads:\n    columns: {"Lead Number": lead_id, "Lead Source": source, '
                       'TotalVisits: page_views, Converted: converted}\n')
    code, out, err = run(["report", "--leads", str(leads), "--mapping", str(mapping), "--out", str(tmp_path / "r")],
                         capsys)
    assert code == 2 and "give --snapshot-date" in err and "Traceback" not in err
    assert not (tmp_path / "r").exists()


@pytest.mark.slow
def test_order_line_export_without_customers_file_gets_a_customer_report(tmp_path, capsys):
    export, mapping = write_order_line_export(tmp_path)
    before = export.read_bytes()
    status, _, err = run(["report", "--transactions", str(export), "--mapping", str(mapping),
                          "--out", str(tmp_path / "r")], capsys)
    assert status == 0, err
    segments = pd.read_csv(tmp_path / "r" / "customer_segments.csv", dtype={"customer_id": str})
    assert sorted(segments["customer_id"]) == ["12583", "13047", "17850"]
    summary = json.loads((tmp_path / "r" / "summary.json").read_text())
    assert summary["parameters"]["snapshot date"] == "2011-03-16" and summary["rows_in"]["transactions"] == 5
    assert export.read_bytes() == before


def test_points_suggest_writes_a_table_report_takes_back(tmp_path, capsys):
    export = datasets_dir() / "example_export"
    out = tmp_path / "points.yml"
    assert main(["points", "suggest", "--leads", str(export / "leads.csv"), "--mapping",
                 str(export / "mapping.yml"), "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert "ROC AUC" in said and "status" in said  # the leak alarm's post-outcome columns are named
    from segtools.leads import points_table

    learned = points_table(str(out))
    assert len(learned) >= 3
    half_life = learned.attrs.get("half_life_days")  # the decay learned is said as well as written
    assert (f"half-life {half_life:g} days" if half_life else "no decay") in said
    assert main(["points", "suggest", "--leads", str(export / "leads.csv"), "--out", str(out)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_help_says_where_the_points_format_is(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "README.md" in capsys.readouterr().out.replace("\n", " ")


def test_render_needs_an_existing_notebook(tmp_path, capsys):
    assert main(["render", str(tmp_path / "none.ipynb")]) == 2
    assert "NOTEBOOK" in capsys.readouterr().err


def test_validate_takes_the_snapshot_date_and_says_what_it_left_out(tmp_path, capsys):
    tx = tmp_path / "tx.csv"
    tx.write_text("customer_id,date,amount\nC1,2025-01-02,10\nC1,2025-03-01,5\nC2,2025-02-01,7\n")
    status, out, err = run(["validate", "--table", "transactions", str(tx), "--snapshot-date", "2025-02-15"], capsys)
    assert status == 1 and "date" in out and "line" in out  # a payment after the analysis date is refused
    mapping = tmp_path / "mapping.yml"
    mapping.write_text("tables:\n  transactions:\n    future_dates: exclude\n")
    status, out, err = run(["validate", "--table", "transactions", str(tx), "--snapshot-date", "2025-02-15",
                            "--mapping", str(mapping)], capsys)
    assert status == 0 and "left out 1 rows" in out, out


def test_the_console_script_skips_jsonschemas_slow_iri_grammar_and_notebooks_still_validate():
    # the installed ``segtools`` runs ``console``: its process never builds rfc3987_syntax's grammar (0.7 s a run),
    # and nbformat, which papermill and nbconvert use, still validates notebooks without it
    import tomllib

    project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["segtools"] == "segtools.cli:console"
    # the command ends the process itself (segtools.cli._leave): what runs after it is an exit handler
    script = """
import atexit, runpy, sys
sys.argv = ["segtools", "render", "no-such-notebook.ipynb"]

def after():
    import nbformat
    nbformat.validate(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("x")]))
    print(sys.modules["rfc3987_syntax"])

atexit.register(after)
runpy.run_module("segtools.cli", run_name="__main__")
print("never reached")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr  # the command's status, through the exit handlers
    assert done.stdout.split() == ["None"] and "NOTEBOOK no-such-notebook.ipynb does not exist" in done.stderr
