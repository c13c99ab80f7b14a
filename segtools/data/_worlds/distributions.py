"""Small, vectorised attribute distributions used by the world specifications.

Each distribution draws ``n`` values at once from a NumPy ``Generator``, so a
world with a million customers takes a few calls per segment, not a loop per row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Choice:
    """A categorical column: ``weights`` maps each value to its relative weight."""

    weights: dict

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        values = np.array(list(self.weights), dtype=object)
        return values[self.sample_codes(rng, n)]

    def sample_codes(self, rng: np.random.Generator, n: int, categories: list | None = None) -> np.ndarray:
        """Positions of the drawn values, in ``categories`` when given (else in ``weights``)."""
        p = np.array(list(self.weights.values()), dtype=float)
        codes = rng.choice(len(p), size=n, p=p / p.sum())
        if categories is None:
            return codes
        return np.array([categories.index(v) for v in self.weights], dtype=np.int64)[codes]


@dataclass(frozen=True)
class Normal:
    """A rounded, clipped normal: ages, scores, counts with a typical value."""

    mean: float
    sd: float
    low: float = -np.inf
    high: float = np.inf
    decimals: int = 0

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        x = np.clip(rng.normal(self.mean, self.sd, n), self.low, self.high)
        x = np.round(x, self.decimals)
        return x.astype(np.int64) if self.decimals == 0 else x


@dataclass(frozen=True)
class LogNormal:
    """A heavy-tailed positive amount (spend, budget, company size) by its median."""

    median: float
    sigma: float
    low: float = 0.0
    high: float = np.inf
    decimals: int = 0

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        x = np.clip(self.median * np.exp(rng.normal(0.0, self.sigma, n)), self.low, self.high)
        x = np.round(x, self.decimals)
        return x.astype(np.int64) if self.decimals == 0 else x


@dataclass(frozen=True)
class Poisson:
    """Counts of events: page views, e-mail clicks, downloads."""

    lam: float

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.poisson(self.lam, n).astype(np.int64)


@dataclass(frozen=True)
class Bernoulli:
    """A yes/no flag with probability ``p`` of yes."""

    p: float

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.random(n) < self.p
