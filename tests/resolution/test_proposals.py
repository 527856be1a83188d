"""A resolution agreed with the customer (B-4): options accepted or declined, time and channel."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from amends.cases.models import Customer, EventKind, State, Visibility
from amends.intake.models import Direction
from amends.resolution import services
from amends.resolution.models import Decision, Fault, ProposalStatus

MESSAGE = (
    "Przepraszam za kłopot z pralką. Nazywam się Ania Nowak i zajmę się sprawą do końca. "
    "Proszę wybrać jedno z rozwiązań poniżej."
)
BLAMING = "Powinien Pan był przeczytać instrukcję przed montażem. " + MESSAGE


@pytest.fixture
def options(soon):
    return [
        {"kind": "repair", "description": "Naprawa u Pana w domu", "cost": "80", "due": soon},
        {
            "kind": "refund",
            "description": "Zwrot pieniędzy",
            "cost": Decimal("1299.00"),
            "currency": "pln",
            "due": soon,
        },
        {
            "kind": "explanation",
            "description": "Jak poziomować pralkę",
            "due": soon,
            "knowledge_url": "https://example.com/poziomowanie",
        },
    ]


def test_a_proposal_is_stored_shown_to_the_customer_and_e_mailed(case, ania, options) -> None:
    proposal = services.propose(case, actor=ania, message=MESSAGE, options=options)
    case.refresh_from_db()
    assert case.state == State.RESOLUTION_PROPOSED
    assert case.answered_at is not None, "a proposal is a substantive answer"
    assert proposal.status == ProposalStatus.OPEN
    assert [o.kind for o in proposal.options.all()] == ["repair", "refund", "explanation"]
    assert proposal.options.get(kind="refund").currency == "PLN"
    assert proposal.options.get(kind="repair").currency == "EUR", "the case's currency"
    event = case.events.get(kind=EventKind.PROPOSAL)
    assert event.visibility == Visibility.CUSTOMER
    assert event.data["proposal_id"] == proposal.pk
    assert "cost" not in event.data["options"][0], "our cost is not the customer's business"
    mail = case.messages.get(direction=Direction.OUT, purpose="proposal")
    assert mail.recipient_email == "jan@example.pl"
    assert "[AM-" in mail.subject
    assert mail.body.startswith(MESSAGE)
    assert "Zwrot pieniędzy (1" in mail.body
    assert "PLN)" in mail.body
    assert "https://example.com/poziomowanie" in mail.body
    assert "80" not in mail.body.split("Naprawa")[1].split("\n")[0], "a repair's cost stays ours"


def test_no_e_mail_without_an_address(make_case, ania, options) -> None:
    walk_in = Customer.objects.create(name="Ewa", language="pl", jurisdiction="PL")
    case = make_case(walk_in, owner=ania)
    proposal = services.propose(case, actor=ania, message=MESSAGE, options=options[:1])
    assert proposal.pk
    assert not case.messages.exists()
    case.refresh_from_db()
    assert case.state == State.RECEIVED, "from received the case cannot move to proposed"


def test_a_message_the_coach_flags_is_refused_with_the_findings(case, ania, options) -> None:
    with pytest.raises(ValidationError) as error:
        services.propose(case, actor=ania, message=BLAMING, options=options)
    (message,) = error.value.messages
    assert "Blames the customer" in message
    assert "Powinien Pan był" in message
    assert not case.proposals.exists()
    assert not case.events.filter(kind=EventKind.PROPOSAL).exists()


def test_when_the_fault_is_ours_the_proposal_must_apologise(case, ania, options) -> None:
    services.set_fault(case, actor=ania, fault=Fault.OURS)
    cold = "Nazywam się Ania Nowak i zajmę się sprawą. Proszę wybrać jedno z rozwiązań."
    with pytest.raises(ValidationError, match="Our fault, no apology"):
        services.propose(case, actor=ania, message=cold, options=options)
    assert services.propose(case, actor=ania, message=MESSAGE, options=options).pk


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "voucher"}, "Unknown remedy"),
        ({"description": " "}, "Describe what we offer"),
        ({"cost": "-5"}, "cannot be negative"),
        ({"cost": "abc"}, "as a number"),
        ({"currency": "E"}, "three-letter"),
        ({"due": timezone.localdate() - timedelta(days=1)}, "past"),
        ({"due": None}, "Give a date"),
        ({"knowledge_url": "javascript:alert(1)"}, "valid URL"),
    ],
)
def test_a_bad_option_is_refused_and_nothing_stored(case, ania, options, change, message) -> None:
    bad = {**options[0], **change}
    with pytest.raises(ValidationError, match=message):
        services.propose(case, actor=ania, message=MESSAGE, options=[options[1], bad])
    assert not case.proposals.exists()


def test_a_proposal_needs_options_and_only_one_is_open_at_a_time(case, ania, options) -> None:
    with pytest.raises(ValidationError, match="at least one option"):
        services.propose(case, actor=ania, message=MESSAGE, options=[])
    first = services.propose(case, actor=ania, message=MESSAGE, options=options)
    with pytest.raises(ValidationError, match="withdraw it first"):
        services.propose(case, actor=ania, message=MESSAGE, options=options)
    services.withdraw_proposal(first, actor=ania, reason="A better offer follows.")
    assert services.propose(case, actor=ania, message=MESSAGE, options=options).pk


def test_another_teams_agent_cannot_propose(case, boryana, options) -> None:
    with pytest.raises(PermissionDenied):
        services.propose(case, actor=boryana, message=MESSAGE, options=options)


def test_accepting_one_option_and_declining_the_rest_agrees_the_proposal(
    case, ania, options
) -> None:
    proposal = services.propose(case, actor=ania, message=MESSAGE, options=options)
    repair, refund, explanation = proposal.options.all()
    services.decide_option(refund, decision="declined", via="portal")
    services.decide_option(explanation, decision="declined", via="portal")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN, "one option is still pending"
    services.decide_option(repair, decision="accepted", via="portal")
    proposal.refresh_from_db()
    repair.refresh_from_db()
    assert proposal.status == ProposalStatus.AGREED
    assert proposal.decided_at is not None
    assert repair.decision == Decision.ACCEPTED
    assert repair.decided_via == "portal"
    assert repair.decided_at is not None
    decided = list(case.events.filter(kind=EventKind.PROPOSAL_DECIDED))
    assert len(decided) == 3
    assert all(e.visibility == Visibility.CUSTOMER and e.actor is None for e in decided)
    assert decided[-1].data["proposal_status"] == ProposalStatus.AGREED


def test_declining_every_option_declines_the_proposal(case, ania, options) -> None:
    proposal = services.propose(case, actor=ania, message=MESSAGE, options=options[:2])
    for option in proposal.options.all():
        services.decide_option(option, decision="declined", via="phone", actor=ania)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED
    event = case.events.filter(kind=EventKind.PROPOSAL_DECIDED).last()
    assert event.actor == ania
    assert event.data["via"] == "phone"


def test_a_decision_is_made_once_and_only_on_an_open_proposal(case, ania, options) -> None:
    proposal = services.propose(case, actor=ania, message=MESSAGE, options=options[:2])
    first, second = proposal.options.all()
    services.decide_option(first, decision="accepted", via="portal")
    with pytest.raises(ValidationError, match="decided already"):
        services.decide_option(first, decision="declined", via="portal")
    services.withdraw_proposal(proposal, actor=ania, reason="Replaced by a better offer.")
    with pytest.raises(ValidationError, match="no longer open"):
        services.decide_option(second, decision="accepted", via="portal")


def test_bad_decisions_and_channels_are_refused(case, ania, boryana, options) -> None:
    option = services.propose(case, actor=ania, message=MESSAGE, options=options[:1]).options.get()
    with pytest.raises(ValidationError, match="accepted or declined"):
        services.decide_option(option, decision="maybe", via="portal")
    with pytest.raises(ValidationError, match="Unknown channel"):
        services.decide_option(option, decision="accepted", via="pigeon", actor=ania)
    with pytest.raises(PermissionDenied):
        services.decide_option(option, decision="accepted", via="phone")  # no staff name
    with pytest.raises(PermissionDenied):
        services.decide_option(option, decision="accepted", via="phone", actor=boryana)
    option.refresh_from_db()
    assert option.decision == Decision.PENDING


def test_withdrawing_needs_a_reason_and_is_shown_to_the_customer(case, ania, options) -> None:
    proposal = services.propose(case, actor=ania, message=MESSAGE, options=options[:1])
    with pytest.raises(ValidationError, match="why"):
        services.withdraw_proposal(proposal, actor=ania, reason="")
    services.withdraw_proposal(proposal, actor=ania, reason="Replaced by a better offer.")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    event = case.events.filter(kind=EventKind.PROPOSAL).last()
    assert event.data["change"] == "withdrawn"
    assert event.visibility == Visibility.CUSTOMER
    with pytest.raises(ValidationError, match="no longer open"):
        services.withdraw_proposal(proposal, actor=ania, reason="Again")
