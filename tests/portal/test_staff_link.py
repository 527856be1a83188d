"""Staff: the case page shows the customer's link; the owner or a manager revokes links."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from amends.accounts.models import User
from amends.cases.models import Case
from amends.portal.links import portal_path, portal_url


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _revoke_url(case: Case) -> str:
    return reverse("portal:revoke-links", kwargs={"reference": case.reference})


def test_the_case_page_shows_the_link_and_the_revoke_button(
    ania: User,
    ania_case: Case,
) -> None:
    html = login(ania).get(reverse("cases:case-detail", args=[ania_case.reference])).content
    assert portal_url(ania_case).encode() in html
    assert _revoke_url(ania_case).encode() in html


def test_the_owner_revokes_the_links(
    ania: User,
    ania_case: Case,
) -> None:
    old = portal_path(ania_case)
    client = login(ania)
    response = client.post(_revoke_url(ania_case))
    assert response.status_code == 302
    assert client.get(old).status_code == 404
    assert client.get(portal_path(ania_case)).status_code == 200


def test_a_manager_may_revoke_a_team_mate_may_not(
    ania_case: Case,
    marta: User,
    piotr: User,
) -> None:
    old = portal_path(ania_case)
    assert login(piotr).post(_revoke_url(ania_case)).status_code == 403
    assert Client().get(old).status_code == 200
    page = login(piotr).get(reverse("cases:case-detail", args=[ania_case.reference])).content
    assert _revoke_url(ania_case).encode() not in page
    assert login(marta).post(_revoke_url(ania_case)).status_code == 302
    assert Client().get(old).status_code == 404


def test_another_teams_agent_gets_404_and_get_is_not_allowed(
    ania: User,
    ania_case: Case,
    boryana: User,
) -> None:
    assert login(boryana).post(_revoke_url(ania_case)).status_code == 404
    assert login(ania).get(_revoke_url(ania_case)).status_code == 405
    assert Client().post(_revoke_url(ania_case)).status_code == 302  # to the login page
