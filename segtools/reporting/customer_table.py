"""The customer table of a report: one row a customer with RFM values, scores, named segment, cluster, action, value.

Examples
--------
>>> from segtools.data import load_case
>>> from segtools.reporting.customer_table import customer_segments
>>> case = load_case("consulting")
>>> seg = customer_segments(case.customers, case.transactions, snapshot_date=case.snapshot_date)
>>> len(seg) == len(case.customers)
True
>>> list(seg.attrs["windows"].index)
['purchase rhythm', 'active window', 'lapsed window']
"""

from __future__ import annotations

from segtools._beside import beside
from segtools.customers.outlook import keep_warnings, outlook_from_summary
from segtools.errors import ValidationError

#: The segment of customers with no purchase before the snapshot date, and its action.
NO_PURCHASE = ("No purchases yet", "Guide them to a first purchase: onboarding help and a first-order offer.")

#: decimals of the spend the RFM scores and the predicted-value models see (summation order noise is far below)
SPEND_DECIMALS = 6

#: Above this many buyers the behaviour clusters are fitted on a fixed-seed sample, then every buyer is labelled.
CLUSTER_SAMPLE_ABOVE = 200_000
#: The size of that sample.
CLUSTER_SAMPLE = 50_000

#: The modules the report needs once the engine's per-customer tables are in (the models, clusters and charts).
AFTER_ENGINE = ("segtools.customers.predicted", "segtools.customers.clustering", "sklearn.cluster", "seaborn",
                "matplotlib.pyplot")

#: The columns of the table, in order (the predicted-value columns are empty when the data cannot support them).
COLUMNS = ["customer_id", "segment", "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score",
           "cluster", "recommended_action", "p_alive", "expected_purchases", "expected_spend", "predicted_value",
           "value_outlook"]


