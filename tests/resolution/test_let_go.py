"""The let-go decision (E-4): managers only; the parting letter in the case's language passes the
coach and goes to the customer; the page shows the evidence."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from amends.cases.models import Customer, Event, EventKind, Visibility
from amends.intake.models import Delivery, Direction, Message
from amends.playbook import Context, check_reply
from amends.resolution.letgo import decide_let_go, parting_letter
from amends.resolution.models import Investigation, LetGoDecision

pytestmark = pytest.mark.django_db

URL = "/resolution/let-go/"
SETTLEMENT = {
    "pl": "zwrot kosztów ostatniej usługi na Państwa konto",
    "bg": "възстановяване на сумата за последната услуга",
    "en": "a refund of the last service to your account",
    "fi": "viimeisen palvelun hinnan palautus tilillenne",
}
NAMES = {"pl": "Jan Kowalski", "bg": "Иван Петров", "en": "John Smith", "fi": "Matti Virtanen"}


@pytest.fixture(autouse=True)
def _english():
    """Messages are matched in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def difficult(db):
    """A customer with three unfounded complaints, the advisor's candidate."""
    return Customer.objects.create(
        name="Jan Kowalski",
        email="jan@example.pl",
        language="pl",
        jurisdiction="PL",
        annual_value=Decimal(2_000),
    )


def unfounded_cases(make_case, customer, owner, n=3, **kwargs):
    cases = [make_case(customer, owner=owner, **kwargs) for _ in range(n)]
    for case in cases:
        Investigation.objects.create(case=case, fault="customer")
    return cases


def settle_by() -> date:
    return timezone.localdate() + timedelta(days=5)


# --- the page ---------------------------------------------------------------------------------


def test_agent_cannot_see_the_let_go_page(client, ania):
    client.force_login(ania)
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


def test_manager_sees_candidates_with_their_evidence(
    client, marta, ania, make_case, difficult, django_assert_max_num_queries
):
    cases = unfounded_cases(make_case, difficult, ania)
    another = Customer.objects.create(name="Alfa", email="a@alfa.example", annual_value=500)
    unfounded_cases(make_case, another, ania)
    client.force_login(marta)
    # A fixed number of queries, whatever the number of candidates (two here).
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert difficult.name in html
    assert "3 unfounded complaints (limit 3)." in html
    for case in cases:
        assert case.reference in html
        assert reverse("cases:case-detail", args=[case.reference]) in html
    assert "Handling cost" in html


def test_the_page_shows_page_size_customers_highest_score_first(
    client, marta, ania, make_case, difficult, monkeypatch
):
    from amends.resolution import views_letgo

    monkeypatch.setattr(views_letgo, "PAGE_SIZE", 1)
    difficult.annual_value = Decimal(20)  # their handling costs more: the cost signal scores too
    difficult.save()
    unfounded_cases(make_case, difficult, ania)
    other = Customer.objects.create(name="Alfa Sp. z o.o.", email="a@alfa.example")
    unfounded_cases(make_case, other, ania)
    client.force_login(marta)

    first = client.get(URL).content.decode()
    second = client.get(URL + "?page=2").content.decode()

    assert "2 customers are flagged" in first
    assert difficult.name in first
    assert other.name not in first
    assert "Page 1 of 2" in first
    assert other.name in second
    assert difficult.name not in second
    # A refused decision for the customer on page 2 shows their form, with the reason, first.
    p = f"c{other.pk}-"
    refused = client.post(f"{URL}{other.pk}/decide/", {p + "outcome": "keep", p + "reason": ""})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert other.name in html
    assert "This field is required." in html


def test_customers_without_a_pattern_are_not_listed(client, marta, ania, make_case, difficult):
    unfounded_cases(make_case, difficult, ania, n=2)
    client.force_login(marta)
    response = client.get(URL)
    assert "No customer is flagged at the moment." in response.content.decode()


def test_decide_needs_post(client, marta, difficult):
    client.force_login(marta)
    assert client.get(f"{URL}{difficult.pk}/decide/").status_code == 405


def test_agent_cannot_decide(client, ania, difficult):
    client.force_login(ania)
    response = client.post(
        f"{URL}{difficult.pk}/decide/",
        {f"c{difficult.pk}-outcome": "keep", f"c{difficult.pk}-reason": "x"},
    )
    assert response.status_code == 403
    assert not LetGoDecision.objects.exists()


def test_manager_decides_to_keep_the_customer(client, marta, ania, make_case, difficult):
    unfounded_cases(make_case, difficult, ania)
    client.force_login(marta)
    p = f"c{difficult.pk}-"
    response = client.post(
        f"{URL}{difficult.pk}/decide/",
        {p + "outcome": "keep", p + "reason": "Długoletni klient, porozmawiamy osobiście."},
    )
    assert response.status_code == 302
    decision = LetGoDecision.objects.get()
    assert (decision.outcome, decision.decided_by, decision.case) == ("keep", marta, None)
    assert decision.evidence["recommended"] is True
    # Decided: the customer leaves the list until a new case comes in.
    assert f"{URL}{difficult.pk}/decide/" not in client.get(URL).content.decode()


