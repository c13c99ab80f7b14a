"""Customer segmentation and lead segmentation side by side, and the funnel that joins them.

One company segments two populations: its *leads* (people who showed interest but have
not bought) to decide whom to follow up, and its *customers* (people who bought) to keep
and grow them. The two meet when a lead converts: the lead table's ``customer_id`` names
the customer the lead became. These functions work on plain label Series, whatever made
them (rules, clustering, a scorer or the answer key), so they serve every world and your
own data.

==========================  =================================================================
function                    returns
==========================  =================================================================
:func:`lead_outcomes`       per lead segment: leads, conversions, conversion rate, lift
:func:`customer_outcomes`   per customer segment: customers, revenue, repeat and active rates
:func:`funnel`              lead segment -> conversion -> customer segment, counts and rates
:func:`funnel_matrix`       the funnel as a lead-segment by customer-segment table
:func:`contrast_table`      the two segmentations compared, aspect by aspect, from the data
==========================  =================================================================

Rows whose segment label is missing, and converted leads whose customer has no segment,
are kept under the label :data:`NO_SEGMENT` rather than dropped.
"""

from segtools.compare._labels import NO_SEGMENT
from segtools.compare.contrast import ASPECTS, contrast_table, purchase_gap_days
from segtools.compare.funnel import funnel, funnel_matrix
from segtools.compare.outcomes import ALL, customer_outcomes, lead_outcomes

__all__ = ["NO_SEGMENT", "ALL", "ASPECTS", "lead_outcomes", "customer_outcomes", "funnel", "funnel_matrix",
           "contrast_table", "purchase_gap_days"]
