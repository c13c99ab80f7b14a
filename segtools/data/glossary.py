"""The workbook's glossary in English, Dutch, German, Italian and Spanish.

The source articles of the workbook are written in Dutch, German, Italian and Spanish;
readers meet the terms in those languages at work, so every term carries all five.

Examples
--------
>>> from segtools.data.glossary import define, glossary
>>> print(define("lead_scoring"))
lead scoring: points or a probability given to each lead, so the leads most likely to convert are followed up first. (nl: leadscoring · de: Lead-Scoring · it: punteggio dei lead · es: puntuación de leads)
>>> glossary().loc["customer_segmentation", "de"]
'Kundensegmentierung'
"""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "nl", "de", "it", "es")

# key: (English term, definition in the workbook's words, nl, de, it, es)
TERMS = {
    "customer_segmentation": (
        "customer segmentation",
        "dividing the people who already buy from you into groups that share traits, so each group can be "
        "served, kept and grown in its own way.",
        "klantsegmentatie", "Kundensegmentierung", "segmentazione dei clienti", "segmentación de clientes"),
    "lead_segmentation": (
        "lead segmentation",
        "dividing prospects who showed interest but have not bought into groups by fit and interest, so sales "
        "and marketing spend their limited time where conversion is most likely.",
        "leadsegmentatie", "Lead-Segmentierung", "segmentazione dei lead", "segmentación de leads"),
    "customer": (
        "customer",
        "a person or organisation that has bought at least once.",
        "klant", "Kunde", "cliente", "cliente"),
    "lead": (
        "lead",
        "a potential customer who has shown interest (a form, a trial, a download, a visit) but has not bought yet.",
        "lead", "Lead", "lead (contatto potenziale)", "lead (cliente potencial)"),
    "segment": (
        "segment",
        "a group of customers or leads that share traits and get the same treatment.",
        "segment", "Segment", "segmento", "segmento"),
    "conversion": (
        "conversion",
        "the moment a lead becomes a customer; the conversion rate is the share of leads that do.",
        "conversie", "Konversion", "conversione", "conversión"),
    "lead_scoring": (
        "lead scoring",
        "points or a probability given to each lead, so the leads most likely to convert are followed up first.",
        "leadscoring", "Lead-Scoring", "punteggio dei lead", "puntuación de leads"),
    "rfm": (
        "RFM",
        "recency (days since the last purchase), frequency (how many purchases) and monetary value (how much "
        "spent): three numbers that summarise how a customer buys.",
        "RFM (recentheid, frequentie, monetaire waarde)", "RFM (Aktualität, Häufigkeit, Umsatz)",
        "RFM (recenza, frequenza, valore monetario)", "RFM (recencia, frecuencia, valor monetario)"),
    "customer_lifetime_value": (
        "customer lifetime value",
        "the revenue a customer is expected to bring over the whole relationship.",
        "klantwaarde (customer lifetime value)", "Kundenwert (Customer Lifetime Value)",
        "valore del cliente nel tempo", "valor de vida del cliente"),
    "churn": (
        "churn",
        "customers who stop buying or cancel; the churn rate is their share in a period.",
        "klantverloop", "Kundenabwanderung", "abbandono dei clienti", "pérdida de clientes"),
    "demographic_segmentation": (
        "demographic segmentation",
        "grouping by who people are: age, gender, income, education, family situation.",
        "demografische segmentatie", "demografische Segmentierung", "segmentazione demografica",
        "segmentación demográfica"),
    "geographic_segmentation": (
        "geographic segmentation",
        "grouping by where people or organisations are: country, region, city, climate, language.",
        "geografische segmentatie", "geografische Segmentierung", "segmentazione geografica",
        "segmentación geográfica"),
    "psychographic_segmentation": (
        "psychographic segmentation",
        "grouping by how people think and live: values, interests, lifestyle, personality.",
        "psychografische segmentatie", "psychografische Segmentierung", "segmentazione psicografica",
        "segmentación psicográfica"),
    "technographic_segmentation": (
        "technographic segmentation",
        "grouping by the technology people use: devices, apps, software, how they use a product.",
        "technografische segmentatie", "technografische Segmentierung", "segmentazione tecnografica",
        "segmentación tecnográfica"),
    "behavioural_segmentation": (
        "behavioural segmentation",
        "grouping by what people do: purchases, usage, engagement, loyalty.",
        "gedragssegmentatie", "verhaltensbasierte Segmentierung", "segmentazione comportamentale",
        "segmentación conductual"),
    "needs_based_segmentation": (
        "needs-based segmentation",
        "grouping by what people need from the product or service, the problem they want solved.",
        "segmentatie op basis van behoeften", "bedarfsbasierte Segmentierung", "segmentazione basata sui bisogni",
        "segmentación por necesidades"),
    "value_based_segmentation": (
        "value-based segmentation",
        "grouping by the economic value a customer brings, so effort follows value.",
        "segmentatie op basis van waarde", "wertbasierte Segmentierung", "segmentazione basata sul valore",
        "segmentación por valor"),
    "firmographics": (
        "firmographics",
        "the demographics of an organisation: industry, size, revenue, location.",
        "firmografische gegevens", "firmografische Daten", "dati firmografici", "datos firmográficos"),
    "purchasing_power": (
        "purchasing power",
        "how much a lead is able to spend: budget, company size, revenue.",
        "koopkracht", "Kaufkraft", "potere d'acquisto", "poder adquisitivo"),
    "interest_level": (
        "interest level",
        "how strongly a lead has engaged: visits, downloads, trials, demo requests.",
        "interesseniveau", "Interessenniveau", "livello di interesse", "nivel de interés"),
    "nps": (
        "Net Promoter Score",
        "the share of promoters (9-10 on 'would you recommend us?') minus the share of detractors (0-6).",
        "Net Promoter Score", "Net Promoter Score", "Net Promoter Score", "Net Promoter Score"),
    "mql": (
        "marketing-qualified lead",
        "a lead whose fit and engagement pass marketing's threshold, ready for nurturing or sales.",
        "marketing-gekwalificeerde lead", "marketingqualifizierter Lead", "lead qualificato dal marketing",
        "lead cualificado por marketing"),
    "sql": (
        "sales-qualified lead",
        "a lead that sales has accepted as worth a direct follow-up.",
        "sales-gekwalificeerde lead", "vertriebsqualifizierter Lead", "lead qualificato dalle vendite",
        "lead cualificado para ventas"),
    "funnel": (
        "funnel",
        "the path from lead to customer, with the share that moves on at each step.",
        "trechter", "Trichter", "imbuto", "embudo"),
    "customer_journey": (
        "customer journey",
        "the stages a person goes through, from first contact to loyal customer.",
        "klantreis", "Kundenreise", "percorso del cliente", "recorrido del cliente"),
    "target_audience": (
        "target audience",
        "the people a campaign or product is meant to reach.",
        "doelgroep", "Zielgruppe", "pubblico di riferimento", "público objetivo"),
    "retention": (
        "retention",
        "keeping customers buying; the opposite of churn.",
        "klantbehoud", "Kundenbindung", "fidelizzazione", "retención"),
    "clustering": (
        "clustering",
        "letting an algorithm group similar rows together without being told the groups.",
        "clustering", "Clusteranalyse", "clustering", "agrupamiento (clustering)"),
    "hold_out_group": (
        "hold-out group",
        "a random part of a segment that is deliberately not targeted, to measure what the campaign changed.",
        "controlegroep", "Kontrollgruppe", "gruppo di controllo", "grupo de control"),
    "lift": (
        "lift",
        "how many times better a segment or a top slice of leads does than the average.",
        "lift", "Lift", "lift", "lift"),
}


