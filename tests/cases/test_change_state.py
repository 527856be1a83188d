"""Moving a case through its states from the case page."""

from __future__ import annotations

from django.urls import reverse

from amends.cases import services
from amends.cases.models import EventKind, State
from tests.resolution.helpers import make_resolvable


def url(case) -> str:
    return reverse("cases:change-state", args=[case.reference])


def test_the_owner_moves_the_case_on(login, ania, ania_case) -> None:
    services.acknowledge(ania_case, actor=ania)
    response = login(ania).post(url(ania_case), {"to": "investigating"})
    assert response.status_code == 302
    ania_case.refresh_from_db()
    assert ania_case.state == State.INVESTIGATING
    assert (
        ania_case.events.filter(kind=EventKind.STATE_CHANGED).last().data["to"] == "investigating"
    )


def test_an_illegal_transition_is_rejected_and_changes_nothing(login, ania, ania_case) -> None:
    services.acknowledge(ania_case, actor=ania)
    before = ania_case.events.count()
    response = login(ania).post(url(ania_case), {"to": "closed"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    ania_case.refresh_from_db()
    assert ania_case.state == State.ACKNOWLEDGED
    assert ania_case.events.count() == before


def test_an_unknown_state_is_rejected(login, ania, ania_case) -> None:
    response = login(ania).post(url(ania_case), {"to": "teleported"})
    assert response.status_code == 400
    ania_case.refresh_from_db()
    assert ania_case.state == State.RECEIVED


def test_reopening_needs_a_reason(login, ania, ania_case) -> None:
    make_resolvable(ania_case, ania)
    for state in ("acknowledged", "investigating", "resolution_proposed", "resolved", "closed"):
        ania_case = services.change_state(ania_case, to=state, actor=ania)
    client = login(ania)
    response = client.post(url(ania_case), {"to": "investigating", "reason": ""})
    assert response.status_code == 400
    assert "Reopening a case needs a reason." in response.content.decode()
    ania_case.refresh_from_db()
    assert ania_case.state == State.CLOSED

    assert (
        client.post(
            url(ania_case), {"to": "investigating", "reason": "The leak is back"}
        ).status_code
        == 302
    )
    ania_case.refresh_from_db()
    assert ania_case.state == State.INVESTIGATING
    assert ania_case.events.get(kind=EventKind.REOPENED).data["reason"] == "The leak is back"
