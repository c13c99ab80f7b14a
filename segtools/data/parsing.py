"""Reading the text of real exports into typed columns: dates, numbers and yes/no flags.

Nothing is guessed. Each parser returns the typed column and fills ``issues``
(``{check text: (boolean mask, example values)}``) with the values it refused for a
reason other than "not a date / number / yes-no", so :func:`segtools.data.contracts.validate`
can report each reason with its rows.

Dates
    ISO dates (``2025-12-31``, ``2025-12-31T10:00:00+01:00``) are read as such; other dates
    day-first or month-first only when exactly one of the two reads the values. Dates with
    a time-zone offset (``Z``, ``+01:00``) are converted to UTC and stored without a zone,
    so summer and winter offsets mix safely; a column mixing dates with and without an
    offset is refused. Dates outside 1677-09-22 .. 2262-04-11 (what ``datetime64[ns]``
    holds; placeholders such as ``9999-12-31``) are refused.
Numbers
    ``decimal`` given: that mark is the decimal mark, the other one may group thousands
    (``1.234,50``). Not given: each column shows its mark (``12.50``, ``1,234.50``,
    ``12,5``); a value with one mark and exactly three digits after it (``1.234``) reads
    as thousands *or* decimals, so it is refused when the column does not show which, and
    always when currency-formatted (``€1.234``). Infinite values (``inf``, ``1e400``) are refused.
Flags
    yes/no words in several languages, any case: ``Yes``, ``NO``, ``y``, ``true``, ``1``, ``0``, ``ja``, ``nee``...

Examples
--------
>>> import pandas as pd
>>> from segtools.data.parsing import parse_numbers
>>> issues = {}
>>> parse_numbers(pd.Series(["12.50", "1,234.50", "inf", "€1.234"]), issues=issues).tolist()
[12.5, 1234.5, nan, nan]
>>> sorted(issues)  # doctest: +NORMALIZE_WHITESPACE
['number that could be thousands or decimals (give decimal: "." or "," in the mapping)',
 'number that is infinite or too large']
"""

from __future__ import annotations

import re

from segtools.data.arrow_text import PLAIN_DOT as _PLAIN_DOT
from segtools.data.arrow_text import Codes, plain_numbers, strip

TRUE_WORDS = {"true", "yes", "y", "1", "1.0", "t", "won", "ja", "j", "si", "sí", "oui", "wahr", "vero", "verdadero"}
FALSE_WORDS = {"false", "no", "n", "0", "0.0", "f", "lost", "open", "nee", "nein", "falso", "non", "onwaar"}

_TZ = r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[zZ]|[+-]\d{2}(?::?\d{2})?)$"
_DIRECTIVES = set("aAwdbBmyYHIpMSfzjUWcxXGuVZ%")


def _text(s):
    """Stripped text, with empty cells as missing."""
    text = strip(s)
    text = text.where(s.notna()) if s.isna().any() else text
    return text.where(text != "")


def _add(issues, check, mask, values):
    if issues is not None and mask.any():
        old_mask, old_values = issues.get(check, (mask & False, values[mask & False]))
        issues[check] = (old_mask | mask, values[old_mask | mask])


def _by_value(parse, s, issues, *args):
    """``parse`` run once per distinct value of ``s`` (a date column repeats each day thousands of times)."""
    import numpy as np
    import pandas as pd

    if s.dtype.kind in "iufbM" or len(s) < 1000:
        return parse(s, *args, issues=issues)
    coded = Codes(s)
    if len(coded.uniques) > len(s) // 2:
        return parse(s, *args, issues=issues)
    found = {}
    small = parse(pd.Series(coded.uniques, dtype=None if coded.indices is not None else object), *args,
                  issues=found, weights=coded.counts)
    values = small.to_numpy()
    out = pd.Series(coded.take(values, np.datetime64("NaT") if values.dtype.kind == "M" else np.nan), index=s.index,
                    copy=False)
    for check, (mask, _) in found.items():
        _add(issues, check, pd.Series(coded.take(np.asarray(mask, dtype=bool), False), index=s.index, copy=False), s)
    return out