@dataclass(frozen=True)
class Note:
    """One glossary entry; shows as a short note in a notebook."""

    key: str
    term: str
    definition: str
    translations: dict

    def __str__(self) -> str:
        others = " · ".join(f"{lang}: {word}" for lang, word in self.translations.items())
        return f"{self.term}: {self.definition} ({others})"

    def _repr_markdown_(self) -> str:
        others = " · ".join(f"*{lang}* {word}" for lang, word in self.translations.items())
        return f"> **{self.term}**: {self.definition}  \n> {others}"


def define(key: str) -> Note:
    """The glossary note for ``key`` (e.g. ``"lead_scoring"``), with its four translations.

    Parameters
    ----------
    key : str
        A glossary entry (the keys of :data:`TERMS`).

    Returns
    -------
    Note
        Shows as a short quoted note in a notebook; ``str(note)`` gives one line of text.

    Examples
    --------
    >>> define("lift").term
    'lift'
    """
    if key not in TERMS:
        raise KeyError(f"no glossary entry {key!r}; entries: {', '.join(sorted(TERMS))}")
    term, definition, *words = TERMS[key]
    return Note(key, term, definition, dict(zip(LANGUAGES[1:], words)))


def glossary(languages=LANGUAGES):
    """The whole glossary as a DataFrame indexed by key: one column per language plus the definition.

    Parameters
    ----------
    languages : iterable of str
        Language codes to include, from :data:`LANGUAGES` (English is always included).

    Returns
    -------
    DataFrame
        Columns ``en``, ``definition`` and one per other language asked for.

    Examples
    --------
    >>> glossary(["en", "nl"]).columns.tolist()
    ['en', 'definition', 'nl']
    """
    import pandas as pd

    rows = {key: dict(zip(("en", "definition", *LANGUAGES[1:]), values)) for key, values in TERMS.items()}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "key"
    return frame[["en", "definition", *[lang for lang in languages if lang != "en"]]]
