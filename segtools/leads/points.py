"""The points table: check and parse it, and test where one rule fires.

See :mod:`segtools.leads.rules` for the table's columns and how the scorer uses it.
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


def points_table(rules) -> pd.DataFrame:
    """Check a points table and return it in canonical form (a new DataFrame).

    Parameters
    ----------
    rules : DataFrame, list of dict, or str path to a ``.csv`` / ``.yaml`` file
        One rule a row with the columns ``score, group, column, op, value, points`` and
        optionally ``cap`` (see :mod:`segtools.leads.rules`).

    Returns
    -------
    DataFrame
        The rules with a ``rule`` label column added, values parsed (``a|b`` lists, numbers).

    Examples
    --------
    >>> from segtools.leads import points_table
    >>> t = points_table([{"score": "fit", "group": "size", "column": "company_size",
    ...                    "op": ">=", "value": 50, "points": 10}])
    >>> t[["rule", "points"]].to_dict("records")
    [{'rule': 'company_size >= 50', 'points': 10.0}]
    """
    import pandas as pd

    if isinstance(rules, str):
        if rules.endswith((".yaml", ".yml")):
            import yaml

            with open(rules, encoding="utf-8") as fh:
                rules = yaml.safe_load(fh)
        else:
            rules = pd.read_csv(rules, dtype={"value": "object"}, keep_default_na=False, na_values={"cap": [""]})
    table = pd.DataFrame(rules).copy() if not isinstance(rules, pd.DataFrame) else rules.copy()
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
    return table[["score", "group", "rule", "column", "op", "value", "points", "cap"]]


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
