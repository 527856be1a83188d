"""The "Similar cases" panel on the case page and the managers' clusters page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.recurrence.conftest import WASHER

CLUSTERS = reverse("recurrence:clusters")


@pytest.mark.parametrize(("language", "heading"), [("en", "Similar cases"), ("pl", 'lang="pl"')])
def test_the_panel_lists_the_similar_case_in_the_users_language(
    login, complaint, customer_pl, customer_en, ania, language, heading
) -> None:
    case = complaint(customer_pl, WASHER["pl"], language="pl", owner=ania)
    other = complaint(customer_en, WASHER["en"], language="en", owner=ania)
    client = login(ania)
    response = client.get(
        reverse("cases:case-detail", args=[case.reference]), HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert 'id="similar-title"' in page
    assert heading in page
    assert reverse("cases:case-detail", args=[other.reference]) in page
    assert WASHER["en"][0] in page


def test_the_panel_says_when_the_complaint_is_not_read_yet(
    login, complaint, customer_pl, ania
) -> None:
    case = complaint(customer_pl, WASHER["pl"], owner=ania, embed=False)
    response = login(ania).get(reverse("cases:case-detail", args=[case.reference]))
    assert "once the complaint has been read" in response.content.decode()


def test_a_manager_sees_the_clusters_page(login, marta) -> None:
    response = login(marta).get(CLUSTERS)
    assert response.status_code == 200
    assert "Recurring problems" in response.content.decode()


def test_an_agent_may_not_see_the_clusters(login, ania) -> None:
    assert login(ania).get(CLUSTERS).status_code == 403


def test_the_clusters_page_takes_no_post(login, marta) -> None:
    assert login(marta).post(CLUSTERS).status_code == 405


def test_an_anonymous_visitor_is_sent_to_log_in(client, db) -> None:
    assert client.get(CLUSTERS).status_code == 302
