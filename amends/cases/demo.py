"""Demo data: a living desk in four languages, across every state and jurisdiction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from amends.accounts.models import Role, Team, User
from amends.accounts.services import create_staff
from amends.cases import services
from amends.cases.models import Case, Category, Customer, ProductLine, State
from amends.intake import services as intake_services
from amends.intake import signals
from amends.intake.complaint import Complaint
from amends.recurrence import services as recurrence
from amends.resolution import services as resolution
from amends.resolution.models import Cause

STAFF = [
    # username, first, last, role, team, languages
    ("ania", "Ania", "Nowak", Role.AGENT, "Poland", ["pl", "en"]),
    ("piotr", "Piotr", "Wiśniewski", Role.AGENT, "Poland", ["pl", "en"]),
    ("boryana", "Boryana", "Petrova", Role.AGENT, "Bulgaria", ["bg", "en"]),
    ("eero", "Eero", "Virtanen", Role.AGENT, "Finland", ["fi", "en", "sv"]),
    ("emma", "Emma", "Clarke", Role.AGENT, "International", ["en"]),
    ("marta", "Marta", "Zielińska", Role.MANAGER, "Poland", ["pl", "en", "bg", "fi"]),
    ("admin", "Alex", "Admin", Role.ADMIN, None, ["en"]),
]

# Category -> the words that suggest it at triage, in our four languages (* = any ending).
CATEGORIES = {
    "Delivery": "deliver*\ncourier\nparcel\ndostaw*\nkurier*\nprzesyłk*\nпаке*\nдоставк*\nкуриер*\ntoimitu*\npaket*\nkuriiri*",
    "Defective product": "broken\ndefect*\nleak*\nstopped working\nzepsu*\nprzeciek*\nusterk*\nwad*\nсчуп*\nдефект*\nне работи\nrikki*\nvuoto*\nvika*",
    "Billing": "invoice*\ncharged\nrefund*\nfaktur*\nobciąż*\nzwrot*\nфактур*\nтакс*\nвъзстановяван*\nlasku*\nveloit*\nhyvit*",
    "Service quality": "rude\nimpolite\nnieuprzejm*\nobsług*\nгруб*\nобслужван*\ntöyk*\npalvelu*",
    "Software defect": "bug\nerror message\ncrash*\nbłąd\nbłęd*\nзавис*\nгрешк*\nohjelmavirhe*\nkaatu*",
    "Workmanship": "install*\nrenovat*\nmontaż*\nremont*\nмонтаж*\nремонт*\nasennu*\nkorjaustyö*",
}
# The root-cause taxonomy (two levels) and, per category, the cause and fault the demo's
# investigations found.
CAUSES = {
    "Logistics": ["Courier damage", "Wrong address label"],
    "Product": ["Manufacturing defect", "Installation error"],
    "Information": ["Unclear instructions", "Unclear price or invoice"],
    "Service": ["Staff behaviour", "Missed appointment"],
}
FINDINGS = {
    "Delivery": ("Courier damage", "third_party"),
    "Defective product": ("Manufacturing defect", "ours"),
    "Billing": ("Unclear price or invoice", "unclear_info"),
    "Service quality": ("Staff behaviour", "ours"),
    "Software defect": ("Unclear instructions", "unclear_info"),
    "Workmanship": ("Installation error", "ours"),
}
# What was unclear, and where it lives, for the "unclear information" findings.
IMPROVEMENTS = {
    "Billing": ("How installation is priced on the invoice", "Price list page of the web shop"),
    "Software defect": ("How to activate a licence after an update", "Help centre article"),
}
PRODUCT_LINES = [
    "Home appliances",
    "E-shop",
    "Accounting services",
    "Renovation",
    "Software licences",
]


@dataclass
class DemoCase:
    customer: tuple[
        str, str, str, str, str, int
    ]  # name, e-mail, language, country, kind, annual value
    subject: str
    description: str
    channel: str
    days_ago: float
    state: str
    owner: str
    category: str
    product_line: str
    disputed: int | None = None
    priority: str = "normal"
    keep_overdue: bool = False


CASES = [
    DemoCase(
        ("Jan Kowalski", "jan.kowalski@example.pl", "pl", "PL", "consumer", 1200),
        "Pralka przecieka po dwóch tygodniach",
        "Dzień dobry, pralka kupiona 3 listopada przecieka przy każdym praniu. Łazienka zalana, "
        "sąsiad z dołu ma zaciek na suficie. Proszę o wymianę na nową, nie o naprawę.",
        "email",
        12.5,
        State.INVESTIGATING,
        "ania",
        "Defective product",
        "Home appliances",
        2199,
        "high",
        keep_overdue=True,
    ),
    DemoCase(
        ("Katarzyna Wójcik", "k.wojcik@example.pl", "pl", "PL", "consumer", 350),
        "Paczka nie dotarła, a status mówi „doręczono”",
        "Zamówienie nr 48213 ma status doręczone od piątku, ale nic do mnie nie przyszło. "
        "Kurier nie dzwonił. Chcę zwrotu pieniędzy albo ponownej wysyłki.",
        "web_form",
        1.2,
        State.RECEIVED,
        "piotr",
        "Delivery",
        "E-shop",
        189,
    ),
    DemoCase(
        (
            "Biuro Rachunkowe Lis sp. z o.o.",
            "biuro@lis-rachunki.example.pl",
            "pl",
            "PL",
            "business",
            48000,
        ),
        "Błędna deklaracja VAT za październik",
        "W deklaracji VAT-7 za październik wykazano zły kurs waluty na fakturach w EUR. "
        "Musieliśmy złożyć korektę. Oczekujemy pokrycia odsetek.",
        "email",
        6,
        State.RESOLUTION_PROPOSED,
        "ania",
        "Billing",
        "Accounting services",
        1450,
    ),
    DemoCase(
        ("Tomasz Zieliński", "tomasz.z@example.pl", "pl", "PL", "financial_client", 5200),
        "Podwójne obciążenie karty",
        "Moja karta została obciążona dwa razy za tę samą ratę leasingu (12.11). Proszę o zwrot.",
        "phone",
        27,
        State.INVESTIGATING,
        "marta",
        "Billing",
        "Accounting services",
        640,
        "urgent",
    ),
    DemoCase(
        ("Agnieszka Mazur", "a.mazur@example.pl", "pl", "PL", "consumer", 90),
        "Ekipa zostawiła bałagan po remoncie",
        "Po malowaniu mieszkania zostały plamy farby na podłodze i parapetach. Nikt nie odbiera telefonu.",
        "social",
        16,
        State.ACKNOWLEDGED,
        "piotr",
        "Workmanship",
        "Renovation",
        800,
        "high",
        keep_overdue=True,
    ),
    DemoCase(
        ("Georgi Ivanov", "g.ivanov@example.bg", "bg", "BG", "consumer", 600),
        "Хладилникът не охлажда",
        "Купих хладилник преди месец и вече не охлажда. Храната се развали. Искам нов хладилник.",
        "web_form",
        26,
        State.INVESTIGATING,
        "boryana",
        "Defective product",
        "Home appliances",
        1290,
        "high",
        keep_overdue=True,
    ),
    DemoCase(
        ("Maria Dimitrova", "maria.d@example.bg", "bg", "BG", "consumer", 150),
        "Грешна сметка за доставка",
        "Таксуваха ме за експресна доставка, а поръчката пристигна след 9 дни.",
        "email",
        3,
        State.ACKNOWLEDGED,
        "boryana",
        "Billing",
        "E-shop",
        24,
    ),
    DemoCase(
        ("Софтуер Плюс ЕООД", "office@softplus.example.bg", "bg", "BG", "business", 22000),
        "Лицензите не се активират",
        "Закупихме 25 лиценза, но само 10 се активират. Екипът ни не може да работи от два дни.",
        "email",
        9,
        State.RESOLVED,
        "boryana",
        "Software defect",
        "Software licences",
        3000,
    ),
    DemoCase(
        ("Ivan Petrov", "ivan.p@example.bg", "bg", "BG", "consumer", 80),
        "Повредена кутия при доставка",
        "Пратката дойде със смачкана кутия и счупен капак на блендера.",
        "in_person",
        40,
        State.CLOSED,
        "boryana",
        "Delivery",
        "E-shop",
        95,
    ),
    DemoCase(
        ("Mikko Korhonen", "mikko.korhonen@example.fi", "fi", "FI", "consumer", 900),
        "Astianpesukone vuotaa",
        "Astianpesukone asennettiin viime viikolla ja se vuotaa jo lattialle. Haluan uuden koneen.",
        "email",
        2,
        State.ACKNOWLEDGED,
        "eero",
        "Defective product",
        "Home appliances",
        749,
    ),
    DemoCase(
        ("Laura Nieminen", "laura.n@example.fi", "fi", "FI", "consumer", 300),
        "Remontti myöhässä kolme viikkoa",
        "Kylpyhuoneremontin piti valmistua 1.11., mutta työt ovat yhä kesken eikä kukaan kerro miksi.",
        "phone",
        10,
        State.INVESTIGATING,
        "eero",
        "Workmanship",
        "Renovation",
        2500,
        "high",
    ),
    DemoCase(
        ("Tilitoimisto Aalto Oy", "toimisto@aalto.example.fi", "fi", "FI", "business", 36000),
        "Palkanlaskennassa virhe",
        "Lokakuun palkoista puuttui ylityökorvaukset kolmelta työntekijältä.",
        "email",
        20,
        State.RESOLUTION_PROPOSED,
        "eero",
        "Billing",
        "Accounting services",
        1800,
    ),
    DemoCase(
        ("Sanna Lehtonen", "sanna.l@example.fi", "fi", "FI", "consumer", 60),
        "Väärä tuote toimitettu",
        "Tilasin mustan takin, mutta sain sinisen. Palautus on hankala.",
        "web_form",
        35,
        State.CLOSED,
        "eero",
        "Delivery",
        "E-shop",
        120,
    ),
    DemoCase(
        ("Oliver Smith", "oliver.smith@example.co.uk", "en", "GB", "consumer", 2400),
        "Software update deleted my projects",
        "After yesterday's update the app wiped three months of my projects. I need them back now, "
        "and I am considering cancelling my subscription.",
        "email",
        0.3,
        State.RECEIVED,
        "emma",
        "Software defect",
        "Software licences",
        None,
        "urgent",
    ),
    DemoCase(
        ("Northwind Ltd", "support@northwind.example.com", "en", "IE", "business", 1_000_000),
        "Invoice 2026-118 disputed",
        "We do not accept invoice 2026-118 for 1,000 EUR: the extra hours were never agreed.",
        "email",
        8,
        State.INVESTIGATING,
        "emma",
        "Billing",
        "Software licences",
        1000,
    ),
    DemoCase(
        ("Hannah Becker", "hannah.b@example.de", "en", "DE", "consumer", 200),
        "Rude reply on your Facebook page",
        "Your staff answered my question on Facebook by saying I should read the manual. Not acceptable.",
        "social",
        4,
        State.ACKNOWLEDGED,
        "emma",
        "Service quality",
        "E-shop",
        None,
        "high",
    ),
    DemoCase(
        ("Paweł Lewandowski", "pawel.l@example.pl", "pl", "PL", "consumer", 400),
        "Faktura z błędnym NIP",
        "Na fakturze jest zły NIP, nie mogę jej rozliczyć. Proszę o korektę.",
        "email",
        13.2,
        State.ACKNOWLEDGED,
        "ania",
        "Billing",
        "E-shop",
        None,
    ),
]

PATH_TO_STATE = {
    State.RECEIVED: [],
    State.ACKNOWLEDGED: [State.ACKNOWLEDGED],
    State.INVESTIGATING: [State.ACKNOWLEDGED, State.INVESTIGATING],
    State.RESOLUTION_PROPOSED: [State.ACKNOWLEDGED, State.INVESTIGATING, State.RESOLUTION_PROPOSED],
    State.RESOLVED: [
        State.ACKNOWLEDGED,
        State.INVESTIGATING,
        State.RESOLUTION_PROPOSED,
        State.RESOLVED,
    ],
    State.CLOSED: [
        State.ACKNOWLEDGED,
        State.INVESTIGATING,
        State.RESOLUTION_PROPOSED,
        State.RESOLVED,
        State.CLOSED,
    ],
}


def has_data() -> bool:
    return Case.objects.exists() or User.objects.exists()


def create_demo(logins_file: Path) -> list[tuple[str, str, str]]:
    """Create staff, customers and cases; return (username, password, role) and keep them in a file."""
    logins: list[tuple[str, str, str]] = []
    with transaction.atomic():
        teams = {
            name: Team.objects.get_or_create(name=name)[0] for name in {s[4] for s in STAFF if s[4]}
        }
        staff: dict[str, User] = {}
        for username, first, last, role, team, languages in STAFF:
            password = "demo-" + secrets.token_urlsafe(9)
            staff[username] = create_staff(
                username,
                password=password,
                first_name=first,
                last_name=last,
                role=role,
                team=teams.get(team) if team else None,
                languages=languages,
                email=f"{username}@amends.example",
            )
            logins.append((username, password, role))
        categories = {
            name: Category.objects.get_or_create(name=name, defaults={"keywords": words})[0]
            for name, words in CATEGORIES.items()
        }
        lines = {name: ProductLine.objects.get_or_create(name=name)[0] for name in PRODUCT_LINES}
        for group, names in CAUSES.items():
            parent = Cause.objects.get_or_create(name=group, parent=None)[0]
            for name in names:
                Cause.objects.get_or_create(name=name, parent=parent)
        now = timezone.now()
        for demo in CASES:
            _create_case(demo, now=now, staff=staff, categories=categories, lines=lines)
    # So the case pages show their similar cases from the first start.
    recurrence.embed_cases(Case.objects.all())
    logins_file.parent.mkdir(parents=True, exist_ok=True)
    logins_file.write_text("".join(f"{u}\t{p}\t{r}\n" for u, p, r in logins))
    logins_file.chmod(0o600)
    return logins


def _create_case(
    demo: DemoCase, *, now: Any, staff: dict[str, User], categories: Any, lines: Any
) -> None:
    name, email, language, country, kind, value = demo.customer
    customer, _created = Customer.objects.get_or_create(
        email=email,
        defaults={
            "name": name,
            "language": language,
            "jurisdiction": country,
            "kind": kind,
            "annual_value": Decimal(value),
            "currency": "GBP" if country == "GB" else "PLN" if country == "PL" else "EUR",
        },
    )
    owner = staff[demo.owner]
    case = services.open_case(
        customer=customer,
        subject=demo.subject,
        description=demo.description,
        channel=demo.channel,
        received_at=now - timedelta(days=demo.days_ago),
        category=categories[demo.category],
        product_line=lines[demo.product_line],
        disputed_amount=Decimal(demo.disputed) if demo.disputed is not None else None,
        priority=demo.priority,
        owner=owner,
    )
    # The complaint as the customer sent it, and its triage signals, as intake would store them.
    intake_services.store_message(
        case,
        Complaint(
            channel=demo.channel,
            text=demo.description,
            subject=demo.subject,
            sender_name=name,
            sender_email=email,
            received_at=case.received_at,
        ),
        actor=None,
    )
    signals.refresh(case, text=demo.description, channel=demo.channel)
    for step in PATH_TO_STATE[State(demo.state)]:
        case = services.change_state(case, to=step, actor=owner)
        if step == State.ACKNOWLEDGED:
            services.add_note(case, actor=owner, text=_NOTES[language])
        if step == State.INVESTIGATING:
            cause_name, fault = FINDINGS[demo.category]
            cause = Cause.objects.get(name=cause_name, parent__isnull=False)
            resolution.set_root_cause(case, actor=owner, cause=cause)
            resolution.set_fault(case, actor=owner, fault=fault)
            if fault == "unclear_info":
                information, location = IMPROVEMENTS[demo.category]
                resolution.add_improvement(
                    case,
                    actor=owner,
                    information=information,
                    location=location,
                    owner=owner,
                    due=(now + timedelta(days=14)).date(),
                )
    if case.is_open and not demo.keep_overdue and case.commitment_due < now:
        # The owner has since promised a new dated next step, before any statutory deadline.
        latest = timezone.localtime(case.statutory_due).date() if case.statutory_pending() else None
        day = (now + timedelta(days=3)).date()
        services.record_reply(
            case,
            actor=owner,
            text=_REPLIES[language],
            next_step=min(day, latest) if latest else day,
        )
    services.sweep_deadlines(now)


_REPLIES = {
    "pl": "Przepraszam za opóźnienie. Sprawdzamy wszystkie szczegóły i wrócę do Pana/Pani z odpowiedzią w ciągu 3 dni.",
    "bg": "Извинявам се за забавянето. Проверяваме всички подробности и ще Ви отговоря в рамките на 3 дни.",
    "fi": "Pahoittelen viivästystä. Selvitämme asiaa ja vastaan sinulle kolmen päivän kuluessa.",
    "en": "I'm sorry for the delay. We are checking every detail and I will answer you within 3 days.",
}

_NOTES = {
    "pl": "Zadzwoniłam do klienta, prosi o kontakt mailowy po 16:00.",
    "bg": "Говорих с клиента по телефона, предпочита имейл.",
    "fi": "Soitin asiakkaalle, hän toivoo vastausta sähköpostitse.",
    "en": "Called the customer; they prefer e-mail after 4 pm.",
}
