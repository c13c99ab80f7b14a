"""Value tiers, lead rule points and the lead-to-customer funnel counts on pandas, DuckDB or Spark."""

from __future__ import annotations

import numpy as np

from segtools._validation import require_columns
from segtools.engines._run import choose, runner
from segtools.engines._sql import literal, quote, rule_condition, tiers_sql


def value_tiers(source, *, engine="auto", value_col="monetary", customer_id_col="customer_id",
                shares=(0.2, 0.3, 0.5), labels=("Top 20%", "Next 30%", "Bottom 50%"), **engine_options):
    """Value tier per customer (as :func:`segtools.customers.value_tiers`), ranked in the engine.

    Parameters
    ----------
    source : DataFrame, path, DuckDB relation or Spark DataFrame
        One row per customer with ``customer_id_col`` (a column, or the index of a DataFrame) and ``value_col``.
    engine : {"auto", "pandas", "duckdb", "spark"}
        As in :func:`segtools.engines.rfm`.
    value_col, customer_id_col : str
        Column names.
    shares, labels : tuple
        As in :func:`segtools.customers.value_tiers`. Ties in value are ranked by customer id.
    **engine_options
        As in :func:`segtools.engines.rfm`.

    Returns
    -------
    Series
        Ordered categorical ``value_tier`` indexed by customer id (sorted).

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"customer_id": list("abcde"), "monetary": [500.0, 20.0, 80.0, 10.0, 40.0]})
    >>> value_tiers(d, engine="duckdb", shares=(0.2, 0.4, 0.4), labels=("top", "mid", "low")).tolist()
    ['top', 'low', 'mid', 'low', 'mid']
    """
    import pandas as pd

    if len(shares) != len(labels):
        raise ValueError(f"{len(shares)} shares but {len(labels)} labels")
    if not np.isclose(sum(shares), 1.0):
        raise ValueError(f"shares must add up to 1, they add up to {sum(shares)}")
    if isinstance(source, pd.DataFrame) and customer_id_col not in source.columns:
        source = source.rename_axis(customer_id_col).reset_index()
    chosen = choose(source, engine)
    if chosen == "pandas":
        from segtools.customers import value_tiers as pandas_tiers

        table = source.set_index(customer_id_col).sort_index()
        return pandas_tiers(table, value_col=value_col, shares=shares, labels=labels)
    run = runner(source, chosen, engine_options)
    n = int(run.df("SELECT count(*) AS n FROM {src}")["n"].iloc[0])
    raw = run.df(tiers_sql("{src}", n, shares=shares, value_col=value_col, customer_id_col=customer_id_col))
    return pd.Series(pd.Categorical.from_codes(raw["tier"].to_numpy(dtype=np.int64), categories=list(labels),
                                               ordered=True),
                     index=pd.Index(raw["cid"].to_numpy(), name=customer_id_col), name="value_tier")


def _points_sql(rules, *, half_life, snapshot_date, activity_col, lead_id_col) -> str:
    parts = {"fit": [], "engagement": []}
    groups = {}
    for r in rules.itertuples():
        expr = f"CASE WHEN {rule_condition(r.column, r.op, r.value)} THEN {literal(r.points)} ELSE 0.0 END"
        groups.setdefault((r.score, r.group), ([], r.cap))[0].append(expr)
    for (score, _), (exprs, cap) in groups.items():
        total = "(" + " + ".join(exprs) + ")"
        parts[score].append(total if np.isnan(cap) else f"least({total}, {literal(cap)})")
    fit, eng = ("(" + " + ".join(p) + ")" if p else "0.0" for p in (parts["fit"], parts["engagement"]))
    if half_life is None:
        decay = "1.0"
    else:
        import pandas as pd

        snap = pd.Timestamp(snapshot_date).isoformat(sep=" ")
        # whole microseconds between two timestamps (DATEDIFF(MICROSECOND, ...) in Spark): exact on both engines
        days = (f"date_diff('microsecond', CAST({quote(activity_col)} AS TIMESTAMP), TIMESTAMP '{snap}') "
                "/ 86400000000.0")
        decay = (f"CASE WHEN {quote(activity_col)} IS NULL THEN 0.0 "
                 f"ELSE pow(0.5, greatest({days}, 0.0) / {float(half_life)!r}) END")
    return (f"SELECT {quote(lead_id_col)} AS lead_id, CAST({fit} AS DOUBLE) AS fit_score, "
            f"CAST({eng} AS DOUBLE) AS engagement_points, CAST({decay} AS DOUBLE) AS decay FROM {{src}} "
            f"ORDER BY {quote(lead_id_col)}")


