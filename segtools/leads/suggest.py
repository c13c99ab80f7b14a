"""A points table learned from history: a few readable rules per group, from the closed leads.

:func:`suggest_points` turns the leads whose outcome is known into an editable fit +
engagement points table (the format of :mod:`segtools.leads.rules`): for each of the most
telling columns one threshold (numbers) or a few levels (text), points from the lift of the
leads the rule picks (10 points per doubling of the conversion rate, rounded to 5), and a
cap per group. Columns the leak alarm flags are left out. :func:`write_points` saves it as
CSV or YAML, which ``segtools report --points`` reads back.
"""

from __future__ import annotations

from segtools._validation import require_frame
from segtools.errors import ValidationError

#: Column names read as engagement (what the lead did) rather than fit (who the lead is).
ENGAGEMENT_WORDS = ("view", "visit", "open", "click", "download", "webinar", "demo", "trial", "activity", "time",
                    "session", "event", "usage", "login", "call", "contact", "page", "email", "e-mail")
#: The least leads a rule must pick (and leave out) to be suggested.
MIN_ROWS = 20


def _lift_points(rate, base) -> float:
    """10 points per doubling of the conversion rate against the base rate, rounded to 5."""
    import math

    rate = min(max(rate, 1e-3), 1.0)
    return float(5 * round(2 * math.log2(rate / base)))


def _numeric_rule(x, y, base):
    """The best single threshold ``x >= t``: (strength, op, value, points) or None."""
    import numpy as np

    ok = np.isfinite(x)
    best = None
    for t in np.unique(np.quantile(x[ok], [0.25, 0.5, 0.75, 0.9])) if ok.any() else ():
        above = ok & (x >= t)
        n_a = int(above.sum())
        if n_a < MIN_ROWS or ok.sum() - n_a < MIN_ROWS:
            continue
        r_a, r_b = y[above].mean(), y[ok & ~above].mean()
        strength = abs(r_a - r_b) * np.sqrt(n_a * (ok.sum() - n_a)) / ok.sum()
        if best is None or strength > best[0]:
            best = (strength, ">=", float(t), _lift_points(r_a, base))
    return best


def _level_rules(x, y, base, max_levels):
    """Up to ``max_levels`` telling levels of a text column: [(strength, "in", [level], points)]."""
    import numpy as np
    import pandas as pd

    frame = pd.DataFrame({"x": x.astype("str").where(x.notna()), "y": y}).dropna()
    per = frame.groupby("x")["y"].agg(["size", "mean"])
    per = per[(per["size"] >= MIN_ROWS) & (len(frame) - per["size"] >= MIN_ROWS)]
    per["strength"] = (per["mean"] - base).abs() * np.sqrt(per["size"] * (len(frame) - per["size"])) / len(frame)
    rules = []
    for level, row in per.sort_values("strength", ascending=False).head(max_levels).iterrows():
        pts = _lift_points(row["mean"], base)
        if pts:
            rules.append((float(row["strength"]), "in", [level], pts))
    return rules


def _score_kind(column) -> str:
    low = str(column).lower()
    return "engagement" if any(w in low for w in ENGAGEMENT_WORDS) else "fit"


def _derive(X, y, *, max_groups, max_levels):
    """The rules learned from features ``X`` and outcome ``y`` (a points table as a list of dicts)."""
    import numpy as np
    import pandas as pd

    base = float(y.mean())
    found = []
    for col in X.columns:
        s = X[col]
        if s.dtype == bool or str(s.dtype) == "boolean":
            x = s.astype("float").to_numpy()
            rules = [r for r in [_numeric_rule(x, y, base)] if r]
            rules = [(r[0], "==", True, r[3]) for r in rules]
        elif pd.api.types.is_numeric_dtype(s):
            rules = [r for r in [_numeric_rule(s.astype(float).to_numpy(), y, base)] if r]
        else:
            rules = _level_rules(s, y, base, max_levels)
        rules = [r for r in rules if r[3] != 0]
        if rules:
            found.append((max(r[0] for r in rules), col, rules))
    found.sort(key=lambda f: (-f[0], str(f[1])))
    table = []
    for _, col, rules in found[:max_groups]:
        cap = sum(r[3] for r in rules if r[3] > 0) or np.nan
        for _, op, value, pts in rules:
            table.append({"score": _score_kind(col), "group": str(col), "column": col, "op": op,
                          "value": value, "points": pts, "cap": cap})
    if not table:
        raise ValidationError("leads: no column separates converted from not converted leads well enough to "
                              "suggest a rule", table="leads")
    return table


