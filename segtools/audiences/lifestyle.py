"""Bought-in lifestyle codes (as Experian sells them): enrich customers by postcode, and count the price.

A code table maps a postcode to a lifestyle group. Joining it to the customers adds a
psychographic-looking column cheaply, but the code describes the *area*, not the person;
some postcodes have no code; the codes age; and using them must fit what customers agreed
to. :func:`lifestyle_enrichment` returns the enriched table together with those facts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from segtools import NO_SEGMENT


@dataclass
class Enrichment:
    """The result of an enrichment.

    Attributes
    ----------
    table : DataFrame
        The customers with ``lifestyle_group`` (``NO_SEGMENT`` where no code matched) and ``code_year``.
    summary : DataFrame
        One row a measure: ``records``, ``matched``, ``unmatched``, ``match_rate``, ``stale_codes``,
        ``cost`` (EUR).
    unmatched : DataFrame
        The customer rows without a code (counted, never dropped).
    risks : DataFrame
        ``risk``, ``rows`` affected and ``what_it_means``.
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    unmatched: pd.DataFrame
    risks: pd.DataFrame

    def value(self, measure: str) -> float:
        """One number of :attr:`summary`.

        Parameters
        ----------
        measure : str
            ``records``, ``matched``, ``unmatched``, ``match_rate``, ``stale_codes`` or ``cost``.

        Returns
        -------
        float
        """
        return float(self.summary.set_index("measure").loc[measure, "value"])


def lifestyle_enrichment(customers, codes, *, snapshot_date, postcode_col="postcode", max_code_age=2,
                         cost_per_record=None):
    """Add a lifestyle group to each customer by postcode; report match rate, cost and risks.

    Parameters
    ----------
    customers : DataFrame
        One row a customer with a postcode; not changed.
    codes : DataFrame
        The bought-in table: ``postcode``, ``lifestyle_group``, optionally ``code_year`` and
        ``cost_per_record``; one row per postcode.
    snapshot_date : date-like
        The analysis date; codes older than ``max_code_age`` years before it count as stale.
    postcode_col : str
        The postcode column of ``customers``.
    max_code_age : int
        Years after which a code is stale.
    cost_per_record : float, optional
        Price per matched record (EUR); by default the table's ``cost_per_record``.

    Returns
    -------
    Enrichment
        ``table``, ``summary``, ``unmatched`` and ``risks``.

    Examples
    --------
    >>> import pandas as pd
    >>> people = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "postcode": ["1011", "1011", "9999"]})
    >>> codes = pd.DataFrame({"postcode": ["1011"], "lifestyle_group": ["urban_starters"],
    ...                       "code_year": [2021], "cost_per_record": [0.15]})
    >>> e = lifestyle_enrichment(people, codes, snapshot_date="2026-01-01")
    >>> e.value("match_rate"), e.value("cost"), len(e.unmatched), e.value("stale_codes")
    (0.6666666666666666, 0.3, 1, 2.0)
    """
    for frame, cols, name in ((customers, [postcode_col], "customers"), (codes, ["postcode", "lifestyle_group"],
                                                                        "codes")):
        missing = [c for c in cols if c not in frame.columns]
        if missing:
            raise ValueError(f"{name} lacks the column(s) {missing}")
    if codes["postcode"].duplicated().any():
        raise ValueError("codes must have one row per postcode")
    if cost_per_record is None:
        if "cost_per_record" not in codes.columns:
            raise ValueError("give cost_per_record: the code table has no cost_per_record column")
        cost_per_record = float(codes["cost_per_record"].iloc[0]) if len(codes) else 0.0
    keep = ["postcode", "lifestyle_group"] + (["code_year"] if "code_year" in codes.columns else [])
    lookup = codes[keep].rename(columns={"postcode": postcode_col})
    lookup[postcode_col] = lookup[postcode_col].astype(str)
    table = customers.assign(**{postcode_col: customers[postcode_col].astype(str)}).merge(
        lookup, on=postcode_col, how="left", validate="many_to_one")
    matched = table["lifestyle_group"].notna()
    table["lifestyle_group"] = table["lifestyle_group"].astype(object).where(matched, NO_SEGMENT)
    oldest_fresh = pd.Timestamp(snapshot_date).year - int(max_code_age)
    stale = (table["code_year"] < oldest_fresh) & matched if "code_year" in table.columns else matched & False
    n, hit = len(table), int(matched.sum())
    summary = pd.DataFrame({"measure": ["records", "matched", "unmatched", "match_rate", "stale_codes", "cost"],
                            "value": [n, hit, n - hit, hit / n if n else float("nan"), int(stale.sum()),
                                      round(hit * float(cost_per_record), 2)]})
    risks = pd.DataFrame({
        "risk": ["no code", "stale code", "area, not person", "consent and privacy"],
        "rows": [n - hit, int(stale.sum()), hit, n],
        "what_it_means": [
            "these customers get no lifestyle group; keep them, as their own group",
            f"codes from before {oldest_fresh} may describe who lived there then, not now",
            "the group is the typical household of the postcode; a single customer can differ",
            "check that customers agreed to enrichment with bought-in data before using it",
        ]})
    return Enrichment(table, summary, customers.loc[~matched.to_numpy()].copy(), risks)
