"""Customer segmentation: RFM, scores, time windows and named segments, segmenters, value tiers, profiles.

``import segtools.customers`` loads pandas; scikit-learn loads only when a segmenter
is first used (the two segmenter classes are imported on first access).

Examples
--------
>>> from segtools.data import load_case
>>> from segtools.customers import rfm, rfm_scores, name_segments
>>> case = load_case("retail")
>>> table = rfm_scores(rfm(case.transactions, case.snapshot_date))
>>> name_segments(table).value_counts().index[0] in set(rfm_segment_map()["segment"])
True
"""

from segtools.customers.profiles import describe_segments, segment_profile
from segtools.customers.rfm import repeat_purchase_summary, rfm, rfm_exclusions
from segtools.customers.scores import (ACTIVE_SEGMENTS, ONLY_FREE_ITEMS, name_segments, rfm_scores, rfm_segment_map,
                                       tie_aware_scores)
from segtools.customers.windows import activity_windows, explain_empty_segments
from segtools.customers.value import pareto_table, revenue_share_of_top, value_tiers

_LAZY = {"RuleSegmenter": "segtools.customers.segmenters", "ClusterSegmenter": "segtools.customers.clustering",
         "mixed_preprocessor": "segtools.customers.clustering", "PurchaseModel": "segtools.customers.predicted",
         "SpendModel": "segtools.customers.predicted", "predicted_value": "segtools.customers.predicted",
         "value_outlook": "segtools.customers.outlook"}

__all__ = ["rfm", "repeat_purchase_summary", "rfm_exclusions", "rfm_scores", "tie_aware_scores",
           "rfm_segment_map", "name_segments", "value_tiers", "pareto_table", "revenue_share_of_top",
           "segment_profile", "describe_segments", "activity_windows", "explain_empty_segments",
           "ACTIVE_SEGMENTS", "ONLY_FREE_ITEMS", *_LAZY]


def __getattr__(name):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'segtools.customers' has no attribute {name!r}")
