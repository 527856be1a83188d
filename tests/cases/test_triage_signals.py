"""Triage signals on the case page and in the queue, refreshed when the customer writes again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amends.accounts.models import User
from amends.cases.models import EventKind, Priority
from amends.intake.complaint import Complaint
from amends.intake.services import receive

CALM = {
    "pl": "Dzień dobry, pralka kupiona w marcu przecieka. Proszę o naprawę, nie ma pośpiechu.",
    "bg": "Здравейте, пералнята, купена през март, тече. Моля за ремонт, не бързам.",
    "fi": "Hei, maaliskuussa ostettu pesukone vuotaa. Pyydän korjausta, ei ole kiire.",
    "en": "Hello, the washing machine I bought in March leaks. Please repair it, no rush.",
}
ANGRY = {
    "pl": "To SKANDAL!!! Piszę już po raz trzeci i NIKT nie odpowiada. Zgłoszę sprawę do UOKiK.",
    "bg": "Това е БЕЗОБРАЗИЕ!!! Пиша за трети път и НИКОЙ не отговаря. Ще подам жалба в КЗП.",
    "fi": "Tämä on TÖRKEÄÄ!!! Kirjoitan jo kolmatta kertaa eikä KUKAAN vastaa. Vien asian kuluttajariitalautakuntaan.",
    "en": "This is OUTRAGEOUS!!! I am writing for the third time and NOBODY answers. I will take you to court.",
}


@pytest.fixture
def agents(ania: User, boryana: User) -> None:
    User.objects.create_user(
        "aino", password="x", first_name="Aino", role="agent", languages=["fi"]
    )


def _complaint(lang: str, text: str, email: str, **kwargs: str) -> Complaint:
    return Complaint(
        channel="email",
        text=text,
        sender_name="Customer",
        sender_email=email,
        language=lang,
        **kwargs,
    )


@pytest.mark.parametrize("lang", ["pl", "bg", "fi", "en"])
def test_an_angry_complaint_gets_priority_and_the_advice_to_call(
    lang: str, agents: None, marta: User, login
) -> None:
    calm = receive(_complaint(lang, CALM[lang], "calm@example.com")).case
    angry = receive(_complaint(lang, ANGRY[lang], "angry@example.com")).case

    assert calm.irritation < 0.3
    assert angry.irritation >= 0.6
    assert angry.priority in (Priority.HIGH, Priority.URGENT)
    assert "call_customer" in {a["kind"] for a in angry.signals["advice"]}

    client = login(marta)
    page = client.get(reverse("cases:case-detail", args=[angry.reference]))
    assert "Call the customer rather than write (D-1)." in page.content.decode()
    queue = client.get(reverse("cases:case-list"), {"sort": "priority"})
    references = [row.case.reference for row in queue.context["rows"]]
    assert references.index(angry.reference) < references.index(calm.reference)


def test_signals_rise_when_the_customer_writes_again(agents: None) -> None:
    case = receive(_complaint("pl", CALM["pl"], "jan@example.pl", subject="Pralka")).case
    assert case.priority == Priority.LOW

    again = receive(
        _complaint("pl", ANGRY["pl"], "jan@example.pl", subject=f"Re: {case.reference}")
    )

    case.refresh_from_db()
    assert again.case == case
    assert case.irritation >= 0.6
    assert case.priority in (Priority.HIGH, Priority.URGENT)
    assert case.events.filter(kind=EventKind.PRIORITY_CHANGED).exists()


def test_the_queue_sorts_by_priority_then_by_the_nearest_deadline(
    agents: None, marta: User, login
) -> None:
    cases = [
        receive(_complaint("en", text, f"c{i}@example.com")).case
        for i, text in enumerate([CALM["en"], ANGRY["en"], "My parcel is late, please check."])
    ]

    queue = login(marta).get(reverse("cases:case-list"), {"sort": "priority"})

    ranks = {"urgent": 3, "high": 2, "normal": 1, "low": 0}
    shown = [ranks[row.case.priority] for row in queue.context["rows"]]
    assert shown == sorted(shown, reverse=True)
    assert len(shown) == len(cases)