def suggest_points(leads, *, outcome_col: str = "converted", is_open=None, post_outcome=(), keep_flagged=(),
                   max_groups: int = 8, max_levels: int = 3, date_col: str = "created_at"):
    """An editable points table learned from the closed leads, with its held-out ROC AUC.

    The rules are learned on the older three quarters of the closed leads (a random three
    quarters without ``date_col``) and measured on the rest; the table returned is then
    learned again from every closed lead.

    Parameters
    ----------
    leads : DataFrame
        Leads with the outcome (missing, or ``is_open``, for leads still open).
    outcome_col : str, default "converted"
        The outcome: 1/0, yes/no, true/false or Y/N.
    is_open : array-like of bool, optional
        Leads still open (not learned from).
    post_outcome, keep_flagged : iterable of str
        As in :func:`segtools.leads.lead_features`: declared post-outcome columns, flagged columns kept.
    max_groups : int, default 8
        The most columns (one group each) the table uses.
    max_levels : int, default 3
        The most levels of a text column that get a rule.
    date_col : str, default "created_at"
        Creation dates, for the time-ordered measurement.

    Returns
    -------
    DataFrame
        ``score, group, column, op, value, points, cap``; ``attrs["roc_auc"]`` is the held-out
        ROC AUC of the points, ``attrs["leak_alarm"]`` the columns left out.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.leads.suggest import suggest_points
    >>> leads = load_case("startup").leads
    >>> table = suggest_points(leads, is_open=leads["status"].eq("open"))
    >>> list(table.columns), bool(table.attrs["roc_auc"] > 0.6)
    (['score', 'group', 'column', 'op', 'value', 'points', 'cap'], True)
    """
    import numpy as np
    import pandas as pd
    from sklearn.metrics import roc_auc_score

    from segtools.leads.history import outcome_of
    from segtools.leads.model import lead_features
    from segtools.leads.rules import RuleScorer

    require_frame(leads, table="leads")
    if max_groups < 1 or max_levels < 1:
        raise ValueError("max_groups and max_levels must be at least 1")
    flags = outcome_of(leads, outcome_col)
    open_ = flags.isna().to_numpy() if is_open is None else np.asarray(is_open, dtype=bool) | flags.isna().to_numpy()
    closed = leads[~open_]
    y = flags[~open_].to_numpy(dtype=bool)
    if y.all() or not y.any():
        raise ValidationError(f"leads: the {len(y):,} closed leads all have the same outcome", table="leads")
    X = lead_features(closed, post_outcome=post_outcome, outcome_col=outcome_col, keep_flagged=keep_flagged)
    if date_col in closed.columns and closed[date_col].notna().all():
        order = np.argsort(closed[date_col].to_numpy(), kind="stable")
    else:
        order = np.random.default_rng(0).permutation(len(y))
    cut = int(len(y) * 0.75)
    train, test = order[:cut], order[cut:]
    rules = _derive(X.iloc[train], y[train], max_groups=max_groups, max_levels=max_levels)
    auc = np.nan
    if y[test].any() and not y[test].all():
        s = RuleScorer(rules).fit(X.iloc[test]).transform(X.iloc[test])["score"].to_numpy()
        auc = float(roc_auc_score(y[test], s)) if len(np.unique(s)) > 1 else 0.5
    table = pd.DataFrame(_derive(X, y, max_groups=max_groups, max_levels=max_levels))
    table = table.sort_values(["score", "group"], kind="stable", key=lambda c: c.map({"fit": 0, "engagement": 1})
                              if c.name == "score" else c).reset_index(drop=True)
    table.attrs["roc_auc"] = auc
    table.attrs["leak_alarm"] = X.attrs["leak_alarm"]
    return table


def write_points(table, path) -> None:
    """Write a points table as CSV (``a|b`` lists) or YAML (by the file's suffix), ready for ``--points``.

    Parameters
    ----------
    table : DataFrame or list of dict
        A points table (``score, group, column, op, value, points`` and optionally ``cap``).
    path : str or Path
        ``.csv``, ``.yml`` or ``.yaml``.

    Returns
    -------
    None

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from segtools.leads import points_table
    >>> from segtools.leads.suggest import write_points
    >>> rules = [{"score": "fit", "group": "size", "column": "size", "op": "in", "value": ["50-249", "250+"],
    ...           "points": 10, "cap": None}]
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "points.yml"
    >>> write_points(rules, path)
    >>> points_table(str(path))["rule"].tolist()
    ['size in 50-249|250+']
    """
    import math
    from pathlib import Path

    import pandas as pd

    path = Path(path)
    rows = pd.DataFrame(table).to_dict("records")
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

        text = ("# A lead points table (format: README, 'The points table'). Edit points, values and caps freely.\n"
                + yaml.safe_dump(clean, sort_keys=False, allow_unicode=True))
        path.write_text(text, encoding="utf-8")
    elif path.suffix.lower() == ".csv":
        frame = pd.DataFrame(clean)
        frame["value"] = [("|".join(map(str, v)) if isinstance(v, list) else v) for v in frame["value"]]
        frame.to_csv(path, index=False)
    else:
        raise ValueError(f"path must end in .csv, .yml or .yaml, got {path.name!r}")
