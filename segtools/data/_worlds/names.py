"""Invented person and company names: no real personal data in any world."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .arrow import join, strings

FIRST_NAMES = [
    "Anna", "Bram", "Chiara", "Daan", "Elena", "Felix", "Greta", "Hugo", "Ines", "Jonas",
    "Katja", "Luca", "Marta", "Noah", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tess",
    "Umberto", "Vera", "Wout", "Ximena", "Yara", "Zeno", "Lotte", "Matteo", "Lucia", "Finn",
]
LAST_NAMES = [
    "Aldermoor", "Brightwell", "Castellano", "Dornbusch", "Eikhout", "Fontavera", "Grunwald",
    "Hazelbrook", "Isenbart", "Jansvelt", "Kobaltis", "Linderhof", "Marbella", "Nieuwlicht",
    "Ostrava", "Pellegrino", "Quellberg", "Rivamonte", "Steenvoort", "Tiberga", "Ulmendorf",
    "Valderrey", "Wittenkamp", "Zuidwijk",
]
COMPANY_STEMS = [
    "Amber", "Birch", "Cobalt", "Delta", "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper",
    "Kestrel", "Lumen", "Meadow", "Nimbus", "Orchid", "Pioneer", "Quartz", "Riverbend", "Summit", "Tidal",
]
COMPANY_KINDS = [
    "Analytics", "Foods", "Logistics", "Health", "Retail", "Systems", "Studio", "Works", "Finance", "Energy",
]


def person_names(rng: np.random.Generator, n: int) -> tuple[pd.Series, pd.Series]:
    first = strings(FIRST_NAMES, rng.integers(0, len(FIRST_NAMES), n))
    last = strings(LAST_NAMES, rng.integers(0, len(LAST_NAMES), n))
    return first, last


def company_names(rng: np.random.Generator, n: int) -> pd.Series:
    stems = strings(COMPANY_STEMS, rng.integers(0, len(COMPANY_STEMS), n))
    kinds = strings(COMPANY_KINDS, rng.integers(0, len(COMPANY_KINDS), n))
    return join(stems, " ", kinds)
