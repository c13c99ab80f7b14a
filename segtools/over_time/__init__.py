"""Segmentation over time: the "analyse and adjust" step of the four-step strategy.

- :mod:`~segtools.over_time.segments`: re-segment each month with a fixed rule and count who moved;
- :mod:`~segtools.over_time.drift`: the segment mix month by month and its drift (PSI);
- :mod:`~segtools.over_time.holdout`: a campaign against a random hold-out group.
"""

from segtools.over_time.drift import population_stability, segment_shares
from segtools.over_time.holdout import assign_holdout, holdout_test
from segtools.over_time.segments import monthly_segments, transition_matrix

__all__ = ["monthly_segments", "transition_matrix", "segment_shares", "population_stability", "assign_holdout",
           "holdout_test"]
