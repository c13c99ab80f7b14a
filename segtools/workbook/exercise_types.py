"""What a checkable exercise is, and the cached world data the expected answers are computed from.

An exercise is registered with its id (``"<notebook>.<number>"``), the kind of answer it expects,
and a function that computes the expected answer from the data (never a stored number). The
registrations live in :mod:`segtools.workbook.exercises` and in one module per notebook under
``segtools/workbook/answers/``, each defining ``EXERCISES = [Exercise(...), ...]``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

KINDS = ("number", "parts", "choice", "labels")


@dataclass(frozen=True)
class Exercise:
    """One checkable exercise: what it asks, the kind of answer, and how to compute the expected one."""

    id: str
    question: str
    kind: str
    expected: Callable[[], Any]
    hint: str
    parts: tuple = ()
    tol: Any = 0.0
    close: Any = None
    options: Callable[[], Any] | None = None
    traps: Callable[[], list] | None = None


@cache
def case(world):
    """A world's committed data, read once per process.

    Parameters
    ----------
    world : str
        One of ``segtools.data.WORLDS``.

    Returns
    -------
    segtools.data.Case
    """
    from segtools.data import load_case

    return load_case(world)


def judged(world, horizon_days=90):
    """A world's leads old enough to judge, with ``won`` (see ``segtools.workbook.case_study.judged_leads``).

    Parameters
    ----------
    world : str
        One of ``segtools.data.WORLDS``.
    horizon_days : int
        Days a lead has to buy.

    Returns
    -------
    DataFrame
    """
    from segtools.workbook.case_study import judged_leads

    world_case = case(world)
    return judged_leads(world_case.leads, world_case.snapshot_date, horizon_days=horizon_days)
