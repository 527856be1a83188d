"""GET /api/cases/{reference} and its timeline, for each role."""

from __future__ import annotations

import pytest


def test_the_owner_gets_the_case(api_as, ania, ania_case):
    response = api_as(ania).get(f"/api/cases/{ania_case.reference}")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == ania_case.reference
    assert body["owner"] == {"username": "ania", "name": "Ania Nowak"}
    assert body["customer"]["name"] == "Jan Kowalski"
    assert set(body["deadline_status"]) == {"commitment", "statutory", "worst"}


def test_a_lowercase_or_bare_number_reference_works(api_as, ania, ania_case):
    client = api_as(ania)
    assert client.get(f"/api/cases/{ania_case.reference.lower()}").status_code == 200
    assert client.get(f"/api/cases/{ania_case.pk}").status_code == 200


@pytest.mark.parametrize("persona", ["piotr", "marta", "alex"])
def test_team_mates_managers_and_admins_see_the_case(api_as, ania_case, persona, request):
    user = request.getfixturevalue(persona)
    assert api_as(user).get(f"/api/cases/{ania_case.reference}").status_code == 200


def test_an_agent_of_another_team_gets_404(api_as, boryana, ania_case):
    response = api_as(boryana).get(f"/api/cases/{ania_case.reference}")
    assert response.status_code == 404
    assert response.json() == {"error": "not found"}


def test_an_agent_of_another_team_gets_404_on_the_timeline(api_as, boryana, ania_case):
    assert api_as(boryana).get(f"/api/cases/{ania_case.reference}/events").status_code == 404


@pytest.mark.parametrize("reference", ["AM-999999", "nonsense", "AM-", "0"])
def test_an_unknown_reference_gets_404(api_as, marta, reference, db):
    assert api_as(marta).get(f"/api/cases/{reference}").status_code == 404


def test_the_timeline_lists_events_oldest_first(api_as, ania, ania_case):
    response = api_as(ania).get(f"/api/cases/{ania_case.reference}/events")
    assert response.status_code == 200
    kinds = [e["kind"] for e in response.json()]
    assert kinds == ["received", "owner_assigned"]
    assert response.json()[1]["data"]["owner_name"] == "Ania Nowak"
    assert response.json()[0]["label"] == "Complaint received"


@pytest.mark.parametrize("reference", ["AM-³", "²", "AM-１２"])
def test_non_ascii_digits_in_a_reference_get_404_not_500(api_as, marta, reference, db):
    assert api_as(marta).get(f"/api/cases/{reference}").status_code == 404
