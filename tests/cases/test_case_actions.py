"""What every action on a case has in common: POST only, login, and no access for other teams."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amends.cases.models import Event

ACTIONS = [
    ("cases:acknowledge-case", {}),
    ("cases:add-note", {"text": "A note"}),
    ("cases:log-call", {"direction": "inbound", "summary": "Called"}),
    ("cases:hand-over-case", {"reason": "Holiday"}),
    ("cases:change-state", {"to": "investigating"}),
    ("cases:set-commitment", {"due": "2030-01-01"}),
    ("cases:record-reply", {"text": "Hello"}),
]


@pytest.mark.parametrize(("name", "data"), ACTIONS)
def test_an_action_refuses_get(login, ania, ania_case, name, data) -> None:
    assert login(ania).get(reverse(name, args=[ania_case.reference])).status_code == 405


@pytest.mark.parametrize(("name", "data"), ACTIONS)
def test_another_teams_agent_gets_404_and_nothing_changes(
    login, boryana, ania_case, name, data
) -> None:
    before = Event.objects.count()
    assert login(boryana).post(reverse(name, args=[ania_case.reference]), data).status_code == 404
    assert Event.objects.count() == before


@pytest.mark.parametrize(("name", "data"), ACTIONS)
def test_a_team_mate_who_does_not_own_the_case_gets_403(
    login, piotr, ania_case, name, data
) -> None:
    before = Event.objects.count()
    assert login(piotr).post(reverse(name, args=[ania_case.reference]), data).status_code == 403
    assert Event.objects.count() == before


@pytest.mark.parametrize(("name", "data"), ACTIONS)
def test_anonymous_users_are_sent_to_the_login_page(client, ania_case, name, data) -> None:
    before = Event.objects.count()
    response = client.post(reverse(name, args=[ania_case.reference]), data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert Event.objects.count() == before
