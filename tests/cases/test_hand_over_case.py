"""Handing a case over to a colleague, with the required reason."""

from __future__ import annotations

from django.urls import reverse

from amends.cases import services
from amends.cases.models import EventKind
from tests.resolution.helpers import make_resolvable


def url(case) -> str:
    return reverse("cases:hand-over-case", args=[case.reference])


def test_the_owner_hands_the_case_over_with_a_reason(login, ania, piotr, ania_case) -> None:
    response = login(ania).post(url(ania_case), {"to": piotr.pk, "reason": "Going on holiday"})
    assert response.status_code == 302
    ania_case.refresh_from_db()
    assert ania_case.owner == piotr
    event = ania_case.events.get(kind=EventKind.HANDED_OVER)
    assert event.data["reason"] == "Going on holiday"
    assert event.is_customer_visible
    page = login(ania).get(response.url).content.decode()
    assert "Handed over from Ania Nowak to Piotr Wiśniewski." in page


def test_a_hand_over_without_a_reason_shows_the_error_and_changes_nothing(
    login, ania, piotr, ania_case
) -> None:
    response = login(ania).post(url(ania_case), {"to": piotr.pk, "reason": "  "})
    assert response.status_code == 400
    assert response.context["failed"] == "handover"
    content = response.content.decode()
    assert "This field is required." in content
    assert "Nothing was changed." in content
    assert '<details class="action" id="form-handover" open>' in content
    ania_case.refresh_from_db()
    assert ania_case.owner == ania
    assert not ania_case.events.filter(kind=EventKind.HANDED_OVER).exists()


def test_a_resolved_case_cannot_be_handed_over(login, ania, piotr, ania_case) -> None:
    make_resolvable(ania_case, ania)
    for state in ("acknowledged", "investigating", "resolution_proposed", "resolved"):
        ania_case = services.change_state(ania_case, to=state, actor=ania)
    response = login(ania).post(url(ania_case), {"to": piotr.pk, "reason": "Holiday"})
    assert response.status_code == 400
    assert "cannot be handed over" in response.content.decode()
    ania_case.refresh_from_db()
    assert ania_case.owner == ania


def test_the_current_owner_is_not_offered(login, ania, piotr, ania_case) -> None:
    response = login(ania).post(url(ania_case), {"to": ania.pk, "reason": "Myself"})
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_a_manager_hands_over_any_case(login, marta, piotr, ania_case) -> None:
    assert (
        login(marta).post(url(ania_case), {"to": piotr.pk, "reason": "Rebalancing"}).status_code
        == 302
    )
    ania_case.refresh_from_db()
    assert ania_case.owner == piotr
