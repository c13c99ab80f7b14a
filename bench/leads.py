"""Benchmark of lead scoring on 1,000,000 generated retail leads (``make bench``; not a test).

Targets (the script exits 1 if one is missed):

* rule scoring (points table with caps and decay) of 1,000,000 leads in under 2 s, and at
  least 50x faster than a row-by-row ``DataFrame.apply`` of the same table, with equal scores;
* ``predict_proba`` of the calibrated model scorer on 1,000,000 leads in under 5 s.

The row-by-row version takes several minutes on 1,000,000 rows, so by default it runs on a
random sample of 50,000 rows (fixed seed) and its time is scaled up linearly (it is a plain
per-row loop, so its time grows with the rows); ``--full`` runs it on every row. Peak memory (max resident set) is printed.

Usage: ``python bench/leads.py [--leads N] [--apply-rows N | --full]``
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

RULE_SECONDS = 2.0
SPEEDUP = 50.0
PREDICT_SECONDS = 5.0


def timed(fn, repeat=1):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--apply-rows", type=int, default=50_000)
    parser.add_argument("--full", action="store_true", help="run the row-by-row version on every lead")
    args = parser.parse_args(argv)

    from segtools.data import make_case
    from segtools.leads import LeadScorer, RuleScorer, default_points, lead_features, time_split
    from segtools.leads.reference import score_rowwise

    seconds, case = timed(lambda: make_case("retail", n_customers=max(1000, int(args.leads * 0.15)),
                                            n_leads=args.leads))
    leads = case.leads
    print(f"generated {len(leads):,} retail leads in {seconds:.1f} s; peak memory {peak_mb():,.0f} MB")
    failures = []

    scorer = RuleScorer(default_points("retail"), half_life=30, snapshot_date=case.snapshot_date).fit(leads)
    rule_s, scores = timed(lambda: scorer.transform(leads), repeat=3)
    print(f"rule scoring, vectorised:   {rule_s:6.2f} s for {len(leads):,} leads (best of 3)")

    n_apply = len(leads) if args.full else min(args.apply_rows, len(leads))
    part = leads if n_apply == len(leads) else leads.sample(n=n_apply, random_state=0)
    apply_s, slow = timed(lambda: score_rowwise(part, default_points("retail"), half_life=30,
                                                snapshot_date=case.snapshot_date))
    scaled = apply_s * len(leads) / n_apply
    how = "measured" if n_apply == len(leads) else f"measured on {n_apply:,} rows, scaled to {len(leads):,}"
    print(f"rule scoring, row by row:   {scaled:6.2f} s for {len(leads):,} leads ({how})")
    diff = float((slow - scores["score"].loc[part.index]).abs().max())
    speedup = scaled / rule_s
    print(f"speed-up {speedup:,.0f}x; largest score difference on the compared rows {diff:.2e}")
    if diff > 1e-9:
        failures.append(f"vectorised and row-by-row scores differ by {diff}")
    if rule_s > RULE_SECONDS:
        failures.append(f"rule scoring took {rule_s:.2f} s (target {RULE_SECONDS} s)")
    if speedup < SPEEDUP:
        failures.append(f"speed-up {speedup:.0f}x (target {SPEEDUP:.0f}x)")

    split = time_split(leads, "2025-04-01", case.snapshot_date, horizon_days=90)
    train = split.train.sample(n=min(50_000, len(split.train)), random_state=0)
    model = LeadScorer("logistic").fit(lead_features(train), split.y_train.loc[train.index])
    X = lead_features(leads)
    predict_s, proba = timed(lambda: model.predict_proba(X), repeat=2)
    print(f"model scoring (predict_proba): {predict_s:6.2f} s for {len(X):,} leads (best of 2; "
          f"trained on {len(train):,})")
    if predict_s > PREDICT_SECONDS:
        failures.append(f"predict_proba took {predict_s:.2f} s (target {PREDICT_SECONDS} s)")
    print(f"peak memory (max resident set): {peak_mb():,.0f} MB")

    for failure in failures:
        print(f"MISSED: {failure}", file=sys.stderr)
    print("all targets met" if not failures else f"{len(failures)} target(s) missed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
