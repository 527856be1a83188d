"""The case's life: only allowed transitions, one Event per change, nothing changed on error."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from amends.cases import services
from amends.cases.models import Case, Event, EventKind, State
from tests.conftest import aware
from tests.resolution.helpers import make_resolvable


def kinds(case: Case) -> list[str]:
    return list(case.events.values_list("kind", flat=True))


def test_a_case_walks_from_received_to_closed_with_an_event_at_each_step(
    ania_case: Case, ania
) -> None:
    case = ania_case
    make_resolvable(case, ania)
    for step in (
        State.ACKNOWLEDGED,
        State.INVESTIGATING,
        State.RESOLUTION_PROPOSED,
        State.RESOLVED,
        State.CLOSED,
    ):
        case = services.change_state(case, to=step, actor=ania)
        assert case.state == step
        last = case.events.last()
        assert last is not None
        assert last.actor == ania
        assert last.data["to"] == step
    case.refresh_from_db()
    assert case.acknowledged_at
    assert case.resolved_at
    assert case.closed_at
    assert kinds(case) == [
        EventKind.RECEIVED,
        EventKind.OWNER_ASSIGNED,
        EventKind.INVESTIGATED,
        EventKind.INVESTIGATED,
        EventKind.ACKNOWLEDGED,
        EventKind.STATE_CHANGED,
        EventKind.STATE_CHANGED,
        EventKind.STATE_CHANGED,
        EventKind.STATE_CHANGED,
    ]


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], State.INVESTIGATING),
        ([], State.CLOSED),
        ([State.ACKNOWLEDGED], State.RESOLVED),
        ([State.ACKNOWLEDGED, State.INVESTIGATING], State.CLOSED),
        ([State.ACKNOWLEDGED, State.INVESTIGATING], State.ACKNOWLEDGED),
    ],
)
def test_an_illegal_transition_is_refused_and_changes_nothing(
    ania_case: Case, ania, path, illegal
) -> None:
    case = ania_case
    for step in path:
        case = services.change_state(case, to=step, actor=ania)
    before = (case.state, Event.objects.count())
    with pytest.raises(ValidationError, match="cannot go from"):
        services.change_state(case, to=illegal, actor=ania)
    case.refresh_from_db()
    assert (case.state, Event.objects.count()) == before


def test_an_unknown_state_is_a_clear_error(ania_case: Case, ania) -> None:
    with pytest.raises(ValidationError, match="Unknown state: archived"):
        services.change_state(ania_case, to="archived", actor=ania)
    ania_case.refresh_from_db()
    assert ania_case.state == State.RECEIVED


def test_reopening_needs_a_reason_and_sets_a_new_dated_next_step(ania_case: Case, ania) -> None:
    case = ania_case
    make_resolvable(case, ania)
    for step in (
        State.ACKNOWLEDGED,
        State.INVESTIGATING,
        State.RESOLUTION_PROPOSED,
        State.RESOLVED,
        State.CLOSED,
    ):
        case = services.change_state(case, to=step, actor=ania)
    with pytest.raises(ValidationError, match="needs a reason"):
        services.change_state(case, to=State.INVESTIGATING, actor=ania, reason="  ")
    case = services.change_state(case, to=State.INVESTIGATING, actor=ania, reason="Leak came back")
    assert case.state == State.INVESTIGATING
    assert case.closed_at is None
    assert case.resolved_at is None
    reopened = case.events.get(kind=EventKind.REOPENED)
    assert reopened.data == {
        "from": State.CLOSED,
        "to": State.INVESTIGATING,
        "reason": "Leak came back",
    }
    assert case.commitment_due > reopened.at


def test_proposing_a_resolution_stops_the_statutory_clock(ania_case: Case, ania) -> None:
    case = services.change_state(ania_case, to=State.ACKNOWLEDGED, actor=ania)
    assert case.statutory_pending()
    case = services.change_state(case, to=State.RESOLUTION_PROPOSED, actor=ania)
    assert case.answered_at is not None
    assert not case.statutory_pending()


def test_open_case_refuses_empty_subject_unknown_channel_and_future_receipt(
    customer_pl, make_case
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    with pytest.raises(ValidationError, match="subject"):
        make_case(customer_pl, subject="   ")
    with pytest.raises(ValidationError, match="Unknown channel"):
        make_case(customer_pl, channel="fax")
    with pytest.raises(ValidationError, match="future"):
        make_case(customer_pl, received_at=timezone.now() + timedelta(days=1))
    assert Case.objects.count() == 0


def test_a_new_case_gets_both_deadlines_and_a_received_event(customer_pl, make_case) -> None:
    case = make_case(customer_pl, received_at=aware("2026-03-02T10:00"))
    case.refresh_from_db()
    warsaw = ZoneInfo("Europe/Warsaw")
    assert case.reference == f"AM-{case.pk:06d}"
    assert case.statutory_rule == "PL-CONSUMER-14D"
    assert case.statutory_due == aware("2026-03-16T23:59:59")
    assert case.commitment_due.astimezone(warsaw).date() == date(2026, 3, 9)
    received = case.events.get(kind=EventKind.RECEIVED)
    assert received.is_customer_visible
    assert received.data["statutory_rule"] == "PL-CONSUMER-14D"


def test_reference_lookup_accepts_the_human_reference(ania_case: Case) -> None:
    assert Case.objects.by_reference(ania_case.reference) == ania_case
    assert Case.objects.by_reference(ania_case.reference.lower()) == ania_case
    assert Case.objects.by_reference("AM-abc") is None
    assert Case.objects.by_reference("DROP TABLE") is None


def test_each_milestone_column_is_the_exact_time_of_its_event(ania_case: Case, ania) -> None:
    """The dashboard reads the milestone columns instead of the timeline: on a running clock
    (no frozen time) each must equal its event's time to the microsecond."""
    case = services.acknowledge(ania_case, actor=ania)
    case = services.record_reply(case, actor=ania, text="Odpowiedź merytoryczna.", substantive=True)
    make_resolvable(case, ania)
    for step in (State.INVESTIGATING, State.RESOLUTION_PROPOSED, State.RESOLVED, State.CLOSED):
        case = services.change_state(case, to=step, actor=ania)
    case.refresh_from_db()
    acknowledged = case.events.get(kind=EventKind.ACKNOWLEDGED)
    reply = case.events.get(kind=EventKind.REPLY)
    resolved = case.events.get(kind=EventKind.STATE_CHANGED, data__to=State.RESOLVED)
    closed = case.events.get(kind=EventKind.STATE_CHANGED, data__to=State.CLOSED)
    assert case.acknowledged_at == acknowledged.at
    assert case.answered_at == reply.at
    assert case.resolved_at == resolved.at
    assert case.closed_at == closed.at
