"""The language switch in the header renders the staff pages in Polish, Bulgarian and Finnish."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amends.cases import services
from tests.resolution.helpers import make_resolvable

QUEUE = reverse("cases:my-cases")

TRANSLATED = {
    "en": (
        "My cases",
        "Receipt of the complaint acknowledged.",
        "The complaint is deemed accepted",
    ),
    "pl": ("Moje sprawy", "Potwierdzono przyjęcie reklamacji.", "Reklamację uważa się za uznaną"),
    "bg": (
        "Моите случаи",
        "Получаването на рекламацията е потвърдено.",
        "Рекламацията се счита за приета",
    ),
    "fi": (
        "Omat tapaukset",
        "Reklamaation vastaanotto kuitattu.",
        "Reklamaation katsotaan tulleen hyväksytyksi",
    ),
}


@pytest.mark.parametrize("language", ["en", "pl", "bg", "fi"])
def test_the_switch_renders_the_pages_in_the_chosen_language(
    login, ania, ania_case, language: str
) -> None:
    services.acknowledge(ania_case, actor=ania)
    client = login(ania)
    response = client.post(
        reverse("set_language"), {"language": language, "next": QUEUE}, follow=True
    )
    assert response.status_code == 200
    heading, event, consequence = TRANSLATED[language]
    content = response.content.decode()
    assert f'<html lang="{language}">' in content
    assert f"<h1>{heading}</h1>" in content
    page = client.get(reverse("cases:case-detail", args=[ania_case.reference])).content.decode()
    assert event in page
    assert consequence in page


def test_plural_forms_follow_the_language(login, ania, make_case, customer_pl) -> None:
    for _n in range(5):
        make_case(customer_pl, owner=ania)
    client = login(ania)
    client.post(reverse("set_language"), {"language": "pl", "next": QUEUE})
    assert "5 spraw" in client.get(reverse("cases:case-list")).content.decode()
    client.post(reverse("set_language"), {"language": "bg", "next": QUEUE})
    assert "5 случая" in client.get(reverse("cases:case-list")).content.decode()


def test_service_errors_are_translated(login, ania, piotr, ania_case) -> None:
    client = login(ania)
    client.post(reverse("set_language"), {"language": "fi", "next": QUEUE})
    make_resolvable(ania_case, ania)
    for state in ("acknowledged", "investigating", "resolution_proposed", "resolved"):
        ania_case = services.change_state(ania_case, to=state, actor=ania)
    url = reverse("cases:hand-over-case", args=[ania_case.reference])
    response = client.post(url, {"to": piotr.pk, "reason": "Loma"})
    assert response.status_code == 400
    assert "Suljettua tai ratkaistua tapausta ei voi siirtää" in response.content.decode()


def test_the_login_page_has_the_switch_too(client, db) -> None:
    response = client.post(
        reverse("set_language"), {"language": "pl", "next": reverse("accounts:login")}, follow=True
    )
    content = response.content.decode()
    assert "Zaloguj się do Amends" in content
    assert 'name="language"' in content
