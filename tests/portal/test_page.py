"""The page: owner, status in plain words, next step in the customer's zone, languages,
headers, and nothing internal (notes, fault, cause, ledger, costs, drafts) on it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from amends.accounts.models import User
from amends.cases import services as case_services
from amends.cases.models import Case, State
from amends.deadlines.engine import zone_for
from amends.intake import outbound
from amends.intake.models import Delivery, Direction, Message
from amends.resolution import services as resolution_services
from amends.resolution.models import Fault
from tests.portal.conftest import move_to, open_proposal, page
from tests.resolution.helpers import make_resolvable


def test_the_page_shows_the_owner_the_status_and_the_next_step_in_the_customers_zone(
    client: Client, ania_case: Case
) -> None:
    response = page(client, ania_case)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ania Nowak" in html
    with translation.override(ania_case.language):
        assert translation.gettext("We have received your complaint") in html
    next_step = timezone.localtime(ania_case.commitment_due, zone_for("PL")).date()
    assert f'datetime="{next_step:%Y-%m-%d}"' in html


@pytest.mark.parametrize(
    ("state", "headline"),
    [
        (State.ACKNOWLEDGED, "We have received your complaint and are working on it"),
        (State.INVESTIGATING, "We are investigating"),
        (State.RESOLUTION_PROPOSED, "We have proposed a solution: please choose"),
        (State.RESOLVED, "Resolved"),
        (State.CLOSED, "Closed"),
    ],
)
def test_each_state_reads_in_plain_words(
    client: Client, ania_case: Case, ania: User, state: str, headline: str
) -> None:
    case = move_to(ania_case, state, ania)
    html = page(client, case, lang="en").content.decode()
    assert f">{headline}</h1>" in html
    # A resolved or closed case has no next step to wait for.
    assert ("portal-next-step" in html) == case.is_open


def test_the_page_speaks_the_cases_language_with_a_switch(client: Client, ania_case: Case) -> None:
    default = page(client, ania_case, HTTP_ACCEPT_LANGUAGE="fi")
    assert b'<html lang="pl">' in default.content
    assert default["Content-Language"] == "pl"
    switched = page(client, ania_case, lang="bg")
    assert b'<html lang="bg">' in switched.content
    for code in ("en", "pl", "bg", "fi"):
        assert f'href="?lang={code}"'.encode() in switched.content
    assert b'<html lang="pl">' in page(client, ania_case, lang="xx").content
    # The case's language was for that page only: the next thing rendered is not Polish.
    assert translation.get_language() != "pl" or translation.get_language() is None


def test_the_page_is_private_strict_and_never_cached(client: Client, ania_case: Case) -> None:
    response = page(client, ania_case)
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp
    assert "script-src" not in csp
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    assert b"<script" not in response.content


def test_nothing_internal_reaches_the_customer(
    client: Client, ania_case: Case, ania: User, django_capture_on_commit_callbacks: Any
) -> None:
    case = ania_case
    case_services.add_note(case, actor=ania, text="Klient marudzi, sekretna notatka 4711")
    case_services.log_phone_call(case, actor=ania, summary="Rozmowa wewnętrzna 5822")
    make_resolvable(case, ania)
    resolution_services.set_fault(
        case, actor=ania, fault=Fault.CUSTOMER, findings="Ustalenia poufne 6933"
    )
    resolution_services.propose_compensation(
        case, actor=ania, kind="goodwill", amount=Decimal("1234.56"), currency="PLN"
    )
    open_proposal(case, ania)
    with django_capture_on_commit_callbacks(execute=False):
        outbound.compose(
            case,
            subject="Szkic",
            body="Szkic odpowiedzi 7044",
            purpose="reply",
            author=ania,
            delivery=Delivery.DRAFT,
        )
        outbound.compose(
            case, subject="W kolejce", body="Niewysłane 8155", purpose="reply", author=ania
        )
    sent = outbound.compose(
        case, subject="Wysłane", body="Wysłana odpowiedź 9266", purpose="reply", author=ania
    )
    Message.objects.filter(pk=sent.pk).update(delivery=Delivery.SENT, sent_at=timezone.now())
    Message.objects.create(
        case=case,
        direction=Direction.IN,
        channel="email",
        body="Pytanie klienta 1377",
        at=timezone.now(),
    )

    html = page(client, case).content.decode()

    for secret in (
        "4711",
        "5822",
        "6933",
        "1234.56",
        "1234,56",
        "987.65",
        "987,65",
        "7044",
        "8155",
    ):
        assert secret not in html
    for word in ("Unclear assembly", "Documentation", "The customer&#x27;s", "fault"):
        assert word not in html
    assert "Wysłana odpowiedź 9266" in html
    assert "Pytanie klienta 1377" in html
    assert "Nowa pralka" in html


def test_the_page_needs_few_queries_however_long_the_conversation(
    client: Client, ania_case: Case, ania: User, django_assert_max_num_queries: Any
) -> None:
    open_proposal(ania_case, ania)
    for n in range(15):
        Message.objects.create(
            case=ania_case,
            direction=Direction.IN,
            channel="email",
            body=f"Wiadomość {n}",
            at=timezone.now(),
        )
    with django_assert_max_num_queries(12):
        assert page(client, ania_case).status_code == 200
