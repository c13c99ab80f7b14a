"""Needs-based segments from a survey (what Qualtrics helps with): cluster the answers, name the needs.

Only the customers who answered have needs on record. They are clustered on their answers
(:class:`segtools.customers.ClusterSegmenter`); each cluster is named after the need it
rates highest compared with all respondents. Everyone else gets ``NO_SEGMENT``: a needs
segment is never guessed for a customer who did not say what they need.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from segtools import NO_SEGMENT


@dataclass
class NeedsSegments:
    """The result of :func:`needs_segments`.

    Attributes
    ----------
    labels : DataFrame
        ``customer_id`` and ``segment`` for every customer (``NO_SEGMENT`` without an answer).
    profile : DataFrame
        One row a needs segment: ``respondents``, ``share`` and the mean of each need.
    share_answered : float
        Respondents divided by customers.
    k_scores : DataFrame
        The silhouette of each number of segments tried.
    """

    labels: pd.DataFrame
    profile: pd.DataFrame
    share_answered: float
    k_scores: pd.DataFrame


def _names(centres: pd.DataFrame) -> list:
    """Each cluster's name: the need it rates most above the respondents' average, plus a number if taken."""
    lift = centres - centres.mean()
    names, seen = [], {}
    for _, row in lift.iterrows():
        base = f"{row.idxmax().removeprefix('need_')}_first"
        seen[base] = seen.get(base, 0) + 1
        names.append(base if seen[base] == 1 else f"{base}_{seen[base]}")
    return names


def needs_segments(survey, customers, *, need_cols=None, n_clusters="auto", k_range=(2, 6), random_state=0,
                   id_col="customer_id"):
    """Needs segments of the respondents; ``NO_SEGMENT`` for the customers who did not answer.

    Parameters
    ----------
    survey : DataFrame
        One row a respondent: ``id_col`` and the need ratings; not changed.
    customers : DataFrame
        All customers (``id_col``): the population the share answered is measured on.
    need_cols : list of str, optional
        The rating columns; by default every column starting with ``need_``.
    n_clusters : int or "auto"
        Number of segments, or chosen by silhouette over ``k_range``.
    k_range : tuple of int
        Smallest and largest number of segments tried with ``"auto"``.
    random_state : int
        Seed of the clustering.
    id_col : str
        The customer id column.

    Returns
    -------
    NeedsSegments
        ``labels``, ``profile``, ``share_answered`` and ``k_scores``.

    Examples
    --------
    >>> from segtools.data import load_case
    >>> case = load_case("retail")
    >>> result = needs_segments(case.tables["survey"], case.customers, n_clusters=4)
    >>> len(result.labels) == len(case.customers), round(result.share_answered, 2)
    (True, 0.3)
    """
    from segtools.customers.clustering import ClusterSegmenter

    for frame, name in ((survey, "survey"), (customers, "customers")):
        if id_col not in frame.columns:
            raise ValueError(f"{name} lacks the column {id_col!r}")
    need_cols = list(need_cols) if need_cols is not None else [c for c in survey.columns if c.startswith("need_")]
    if not need_cols:
        raise ValueError("no need columns: name them with need_cols")
    if survey[id_col].duplicated().any():
        raise ValueError(f"survey must have one answer per {id_col}; keep the latest first")
    answers = survey[[id_col, *need_cols]].dropna()
    model = ClusterSegmenter(n_clusters, k_range=k_range, random_state=random_state).fit(answers[need_cols])
    centres = answers[need_cols].groupby(model.labels_).mean()
    names = dict(zip(centres.index, _names(centres)))
    labelled = pd.DataFrame({id_col: answers[id_col].to_numpy(), "segment": [names[k] for k in model.labels_]})
    labels = customers[[id_col]].merge(labelled, on=id_col, how="left")
    labels["segment"] = labels["segment"].astype(object).where(labels["segment"].notna(), NO_SEGMENT)
    profile = answers[need_cols].groupby(labelled["segment"].to_numpy()).mean().round(2)
    profile.insert(0, "respondents", labelled["segment"].value_counts())
    profile.insert(1, "share", (profile["respondents"] / len(labelled)).round(3))
    profile.index.name = "segment"
    share = labels["segment"].ne(NO_SEGMENT).sum() / len(customers) if len(customers) else float("nan")
    return NeedsSegments(labels, profile.sort_values("respondents", ascending=False), float(share), model.k_scores_)
