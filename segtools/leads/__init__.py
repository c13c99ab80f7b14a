"""Lead segmentation: rule scoring, grades, a model scorer, evaluation, capacity and segments.

The names below load their submodule on first use, so ``import segtools.leads`` is cheap.

Examples
--------
>>> from segtools.data import load_case
>>> from segtools.leads import default_points, grade_leads, rule_scores
>>> leads = load_case("startup").leads
>>> graded = grade_leads(rule_scores(leads, default_points("startup")))
>>> sorted(graded["grade"].str[0].unique())
['A', 'B', 'C', 'D']
"""

from segtools._lazy import lazy_exports

_NAMES = {
    "leakage": ("POST_OUTCOME_COLUMNS", "TARGET", "post_outcome_set", "leak_alarm", "outcome_flags"),
    "rules": ("RuleScorer", "rule_scores", "decay_factor", "default_points"),
    "points": ("points_table",),
    "defaults": ("DEFAULT_POINTS",),
    "grades": ("grade_leads", "grade_matrix", "tier_leads", "qualify_leads"),
    "model": ("LeadScorer", "lead_features", "build_pipeline", "time_split", "converted_within", "TimeSplit"),
    "evaluation": ("evaluate_scores", "gains_table", "top_k_capture", "calibration_table"),
    "capacity": ("call_list", "follow_up", "capacity_table", "boundary_ties"),
    "segments": ("segment_conversion", "wilson_interval"),
    "history": ("learn_from_history", "History", "outcome_of"),
    "suggest": ("suggest_points", "write_points"),
}
__getattr__, __dir__, __all__ = lazy_exports("segtools.leads", _NAMES)
