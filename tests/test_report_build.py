"""build_report without a kernel: the tables, charts, exports and summary every report shows.

The papermill templates only call build_report and show its result (tests/test_report.py
runs a few of them end to end), so everything a report says is checked here, in seconds.
"""

import json
import re

import pandas as pd
import pytest

from conftest import write_order_line_export, write_own_files
from segtools.data import WORLDS, load_case, make_case
from segtools.errors import ValidationError
from segtools.reporting import Report, ReportError, build_report
from segtools.reporting.build import EXPORT_FILES

PNG = b"\x89PNG\r\n\x1a\n"
SUMMARY_KEYS = {"title", "report", "parameters", "rows_in", "rows_out", "sizes", "transactions_excluded"}


@pytest.fixture(scope="module")
def case_builds(tmp_path_factory):
    out = tmp_path_factory.mktemp("builds")
    return {w: (build_report(case=w, out=out / w), out / w) for w in WORLDS}


def _exports(folder):
    segments = pd.read_csv(folder / "customer_segments.csv", dtype={"customer_id": "str"})
    priorities = pd.read_csv(folder / "lead_priorities.csv", dtype={"lead_id": "str"})
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    return segments, priorities, summary


@pytest.mark.parametrize("world", WORLDS)
def test_case_report_has_every_table_chart_and_section(case_builds, world):
    report, _ = case_builds[world]
    assert isinstance(report, Report) and report.kind == "case"
    assert report.title == load_case(world).title
    assert report.sections == ["intro", "run", "customers", "leads", "funnel", "files"]
    names = list(report.tables)
    assert names[:3] == ["run parameters", "data summary", "segments"] and names[-1] == "export counts"
    assert {"actions", "cluster profile", "segments by cluster"} <= set(names)
    # the worlds carry outcomes: the lead section learns from them, measures itself and names its leaks
    lead_tables = ["how well it ranks", "gains and lift", "calibration", "leak alarm", "lead tiers", "grade grid",
                   "call first", "won by fit", "former leads by segment"]
    assert [n for n in names if n in lead_tables] == lead_tables
    for name, (png, alt) in report.charts.items():
        assert png.startswith(PNG) and len(alt) > 40, name
    assert set(report.charts) == {"customers per segment", "lead scores"}
    texts = "\n".join(c for k, c in report.blocks() if k == "markdown")
    for text in ("# " + report.title, "## The run", "## Customer segments", "### Recommended actions",
                 "### Behaviour clusters", "## Lead priorities", "### Call first", "The call list holds",
                 "## From lead to customer", "## Files next to this report"):
        assert text in texts, text
    assert "no customer section" not in texts and "no lead section" not in texts


@pytest.mark.parametrize("world", WORLDS)
def test_case_exports_match_the_inputs_row_for_row(case_builds, world):
    report, folder = case_builds[world]
    segments, priorities, summary = _exports(folder)
    case = load_case(world)
    # every world's leads carry their outcomes, so the report also writes the points table it learned
    assert sorted(p.name for p in folder.iterdir()) == sorted((*EXPORT_FILES, "suggested_points.yml"))
    assert summary == report.summary and set(summary) == SUMMARY_KEYS
    assert segments["customer_id"].tolist() == case.customers["customer_id"].tolist()
    assert sorted(priorities["lead_id"]) == sorted(case.leads["lead_id"])
    assert summary["rows_in"] == {t: len(case.tables[t]) for t in ("customers", "transactions", "leads")}
    assert summary["rows_out"] == {"customer_segments": len(case.customers), "lead_priorities": len(case.leads)}
    assert report.tables["export counts"]["rows"].to_dict() == summary["rows_out"]
    assert sum(summary["sizes"]["segments"].values()) == len(case.customers)
    assert segments["segment"].value_counts().to_dict() == {k: v for k, v in summary["sizes"]["segments"].items() if v}
    assert report.tables["segments"]["customers"].to_dict() == summary["sizes"]["segments"]
    open_leads = int((case.leads["status"] == "open").sum())
    ranked = priorities["rank"].dropna().astype(int)
    assert sorted(ranked) == list(range(1, open_leads + 1))
    assert priorities["rank"].isna().sum() == len(case.leads) - open_leads
    assert priorities["call_this_period"].sum() == min(200, open_leads) == summary["sizes"]["call_list"]
    assert priorities.loc[priorities["call_this_period"], "rank"].max() == min(200, open_leads)
    assert set(priorities["tier"]) <= {"hot", "warm", "cold", "closed"}
    assert (priorities["tier"] == "closed").sum() == len(case.leads) - open_leads
    # the worlds carry outcomes: open leads are ranked by the calibrated probability learned from history
    assert priorities.dropna(subset=["rank"])["probability"].is_monotonic_decreasing
    assert priorities.loc[priorities["rank"].isna(), "probability"].isna().all()
    assert segments["recommended_action"].notna().all()
    assert report.tables["call first"].index.tolist() == list(range(1, 21))