def date_format_problem(fmt) -> str | None:
    """Why ``fmt`` cannot be a ``date_format``, or None when it can.

    Parameters
    ----------
    fmt : str

    Returns
    -------
    str or None

    Examples
    --------
    >>> date_format_problem("%d-%m-%Y") is None
    True
    >>> date_format_problem("dd-mm-yyyy")
    "date_format 'dd-mm-yyyy' has no %-directives: write it as '%d-%m-%Y'"
    """
    if not isinstance(fmt, str) or not fmt.strip():
        return f"date_format must be a text such as '%d-%m-%Y', not {fmt!r}"
    found = re.findall(r"%(.?)", fmt)
    if not found:
        guess = fmt
        for word, directive in (("yyyy", "%Y"), ("YYYY", "%Y"), ("yy", "%y"), ("YY", "%y"), ("mm", "%m"),
                                ("MM", "%m"), ("dd", "%d"), ("DD", "%d"), ("HH", "%H"), ("ss", "%S")):
            guess = guess.replace(word, directive)
        hint = f": write it as {guess!r}" if guess != fmt else ", e.g. '%d-%m-%Y'"
        return f"date_format {fmt!r} has no %-directives{hint}"
    bad = sorted({d for d in found if d not in _DIRECTIVES})
    if bad:
        return (f"date_format {fmt!r} has unknown directive(s) {', '.join('%' + d for d in bad)}; "
                "use %d day, %m month, %Y year, %H:%M:%S time")
    if not {"Y", "y", "G", "c", "x"} & set(found):
        return f"date_format {fmt!r} has no year (%Y or %y)"
    return None


def parse_dates(s, date_format=None, issues=None):
    """A ``datetime64[ns]`` column; refused values become NaT.

    Parameters
    ----------
    s : Series
        Text, or datetimes (time-zone aware ones are converted to UTC).
    date_format : str, optional
    issues : dict, optional
        Filled with ``{check: (mask, values)}`` of values refused for a reason other than "not a date".

    Returns
    -------
    Series
    """
    return _by_value(_parse_dates, s, issues, date_format).astype("datetime64[ns]")


def _parse_dates(s, date_format=None, issues=None, weights=None):
    """:func:`parse_dates` on a column (of distinct values, when ``weights`` is given)."""
    import pandas as pd

    if isinstance(s.dtype, pd.DatetimeTZDtype):  # time-zone aware (Parquet, or a frame): UTC, then naive
        s = s.dt.tz_convert("UTC").dt.tz_localize(None)
    if s.dtype.kind == "M":
        return _in_range(s.astype("datetime64[us]"), s, issues)
    if date_format is not None and date_format_problem(date_format):
        raise ValueError(date_format_problem(date_format))
    text = _text(s)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us]")
    zoned = text.str.contains(_TZ, regex=True, na=False)
    if zoned.any():  # offsets: to UTC, then without a zone (mixed summer/winter offsets included)
        aware = pd.to_datetime(text.where(zoned), format=date_format or "ISO8601", utc=True, errors="coerce")
        out = out.mask(zoned, aware.dt.tz_localize(None).astype("datetime64[us]"))
    plain = text.notna() & ~zoned
    if plain.any():
        parsed = _naive(text.where(plain), date_format, issues)
        if zoned.any():
            _add(issues, "date without a time-zone offset while other dates have one (say which zone: "
                         "write every date with its offset)", parsed.notna(), s)
            parsed = parsed.where(parsed.isna())
        out = out.mask(plain, parsed)
    return _in_range(out, s, issues)


def _naive(text, date_format, issues):
    import pandas as pd

    parsed = pd.to_datetime(text, format=date_format or "ISO8601", errors="coerce")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_convert("UTC").dt.tz_localize(None)
    parsed = parsed.astype("datetime64[us]")
    if date_format is None:  # not ISO: day-first or month-first, only when the data says which
        rest = parsed.isna() & text.notna()
        if rest.any():
            parsed = parsed.mask(rest, _parse_non_iso(text.where(rest), issues))
    return parsed


_DATE_PARTS = {"day": ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y", "%d-%m-%y", "%d.%m.%y"),
               "month": ("%m/%d/%Y", "%m-%d-%Y", "%m.%d.%Y", "%m/%d/%y", "%m-%d-%y")}
