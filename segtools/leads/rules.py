"""Rule-based lead scoring: an editable points table, caps per group, decay, explanations.

A points table is plain data, one row a rule, so an analyst can edit it in a spreadsheet
and load it from CSV or YAML:

=========  ====================================================================
column     meaning
=========  ====================================================================
score      ``fit`` (who the lead is) or ``engagement`` (what the lead did)
group      rules in one group share a cap (e.g. all the e-mail rules)
column     the lead column the rule tests
op         ``==  !=  <  <=  >  >=  in  not in  between  missing  present``
value      a number or text; for ``in``/``not in`` a list (or ``a|b|c``);
           for ``between`` two numbers, both ends included (or ``lo|hi``)
points     what the rule adds when it fires (negative rules subtract)
cap        optional: the most a group can add in total (blank = no cap)
=========  ====================================================================

A rule on a missing value does not fire (except ``missing``), so unknown company sizes
earn nothing rather than a guess. Engagement can fade: with ``half_life=30`` the
engagement points of a lead whose last activity was 30 days before ``as_of`` count half.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator, TransformerMixin

from segtools.errors import ValidationError
from segtools.leads.defaults import DEFAULT_POINTS
from segtools._validation import require_columns, require_frame

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


def points_table(rules) -> "pd.DataFrame":
    """Check a points table and return it in canonical form (a new DataFrame).

    Parameters
    ----------
    rules : DataFrame, list of dict, or str path to a ``.csv`` / ``.yaml`` file
        One rule a row with the columns ``score, group, column, op, value, points`` and
        optionally ``cap`` (see the module docstring).

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
    """A boolean numpy array: where the rule fires on ``series`` (missing never fires, bar ``missing``)."""
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


def _points_matrix(leads, rules, table: str = "leads"):
    """Points per lead (rows) and rule (columns) as a numpy array, with unique rule labels."""
    import numpy as np

    require_columns(leads, list(dict.fromkeys(rules["column"])), table=table, why="used by the points table")
    values = np.zeros((len(leads), len(rules)), order="F")  # one contiguous column per rule
    labels = []
    for i, r in enumerate(rules.itertuples()):
        mask = rule_mask(leads[r.column], r.op, r.value)
        values[:, i] = np.where(mask, r.points, 0.0)
        labels.append(r.rule if r.rule not in labels else f"{r.rule} #{i}")
    return values, labels


def _capped(points, rules):
    """Sum per score after applying each group's cap; returns (fit, engagement, cap adjustments)."""
    import numpy as np

    values, _ = points
    out = {s: np.zeros(len(values)) for s in SCORES}
    adjustments = {}
    groups = {}
    for i, key in enumerate(zip(rules["score"], rules["group"])):
        groups.setdefault(key, []).append(i)
    for (score, group), idx in groups.items():
        total = values[:, idx[0]].copy()
        for j in idx[1:]:
            total += values[:, j]
        cap = rules["cap"].iloc[idx[0]]
        if not np.isnan(cap):
            capped = np.minimum(total, cap)
            adjustments[(score, group)] = capped - total
            total = capped
        out[score] += total
    return out["fit"], out["engagement"], adjustments


def decay_factor(last_activity, as_of, half_life: float):
    """``0.5 ** (days since last activity / half_life)``; activity after ``as_of`` counts fully.

    A missing last activity date gets factor 0 (no evidence of recent engagement) and is counted
    in the result's ``decay`` column, never dropped.

    Examples
    --------
    >>> import pandas as pd
    >>> from segtools.leads.rules import decay_factor
    >>> decay_factor(pd.Series(pd.to_datetime(["2026-01-01", "2025-12-02", "2025-11-02"])),
    ...              pd.Timestamp("2026-01-01"), half_life=30).round(3).tolist()
    [1.0, 0.5, 0.25]
    """
    import numpy as np
    import pandas as pd

    if half_life is None or half_life <= 0:
        raise ValidationError("leads: half_life must be a positive number of days", table="leads")
    days = (pd.Timestamp(as_of) - pd.to_datetime(last_activity)).dt.total_seconds().to_numpy() / 86400.0
    factor = np.power(0.5, np.clip(days, 0, None) / half_life)
    return pd.Series(np.nan_to_num(factor, nan=0.0), index=last_activity.index, name="decay")