def test_case_summary_records_the_run(case_builds):
    report, _ = case_builds["agency"]
    summary = report.summary
    assert summary["report"] == "case" and summary["title"] == load_case("agency").title
    assert summary["parameters"] == report.parameters
    assert summary["parameters"]["case"] == "agency" and summary["parameters"]["points table"] == "default for agency"
    assert summary["parameters"]["snapshot date"] == "2026-01-01"
    assert summary["parameters"]["sales capacity"] == 200 and summary["parameters"]["number of clusters"] == 4
    assert report.tables["run parameters"].loc["snapshot date", "value"] == "2026-01-01"


def test_without_out_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = build_report(case="consulting")
    assert list(tmp_path.iterdir()) == []
    assert report.summary["rows_out"]["lead_priorities"] == len(load_case("consulting").leads)


def test_out_leaves_other_files_alone(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    build_report(case="consulting", sections=("leads",), out=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lead_priorities.csv", "notes.txt", "suggested_points.yml",
                                                          "summary.json"]


def test_capacity_decides_the_call_list(tmp_path):
    small = build_report(case="startup", capacity=25, sections=("leads",), out=tmp_path)
    priorities, summary = pd.read_csv(tmp_path / "lead_priorities.csv"), small.summary
    assert int(priorities["call_this_period"].sum()) == 25 == summary["sizes"]["call_list"]
    assert summary["parameters"]["sales capacity"] == 25
    assert small.tables["lead tiers"]["on_call_list"].sum() == 25
    assert "capacity 25)" in small.notes["call list"]


def test_snapshot_date_is_the_analysis_date():
    early = build_report(case="retail", snapshot_date="2025-07-01", sections=("customers",))
    late = build_report(case="retail", sections=("customers",))
    assert early.snapshot_date == pd.Timestamp("2025-07-01") and late.snapshot_date == pd.Timestamp("2026-01-01")
    assert early.parameters["snapshot date"] == "2025-07-01"
    assert "01 July 2025" in next(c for k, c in early.blocks("intro"))
    # transactions after the snapshot date are left out, and said so
    excluded = early.tables["excluded transactions"]["transactions"]
    assert excluded.sum() > 0 and early.summary["transactions_excluded"] == excluded.to_dict()
    assert early.segments["frequency"].sum() < late.segments["frequency"].sum()


@pytest.mark.parametrize("sections, kind, shown", [
    (("customers",), "customers", ["intro", "run", "customers", "files"]),
    (("leads",), "leads", ["intro", "run", "leads", "files"]),
])
def test_one_sided_reports(sections, kind, shown, tmp_path):
    report = build_report(case="consulting", sections=sections, out=tmp_path)
    assert report.kind == kind == report.summary["report"] and report.sections == shown
    assert len(report.summary["rows_out"]) == 1
    with pytest.raises(ValueError, match="no section funnel"):
        list(report.blocks("funnel"))


def test_bad_arguments_are_refused_before_any_work():
    with pytest.raises(ReportError, match="either a case or your own files"):
        build_report()
    with pytest.raises(ReportError, match="either a case or your own files"):
        build_report(case="retail", leads="l.csv")
    with pytest.raises(ReportError, match="unknown case 'bakery'"):
        build_report(case="bakery")
    with pytest.raises(ValueError, match="sections"):
        build_report(case="retail", sections=("funnel",))
    with pytest.raises(ValueError, match="capacity"):
        build_report(case="retail", capacity=-1)


@pytest.fixture(scope="module")
def own_files(tmp_path_factory):
    return write_own_files(tmp_path_factory.mktemp("own"),
                           ['<script>alert("x")</script>', "=HYPERLINK(1)", "+31 6", "@SUM(A1)"])


def test_own_files_report_reads_names_and_neutralises(own_files, tmp_path):
    case, files = own_files
    before = {t: p.read_bytes() for t, p in files.items()}
    report = build_report(customers=files["customers"], transactions=files["transactions"], leads=files["leads"],
                          capacity=10, out=tmp_path)
    assert {t: p.read_bytes() for t, p in files.items()} == before
    assert report.title == "customers + transactions + leads"  # the files' names, not a generic title
    assert report.summary["rows_in"] == {t: len(case.tables[t]) for t in files}
    p = report.parameters
    assert (p["case"], p["customers file"], p["leads file"], p["points table"]) == (
        "(own files)", "customers.csv", "leads.csv", "generic")
    assert str(files["customers"].parent) not in json.dumps(report.summary)
    assert report.summary["sizes"]["call_list"] == 10
    # the day after the last date in the files
    last = max(case.transactions["date"].max(), case.leads["created_at"].max(), case.leads["last_activity_at"].max())
    assert report.snapshot_date == last.normalize() + pd.Timedelta(days=1)
    seg = (tmp_path / "customer_segments.csv").read_text(encoding="utf-8")
    pri = (tmp_path / "lead_priorities.csv").read_text(encoding="utf-8")
    assert "\n'=1+2," in seg and "\n'@SUM(9)," in pri
    for text in (seg, pri):
        for line in text.splitlines()[1:]:
            for cell in line.split(","):
                assert not re.match(r"^[=+@\t\r]", cell), line
    # names from the data are escaped when a table is shown as HTML
    html = report.tables["call first"].to_html()
    assert "<script" not in html and "&lt;script&gt;" in html


def test_points_of_a_world_for_own_leads(own_files):
    _, files = own_files
    report = build_report(leads=files["leads"], points="consulting", sections=("leads",))
    assert report.parameters["points table"] == "consulting"
    assert report.summary["rows_in"] == {"leads": 60}


def test_tables_in_memory_are_validated_like_files():
    case = make_case("consulting", random_state=3, n_customers=40, n_leads=60)
    report = build_report({"transactions": case.transactions.astype({"amount": "str"})}, sections=("customers",))
    assert report.parameters["case"] == "(own files)"
    assert report.summary["rows_in"]["customers"] == case.transactions["customer_id"].nunique()
    bad = case.transactions.drop(columns="amount")
    with pytest.raises(ValidationError, match="amount"):
        build_report({"customers": case.customers, "transactions": bad})


def test_transactions_only_export_gets_a_customer_report(tmp_path):
    export, mapping = write_order_line_export(tmp_path)
    report = build_report(transactions=export, mapping=mapping, out=tmp_path / "r")
    assert report.kind == "case" and "no lead section" in report.notes and "no funnel" in report.notes
    segments = pd.read_csv(tmp_path / "r" / "customer_segments.csv", dtype={"customer_id": str})
    assert sorted(segments["customer_id"]) == ["12583", "13047", "17850"]
    assert not (tmp_path / "r" / "lead_priorities.csv").exists()
    assert report.parameters["snapshot date"] == "2011-03-16" and report.summary["rows_in"]["transactions"] == 5
    assert report.parameters["column mapping"] == "mapping.yml"


def test_leads_only_case_report_says_there_is_no_customer_section():
    case = make_case("consulting", random_state=3, n_customers=40, n_leads=60)
    report = build_report({"leads": case.leads})
    assert report.notes["no customer section"].startswith("*No customers") and "no funnel" in report.notes
    assert "segments" not in report.tables and "lead tiers" in report.tables


def test_charts_are_the_same_bytes_every_build():
    a = build_report(case="consulting", sections=("leads",))
    b = build_report(case="consulting", sections=("leads",))
    assert a.charts == b.charts


def test_show_displays_every_block_in_order(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    report = build_report(case="consulting", sections=("leads",))
    report.show("leads")
    kinds = [type(o).__name__ for o in shown]
    assert kinds == [{"markdown": "Markdown", "table": "DataFrame", "chart": "Image"}[k]
                     for k, _ in report.blocks("leads")]
    image = next(o for o in shown if type(o).__name__ == "Image")
    assert image.alt == report.charts["lead scores"][1]


def test_show_writes_long_totals_in_plain_numbers_and_leaves_other_tables_as_pandas_shows_them(monkeypatch):
    import IPython.display

    from segtools.reporting.report import Report

    html = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: html.append(obj._repr_html_()))
    big = pd.DataFrame({"customers": [1_000_000, 52_856], "mean_p_alive": [0.93, 1.0],
                        "total_predicted_value": [2_521_376_543.21, 23_692_340.5]}, index=["active", "one purchase"])
    small = pd.DataFrame({"mean_spend": [12.5, 0.25]}, index=["a", "b"])
    report = Report("shop")
    report.table("customers", "big", big)
    report.table("customers", "small", small)
    report.show()
    assert "e+0" in big._repr_html_()  # pandas alone would write 2.521377e+09
    assert "e+0" not in html[0] and "2,521,376,543.21" in html[0] and "23,692,340.5" in html[0]
    assert html[1] == small._repr_html_()


def test_the_customer_export_is_written_while_the_section_is_drawn(tmp_path, monkeypatch):
    """The CSV starts before the charts (in a thread) and is complete, with the same bytes, when the report returns."""
    import threading

    import segtools.reporting._customer_section as section
    from segtools.reporting.exports import customer_segments_export, write_csv

    seen = {}
    drawn = section.segment_table

    def table_while_writing(segments):
        seen["threads"] = [t.name for t in threading.enumerate()]
        return drawn(segments)

    monkeypatch.setattr(section, "segment_table", table_while_writing)
    report = build_report(case="startup", sections=("customers",), out=tmp_path)
    assert any(name.startswith("segtools-export") for name in seen["threads"])  # started before the drawing
    assert not any(t.name.startswith("segtools-export") for t in threading.enumerate())  # and done
    write_csv(customer_segments_export(report.segments), tmp_path / "again.csv")
    assert (tmp_path / "customer_segments.csv").read_bytes() == (tmp_path / "again.csv").read_bytes()


def test_an_error_while_drawing_waits_for_the_export(tmp_path, monkeypatch):
    import threading

    import segtools.reporting._customer_section as section

    def broken(segments):
        raise RuntimeError("a chart failed")

    monkeypatch.setattr(section, "segment_table", broken)
    with pytest.raises(RuntimeError, match="a chart failed"):
        build_report(case="startup", sections=("customers",), out=tmp_path)
    assert not any(t.name.startswith("segtools-export") for t in threading.enumerate())
    written = pd.read_csv(tmp_path / "customer_segments.csv")
    assert len(written) == len(load_case("startup").customers)  # whole, not cut off by the error


def test_an_error_after_the_sections_waits_for_the_export(tmp_path, monkeypatch):
    """An error while the other exports are built (after the sections, before the files) still waits for the CSV."""
    import threading
    import time

    import segtools.reporting.build as build
    import segtools.reporting.exports as exports

    slow_write, real_write = [], exports.write_csv

    def slow(df, path):
        time.sleep(0.5)  # still writing when the error comes
        slow_write.append(path)
        return real_write(df, path)

    real_frames = build._export_frames

    def frames(segments, priorities):  # the early export's frame is built; the rest fails
        if segments is None:
            raise RuntimeError("an export failed")
        return real_frames(segments, priorities)

    monkeypatch.setattr(exports, "write_csv", slow)
    monkeypatch.setattr(build, "_export_frames", frames)
    with pytest.raises(RuntimeError, match="an export failed"):
        build_report(case="startup", sections=("customers",), out=tmp_path)
    assert not any(t.name.startswith("segtools-export") for t in threading.enumerate())
    assert slow_write and len(pd.read_csv(tmp_path / "customer_segments.csv")) == len(load_case("startup").customers)


def test_an_error_writing_the_export_reaches_the_caller(tmp_path, monkeypatch):
    import segtools.reporting.exports as exports

    def full_disk(df, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports, "write_csv", full_disk)
    with pytest.raises(OSError, match="No space left"):
        build_report(case="startup", sections=("customers",), out=tmp_path)
    assert not (tmp_path / "summary.json").exists()