def customer_segments(customers, transactions, *, snapshot_date, n_segments: int = 4, random_state: int = 0,
                      active_window_days=None, horizon_weeks: int = 52, progress=None):
    """One row a customer: RFM values and scores, named segment, behaviour cluster, action, predicted value.

    RFM, the tie-aware 1-5 scores and the named segment map (with its actions) come
    from :mod:`segtools.customers`. Recency is the segmentation recency: days from the
    last purchase to ``snapshot_date``. Zero-amount rows are purchases with no spend;
    refunds are netted from the purchase they undo. The monetary score reads the spend
    rounded to :data:`SPEND_DECIMALS` decimals, so customers of equal spend share a score
    whatever the order in which an engine added their amounts. Recency scores are kept true in
    time by the windows of :func:`segtools.customers.activity_windows`: a customer
    silent for longer than the active window never lands in a segment that sounds
    active. Customers whose purchases were all free get "Only free items"; customers
    without a purchase keep their row, in "No purchases yet" with no scores, so nothing
    is dropped. Predicted value (BG/NBD and Gamma-Gamma over ``horizon_weeks``) comes
    from :func:`segtools.customers.outlook.value_outlook`, empty when the data cannot
    support the models.

    Parameters
    ----------
    customers : DataFrame
        Validated customers (``customer_id``).
    transactions : DataFrame or segtools.engines.TransactionSource
        Validated transactions (``customer_id``, ``date``, ``amount``), or files read in place by
        DuckDB or Spark: then only per-customer tables come into pandas (the same result).
    snapshot_date : Timestamp-like
    n_segments : int
        Number of k-means behaviour clusters (on log recency, frequency and spend of the
        buyers), numbered 1 (highest mean spend) to ``n_segments``; above :data:`CLUSTER_SAMPLE_ABOVE`
        buyers fitted on a fixed-seed sample of :data:`CLUSTER_SAMPLE` (``attrs["cluster_fit"]`` says how).
    random_state : int
        Seed of the behaviour clusters and of the sample the predicted-value models are fitted on
        when there are more than :data:`segtools.customers.outlook.FIT_SAMPLE` buyers.
    active_window_days : int, optional
        The analyst's active window; derived from the purchase rhythm when omitted.
    horizon_weeks : int
        Horizon of the predicted value, in weeks.
    progress : callable, optional
        Called with a line per long step (summarising, scoring).

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, in the order of ``customers``; ``segment`` and ``recommended_action``
        are categorical (one code a customer, the text once). ``attrs``: ``excluded`` (rows left
        out, by reason), ``affected`` (rows and customers with zero amounts and refunds),
        ``windows`` (table), ``capped`` (customers whose recency score a window lowered),
        ``empty_segments`` (table: segment, rule, why) and ``outlook`` (``unsupported``,
        ``warnings``, ``repeat_buyers``, ``horizon_weeks``, ``fit``: the customers the models
        were fitted on, a fixed-seed sample of a large base).
    """
    import pandas as pd

    from segtools.customers.outlook import FIT_SAMPLE, OUTLOOK_COLUMNS

    if "customer_id" not in customers.columns:
        raise ValidationError(f"customers: column 'customer_id' not found in {len(customers):,} rows",
                              table="customers")
    if n_segments < 1:
        raise ValueError("n_segments must be at least 1")
    step = progress or (lambda line: None)
    step(f"summarising the transactions per customer ({getattr(transactions, 'engine', 'pandas')})")
    if isinstance(transactions, pd.DataFrame):
        table, windows, paid, weekly = _pandas_parts(transactions, snapshot_date, active_window_days)
    else:  # a segtools.engines.TransactionSource: per-customer tables from DuckDB or Spark
        table, windows, paid, weekly = _engine_parts(transactions, snapshot_date, active_window_days)
    active, lapsed = (int(windows.loc[w, "days"]) for w in ("active window", "lapsed window"))
    sample = f"a random sample of {FIT_SAMPLE:,} of " if len(weekly) > FIT_SAMPLE else ""
    step(f"scoring, naming and clustering {len(table):,} buyers; meanwhile fitting the predicted-value models on "
         f"{sample}{len(weekly):,} buyers")
    # the two steps share no data and leave Python's lock free most of the time: on two cores, together they take
    # little longer than the longer one; the fit's warnings stay its own (catch_warnings is not safe in a thread)
    with beside(_outlook, weekly, horizon_weeks, random_state) as fitting:
        del weekly
        out, empty, facts, buyer = _named(customers, table, paid, active, lapsed)
        del table, paid  # millions of rows on big data
        cluster_fit = _add_clusters(out, buyer, n_segments, random_state)
    outlook = keep_warnings(fitting.result(), fitting.caught)
    out = _join_on_ids(out, outlook[OUTLOOK_COLUMNS])
    for col in OUTLOOK_COLUMNS[:-1]:
        out[col] = out[col].astype("float64").round(4 if col == "p_alive" else 2)
    out["value_outlook"] = out["value_outlook"].astype("str")
    result = out[COLUMNS]  # copy-on-write: a new table, no second copy of the columns
    result.attrs["excluded"] = facts["excluded"]
    if facts["unknown"]:  # validate_links refuses these in a report; a direct call still learns of them
        result.attrs["excluded"]["customers not in the customers table"] = facts["unknown"]
    result.attrs.update(affected=facts["affected"], windows=windows, capped=facts["capped"], empty_segments=empty,
                        cluster_fit=cluster_fit,
                        outlook={k: outlook.attrs[k] for k in ("unsupported", "warnings", "repeat_buyers",
                                                                "horizon_weeks", "fit")})
    return result


