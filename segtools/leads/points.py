"""The points table: check and parse it, and test where one rule fires.

See :mod:`segtools.leads.rules` for the table's columns and how the scorer uses it. A table can
carry its engagement decay: ``half_life_days`` (a top-level key of the YAML mapping form
``{half_life_days: 30, rules: [...]}``, or a ``half_life_days`` column of a CSV filled in on
one row or more, all alike); :func:`points_table` keeps it in ``attrs["half_life_days"]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from segtools._validation import require_columns
from segtools.errors import ValidationError

if TYPE_CHECKING:
    import pandas as pd

OPS = ("==", "!=", "<", "<=", ">", ">=", "in", "not in", "between", "missing", "present")
SCORES = ("fit", "engagement")
TABLE_COLUMNS = ("score", "group", "column", "op", "value", "points", "cap")
#: The table's setting for the engagement decay (YAML key, CSV column, ``attrs`` key).
HALF_LIFE_KEY = "half_life_days"


def _parse_value(op, value):
    """Turn a cell of the table into the value the rule compares with."""
    if op in ("in", "not in", "between"):
        if isinstance(value, str):
            value = [_number_or_text(v.strip()) for v in value.split("|")]
        value = list(value)
        if op == "between" and len(value) != 2:
            raise ValueError("between needs two values, lo|hi")
        return value
    if op in ("missing", "present"):
        return None
    return _number_or_text(value) if isinstance(value, str) else value


def _number_or_text(v):
    if isinstance(v, str):
        low = v.lower()
        if low in ("true", "false"):
            return low == "true"
        try:
            return float(v)
        except ValueError:
            return v
    return v


def _half_life(values):
    """The one half-life among ``values`` (blanks ignored): a positive float, or None for no decay."""
    import math

    found = set()
    for v in values:
        if v is None or (isinstance(v, str) and not v.strip()) or (isinstance(v, float) and math.isnan(v)):
            continue
        try:
            number = float(v)
        except (TypeError, ValueError):
            number = float("nan")
        if isinstance(v, bool) or not number > 0 or math.isinf(number):
            raise ValidationError(f"points: {HALF_LIFE_KEY} must be a positive number of days (or empty for no "
                                  f"decay), got {v!r}", table="points")
        found.add(number)
    if len(found) > 1:
        raise ValidationError(f"points: {HALF_LIFE_KEY} has more than one value: {sorted(found)}; give it once",
                              table="points")
    return found.pop() if found else None


def _read(rules):
    """``(rules, half_life_days)`` from a path, a mapping ``{half_life_days, rules}``, a list or a DataFrame."""
    import pandas as pd

    half_life = None
    if isinstance(rules, str):
        if rules.endswith((".yaml", ".yml")):
            import yaml

            with open(rules, encoding="utf-8") as fh:
                rules = yaml.safe_load(fh)
        else:
            rules = pd.read_csv(rules, dtype={"value": "object", HALF_LIFE_KEY: "object"}, keep_default_na=False,
                                na_values={"cap": [""]})
    if isinstance(rules, dict):
        unknown = sorted(set(map(str, rules)) - {HALF_LIFE_KEY, "rules"})
        if unknown or "rules" not in rules:
            raise ValidationError(f"points: a points table given as a mapping has the keys rules and optionally "
                                  f"{HALF_LIFE_KEY}; {'unknown: ' + ', '.join(unknown) if unknown else 'no rules'}",
                                  table="points")
        half_life = _half_life([rules.get(HALF_LIFE_KEY)])
        rules = rules["rules"]
    elif isinstance(rules, pd.DataFrame):
        half_life = _half_life([rules.attrs.get(HALF_LIFE_KEY)])
    table = pd.DataFrame(rules).copy() if not isinstance(rules, pd.DataFrame) else rules.copy()
    if HALF_LIFE_KEY in table.columns:
        half_life = _half_life([half_life, *table.pop(HALF_LIFE_KEY)])
    return table, half_life


def points_table(rules) -> pd.DataFrame:
    """Check a points table and return it in canonical form (a new DataFrame).

    Parameters
    ----------
    rules : DataFrame, list of dict, dict, or str path to a ``.csv`` / ``.yaml`` file
        One rule a row with the columns ``score, group, column, op, value, points`` and
        optionally ``cap`` (see :mod:`segtools.leads.rules`). The table's engagement decay,
        optional: a mapping ``{"half_life_days": 30, "rules": [...]}`` (the YAML form), a
        ``half_life_days`` column (CSV: fill it in on one row, or on every row alike) or
        ``attrs["half_life_days"]`` of a DataFrame.

    Returns
    -------
    DataFrame
        The rules with a ``rule`` label column added, values parsed (``a|b`` lists, numbers);
        ``attrs["half_life_days"]`` is the table's half-life in days, or None (no decay).

    Examples
    --------
    >>> from segtools.leads import points_table
    >>> t = points_table([{"score": "fit", "group": "size", "column": "company_size",
    ...                    "op": ">=", "value": 50, "points": 10}])
    >>> t[["rule", "points"]].to_dict("records")
    [{'rule': 'company_size >= 50', 'points': 10.0}]
    >>> t.attrs["half_life_days"] is None
    True
    >>> points_table({"half_life_days": 30, "rules": [{"score": "engagement", "group": "web",
    ...               "column": "page_views", "op": ">=", "value": 3, "points": 5}]}).attrs["half_life_days"]
    30.0
    """
    import pandas as pd

    table, half_life = _read(rules)
    if "cap" not in table.columns:
        table["cap"] = float("nan")
    if "value" not in table.columns:
        table["value"] = None
    require_columns(table, TABLE_COLUMNS, table="points")
    table = table.astype({"value": object}).reset_index(drop=True)
    for check, bad in (("score must be fit or engagement", ~table["score"].isin(SCORES)),
                       (f"op must be one of {', '.join(OPS)}", ~table["op"].isin(OPS))):
        if bad.any():
            raise ValidationError(f"points: {check}; {int(bad.sum())} of {len(table)} rules break it "
                                  f"(rows {', '.join(map(str, table.index[bad][:5]))})", table="points")
    table["points"] = pd.to_numeric(table["points"], errors="coerce").astype(float)
    table["cap"] = pd.to_numeric(table["cap"].replace("", float("nan")), errors="coerce").astype(float)
    if table["points"].isna().any():
        raise ValidationError(f"points: column 'points' is not a number in {int(table['points'].isna().sum())} "
                              f"of {len(table)} rules", table="points")
    values = []
    for i, row in table.iterrows():
        try:
            values.append(_parse_value(row["op"], row["value"]))
        except (TypeError, ValueError) as err:
            raise ValidationError(f"points: column 'value' of rule {i} ({row['column']} {row['op']}): {err}",
                                  table="points") from None
    table["value"] = pd.Series(values, index=table.index, dtype=object)
    caps = table.groupby(["score", "group"])["cap"].nunique()
    if (caps > 1).any():
        raise ValidationError(f"points: groups with more than one cap: {list(caps[caps > 1].index)}", table="points")
    table["rule"] = [_label(r) for r in table.itertuples()]
    out = table[["score", "group", "rule", "column", "op", "value", "points", "cap"]].copy()
    out.attrs = {HALF_LIFE_KEY: half_life}
    return out


def _label(r) -> str:
    if r.op in ("missing", "present"):
        return f"{r.column} {r.op}"
    value = "|".join(map(_fmt, r.value)) if isinstance(r.value, list) else _fmt(r.value)
    return f"{r.column} {r.op} {value}"


def _fmt(v):
    return f"{v:g}" if isinstance(v, float) else str(v)


def rule_mask(series, op, value):
    """A boolean numpy array: where the rule fires on ``series`` (missing never fires, bar ``missing``).

    Parameters
    ----------
    series : Series
        The lead column the rule tests.
    op : str
        One of :data:`OPS`.
    value : object
        The parsed value of the rule (a list for ``in``, ``not in`` and ``between``).

    Returns
    -------
    ndarray of bool
        One flag per row of ``series``.
    """
    import numpy as np

    present = series.notna().to_numpy()
    if op == "missing":
        return ~present
    if op == "present":
        return present
    if op in ("in", "not in"):
        hit = series.isin(value).to_numpy(dtype=bool)
        return (hit if op == "in" else ~hit) & present
    if op == "between":
        lo, hi = value
        return (series.ge(lo) & series.le(hi)).fillna(False).to_numpy(dtype=bool)
    compare = {"==": series.eq, "!=": series.ne, "<": series.lt, "<=": series.le, ">": series.gt, ">=": series.ge}
    return np.asarray(compare[op](value).fillna(False), dtype=bool) & present


def write_points(table, path, *, half_life_days=None) -> None:
    """Write a points table as CSV (``a|b`` lists) or YAML (by the file's suffix), ready for ``--points``.

    A table with a half-life (``attrs["half_life_days"]``, or ``half_life_days``) is written
    complete: YAML as ``{half_life_days: 30, rules: [...]}``, CSV with a ``half_life_days``
    column filled in on the first rule. Without one, YAML is a plain list of rules and CSV
    has no such column.

    Parameters
    ----------
    table : DataFrame or list of dict
        A points table (``score, group, column, op, value, points`` and optionally ``cap``).
    path : str or Path
        ``.csv``, ``.yml`` or ``.yaml``.
    half_life_days : float, optional
        The engagement half-life to write; by default the table's ``attrs["half_life_days"]``.

    Returns
    -------
    None

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from segtools.leads import points_table
    >>> from segtools.leads.points import write_points
    >>> rules = [{"score": "fit", "group": "size", "column": "size", "op": "in", "value": ["50-249", "250+"],
    ...           "points": 10, "cap": None}]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "points.yml"
    >>> write_points(rules, path)
    >>> points_table(str(path))["rule"].tolist()
    ['size in 50-249|250+']
    >>> write_points(rules, path.with_suffix(".csv"), half_life_days=30)
    >>> points_table(str(path.with_suffix(".csv"))).attrs["half_life_days"]
    30.0
    """
    import math
    from pathlib import Path

    import pandas as pd

    path = Path(path)
    if path.suffix.lower() not in (".yml", ".yaml", ".csv"):
        raise ValueError(f"path must end in .csv, .yml or .yaml, got {path.name!r}")
    if half_life_days is None:
        half_life_days = getattr(table, "attrs", {}).get(HALF_LIFE_KEY)
    try:
        half_life_days = _half_life([half_life_days])
    except ValidationError:
        raise ValueError(f"half_life_days must be a positive number of days or None, got {half_life_days!r}") from None
    rows = pd.DataFrame(table).drop(columns=[HALF_LIFE_KEY], errors="ignore").to_dict("records")
    clean = []
    for r in rows:
        cap = r.get("cap")
        value = r.get("value")
        value = [v.item() if hasattr(v, "item") else v for v in value] if isinstance(value, list) else (
            value.item() if hasattr(value, "item") else value)
        clean.append({"score": r["score"], "group": str(r["group"]), "column": str(r["column"]), "op": r["op"],
                      "value": value, "points": float(r["points"]),
                      "cap": None if cap is None or (isinstance(cap, float) and math.isnan(cap)) else float(cap)})
    if path.suffix.lower() in (".yml", ".yaml"):
        import yaml

        body = clean if half_life_days is None else {HALF_LIFE_KEY: half_life_days, "rules": clean}
        text = ("# A lead points table (format: README, 'The points table'). Edit points, values and caps freely.\n"
                + ("" if half_life_days is None else f"# {HALF_LIFE_KEY}: engagement points count half after "
                   "this many days without activity (null: no decay).\n")
                + yaml.safe_dump(body, sort_keys=False, allow_unicode=True))
        path.write_text(text, encoding="utf-8")
    elif path.suffix.lower() == ".csv":
        frame = pd.DataFrame(clean)
        frame["value"] = [("|".join(map(str, v)) if isinstance(v, list) else v) for v in frame["value"]]
        if half_life_days is not None:
            frame[HALF_LIFE_KEY] = [f"{half_life_days:g}"] + [""] * (len(frame) - 1)
        frame.to_csv(path, index=False)
