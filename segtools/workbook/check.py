"""Self-checks for the workbook's exercises: ``check("01.2", my_answer)`` says right, close or not yet.

The expected answers are computed from the data when first asked for (see
:mod:`segtools.workbook.exercises`), so a check never reveals a stored number and stays true when the
data changes. A result shows as a short note in a notebook and has ``.ok``.

Examples
--------
>>> from segtools.workbook import check
>>> check("00.3", "Kontrollgruppe").ok
True
>>> print(check("00.3", "Kontrolgruppe"))
00.3 close: check the spelling. Hint: `define("hold_out_group")` shows the term in every language.
"""

from __future__ import annotations

import difflib
import math
import numbers
from dataclasses import dataclass
from functools import cache

from segtools.workbook.exercises import EXERCISES, KINDS

RIGHT, CLOSE, NOT_YET = "right", "close", "not yet"
_ICONS = {RIGHT: "✅", CLOSE: "🟡", NOT_YET: "❌"}


@dataclass(frozen=True)
class CheckResult:
    """What :func:`check` found: ``status`` is ``"right"``, ``"close"`` or ``"not yet"``; ``ok`` is True when right."""

    exercise_id: str
    status: str
    message: str

    @property
    def ok(self) -> bool:
        return self.status == RIGHT

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        return f"{self.exercise_id} {self.status}" + (f": {self.message}" if self.message else ".")

    def _repr_markdown_(self) -> str:
        text = f"{_ICONS[self.status]} **Exercise {self.exercise_id}: {self.status}**"
        return text + (f": {self.message}" if self.message else ".")


@cache
def _expected(exercise_id):
    return EXERCISES[exercise_id].expected()


def check(exercise_id: str, answer) -> CheckResult:
    """Check an answer to a workbook exercise: right, close (with a hint) or not yet (with a hint).

    Parameters
    ----------
    exercise_id : str
        ``"<notebook>.<exercise>"`` as the notebook numbers them, e.g. ``"01.2"`` for exercise 2 of
        notebook 01; :data:`segtools.workbook.exercises.EXERCISES` lists them.
    answer : number, str, bool, tuple or set
        What the exercise asks for: a number; a label (``"yes"``/``"no"`` questions also take a bool);
        a tuple with the parts in the order the question names them; or a set of labels. Numbers
        may be Python, NumPy or pandas scalars; shares are between 0 and 1.

    Returns
    -------
    CheckResult
        ``.ok`` is True when right; ``.status`` is ``"right"``, ``"close"`` or ``"not yet"``; it shows as
        a one-line note in a notebook and never reveals the expected answer.

    Raises
    ------
    TypeError
        If ``exercise_id`` is not a string, or the answer's shape does not fit the exercise (e.g. one
        number where two parts are asked for).
    ValueError
        If there is no such exercise; the message lists the exercises that can be checked.

    Examples
    --------
    >>> check("00.1", "startup").ok
    True
    >>> check("00.1", "retail").status
    'not yet'
    >>> check("07.2", 0.32).status, check("07.2", 29.7).status
    ('close', 'close')
    """
    if not isinstance(exercise_id, str):
        raise TypeError(f"exercise_id must be a string such as '01.2', got {type(exercise_id).__name__}")
    if exercise_id not in EXERCISES:
        raise ValueError(f"no self-check for exercise {exercise_id!r}; exercises with a check: "
                         f"{', '.join(sorted(EXERCISES))}")
    exercise = EXERCISES[exercise_id]
    if exercise.kind not in KINDS:  # pragma: no cover - the registry is tested
        raise ValueError(f"exercise {exercise_id}: unknown kind {exercise.kind!r}")
    expected = _expected(exercise_id)
    if exercise.traps is not None:
        for trap, why in exercise.traps():
            if _compare(exercise, expected, trap)[0] != RIGHT and _compare(exercise, trap, answer)[0] == RIGHT:
                return CheckResult(exercise_id, CLOSE, f"{why} Hint: {exercise.hint}")
    status, detail = _compare(exercise, expected, answer)
    if status == RIGHT:
        return CheckResult(exercise_id, RIGHT, "")
    return CheckResult(exercise_id, status, f"{detail} Hint: {exercise.hint}".strip())


def _compare(exercise, expected, answer):
    """``(status, detail)`` of ``answer`` against ``expected`` for the exercise's kind."""
    if exercise.kind == "number":
        return _compare_number(expected, answer, exercise.tol, exercise.close)
    if exercise.kind == "choice":
        return _compare_label(expected, answer, _options(exercise))
    if exercise.kind == "labels":
        return _compare_labels(expected, answer)
    return _compare_parts(exercise, expected, answer)


