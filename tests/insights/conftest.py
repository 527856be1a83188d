"""A small fixed desk for the dashboard tests, built through the services so every event is real.

March 2026 is the period (the previous period is 29 January to 28 February); the clock is moved
with time-machine for each step. Complaints in the four languages:

  A  pl  e-mail    Jan (consumer, PL)    Washers/Leaks    Ania    ack 2 h, answer 48 h, agreed,
                                                                  resolved 96 h, refund 100 + goodwill 50 paid
  B  bg  web form  Ivan (consumer, BG)   Washers/Leaks    Boryana ack 4 h, unclear information
  C  fi  phone     Oy Pelti (business)   Software/Billing Ania    ack 1 h, answer 24 h, resolved 48 h
  D  en  API       Helen (consumer, PL)  Software/Billing Ania    never answered: deemed accepted, 300
  F  pl  e-mail    Anna (consumer, PL)   Washers/Leaks    Piotr   received through intake
  E  pl  e-mail    Jan, 10 February (previous period)    Ania    ack 8 h
  G  pl  e-mail    Ewa (consumer, PL), 2 April, unanswered: statutory deadline at risk on 15 April
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client

from amends.accounts.models import User
from amends.cases import services as cases
from amends.cases.models import Case, Category, Customer, OrganisationSettings, ProductLine, State
from amends.insights import figures
from amends.insights.metrics import Figure, Filters
from amends.insights.models import CustomerActivity, RevenueEntry
from amends.intake.complaint import Complaint
from amends.intake.services import receive
from amends.portal import services as portal
from amends.resolution import services as resolution
from amends.resolution.models import Cause, Decision, PreventionAction

MARCH = Filters(start=date(2026, 3, 1), end=date(2026, 3, 31))
NOW = datetime(2026, 4, 15, 10, 0, tzinfo=UTC)
PROPOSAL = (
    "Przepraszam za kłopot z pralką. Nazywam się Ania Nowak i zajmę się sprawą do końca. "
    "Proszę wybrać jedno z rozwiązań poniżej."
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@contextmanager
def at(text: str) -> Iterator[None]:
    with time_machine.travel(utc(text), tick=False):
        yield


@dataclass
class Desk:
    cases: dict[str, Case]
    washers: ProductLine
    software: ProductLine
    seal: Cause
    template: Cause
    action: PreventionAction


def figure_of(user: Any, key: str, filters: Filters = MARCH, now: datetime = NOW) -> Figure:
    return figures.figure(key, figures.context(user, filters, now))


def rows_of(user: Any, key: str, filters: Filters = MARCH) -> list[list[Any]]:
    return figure_of(user, key, filters).rows


def _cause(name: str, group: str) -> Cause:
    parent, _ = Cause.objects.get_or_create(name=group, parent=None)
    return Cause.objects.create(name=name, parent=parent)


def _customer(
    name: str, email: str, language: str, country: str, kind: str = "consumer"
) -> Customer:
    return Customer.objects.create(
        name=name, email=email, language=language, jurisdiction=country, kind=kind
    )


@pytest.fixture
def desk(ania: User, piotr: User, boryana: User, marta: User) -> Desk:
    org = OrganisationSettings.current()
    org.auto_assign = False
    org.save()
    washers = ProductLine.objects.create(name="Washers")
    software = ProductLine.objects.create(name="Software")
    leaks = Category.objects.create(name="Leaks")
    billing = Category.objects.create(name="Billing")
    seal = _cause("Seal not fitted", "Repairs")
    template = _cause("Invoice template wrong", "Billing")
    jan = _customer("Jan Kowalski", "jan@example.pl", "pl", "PL")
    ivan = _customer("Иван Петров", "ivan@example.bg", "bg", "BG")
    oy = _customer("Oy Pelti", "pelti@example.fi", "fi", "FI", kind="business")
    helen = _customer("Helen Carter", "helen@example.com", "en", "PL")
    ewa = _customer("Ewa Lis", "ewa@example.pl", "pl", "PL")

    def open_(
        customer: Customer, when: str, owner: User, line: ProductLine, cat: Category, **kw: Any
    ) -> Case:
        with at(when):
            return cases.open_case(
                customer=customer,
                subject=kw.pop("subject", "Complaint"),
                description=kw.pop("description", "Something went wrong."),
                owner=owner,
                product_line=line,
                category=cat,
                **kw,
            )

    # E: the previous period.
    e = open_(
        jan,
        "2026-02-10 08:00",
        ania,
        washers,
        leaks,
        channel="email",
        language="pl",
        subject="Pralka przecieka",
        description="Pralka przecieka od tygodnia.",
    )
    with at("2026-02-10 16:00"):
        cases.acknowledge(e, actor=ania)
        resolution.set_root_cause(e, actor=ania, cause=seal)
        resolution.set_fault(e, actor=ania, fault="ours")

    # A: Polish, agreed and resolved, compensation and goodwill paid, rated.
    a = open_(
        jan,
        "2026-03-02 08:00",
        ania,
        washers,
        leaks,
        channel="email",
        language="pl",
        subject="Pralka znowu przecieka",
        description="Po naprawie pralka dalej przecieka.",
    )
    with at("2026-03-02 10:00"):
        cases.acknowledge(a, actor=ania)
    with at("2026-03-04 08:00"):
        cases.record_reply(a, actor=ania, text="Wymienimy uszczelkę.", substantive=True)
        resolution.set_root_cause(a, actor=ania, cause=seal)
        resolution.set_fault(a, actor=ania, fault="ours")
    with at("2026-03-05 08:00"):
        proposal = resolution.propose(
            a,
            actor=ania,
            message=PROPOSAL,
            options=[{"kind": "repair", "description": "Naprawa", "due": date(2026, 3, 12)}],
        )
        resolution.decide_option(
            proposal.options.get(), decision=Decision.ACCEPTED, via="email", actor=ania
        )
        refund = resolution.propose_compensation(
            a, actor=ania, kind="refund", amount="100", currency="EUR"
        )
        goodwill = resolution.propose_compensation(
            a, actor=ania, kind="goodwill", amount="50", currency="EUR"
        )
        resolution.approve_compensation(refund, actor=ania)
        resolution.approve_compensation(goodwill, actor=ania)
    with at("2026-03-06 08:00"):
        a = resolution.resolve(a, actor=ania)
    with at("2026-03-07 08:00"):
        a = cases.change_state(a, to=State.CLOSED, actor=ania)
        portal.rate(a, outcome=4, service=5)
    with at("2026-03-10 08:00"):
        resolution.mark_paid(refund, actor=ania)
        resolution.mark_paid(goodwill, actor=ania)

    # D: English, never answered; its Polish statutory deadline (14 days) passes.
    d = open_(
        helen,
        "2026-03-03 08:00",
        ania,
        software,
        billing,
        channel="api",
        language="en",
        subject="Invoice charged twice",
        description="I was charged twice.",
        disputed_amount=Decimal("300.00"),
    )

    # The prevention action for the seal, done on 4 March at noon.
    with at("2026-03-04 09:00"):
        action = resolution.add_prevention_action(
            a,
            actor=ania,
            title="Fit the new seal on every repair",
            owner=ania,
            due=date(2026, 3, 20),
            cause=seal,
        )
    with at("2026-03-04 12:00"):
        action = resolution.complete_prevention_action(action, actor=ania)

    # B: Bulgarian, unclear information from us: an open improvement task.
    b = open_(
        ivan,
        "2026-03-05 08:00",
        boryana,
        washers,
        leaks,
        channel="web_form",
        language="bg",
        subject="Пералнята тече",
        description="Пералнята тече след ремонта.",
    )
    with at("2026-03-05 12:00"):
        cases.acknowledge(b, actor=boryana)
        resolution.set_root_cause(b, actor=boryana, cause=seal)
        resolution.set_fault(b, actor=boryana, fault="unclear_info")
        resolution.add_improvement(
            b,
            actor=boryana,
            information="Инструкция за монтаж",
            location="Ръководство",
            owner=boryana,
            due=date(2026, 4, 30),
        )

    # C: Finnish business customer, answered and resolved, rated.
    c = open_(
        oy,
        "2026-03-10 08:00",
        ania,
        software,
        billing,
        channel="phone",
        language="fi",
        subject="Lasku on väärin",
        description="Laskun summa on väärin.",
    )
    with at("2026-03-10 09:00"):
        cases.acknowledge(c, actor=ania)
    with at("2026-03-11 08:00"):
        cases.record_reply(c, actor=ania, text="Korjaamme laskun.", substantive=True)
        resolution.set_root_cause(c, actor=ania, cause=template)
        resolution.set_fault(c, actor=ania, fault="customer")
    with at("2026-03-12 08:00"):
        c = resolution.resolve(c, actor=ania)
    with at("2026-03-13 08:00"):
        c = cases.change_state(c, to=State.CLOSED, actor=ania)
        portal.rate(c, outcome=2, service=4)

    with at("2026-03-18 08:00"):
        cases.sweep_deadlines()

    # F: Polish, through intake, owned by Piotr (Ania's team mate).
    with at("2026-03-20 08:00"):
        received = receive(
            Complaint(
                channel="email",
                text="Dzień dobry, pralka przecieka i zalała łazienkę. Proszę o naprawę.",
                subject="Pralka zalała łazienkę",
                sender_name="Anna Nowak",
                sender_email="anna@example.pl",
                language="pl",
                source_key="test:f",
            )
        )
        f = received.case
        Case.objects.filter(pk=f.pk).update(product_line=washers, category=leaks)
        if f.owner_id is None:
            f = cases.assign_owner(f, owner=piotr, actor=marta)

    # G: April, unanswered, its statutory deadline near on 15 April.
    g = open_(
        ewa,
        "2026-04-02 08:00",
        ania,
        washers,
        leaks,
        channel="email",
        language="pl",
        subject="Suszarka nie grzeje",
        description="Suszarka nie grzeje.",
    )

    CustomerActivity.objects.create(
        customer=jan, date=date(2026, 3, 20), kind="purchase", source_key="t:1"
    )
    CustomerActivity.objects.create(
        customer=ivan, date=date(2026, 4, 1), kind="cancellation", source_key="t:2"
    )
    CustomerActivity.objects.create(
        customer=oy, date=date(2026, 3, 1), kind="purchase", source_key="t:3"
    )
    RevenueEntry.objects.create(
        product_line=washers,
        period_start=date(2026, 3, 1),
        period_end=date(2026, 3, 31),
        amount=Decimal(10000),
    )
    RevenueEntry.objects.create(
        product_line=software,
        period_start=date(2026, 2, 15),
        period_end=date(2026, 3, 14),
        amount=Decimal(2800),
    )
    return Desk(
        cases={"A": a, "B": b, "C": c, "D": d, "E": e, "F": f, "G": g},
        washers=washers,
        software=software,
        seal=seal,
        template=template,
        action=action,
    )


@pytest.fixture
def now(desk: Desk) -> Iterator[None]:
    """The desk's clock stands still at NOW."""
    with time_machine.travel(NOW, tick=False):
        yield


def logged_in(user: User) -> Client:
    """A test client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client
