"""POST /api/cases/{reference}/hand-over."""

from __future__ import annotations

from amends.cases.models import Event, EventKind, Visibility


def url(case):
    return f"/api/cases/{case.reference}/hand-over"


def test_the_owner_hands_over_with_a_reason(api_as, ania, piotr, ania_case):
    response = api_as(ania).post(url(ania_case), {"to": "piotr", "reason": "Going on leave."})
    assert response.status_code == 200, response.content
    assert response.json()["owner"] == {"username": "piotr", "name": "Piotr Wiśniewski"}
    ania_case.refresh_from_db()
    assert ania_case.owner == piotr
    event = Event.objects.get(case=ania_case, kind=EventKind.HANDED_OVER)
    assert event.visibility == Visibility.CUSTOMER
    assert event.data["owner_name"] == "Piotr Wiśniewski"
    assert event.data["reason"] == "Going on leave."


def test_a_manager_hands_over_any_case(api_as, marta, piotr, ania_case):
    response = api_as(marta).post(url(ania_case), {"to": "piotr", "reason": "Balancing load."})
    assert response.status_code == 200
    assert response.json()["owner"]["username"] == "piotr"


def test_an_agent_cannot_hand_over_a_case_they_do_not_own(
    api_as, piotr, marta, ania_case, unchanged
):
    before = unchanged()
    response = api_as(piotr).post(url(ania_case), {"to": "piotr", "reason": "I'll take it."})
    assert response.status_code == 403
    assert response.json() == {"error": "Only the owner or a manager can hand a case over."}
    assert unchanged() == before


def test_an_agent_of_another_team_gets_404(api_as, boryana, ania_case, unchanged):
    before = unchanged()
    response = api_as(boryana).post(url(ania_case), {"to": "boryana", "reason": "Mine now."})
    assert response.status_code == 404
    assert unchanged() == before


def test_a_hand_over_without_a_reason_gets_422_and_changes_nothing(
    api_as, ania, piotr, ania_case, unchanged
):
    before = unchanged()
    response = api_as(ania).post(url(ania_case), {"to": "piotr"})
    assert response.status_code == 422
    assert response.json()["details"][0]["loc"][-1] == "reason"
    assert unchanged() == before


def test_a_hand_over_with_a_blank_reason_gets_400_and_changes_nothing(
    api_as, ania, piotr, ania_case, unchanged
):
    before = unchanged()
    response = api_as(ania).post(url(ania_case), {"to": "piotr", "reason": "   "})
    assert response.status_code == 400
    assert response.json()["error"] == "A hand-over needs a reason."
    assert unchanged() == before


def test_a_hand_over_to_an_unknown_user_gets_400(api_as, ania, ania_case, unchanged):
    before = unchanged()
    response = api_as(ania).post(url(ania_case), {"to": "nobody", "reason": "Leave."})
    assert response.status_code == 400
    assert response.json()["error"] == "No active staff member is called nobody."
    assert unchanged() == before


def test_a_hand_over_to_the_current_owner_gets_400(api_as, ania, ania_case, unchanged):
    before = unchanged()
    response = api_as(ania).post(url(ania_case), {"to": "ania", "reason": "Leave."})
    assert response.status_code == 400
    assert "already owns" in response.json()["error"]
    assert unchanged() == before
