"""Write the example CRM export in this folder (run from the repository root).

A small subscription-software company exported its customers, invoices and leads from
a Dutch CRM: semicolon-separated, Windows-1252 encoded, day-first dates, decimal commas
and Dutch column names. Two invoice lines are broken on purpose (an impossible date and
an amount with a currency word) so that notebook 08 can show how to find and fix them.

    .venv/bin/python datasets/example_export/make_example.py
"""

from pathlib import Path

from segtools.data import make_case

HERE = Path(__file__).resolve().parent
SEED = 8

CUSTOMERS = {"customer_id": "Klantnummer", "name": "Naam", "email": "E-mailadres", "company": "Bedrijfsnaam",
             "country": "Land", "signup_date": "Klant sinds", "plan": "Abonnement", "seats": "Licenties",
             "company_size": "Medewerkers", "industry": "Branche", "acquisition_channel": "Kanaal"}
TRANSACTIONS = {"transaction_id": "Factuurnummer", "customer_id": "Klantnummer", "date": "Factuurdatum",
                "amount": "Bedrag", "item": "Omschrijving"}
LEADS = {"lead_id": "Lead-ID", "name": "Naam", "email": "E-mailadres", "company": "Bedrijfsnaam",
         "country": "Land", "created_at": "Aangemaakt op", "role": "Functie", "industry": "Branche",
         "company_size": "Medewerkers", "monthly_budget": "Budget per maand", "source": "Bron",
         "page_views": "Paginabezoeken", "pricing_page_views": "Bezoeken prijspagina",
         "email_opens": "E-mails geopend", "email_clicks": "E-mails aangeklikt",
         "trial_started": "Proefperiode gestart", "demo_requested": "Demo aangevraagd",
         "last_activity_at": "Laatste activiteit", "converted": "Klant geworden", "converted_at": "Klant op",
         "status": "Status", "customer_id": "Klantnummer", "deal_value": "Eerste factuur"}


def euro(x):
    """1234.5 -> '1234,50' (a decimal comma, as Dutch software writes it)."""
    if x != x:
        return ""
    return f"{x:.2f}".replace(".", ",")


def dutch(df, names):
    out = df[list(names)].copy()
    for col in out.columns:
        s = out[col]
        if s.dtype.kind == "M":
            out[col] = s.dt.strftime("%d-%m-%Y")
        elif s.dtype == bool:
            out[col] = s.map({True: "ja", False: "nee"}) if col == "converted" else s.astype(int)
        elif col in ("amount", "deal_value", "monthly_budget"):
            out[col] = s.map(euro)
        elif s.dtype.kind == "f":  # whole numbers with gaps (company sizes): no ".0"
            out[col] = s.astype("Int64")
    return out.rename(columns=names)


def main(folder=HERE):
    """Write klanten.csv, facturen.csv and leads.csv into ``folder``."""
    case = make_case("startup", random_state=SEED, n_customers=150, n_leads=400)
    tx = dutch(case.transactions, TRANSACTIONS)
    tx.loc[17, "Factuurdatum"] = "31-11-2025"  # November has 30 days
    tx.loc[42, "Bedrag"] = tx.loc[42, "Bedrag"] + " EUR"
    for name, frame in (("klanten", dutch(case.customers, CUSTOMERS)), ("facturen", tx),
                        ("leads", dutch(case.leads, LEADS))):
        text = frame.to_csv(sep=";", index=False, lineterminator="\r\n")
        (Path(folder) / f"{name}.csv").write_bytes(text.encode("cp1252"))


if __name__ == "__main__":
    main()
