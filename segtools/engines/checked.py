"""Checks of transaction files done once per report: the command checks, its kernel reuses the counts.

``segtools report`` checks the files before a kernel starts (a bad file fails in a second), then the
report in the kernel reads them again. On big files that check is a pass over them (a whole parse of
a CSV), so the command writes the counts of a clean check to a file named by the environment
variable ``SEGTOOLS_CHECKED_FILE`` (in its private temporary folder), and the kernel, which inherits
the variable, takes them from there instead of checking again. The counts are keyed by the files'
paths, sizes and modification times, the column names and the snapshot day: a file changed in
between is checked again. Without the variable nothing is written or read.

Examples
--------
>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> data = os.path.join(folder, "orders.csv")
>>> _ = open(data, "w").write("customer_id,date,amount\\nA,2025-01-02,10\\n")
>>> os.environ[ENV] = os.path.join(folder, "checked.json")
>>> key = check_key([data], 20454, ("customer_id", "date", "amount"))
>>> recall(key) is None
True
>>> remember(key, {"n_rows": 1})
>>> recall(key)
{'n_rows': 1}
>>> _ = open(data, "a").write("B,2025-01-03,5\\n")  # the file changed: its counts are not reused
>>> recall(check_key([data], 20454, ("customer_id", "date", "amount"))) is None
True
>>> del os.environ[ENV]
"""

from __future__ import annotations

import json
import os

#: The environment variable naming the file of counts (set by :func:`segtools.reporting.run_report`).
ENV = "SEGTOOLS_CHECKED_FILE"


def check_key(files, snap_day: int, ids) -> str | None:
    """What identifies one check: the files (path, size, modification time), the columns and the snapshot day.

    Parameters
    ----------
    files : list of str
        The files read (empty for a Spark DataFrame: then there is no key).
    snap_day : int
        The snapshot day of the check (days since 1970-01-01).
    ids : tuple of str
        The customer id, date and amount column names.

    Returns
    -------
    str or None
        A JSON text, or None when the source has no files or one cannot be read.
    """
    if not files:
        return None
    try:
        stats = [(os.path.abspath(f), os.stat(f).st_size, os.stat(f).st_mtime_ns) for f in files]
    except OSError:
        return None
    return json.dumps({"files": stats, "snap_day": int(snap_day), "ids": list(ids)})


def _load() -> dict:
    path = os.environ.get(ENV)
    if not path:
        return {}
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


def recall(key):
    """The counts remembered for ``key`` in this report (None when there are none).

    Parameters
    ----------
    key : str or None
        From :func:`check_key`.

    Returns
    -------
    dict or None
    """
    return _load().get(key) if key else None


def remember(key, counts) -> None:
    """Keep the counts of a clean check for the rest of this report (only when ``SEGTOOLS_CHECKED_FILE`` is set).

    Parameters
    ----------
    key : str or None
        From :func:`check_key`.
    counts : dict
        The check's counts (whole numbers).
    """
    path = os.environ.get(ENV)
    if not path or not key:
        return
    known = _load()
    known[key] = {k: int(v) for k, v in counts.items()}
    with open(path, "w", encoding="utf-8") as f:  # a file in the command's own temporary folder
        json.dump(known, f)
