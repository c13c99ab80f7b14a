"""The glossary's entries: for each key, the term and its definition in en, nl, de, it and es.

Data only; :mod:`segtools.data.glossary` turns it into notes and a table. The Dutch, German, Italian
and Spanish terms follow the source articles where they name the idea (klantsegmentatie,
Kundensegmentierung, segmentazione dei clienti, segmentación de clientes, ...). The statistical
terms (lift, ROC AUC, Wilson interval, BG/NBD, ...) are in :mod:`segtools.data.glossary` itself.
"""

from __future__ import annotations

# key: {language: (term, definition)}; the definitions say the same thing in every language.
BUSINESS = {
    "customer_segmentation": {
        "en": ("customer segmentation", ("dividing the people who already buy from you into groups that share traits, "
            "so each group can be served, kept and grown in its own way.")),
        "nl": ("klantsegmentatie", ("het indelen van wie al bij je koopt in groepen met gedeelde kenmerken, zodat je "
            "elke groep op een eigen manier kunt bedienen, behouden en laten groeien.")),
        "de": ("Kundensegmentierung", (
            "die Aufteilung der bestehenden Kundschaft in Gruppen mit gemeinsamen Merkmalen, "
            "damit jede Gruppe auf ihre Weise betreut, gehalten und ausgebaut werden kann.")),
        "it": ("segmentazione dei clienti", ("la suddivisione di chi già compra da te in gruppi con tratti comuni, per "
            "servire, trattenere e far crescere ogni gruppo nel modo più adatto.")),
        "es": ("segmentación de clientes", ("la división de quienes ya te compran en grupos con rasgos comunes, para "
            "atender, retener y hacer crecer cada grupo a su manera.")),
    },
    "lead_segmentation": {
        "en": ("lead segmentation", (
            "dividing prospects who showed interest but have not bought into groups by fit and "
            "interest, so sales and marketing spend their limited time where conversion is most likely.")),
        "nl": ("leadsegmentatie", ("het indelen van geïnteresseerden die nog niets kochten in groepen naar passendheid "
            "en interesse, zodat sales en marketing hun beperkte tijd steken waar conversie het waarschijnlijkst is.")),
        "de": ("Lead-Segmentierung", (
            "die Einteilung von Interessenten, die noch nicht gekauft haben, nach Passung und "
            "Interesse, damit Vertrieb und Marketing ihre knappe Zeit dort einsetzen, wo ein Abschluss am "
            "wahrscheinlichsten ist.")),
        "it": ("segmentazione dei lead", ("la suddivisione dei potenziali clienti che hanno mostrato interesse ma non "
            "hanno ancora acquistato in gruppi per affinità e interesse, così vendite e marketing dedicano il poco "
            "tempo disponibile dove la conversione è più probabile.")),
        "es": ("segmentación de leads", ("la división de los posibles clientes que mostraron interés pero aún no "
            "compraron en grupos según encaje e interés, para que ventas y marketing dediquen su tiempo limitado "
            "donde la conversión es más probable.")),
    },
    "customer": {
        "en": ("customer", "a person or organisation that has bought at least once."),
        "nl": ("klant", "een persoon of organisatie die minstens één keer iets heeft gekocht."),
        "de": ("Kunde", "eine Person oder Organisation, die mindestens einmal gekauft hat."),
        "it": ("cliente", "una persona o un'organizzazione che ha acquistato almeno una volta."),
        "es": ("cliente", "una persona u organización que ha comprado al menos una vez."),
    },
    "lead": {
        "en": ("lead", (
            "a potential customer who has shown interest (a form, a trial, a download, a visit) but has not "
            "bought yet.")),
        "nl": ("lead", ("een mogelijke klant die interesse toonde (een formulier, een proefperiode, een download, een "
            "bezoek) maar nog niet heeft gekocht.")),
        "de": ("Lead", ("ein möglicher Kunde, der Interesse gezeigt hat (Formular, Testphase, Download, Besuch), aber "
            "noch nicht gekauft hat.")),
        "it": ("lead (contatto potenziale)", (
            "un possibile cliente che ha mostrato interesse (un modulo, una prova, un "
            "download, una visita) ma non ha ancora acquistato.")),
        "es": ("lead (cliente potencial)", (
            "un posible cliente que ha mostrado interés (un formulario, una prueba, una "
            "descarga, una visita) pero todavía no ha comprado.")),
    },
    "segment": {
        "en": ("segment", "a group of customers or leads that share traits and get the same treatment."),
        "nl": ("segment", "een groep klanten of leads met gedeelde kenmerken die dezelfde aanpak krijgt."),
        "de": ("Segment", "eine Gruppe von Kunden oder Leads mit gemeinsamen Merkmalen, die gleich behandelt wird."),
        "it": ("segmento", "un gruppo di clienti o di lead con tratti comuni che riceve lo stesso trattamento."),
        "es": ("segmento", "un grupo de clientes o leads con rasgos comunes que recibe el mismo trato."),
    },
    "conversion": {
        "en": ("conversion", "the moment a lead becomes a customer; the conversion rate is the share of leads that do."),
        "nl": ("conversie", "het moment waarop een lead klant wordt; de conversieratio is het aandeel leads dat dat doet."),
        "de": ("Konversion", (
            "der Moment, in dem ein Lead zum Kunden wird; die Konversionsrate ist der Anteil der Leads, "
            "bei denen das geschieht.")),
        "it": ("conversione", ("il momento in cui un lead diventa cliente; il tasso di conversione è la quota di lead "
            "per cui accade.")),
        "es": ("conversión", ("el momento en que un lead se convierte en cliente; la tasa de conversión es la "
            "proporción de leads que lo hacen.")),
    },
    "lead_scoring": {
        "en": ("lead scoring", ("points or a probability given to each lead, so the leads most likely to convert are "
            "followed up first.")),
        "nl": ("leadscoring", ("punten of een kans per lead, zodat de leads die het waarschijnlijkst klant worden als "
            "eerste worden opgevolgd.")),
        "de": ("Lead-Scoring", ("Punkte oder eine Wahrscheinlichkeit für jeden Lead, damit die Leads mit den besten "
            "Abschlusschancen zuerst bearbeitet werden.")),
        "it": ("punteggio dei lead", ("punti o una probabilità assegnati a ogni lead, per contattare per primi quelli "
            "con più probabilità di convertire.")),
        "es": ("puntuación de leads", (
            "puntos o una probabilidad asignados a cada lead, para atender primero a los que "
            "tienen más probabilidad de convertir.")),
    },
    "rfm": {
        "en": ("RFM", ("recency (days since the last purchase), frequency (how many purchases) and monetary value (how "
            "much spent): three numbers that summarise how a customer buys.")),
        "nl": ("RFM (recentheid, frequentie, monetaire waarde)", (
            "recentheid (dagen sinds de laatste aankoop), frequentie "
            "(aantal aankopen) en monetaire waarde (besteed bedrag): drie getallen die samenvatten hoe een klant koopt.")),
        "de": ("RFM (Aktualität, Häufigkeit, Umsatz)", ("Aktualität (Tage seit dem letzten Kauf), Häufigkeit (Zahl der "
            "Käufe) und Umsatz (ausgegebener Betrag): drei Zahlen, die das Kaufverhalten eines Kunden zusammenfassen.")),
        "it": ("RFM (recenza, frequenza, valore monetario)", (
            "recenza (giorni dall'ultimo acquisto), frequenza (numero "
            "di acquisti) e valore monetario (quanto speso): tre numeri che riassumono come compra un cliente.")),
        "es": ("RFM (recencia, frecuencia, valor monetario)", ("recencia (días desde la última compra), frecuencia "
            "(número de compras) y valor monetario (importe gastado): tres cifras que resumen cómo compra un cliente.")),
    },
    "recency": {
        "en": ("recency", (
            "in RFM, the days from a customer's last purchase to the snapshot date (lower is better); in "
            "the repeat-purchase models (BG/NBD), the time from the first to the last purchase (higher is better).")),
        "nl": ("recentheid", ("in RFM het aantal dagen van de laatste aankoop tot de peildatum (lager is beter); in de "
            "modellen voor herhaalaankopen (BG/NBD) de tijd van de eerste tot de laatste aankoop (hoger is beter).")),
        "de": ("Aktualität (Recency)", (
            "bei RFM die Tage vom letzten Kauf bis zum Stichtag (weniger ist besser); in den "
            "Wiederkaufmodellen (BG/NBD) die Zeit vom ersten bis zum letzten Kauf (mehr ist besser).")),
        "it": ("recenza", ("in RFM i giorni dall'ultimo acquisto alla data di riferimento (meno è meglio); nei modelli "
            "di riacquisto (BG/NBD) il tempo tra il primo e l'ultimo acquisto (più è meglio).")),
        "es": ("recencia", ("en RFM, los días desde la última compra hasta la fecha de corte (menos es mejor); en los "
            "modelos de recompra (BG/NBD), el tiempo entre la primera y la última compra (más es mejor).")),
    },
    "customer_lifetime_value": {
        "en": ("customer lifetime value", "the revenue a customer is expected to bring over the whole relationship."),
        "nl": ("klantwaarde (customer lifetime value)", (
            "de omzet die een klant naar verwachting oplevert over de hele "
            "relatie.")),
        "de": ("Kundenwert (Customer Lifetime Value)", ("der Umsatz, den ein Kunde voraussichtlich über die gesamte "
            "Geschäftsbeziehung bringt.")),
        "it": ("valore del cliente nel tempo", "il fatturato che ci si aspetta da un cliente lungo tutta la relazione."),
        "es": ("valor de vida del cliente", "los ingresos que se espera que un cliente aporte durante toda la relación."),
    },
    "churn": {
        "en": ("churn", "customers who stop buying or cancel; the churn rate is their share in a period."),
        "nl": ("klantverloop", ("klanten die stoppen met kopen of opzeggen; het verloopcijfer is hun aandeel in een "
            "periode.")),
        "de": ("Kundenabwanderung", ("Kunden, die nicht mehr kaufen oder kündigen; die Abwanderungsrate ist ihr Anteil "
            "in einem Zeitraum.")),
        "it": ("abbandono dei clienti", ("i clienti che smettono di comprare o disdicono; il tasso di abbandono è la "
            "loro quota in un periodo.")),
        "es": ("pérdida de clientes", ("los clientes que dejan de comprar o se dan de baja; la tasa de pérdida es su "
            "proporción en un periodo.")),
    },
    "demographic_segmentation": {
        "en": ("demographic segmentation", ("grouping by who people are: age, gender, income, education, family "
            "situation.")),
        "nl": ("demografische segmentatie", ("indelen naar wie mensen zijn: leeftijd, geslacht, inkomen, opleiding, "
            "gezinssituatie.")),
        "de": ("demografische Segmentierung", ("Einteilung danach, wer Menschen sind: Alter, Geschlecht, Einkommen, "
            "Bildung, Familienstand.")),
        "it": ("segmentazione demografica", ("raggruppare in base a chi sono le persone: età, genere, reddito, "
            "istruzione, situazione familiare.")),
        "es": ("segmentación demográfica", ("agrupar según quiénes son las personas: edad, género, ingresos, "
            "formación, situación familiar.")),
    },
    "geographic_segmentation": {
        "en": ("geographic segmentation", ("grouping by where people or organisations are: country, region, city, "
            "climate, language.")),
        "nl": ("geografische segmentatie", (
            "indelen naar waar mensen of organisaties zich bevinden: land, regio, stad, "
            "klimaat, taal.")),
        "de": ("geografische Segmentierung", ("Einteilung nach dem Ort von Menschen oder Organisationen: Land, Region, "
            "Stadt, Klima, Sprache.")),
        "it": ("segmentazione geografica", ("raggruppare in base a dove si trovano persone o organizzazioni: paese, "
            "regione, città, clima, lingua.")),
        "es": ("segmentación geográfica", ("agrupar según dónde están las personas u organizaciones: país, región, "
            "ciudad, clima, idioma.")),
    },
    "psychographic_segmentation": {
        "en": ("psychographic segmentation", ("grouping by how people think and live: values, interests, lifestyle, "
            "personality.")),
        "nl": ("psychografische segmentatie", (
            "indelen naar hoe mensen denken en leven: waarden, interesses, levensstijl, "
            "persoonlijkheid.")),
        "de": ("psychografische Segmentierung", ("Einteilung danach, wie Menschen denken und leben: Werte, Interessen, "
            "Lebensstil, Persönlichkeit.")),
        "it": ("segmentazione psicografica", ("raggruppare in base a come le persone pensano e vivono: valori, "
            "interessi, stile di vita, personalità.")),
        "es": ("segmentación psicográfica", ("agrupar según cómo piensan y viven las personas: valores, intereses, "
            "estilo de vida, personalidad.")),
    },
    "technographic_segmentation": {
        "en": ("technographic segmentation", (
            "grouping by the technology people use: devices, apps, software, how they "
            "use a product.")),
        "nl": ("technografische segmentatie", ("indelen naar de technologie die mensen gebruiken: apparaten, apps, "
            "software, hoe ze een product gebruiken.")),
        "de": ("technografische Segmentierung", (
            "Einteilung nach der genutzten Technik: Geräte, Apps, Software und die "
            "Art, wie ein Produkt genutzt wird.")),
        "it": ("segmentazione tecnografica", ("raggruppare in base alla tecnologia usata: dispositivi, app, software, "
            "modo di usare un prodotto.")),
        "es": ("segmentación tecnográfica", ("agrupar según la tecnología que se usa: dispositivos, aplicaciones, "
            "software, forma de usar un producto.")),
    },
    "behavioural_segmentation": {
        "en": ("behavioural segmentation", "grouping by what people do: purchases, usage, engagement, loyalty."),
        "nl": ("gedragssegmentatie", "indelen naar wat mensen doen: aankopen, gebruik, betrokkenheid, loyaliteit."),
        "de": ("verhaltensbasierte Segmentierung", ("Einteilung danach, was Menschen tun: Käufe, Nutzung, Engagement, "
            "Treue.")),
        "it": ("segmentazione comportamentale", ("raggruppare in base a ciò che le persone fanno: acquisti, utilizzo, "
            "coinvolgimento, fedeltà.")),
        "es": ("segmentación conductual", ("agrupar según lo que hacen las personas: compras, uso, interacción, "
            "fidelidad.")),
    },
    "needs_based_segmentation": {
        "en": ("needs-based segmentation", (
            "grouping by what people need from the product or service, the problem they "
            "want solved.")),
        "nl": ("segmentatie op basis van behoeften", (
            "indelen naar wat mensen nodig hebben van het product of de dienst: "
            "het probleem dat ze opgelost willen zien.")),
        "de": ("bedarfsbasierte Segmentierung", ("Einteilung nach dem, was Menschen von Produkt oder Dienstleistung "
            "brauchen: dem Problem, das gelöst werden soll.")),
        "it": ("segmentazione basata sui bisogni", ("raggruppare in base a ciò di cui le persone hanno bisogno dal "
            "prodotto o servizio, il problema che vogliono risolvere.")),
        "es": ("segmentación por necesidades", ("agrupar según lo que las personas necesitan del producto o servicio, "
            "el problema que quieren resolver.")),
    },
    "value_based_segmentation": {
        "en": ("value-based segmentation", "grouping by the economic value a customer brings, so effort follows value."),
        "nl": ("segmentatie op basis van waarde", (
            "indelen naar de economische waarde die een klant oplevert, zodat de "
            "inspanning de waarde volgt.")),
        "de": ("wertbasierte Segmentierung", ("Einteilung nach dem wirtschaftlichen Wert eines Kunden, damit sich der "
            "Aufwand nach dem Wert richtet.")),
        "it": ("segmentazione basata sul valore", ("raggruppare in base al valore economico che un cliente porta, così "
            "l'impegno segue il valore.")),
        "es": ("segmentación por valor", (
            "agrupar según el valor económico que aporta un cliente, para que el esfuerzo "
            "siga al valor.")),
    },
    "firmographics": {
        "en": ("firmographics", "the demographics of an organisation: industry, size, revenue, location."),
        "nl": ("firmografische gegevens", "de demografie van een organisatie: branche, omvang, omzet, vestigingsplaats."),
        "de": ("firmografische Daten", "die Demografie eines Unternehmens: Branche, Größe, Umsatz, Standort."),
        "it": ("dati firmografici", "la demografia di un'organizzazione: settore, dimensione, fatturato, sede."),
        "es": ("datos firmográficos", "la demografía de una organización: sector, tamaño, facturación, ubicación."),
    },
    "purchasing_power": {
        "en": ("purchasing power", "how much a lead is able to spend: budget, company size, revenue."),
        "nl": ("koopkracht", "hoeveel een lead kan uitgeven: budget, bedrijfsomvang, omzet."),
        "de": ("Kaufkraft", "wie viel ein Lead ausgeben kann: Budget, Unternehmensgröße, Umsatz."),
        "it": ("potere d'acquisto", "quanto può spendere un lead: budget, dimensione dell'azienda, fatturato."),
        "es": ("poder adquisitivo", "cuánto puede gastar un lead: presupuesto, tamaño de la empresa, facturación."),
    },
    "interest_level": {
        "en": ("interest level", "how strongly a lead has engaged: visits, downloads, trials, demo requests."),
        "nl": ("interesseniveau", "hoe sterk een lead betrokken is: bezoeken, downloads, proefperiodes, demo-aanvragen."),
        "de": ("Interessenniveau", ("wie stark sich ein Lead beschäftigt hat: Besuche, Downloads, Testphasen, "
            "Demo-Anfragen.")),
        "it": ("livello di interesse", "quanto si è impegnato un lead: visite, download, prove, richieste di demo."),
        "es": ("nivel de interés", "cuánto se ha implicado un lead: visitas, descargas, pruebas, solicitudes de demo."),
    },
    "nps": {
        "en": ("Net Promoter Score", ("the share of promoters (9-10 on 'would you recommend us?') minus the share of "
            "detractors (0-6).")),
        "nl": ("Net Promoter Score", ("het aandeel promotors (9-10 op 'zou je ons aanbevelen?') min het aandeel "
            "criticasters (0-6).")),
        "de": ("Net Promoter Score", ("der Anteil der Promotoren (9-10 auf 'würden Sie uns empfehlen?') minus der "
            "Anteil der Kritiker (0-6).")),
        "it": ("Net Promoter Score", ("la quota di promotori (9-10 alla domanda 'ci consiglieresti?') meno la quota di "
            "detrattori (0-6).")),
        "es": ("Net Promoter Score", ("la proporción de promotores (9-10 en '¿nos recomendarías?') menos la de "
            "detractores (0-6).")),
    },
    "mql": {
        "en": ("marketing-qualified lead", ("a lead whose fit and engagement pass marketing's threshold, ready for "
            "nurturing or sales.")),
        "nl": ("marketing-gekwalificeerde lead", ("een lead waarvan passendheid en betrokkenheid de drempel van "
            "marketing halen, klaar voor verdere bewerking of sales.")),
        "de": ("marketingqualifizierter Lead", ("ein Lead, dessen Passung und Engagement die Schwelle des Marketings "
            "überschreiten, bereit für Pflege oder Vertrieb.")),
        "it": ("lead qualificato dal marketing", ("un lead la cui affinità e il cui coinvolgimento superano la soglia "
            "del marketing, pronto per il nurturing o le vendite.")),
        "es": ("lead cualificado por marketing", ("un lead cuyo encaje e interacción superan el umbral de marketing, "
            "listo para nutrirlo o pasarlo a ventas.")),
    },
    "sql": {
        "en": ("sales-qualified lead", "a lead that sales has accepted as worth a direct follow-up."),
        "nl": ("sales-gekwalificeerde lead", "een lead die sales heeft aanvaard als de moeite waard voor direct contact."),
        "de": ("vertriebsqualifizierter Lead", ("ein Lead, den der Vertrieb als lohnend für eine direkte Ansprache "
            "angenommen hat.")),
        "it": ("lead qualificato dalle vendite", ("un lead che le vendite hanno accettato come degno di un contatto "
            "diretto.")),
        "es": ("lead cualificado para ventas", "un lead que ventas ha aceptado como digno de un seguimiento directo."),
    },
    "funnel": {
        "en": ("funnel", "the path from lead to customer, with the share that moves on at each step."),
        "nl": ("trechter", "de weg van lead naar klant, met het aandeel dat bij elke stap doorgaat."),
        "de": ("Trichter", "der Weg vom Lead zum Kunden, mit dem Anteil, der bei jedem Schritt weiterkommt."),
        "it": ("imbuto", "il percorso da lead a cliente, con la quota che passa a ogni fase."),
        "es": ("embudo", "el camino de lead a cliente, con la proporción que avanza en cada paso."),
    },
    "customer_journey": {
        "en": ("customer journey", "the stages a person goes through, from first contact to loyal customer."),
        "nl": ("klantreis", "de fasen die iemand doorloopt, van eerste contact tot trouwe klant."),
        "de": ("Kundenreise", "die Stationen, die jemand durchläuft, vom ersten Kontakt bis zum treuen Kunden."),
        "it": ("percorso del cliente", "le fasi che una persona attraversa, dal primo contatto a cliente fedele."),
        "es": ("recorrido del cliente", "las etapas por las que pasa una persona, del primer contacto a cliente fiel."),
    },
    "target_audience": {
        "en": ("target audience", "the people a campaign or product is meant to reach."),
        "nl": ("doelgroep", "de mensen die een campagne of product moet bereiken."),
        "de": ("Zielgruppe", "die Menschen, die eine Kampagne oder ein Produkt erreichen soll."),
        "it": ("pubblico di riferimento", "le persone che una campagna o un prodotto intende raggiungere."),
        "es": ("público objetivo", "las personas a las que una campaña o un producto quiere llegar."),
    },
    "retention": {
        "en": ("retention", "keeping customers buying; the opposite of churn."),
        "nl": ("klantbehoud", "ervoor zorgen dat klanten blijven kopen; het tegenovergestelde van klantverloop."),
        "de": ("Kundenbindung", "dafür sorgen, dass Kunden weiter kaufen; das Gegenteil der Abwanderung."),
        "it": ("fidelizzazione", "fare in modo che i clienti continuino a comprare; il contrario dell'abbandono."),
        "es": ("retención", "lograr que los clientes sigan comprando; lo contrario de la pérdida de clientes."),
    },
    "clustering": {
        "en": ("clustering", "letting an algorithm group similar rows together without being told the groups."),
        "nl": ("clustering", "een algoritme vergelijkbare rijen laten groeperen zonder dat het de groepen vooraf kent."),
        "de": ("Clusteranalyse", ("ein Algorithmus fasst ähnliche Zeilen zu Gruppen zusammen, ohne die Gruppen vorher "
            "zu kennen.")),
        "it": ("clustering", "lasciare che un algoritmo raggruppi le righe simili senza conoscere i gruppi in anticipo."),
        "es": ("agrupamiento (clustering)", ("dejar que un algoritmo reúna las filas parecidas sin conocer los grupos "
            "de antemano.")),
    },
}
