"""Self-checks of the exercises: right / close / not yet, tolerances, and answers that agree with the notebooks."""

import importlib
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from segtools.workbook import check
from segtools.workbook import check as check_from_package
from segtools.workbook.check import CheckResult, _expected
from segtools.workbook.exercises import (
    EXERCISES,
    KINDS,
    Exercise,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def made_up(monkeypatch):
    """Four made-up exercises whose answers need no data, registered for one test."""
    table = {
        "99.1": Exercise("99.1", "a share", "number", lambda: 0.25, "divide the two counts.", tol=0.005, close=0.05),
        "99.2": Exercise("99.2", "a count and a label", "parts", lambda: (120, "up"), "count the rows.",
                         parts=("rows", "direction"), tol=(0, None), close=(10, None),
                         traps=lambda: [((100, "up"), "the 20 rows of both groups count twice.")]),
        "99.3": Exercise("99.3", "a label", "choice", lambda: "startup", "look at the table.",
                         options=lambda: ("retail", "startup", "consulting", "agency")),
        "99.4": Exercise("99.4", "a set", "labels", lambda: ["a", "b", "c"], "compare the counts."),
    }
    # the module, not the function of the same name that segtools.workbook exports
    module = importlib.import_module("segtools.workbook.check")
    monkeypatch.setattr(module, "EXERCISES", {**EXERCISES, **table})
    _expected.cache_clear()
    yield table
    _expected.cache_clear()


def test_the_package_exports_check():
    assert check is check_from_package and callable(check)


def test_a_number_within_its_tolerance_is_right(made_up):
    for answer in (0.25, 0.254, np.float64(0.2461), pd.Series([0.25]).iloc[0]):
        result = check("99.1", answer)
        assert result.ok and result and result.status == "right", answer
    assert str(check("99.1", 0.25)) == "99.1 right."
    assert check("99.1", 0.25)._repr_markdown_().startswith("✅ **Exercise 99.1: right**")


def test_a_number_near_the_answer_is_close_with_a_hint(made_up):
    result = check("99.1", 0.27)
    assert result.status == "close" and not result.ok and not result
    assert "too high" in result.message and "Hint: divide the two counts." in result.message
    assert "0.25" not in result.message  # never reveals the answer
    assert check("99.1", 0.23).status == "close" and "too low" in check("99.1", 0.23).message
    percent = check("99.1", 25.0)
    assert percent.status == "close" and "percentage" in percent.message
    assert "close" in percent._repr_markdown_() and percent._repr_markdown_().startswith("🟡")


def test_a_number_far_off_is_not_yet(made_up):
    result = check("99.1", 0.6)
    assert result.status == "not yet" and "too high" in result.message and "Hint:" in result.message
    assert check("99.1", float("nan")).status == "not yet"
    assert check("99.1", 0.6)._repr_markdown_().startswith("❌ **Exercise 99.1: not yet**")


def test_parts_are_checked_one_by_one(made_up):
    assert check("99.2", (120, "up")).ok
    assert check("99.2", [120, "UP "]).ok  # labels ignore case and spaces
    assert check("99.2", {"rows": 120, "direction": "up"}).ok
    assert check("99.2", (np.int64(120), "up")).ok
    one_off = check("99.2", (121, "up"))
    assert one_off.status == "close" and "Rows is near, but too high." in one_off.message
    assert check("99.2", (120, "down")).status == "close"  # half right
    assert check("99.2", (300, "down")).status == "not yet"


def test_a_known_mistake_gets_its_own_hint(made_up):
    result = check("99.2", (100, "up"))
    assert result.status == "close" and "count twice" in result.message


def test_labels_and_choices(made_up):
    assert check("99.3", "Startup").ok
    assert check("99.3", "startpu").status == "close"  # a typo
    other = check("99.3", "retail")
    assert other.status == "not yet" and "possible answers" in other.message
    outside = check("99.3", "mars")
    assert outside.status == "not yet" and "retail, startup, consulting, agency" in outside.message
    assert check("99.4", {"c", "b", "a"}).ok and check("99.4", ["a", "b", "c"]).ok
    assert check("99.4", {"a", "b"}).status == "close"
    assert check("99.4", {"x"}).status == "not yet"


def test_bad_arguments_are_refused(made_up):
    with pytest.raises(ValueError, match=r"no self-check for exercise '42'.*00\.1, 00\.2"):
        check("42", 1)
    with pytest.raises(TypeError, match="exercise_id must be a string"):
        check(1.2, 1)
    with pytest.raises(TypeError, match="must be a number"):
        check("99.1", "a quarter")
    with pytest.raises(TypeError, match="must be a number"):
        check("99.1", True)
    with pytest.raises(TypeError, match=r"asks for 2 parts.*\(rows, direction\)"):
        check("99.2", 120)
    with pytest.raises(TypeError, match="has no 'direction'"):
        check("99.2", {"rows": 120})
    with pytest.raises(TypeError, match="set \\(or list\\) of labels"):
        check("99.4", "a")


def test_the_registry_is_well_formed():
    assert EXERCISES and set(EXERCISES) == {e.id for e in EXERCISES.values()}
    for exercise_id, exercise in EXERCISES.items():
        assert re.fullmatch(r"\d\d\.\d+", exercise_id)
        assert exercise.kind in KINDS and exercise.hint and exercise.question
        if exercise.kind == "parts":
            assert len(exercise.parts) >= 2
            for value in (exercise.tol, exercise.close):
                assert not isinstance(value, tuple) or len(value) == len(exercise.parts), exercise_id


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_expected_answer_is_computed_and_passes_its_own_check(exercise_id):
    exercise = EXERCISES[exercise_id]
    expected = _expected(exercise_id)
    if exercise.kind == "parts":
        assert isinstance(expected, tuple) and len(expected) == len(exercise.parts)
    if exercise.kind == "choice" and exercise.options is not None:
        assert expected in tuple(exercise.options())
    result = check(exercise_id, expected)
    assert isinstance(result, CheckResult) and result.ok, result


def test_real_exercises_from_the_data():
    from segtools.data import WORLDS, load_case
    from segtools.data.glossary import define

    per_customer = {w: len(load_case(w).transactions) / len(load_case(w).customers) for w in WORLDS}
    assert check("00.1", max(per_customer, key=per_customer.get)).ok
    assert not check("00.1", min(per_customer, key=per_customer.get)).ok
    assert check("00.3", define("hold_out_group").translations["de"]).ok
    assert check("00.3", "Kontrolgruppe").status == "close"
    leads = load_case("consulting").leads
    rate = leads["converted"].mean()
    days = (leads["converted_at"] - leads["created_at"]).dt.days[leads["converted"]].median()
    assert check("00.2", (round(rate, 3), days)).ok
    assert check("00.2", (100 * rate, days)).status == "close"


# ---------------------------------------------------------------------------------------------------------------
# Each registered answer equals what the notebook's solution cell shows (its stored output). If one of these
# fails after a data change, re-execute the notebook (make notebooks): the checker follows the data.


def _solution_output(notebook_prefix, number):
    path = next((ROOT / "notebooks").glob(f"{notebook_prefix}_*.ipynb"))
    cells = nbformat.read(path, as_version=4).cells
    start = next(i for i, c in enumerate(cells)
                 if c.cell_type == "markdown" and f"**Exercise {number}.**" in c.source)
    cell = next(c for c in cells[start + 1:] if c.cell_type == "code" and "solution" in c.metadata.get("tags", []))
    texts = []
    for output in cell.outputs:
        texts.append(output.get("text") or output.get("data", {}).get("text/plain", ""))
    return "\n".join(texts)


def _numbers(pattern, text, flags=0):
    match = re.search(pattern, text, flags)
    assert match, (pattern, text[:500])
    return [g.replace(",", "") for g in match.groups()]


def _shown(text, value, scale=1.0):
    """``value`` (computed) rounds to ``text`` (a number as the notebook printed it)."""
    decimals = len(text.partition(".")[2])
    return abs(float(text) - value * scale) <= 0.5 * 10 ** -decimals + 1e-9


def _parse_06_3(out):
    rows = re.findall(r"^(\S.*?)\s{2,}(\d+)\s+(\d+)$", out, re.MULTILINE)
    return sorted(name.strip() for name, full, half in rows if int(half) < int(full) / 2)


SHOWN = {
    "00.1": lambda out: _numbers(r"world\s*\n(\w+)", out)[0],
    "00.2": lambda out: (*_numbers(r"conversion rate: ([\d.]+)%", out), *_numbers(r"convert: (\d+)", out)),
    "00.3": lambda out: re.search(r"in German: (.+)", out).group(1).strip(),
    "01.1": lambda out: _numbers(r"(\d+) customers change frequency, (\d+) change segment", out),
    "01.2": lambda out: (*_numbers(r"lapsed members\s+\d+\s+(\d+)", out),
                         *_numbers(r"young big spenders\s+\d+\s+(\d+)", out),
                         *_numbers(r"several rules\)\s+(\d+)", out)),
    "02.3": lambda out: tuple(re.search(r"best judged segment:\n.*\n\s*(\S+)\s+(\S+)", out).groups()),
    "03.1": lambda out: _numbers(r"customers\s+([\d.]+)\s+([\d.]+)", out)
    + _numbers(r"revenue_per_customer\s+([\d.]+)\s+([\d.]+)", out),
    "03.2": lambda out: _numbers(r"sustainable-fashion fans\s+([\d.]+)", out)
    + _numbers(r"engaged browsers\s+([\d.]+)", out),
    "03.3": lambda out: _numbers(r"kept at capacity \d+: ([\d,]+) of", out) + _numbers(r"the best ([\d,]+) of", out),
    "04.2": lambda out: "no" if "no clear difference" in out else "yes",
    "04.3": lambda out: _numbers(r"^hot\s+([\d.]+)", out, re.MULTILINE) + _numbers(r"^cold\s+([\d.]+)", out, re.MULTILINE),
    "05.1": lambda out: _numbers(r"^1000\s+([\d.]+)\s+([\d.]+)", out, re.MULTILINE),
    "05.2": lambda out: max(re.findall(r"^(\w+)\s+\d+\s+\d+\s+([\d.]+)$", out, re.MULTILINE),
                            key=lambda row: float(row[1]))[0],
    "05.3": lambda out: [_numbers(rf"^{i}\s+{k}\s+\d+\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+([\d.]+)", out, re.MULTILINE)
                         for i, k in ((0, "0.05"), (1, "0.10"))],
    "06.1": lambda out: _numbers(r"^performance marketers\s+(\d+)\s+([\d.]+)$", out, re.MULTILINE),
    "06.3": _parse_06_3,
    "06.4": lambda out: (re.search(r"channel\s*\n(\w+)", out).group(1),
                         re.search(r"preferred_channel\n(\w+)", out).group(1)),
    "07.2": lambda out: out.split()[0],
    "00.4": lambda out: (*_numbers(r"^consulting\s+\d+\s+\d+\s+([\d.]+)$", out, re.MULTILINE),
                         *_numbers(r"^startup\s+\d+\s+\d+\s+([\d.]+)$", out, re.MULTILINE),
                         re.search(r"beyond chance at 5 %: (yes|no)", out).group(1)),
    "01.4": lambda out: re.search(r"lowest: (\w+) \| overall beyond chance: (yes|no) \| among mobile users: (yes|no)",
                                  out).groups(),
    "01.3": lambda out: (*_numbers(r"^without spend: k = (\d+) .*ARI = ([\d.]+)$", out, re.MULTILINE),
                         *_numbers(r"^with spend: k = \d+ .*ARI = ([\d.]+)$", out, re.MULTILINE)),
    "02.4": lambda out: _numbers(r"student rate ([\d.]+), p-value ([\d.]+)", out),
    "02.1": lambda out: _numbers(r"default table ([\d.]+), edited table ([\d.]+)", out),
    "02.2": lambda out: _numbers(r"at 10 a week: (\d+) more", out) + _numbers(r"reaches 90% of score: (\d+)", out),
    "02.5": lambda out: re.search(r"with C2 warm: warm rate ([\d.]+); warm beyond cold: (yes|no); "
                                  r"warm rate (up|down); C2 belongs in warm: (yes|no)", out).groups(),
    "03.4": lambda out: _numbers(r"subscriber rate ([\d.]+), p-value ([\d.]+)", out),
    "04.5": lambda out: _numbers(r"rate with 500 or more: ([\d.]+); rate of the others: ([\d.]+)", out),
    "03.5": lambda out: sorted(name.strip() for name, same in re.findall(
        r"^(\S.*?)\s{2,}\S+\s+\S+\s+(True|False)$", out, re.MULTILINE) if same == "True"),
    "04.1": lambda out: (*_numbers(r"(\d+) customers leave the churned segment", out),
                         re.search(r"most of them join: (.+)", out).group(1).strip()),
    "04.4": lambda out: re.search(r"best k: (\d+) \((inside|edge) ", out).groups(),
    "05.5": lambda out: _numbers(r"(\d+) of \d+ meetings go to the South; .*\(share ([\d.]+)\)", out),
    "06.5": lambda out: _numbers(r"brand awareness: ([\d.]+); other goals: ([\d.]+)", out),
    "05.4": lambda out: re.search(r"split by the fourth cluster: ([\w ]+); clients in the cluster of the largest "
                                  r"organisations: (\d+)", out).groups(),
    "06.2": lambda out: re.search(r"budget not given: share signed ([\d.]+); beyond chance against fits the minimum: "
                                  r"(yes|no); against below the minimum: (yes|no)", out).groups(),
    "07.3": lambda out: _numbers(r"^power\s+([\d.]+)", out, re.MULTILINE) + _numbers(r"^churned\s+([\d.]+)", out, re.MULTILINE),
    "07.5": lambda out: _numbers(r"(\d+) clients, share left ([\d.]+);.*p = ([\d.]+)", out),
    "08.4": lambda out: _numbers(r"(\d+) open leads;.*share won ([\d.]+)", out),
    "07.1": lambda out: _numbers(r"hold-out of 10%, 30%, 50%: ([\d.]+), ([\d.]+), ([\d.]+)", out),
    "07.4": lambda out: _numbers(r"light churn ([\d.]+), power churn ([\d.]+); [^:]+: p = ([\d.]+)", out),
    "08.1": lambda out: re.search(r"\((\d+) problems? of [\d,]+\):\n  - column '(\w+)'", out).groups()[::-1],
    "08.2": lambda out: _numbers(r"graded A (\d+), graded C or D (\d+)", out),
    "08.3": lambda out: re.search(r"^\S+: (.+?) when set aside, (.+?) when read as 30-11-2025; (\d+) customers",
                                  out, re.MULTILINE).groups(),
    "09.1": lambda out: int(_numbers(r"^(\d+) contacts", out, re.MULTILINE)[0]),
    "09.2": lambda out: _numbers(r"frozen: (\d+), still recent: (\d+), recent but not on the frozen list: (\d+)", out),
    "09.3": lambda out: (_numbers(r"cost EUR ([\d.]+)", out) + _numbers(r"match rate ([\d.]+)", out)
                         + _numbers(r"saved EUR ([\d.]+)", out)),
    "09.4": lambda out: re.search(r"filled mostly by (\w+)", out).group(1),
    "10.1": lambda out: _numbers(r"mean repeat days: ([\d.]+); mean repeat weeks: ([\d.]+)", out),
    "10.2": lambda out: int(_numbers(r"^([\d,]+) of", out, re.MULTILINE)[0]),
    "10.3": lambda out: _numbers(r"'first_bad': \[(\d+), (\d+)\]", out),
    "10.4": lambda out: _numbers(r"customers: ([\d,]+); rows that differ: (\d+)", out),
    "10.5": lambda out: out.split()[0],
}


def _agrees(exercise_id, expected, shown):
    if exercise_id == "00.2":
        return _shown(shown[0], expected[0], 100) and _shown(shown[1], expected[1])
    if exercise_id == "03.1":
        before, after, rev_before, rev_after = map(float, shown)
        return expected == (round(before - after), "up" if rev_after > rev_before else "down")
    if exercise_id in ("05.1", "06.1"):  # the solutions round the revenue to whole euros
        return float(shown[0]) == expected[0] and abs(float(shown[1]) - expected[1]) <= 0.5 + 1e-9
    if exercise_id == "05.3":
        (c5, l5), (c10, l10) = shown
        return all(_shown(s, v) for s, v in zip((c5, c10, l5, l10), expected))
    if isinstance(expected, tuple):
        return len(shown) == len(expected) and all(
            (s == v) if isinstance(v, str) else _shown(s, v) for s, v in zip(shown, expected))
    if isinstance(expected, float):
        return _shown(shown, expected)
    return shown == expected


def test_every_registered_exercise_is_compared_with_its_notebook():
    assert set(SHOWN) == set(EXERCISES)


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_the_expected_answer_is_what_the_solution_cell_shows(exercise_id):
    prefix, number = exercise_id.split(".")
    shown = SHOWN[exercise_id](_solution_output(prefix, number))
    expected = _expected(exercise_id)
    assert _agrees(exercise_id, expected, shown), (
        f"exercise {exercise_id}: the data give {expected!r}, the notebook's solution shows {shown!r}; if the data "
        "changed, re-execute the notebook")