def rule_points(source, points, *, engine="auto", half_life=None, snapshot_date=None,
                activity_col="last_activity_at", lead_id_col="lead_id", **engine_options):
    """Rule points of every lead (as :class:`segtools.leads.RuleScorer`), computed in the engine.

    Parameters
    ----------
    source : DataFrame, path, DuckDB relation or Spark DataFrame
        One row per lead with ``lead_id_col`` and the columns the points table tests.
    points : DataFrame, list of dict, path or world name
        The points table (see :func:`segtools.leads.points_table`).
    engine : {"auto", "pandas", "duckdb", "spark"}
        As in :func:`segtools.engines.rfm`. The decay (``half_life``) runs on every engine.
    half_life, snapshot_date, activity_col, lead_id_col
        As in :class:`segtools.leads.RuleScorer`.
    **engine_options
        As in :func:`segtools.engines.rfm`.

    Returns
    -------
    DataFrame
        One row per lead, sorted by ``lead_id_col``: ``fit_score``, ``engagement_points``, ``decay``,
        ``engagement_score`` and ``score``.

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({"lead_id": [1, 2], "size": [120, None], "visits": [3, 9]})
    >>> table = [{"score": "fit", "group": "size", "column": "size", "op": ">=", "value": 50, "points": 10},
    ...          {"score": "engagement", "group": "web", "column": "visits", "op": ">", "value": 5, "points": 7}]
    >>> rule_points(leads, table, engine="duckdb")["score"].tolist()
    [10.0, 7.0]
    """
    import pandas as pd

    from segtools.leads import RuleScorer

    chosen = choose(source, engine)
    if chosen == "pandas":
        scorer = RuleScorer(points, half_life=half_life, snapshot_date=snapshot_date, activity_col=activity_col,
                            lead_id_col=lead_id_col).fit(source)
        out = scorer.transform(source).sort_values(lead_id_col, kind="stable")
        return out.set_index(lead_id_col)
    run = runner(source, chosen, engine_options)
    # the scorer's own fit picks the half-life (the one given, or the table's own when there are dates to count
    # from) and checks the columns, on the source's column names alone: one rule for every engine
    scorer = RuleScorer(points, half_life=half_life, snapshot_date=snapshot_date, activity_col=activity_col,
                        lead_id_col=lead_id_col).fit(run.df("SELECT * FROM {src} LIMIT 0"))
    raw = run.df(_points_sql(scorer.points_, half_life=scorer.half_life_, snapshot_date=snapshot_date,
                             activity_col=activity_col, lead_id_col=lead_id_col))
    out = pd.DataFrame({c: raw[c].to_numpy(dtype=np.float64) for c in ("fit_score", "engagement_points", "decay")},
                       index=pd.Index(raw["lead_id"].to_numpy(), name=lead_id_col))
    out["engagement_score"] = out["engagement_points"] * out["decay"]
    out["score"] = out["fit_score"] + out["engagement_score"]
    return out


def funnel_counts(leads, customer_segment, *, lead_segment_col="segment", engine="auto", outcome_col="converted",
                  customer_id_col="customer_id", **engine_options):
    """Leads, converted leads and customers per lead segment and customer segment, counted in the engine.

    Parameters
    ----------
    leads : DataFrame, path, DuckDB relation or Spark DataFrame
        One row a lead with ``lead_segment_col``, ``outcome_col`` and ``customer_id_col``.
    customer_segment : Series or DataFrame
        Customer segment labels by customer id (as in :func:`segtools.compare.funnel`); small, so it
        is sent to the engine.
    lead_segment_col, outcome_col, customer_id_col : str
        Column names.
    engine : {"auto", "pandas", "duckdb", "spark"}
        As in :func:`segtools.engines.rfm`.
    **engine_options
        As in :func:`segtools.engines.rfm`.

    Returns
    -------
    DataFrame
        ``lead_segment``, ``customer_segment`` (every pair, in the order of :func:`segtools.compare.funnel`),
        ``leads``, ``converted`` and ``customers``.

    Examples
    --------
    >>> import pandas as pd
    >>> leads = pd.DataFrame({"segment": ["hot", "hot", "cold"], "converted": [True, False, True],
    ...                       "customer_id": ["C1", None, "C3"]})
    >>> seg = pd.Series({"C1": "loyal", "C3": "one-off"})
    >>> funnel_counts(leads, seg, engine="duckdb")["customers"].tolist()
    [0, 1, 1, 0]
    """
    import pandas as pd

    from segtools import NO_SEGMENT

    chosen = choose(leads, engine)
    cols = ["lead_segment", "customer_segment", "leads", "converted", "customers"]
    if chosen == "pandas":
        from segtools.compare import funnel

        out = funnel(leads, lead_segment_col, customer_segment, outcome_col=outcome_col,
                     customer_id_col=customer_id_col)
        return out[cols]
    seg = _customer_labels(customer_segment)
    run = runner(leads, chosen, engine_options)
    has = list(run.df("SELECT * FROM {src} LIMIT 0").columns)
    missing = [c for c in (lead_segment_col, outcome_col, customer_id_col) if c not in has]
    if missing:
        from segtools.engines.customers import where_label
        from segtools.errors import ValidationError

        raise ValidationError(f"{where_label(run, 'leads')}: column(s) {', '.join(map(repr, missing))} not found; "
                              f"it has {', '.join(map(str, has))}", table="leads")
    labels = pd.DataFrame({"cid": seg.dropna().index.astype(str), "seg": seg.dropna().astype(str).to_numpy()})
    table = run.add(labels)
    # one pass: the counts, and the outcome checks of segtools.compare.funnel (no gaps; True/False or 1/0; a
    # customer id only on converted leads), so a file is refused for the same reasons as a DataFrame
    sql = (f"WITH l AS (SELECT CAST({quote(lead_segment_col)} AS VARCHAR) AS ls, {quote(outcome_col)} IS NULL AS gap, "
           f"TRY_CAST({quote(outcome_col)} AS DOUBLE) AS v, CAST({quote(customer_id_col)} AS VARCHAR) AS cid "
           "FROM {src}) SELECT ls, CASE WHEN v = 1 THEN coalesce(s.seg, " + literal(NO_SEGMENT) + ") END AS cs, "
           "count(*) AS n, sum(CASE WHEN gap THEN 1 ELSE 0 END) AS gaps, "
           "sum(CASE WHEN NOT gap AND (v IS NULL OR v NOT IN (0, 1)) THEN 1 ELSE 0 END) AS not_flag, "
           "sum(CASE WHEN v = 0 AND l.cid IS NOT NULL THEN 1 ELSE 0 END) AS stray "
           f"FROM l LEFT JOIN {table} s ON l.cid = s.cid GROUP BY 1, 2")
    raw = run.df(sql)
    _check_outcomes(run, raw, outcome_col, customer_id_col)
    lead_order = _order(leads[lead_segment_col] if isinstance(leads, pd.DataFrame) else raw["ls"])
    if raw["ls"].isna().any() and NO_SEGMENT not in lead_order:  # missing lead labels: NO_SEGMENT, as in pandas
        lead_order.append(NO_SEGMENT)
    raw["ls"] = raw["ls"].fillna(NO_SEGMENT)
    cust_order = _order(seg)
    if (raw["cs"] == NO_SEGMENT).any() and NO_SEGMENT not in cust_order:
        cust_order.append(NO_SEGMENT)
    totals = raw.groupby("ls")["n"].sum()
    conv = raw.dropna(subset=["cs"]).groupby("ls")["n"].sum()
    pair = raw.dropna(subset=["cs"]).groupby(["ls", "cs"])["n"].sum()
    index = pd.MultiIndex.from_product([lead_order, cust_order], names=["lead_segment", "customer_segment"])
    out = pd.DataFrame(index=index).reset_index()
    out["leads"] = out["lead_segment"].map(totals).fillna(0).astype(int)
    out["converted"] = out["lead_segment"].map(conv).fillna(0).astype(int)
    out["customers"] = pair.reindex(index).fillna(0).to_numpy().astype(int)
    return out[cols]


