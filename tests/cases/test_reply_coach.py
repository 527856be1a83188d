"""The coach in the reply composer: the coach endpoint (htmx partial, or the whole page without
JavaScript), advice in the staff's UI language, the case's fault as a context check, and replies
the coach flags, which are only sent with "send anyway" and record nothing otherwise."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from amends.accounts.models import User
from amends.cases import services
from amends.cases.models import Case, Customer, EventKind
from amends.resolution import services as resolution_services
from amends.resolution.models import Fault

HTMX = {"HX-Request": "true"}
BLAME = {
    "en": "You should have read the manual.",
    "pl": "Powinien Pan był przeczytać instrukcję.",
}
GOOD_PL = (
    "Przepraszam za kłopot z pralką. Rozumiem, że to bardzo frustrujące. Nazywam się Ania Nowak "
    "i zajmę się Pana sprawą do końca. Proszę opisać jeszcze raz, co się dzieje. "
    "Odpowiem do jutra."
)


def coach_url(case: Case) -> str:
    return reverse("cases:coach", args=[case.reference])


def reply_url(case: Case) -> str:
    return reverse("cases:record-reply", args=[case.reference])


@pytest.fixture
def english_case(make_case: Callable[..., Case], ania: User) -> Case:
    customer = Customer.objects.create(
        name="John Smith", email="john@example.com", language="en", jurisdiction="PL"
    )
    return make_case(customer, owner=ania, subject="Leaking washer", description="It leaks.")


def in_language(client: Client, language: str) -> Client:
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


def test_the_coach_returns_a_partial_with_the_flag_and_the_offending_text(
    login, ania, english_case
) -> None:
    response = login(ania).post(
        coach_url(english_case), {"text": BLAME["en"], "purpose": "reply"}, headers=HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-kind="blame_customer"' in html
    assert "You should have" in html
    assert "Don&#x27;t prove the customer wrong" in html
    assert 'name="send_anyway"' in html
    panel = response.context["panel"]
    assert panel.score < 50
    assert {line.kind for line in panel.elements} >= {"apology", "next_step"}


def test_the_advice_is_in_the_staff_users_language(login, ania, ania_case) -> None:
    client = in_language(login(ania), "pl")
    response = client.post(coach_url(ania_case), {"text": BLAME["pl"]}, headers=HTMX)
    html = response.content.decode()
    assert "Obwinianie klienta" in html
    assert "Nie udowadniaj klientowi, że się myli" in html
    assert "Przeprosiny" in html  # the element labels too


@pytest.mark.parametrize("language", ["en", "pl"])
def test_a_good_reply_has_no_flags(login, ania, ania_case, language) -> None:
    client = in_language(login(ania), language)
    panel = client.post(coach_url(ania_case), {"text": GOOD_PL}, headers=HTMX).context["panel"]
    assert panel.flags == ()
    assert all(line.ok for line in panel.elements)
    assert panel.score >= 80


def test_an_empty_text_gets_the_hint(login, ania, ania_case) -> None:
    response = login(ania).post(coach_url(ania_case), {"text": "  "}, headers=HTMX)
    assert response.context["panel"].empty
    assert "The coach checks your text as you type" in response.content.decode()


def test_when_the_fault_is_ours_a_reply_without_an_apology_is_caught(
    login, ania, english_case
) -> None:
    resolution_services.set_fault(english_case, actor=ania, fault=Fault.OURS)
    response = login(ania).post(
        coach_url(english_case), {"text": "The refund is on its way."}, headers=HTMX
    )
    assert "fault_ours_no_apology" in {line.kind for line in response.context["panel"].checks}
    assert "The fault is ours: admit it and apologise" in response.content.decode()
    sorry = login(ania).post(
        coach_url(english_case), {"text": "I'm sorry. The refund is on its way."}, headers=HTMX
    )
    assert "fault_ours_no_apology" not in {c.kind for c in sorry.context["panel"].checks}


def test_a_date_after_the_commitment_is_caught(login, ania, english_case) -> None:
    response = login(ania).post(
        coach_url(english_case),
        {"text": "I'm sorry. You will have my answer within 60 days."},
        headers=HTMX,
    )
    assert "date_after_commitment" in {line.kind for line in response.context["panel"].checks}


def test_the_proposal_message_is_checked_as_a_proposal(login, ania, english_case) -> None:
    response = login(ania).post(
        coach_url(english_case), {"message": BLAME["en"], "purpose": "proposal"}, headers=HTMX
    )
    html = response.content.decode()
    assert 'data-kind="blame_customer"' in html
    assert 'name="send_anyway"' not in html  # a flagged proposal is not sent at all
    kinds = {line.kind for line in response.context["panel"].elements}
    assert kinds == {"apology", "ownership", "next_step"}


def test_without_javascript_check_shows_the_case_page_with_the_review(
    login, ania, english_case
) -> None:
    response = login(ania).post(coach_url(english_case), {"text": BLAME["en"], "purpose": "reply"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert 'data-kind="blame_customer"' in html
    assert response.context["failed"] == "reply"  # the composer stays open, as typed
    assert BLAME["en"] in html


def test_the_composer_sends_the_text_to_the_coach_as_you_type(login, ania, ania_case) -> None:
    html = login(ania).get(reverse("cases:case-detail", args=[ania_case.reference])).content
    html = html.decode()
    assert f'hx-post="{coach_url(ania_case)}"' in html
    assert 'hx-trigger="input changed delay:600ms"' in html
    assert 'id="coach-reply"' in html
    assert "vendor/htmx.min.js" in html


def test_a_flagged_reply_asks_for_send_anyway_and_changes_nothing(
    login, ania, english_case
) -> None:
    response = login(ania).post(reply_url(english_case), {"text": BLAME["en"]})
    assert response.status_code == 400
    assert "Send it anyway" in response.content.decode()
    assert response.context["coach_reply"].confirm_errors
    assert not english_case.events.filter(kind=EventKind.REPLY).exists()


def test_a_flagged_reply_is_sent_with_send_anyway(login, ania, english_case) -> None:
    response = login(ania).post(reply_url(english_case), {"text": BLAME["en"], "send_anyway": "on"})
    assert response.status_code == 302
    assert english_case.events.filter(kind=EventKind.REPLY).count() == 1


def test_a_reply_without_flags_needs_no_confirmation(login, ania, ania_case) -> None:
    response = login(ania).post(reply_url(ania_case), {"text": GOOD_PL})
    assert response.status_code == 302
    assert ania_case.events.filter(kind=EventKind.REPLY).count() == 1


def test_another_teams_agent_gets_404(login, boryana, ania_case) -> None:
    assert login(boryana).post(coach_url(ania_case), {"text": "x"}).status_code == 404


def test_a_team_mate_who_cannot_work_on_the_case_gets_403(login, piotr, ania_case) -> None:
    assert login(piotr).post(coach_url(ania_case), {"text": "x"}).status_code == 403


def test_the_coach_is_post_only(login, ania, ania_case) -> None:
    assert login(ania).get(coach_url(ania_case)).status_code == 405


def test_the_acknowledged_case_keeps_its_reply_composer(login, ania, ania_case) -> None:
    services.acknowledge(ania_case, actor=ania)
    html = login(ania).get(reverse("cases:case-detail", args=[ania_case.reference])).content
    assert b"Reply to the customer" in html


def test_without_javascript_check_keeps_the_proposal_as_typed(login, ania, english_case) -> None:
    response = login(ania).post(
        coach_url(english_case),
        {
            "purpose": "proposal",
            "message": BLAME["en"],
            "option-TOTAL_FORMS": "1",
            "option-INITIAL_FORMS": "0",
            "option-0-kind": "refund",
        },
    )
    assert response.status_code == 200
    assert response.context["failed"] == "proposal"
    assert response.context["resolution"]["coach_proposal"].flags
    html = response.content.decode()
    assert 'id="coach-proposal"' in html
    assert 'data-kind="blame_customer"' in html