def _named(customers, table, paid, active, lapsed):
    """One row a customer of ``customers``: RFM, scores, named segment and action (no cluster or value yet).

    Returns the table, the empty segments' table, what the attrs need from the per-customer tables
    (rows excluded, rows affected, customers whose recency score a window capped, buyers unknown to
    ``customers``), and which rows are buyers (booleans).
    """
    import numpy as np
    import pandas as pd

    from segtools.customers import ONLY_FREE_ITEMS, explain_empty_segments, name_segments, rfm_scores, rfm_segment_map

    # the scores see the spend rounded to SPEND_DECIMALS: sums of the same amounts added in another order (pandas,
    # DuckDB's threads, Spark) differ in their last bits, and would split customers of equal spend across a score
    # boundary, differently from one run to the next; the table keeps the spend as summed
    scored = rfm_scores(table.assign(monetary=table["monetary"].round(SPEND_DECIMALS)), active_window_days=active,
                        lapsed_window_days=lapsed).assign(monetary=table["monetary"])
    named = name_segments(scored)
    empty = explain_empty_segments(scored, named, active_window_days=active)
    free = ~paid  # rfm_scores keeps the table's rows in order: paid is aligned with scored
    seg_map = rfm_segment_map()
    names = list(named.cat.categories) + ([ONLY_FREE_ITEMS[0]] if free.any() else []) + [NO_PURCHASE[0]]
    # the names stay categorical (one code a customer): no text column of millions of cells is built or hashed
    codes = named.cat.set_categories(names).cat.codes.to_numpy().copy()
    if free.any():
        codes[free] = names.index(ONLY_FREE_ITEMS[0])
    scored["segment"] = pd.Categorical.from_codes(codes, categories=pd.Index(names, dtype=named.cat.categories.dtype))
    out = _join_on_ids(customers[["customer_id"]].reset_index(drop=True), scored)
    facts = {"unknown": 0 if scored.index.equals(pd.Index(customers["customer_id"])) else
             int((~_isin(scored.index, customers["customer_id"])).sum()),
             "excluded": dict(table.attrs.get("excluded", {})), "affected": dict(table.attrs.get("affected", {})),
             "capped": int(scored.attrs.get("capped", 0))}
    del scored, named, free
    buyer = out["segment"].notna().to_numpy()
    out["recency_days"] = out["recency"].astype("Int64")
    out["frequency"] = out["frequency"].fillna(0).astype(int)
    out["monetary"] = out["monetary"].fillna(0.0).round(2)
    for col in ("r_score", "f_score", "m_score"):
        out[col] = out[col].astype("Int64")
    # a buyer no rule names keeps the map's default label (never a buyer in "No purchases yet")
    out["segment"] = out["segment"].fillna(NO_PURCHASE[0])
    actions = dict(zip(seg_map["segment"], seg_map["action"]),
                   **{NO_PURCHASE[0]: NO_PURCHASE[1], ONLY_FREE_ITEMS[0]: ONLY_FREE_ITEMS[2]})
    # categorical too, one code a customer: millions of copies of a sentence would cost seconds and gigabytes
    wording = list(dict.fromkeys(actions[name] for name in names if actions.get(name) is not None))
    of_segment = np.array([wording.index(actions[name]) if actions.get(name) is not None else -1 for name in names])
    out["recommended_action"] = pd.Categorical.from_codes(of_segment[out["segment"].cat.codes.to_numpy()],
                                                          categories=pd.Index(wording, dtype="str"))
    return out, empty, facts, buyer


def _add_clusters(out, buyer, n_segments, random_state):
    """Add the behaviour cluster of every buyer (booleans ``buyer``) to ``out``, in place; return how it was fitted."""
    import numpy as np
    import pandas as pd

    out["cluster"] = pd.Series(pd.NA, index=out.index, dtype="Int64")
    cluster_fit = {"sampled": False, "customers": int(buyer.sum()), "of": int(buyer.sum()), "random_state": None}
    k = min(n_segments, int(buyer.sum()) - 1)  # clustering needs more customers than clusters
    if k < 2:
        out.loc[buyer, "cluster"] = 1  # too few buyers to split: one group, said by the cluster table
        return cluster_fit
    spend = out.loc[buyer, "monetary"].to_numpy(dtype=float)
    X = np.column_stack([np.log1p(out.loc[buyer, "recency_days"].to_numpy(dtype=float)),
                         np.log1p(out.loc[buyer, "frequency"].to_numpy(dtype=float)),
                         np.sign(spend) * np.log1p(np.abs(spend))])
    labels, cluster_fit = _cluster_labels(X, k, random_state)
    # number the clusters 1..k from the highest mean spend down, so labels read the same every run
    order = pd.Series(spend).groupby(labels).mean().sort_values(ascending=False, kind="stable")
    out.loc[buyer, "cluster"] = pd.Series(labels).map({c: i + 1 for i, c in enumerate(order.index)}).to_numpy()
    return cluster_fit


def _cluster_labels(X, k, random_state):
    """k-means labels of every row of ``X``, and how the model was fitted.

    Up to :data:`CLUSTER_SAMPLE_ABOVE` buyers the model is fitted on all of them (the worlds and
    the stored reports). Above it, k-means is fitted on a fixed-seed sample of :data:`CLUSTER_SAMPLE`
    buyers and every buyer gets the nearest centre: the centres of three log-scaled columns are
    estimated closely by a sample that size, while ten k-means runs over millions of rows take a minute.
    k-means runs on one thread: its sums then add up in one order, so the labels do not depend on the
    number of cores, and on big data it does not contend with the predicted-value fits running beside it.
    """
    from threadpoolctl import threadpool_limits

    from segtools.customers import ClusterSegmenter
    from segtools.customers.outlook import fit_rows

    rows = fit_rows(len(X), fit_sample=CLUSTER_SAMPLE, random_state=random_state) \
        if len(X) > CLUSTER_SAMPLE_ABOVE else None
    with threadpool_limits(limits=1):  # the same labels on any number of cores; no threads beside the fits' thread
        if rows is None:
            labels = ClusterSegmenter(n_clusters=k, random_state=random_state).fit(X).labels_
            return labels, {"sampled": False, "customers": len(X), "of": len(X), "random_state": None}
        model = ClusterSegmenter(n_clusters=k, random_state=random_state).fit(X[rows])
        return model.predict(X), {"sampled": True, "customers": len(rows), "of": len(X),
                                  "random_state": random_state}