def _options(exercise):
    return tuple(exercise.options()) if exercise.options is not None else None


def _as_number(value, what="the answer"):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a number, got {type(value).__name__} {value!r}")
    return float(value)


def _compare_number(expected, answer, tol, close, what="the answer"):
    value = _as_number(answer, what)
    if math.isnan(value):
        return NOT_YET, f"{what} is NaN: a step left a missing value."
    tol = 0.0 if tol is None else float(tol)
    close = max(3 * tol, 0.1 * abs(expected)) if close is None else float(close)
    if close < 1 and abs(expected) < 1:  # a share: a relative window, at least
        close = max(close, 0.1 * abs(expected))
    gap = abs(value - expected)
    if gap <= tol + 1e-9:
        return RIGHT, ""
    if abs(expected) <= 1 and expected != 0 and abs(value / 100 - expected) <= max(tol, 1e-9) + 0.005:
        return CLOSE, f"{what} looks like a percentage; give it as a share between 0 and 1."
    if gap <= close:
        return CLOSE, f"{what} is near, but {'too high' if value > expected else 'too low'}."
    return NOT_YET, f"{what} is {'too high' if value > expected else 'too low'}."


def _norm(label) -> str:
    if isinstance(label, bool):
        return "yes" if label else "no"
    return " ".join(str(label).casefold().replace("_", " ").replace("-", " ").split())


def _compare_label(expected, answer, options=None, what=None):
    if not isinstance(answer, (str, bool)) and not hasattr(answer, "item"):
        raise TypeError(f"{what or 'the answer'} must be a label (a string), got {type(answer).__name__}")
    prefix = f"{what}: " if what else ""
    given = _norm(answer.item() if hasattr(answer, "item") else answer)
    if given == _norm(expected):
        return RIGHT, ""
    if difflib.SequenceMatcher(None, given, _norm(expected)).ratio() >= 0.85:
        return CLOSE, f"{prefix}check the spelling."
    if options is not None and given not in {_norm(o) for o in options}:
        shown = ", ".join(map(str, options)) if len(options) <= 12 else f"{len(options)} possible labels"
        return NOT_YET, f"{prefix}that is not one of the possible answers ({shown})."
    return NOT_YET, f"{prefix}that is one of the possible answers, but not this one."


def _compare_labels(expected, answer):
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__iter__"):
        raise TypeError(f"the answer must be a set (or list) of labels, got {type(answer).__name__}")
    want, given = {_norm(x) for x in expected}, {_norm(x) for x in answer}
    if want == given:
        return RIGHT, ""
    missing, extra = len(want - given), len(given - want)
    detail = f"{missing} label(s) missing and {extra} too many."
    return (CLOSE if len(want & given) >= max(1, len(want) // 2) else NOT_YET), detail


def _compare_parts(exercise, expected, answer):
    names = exercise.parts or tuple(f"part {i + 1}" for i in range(len(expected)))
    if isinstance(answer, dict):
        missing = [n for n in names if n not in answer]
        if missing:
            raise TypeError(f"the answer has no {', '.join(map(repr, missing))}; give {', '.join(names)}")
        answer = tuple(answer[n] for n in names)
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__") or len(answer) != len(expected):
        raise TypeError(f"exercise {exercise.id} asks for {len(expected)} parts, in this order: "
                        f"({', '.join(names)})")
    tols = _per_part(exercise.tol, len(expected))
    closes = _per_part(exercise.close, len(expected))
    results = []
    for name, want, given, tol, close in zip(names, expected, answer, tols, closes):
        if isinstance(want, str):
            results.append(_compare_label(want, given, what=name))
        else:
            results.append(_compare_number(want, given, tol, close, what=name))
    statuses = [s for s, _ in results]
    details = " ".join(d[0].upper() + d[1:] for _, d in results if d)
    if all(s == RIGHT for s in statuses):
        return RIGHT, ""
    if all(s != NOT_YET for s in statuses) or statuses.count(RIGHT) >= len(statuses) / 2:
        return CLOSE, details
    return NOT_YET, details


def _per_part(value, n):
    if isinstance(value, tuple):
        if len(value) != n:  # pragma: no cover - the registry is tested
            raise ValueError(f"{len(value)} tolerances for {n} parts")
        return value
    return (value,) * n
