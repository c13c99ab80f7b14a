"""Self-checks of notebook 05 (the consulting case) added with issue 14."""

from segtools.workbook.exercise_types import Exercise, case, judged

_HORIZON = 270  # notebook 05's horizon_days
_CAPACITY = 120  # notebook 05's sales_capacity
_REGION_OF = {"Germany": "DACH", "Austria": "DACH", "Switzerland": "DACH", "Netherlands": "Benelux",
              "Belgium": "Benelux", "Spain": "South", "Italy": "South"}


def _south_meetings():
    from segtools.leads import rule_scores

    leads = case("consulting").leads
    scored = leads.assign(region=leads["country"].map(_REGION_OF).fillna("other"),
                          score=rule_scores(leads, "consulting")["score"].to_numpy())
    meet = scored[scored["status"] == "open"].nlargest(_CAPACITY, "score")
    old = judged("consulting", _HORIZON)
    south = old[old["country"].map(_REGION_OF) == "South"]
    return int((meet["region"] == "South").sum()), float(south["won"].mean())


EXERCISES = [
    Exercise("05.5", "meetings that go to the South, and the share of judged South leads that signed", "parts",
             _south_meetings, "count `meet[\"region\"] == \"South\"`; the share is the South row of "
             "`rate_test(judged_r, \"region\")`.", parts=("meetings in the South", "South signed share"),
             tol=(0, 0.002), close=(3, 0.01)),
]
