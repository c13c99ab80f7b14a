"""Turn a :class:`~segtools.data._worlds.spec.WorldSpec` into the world's tables.

Everything is drawn in whole arrays from one seeded generator, in a fixed order,
so the same seed and sizes give the same tables. Segments travel as integer codes
and repeated strings are built by Arrow ``take``, so a million customers with ten
million transactions take seconds, not minutes. The planted segments are returned
apart from the features.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .arrow import ids, join, overlay, strings
from .distributions import Choice
from .names import company_names, person_names
from .spec import CUSTOMERS_FROM, DATA_UNTIL, LEADS_FROM, WorldSpec

DAY = np.timedelta64(1, "D")


def _per_segment(segments: dict, codes: np.ndarray, value) -> np.ndarray:
    """A per-row array of one segment parameter, looked up by segment code."""
    return np.array([value(s) for s in segments.values()])[codes]


def _draw_segments(rng, segments: dict, n: int) -> np.ndarray:
    shares = np.array([s.share for s in segments.values()], dtype=float)
    return rng.choice(len(shares), size=n, p=shares / shares.sum())


def _draw_attributes(rng, segments: dict, codes: np.ndarray) -> pd.DataFrame:
    """One column per attribute, each segment's rows drawn from its own distribution.

    Categorical columns are drawn as codes into the union of their values and turned
    into strings once, in Arrow.
    """
    columns: dict = {}
    categories: dict = {}
    for seg in segments.values():
        for col, dist in seg.attributes.items():
            if isinstance(dist, Choice):
                categories.setdefault(col, [])
                categories[col] += [v for v in dist.weights if v not in categories[col]]
    for k, seg in enumerate(segments.values()):
        rows = np.flatnonzero(codes == k)
        for col, dist in seg.attributes.items():
            if col in categories:
                values = dist.sample_codes(rng, len(rows), categories[col])
            else:
                values = dist.sample(rng, len(rows))
            if col not in columns:
                columns[col] = np.zeros(len(codes), dtype=values.dtype)
            columns[col][rows] = values
    return pd.DataFrame({c: (strings(categories[c], v) if c in categories else v) for c, v in columns.items()})


def _days(rng, start: np.datetime64, end: np.datetime64, n: int) -> np.ndarray:
    span = int((end - start) / DAY) + 1
    return start + rng.integers(0, span, n) * DAY


def make_leads(rng, spec: WorldSpec, n_leads: int):
    """Leads with signals and outcome; returns (leads, lead segment codes, customer segment code if won)."""
    segs = spec.lead_segments
    codes = _draw_segments(rng, segs, n_leads)
    created = np.sort(_days(rng, LEADS_FROM, DATA_UNTIL, n_leads))
    attrs = _draw_attributes(rng, segs, codes)

    log_odds = _per_segment(segs, codes, lambda s: s.conversion_log_odds)
    for col, effect in spec.signal_effects.items():
        x = attrs[col].to_numpy(float)
        log_odds = log_odds + effect * (x if attrs[col].dtype == bool else np.log1p(x))
    if spec.extra_log_odds is not None:
        log_odds = log_odds + np.asarray(spec.extra_log_odds(attrs), dtype=float)
    wins = rng.random(n_leads) < 1.0 / (1.0 + np.exp(-log_odds))
    mean_days = _per_segment(segs, codes, lambda s: s.days_to_convert)
    shape = _per_segment(segs, codes, lambda s: s.decision_shape)
    if (shape == 1.0).all():
        lag = np.ceil(rng.exponential(mean_days)).astype(np.int64) + 1
    else:  # a decision with steps: gamma with the same mean
        lag = np.ceil(rng.gamma(shape, mean_days / shape)).astype(np.int64) + 1
    converted_at = created + lag * DAY
    wins &= converted_at <= DATA_UNTIL  # recent leads have not had time to convert yet: censored, still open
    days_left = ((DATA_UNTIL - created) / DAY).astype(np.int64)
    active_span = np.where(wins, lag - 1, np.minimum(rng.integers(0, 75, n_leads), days_left))
    last_activity = created + (rng.random(n_leads) * (active_span + 1)).astype(np.int64) * DAY
    lost = (~wins) & (days_left > 90) & (rng.random(n_leads) < 0.7)
    status = np.where(wins, 2, np.where(lost, 1, 0))

    customer_segments = list(spec.customer_segments)
    becomes = np.full(n_leads, -1, dtype=np.int64)
    for k, seg in enumerate(segs.values()):
        rows = np.flatnonzero(wins & (codes == k))
        becomes[rows] = Choice(seg.becomes).sample_codes(rng, len(rows), customer_segments)

    leads = pd.concat([pd.DataFrame({"lead_id": ids("L", n_leads), "created_at": created}), attrs], axis=1)
    leads["last_activity_at"] = last_activity
    leads["converted"] = wins
    leads["converted_at"] = np.where(wins, converted_at, np.datetime64("NaT"))
    leads["status"] = strings(["open", "lost", "won"], status)
    return leads, codes, becomes


def make_customers(rng, spec: WorldSpec, n_customers: int, leads: pd.DataFrame, becomes: np.ndarray):
    """Pre-existing customers plus one customer per won lead, ordered by sign-up date."""
    won = leads["converted"].to_numpy()
    n_won = int(won.sum())
    if n_won > n_customers:
        raise ValueError(f"{n_won} leads converted but n_customers is {n_customers}: raise n_customers or lower n_leads")
    n_old = n_customers - n_won
    codes = np.concatenate([_draw_segments(rng, spec.customer_segments, n_old), becomes[won]])
    signup = np.concatenate([_days(rng, CUSTOMERS_FROM, LEADS_FROM - DAY, n_old), leads["converted_at"].to_numpy()[won]])
    attrs = _draw_attributes(rng, spec.customer_segments, codes)
    from_lead = np.arange(n_customers) >= n_old
    won_rows = np.flatnonzero(won)
    for col in spec.shared_columns:
        customer_col, lead_col = col if isinstance(col, tuple) else (col, col)
        attrs[customer_col] = overlay(attrs[customer_col], from_lead, leads[lead_col], won_rows)
    order = np.argsort(signup, kind="stable")
    customers = pd.concat([pd.DataFrame({"signup_date": signup}), attrs], axis=1).iloc[order].reset_index(drop=True)
    customers.insert(0, "customer_id", ids("C", n_customers))
    lead_row = np.full(n_customers, -1)
    lead_row[np.flatnonzero(from_lead)] = np.flatnonzero(won)
    return customers, codes[order], lead_row[order]


def make_transactions(rng, spec: WorldSpec, customers: pd.DataFrame, codes: np.ndarray):
    """Orders (and refunds) and subscription fees; returns (transactions, row's customer, last active day)."""
    n = len(customers)
    segs = spec.customer_segments
    signup = customers["signup_date"].to_numpy().astype("datetime64[D]")
    param = lambda attr: _per_segment(segs, codes, lambda s: getattr(s.purchases, attr))

    lifetime = np.ceil(rng.exponential(param("lifetime_days"))).astype(np.int64)
    active_until = np.minimum(signup + lifetime * DAY, DATA_UNTIL)
    active_days = ((active_until - signup) / DAY).astype(np.int64)

    # Orders: the first at sign-up, repeats while active; some customers never come back.
    repeats = rng.poisson(param("repeats_per_year") * active_days / 365.0)
    repeats[rng.random(n) < param("one_time_share")] = 0
    orders_per = repeats + 1
    cust = np.repeat(np.arange(n), orders_per)
    first = np.zeros(len(cust), dtype=bool)
    first[np.cumsum(orders_per) - orders_per] = True
    offset = np.where(first, 0, (rng.random(len(cust)) * (active_days[cust] + 1)).astype(np.int64))
    order_date = signup[cust] + offset * DAY
    items = sorted({v for s in segs.values() if s.purchases.order_items for v in s.purchases.order_items.weights})
    items.append(spec.subscription_item)
    amount = np.empty(len(cust))
    item = np.zeros(len(cust), dtype=np.int64)
    row_codes = codes[cust]
    for k, seg in enumerate(segs.values()):
        rows = np.flatnonzero(row_codes == k)
        amount[rows] = seg.purchases.order_amount.sample(rng, len(rows))
        if seg.purchases.order_items is not None:
            item[rows] = seg.purchases.order_items.sample_codes(rng, len(rows), items)
    subscriber = _per_segment(segs, codes, lambda s: s.purchases.subscription).astype(bool)
    keep = ~subscriber[cust] | ~first  # a subscriber's first payment is a fee, below
    parts = [(cust[keep], order_date[keep], amount[keep], item[keep])]

    refund_date = order_date + rng.integers(1, 31, len(cust)) * DAY
    refunded = (rng.random(len(cust)) < spec.refund_rate) & (refund_date <= DATA_UNTIL) & keep
    parts.append((cust[refunded], refund_date[refunded], -amount[refunded], item[refunded]))

    if subscriber.any():
        fee = spec.subscription_fee(customers) if spec.subscription_fee else amount[first]
        periods = np.where(subscriber, active_days // 30 + 1, 0)
        sub_cust = np.repeat(np.arange(n), periods)
        k = np.arange(len(sub_cust)) - np.repeat(np.cumsum(periods) - periods, periods)
        parts.append((sub_cust, signup[sub_cust] + k * 30 * DAY, fee[sub_cust],
                      np.full(len(sub_cust), len(items) - 1)))

    c, date, amt, itm = (np.concatenate(arrays) for arrays in zip(*parts))
    order = np.lexsort((c, date))
    c, date, amt, itm = c[order], date[order], amt[order], itm[order]
    transactions = pd.DataFrame({
        "transaction_id": np.arange(1, len(c) + 1, dtype=np.int64),
        "customer_id": strings(customers["customer_id"], c),
        "date": date,
        "amount": np.round(amt, 2),
        spec.item_column: strings(items, itm),
    })
    return transactions, c, active_until


def add_contacts(rng, spec: WorldSpec, leads: pd.DataFrame, customers: pd.DataFrame, lead_row: np.ndarray):
    """Invented names and example.com addresses; a won lead's customer keeps the lead's contact."""
    for table, prefix in ((leads, "lead"), (customers, "cust")):
        first, last = person_names(rng, len(table))
        number = table.iloc[:, 0].str.slice(1)
        table.insert(1, "name", join(first, " ", last))
        table.insert(2, "email", join(first, ".", last, "." + prefix, number, "@example.com").str.lower())
        if spec.b2b:
            table.insert(3, "company", company_names(rng, len(table)))
        if spec.countries is not None:
            country = spec.countries.sample_codes(rng, len(table))
            table.insert(4 if spec.b2b else 3, "country", strings(list(spec.countries.weights), country))
    linked = lead_row >= 0
    for col in ["name", "email"] + (["company"] if spec.b2b else []) + (["country"] if spec.countries else []):
        customers[col] = overlay(customers[col], linked, leads[col], lead_row[linked])


def blank_out(rng, tables: dict, missing: dict) -> None:
    """Remove values at the documented rates, as real exports have gaps."""
    for (table, col), rate in missing.items():
        frame = tables[table]
        gone = rng.random(len(frame)) < rate
        if frame[col].dtype.kind in "iu":
            frame[col] = frame[col].astype("float64")
        frame.loc[gone, col] = np.nan


def generate(spec: WorldSpec, seed: int, n_customers: int, n_leads: int):
    """All tables of a world plus its answer key, deterministic for (spec, seed, sizes)."""
    rng = np.random.default_rng(seed)
    leads, lead_codes, becomes = make_leads(rng, spec, n_leads)
    customers, customer_codes, lead_row = make_customers(rng, spec, n_customers, leads, becomes)
    add_contacts(rng, spec, leads, customers, lead_row)
    transactions, tx_customer, active_until = make_transactions(rng, spec, customers, customer_codes)

    has_lead = lead_row >= 0
    customer_of_lead = np.full(len(leads), -1)
    customer_of_lead[lead_row[has_lead]] = np.flatnonzero(has_lead)
    first_row = np.full(len(customers), -1)
    buyers, first_seen = np.unique(tx_customer, return_index=True)  # rows are in date order
    first_row[buyers] = first_seen
    won = customer_of_lead >= 0
    leads["customer_id"] = strings(customers["customer_id"], np.where(won, customer_of_lead, 0), missing=~won)
    leads["deal_value"] = np.where(won, transactions["amount"].to_numpy()[first_row[customer_of_lead]], np.nan)

    tables = {"customers": customers, "transactions": transactions, "leads": leads}
    if spec.extra_tables is not None:
        tables.update(spec.extra_tables(rng, tables, customer_codes, active_until))
    blank_out(rng, tables, spec.missing)
    answer_key = {
        "customers": pd.DataFrame({"customer_id": customers["customer_id"],
                                   "segment": strings(list(spec.customer_segments), customer_codes)}),
        "leads": pd.DataFrame({"lead_id": leads["lead_id"], "segment": strings(list(spec.lead_segments), lead_codes)}),
    }
    return tables, answer_key
