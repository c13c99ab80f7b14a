"""Notebook 08 (your own data): the example CRM export, read with its mapping."""

from __future__ import annotations

from segtools.workbook.exercise_types import Exercise


def _export_leads():
    from segtools.data.cases import datasets_dir
    from segtools.data.io import load_mapping, read_table

    export = datasets_dir() / "example_export"
    return read_table(export / "leads.csv", "leads", load_mapping(export / "mapping.yml")["leads"])


def _open_and_closed_won():
    leads = _export_leads()
    closed = leads[leads["status"] != "open"]
    return int((leads["status"] == "open").sum()), float(closed["converted"].mean())


EXERCISES = [
    Exercise("08.4", "open leads in the export, and the share of closed leads that became customers", "parts",
             _open_and_closed_won, "closed leads are those whose `status` is not 'open'; take the mean of "
             "`converted` over them.", parts=("open leads", "share won of closed"), tol=(0, 0.005),
             close=(5, 0.03)),
]
