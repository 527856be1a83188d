"""The customer accepts or declines each option from the page (POST, CSRF), once."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from amends.accounts.models import User
from amends.cases.models import Case, Customer, EventKind
from amends.portal.links import portal_token
from amends.resolution.models import Decision, ProposalStatus
from tests.portal.conftest import open_proposal


def _decide(client: Client, case: Case, option_id: int, decision: str) -> Any:
    url = reverse(
        "portal:decide-option", kwargs={"token": portal_token(case), "option_id": option_id}
    )
    return client.post(url, {"decision": decision, "lang": "en"})


def test_the_customer_accepts_one_option_and_declines_the_other(
    client: Client, ania_case: Case, ania: User
) -> None:
    proposal = open_proposal(ania_case, ania)
    first, second = proposal.options.all()

    response = _decide(client, ania_case, first.pk, Decision.ACCEPTED)
    assert response.status_code == 302
    assert response["Location"].endswith("?lang=en#proposal")
    _decide(client, ania_case, second.pk, Decision.DECLINED)

    first.refresh_from_db()
    second.refresh_from_db()
    proposal.refresh_from_db()
    assert (first.decision, first.decided_via) == (Decision.ACCEPTED, "portal")
    assert second.decision == Decision.DECLINED
    assert proposal.status == ProposalStatus.AGREED
    assert ania_case.events.filter(kind=EventKind.PROPOSAL_DECIDED).count() == 2
    page = client.get(response["Location"])
    assert b"You accepted this option." in page.content


def test_deciding_twice_changes_nothing(client: Client, ania_case: Case, ania: User) -> None:
    option = open_proposal(ania_case, ania).options.first()
    assert option is not None
    _decide(client, ania_case, option.pk, Decision.ACCEPTED)
    again = _decide(client, ania_case, option.pk, Decision.ACCEPTED)
    assert again.status_code == 302
    assert ania_case.events.filter(kind=EventKind.PROPOSAL_DECIDED).count() == 1
    # Changing one's mind afterwards is refused, and nothing changes.
    _decide(client, ania_case, option.pk, Decision.DECLINED)
    option.refresh_from_db()
    assert option.decision == Decision.ACCEPTED
    assert ania_case.events.filter(kind=EventKind.PROPOSAL_DECIDED).count() == 1


def test_an_option_of_another_case_is_not_found(
    client: Client, ania_case: Case, ania: User, make_case: Any
) -> None:
    other = make_case(Customer.objects.create(name="Inny", email="inny@example.pl"), owner=ania)
    option = open_proposal(other, ania).options.first()
    assert option is not None
    response = _decide(client, ania_case, option.pk, Decision.ACCEPTED)
    assert response.status_code == 404
    option.refresh_from_db()
    assert option.decision == Decision.PENDING


def test_a_decision_needs_post_and_a_csrf_token(ania_case: Case, ania: User) -> None:
    option = open_proposal(ania_case, ania).options.first()
    assert option is not None
    url = reverse(
        "portal:decide-option", kwargs={"token": portal_token(ania_case), "option_id": option.pk}
    )
    strict = Client(enforce_csrf_checks=True)
    assert strict.get(url).status_code == 405
    assert strict.post(url, {"decision": Decision.ACCEPTED}).status_code == 403
    option.refresh_from_db()
    assert option.decision == Decision.PENDING


def test_an_unknown_decision_changes_nothing(client: Client, ania_case: Case, ania: User) -> None:
    option = open_proposal(ania_case, ania).options.first()
    assert option is not None
    assert _decide(client, ania_case, option.pk, "maybe").status_code == 404
    option.refresh_from_db()
    assert option.decision == Decision.PENDING
