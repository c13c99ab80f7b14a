"""E-mail segments as an e-mail tool (Mailchimp) builds them: one to five conditions, all or any.

A segment is a filter on the audience; a **tag** is a label an import attaches to a
contact. :func:`tag_table` turns several segments into the two-column file (``email``,
``tags``) that such a tool imports, so the segments built here arrive there as tags.
"""

from __future__ import annotations

import pandas as pd

from segtools.audiences.lists import condition_mask

#: The most conditions one segment may combine (the tool's own limit).
MAX_CONDITIONS = 5


def _checked(conditions) -> list:
    if isinstance(conditions, str):
        conditions = [conditions]
    if not isinstance(conditions, (list, tuple)):
        raise TypeError("conditions must be a list of texts like \"age < 30\"")
    if not 1 <= len(conditions) <= MAX_CONDITIONS:
        raise ValueError(f"an e-mail segment combines one to {MAX_CONDITIONS} conditions, got {len(conditions)}")
    return list(conditions)


def email_segment(data, conditions, *, match="all", email_col="email"):
    """The contacts that meet one to five conditions (``all`` or ``any`` of them).

    Parameters
    ----------
    data : DataFrame
        One row a contact with an e-mail address; not changed.
    conditions : str or list of str
        One to five conditions ``"column op value"``; zero or more than five raise ``ValueError``.
    match : {"all", "any"}
        Every condition must hold, or at least one.
    email_col : str
        The column with the e-mail address.

    Returns
    -------
    DataFrame
        The matching rows (a copy), in the order of ``data``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"email": ["a@example.com", "b@example.com"], "age": [25, 61]})
    >>> email_segment(df, ["age < 30"])["email"].tolist()
    ['a@example.com']
    """
    conditions = _checked(conditions)
    if email_col not in data.columns:
        raise ValueError(f"email_col {email_col!r} is not a column of the data")
    return data.loc[condition_mask(data, conditions, match=match)].copy()


def tag_table(data, segments, *, match="all", email_col="email", sep=", "):
    """The import file of an e-mail tool: one row per tagged contact, ``email`` and ``tags``.

    Parameters
    ----------
    data : DataFrame
        One row a contact; not changed.
    segments : dict of str to str or list of str
        Tag name to its one to five conditions.
    match : {"all", "any"}
        How each segment combines its conditions.
    email_col : str
        The column with the e-mail address.
    sep : str
        Separator between several tags in one cell.

    Returns
    -------
    DataFrame
        ``email`` and ``tags`` (tags in the order of ``segments``), contacts without a tag left
        out. ``attrs["untagged"]`` counts those, ``attrs["without_email"]`` the tagged rows left
        out because their address is missing: nothing disappears uncounted.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"email": ["a@example.com", "b@example.com", "c@example.com"],
    ...                    "age": [25, 61, 40], "vip": [True, True, False]})
    >>> t = tag_table(df, {"young": "age < 30", "vip": "vip == True"})
    >>> t.to_dict("records"), t.attrs["untagged"]
    ([{'email': 'a@example.com', 'tags': 'young, vip'}, {'email': 'b@example.com', 'tags': 'vip'}], 1)
    """
    if not isinstance(segments, dict) or not segments:
        raise ValueError("segments must be a non-empty dict: tag name -> conditions")
    if email_col not in data.columns:
        raise ValueError(f"email_col {email_col!r} is not a column of the data")
    hits = pd.DataFrame({tag: condition_mask(data, _checked(conds), match=match)
                         for tag, conds in segments.items()}, index=data.index)
    tags = hits.apply(lambda row: sep.join(t for t, hit in row.items() if hit), axis=1)
    tagged = hits.any(axis=1)
    has_email = data[email_col].notna() & (data[email_col].astype(str).str.strip() != "")
    out = pd.DataFrame({"email": data.loc[tagged & has_email, email_col].to_numpy(),
                        "tags": tags[tagged & has_email].to_numpy()})
    out.attrs["untagged"] = int((~tagged).sum())
    out.attrs["without_email"] = int((tagged & ~has_email).sum())
    return out