_TIME_PARTS = ("", " %H:%M", " %H:%M:%S")
AMBIGUOUS = "date that reads both day-first and month-first (give date_format, e.g. '%d/%m/%Y' or '%m/%d/%Y')"


def _parse_non_iso(text, issues):
    """Day-first or month-first dates, whichever reads the values; never a guess between the two."""
    import pandas as pd

    best = {}
    for order, formats in _DATE_PARTS.items():
        for fmt in (d + t for d in formats for t in _TIME_PARTS):
            parsed = pd.to_datetime(text, format=fmt, errors="coerce").astype("datetime64[us]")
            if order not in best:
                best[order] = parsed
            else:
                best[order] = best[order].fillna(parsed)
    day, month = best["day"], best["month"]
    n_day, n_month = day.notna().sum(), month.notna().sum()
    if n_day == 0 and n_month == 0:  # written-out dates such as "5 January 2025"
        try:
            return pd.to_datetime(text, format="mixed", dayfirst=True, errors="coerce").astype("datetime64[us]")
        except (ValueError, TypeError, OverflowError):
            return pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    if n_day == n_month and not day.equals(month):
        both = day.notna() & month.notna() & (day != month)
        if both.any():  # values such as 03/04/2025: quote those, never an ISO or one-way date
            _add(issues, AMBIGUOUS, both, text)
        else:  # 13/01/2025 and 01/13/2025 in one column
            _add(issues, "date written day-first in some rows and month-first in others (give date_format)",
                 day.notna() | month.notna(), text)
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    return day if n_day >= n_month else month


def _in_range(parsed, original, issues):
    import pandas as pd

    low, high = pd.Timestamp("1677-09-22"), pd.Timestamp("2262-04-11")
    outside = parsed.notna() & ((parsed < low) | (parsed > high))
    _add(issues, "date outside 1677-09-22 .. 2262-04-11 (a placeholder such as 9999-12-31? leave the cell empty)",
         outside, original)
    return parsed.where(~outside).astype("datetime64[ns]")


_CURRENCY = "€$£¥"
_SINGLE = re.compile(r"^[0-9]+([.,])([0-9]+)$")
_PLAIN = re.compile(r"^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$")
_INFINITE = {"inf", "infinity", "∞"}


def _shape(value: str):
    """(currency-formatted, sign, body) of one number's text, or None when it is no number at all."""
    v = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")
    currency = bool(v) and (v[0] in _CURRENCY or v[-1] in _CURRENCY or v[:2] in {"-€", "-$", "-£", "-¥"})
    v = v.strip(_CURRENCY)
    sign = ""
    if v[:1] and v[:1] in "+-":
        sign, v = v[0], v[1:].lstrip(_CURRENCY)
    return currency, sign, v


def _mark(body: str):
    """The decimal mark a number's text shows ('.' or ','), 'ambiguous', or None."""
    for dec, th in ((".", ","), (",", ".")):
        if re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(th)}[0-9]{{3}})+{re.escape(dec)}[0-9]+", body):
            return dec  # 1,234.50
        if re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(th)}[0-9]{{3}}){{2,}}", body):
            return dec  # 1,234,567: the comma groups thousands
    single = _SINGLE.match(body)
    if single:
        return "ambiguous" if len(single.group(2)) == 3 else single.group(1)
    return None


def _number(body: str, decimal: str) -> float | None:
    thousands = "," if decimal == "." else "."
    if body.lower() in _INFINITE:
        return float("inf")
    grouped = re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(thousands)}[0-9]{{3}})+(?:{re.escape(decimal)}[0-9]+)?", body)
    if grouped:
        body = body.replace(thousands, "")
    if thousands in body:
        return None
    body = body.replace(decimal, ".") if decimal == "," else body
    return float(body) if _PLAIN.match(body) else None


NOT_FINITE = "number that is infinite or too large"
AMBIGUOUS_NUMBER = 'number that could be thousands or decimals (give decimal: "." or "," in the mapping)'


