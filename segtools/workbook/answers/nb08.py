"""Notebook 08 (your own data): the example CRM export, read with its mapping."""

from __future__ import annotations

from functools import cache

from segtools.workbook.exercise_types import Exercise

_SHORT_CAPACITY = 20  # exercise 2: the shorter call list
_GUESS = "30-11-2025"  # exercise 3: the impossible date read as the last day of November


def _export():
    from segtools.data.cases import datasets_dir
    from segtools.data.io import load_mapping

    folder = datasets_dir() / "example_export"
    return folder, load_mapping(folder / "mapping.yml")


def _export_leads():
    from segtools.data.io import read_table

    folder, mapping = _export()
    return read_table(folder / "leads.csv", "leads", mapping["leads"])


def _open_and_closed_won():
    leads = _export_leads()
    closed = leads[leads["status"] != "open"]
    return int((leads["status"] == "open").sum()), float(closed["converted"].mean())


def _missing_lead_id():
    """The column validation names when the mapping forgets ``Lead-ID``, and how many problems it lists."""
    from segtools.data.io import read_table
    from segtools.errors import ValidationError

    folder, mapping = _export()
    columns = {k: v for k, v in mapping["leads"]["columns"].items() if v != "lead_id"}
    try:
        read_table(folder / "leads.csv", "leads", dict(mapping["leads"], columns=columns))
    except ValidationError as err:
        return str(err.problems["column"].iloc[0]), len(err.problems)
    raise AssertionError("the leads passed validation without their lead_id")  # pragma: no cover


@cache
def _invoices():
    """The invoices as notebook 08 fixes them: ``(kept, set_aside)``, read with the mapping (kept) and as text."""
    import tempfile
    from pathlib import Path

    import pandas as pd

    from segtools.data.io import read_table

    folder, mapping = _export()
    text = pd.read_csv(folder / "facturen.csv", sep=";", encoding="cp1252", dtype="str", keep_default_na=False)
    text["Bedrag"] = text["Bedrag"].str.replace(r"\s*EUR$", "", regex=True)
    bad = pd.to_datetime(text["Factuurdatum"], format="%d-%m-%Y", errors="coerce").isna()
    readings = {"set aside": text[~bad], _GUESS: pd.concat([text[~bad], text[bad].assign(Factuurdatum=_GUESS)])}
    with tempfile.TemporaryDirectory() as tmp:
        tables = {}
        for name, lines in readings.items():
            path = Path(tmp) / f"facturen_{len(tables)}.csv"
            lines.to_csv(path, sep=";", index=False, encoding="cp1252")
            tables[name] = read_table(path, "transactions", mapping["transactions"])
    return tables, text[bad]


def _snapshot():
    from segtools.data.io import read_table
    from segtools.reporting.inputs import analysis_date

    folder, mapping = _export()
    customers = read_table(folder / "klanten.csv", "customers", mapping["customers"])
    return customers, analysis_date({"customers": customers, "transactions": _invoices()[0]["set aside"],
                                     "leads": _export_leads()})


def _grades_on_list(capacity=_SHORT_CAPACITY):
    """Leads with fit letter A, and with C or D, on the learned call list of ``capacity`` leads."""
    from segtools.leads import default_points
    from segtools.reporting.lead_table import lead_priorities

    ranked = lead_priorities(_export_leads(), points=default_points("startup"), snapshot_date=_snapshot()[1],
                             capacity=capacity)
    letters = ranked.loc[ranked["call_this_period"], "grade"].str[0]
    return int((letters == "A").sum()), int(letters.isin(["C", "D"]).sum())


def _grade_traps():
    return [(_grades_on_list(50), "that is the list for 50 calls; give capacity=20.")]


def _guessed_date():
    """The set-aside customer's segment without the line and with it read as 30 November, and how many change."""
    from segtools.reporting.customer_table import customer_segments

    tables, set_aside = _invoices()
    customers, snapshot = _snapshot()
    segments = {name: customer_segments(customers, t, snapshot_date=snapshot).set_index("customer_id")["segment"]
                .astype(str) for name, t in tables.items()}
    who = set_aside["Klantnummer"].iloc[0]
    changed = int((segments["set aside"] != segments[_GUESS]).sum())
    return segments["set aside"][who], segments[_GUESS][who], changed


def _guess_traps():
    aside, guessed, changed = _guessed_date()
    if changed == 1:  # pragma: no cover - the trap only exists when a neighbour moves too
        return []
    return [((aside, guessed, 1), "RFM scores rank customers against each other: one more invoice can move "
             "another customer across a score boundary too; compare every customer's segment.")]


EXERCISES = [
    Exercise("08.1", "leads mapping without `Lead-ID: lead_id`: the column the validation names, and how many "
             "problems it lists", "parts", _missing_lead_id,
             "drop the line from a copy of `mapping[\"leads\"][\"columns\"]`, call `read_table` inside `try`, and "
             "read `err.problems` (or the message).", parts=("column", "problems"), tol=(None, 0), close=(None, 1)),
    Exercise("08.2", "on the call list for 20 leads: how many have fit letter A, and how many C or D", "parts",
             _grades_on_list, "`lead_priorities(leads, points=default_points(\"startup\"), snapshot_date=..., "
             "capacity=20)`; keep `call_this_period` and count the first letter of `grade`.",
             parts=("graded A", "graded C or D"), tol=(0, 0), close=(2, 2), traps=_grade_traps),
    Exercise("08.3", "segment of the customer whose invoice was set aside, without that line and with the line "
             "read as 30-11-2025, and how many customers change segment between the two", "parts", _guessed_date,
             "write a second copy with the rejected line added back as 30-11-2025, read both copies with the "
             "mapping, run `customer_segments(customers, transactions, snapshot_date=...)` on each and compare "
             "the `segment` columns customer by customer.",
             parts=("segment set aside", "segment read as 30 November", "customers changed"), tol=(None, None, 0),
             close=(None, None, 1), traps=_guess_traps),
    Exercise("08.4", "open leads in the export, and the share of closed leads that became customers", "parts",
             _open_and_closed_won, "closed leads are those whose `status` is not 'open'; take the mean of "
             "`converted` over them.", parts=("open leads", "share won of closed"), tol=(0, 0.005),
             close=(5, 0.03)),
]