def _pandas_parts(transactions, snapshot_date, active_window_days):
    """RFM, the windows, which RFM rows have a paid purchase (booleans) and the weekly summary, from pandas."""
    import pandas as pd

    from segtools.customers import activity_windows, repeat_purchase_summary, rfm

    table = rfm(transactions, snapshot_date=snapshot_date, after_snapshot="exclude")
    windows = activity_windows(transactions, snapshot_date, active_window_days=active_window_days)
    snap = pd.Timestamp(snapshot_date).normalize()
    paid = transactions.loc[(transactions["amount"] > 0) & (transactions["date"] < snap + pd.Timedelta(days=1)),
                            "customer_id"].unique()
    weekly = repeat_purchase_summary(transactions, snapshot_date, period="W", returns="net", after_snapshot="exclude")
    return table, windows, _isin(table.index, paid), weekly


def _engine_parts(source, snapshot_date, active_window_days):
    """The same four parts from per-customer tables computed by DuckDB or Spark."""
    import numpy as np
    import pandas as pd

    from segtools._lazy import preloading
    from segtools.customers.windows import windows_from_summary

    with preloading(*AFTER_ENGINE):  # loaded while the engine's queries run (they leave Python's lock free)
        full, weekly = source.customer_tables(snapshot_date)
    has = full["recency"].notna().to_numpy()
    bought = full if has.all() else full.iloc[np.flatnonzero(has)]  # positions: no alignment on millions of text ids
    table = bought[["recency", "frequency", "monetary"]].astype({"recency": np.int64, "frequency": np.int64})
    table.attrs = dict(full.attrs)
    days = bought["buy_days"].to_numpy()
    daily = days > 0  # customers with at least one purchase day
    windows = windows_from_summary(pd.DataFrame({"frequency": days[daily] - 1,
                                                 "recency": bought["buy_span"].to_numpy()[daily]}),
                                   active_window_days=active_window_days)
    return table, windows, full["paid"].to_numpy()[has], weekly


def _outlook(weekly, horizon_weeks, random_state):
    """Predicted value of every buyer, its warnings raised (:func:`beside` keeps them); fitted on a sample of a large base."""
    from segtools.customers.outlook import FIT_SAMPLE

    return outlook_from_summary(weekly, horizon_weeks=horizon_weeks, spend_decimals=SPEND_DECIMALS,
                                fit_sample=FIT_SAMPLE, random_state=random_state, record_warnings=False)


def _join_on_ids(left, right):
    """``left.join(right, on="customer_id")``; side by side when ``right`` holds the same ids in the same order.

    That is the usual case of a report on files (the customers are derived from the transactions,
    sorted as the per-customer tables are): comparing the ids takes milliseconds where hashing
    millions of text ids for the join takes seconds. So is an empty ``right`` (no predicted value):
    its columns come in missing. The table is the join's either way; ``attrs`` are left empty (the
    caller sets its own).
    """
    import pandas as pd

    if right.empty and all(pd.api.types.is_float_dtype(t) or pd.api.types.is_string_dtype(t) for t in right.dtypes):
        joined = left.assign(**{c: pd.Series(index=left.index, dtype=t) for c, t in right.dtypes.items()})
    elif right.index.equals(pd.Index(left["customer_id"])):
        side = right.set_axis(left.index)
        side.attrs = {}  # pd.concat compares the inputs' attrs, and these may hold tables
        joined = pd.concat([left, side], axis=1)
    else:
        joined = left.join(right, on="customer_id")
    joined.attrs = {}
    return joined


def _isin(index, values):
    """``index.isin(values)`` for a unique index, by hashing (pandas 3 tests text ids one by one in Python)."""
    import numpy as np
    import pandas as pd

    found = np.zeros(len(index), dtype=bool)
    at = index.get_indexer(pd.Index(values).dropna().unique())
    found[at[at >= 0]] = True
    return found
