"""Acknowledging a case from its page."""

from __future__ import annotations

from django.urls import reverse

from amends.cases import services
from amends.cases.models import EventKind, State


def url(case) -> str:
    return reverse("cases:acknowledge-case", args=[case.reference])


def test_the_owner_acknowledges_the_case(login, ania, ania_case) -> None:
    response = login(ania).post(url(ania_case))
    assert response.status_code == 302
    assert response.url == reverse("cases:case-detail", args=[ania_case.reference])
    ania_case.refresh_from_db()
    assert ania_case.state == State.ACKNOWLEDGED
    assert ania_case.events.filter(kind=EventKind.ACKNOWLEDGED, actor=ania).count() == 1


def test_acknowledging_twice_shows_the_error_and_changes_nothing(login, ania, ania_case) -> None:
    services.acknowledge(ania_case, actor=ania)
    before = ania_case.events.count()
    response = login(ania).post(url(ania_case), follow=True)
    assert "A case cannot go from Acknowledged to Acknowledged." in response.content.decode()
    assert ania_case.events.count() == before


def test_a_manager_may_acknowledge_a_colleagues_case(login, marta, ania, ania_case) -> None:
    assert login(marta).post(url(ania_case)).status_code == 302
    ania_case.refresh_from_db()
    assert ania_case.state == State.ACKNOWLEDGED
    assert ania_case.owner == ania