def parse_numbers(s, decimal=None, issues=None):
    """A float column; refused values become NaN.

    Parameters
    ----------
    s : Series
    decimal : {None, ".", ","}
        None reads the column's own decimal mark (see the module notes).
    issues : dict, optional
        Filled with ``{check: (mask, values)}`` of values refused for a reason other than "not a number".

    Returns
    -------
    Series
    """
    return _by_value(_parse_numbers, s, issues, decimal).astype("float64")



def _marks(shapes, plain):
    """The mark each distinct value shows; plain ``12.50`` / ``-3`` / ``1.234`` values without a regex each."""
    marks = {}
    for v, (_, _, body) in shapes.items():
        if v in plain:
            dot = v.find(".")
            marks[v] = None if dot < 0 else ("ambiguous" if len(v) - dot - 1 == 3 else ".")
        else:
            marks[v] = _mark(body)
    return marks


def _parse_numbers(s, decimal=None, issues=None, weights=None):
    """:func:`parse_numbers` on values that each occur ``weights()`` times (None: once a row)."""
    import numpy as np
    import pandas as pd

    out = s.astype("float64") if s.dtype.kind in "iuf" else plain_numbers(s, decimal)
    if out is None:
        text = _text(s)
        distinct = text.dropna().unique().to_numpy(dtype=object) if hasattr(text.dropna().unique(), "to_numpy") \
            else text.dropna().unique().astype(object)
        plain = set(pd.Series(distinct, dtype=object).str.fullmatch(_PLAIN_DOT).fillna(False).pipe(
            lambda m: distinct[m.to_numpy(dtype=bool)])) if len(distinct) else set()
        shapes = {v: (False, "", v) if v in plain else _shape(v) for v in distinct}
        marks = _marks(shapes, plain)
        other = set()
        if decimal is None:
            counts = (text.value_counts() if weights is None else
                      pd.Series(weights(), index=text.to_numpy(dtype=object)).groupby(level=0).sum())
            shown = pd.Series([marks[v] for v in counts.index.to_numpy(dtype=object)], dtype="object").pipe(
                lambda m: pd.Series(counts.to_numpy(), index=m).groupby(level=0, dropna=True).sum())
            shown = shown[shown.index.isin([".", ","])].sort_values(ascending=False, kind="stable")
            chosen = shown.index[0] if len(shown) else None
            if len(shown) > 1:  # 12.50 and 3,75 in one column: read by the majority, refuse the others
                chosen = None if shown.iloc[0] == shown.iloc[1] else chosen
                other = {v for v, m in marks.items() if m in (".", ",") and m != chosen}
                _add(issues, "number written with another decimal mark than the rest of the column (give decimal)",
                     text.isin(other), s)
            unsure = {v for v, m in marks.items() if m == "ambiguous" and (chosen is None or shapes[v][0])}
            if unsure:
                _add(issues, AMBIGUOUS_NUMBER, text.isin(unsure), s)
            mark = chosen or "."
        else:
            unsure, mark = set(), decimal
        values = {}
        quick = [v for v in plain if v not in unsure and v not in other and (mark == "." or "." not in v)]
        if quick:
            values.update(zip(quick, pd.to_numeric(pd.Series(quick, dtype=object)).astype("float64").tolist()))
        for v, (_, sign, body) in shapes.items():
            if v in values:
                continue
            number = None if v in unsure or v in other else _number(body, mark)
            values[v] = None if number is None else (-number if sign == "-" else number)
        out = pd.to_numeric(text.map(values), errors="coerce").astype("float64")
    infinite = out.notna() & ~np.isfinite(out)
    _add(issues, NOT_FINITE, infinite, s)
    return out.where(~infinite)


def parse_flags(s):
    """True/False/None per value (None: missing, or not a yes/no word).

    Parameters
    ----------
    s : Series

    Returns
    -------
    Series
    """
    import numpy as np
    import pandas as pd

    if s.dtype == bool:
        return s
    words = s.astype("str").str.strip().str.strip("\"'").str.lower().where(s.notna())
    return pd.Series(np.where(words.isin(TRUE_WORDS), True, np.where(words.isin(FALSE_WORDS), False, None)),
                     index=s.index, dtype="object")