class RuleScorer(BaseEstimator, TransformerMixin):
    """Score leads with a points table: fit score + (decayed) engagement score, explained.

    Parameters
    ----------
    points : DataFrame, list of dict, path, or world name
        The points table (see :func:`points_table`), or ``"startup"`` etc. for
        :func:`segtools.leads.default_points`.
    half_life : float or None
        Days after which engagement points count half; None = no decay.
    as_of : Timestamp-like or None
        The scoring date for the decay (e.g. ``case.snapshot_date``); needed with ``half_life``.
    activity_column : str
        The column with each lead's last activity date.
    id_column : str
        The lead identifier, copied into the results.

    Attributes
    ----------
    points_ : DataFrame
        The checked points table.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.leads import RuleScorer
    >>> case = load_case("startup")
    >>> scorer = RuleScorer("startup", half_life=30, as_of=case.snapshot_date).fit(case.leads)
    >>> scores = scorer.transform(case.leads)
    >>> list(scores.columns)
    ['lead_id', 'fit_score', 'engagement_points', 'decay', 'engagement_score', 'score']
    >>> why = scorer.explain(case.leads.head(1))
    >>> bool(abs(why["counted"].sum() - scores["score"].iloc[0]) < 1e-9)
    True
    """

    def __init__(self, points="startup", half_life=None, as_of=None, activity_column="last_activity_at",
                 id_column="lead_id"):
        self.points = points
        self.half_life = half_life
        self.as_of = as_of
        self.activity_column = activity_column
        self.id_column = id_column

    def _table(self):
        if isinstance(self.points, str) and not self.points.endswith((".csv", ".yaml", ".yml")):
            return default_points(self.points)
        return points_table(self.points)

    def fit(self, X, y=None):
        """Check the points table against the columns of ``X``; learns nothing from the data."""
        require_frame(X, table="leads")
        self.points_ = self._table()
        needed = list(dict.fromkeys(self.points_["column"]))
        if self.half_life is not None:
            if self.as_of is None:
                raise ValidationError("leads: half_life needs as_of, the scoring date (e.g. case.snapshot_date)",
                                      table="leads")
            needed.append(self.activity_column)
        require_columns(X, needed, why="used by the points table", table="leads")
        return self

    def _parts(self, X):
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "points_")
        require_frame(X, table="leads")
        points = _points_matrix(X, self.points_)
        fit, eng, adjustments = _capped(points, self.points_)
        if self.half_life is None:
            import numpy as np

            decay = np.ones(len(X))
        else:
            require_columns(X, [self.activity_column], why="needed for the decay", table="leads")
            decay = decay_factor(X[self.activity_column], self.as_of, self.half_life).to_numpy()
        return points, fit, eng, decay, adjustments

    def transform(self, X):
        """One row per lead: ``fit_score``, ``engagement_points``, ``decay``, ``engagement_score``, ``score``."""
        import pandas as pd

        _, fit, eng, decay, _ = self._parts(X)
        out = pd.DataFrame({"fit_score": fit, "engagement_points": eng, "decay": decay,
                            "engagement_score": eng * decay}, index=X.index)
        out["score"] = out["fit_score"] + out["engagement_score"]
        if self.id_column in X.columns:
            out.insert(0, self.id_column, X[self.id_column])
        return out

    def explain(self, X):
        """Which rules fired for each lead, for how many points; ``counted`` sums to the score.

        Returns a long DataFrame: ``lead`` (the id, or the row label), ``score`` (fit or
        engagement), ``group``, ``rule``, ``points`` (from the table; cap rows show what a cap
        took away), ``decay`` and ``counted`` (points after decay).
        """
        import numpy as np
        import pandas as pd

        points, _, _, decay, adjustments = self._parts(X)
        ids = X[self.id_column].to_numpy() if self.id_column in X.columns else X.index.to_numpy()
        matrix, _ = points
        frames = []
        for i, r in enumerate(self.points_.itertuples()):
            values = matrix[:, i]
            hit = values != 0
            frames.append(pd.DataFrame({"lead": ids[hit], "score": r.score, "group": r.group, "rule": r.rule,
                                        "points": values[hit], "_row": np.flatnonzero(hit)}))
        for (score, group), adj in adjustments.items():
            hit = adj != 0
            frames.append(pd.DataFrame({"lead": ids[hit], "score": score, "group": group,
                                        "rule": f"cap on {group}", "points": adj[hit], "_row": np.flatnonzero(hit)}))
        out = pd.concat(frames, ignore_index=True)
        out["decay"] = np.where(out["score"] == "engagement", decay[out["_row"].to_numpy()], 1.0)
        out["counted"] = out["points"] * out["decay"]
        return out.sort_values(["_row", "score", "group"], kind="stable").drop(columns="_row").reset_index(drop=True)


def score_leads(leads, points="startup", half_life=None, as_of=None, **kwargs):
    """Score leads with a points table: shorthand for ``RuleScorer(...).fit(leads).transform(leads)``.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> from segtools.leads import score_leads
    >>> s = score_leads(load_case("retail").leads, "retail")
    >>> len(s), bool((s["score"] == s["fit_score"] + s["engagement_score"]).all())
    (4000, True)
    """
    return RuleScorer(points, half_life=half_life, as_of=as_of, **kwargs).fit(leads).transform(leads)


def default_points(world: str):
    """The default points table of a case world, checked and ready to edit.

    Parameters
    ----------
    world : str
        ``retail``, ``startup``, ``consulting`` or ``agency``.

    Returns
    -------
    DataFrame
        See :func:`segtools.leads.points_table`; save it with ``to_csv`` to edit it.

    Examples
    --------
    >>> from segtools.leads import default_points
    >>> t = default_points("startup")
    >>> sorted(t["score"].unique()), int(t["points"].max())
    (['engagement', 'fit'], 25)
    """
    if world not in DEFAULT_POINTS:
        raise ValueError(f"no default points table for {world!r}; choose one of {', '.join(DEFAULT_POINTS)}")
    return points_table(DEFAULT_POINTS[world])