def _customer_labels(customer_segment):
    """Labels by customer id from a Series or a ``customer_id, segment`` frame; ids must be unique."""
    import pandas as pd

    from segtools.errors import ValidationError

    seg = customer_segment
    if isinstance(seg, pd.DataFrame):
        require_columns(seg, ["customer_id"], "customer_segment")
        seg = seg.set_index("customer_id")["segment" if "segment" in seg else seg.columns.drop("customer_id")[0]]
    dup = seg.index.duplicated()
    if dup.any():
        raise ValidationError(f"customer_segment: {int(dup.sum()):,} customer_id(s) appear more than once in "
                              f"{len(seg):,} rows (e.g. {', '.join(map(str, seg.index[dup][:5]))})",
                              table="customer_segment")
    return seg


def _order(labels) -> list:
    """Segment names in the order of :func:`segtools.compare.funnel`: a categorical's categories, else sorted text."""
    import pandas as pd

    if isinstance(labels.dtype, pd.CategoricalDtype):
        return [str(c) for c in labels.cat.categories]
    return sorted(labels.dropna().astype(str).unique().tolist(), key=str)


def _check_outcomes(run, raw, outcome_col, customer_id_col) -> None:
    """Refuse gaps, values other than True/False (or 1/0) in the outcome, and customer ids on unconverted leads."""
    from segtools.engines.customers import where_label
    from segtools.errors import ValidationError

    n = int(raw["n"].sum())
    label = where_label(run, "leads")
    gaps, not_flag, stray = (int(raw[c].fillna(0).sum()) for c in ("gaps", "not_flag", "stray"))
    if gaps:
        raise ValidationError(f"{label}: column {outcome_col!r} has {gaps:,} missing value(s) in {n:,} rows",
                              table="leads")
    if not_flag:
        raise ValidationError(f"{label}: column {outcome_col!r} must hold True/False (or 1/0); {not_flag:,} of "
                              f"{n:,} rows hold something else", table="leads")
    if stray:
        sample = run.df(f"SELECT DISTINCT CAST({quote(customer_id_col)} AS VARCHAR) AS cid FROM {{src}} "
                        f"WHERE TRY_CAST({quote(outcome_col)} AS DOUBLE) = 0 AND {quote(customer_id_col)} IS NOT NULL "
                        "ORDER BY cid LIMIT 5")["cid"].tolist()
        raise ValidationError(f"{label}: {stray:,} of {n:,} rows have a {customer_id_col!r} but {outcome_col!r} is "
                              f"False (e.g. customer ids {', '.join(map(str, sample))})", table="leads")
