"""After closing, the customer rates the outcome and our service separately, 1 to 5."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from amends.accounts.models import User
from amends.cases.models import Case, EventKind, Visibility
from amends.portal.links import portal_token
from amends.portal.models import SatisfactionRating
from tests.portal.conftest import move_to, page


def _rate(client: Client, case: Case, **data: Any) -> Any:
    url = reverse("portal:rate", kwargs={"token": portal_token(case)})
    return client.post(url, {"lang": "en", **data})


def test_an_open_case_cannot_be_rated(client: Client, ania_case: Case) -> None:
    assert b"portal-rate" not in page(client, ania_case).content
    assert _rate(client, ania_case, outcome=5, service=5).status_code == 400
    assert not SatisfactionRating.objects.exists()


def test_a_closed_case_is_rated_and_the_rating_can_change(
    client: Client, ania_case: Case, ania: User
) -> None:
    case = move_to(ania_case, "closed", ania)
    assert b"portal-rate" in page(client, case).content

    response = _rate(client, case, outcome=4, service=5, comment="Szybko i uprzejmie.")
    assert response.status_code == 302
    rating = SatisfactionRating.objects.get(case=case)
    assert (rating.outcome, rating.service, rating.comment) == (4, 5, "Szybko i uprzejmie.")
    event = case.events.get(kind=EventKind.RATED)
    assert event.visibility == Visibility.CUSTOMER
    assert event.data == {
        "outcome": 4,
        "service": 5,
        "comment": "Szybko i uprzejmie.",
        "changed": False,
    }

    # The same rating again changes nothing; a different one replaces it and is recorded.
    _rate(client, case, outcome=4, service=5, comment="Szybko i uprzejmie.")
    assert case.events.filter(kind=EventKind.RATED).count() == 1
    _rate(client, case, outcome=2, service=5)
    rating.refresh_from_db()
    assert (rating.outcome, rating.changed_at is not None) == (2, True)
    assert SatisfactionRating.objects.count() == 1
    assert case.events.filter(kind=EventKind.RATED).count() == 2
    assert b"Outcome: 2 of 5" in page(client, case, lang="en").content


def test_scores_outside_one_to_five_are_refused(
    client: Client, ania_case: Case, ania: User
) -> None:
    case = move_to(ania_case, "closed", ania)
    for bad in ({"outcome": 0, "service": 3}, {"outcome": 3, "service": 6}, {"outcome": 3}):
        assert _rate(client, case, **bad).status_code == 400
    assert not SatisfactionRating.objects.exists()
