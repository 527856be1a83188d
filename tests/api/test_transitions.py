"""POST /api/cases/{reference}/transitions."""

from __future__ import annotations

from amends.cases.models import Event, EventKind, State
from tests.resolution.helpers import make_resolvable


def url(case):
    return f"/api/cases/{case.reference}/transitions"


def test_the_owner_acknowledges_then_investigates(api_as, ania, ania_case):
    client = api_as(ania)
    response = client.post(url(ania_case), {"to": "acknowledged"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "acknowledged"
    assert response.json()["allowed_transitions"] == ["investigating", "resolution_proposed"]
    response = client.post(
        url(ania_case), {"to": "investigating", "reason": "Asked the warehouse."}
    )
    assert response.json()["state"] == "investigating"
    ania_case.refresh_from_db()
    assert ania_case.state == State.INVESTIGATING
    event = Event.objects.filter(case=ania_case, kind=EventKind.STATE_CHANGED).get()
    assert event.actor == ania
    assert event.data == {
        "from": "acknowledged",
        "to": "investigating",
        "reason": "Asked the warehouse.",
    }


def test_an_illegal_transition_is_refused_with_a_clear_message(api_as, ania, ania_case, unchanged):
    before = unchanged()
    response = api_as(ania).post(url(ania_case), {"to": "closed"})
    assert response.status_code == 400
    assert response.json()["error"] == "A case cannot go from Received to Closed."
    assert response.json()["details"] == ["A case cannot go from Received to Closed."]
    assert unchanged() == before


def test_an_unknown_state_gets_422(api_as, ania, ania_case, unchanged):
    before = unchanged()
    response = api_as(ania).post(url(ania_case), {"to": "teleported"})
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "invalid request"
    assert body["details"][0]["loc"][-1] == "to"
    assert unchanged() == before


def test_reopening_needs_a_reason(api_as, marta, ania_case, unchanged):
    client = api_as(marta)
    make_resolvable(ania_case, marta)
    for state in ("acknowledged", "resolution_proposed", "resolved"):
        assert client.post(url(ania_case), {"to": state}).status_code == 200
    before = unchanged()
    response = client.post(url(ania_case), {"to": "investigating"})
    assert response.status_code == 400
    assert response.json()["error"] == "Reopening a case needs a reason."
    assert unchanged() == before
    response = client.post(url(ania_case), {"to": "investigating", "reason": "Leak came back."})
    assert response.status_code == 200
    assert Event.objects.filter(case=ania_case, kind=EventKind.REOPENED).count() == 1


def test_a_team_mate_cannot_move_an_owned_case(api_as, piotr, ania_case, unchanged):
    before = unchanged()
    response = api_as(piotr).post(url(ania_case), {"to": "acknowledged"})
    assert response.status_code == 403
    assert response.json()["error"]
    assert unchanged() == before


def test_an_agent_of_another_team_gets_404(api_as, boryana, ania_case, unchanged):
    before = unchanged()
    assert api_as(boryana).post(url(ania_case), {"to": "acknowledged"}).status_code == 404
    assert unchanged() == before


def test_a_manager_may_move_any_case(api_as, marta, ania_case):
    assert api_as(marta).post(url(ania_case), {"to": "acknowledged"}).status_code == 200


def test_get_is_not_allowed(api_as, ania, ania_case):
    assert api_as(ania).get(url(ania_case)).status_code == 405


def test_refusals_speak_the_callers_language(api_as, ania, ania_case):
    response = api_as(ania).post(
        url(ania_case), {"to": "closed"}, headers={"Accept-Language": "pl"}
    )
    assert response.status_code == 400
    # The wording is the translators'; the point is that it is not the English one.
    assert response.json()["error"] != "A case cannot go from Received to Closed."
    assert response["Content-Language"] == "pl"
