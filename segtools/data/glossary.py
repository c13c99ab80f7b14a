"""The workbook's glossary: every term and its definition in English, Dutch, German, Italian and Spanish.

The source articles of the workbook are written in Dutch, German, Italian and Spanish; readers meet the
terms in those languages at work, so every entry carries the term and a short definition in all five.
The business terms are in :mod:`segtools.data.glossary_terms`; the statistical terms are below.

Examples
--------
>>> from segtools.data.glossary import define, glossary
>>> note = define("lead_scoring")
>>> print(str(note).splitlines()[0])
lead scoring: points or a probability given to each lead, so the leads most likely to convert are followed up first.
>>> note.translations["de"]
'Lead-Scoring'
>>> glossary().loc["customer_segmentation", "de"]
'Kundensegmentierung'
>>> glossary(["en", "it"]).loc["lift", "definition_it"].startswith("quante volte")
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

from segtools.data.glossary_terms import BUSINESS

LANGUAGES = ("en", "nl", "de", "it", "es")

# key: {language: (term, definition)}; the definitions say the same thing in every language.
STATISTICS = {
    "hold_out_group": {
        "en": ("hold-out group", ("a random part of a segment that is deliberately not targeted, to measure what the "
            "campaign changed.")),
        "nl": ("controlegroep", ("een willekeurig deel van een segment dat bewust niet wordt benaderd, om te meten wat "
            "de campagne veranderde.")),
        "de": ("Kontrollgruppe", (
            "ein zufälliger Teil eines Segments, der bewusst nicht angesprochen wird, um zu messen, "
            "was die Kampagne bewirkt hat.")),
        "it": ("gruppo di controllo", ("una parte casuale di un segmento che di proposito non viene contattata, per "
            "misurare che cosa ha cambiato la campagna.")),
        "es": ("grupo de control", ("una parte aleatoria de un segmento a la que a propósito no se dirige la campaña, "
            "para medir lo que esta cambió.")),
    },
    "lift": {
        "en": ("lift", "how many times better a segment or a top slice of leads does than the average."),
        "nl": ("lift", "hoeveel keer beter een segment of de best gescoorde leads het doen dan het gemiddelde."),
        "de": ("Lift", ("um wie viel besser ein Segment oder die am besten bewerteten Leads abschneiden als der "
            "Durchschnitt, als Faktor.")),
        "it": ("lift", "quante volte un segmento o la fascia migliore dei lead fa meglio della media."),
        "es": ("lift (mejora)", ("cuántas veces mejor que la media rinde un segmento o la franja de leads mejor "
            "puntuados.")),
    },
    "roc_auc": {
        "en": ("ROC AUC", ("the chance that a randomly chosen lead that converted gets a higher score than a randomly "
            "chosen one that did not: 0.5 is guessing, 1 is a perfect ranking.")),
        "nl": ("ROC AUC", (
            "de kans dat een willekeurige lead die klant werd een hogere score krijgt dan een willekeurige "
            "lead die dat niet werd: 0,5 is gokken, 1 is een perfecte rangorde.")),
        "de": ("ROC AUC", ("die Wahrscheinlichkeit, dass ein zufälliger konvertierter Lead einen höheren Score erhält "
            "als ein zufälliger nicht konvertierter: 0,5 ist Raten, 1 eine perfekte Rangfolge.")),
        "it": ("ROC AUC", ("la probabilità che un lead convertito scelto a caso abbia un punteggio più alto di uno non "
            "convertito scelto a caso: 0,5 è tirare a indovinare, 1 un ordinamento perfetto.")),
        "es": ("ROC AUC", ("la probabilidad de que un lead convertido elegido al azar tenga más puntuación que uno no "
            "convertido elegido al azar: 0,5 es adivinar, 1 una ordenación perfecta.")),
    },
    "average_precision": {
        "en": ("average precision", ("the share of converters among the leads above each converter's score, averaged "
            "over the converters; it rewards putting buyers at the very top and is compared with the base rate.")),
        "nl": ("gemiddelde precisie", (
            "het aandeel kopers onder de leads boven de score van elke koper, gemiddeld over "
            "de kopers; het beloont kopers helemaal bovenaan en wordt vergeleken met het basispercentage.")),
        "de": ("durchschnittliche Präzision", (
            "der Anteil der Käufer unter den Leads oberhalb des Scores jedes Käufers, "
            "gemittelt über die Käufer; sie belohnt Käufer ganz oben und wird mit der Grundrate verglichen.")),
        "it": ("precisione media", (
            "la quota di acquirenti tra i lead sopra il punteggio di ciascun acquirente, in media "
            "sugli acquirenti; premia chi mette gli acquirenti in cima e va confrontata con il tasso di base.")),
        "es": ("precisión media", ("la proporción de compradores entre los leads por encima de la puntuación de cada "
            "comprador, promediada sobre los compradores; premia tenerlos arriba y se compara con la tasa base.")),
    },
    "calibration": {
        "en": ("calibration", ("how well predicted probabilities match what happens: of the leads given 20%, about one "
            "in five should convert.")),
        "nl": ("kalibratie", ("hoe goed voorspelde kansen overeenkomen met wat er gebeurt: van de leads met 20% zou "
            "ongeveer één op de vijf klant moeten worden.")),
        "de": ("Kalibrierung", ("wie gut vorhergesagte Wahrscheinlichkeiten zum tatsächlichen Ergebnis passen: von den "
            "Leads mit 20 % sollte etwa jeder fünfte konvertieren.")),
        "it": ("calibrazione", (
            "quanto le probabilità previste corrispondono a ciò che accade: dei lead stimati al 20% "
            "dovrebbe convertire circa uno su cinque.")),
        "es": ("calibración", (
            "cuánto se ajustan las probabilidades previstas a lo que ocurre: de los leads con un 20% "
            "debería convertir más o menos uno de cada cinco.")),
    },
    "wilson_interval": {
        "en": ("Wilson interval", ("a confidence interval for a rate such as a conversion rate that stays sensible for "
            "small groups and for rates near 0 or 1.")),
        "nl": ("Wilson-interval", ("een betrouwbaarheidsinterval voor een percentage zoals een conversieratio dat ook "
            "bij kleine groepen en bij percentages dicht bij 0 of 1 zinnig blijft.")),
        "de": ("Wilson-Intervall", (
            "ein Konfidenzintervall für eine Quote wie die Konversionsrate, das auch bei kleinen "
            "Gruppen und bei Quoten nahe 0 oder 1 vernünftig bleibt.")),
        "it": ("intervallo di Wilson", (
            "un intervallo di confidenza per un tasso, come quello di conversione, che resta "
            "sensato anche per gruppi piccoli e per tassi vicini a 0 o a 1.")),
        "es": ("intervalo de Wilson", (
            "un intervalo de confianza para una tasa, como la de conversión, que sigue siendo "
            "razonable con grupos pequeños y con tasas cercanas a 0 o a 1.")),
    },
    "two_proportion_test": {
        "en": ("two-proportion test", ("a test of whether two rates, for example a campaign group and its hold-out "
            "group, differ by more than chance would explain.")),
        "nl": ("toets voor twee proporties", (
            "een toets of twee percentages, bijvoorbeeld van een campagnegroep en haar "
            "controlegroep, meer verschillen dan toeval kan verklaren.")),
        "de": ("Zwei-Anteils-Test", ("ein Test, ob sich zwei Quoten, etwa von Kampagnen- und Kontrollgruppe, stärker "
            "unterscheiden, als der Zufall erklären würde.")),
        "it": ("test per due proporzioni", (
            "un test che verifica se due tassi, per esempio del gruppo della campagna e "
            "del suo gruppo di controllo, differiscono più di quanto spieghi il caso.")),
        "es": ("prueba de dos proporciones", ("una prueba de si dos tasas, por ejemplo la del grupo de la campaña y la "
            "de su grupo de control, difieren más de lo que explicaría el azar.")),
    },
    "chi_square_test": {
        "en": ("chi-square test", ("a test of whether the counts in a table, such as conversions per segment, differ "
            "from what they would be if the rows and columns were unrelated.")),
        "nl": ("chikwadraattoets", (
            "een toets of de aantallen in een tabel, zoals conversies per segment, afwijken van "
            "wat je zou zien als rijen en kolommen los van elkaar stonden.")),
        "de": ("Chi-Quadrat-Test", ("ein Test, ob die Häufigkeiten einer Tabelle, etwa Abschlüsse je Segment, von dem "
            "abweichen, was ohne Zusammenhang zwischen Zeilen und Spalten zu erwarten wäre.")),
        "it": ("test del chi quadrato", ("un test che verifica se i conteggi di una tabella, come le conversioni per "
            "segmento, si scostano da quelli attesi se righe e colonne fossero indipendenti.")),
        "es": ("prueba de chi cuadrado", ("una prueba de si los recuentos de una tabla, como las conversiones por "
            "segmento, se apartan de lo esperado si filas y columnas fueran independientes.")),
    },
    "silhouette": {
        "en": ("silhouette", ("a score from -1 to 1 of how much closer each row is to its own cluster than to the "
            "nearest other one; used to choose the number of clusters.")),
        "nl": ("silhouetscore", ("een score van -1 tot 1 die zegt hoeveel dichter elke rij bij haar eigen cluster ligt "
            "dan bij de dichtstbijzijnde andere; gebruikt om het aantal clusters te kiezen.")),
        "de": ("Silhouettenkoeffizient", (
            "ein Wert von -1 bis 1, wie viel näher jede Zeile ihrem eigenen Cluster ist als "
            "dem nächsten anderen; dient zur Wahl der Clusterzahl.")),
        "it": ("indice di silhouette", (
            "un valore da -1 a 1 che misura quanto ogni riga è più vicina al proprio cluster "
            "che al cluster più vicino; serve a scegliere il numero di cluster.")),
        "es": ("coeficiente de silueta", ("una puntuación de -1 a 1 de cuánto más cerca está cada fila de su propio "
            "grupo que del otro más cercano; sirve para elegir el número de grupos.")),
    },
    "adjusted_rand_index": {
        "en": ("adjusted Rand index", ("how well two ways of grouping the same rows agree, corrected for chance: 0 is "
            "chance agreement, 1 is identical groups.")),
        "nl": ("gecorrigeerde Rand-index", (
            "hoe goed twee indelingen van dezelfde rijen overeenkomen, gecorrigeerd voor "
            "toeval: 0 is toevallige overeenkomst, 1 zijn identieke groepen.")),
        "de": ("bereinigter Rand-Index", ("wie gut zwei Einteilungen derselben Zeilen übereinstimmen, um den Zufall "
            "bereinigt: 0 ist zufällige Übereinstimmung, 1 sind identische Gruppen.")),
        "it": ("indice di Rand corretto", (
            "quanto concordano due raggruppamenti delle stesse righe, al netto del caso: "
            "0 è un accordo casuale, 1 sono gruppi identici.")),
        "es": ("índice de Rand ajustado", ("cuánto coinciden dos agrupaciones de las mismas filas, descontado el azar: "
            "0 es una coincidencia casual, 1 son grupos idénticos.")),
    },
    "censoring": {
        "en": ("censoring", ("not yet knowing the outcome of a recent lead or customer: a lead created last week that "
            "has not bought may still buy, so it must not count as lost.")),
        "nl": ("censurering", (
            "de uitkomst van een recente lead of klant nog niet kennen: een lead van vorige week die "
            "nog niet kocht, kan dat nog doen en telt dus niet als verloren.")),
        "de": ("Zensierung", ("das noch unbekannte Ergebnis eines jungen Leads oder Kunden: ein Lead von letzter Woche "
            "ohne Kauf kann noch kaufen und darf nicht als verloren zählen.")),
        "it": ("censura", (
            "il non conoscere ancora l'esito di un lead o cliente recente: un lead della settimana scorsa "
            "che non ha comprato può ancora farlo, quindi non va contato come perso.")),
        "es": ("censura", (
            "no conocer aún el resultado de un lead o cliente reciente: un lead de la semana pasada que no "
            "ha comprado todavía puede hacerlo, así que no cuenta como perdido.")),
    },
    "population_stability_index": {
        "en": ("population stability index", ("a number for how far the mix of segments has moved from a reference "
            "period; below 0.1 is stable, above 0.25 calls for a new look at the segments.")),
        "nl": ("populatiestabiliteitsindex", ("een getal voor hoever de verdeling over segmenten is verschoven ten "
            "opzichte van een referentieperiode; onder 0,1 is stabiel, boven 0,25 vraagt om een nieuwe blik.")),
        "de": ("Populationsstabilitätsindex", (
            "eine Zahl dafür, wie weit sich die Verteilung auf die Segmente gegenüber "
            "einem Referenzzeitraum verschoben hat; unter 0,1 stabil, über 0,25 ein Anlass zur Überprüfung.")),
        "it": ("indice di stabilità della popolazione", ("un numero che dice quanto la ripartizione tra segmenti si è "
            "spostata da un periodo di riferimento; sotto 0,1 è stabile, sopra 0,25 va rivista.")),
        "es": ("índice de estabilidad de la población", (
            "una cifra de cuánto se ha desplazado el reparto entre segmentos "
            "respecto a un periodo de referencia; por debajo de 0,1 es estable, por encima de 0,25 pide revisarlos.")),
    },
    "bg_nbd": {
        "en": ("BG/NBD (probability alive)", ("a model of repeat purchases that, from frequency, recency and age, "
            "estimates how often a customer buys and the probability that the customer is still active.")),
        "nl": ("BG/NBD (kans nog actief)", ("een model voor herhaalaankopen dat uit frequentie, recentheid en leeftijd "
            "schat hoe vaak een klant koopt en hoe groot de kans is dat die klant nog actief is.")),
        "de": ("BG/NBD (Aktivitätswahrscheinlichkeit)", (
            "ein Modell für Wiederkäufe, das aus Häufigkeit, Aktualität und "
            "Kundenalter schätzt, wie oft ein Kunde kauft und wie wahrscheinlich er noch aktiv ist.")),
        "it": ("BG/NBD (probabilità di essere attivo)", ("un modello di acquisti ripetuti che, da frequenza, recenza e "
            "anzianità, stima quanto spesso un cliente compra e la probabilità che sia ancora attivo.")),
        "es": ("BG/NBD (probabilidad de seguir activo)", ("un modelo de compras repetidas que, a partir de frecuencia, "
            "recencia y antigüedad, estima con qué frecuencia compra un cliente y la probabilidad de que siga activo.")),
    },
    "gamma_gamma": {
        "en": ("Gamma-Gamma model", ("a model of the average order value of repeat customers; with BG/NBD it gives a "
            "predicted customer value.")),
        "nl": ("Gamma-Gamma-model", ("een model voor de gemiddelde orderwaarde van terugkerende klanten; samen met "
            "BG/NBD geeft het een voorspelde klantwaarde.")),
        "de": ("Gamma-Gamma-Modell", ("ein Modell für den durchschnittlichen Bestellwert wiederkehrender Kunden; "
            "zusammen mit BG/NBD ergibt es einen vorhergesagten Kundenwert.")),
        "it": ("modello Gamma-Gamma", (
            "un modello del valore medio degli ordini dei clienti abituali; insieme a BG/NBD "
            "dà un valore del cliente previsto.")),
        "es": ("modelo Gamma-Gamma", (
            "un modelo del importe medio de los pedidos de los clientes recurrentes; junto con "
            "BG/NBD da un valor del cliente previsto.")),
    },
    "data_leakage": {
        "en": ("data leakage", (
            "a column that is only known after the outcome (a deal value, a status) used to predict "
            "it; the score looks perfect in testing and fails in practice.")),
        "nl": ("datalek (leakage)", (
            "een kolom die pas na de uitkomst bekend is (een dealwaarde, een status) gebruiken "
            "om die uitkomst te voorspellen; de score lijkt bij het testen perfect en faalt in de praktijk.")),
        "de": ("Datenleck (Leakage)", (
            "eine Spalte, die erst nach dem Ergebnis bekannt ist (Auftragswert, Status), zur "
            "Vorhersage nutzen; der Score wirkt im Test perfekt und versagt in der Praxis.")),
        "it": ("fuga di dati (leakage)", ("usare per prevedere un esito una colonna nota solo dopo di esso (valore del "
            "contratto, stato); il punteggio sembra perfetto nei test e fallisce nella pratica.")),
        "es": ("fuga de datos (leakage)", (
            "usar para predecir un resultado una columna que solo se conoce después (valor "
            "del contrato, estado); la puntuación parece perfecta en las pruebas y falla en la práctica.")),
    },
    "snapshot_date": {
        "en": ("snapshot date", ("the date the analysis looks from: recency, ages and which leads are old enough to "
            "judge are all counted up to it, never up to a hidden 'today'.")),
        "nl": ("peildatum", ("de datum van waaruit de analyse kijkt: recentheid, leeftijden en welke leads oud genoeg "
            "zijn om te beoordelen tellen tot die dag, nooit tot een verborgen 'vandaag'.")),
        "de": ("Stichtag", (
            "das Datum, von dem aus die Analyse blickt: Aktualität, Alter und welche Leads alt genug zur "
            "Beurteilung sind, zählen bis zu diesem Tag, nie bis zu einem versteckten 'heute'.")),
        "it": ("data di riferimento", (
            "la data da cui guarda l'analisi: recenza, anzianità e quali lead sono abbastanza "
            "vecchi da giudicare si contano fino a quel giorno, mai fino a un 'oggi' nascosto.")),
        "es": ("fecha de corte", (
            "la fecha desde la que mira el análisis: la recencia, las antigüedades y qué leads son "
            "lo bastante antiguos para juzgarlos se cuentan hasta ese día, nunca hasta un 'hoy' oculto.")),
    },
}

#: Every entry, business terms first: ``{key: {language: (term, definition)}}``.
TERMS = {**BUSINESS, **STATISTICS}


class UnknownTermError(KeyError, ValueError):
    """``define`` was asked for a key the glossary does not have (a ``KeyError`` and a ``ValueError``)."""


@dataclass(frozen=True)
class Note:
    """One glossary entry; shows as a short note in a notebook.

    ``translations`` maps nl, de, it and es to the term, ``definitions`` maps them to the definition.
    """

    key: str
    term: str
    definition: str
    translations: dict
    definitions: dict = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [f"{self.term}: {self.definition}"]
        lines += [f"  {lang}: {word}: {self.definitions[lang]}" if self.definitions.get(lang) else f"  {lang}: {word}"
                  for lang, word in self.translations.items()]
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        lines = [f"> **{self.term}**: {self.definition}  "]
        lines += [f"> *{lang}* **{word}**: {self.definitions[lang]}  " if self.definitions.get(lang)
                  else f"> *{lang}* **{word}**  " for lang, word in self.translations.items()]
        return "\n".join(lines).rstrip()


def define(key: str) -> Note:
    """The glossary note for ``key`` (e.g. ``"lead_scoring"``): the English definition and the four translations.

    Parameters
    ----------
    key : str
        A glossary entry (the keys of :data:`TERMS`).

    Returns
    -------
    Note
        Shows as a short quoted note in a notebook (the English term and definition, then the term and
        definition in nl, de, it and es); ``str(note)`` gives the same as plain text.

    Raises
    ------
    TypeError
        If ``key`` is not a string.
    UnknownTermError
        (a ``KeyError`` and a ``ValueError``) if there is no such entry; the message lists the entries.

    Examples
    --------
    >>> define("lift").term
    'lift'
    >>> define("hold_out_group").translations["de"]
    'Kontrollgruppe'
    >>> define("wilson_interval").definitions["nl"][:30]
    'een betrouwbaarheidsinterval v'
    """
    if not isinstance(key, str):
        raise TypeError(f"key must be a string, got {type(key).__name__}")
    if key not in TERMS:
        raise UnknownTermError(f"no glossary entry {key!r}; entries: {', '.join(sorted(TERMS))}")
    entry = TERMS[key]
    term, definition = entry["en"]
    others = LANGUAGES[1:]
    return Note(key, term, definition, {lang: entry[lang][0] for lang in others},
                {lang: entry[lang][1] for lang in others})


def glossary(languages=LANGUAGES, *, definitions: bool = True):
    """The whole glossary as a DataFrame indexed by key: the term and definition per language.

    Parameters
    ----------
    languages : iterable of str
        Language codes to include, from :data:`LANGUAGES` (English is always included).
    definitions : bool, default True
        Add a ``definition_<lang>`` column for each language other than English.

    Returns
    -------
    DataFrame
        Columns ``en`` and ``definition`` (English), then one term column per other language asked for
        (``nl``, ...), then their definitions (``definition_nl``, ...).

    Raises
    ------
    TypeError
        If ``languages`` is a single string or holds something other than strings.
    ValueError
        If a language is not one of :data:`LANGUAGES`.

    Examples
    --------
    >>> glossary(["en", "nl"]).columns.tolist()
    ['en', 'definition', 'nl', 'definition_nl']
    >>> glossary(["de"], definitions=False).loc["churn"].tolist()[::2]
    ['churn', 'Kundenabwanderung']
    """
    import pandas as pd

    if isinstance(languages, str):
        raise TypeError(f"languages must be a list of codes such as ['nl', 'de'], not the string {languages!r}")
    languages = list(languages)
    if not all(isinstance(lang, str) for lang in languages):
        raise TypeError("languages must hold language codes (strings)")
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise ValueError(f"unknown language(s) {unknown}; choose from {list(LANGUAGES)}")
    others = [lang for lang in LANGUAGES[1:] if lang in languages]
    columns = ["en", "definition", *others, *([f"definition_{lang}" for lang in others] if definitions else [])]
    rows = {}
    for key, entry in TERMS.items():
        row = {"en": entry["en"][0], "definition": entry["en"][1]}
        for lang in others:
            row[lang], row[f"definition_{lang}"] = entry[lang]
        rows[key] = row
    frame = pd.DataFrame.from_dict(rows, orient="index").reindex(columns=columns)
    frame.index.name = "key"
    return frame