def test_manager_lets_go_with_a_parting_letter_through_the_page(
    client, marta, ania, make_case, difficult, django_capture_on_commit_callbacks
):
    case = unfounded_cases(make_case, difficult, ania)[-1]
    client.force_login(marta)
    p = f"c{difficult.pk}-"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{URL}{difficult.pk}/decide/",
            {
                p + "outcome": "let_go",
                p + "reason": "Trzy bezzasadne reklamacje w kwartale.",
                p + "case": str(case.pk),
                p + "settlement": SETTLEMENT["pl"],
                p + "settle_by": settle_by().isoformat(),
            },
        )
    assert response.status_code == 302
    assert LetGoDecision.objects.get().case == case
    assert [m.subject for m in mail.outbox] == [
        f"Reklamacja {case.reference}: zakończenie współpracy"
    ]


def test_a_refused_letter_shows_the_form_again_with_the_reason(
    client, marta, ania, make_case, difficult
):
    case = unfounded_cases(make_case, difficult, ania)[-1]
    client.force_login(marta)
    p = f"c{difficult.pk}-"
    response = client.post(
        f"{URL}{difficult.pk}/decide/",
        {p + "outcome": "let_go", p + "reason": "Dość.", p + "case": str(case.pk)},
    )
    assert response.status_code == 400
    assert "Describe the final settlement" in response.content.decode()
    assert not LetGoDecision.objects.exists()


# --- the service ------------------------------------------------------------------------------


def test_an_agent_cannot_decide_to_let_go(ania, difficult):
    with pytest.raises(PermissionDenied):
        decide_let_go(difficult, actor=ania, outcome="let_go", reason="Dość")
    assert not LetGoDecision.objects.exists()


def test_a_decision_needs_a_reason_and_a_known_outcome(marta, difficult):
    with pytest.raises(ValidationError):
        decide_let_go(difficult, actor=marta, outcome="let_go", reason="  ")
    with pytest.raises(ValidationError):
        decide_let_go(difficult, actor=marta, outcome="maybe", reason="Hmm")


def test_the_case_must_be_the_customers(marta, ania, make_case, difficult, customer_pl):
    other = make_case(customer_pl, owner=ania)
    with pytest.raises(ValidationError, match="not this customer"):
        decide_let_go(
            difficult,
            actor=marta,
            outcome="let_go",
            reason="Dość",
            case=other,
            settlement=SETTLEMENT["pl"],
        )


def test_letting_go_without_a_case_sends_nothing(marta, ania, make_case, difficult):
    unfounded_cases(make_case, difficult, ania)
    decision = decide_let_go(difficult, actor=marta, outcome="let_go", reason="Dość")
    assert decision.case is None
    assert not Message.objects.exists()
    assert decision.evidence["evidence"][0]["code"] == "unfounded"


@pytest.mark.parametrize("lang", ["pl", "bg"])
def test_parting_letter_passes_the_coach_and_is_sent(
    lang, marta, ania, make_case, django_capture_on_commit_callbacks
):
    customer = Customer.objects.create(
        name=NAMES[lang],
        email=f"client-{lang}@example.com",
        language=lang,
        jurisdiction=lang.upper(),
    )
    case = unfounded_cases(make_case, customer, ania, language=lang)[-1]
    due = settle_by()
    with django_capture_on_commit_callbacks(execute=True):
        decision = decide_let_go(
            customer,
            actor=marta,
            outcome="let_go",
            reason="Repeated unfounded complaints",
            case=case,
            settlement=SETTLEMENT[lang],
            settle_by=due,
        )
    message = Message.objects.get(case=case, direction=Direction.OUT)
    assert message.purpose == "parting"
    assert message.delivery == Delivery.SENT
    assert case.reference in message.subject
    assert SETTLEMENT[lang] in message.body
    assert "Marta Zielińska" in message.body
    review = check_reply(
        message.body,
        lang,
        Context(
            owner="Marta Zielińska",
            purpose="parting",
            today=timezone.localdate(),
            commitment_due=due,
        ),
    )
    assert review.flags == ()
    assert all(e.present for e in review.elements.values() if e.required)
    assert review.next_step_date == due
    assert [m.to for m in mail.outbox] == [[customer.email]]
    event = Event.objects.get(case=case, kind=EventKind.REPLY)
    assert event.visibility == Visibility.CUSTOMER
    assert event.data["purpose"] == "parting"
    assert event.data["let_go_decision"] == decision.pk
    assert event.data["message_id"] == message.pk


def test_a_parting_letter_the_coach_flags_is_refused(marta, ania, make_case, difficult):
    case = unfounded_cases(make_case, difficult, ania)[-1]
    with pytest.raises(ValidationError):
        decide_let_go(
            difficult,
            actor=marta,
            outcome="let_go",
            reason="Dość",
            case=case,
            settlement="zwrot pieniędzy, choć to Pan nie przeczytał regulaminu, to Pana wina",
        )
    assert not LetGoDecision.objects.exists()
    assert not Message.objects.exists()


def test_parting_letter_is_recorded_when_the_customer_has_no_email(marta, ania, make_case):
    customer = Customer.objects.create(name="Anna Bez Maila", language="pl")
    case = unfounded_cases(make_case, customer, ania)[-1]
    decide_let_go(
        customer,
        actor=marta,
        outcome="let_go",
        reason="Dość",
        case=case,
        settlement=SETTLEMENT["pl"],
    )
    assert not Message.objects.exists()
    event = Event.objects.get(case=case, kind=EventKind.REPLY)
    assert event.data["message_id"] is None


def test_the_settlement_date_cannot_be_in_the_past(marta, ania, make_case, difficult):
    case = unfounded_cases(make_case, difficult, ania)[-1]
    with pytest.raises(ValidationError, match="past"):
        parting_letter(
            case,
            actor=marta,
            settlement=SETTLEMENT["pl"],
            settle_by=timezone.localdate() - timedelta(days=1),
        )
