"""Reading the text of real exports into typed columns: dates, numbers and yes/no flags.

Ambiguous dates are never guessed: ISO dates (``2025-12-31``) are read as such; other dates
are read day-first or month-first only when exactly one of the two reads every value.
"""

from __future__ import annotations

TRUE_WORDS = {"true", "yes", "y", "1", "1.0", "won", "ja", "j", "si", "sí", "oui", "wahr", "vero", "verdadero"}
FALSE_WORDS = {"false", "no", "n", "0", "0.0", "lost", "open", "nee", "nein", "falso", "non", "onwaar"}



def parse_dates(s, date_format=None):
    import pandas as pd

    if s.dtype.kind == "M":
        return s.astype("datetime64[ns]") if str(s.dtype) != "datetime64[ns]" else s
    text = s.astype("str").str.strip().where(s.notna())
    text = text.where(text != "")
    fmt = date_format or "ISO8601"
    parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    if date_format is None:  # not ISO: day-first or month-first, only when the data says which
        rest = parsed.isna() & text.notna()
        if rest.any():
            parsed = parsed.where(~rest, _parse_non_iso(text[rest]))
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    return parsed.astype("datetime64[ns]")


_DATE_PARTS = {"day": ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%d-%m-%y", "%d.%m.%y"),
               "month": ("%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y", "%m/%d/%y", "%m-%d-%y")}
_TIME_PARTS = ("", " %H:%M", " %H:%M:%S")


def _parse_non_iso(text):
    """Day-first or month-first dates, whichever reads the values; never a guess between the two."""
    import pandas as pd

    best = {}
    for order, formats in _DATE_PARTS.items():
        for fmt in (d + t for d in formats for t in _TIME_PARTS):
            parsed = pd.to_datetime(text, format=fmt, errors="coerce")
            if order not in best or parsed.notna().sum() > best[order].notna().sum():
                best[order] = parsed
    day, month = best["day"], best["month"]
    n_day, n_month = day.notna().sum(), month.notna().sum()
    if n_day == 0 and n_month == 0:  # written-out dates such as "5 January 2025"
        return pd.to_datetime(text, format="mixed", dayfirst=True, errors="coerce")
    if n_day == n_month and not day.equals(month):
        raise AmbiguousDates()
    return day if n_day >= n_month else month


class AmbiguousDates(Exception):
    """Dates that read both day-first and month-first: the analyst must say which."""


def parse_numbers(s, decimal="."):
    import pandas as pd

    if s.dtype.kind in "iuf":
        return s.astype("float64")
    text = s.astype("str").str.strip().str.replace("\u00a0", "", regex=False).str.replace(" ", "", regex=False)
    if decimal == ",":
        text = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    text = text.str.replace(r"^[€$£]|[€$£]$", "", regex=True).where(s.notna())
    return pd.to_numeric(text, errors="coerce")


def parse_flags(s):
    import numpy as np
    import pandas as pd

    if s.dtype == bool:
        return s
    words = s.astype("str").str.strip().str.lower().where(s.notna())
    return pd.Series(np.where(words.isin(TRUE_WORDS), True, np.where(words.isin(FALSE_WORDS), False, None)),
                     index=s.index, dtype="object")
